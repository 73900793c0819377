"""Spreadsheet import/export of subscribers (django-import-export).

Rows are matched by e-mail address (lower-cased, as stored). Every imported row must
say where its consent comes from (`consent_source`): a list nobody agreed to join must
not be loaded. An invalid address, a missing consent source or an unknown series is a
row error, and a sheet with any row error writes nothing (AllOrNothingResource).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields
from import_export.widgets import ManyToManyWidget

from core.spreadsheets import AllOrNothingResource
from newsletters.models import Series

from .models import Subscriber


class SeriesWidget(ManyToManyWidget):
    """Series by slug, separated by commas; an unknown slug is a row error."""

    def __init__(self):
        super().__init__(Series, separator=",", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split(",") if s.strip()]
        found = list(Series.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {s.slug for s in found})
        if missing:
            raise ValueError(f"No series with the slug {', '.join(missing)}.")
        return found


class SubscriberResource(AllOrNothingResource):
    series = fields.Field(attribute="series", column_name="series", widget=SeriesWidget())

    class Meta:
        model = Subscriber
        fields = (
            "email", "name", "language", "series", "status",
            "consent_at", "consent_source", "consent_ip", "confirmed_at",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ("email",)
        skip_unchanged = True
        skip_diff = False
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def before_import_row(self, row, **kwargs):
        for name in ("email", "name", "language", "status", "consent_source", "consent_ip"):
            if name in row:
                row[name] = "" if row[name] is None else str(row[name]).strip()
        row["email"] = row.get("email", "").lower()
        # Imported people were asked elsewhere: they are confirmed unless the sheet says.
        row["status"] = row.get("status") or Subscriber.Status.CONFIRMED
        row["language"] = row.get("language") or "en"
        row["consent_ip"] = row.get("consent_ip") or None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # Many-to-many values are saved after validation; checked here, an unknown series
        # is a row error beside the others instead of a failure while saving.
        if "series" in row:
            try:
                self.fields["series"].clean(row)
            except ValueError as exc:
                errors.setdefault("series", []).append(str(exc))
        if not (instance.consent_source or "").strip():
            errors.setdefault("consent_source", []).append(
                "Say where this person's consent comes from."
            )
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        instance.consent_at = instance.consent_at or now
        if instance.status == Subscriber.Status.CONFIRMED:
            instance.confirmed_at = instance.confirmed_at or now
