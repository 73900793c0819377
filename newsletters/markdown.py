"""The one way authored and imported text becomes HTML: Markdown, then an allow-list.

markdown-it-py renders with raw HTML disabled, and nh3 then keeps only the tags,
attributes and URL schemes listed here, whatever the renderer let through.

Bounded work: a story body is at most MAX_BODY_CHARS characters (`validate_body_length`,
on the model and for the importer to call), and a render stops formatting once it has
taken RENDER_BUDGET_SECONDS: the rest of the text is shown as plain paragraphs. Pure
Python Markdown runs at roughly 10-60 µs per character on a loaded 2-core machine, and
some inputs (a run of "![" or "[") sit at the slow end, so without both a request
could be held for many seconds. A text longer than the limit (stored before it existed)
is not parsed at all.

Images: only from the site's own media (MEDIA_URL, by path or on one of ALLOWED_HOSTS)
or from a host in MARKDOWN_IMAGE_HOSTS, over https.
Any other `src` is removed, so an image in a story cannot act as a tracking pixel that
tells a third party who reads it.
"""

import hashlib
import logging
import time
from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_block import paragraph as paragraph_rule
from markdown_it.rules_block import table as table_rule

logger = logging.getLogger(__name__)

# About 8,000 words: three times the longest whole issue of the archive (17 KB).
MAX_BODY_CHARS = 50_000
RENDER_BUDGET_SECONDS = 0.3
# markdown-it parses a whole table or paragraph in one step (checking every line), so a
# long one would overrun the budget: past this many lines a table continues as another
# table and a paragraph as another paragraph, and the budget is checked in between.
MAX_BLOCK_LINES = 200

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


def validate_body_length(text: str) -> None:
    """Raise ValidationError if `text` is longer than a story body may be."""
    if text and len(text) > MAX_BODY_CHARS:
        raise ValidationError(
            f"This text has {len(text):,} characters; a story may have at most "
            f"{MAX_BODY_CHARS:,}. Split it into several stories.",
            code="too_long",
        )


def _over_budget(env) -> bool:
    if env.get("over_budget"):
        return True
    if time.monotonic() > env.get("deadline", float("inf")):
        env["over_budget"] = True
    return env.get("over_budget", False)


def _inline_budget(state, silent) -> bool:
    """First inline rule: past the deadline, the rest of the paragraph is plain text."""
    if not _over_budget(state.env):
        return False
    if not silent:
        state.pending += state.src[state.pos : state.posMax]
    state.pos = state.posMax
    return True


def _block_budget(state, start_line, end_line, silent) -> bool:
    """First block rule: past the deadline, the remaining lines are one plain paragraph."""
    if not _over_budget(state.env):
        return False
    if silent:
        return True
    begin = state.bMarks[start_line] + state.tShift[start_line]
    token = state.push("paragraph_open", "p", 1)
    token.map = [start_line, end_line]
    token = state.push("inline", "", 0)
    token.content = state.src[begin : state.eMarks[end_line - 1]].strip()
    token.map = [start_line, end_line]
    token.children = []
    state.push("paragraph_close", "p", -1)
    state.line = end_line
    return True


def _bounded_table(state, start_line, end_line, silent) -> bool:
    return table_rule(state, start_line, min(end_line, start_line + MAX_BLOCK_LINES), silent)


def _bounded_paragraph(state, start_line, end_line, silent) -> bool:
    return paragraph_rule(state, start_line, min(end_line, start_line + MAX_BLOCK_LINES), silent)


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
    md.block.ruler.at("paragraph", _bounded_paragraph)
    md.block.ruler.before("table", "budget", _block_budget)
    md.inline.ruler.before("text", "budget", _inline_budget)
    return md


def _image_allowed(src: str) -> bool:
    src = src.strip()
    if urlsplit(settings.MEDIA_URL).netloc:  # media on object storage or a CDN
        return src.startswith(settings.MEDIA_URL)
    media = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else f"/{settings.MEDIA_URL}"
    parts = urlsplit(src)
    if not parts.scheme and not parts.netloc:
        return parts.path.startswith(media)  # the site's own uploads, by path
    if parts.scheme != "https":
        return False
    host = (parts.hostname or "").lower()
    own = {h.lower() for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")}
    if host in own and parts.path.startswith(media):
        return True
    return host in {h.lower() for h in getattr(settings, "MARKDOWN_IMAGE_HOSTS", ())}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not _image_allowed(value):
        return None
    return value


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_attribute_filter,
    )


def render_markdown(text: str) -> SafeString:
    """Markdown to sanitised HTML, safe to put in a template as it is."""
    text = text or ""
    if len(text) > MAX_BODY_CHARS:
        logger.warning("Text of %d characters shown unformatted (over the limit).", len(text))
        # Escaped here, then cleaned like everything else.
        return mark_safe(sanitise_html(linebreaks(escape(text))))  # noqa: S308
    env = {"deadline": time.monotonic() + RENDER_BUDGET_SECONDS}
    html = _renderer().render(text, env)
    if env.get("over_budget"):
        logger.warning("Markdown of %d characters took too long: the rest is plain.", len(text))
    # Safe: nh3 has removed everything outside the allow-list above.
    return mark_safe(sanitise_html(html))  # noqa: S308


_DIGEST_PREFIX = repr(
    (RENDERER_VERSION, sorted(ALLOWED_TAGS), sorted(ALLOWED_SCHEMES),
     sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()))
)  # fmt: skip


def markdown_digest(text: str) -> str:
    """Identifies `text` rendered by this version of the renderer and allow-list."""
    # Which images are kept depends on these settings, so a stored rendering made under
    # other ones is not reused.
    images = (
        settings.MEDIA_URL,
        sorted(settings.ALLOWED_HOSTS),
        sorted(getattr(settings, "MARKDOWN_IMAGE_HOSTS", ())),
    )
    source = f"{_DIGEST_PREFIX}|{images}|{text or ''}"
    return hashlib.blake2b(source.encode(), digest_size=16).hexdigest()
