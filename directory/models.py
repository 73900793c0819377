"""Directory models: Country, Office (with its e-mail addresses), Person, Hotline.

Each e-mail address, person and hotline number is stored once, however many issues
print it; `last_seen_in` remembers the newest published issue that confirmed it. Every save
through the admin or a spreadsheet import keeps a revision (django-simple-history); the
archive importer's bulk writes do not, by design of bulk_create/bulk_update.

Entries found by the importer are *proposed*: `listed_in` records every issue that prints
them, and they are public only while one of those issues is live. Entries staff create
or edit (admin, spreadsheet) are not proposed and are public at once. `Model.objects
.public()` is the one definition of the public set, used by every public page and file.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from .phones import digits_key, tel_href, to_e164


class Country(models.Model):
    name = models.CharField(max_length=100, unique=True)
    code = models.CharField(
        "ISO 3166 alpha-2 code", max_length=2, unique=True, help_text="Two capital letters: KZ"
    )
    slug = models.SlugField(max_length=100, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="country_code_alpha2"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = (self.code or "").upper()
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:country", kwargs={"slug": self.slug})


class ListedQuerySet(models.QuerySet):
    def public(self, now=None):
        """Entries staff entered, and proposed ones that a live issue lists."""
        from newsletters.models import Issue

        through = self.model.listed_in.through
        own = self.model._meta.model_name  # the through table's column to this model
        listed_live = through.objects.filter(
            **{own: OuterRef("pk")}, issue__in=Issue.objects.published(now).values("pk")
        )
        return self.filter(Q(proposed=False) | Exists(listed_live))


class Listed(models.Model):
    """Abstract: an entry the importer may propose, and the issues that list it."""

    proposed = models.BooleanField(
        default=False,
        editable=False,
        help_text="Found in an imported issue and not yet confirmed by staff: public only "
        "while an issue that lists it is published. Saving it in the admin confirms it.",
    )
    listed_in = models.ManyToManyField(
        "newsletters.Issue",
        blank=True,
        editable=False,
        related_name="+",
        help_text="The issues that print this entry.",
    )

    objects = ListedQuerySet.as_manager()

    class Meta:
        abstract = True


class SeenInIssue(Listed):
    """Abstract: the newest published issue that printed this entry."""

    last_seen_in = models.ForeignKey(
        "newsletters.Issue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The newest published issue that printed this entry.",
    )

    class Meta:
        abstract = True


class Office(SeenInIssue):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="offices")
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="office_unique_per_country"),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})"

    @property
    def website_href(self) -> str:
        """The website as a link target, only when it is http(s): spreadsheet imports and
        the ORM skip URLField validation, and a javascript: URL must never become a link."""
        url = (self.website or "").strip()
        return url if url.lower().startswith(("http://", "https://")) else ""


class OfficeEmail(Listed):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(unique=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "address"]
        verbose_name = "e-mail address"
        verbose_name_plural = "e-mail addresses"

    def __str__(self):
        return self.address

    def save(self, *args, **kwargs):
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)


class Person(SeenInIssue):
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=300, blank=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    phones = models.TextField(blank=True, help_text="One number per line, as printed.")
    email = models.EmailField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="person_unique_email"
            ),
            models.UniqueConstraint(fields=["name", "country"], name="person_unique_name"),
        ]

    def __str__(self):
        return f"{self.name}, {self.role}" if self.role else self.name

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def phone_list(self) -> list[str]:
        return [line.strip() for line in self.phones.splitlines() if line.strip()]


class Hotline(SeenInIssue):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="hotlines")
    number = models.CharField("number as printed", max_length=40)
    e164 = models.CharField(
        "E.164", max_length=20, blank=True, help_text="Filled in automatically where possible."
    )
    digits = models.CharField(max_length=20, unique=True, editable=False)
    note = models.CharField(max_length=200, blank=True, help_text="For example: landlines")
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "position", "number"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(digits=""), name="hotline_has_digits"),
        ]

    def __str__(self):
        return f"{self.number} ({self.country.code})" if self.country_id else self.number

    def save(self, *args, **kwargs):
        self.number = self.number.strip()
        self.digits = digits_key(self.number)
        if not self.e164 and self.country_id:
            self.e164 = to_e164(self.number, self.country.code)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # Validation (full_clean, spreadsheet imports) checks constraints on digits.
        self.digits = digits_key(self.number.strip())

    @property
    def tel(self) -> str:
        return tel_href(self.number, self.e164)
