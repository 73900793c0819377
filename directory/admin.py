"""Admin for the directory, filterable by country, with revisions and spreadsheets.

Every page has a history (restore, compare: core.history.HistoryAdmin) and
Import/Export buttons (django-import-export: CSV, XLSX, JSON, with a preview before
anything is written; see directory/resources.py for how rows are matched).
"""

from django.contrib import admin

from core.history import HistoryAdmin
from core.spreadsheets import SpreadsheetMixin

from .admin_workbook import workbook_urls
from .models import Country, Hotline, Office, OfficeEmail, Person
from .resources import CountryResource, HotlineResource, OfficeResource, PersonResource


class SpreadsheetAdmin(SpreadsheetMixin, HistoryAdmin):
    """Revisions and spreadsheets; exports escape formulae (core/spreadsheets.py)."""

    # Saving an entry here confirms it: a proposal from an imported issue becomes public
    # at once, as anything staff enter directly does (directory/models.py).
    def save_model(self, request, obj, form, change):
        if hasattr(obj, "proposed"):
            obj.proposed = False
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if hasattr(inline_form.instance, "proposed") and inline_form.has_changed():
                inline_form.instance.proposed = False
        super().save_formset(request, form, formset, change)


@admin.register(Country)
class CountryAdmin(SpreadsheetAdmin):
    resource_classes = [CountryResource]
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    change_list_template = "admin/directory/country/change_list.html"

    def get_urls(self):
        # The whole directory as one workbook: /admin/directory/country/workbook/
        return workbook_urls(self) + super().get_urls()


class OfficeEmailInline(admin.TabularInline):
    model = OfficeEmail
    fields = ["address", "position"]
    extra = 1


@admin.register(Office)
class OfficeAdmin(SpreadsheetAdmin):
    resource_classes = [OfficeResource]
    list_display = ["name", "country", "email_list", "last_seen_in", "proposed"]
    list_filter = ["country", "proposed"]
    list_select_related = ["country", "last_seen_in"]
    search_fields = ["name", "emails__address"]
    autocomplete_fields = ["last_seen_in"]
    inlines = [OfficeEmailInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("emails")

    @admin.display(description="e-mails")
    def email_list(self, obj):
        return ", ".join(e.address for e in obj.emails.all())


@admin.register(Person)
class PersonAdmin(SpreadsheetAdmin):
    resource_classes = [PersonResource]
    list_display = ["name", "role", "country", "email", "last_seen_in", "proposed"]
    list_filter = ["country", "proposed"]
    list_select_related = ["country", "last_seen_in"]
    search_fields = ["name", "role", "email", "phones"]
    autocomplete_fields = ["last_seen_in"]


@admin.register(Hotline)
class HotlineAdmin(SpreadsheetAdmin):
    resource_classes = [HotlineResource]
    list_display = ["number", "e164", "country", "note", "last_seen_in", "proposed"]
    list_filter = ["country", "proposed"]
    list_select_related = ["country", "last_seen_in"]
    search_fields = ["number", "e164", "note"]
    autocomplete_fields = ["last_seen_in"]
    fields = ["country", "number", "e164", "note", "position", "last_seen_in", "proposed"]
    readonly_fields = ["proposed"]
