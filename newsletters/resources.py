"""Spreadsheet import/export (django-import-export) for key figures.

One row per figure: the issue by its slug, then label, value, unit, note and position.
A row is found again by (issue, label), so importing the same sheet twice changes
nothing: unchanged rows are skipped, which needs `skip_diff = False` to compare them.
"""

from import_export import fields
from import_export.widgets import NumberWidget

from core.spreadsheets import AllOrNothingResource, NaturalKeyWidget

from .figures import PERCENT, exact_figure, parse_figure
from .models import Issue, KeyFigure
from .roles import can_publish


class FigureWidget(NumberWidget):
    """A key-figure value as printed ("7,801", "12.5", "37%"); empty stays empty. The
    percent sign goes to the unit column (KeyFigureResource.before_import_row)."""

    def clean(self, value, row=None, **kwargs):
        try:
            return parse_figure(value).value
        except ValueError as exc:
            raise ValueError(str(exc)) from None

    def render(self, value, obj=None, **kwargs):
        return exact_figure(value) or ""


class KeyFigureResource(AllOrNothingResource):
    issue = fields.Field(
        attribute="issue",
        column_name="issue",
        widget=NaturalKeyWidget(Issue, "slug", "issue with the slug"),
    )
    value = fields.Field(attribute="value", column_name="value", widget=FigureWidget())

    class Meta:
        model = KeyFigure
        fields = ("issue", "label", "value", "unit", "note", "position")
        export_order = fields
        import_id_fields = ("issue", "label")
        skip_unchanged = True
        skip_diff = False
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # A sheet cannot change a published issue's figures behind a Publisher's back:
        # for an Editor such a row is an error, and so the whole sheet writes nothing.
        user = kwargs.get("user")
        issue = instance.issue if instance.issue_id else None
        published = issue is not None and issue.status == Issue.Status.PUBLISHED
        if published and user is not None and not can_publish(user):
            raise ValueError(
                f"“{issue}” is published: its key figures are changed by a Publisher, or "
                "one at a time in the admin as pending changes."
            )

    def before_import_row(self, row, **kwargs):
        # "37%" in the value column: 37, with "%" as the unit when the sheet gives none.
        value = row.get("value")
        percent = isinstance(value, str) and value.strip().endswith(PERCENT)
        if percent and not str(row.get("unit") or "").strip():
            row["unit"] = PERCENT
