"""Parsing checks for rendered output: does anything that could run survive?

`html_problems(html)` parses a page with html.parser (as a browser would tokenise it,
near enough) and lists: elements that can run or restyle code (script, iframe, object,
embed, svg, math, style, base, ...), any on* attribute, URL attributes whose scheme is not
http/https/mailto/tel once whitespace and entities are gone, and meta refreshes. The
page's own template elements are allowed by rule: scripts only from /static/, the
`trend-chart` SVG that the figures template draws, forms posting to this site.

`feed_problems` and `json_problems` apply the same checks to the HTML inside feeds and
the JSON API's html fields, and to their URLs.
"""

import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "cite", "srcdoc", "codebase", "dynsrc", "lowsrc", "ping",
}  # fmt: skip
NEVER = {
    "script", "iframe", "object", "embed", "math", "style", "base", "frame", "frameset",
    "applet", "template", "noscript", "xmp", "plaintext", "isindex", "portal",
}  # fmt: skip
# A form without an action posts to its own page; one with a scheme or // goes elsewhere.
ELSEWHERE = re.compile(r"\s*(//|[a-z][a-z0-9+.\-]*:)", re.I)
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers drop ASCII whitespace and control characters inside a scheme.
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\ufeff]+")


def bad_url(value: str) -> bool:
    # html.parser has decoded entities already; unescape again for double-encoding.
    text = INVISIBLE.sub("", html.unescape(html.unescape(value or ""))).lower()
    match = SCHEME.match(text)
    return bool(match) and match.group(1) not in SAFE_SCHEMES


class _Checker(HTMLParser):
    def __init__(self, script_prefixes=("/static/",), svg_classes=("trend-chart",)):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.svg_depth = 0  # inside one of the template's own drawings
        self.script_prefixes = tuple(script_prefixes)
        self.svg_classes = set(svg_classes)
        self.in_jsonld = False

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)[:120]}>"
        if tag == "script" and values.get("type") == "application/ld+json" and len(attrs) == 1:
            # Structured data never runs; its text is checked in handle_data.
            self.in_jsonld = True
        elif tag == "script":
            src = values.get("src") or ""
            if not src.startswith(self.script_prefixes):
                self.problems.append(f"script element: {where}")
        elif tag in NEVER:
            self.problems.append(f"{tag} element: {where}")
        elif tag == "svg":
            own = self.svg_classes & set((values.get("class") or "").split())
            if own and not self.svg_depth:
                self.svg_depth = 1
            elif self.svg_depth:
                self.svg_depth += 1
            else:
                self.problems.append(f"svg element: {where}")
        elif tag == "form" and ELSEWHERE.match(values.get("action") or ""):
            self.problems.append(f"form to elsewhere: {where}")
        elif tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"meta refresh: {where}")
        elif tag == "link" and (values.get("rel") or "").lower() in {"import", "preload"}:
            self.problems.append(f"link: {where}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}: {where}")
            if name in URL_ATTRIBUTES and bad_url(value or ""):
                self.problems.append(f"{name} scheme: {where}")
            if name == "style" and re.search(r"url\s*\(|expression\s*\(", value or "", re.I):
                self.problems.append(f"style url(): {where}")

    def handle_data(self, data):
        if self.in_jsonld:
            # Escaped as json_script does: no "<" at all, so nothing can end the element,
            # and it must be one JSON document.
            if "<" in data:
                self.problems.append(f"markup inside JSON-LD: {data[:80]!r}")
            try:
                json.loads(data)
            except ValueError:
                self.problems.append(f"JSON-LD that is not JSON: {data[:80]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_jsonld = False
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1


def html_problems(markup: str, **allow) -> list[str]:
    checker = _Checker(**allow)
    checker.feed(markup)
    checker.close()
    return checker.problems


def feed_problems(xml_text: str) -> list[str]:
    """RSS or Atom: the XML must parse, HTML in it must pass, every link must be http(s)."""
    problems = []
    root = ET.fromstring(xml_text)  # noqa: S314 (our own output)
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        # Titles are text in both formats; descriptions and summaries are read as HTML.
        if name in {"description", "summary", "content", "encoded"} and element.text:
            problems += [f"{name}: {p}" for p in html_problems(element.text)]
        if name == "link":
            for url in (element.get("href"), element.text):
                if url and url.strip() and bad_url(url):
                    problems.append(f"feed link {url!r}")
    return problems


URL_KEYS = {"href", "link", "next", "previous", "website"}


def json_problems(text: str) -> list[str]:
    """Every field named *html must pass; every *url field must be http(s) or empty."""
    problems = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if "html" in key.lower():
                problems.extend(f"{key}: {p}" for p in html_problems(value))
            is_url = key.lower().endswith("url") or key.lower() in URL_KEYS
            if is_url and bad_url(value):
                problems.append(f"{key} scheme: {value[:80]!r}")

    walk(json.loads(text))
    return problems
