"""Spreadsheet import/export (django-import-export) for the directory.

Rows are matched by natural keys, never by database ids, so a sheet from another
installation imports cleanly: countries by ISO code, offices by country and name,
people by e-mail (or, without one, by name and country), hotlines by their digits.
Unchanged rows are skipped (`skip_unchanged`, which needs `skip_diff = False`), so
importing the same sheet twice writes nothing and adds no revision.
"""

from django.utils.text import slugify
from import_export import fields

from core.spreadsheets import AllOrNothingResource, NaturalKeyWidget, WholeNumberWidget

from .models import Country, Hotline, Office, OfficeEmail, Person
from .phones import digits_key


class _Options:
    skip_unchanged = True
    skip_diff = False
    report_skipped = True
    clean_model_instances = True
    use_transactions = True


def _country_field(**kwargs):
    return fields.Field(
        attribute="country",
        column_name="country",
        widget=NaturalKeyWidget(Country, "code", "country with the ISO code"),
        **kwargs,
    )


def _cell(row, name) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


class DirectoryResource(AllOrNothingResource):
    """Empty cells come back from XLSX and JSON as None; text fields want ""."""

    text_columns: tuple[str, ...] = ()

    def before_import_row(self, row, **kwargs):
        for name in self.text_columns:
            if name in row:
                row[name] = _cell(row, name)

    def before_save_instance(self, instance, row, **kwargs):
        # A sheet staff import is staff's word: its entries are public at once.
        if hasattr(instance, "proposed"):
            instance.proposed = False
        super().before_save_instance(instance, row, **kwargs)


class CountryResource(DirectoryResource):
    text_columns = ("code", "name")

    class Meta(_Options):
        model = Country
        fields = ("code", "name")
        export_order = fields
        import_id_fields = ("code",)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if "code" in row:
            row["code"] = row["code"].upper()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # Country.save() would fill it, but validation (before saving) needs it already.
        if not instance.slug:
            instance.slug = slugify(instance.name)


class OfficeResource(DirectoryResource):
    text_columns = ("name", "website", "emails")
    country = _country_field()
    # Written by after_save_instance: the addresses are rows of their own table.
    emails = fields.Field(column_name="emails", attribute=None)

    class Meta(_Options):
        model = Office
        fields = ("country", "name", "website", "emails")
        export_order = fields
        import_id_fields = ("country", "name")

    def get_queryset(self):
        return super().get_queryset().select_related("country").prefetch_related("emails")

    def dehydrate_emails(self, office):
        return ", ".join(e.address for e in office.emails.all())

    @staticmethod
    def _row_emails(row) -> list[str]:
        parts = _cell(row, "emails").replace(";", ",").split(",")
        return list(dict.fromkeys(p.strip().lower() for p in parts if p.strip()))

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        if "emails" not in row:
            return True
        stored = [] if original.pk is None else [e.address for e in original.emails.all()]
        return stored == self._row_emails(row)

    def after_save_instance(self, instance, row, **kwargs):
        if (
            "emails" not in row
            or self._is_dry_run(kwargs)
            and not self._is_using_transactions(kwargs)
        ):
            return
        wanted = self._row_emails(row)
        instance.emails.exclude(address__in=wanted).delete()
        for position, address in enumerate(wanted):
            OfficeEmail.objects.update_or_create(
                address=address,
                defaults={"office": instance, "position": position, "proposed": False},
            )


class PersonResource(DirectoryResource):
    text_columns = ("name", "role", "phones", "email")
    country = _country_field()

    class Meta(_Options):
        model = Person
        fields = ("name", "role", "country", "phones", "email")
        export_order = fields
        import_id_fields = ("email",)

    def get_queryset(self):
        return super().get_queryset().select_related("country")

    def get_instance(self, instance_loader, row):
        email = _cell(row, "email").lower()
        if email:
            found = Person.objects.filter(email__iexact=email).first()
            if found is not None:
                return found
        code = _cell(row, "country").upper()
        return Person.objects.filter(
            name=_cell(row, "name"), **({"country__code": code} if code else {"country": None})
        ).first()

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        # Stored in lower case (Person.save): compared the same way, or every row "changes".
        if "email" in row:
            row["email"] = row["email"].lower()


class HotlineResource(DirectoryResource):
    text_columns = ("number", "e164", "note")
    country = _country_field()
    position = fields.Field(
        attribute="position", column_name="position", widget=WholeNumberWidget()
    )

    class Meta(_Options):
        model = Hotline
        fields = ("country", "number", "e164", "note", "position")
        export_order = fields
        import_id_fields = ("number",)

    def get_queryset(self):
        return super().get_queryset().select_related("country")

    def get_instance(self, instance_loader, row):
        digits = digits_key(_cell(row, "number"))
        return Hotline.objects.filter(digits=digits).first() if digits else None
