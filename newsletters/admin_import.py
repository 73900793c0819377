"""The admin's "Import archive" page: upload, preview (a dry run), confirm.

Upload -> the files are checked by a form, stored server-side under
`import-uploads/<token>/` in the default storage, and a dry run of the importer shows
what each file would give. Confirm -> the same files are imported for real, deleted,
and the editor lands on the issue list with a summary. The browser only ever holds the
random token; the stored paths live in the session, so a form cannot point the importer
at a file of its choosing.
"""

from __future__ import annotations

import dataclasses
import secrets
import shutil
import tempfile
from collections import Counter
from pathlib import Path, PurePath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.text import get_valid_filename
from django.views.generic import FormView

from .importing.batch import import_sources
from .importing.loader import limits_from_settings
from .importing.overrides import OverrideError, Overrides, period_text
from .importing.reader import TEXT_SUFFIXES, iter_sources, read_bytes, zip_contents
from .roles import can_publish

SESSION_KEY = "newsletters_import"
UPLOAD_DIR = "import-uploads"
UPLOAD_KEY_PATTERN = r"^[A-Za-z0-9_-]{20,64}$"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A FileField that accepts several files and cleans to a list of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.md,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data] or [one(None, initial)]
        return [one(data, initial)]


class ImportArchiveForm(forms.Form):
    files = MultipleFileField(
        label="Archive files",
        help_text="Text issues (.txt, .md) or .zip archives of them; several at once.",
    )
    series = forms.CharField(
        required=False,
        max_length=200,
        help_text="Series name for files that do not print one.",
    )
    layout = forms.ChoiceField(
        choices=[
            ("auto", "Automatic"),
            ("sections", "Without section detection"),
            ("one-story", "One story per file"),
        ],
        initial="auto",
        required=False,  # left out: automatic
        help_text="How the files are split into sections and stories, when the automatic "
        "layout gets a file wrong.",
    )
    accept_low_confidence = forms.BooleanField(
        required=False,
        label="Import files that need review",
        help_text="Files the importer is unsure about (shown in red) are otherwise not imported.",
    )
    replace = forms.BooleanField(
        required=False,
        label="Replace even with much shorter versions",
        help_text="A new version that removes more than a third of an issue's words, stories "
        "or key figures is otherwise refused.",
    )
    publish = forms.BooleanField(
        required=False, help_text="Publish the imported issues now (default: drafts to review)."
    )

    def __init__(self, *args, can_publish=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish:
            # Editors import drafts only: publishing is the Publisher role's.
            del self.fields["publish"]

    def clean_files(self):
        files = self.cleaned_data["files"]
        problems = []
        for upload in files:
            suffix = PurePath(upload.name).suffix.lower()
            if suffix == ".zip":
                limit = settings.IMPORT_MAX_ZIP_BYTES
            elif suffix in TEXT_SUFFIXES:
                limit = settings.IMPORT_MAX_FILE_BYTES
            else:
                problems.append(f"{upload.name}: not a .txt, .md or .zip file.")
                continue
            if upload.size > limit:
                problems.append(
                    f"{upload.name}: {filesizeformat(upload.size)}, "
                    f"over the {filesizeformat(limit)} limit."
                )
        if problems:
            raise forms.ValidationError(problems)
        self._check_batch_size(files)
        return files

    @staticmethod
    def _check_batch_size(files) -> None:
        """The page parses every file for its preview and again to import it, within one
        request each: past a few hundred files or megabytes of text that is no longer
        seconds (about 2 MB of text or 80 files a second on two cores), and a worker
        held that long stops answering visitors. Bigger batches belong to the command
        line, which streams them."""
        count, size = 0, 0
        for upload in files:
            if PurePath(upload.name).suffix.lower() == ".zip":
                found = zip_contents(upload)
                upload.seek(0)
                if found is not None:
                    count, size = count + found[0], size + found[1]
            else:
                count, size = count + 1, size + upload.size
        max_files, max_bytes = settings.ADMIN_IMPORT_MAX_FILES, settings.ADMIN_IMPORT_MAX_TEXT_BYTES
        if count > max_files or size > max_bytes:
            raise forms.ValidationError(
                f"This upload holds {count} text files ({filesizeformat(size)}); this page "
                f"takes at most {max_files} files and {filesizeformat(max_bytes)} of text at "
                "once, so that each step answers within seconds. Upload the archive in "
                "parts, or import it from the command line: manage.py import_newsletters "
                "ARCHIVE.zip --dry-run, then the same without --dry-run (add --jobs 2 on "
                "PostgreSQL).",
                code="too_big",
            )


class ConfirmImportForm(forms.Form):
    token = forms.RegexField(regex=UPLOAD_KEY_PATTERN, widget=forms.HiddenInput)

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def clean_token(self):
        token = self.cleaned_data["token"]
        pending = (self.session.get(SESSION_KEY) or {}) if self.session is not None else {}
        if pending.get("token") != token:
            raise forms.ValidationError(
                "This import is no longer waiting for confirmation. Upload the files again."
            )
        self.pending = pending
        return token


class FileMetadataForm(forms.Form):
    """Series, volume, number, date and title of one previewed file, editable before
    confirming."""

    series = forms.CharField(required=False, max_length=200)
    volume = forms.CharField(required=False, max_length=12, help_text="4 or IV; empty: none")
    number = forms.CharField(required=False, max_length=6)
    date = forms.CharField(
        required=False, max_length=10, help_text="YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY"
    )
    title = forms.CharField(required=False, max_length=300)

    def clean(self):
        data = super().clean()
        try:
            self.overrides = Overrides.from_text(**{k: data.get(k) or "" for k in self.fields})
        except OverrideError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data

    def changed_overrides(self, initial: dict) -> Overrides:
        """Only what the editor changed: untouched fields leave the file's own values."""
        given, changed = self.overrides, {}
        for name in ("series", "volume", "number", "title", "date"):
            if (self.cleaned_data.get(name) or "").strip() != (initial.get(name) or ""):
                changed[name] = getattr(given, name)
                if name == "date":
                    changed["date_precision"] = given.date_precision
        return Overrides(**changed)


def _metadata_initial(parsed) -> dict:
    return {
        "series": parsed.series or "",
        "volume": parsed.volume or "",
        "number": str(parsed.number) if parsed.number else "",
        "date": period_text(parsed.date, parsed.date_precision),
        "title": parsed.title or "",
    }


# --- stored uploads ------------------------------------------------------------------


def _store_uploads(files) -> dict:
    token = secrets.token_urlsafe(24)
    stored = []
    for index, upload in enumerate(files):
        safe = get_valid_filename(PurePath(upload.name).name) or "upload"
        name = default_storage.save(f"{UPLOAD_DIR}/{token}/{index:03d}-{safe}", upload)
        stored.append({"label": PurePath(upload.name).name, "stored": name})
    return {"token": token, "files": stored}


def _discard(pending: dict | None) -> None:
    for item in (pending or {}).get("files", []):
        # Only names this module wrote, under its own folder, are ever deleted.
        name = item.get("stored", "")
        if name.startswith(f"{UPLOAD_DIR}/") and ".." not in PurePath(name).parts:
            default_storage.delete(name)


def _sources(pending: dict):
    """The stored uploads as reader sources, labelled with the names the editor gave them."""
    limits = limits_from_settings()
    for item in pending["files"]:
        label, name = item["label"], item["stored"]
        if not label.lower().endswith(".zip"):
            with default_storage.open(name, "rb") as fh:
                raw = fh.read(limits.max_file_bytes + 1)
            yield read_bytes(label, raw, limits)
            continue
        # The zip reader works on a path: copy to a private temporary folder first.
        with tempfile.TemporaryDirectory(prefix="newsletters-import-") as tmp:
            local = Path(tmp) / "upload.zip"
            with default_storage.open(name, "rb") as src, local.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            prefix = str(local)
            for source in iter_sources([local], limits):
                yield dataclasses.replace(source, path=label + source.path[len(prefix) :])


# --- views ---------------------------------------------------------------------------


class _ImportViewMixin:
    model_admin = None

    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        opts = self.model_admin.model._meta
        context = {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": "Import archive",
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        }
        return super().get_context_data(**{**context, **kwargs})


def _batch_options(pending: dict, user) -> dict:
    return {
        "series": pending.get("series") or None,
        "publish": bool(pending.get("publish")) and can_publish(user),
        "layout": pending.get("layout") or "auto",
        "accept_low_confidence": bool(pending.get("accept_low_confidence")),
        "replace": bool(pending.get("replace")),
    }


class ImportArchiveView(_ImportViewMixin, FormView):
    """Upload form; a valid upload answers with the preview of a dry run."""

    form_class = ImportArchiveForm
    template_name = "admin/newsletters/import_archive.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "can_publish": can_publish(self.request.user)}

    def form_valid(self, form):
        _discard(self.request.session.get(SESSION_KEY))  # one pending import per session
        pending = _store_uploads(form.cleaned_data["files"])
        data = form.cleaned_data
        pending["series"] = data["series"].strip()
        pending["publish"] = bool(data.get("publish")) and can_publish(self.request.user)
        pending["layout"] = data["layout"] or "auto"
        pending["accept_low_confidence"] = data["accept_low_confidence"]
        pending["replace"] = data["replace"]
        # In the session before the dry run: whatever happens, the uploads stay findable
        # and are deleted by the next upload or the confirmation.
        self.request.session[SESSION_KEY] = pending
        return render_preview(self, pending)


def render_preview(view, pending: dict, metadata_forms: dict | None = None, status: int = 200):
    """Run the dry run of a pending import and show it, each file with its metadata form
    (bound to what the editor typed when ``metadata_forms`` is given, after an error)."""
    per_file = {}
    if metadata_forms:
        per_file = {
            label: form.changed_overrides(pending["initial"].get(label, {}))
            for label, form in metadata_forms.items()
            if form.is_valid()
        }
    reports = list(
        import_sources(
            _sources(pending),
            dry_run=True,
            preview_directory=True,
            per_file=per_file,
            **_batch_options(pending, view.request.user),
        )
    )
    if metadata_forms is None:
        # What each file gives on its own: the baseline a later edit is compared with.
        pending["initial"] = {
            r.path: _metadata_initial(r.parsed) for r in reports if r.parsed is not None
        }
        pending["order"] = [r.path for r in reports]
        view.request.session[SESSION_KEY] = pending
    for index, report in enumerate(reports):
        if report.parsed is None:
            continue
        prefix = f"file-{index}"
        report.metadata_form = (metadata_forms or {}).get(report.path) or FileMetadataForm(
            prefix=prefix, initial=pending["initial"].get(report.path, {})
        )
    context = view.get_context_data(
        form=ImportArchiveForm(can_publish=can_publish(view.request.user)),
        reports=reports,
        pending=pending,
        confirm_form=ConfirmImportForm(initial={"token": pending["token"]}),
        title="Import archive: preview",
        error_count=sum(r.status == "error" for r in reports),
        review_count=sum(r.needs_review for r in reports),
        importable=sum(r.status == "ok" and r.outcome in ("created", "updated") for r in reports),
    )
    return view.render_to_response(context, status=status)


class ImportConfirmView(_ImportViewMixin, FormView):
    """Runs the previewed import for real, then back to the issue list."""

    form_class = ConfirmImportForm
    template_name = "admin/newsletters/import_archive.html"
    http_method_names = ["post"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "session": self.request.session}

    def form_invalid(self, form):
        context = self.get_context_data(form=ImportArchiveForm(), confirm_errors=form.errors)
        return self.render_to_response(context, status=400)

    def _metadata_forms(self, pending: dict) -> dict:
        """The per-file forms of the confirmed preview, by file label. Prefixes follow the
        preview's order of files; the labels themselves come from the session only."""
        initial = pending.get("initial", {})
        return {
            label: FileMetadataForm(self.request.POST, prefix=f"file-{index}")
            for index, label in enumerate(pending.get("order", []))
            if label in initial
        }

    def form_valid(self, form):
        pending = form.pending
        metadata_forms = self._metadata_forms(pending)
        if any(not f.is_valid() for f in metadata_forms.values()):
            return render_preview(self, pending, metadata_forms, status=400)
        per_file = {
            label: f.changed_overrides(pending.get("initial", {}).get(label, {}))
            for label, f in metadata_forms.items()
        }
        counts: Counter = Counter()
        try:
            for report in import_sources(
                _sources(pending), per_file=per_file, **_batch_options(pending, self.request.user)
            ):
                if report.status == "error":
                    counts["errors"] += 1
                    messages.error(self.request, f"{report.path}: {report.error}")
                    continue
                counts[report.outcome] += 1
                if report.outcome in ("skipped", "refused", "needs review"):
                    messages.warning(self.request, f"{report.path}: {report.result.message}")
        finally:
            _discard(pending)
            self.request.session.pop(SESSION_KEY, None)
        messages.success(
            self.request,
            f"Import finished: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['skipped']} skipped, "
            f"{counts['refused']} refused, {counts['needs review']} needing review, "
            f"{counts['errors']} with errors.",
        )
        return HttpResponseRedirect(reverse("admin:newsletters_issue_changelist"))


def import_urls(model_admin) -> list:
    """URL patterns for IssueAdmin.get_urls()."""
    site = model_admin.admin_site
    return [
        path(
            "import/",
            site.admin_view(ImportArchiveView.as_view(model_admin=model_admin)),
            name="newsletters_issue_import",
        ),
        path(
            "import/confirm/",
            site.admin_view(ImportConfirmView.as_view(model_admin=model_admin)),
            name="newsletters_issue_import_confirm",
        ),
    ]
