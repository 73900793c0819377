"""The one way authored and imported text becomes HTML: Markdown, then an allow-list.

markdown-it-py renders with raw HTML disabled, and nh3 then keeps only the tags,
attributes and URL schemes listed here, whatever the renderer let through.
"""

import hashlib
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "img", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
# Part of every stored rendering's digest (Story.body_html): change it whenever the
# renderer or the allow-list changes, and stored renderings are redone when next shown.
RENDERER_VERSION = "1"


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        "table"
    )


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """Markdown to sanitised HTML, safe to put in a template as it is."""
    html = _renderer().render(text or "")
    # Safe: nh3 has removed everything outside the allow-list above.
    return mark_safe(sanitise_html(html))  # noqa: S308


_DIGEST_PREFIX = repr(
    (RENDERER_VERSION, sorted(ALLOWED_TAGS), sorted(ALLOWED_SCHEMES),
     sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()))
)  # fmt: skip


def markdown_digest(text: str) -> str:
    """Identifies `text` rendered by this version of the renderer and allow-list."""
    source = f"{_DIGEST_PREFIX}|{text or ''}"
    return hashlib.blake2b(source.encode(), digest_size=16).hexdigest()
