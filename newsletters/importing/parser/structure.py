"""The user's way out when the automatic layout fails: ``layout="one-story"`` makes the
whole text one story, ``layout="sections"`` turns section detection off."""

from __future__ import annotations

from ..countries import BY_CODE
from .classify import Item


def _country_name(code: str) -> str:
    country = BY_CODE.get(code)
    return country.name if country else code


def apply_layout(items: list[Item], layout: str) -> list[Item]:
    """Items re-labelled for ``layout`` ("auto" leaves them as they are).

    one-story: every heading becomes a paragraph of its own ("## Osh" stays visible as a
    line of text, and so does a country heading, which used to vanish: the accounting
    stage found it "not placed"), captions stay captions, and the story has no title.
    sections: section headings become story headings, all in one untitled section."""
    if layout == "one-story":
        out = [Item("story", "", [], [])]
        for item in items:
            if item.kind in ("section", "story"):
                # "KYRGYZSTAN: title" keeps its country, which the heading printed.
                prefix = "".join(f"{_country_name(code)}: " for code in item.countries)
                out.append(Item("para", f"**{prefix}{item.text}**", list(item.countries),
                                item.nos))
            elif item.kind == "country":  # "#### Kazakhstan": its line, as printed
                out.append(Item("para", f"**{_country_name(item.text)}**", [item.text],
                                item.nos))
            else:
                out.append(item)
        return out
    if layout == "sections":
        return [
            Item("story", it.text, it.countries, it.nos) if it.kind == "section" else it
            for it in items
        ]
    return items
