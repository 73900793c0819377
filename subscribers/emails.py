"""An issue as an e-mail: HTML (600 px table layout, CSS inlined) and plain text.

The issue is rendered once per campaign; what differs per recipient (the preferences
and unsubscribe links) is put in by plain string replacement of two markers, so
20,000 messages cost 20,000 replacements, not 20,000 template renders and CSS inlinings.

Story text goes through the site's own `render_markdown` (Markdown, then the nh3
allow-list), exactly as on the issue page; the plain-text part is made from that same
sanitised HTML.
"""

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from directory.models import Hotline
from newsletters.markdown import render_markdown
from newsletters.models import Issue
from newsletters.snapshot import snapshot_countries

from .subscribing import absolute_url

PREFERENCES_MARK = "%%PREFERENCES_URL%%"
UNSUBSCRIBE_MARK = "%%UNSUBSCRIBE_URL%%"

# nh3 writes every attribute with double quotes; a root-relative URL (not "//host")
# is made absolute on the public site.
_RELATIVE = re.compile(r'\b(href|src)="(/(?!/)[^"]*)"')
_FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.DOTALL)
# css-inline writes the document on few, long lines. SMTP lines end at 998 bytes, so
# Django would quoted-printable encode the whole HTML part of every message (a third
# of a worker's time, and a larger mail); a line break after block ends avoids that.
_BLOCK_END = re.compile(r"(</(?:head|style|tr|table|p|h[1-6]|div|ul|ol|li)>|<body>)")


@dataclass
class EmailStory:
    title: str
    url: str
    html: SafeString
    text: str
    image_src: str = ""
    image_alt: str = ""


@dataclass
class EmailSection:
    title: str
    stories: list[EmailStory] = field(default_factory=list)


@dataclass
class RenderedIssue:
    """The mail of one issue for every recipient, with the two link markers in it."""

    subject: str
    html: str
    text: str

    def for_recipient(self, preferences_url: str, unsubscribe_url: str) -> tuple[str, str]:
        def fill(body):
            return body.replace(PREFERENCES_MARK, preferences_url).replace(
                UNSUBSCRIBE_MARK, unsubscribe_url
            )

        return fill(self.html), fill(self.text)


def absolutise(fragment: str) -> str:
    """Root-relative links and images of sanitised HTML made absolute."""
    return _RELATIVE.sub(lambda m: f'{m[1]}="{absolute_url(m[2])}"', fragment)


def html_to_text(fragment: str) -> str:
    """Plain text from the sanitised HTML of a story: links as "text (url)"."""

    def link(match):
        url, label = html.unescape(match[1]), match[2]
        plain = re.sub(r"<[^>]+>", "", label)
        return plain if html.unescape(plain).strip() == url else f"{plain} ({url})"

    text = re.sub(r'<a href="([^"]*)"[^>]*>(.*?)</a>', link, fragment, flags=re.DOTALL)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"<li>", "- ", text)
    text = re.sub(r"</(p|li|h[2-6]|tr|blockquote|pre)>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def _story(issue, story, *, full_text: bool) -> EmailStory:
    body = str(render_markdown(story.body))
    if not full_text:
        first = _FIRST_PARAGRAPH.search(body)
        body = first[0] if first else body
    body = absolutise(body)
    url = absolute_url(story.get_absolute_url())
    photo = next((p for p in story.photos.all() if p.image), None)
    return EmailStory(
        title=story.display_title,
        url=url,
        # Safe: sanitised by render_markdown; absolutise only rewrites quoted URLs.
        html=mark_safe(body),  # noqa: S308
        text=html_to_text(body),
        image_src=absolute_url(photo.src) if photo and photo.src.startswith("/") else "",
        image_alt=photo.alt_text if photo else "",
    )


def _hotlines(issue) -> list[dict]:
    """The hotlines as this issue printed them; the current ones if it printed none."""
    printed = [
        {"country": c.name, "number": h["number"], "tel": h["tel"], "note": h.get("note", "")}
        for c in snapshot_countries(issue.directory_snapshot)
        for h in c.hotlines
    ]
    if printed:
        return printed
    return [
        {"country": h.country.name, "number": h.number, "tel": h.tel, "note": h.note}
        for h in Hotline.objects.select_related("country")
    ]


@lru_cache(maxsize=1)
def _inliner() -> css_inline.CSSInliner:
    # keep_at_rules: the @media rule for narrow screens stays in a <style> tag, the
    # rest is inlined (Gmail and Outlook drop most <style> content).
    return css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def render_issue(issue: Issue, *, full_text: bool = False, subject: str = "") -> RenderedIssue:
    issue = Issue.objects.with_contents().get(pk=issue.pk)
    sections = []
    for section in issue.sections.all():
        stories = [_story(issue, s, full_text=full_text) for s in section.stories.all()]
        if stories:
            sections.append(EmailSection(section.title, stories))
    first_story = next((s for sec in sections for s in sec.stories), None)
    preheader = issue.summary or (first_story.text[:140] if first_story else issue.title)
    context = {
        "issue": issue,
        "issue_url": absolute_url(issue.get_absolute_url()),
        "site_url": settings.SITE_URL.rstrip("/"),
        "preheader": " ".join(preheader.split())[:200],
        "sections": sections,
        "figures": issue.filled_key_figures,
        "hotlines": _hotlines(issue),
        "full_text": full_text,
        "preferences_url": PREFERENCES_MARK,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
    }
    page = render_to_string("subscribers/email/issue.html", context)
    text = render_to_string("subscribers/email/issue.txt", context)
    html = _BLOCK_END.sub(r"\1\n", _inliner().inline(page))
    return RenderedIssue(subject=subject or issue.title, html=html, text=text)


def message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def build_message(
    rendered: RenderedIssue,
    to: str,
    *,
    preferences_url: str,
    unsubscribe_url: str,
    message_id: str | None = None,
    connection=None,
    subject_prefix: str = "",
) -> EmailMultiAlternatives:
    """One recipient's message, with the RFC 8058 one-click unsubscribe headers."""
    body_html, body_text = rendered.for_recipient(preferences_url, unsubscribe_url)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    if message_id:
        headers["Message-ID"] = message_id
    message = EmailMultiAlternatives(
        subject_prefix + rendered.subject,
        body_text,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(body_html, "text/html")
    return message
