"""Spreadsheet import/export (django-import-export) for key figures.

One row per figure: the issue by its slug, then label, value, unit, note and position.
A row is found again by (issue, label), so importing the same sheet twice changes
nothing: unchanged rows are skipped, which needs `skip_diff = False` to compare them.
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import Issue, KeyFigure


class KeyFigureResource(resources.ModelResource):
    issue = fields.Field(
        attribute="issue", column_name="issue", widget=ForeignKeyWidget(Issue, field="slug")
    )

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
