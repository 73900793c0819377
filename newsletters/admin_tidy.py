"""Small comforts of the admin: the login-lockout tables for superusers only, and an
issue's series chosen from the list or typed new.

`restrict_axes_admin()` runs from NewslettersConfig.ready(), after the admin has
imported every app's admin module (django-axes registers its tables there).
"""

from django import forms
from django.contrib import admin

from .admin_publishing import IssueAdminForm
from .models import DatePrecision, Issue, Series


def counted(n: int, noun: str) -> str:
    """ "1 key figure", "2 key figures" (English plurals with an s suffice here)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


class SuperuserOnly:
    """A ModelAdmin mixin: invisible and unreachable for anyone but a superuser."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_delete_permission(request, obj)


def restrict_axes_admin(site=admin.site) -> None:
    """Re-register django-axes' tables (attempts, lockouts, logs) for superusers only:
    editors and publishers have no business with other people's login failures."""
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label != "axes":
            continue
        restricted = type(
            f"SuperuserOnly{type(model_admin).__name__}", (SuperuserOnly, type(model_admin)), {}
        )
        site.unregister(model)
        site.register(model, restricted)


class IssueForm(IssueAdminForm):
    """The issue form: the series from the list, or a new one typed in `new_series`."""

    new_series = forms.CharField(
        label="or a new series",
        max_length=Series._meta.get_field("title").max_length,
        required=False,
        help_text="Type a series title to create it (an existing title is reused).",
    )

    class Meta:
        model = Issue
        fields = ["series"]  # the admin passes the fieldsets' fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "series" in self.fields:
            self.fields["series"].required = False
        # The date's precision may be left out (a day is assumed), as before it existed.
        if "date_precision" in self.fields:
            self.fields["date_precision"].required = False
            key = self.add_prefix("date_precision")
            if self.is_bound and not self.data.get(key):
                # Left out means a day, for has_changed() too: a form that leaves it out
                # of an issue dated to the day changes nothing (an Editor's save of the
                # inlines alone must not become a pending change of the issue).
                self.data = self.data.copy()
                self.data[key] = DatePrecision.DAY

    def clean_date_precision(self):
        return self.cleaned_data.get("date_precision") or DatePrecision.DAY

    def clean(self):
        cleaned = super().clean()
        typed = " ".join(cleaned.get("new_series", "").split())
        if typed:
            # The typed title wins over the list; an existing title (any case) is reused.
            cleaned["series"] = Series.objects.filter(title__iexact=typed).first() or Series(
                title=typed
            )
        elif "series" in self.fields and not cleaned.get("series"):
            self.add_error("series", "Choose a series or type a new one.")
        return cleaned

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        series = self.cleaned_data.get("series")
        if series is not None and series.pk is None:
            # A series still to create: nothing of it to check against the table yet.
            exclusions.add("series")
        return exclusions

    @property
    def series_to_create(self):
        series = getattr(self, "cleaned_data", {}).get("series")
        return series if series is not None and series.pk is None else None


class NewSeriesMixin:
    """For IssueAdmin: IssueForm, and a typed series created with the issue itself,
    only once the form and all its inlines are valid (save_model runs after both)."""

    form = IssueForm

    def save_model(self, request, obj, form, change):
        series = getattr(form, "series_to_create", None)
        if series is not None:
            series.save()
            obj.series = series
        super().save_model(request, obj, form, change)
