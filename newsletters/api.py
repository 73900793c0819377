"""Read-only JSON API of the published issues, as plain Django views.

Only published, due issues exist here, whoever asks: staff preview in the HTML pages.
Every response is built in a fixed number of queries.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .figures import exact_figure
from .markdown import render_markdown
from .models import Issue

PAGE_SIZE = 20


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url)


def issue_summary(request, issue) -> dict:
    return {
        "slug": issue.slug,
        "title": issue.title,
        "series": issue.series.title,
        "number": issue.number,
        "date": issue.publication_date.isoformat() if issue.publication_date else None,
        "url": _absolute(request, issue.get_absolute_url()),
        "api_url": _absolute(request, reverse("newsletters:api_issue", args=[issue.slug])),
    }


def issue_list(request):
    issues = Issue.objects.published().select_related("series").newest_first()
    paginator = Paginator(issues, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such page.") from exc

    def page_url(number):
        return _absolute(request, f"{request.path}?page={number}")

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "results": [issue_summary(request, issue) for issue in page],
        }
    )


def _photo(request, photo) -> dict:
    return {
        "url": _absolute(request, photo.image.url) if photo.image else None,
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text or photo.caption,
    }


def _story(request, issue, story) -> dict:
    return {
        "slug": story.slug,
        "title": story.title,
        "url": _absolute(request, reverse("newsletters:story", args=[issue.slug, story.slug])),
        "countries": [c.code for c in story.countries.all()],
        "markdown": story.body,
        "html": str(render_markdown(story.body)),
        "photos": [_photo(request, photo) for photo in story.photos.all()],
    }


def issue_detail(request, slug):
    issue = get_object_or_404(Issue.objects.published().with_contents(), slug=slug)
    data = issue_summary(request, issue)
    data["summary"] = issue.summary
    data["sections"] = [
        {
            "title": section.title,
            "anchor": section.anchor,
            "stories": [_story(request, issue, story) for story in section.stories.all()],
        }
        for section in issue.sections.all()
    ]
    # Values as exact decimal strings ("1650", "12.5"): a JSON number would be a float to
    # most readers. A figure still to be filled in is left out.
    data["key_figures"] = [
        {"label": f.label, "value": exact_figure(f.value), "unit": f.unit, "note": f.note}
        for f in issue.key_figures.all()
        if f.value is not None
    ]
    data["directory"] = issue.directory_snapshot or {}
    return JsonResponse(data)

