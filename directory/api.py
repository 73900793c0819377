"""Read-only JSON of the directory: countries with their offices, hotlines and people."""

from django.http import JsonResponse

from .views import countries_with_entries


def _seen(request, entry):
    issue = entry.last_seen_in
    # A draft's title and address are not public, even as a "last confirmed in".
    if issue is None or not issue.is_live:
        return None
    return {"title": issue.title, "url": request.build_absolute_uri(issue.get_absolute_url())}


def directory(request):
    countries = []
    for country in countries_with_entries():
        countries.append(
            {
                "code": country.code,
                "name": country.name,
                "url": request.build_absolute_uri(country.get_absolute_url()),
                "hotlines": [
                    {
                        "number": h.number,
                        "e164": h.e164 or None,
                        "tel": f"tel:{h.tel}",
                        "note": h.note,
                        "last_confirmed_in": _seen(request, h),
                    }
                    for h in country.hotlines.all()
                ],
                "offices": [
                    {
                        "name": o.name,
                        "website": o.website_href,
                        "emails": [e.address for e in o.emails.all()],
                        "last_confirmed_in": _seen(request, o),
                    }
                    for o in country.offices.all()
                ],
                "people": [
                    {
                        "name": p.name,
                        "role": p.role,
                        "phones": p.phone_list,
                        "email": p.email,
                        "last_confirmed_in": _seen(request, p),
                    }
                    for p in country.people.all()
                ],
            }
        )
    return JsonResponse({"countries": countries})
