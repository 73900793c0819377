"""The directory workbook page of the admin: download the whole directory as one XLSX,
upload a workbook (or directory.csv) to import everything at once (directory/workbook.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from .models import Country, Hotline, Office, Person
from .workbook import MAX_BYTES, WorkbookError, export_workbook, import_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may(request, action: str) -> bool:
    return all(
        request.user.has_perm(f"directory.{action}_{model._meta.model_name}")
        for model in (Country, Office, Person, Hotline)
    )


def workbook_urls(model_admin) -> list:
    """URL patterns for CountryAdmin.get_urls(): /admin/directory/country/workbook/."""
    site = model_admin.admin_site

    def workbook(request):
        if not _may(request, "view"):
            raise PermissionDenied
        if request.GET.get("download"):
            response = HttpResponse(export_workbook(), content_type=XLSX)
            response["Content-Disposition"] = 'attachment; filename="directory.xlsx"'
            return response
        reports, error = None, None
        if request.method == "POST":
            if not (_may(request, "add") and _may(request, "change")):
                raise PermissionDenied
            upload = request.FILES.get("file")
            if upload is None:
                error = "Choose a file to import."
            elif upload.size > MAX_BYTES:
                error = "The file is larger than 10 MB."
            else:
                try:
                    reports = import_workbook(
                        upload.name, upload.read(), dry_run=bool(request.POST.get("dry_run"))
                    )
                except WorkbookError as exc:
                    error = str(exc)
            if reports is not None and not any(r.errors for r in reports):
                done = "checked (nothing written)" if request.POST.get("dry_run") else "imported"
                messages.success(request, f"The workbook was {done}.")
            elif reports is not None:
                error = "Nothing was imported: correct the rows below and upload again."
        context = {
            **site.each_context(request),
            "title": "Directory workbook",
            "opts": model_admin.model._meta,
            "reports": reports,
            "error": error,
        }
        return TemplateResponse(request, "admin/directory/workbook.html", context)

    return [path("workbook/", site.admin_view(workbook), name="directory_workbook")]
