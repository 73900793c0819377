"""Publication models: Series, Issue, Section, Story, Photo, KeyFigure.

Publishing follows Wagtail's fields in spirit: an issue is a draft or published, and a
published issue with a future `go_live_at` stays hidden until then, so scheduling
needs no cron job.

Every save of an issue, section, story, photo and key figure keeps a revision
(django-simple-history), with who made it when the change came through a request.
Publishing is a permission of its own (`newsletters.publish_issue`), held by the
Publisher group and not by the Editor group (see newsletters/roles.py).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from .contents import clear_contents
from .figures import DECIMAL_PLACES, MAX_DIGITS, figure_with_unit, format_figure
from .images import CleanImageField, delete_after_commit, make_renditions, rendition_names
from .markdown import markdown_digest, render_markdown, validate_body_length
from .querysets import IssueQuerySet, StoryQuerySet


def unique_slug(base: str, taken, max_length: int = 200) -> str:
    """`base` slugified, with -2, -3... appended until `taken(slug)` is False."""
    root = (slugify(base) or "item")[: max_length - 6].strip("-") or "item"
    slug, n = root, 1
    while taken(slug):
        n += 1
        slug = f"{root}-{n}"
    return slug


def slug_among(instance, base: str, **scope) -> str:
    """A slug from `base` that no other row of `instance`'s model with `scope` has."""
    rows = type(instance)._default_manager.filter(**scope).exclude(pk=instance.pk)
    return unique_slug(base, lambda slug: rows.filter(slug=slug).exists())


def next_version(instance, save_kwargs) -> None:
    """Count `instance.version` up for this save. When the caller set `_expected_version`
    (an admin form, a pending change), the count goes up only if the stored version is
    still that one, in one conditional UPDATE; otherwise StaleEdit, and nothing is saved."""
    from .pending import StaleEdit

    if instance._state.adding or instance.pk is None:
        return
    fields = save_kwargs.get("update_fields")
    if fields is not None and "version" not in fields:
        return
    expected = getattr(instance, "_expected_version", None)
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if expected is None:
        instance.version = (instance.version or 0) + 1
        return
    if not rows.filter(version=expected).update(version=expected + 1):
        raise StaleEdit(f"“{instance}” was changed by someone else in the meantime.")
    instance.version = expected + 1
    instance._expected_version = None


class Series(models.Model):
    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slug_among(self, self.title)
        super().save(*args, **kwargs)


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"


def period_label(day, precision: str) -> str:
    """How an issue's date reads at its precision: "5 March 2021", "March 2021",
    "April–June 2021" (a quarter), "2021"."""
    if day is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.QUARTER:
        first = date(day.year, day.month, 1)
        last_month = min(day.month + 2, 12)
        return f"{first:%B}–{date(day.year, last_month, 1):%B} {day.year}"
    if precision == DatePrecision.MONTH:
        return f"{day:%B} {day.year}"
    return f"{day.day} {day:%B} {day.year}"


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="issues")
    number = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    # Many archives start numbering again with every volume ("Volume 4, Number 2"): the
    # volume is part of what tells two issues of a series apart. Arabic digits ("1" for
    # a printed "Vol. I"); empty for a series without volumes.
    volume = models.CharField(
        max_length=20,
        blank=True,
        help_text="The volume the issue belongs to, if its series numbers issues per volume.",
    )
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    publication_date = models.DateField(null=True, blank=True)
    # Many archive issues print a month, a quarter or a year rather than a day: the date is
    # then the period's first day and the precision says how to show it.
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    go_live_at = models.DateTimeField(
        "go-live time",
        null=True,
        blank=True,
        help_text="A published issue stays hidden from the public until this time.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    summary = models.TextField(blank=True)
    # Validated, stripped of metadata and stored under a random name (newsletters/images.py).
    cover_image = CleanImageField(folder="covers", blank=True)

    source_name = models.CharField(
        max_length=300,
        blank=True,
        db_index=True,
        help_text="The archive file this issue was imported from.",
    )
    # Indexed: every imported file is looked up by its hash and its name.
    source_hash = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="SHA-256 of that file."
    )
    import_warnings = models.JSONField(default=list, blank=True)
    dismissed_warnings = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Import warnings an editor has read and dismissed, kept for the record.",
    )
    directory_snapshot = models.JSONField(
        default=dict,
        blank=True,
        help_text="The directory as this issue printed it: offices, hotlines and people.",
    )
    edited_in_admin = models.BooleanField(
        default=False,
        editable=False,
        help_text="Set when staff save the issue: a re-import then no longer overwrites it.",
    )
    # Bumped by every change to what the issue page's body shows: a stored rendering of
    # another version is not used (IssueContents, newsletters/contents.py).
    contents_version = models.PositiveIntegerField(default=0, editable=False)
    directory_pending = models.BooleanField(
        default=False,
        editable=False,
        help_text="Scheduled: its directory applies once it is live (newsletters/publishing.py).",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: every save counts up; a form based on an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = IssueQuerySet.as_manager()
    # updated_at changes on every save and says nothing a revision does not say already.
    # The change reason holds a Publisher's written reason to publish despite problems.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "contents_version"],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        ordering = ["-publication_date", "-number", "-pk"]
        get_latest_by = "publication_date"
        permissions = [("publish_issue", "Can publish, unpublish and schedule issues")]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "volume", "number"],
                condition=models.Q(number__isnull=False),
                name="issue_unique_number_in_volume",
                violation_error_message=(
                    "This series already has an issue with this number and volume."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published"]), name="issue_status_valid"
            ),
            # One issue per imported file, even when two import runs race (issue 10).
            models.UniqueConstraint(
                fields=["source_hash"],
                condition=~models.Q(source_hash=""),
                name="issue_unique_source_hash",
            ),
        ]
        indexes = [models.Index(fields=["status", "publication_date"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from . import publishing

        if not self.slug:
            self.slug = slug_among(self, self.title)
        if self.status == self.Status.PUBLISHED and self.first_published_at is None:
            self.first_published_at = timezone.now()
        was = None
        if not self._state.adding:
            was = getattr(self, "_stored_status", None)
            if was is None:  # an instance built by hand with a pk: ask the database
                stored = Issue.objects.filter(pk=self.pk).values_list("status", flat=True)
                was = stored.first()
        if was is not None and was != self.status == self.Status.PUBLISHED:
            publishing.check_before_publish(self)  # raises PublishBlocked
        next_version(self, kwargs)
        # A replaced or cleared cover stops being served: its file goes with the commit.
        replaced = _replaced_file(self, "cover_image", "_stored_cover")
        # For the save signals: a draft that stays a draft changes nothing public
        # (newsletters/signals.py), so importing drafts bumps no public cache.
        self._status_before_save = was
        super().save(*args, **kwargs)
        delete_after_commit(self.cover_image.storage, [replaced])
        self._stored_cover = _name(self.cover_image)
        if was is not None and self.status != was:
            publishing.status_changed(self, was)
        self._stored_status = self.status

    def get_absolute_url(self):
        return reverse("newsletters:issue", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "cover_image" in instance.__dict__:  # if deferred, _replaced_file asks the DB
            instance._stored_cover = instance.__dict__["cover_image"]
        # The stored status, to tell a change of status on save (see publishing.py).
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def period_label(self) -> str:
        """The printed date at its precision ("March 2021", "April–June 2021"), or ""."""
        return period_label(self.publication_date, self.date_precision)

    @property
    def sort_key(self) -> tuple:
        """Archive order, oldest first: what IssueQuerySet.with_sort_keys computes in SQL.

        An undated issue is older than any dated one; an unnumbered one older than a
        numbered one of the same date.
        """
        return (self.publication_date or date.min, self.number or 0)

    @property
    def is_live(self) -> bool:
        """What the public sees: published and due."""
        return self.status == self.Status.PUBLISHED and (
            self.go_live_at is None or self.go_live_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.go_live_at is not None
            and self.go_live_at > timezone.now()
        )

    def publish(self, at=None, *, reason: str = ""):
        """Publish now, or schedule for `at`. Refused (PublishBlocked) while the pre-publish
        check lists problems, unless `reason` says why it goes out anyway."""
        self.status = self.Status.PUBLISHED
        self.go_live_at = at
        self._publish_reason = reason
        self.save()

    def unpublish(self):
        self.status = self.Status.DRAFT
        self.save()

    def dismiss_warnings(self):
        """Move the import warnings out of sight, keeping them in `dismissed_warnings`."""
        self.dismissed_warnings = [*self.dismissed_warnings, *self.import_warnings]
        self.import_warnings = []
        self.save(update_fields=["import_warnings", "dismissed_warnings", "updated_at"])

    @property
    def filled_key_figures(self) -> list:
        """The key figures the public sees: those filled in (uses the prefetched rows)."""
        return [figure for figure in self.key_figures.all() if figure.value is not None]

    def word_count(self) -> int:
        """Words in the titles and bodies of this issue's stories."""
        return sum(story.word_count() for story in self.stories.all())

    def start_next(self) -> "Issue":
        """A draft of the next number in this series: the same sections, no stories yet,
        and this issue's key figures as labels to fill in: empty (never 0), so they stay
        out of every chart and table and the pre-publish check lists them."""
        from django.db import transaction
        from django.db.models import Max

        with transaction.atomic():
            # Numbers count on within this issue's volume (empty: a series without).
            siblings = Issue.objects.filter(series_id=self.series_id, volume=self.volume)
            number = (siblings.aggregate(n=Max("number"))["n"] or 0) + 1
            volume = f"Vol. {self.volume}, " if self.volume else ""
            issue = Issue.objects.create(
                series_id=self.series_id,
                volume=self.volume,
                number=number,
                title=f"{self.series.title} — {volume}Issue {number}",
                status=self.Status.DRAFT,
                edited_in_admin=True,
            )
            for section in self.sections.order_by("position", "pk"):
                Section.objects.create(issue=issue, title=section.title, position=section.position)
            for figure in self.key_figures.order_by("position", "pk"):
                KeyFigure.objects.create(
                    issue=issue,
                    label=figure.label,
                    value=None,
                    unit=figure.unit,
                    position=figure.position,
                )
        return issue


class IssueContents(models.Model):
    """An issue page's body as rendered for one `Issue.contents_version`: kept beside the
    issue, not in its row, so lists of issues do not read it (newsletters/contents.py)."""

    issue = models.OneToOneField(
        Issue, on_delete=models.CASCADE, primary_key=True, related_name="stored_contents"
    )
    version = models.PositiveIntegerField()
    html = models.TextField()
    # What a shared link to the issue shows, without the host (newsletters/sharing.py).
    share = models.JSONField(default=dict)

    class Meta:
        verbose_name_plural = "issue contents"

    def __str__(self):
        return f"Contents of issue {self.issue_id}, version {self.version}"


class Section(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, editable=False)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["issue", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "slug"], name="section_unique_slug"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slug_among(self, self.title, issue_id=self.issue_id)
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return f"section-{self.slug}"


class StoryRevisionExtras(models.Model):
    """Fields of a story's revisions beyond the story's own: the countries it had (ISO
    codes), so a deleted story can be restored with them (newsletters/revisions.py)."""

    countries_snapshot = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True


class Story(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="stories")
    # Kept equal to section.issue so story slugs are unique per issue in the database.
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="stories", editable=False
    )
    title = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(max_length=200, blank=True)
    body = models.TextField("body (Markdown)", blank=True, validators=[validate_body_length])
    # The body rendered when it is saved (newsletters/markdown.py), with the digest of the
    # body and renderer it came from: a body written any other way (queryset.update) has
    # another digest, and is rendered afresh when shown.
    body_html = models.TextField(blank=True, editable=False)
    body_html_digest = models.CharField(max_length=32, blank=True, editable=False)
    position = models.PositiveIntegerField(default=0)
    countries = models.ManyToManyField("directory.Country", blank=True, related_name="stories")
    # Optimistic locking: every save counts up; a form based on an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = StoryQuerySet.as_manager()
    history = HistoricalRecords(
        bases=[StoryRevisionExtras], excluded_fields=["body_html", "body_html_digest"]
    )

    class Meta:
        ordering = ["section", "position", "pk"]
        verbose_name_plural = "stories"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "slug"],
                name="story_unique_slug_in_issue",
                violation_error_message="Another story in this issue already has this slug.",
            ),
        ]

    def __str__(self):
        return self.title or f"Untitled story in {self.section}"

    def save(self, *args, **kwargs):
        self.issue_id = self.section.issue_id
        if not self.slug:
            base = self.title or f"{self.section.title} story"
            self.slug = slug_among(self, base, issue_id=self.issue_id)
        self.render_body()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "body_html_digest"}
        next_version(self, kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "newsletters:story", kwargs={"issue_slug": self.issue.slug, "slug": self.slug}
        )

    def render_body(self) -> None:
        """Store the body's HTML, unless it is already the HTML of this body."""
        digest = markdown_digest(self.body)
        if digest != self.body_html_digest:
            self.body_html, self.body_html_digest = render_markdown(self.body), digest

    @property
    def rendered_body(self) -> SafeString:
        """The body as sanitised HTML: the stored rendering, or a fresh one if it is stale."""
        if self.body_html_digest == markdown_digest(self.body):
            # Safe: stored by render_body() from render_markdown(), which sanitises.
            return mark_safe(self.body_html)  # noqa: S308
        return render_markdown(self.body)

    @property
    def display_title(self) -> str:
        return self.title or self.section.title

    def word_count(self) -> int:
        return len(self.title.split()) + len(self.body.split())

    @property
    def anchor(self) -> str:
        return f"story-{self.slug}"


class Photo(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos")
    image = CleanImageField(
        folder="photos",
        blank=True,
        help_text="Imported archive photos may have a caption only, until an image is added.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    alt_text = models.CharField(
        max_length=300, blank=True, help_text="What the photo shows, for people who cannot see it."
    )
    position = models.PositiveIntegerField(default=0)
    # {"source": <image name they were made from>, "files": [{"width", "height", "name"}]}
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["renditions"])

    class Meta:
        ordering = ["story", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(image="", caption=""),
                name="photo_image_or_caption",
                violation_error_message="A photo needs an image or at least a caption.",
            ),
        ]

    def __str__(self):
        return self.caption or self.alt_text or f"Photo {self.pk}"

    def save(self, *args, **kwargs):
        replaced = _replaced_file(self, "image", "_stored_image")
        super().save(*args, **kwargs)
        storage = self.image.storage
        current = self._stored_image = _name(self.image)
        delete_after_commit(storage, [replaced])
        # Renditions are made once per original: only when the image is new or replaced.
        if self.renditions.get("source") == (current or None):
            return
        old = self.renditions
        self.renditions = make_renditions(self.image) if current else {}
        type(self).objects.filter(pk=self.pk).update(renditions=self.renditions)
        # Written after post_save: the issue's stored page must not keep the old ones.
        clear_contents(Issue.objects.filter(stories=self.story_id))
        delete_after_commit(storage, rendition_names(old))

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "image" in instance.__dict__:  # if deferred, _replaced_file asks the DB
            instance._stored_image = instance.__dict__["image"]
        return instance

    def clean(self):
        super().clean()
        if self.image and not self.alt_text.strip():
            raise ValidationError(
                {"alt_text": "Describe what the photo shows: alt text is required with an image."}
            )

    @property
    def rendition_files(self) -> list[dict]:
        return self.renditions.get("files", []) if self.image else []

    @property
    def srcset(self) -> str:
        """The renditions for an <img srcset>, with their storage URLs."""
        from django.core.files.storage import default_storage

        return ", ".join(
            f"{default_storage.url(f['name'])} {f['width']}w" for f in self.rendition_files
        )

    @property
    def src(self) -> str:
        """A middle-sized rendition for browsers without srcset; else the original."""
        from django.core.files.storage import default_storage

        files = self.rendition_files
        if not files:
            return self.image.url
        return default_storage.url(files[min(1, len(files) - 1)]["name"])


def _name(file) -> str:
    """A file field's stored name, from a FieldFile, a raw string or None."""
    if file is None:
        return ""
    return file if isinstance(file, str) else (file.name or "")


def _replaced_file(instance, field: str, stored_attr: str) -> str:
    """Before a save: the stored file that this save replaces or clears, to delete after
    the commit; "" if none.

    Restoring a revision whose image was deleted since would point the row at a missing
    file and delete the current one: the current image is kept instead.
    """
    if hasattr(instance, stored_attr):
        stored = _name(getattr(instance, stored_attr))
    elif instance.pk is not None:
        # Not loaded by a query (a revision's instance being restored): ask the database.
        rows = type(instance)._default_manager.filter(pk=instance.pk)
        stored = _name(rows.values_list(field, flat=True).first())
    else:
        return ""
    file = getattr(instance, field)
    current = _name(file)
    if not stored or stored == current:
        return ""
    if current and file._committed and not file.storage.exists(current):
        setattr(instance, field, stored)
        return ""
    return stored


@receiver(post_delete, sender=Photo, dispatch_uid="photo-files-deleted")
def _photo_deleted(sender, instance, **kwargs):
    names = [_name(instance.image), *rendition_names(instance.renditions)]
    delete_after_commit(instance.image.storage, names)


@receiver(post_delete, sender=Issue, dispatch_uid="issue-cover-deleted")
def _issue_deleted(sender, instance, **kwargs):
    delete_after_commit(instance.cover_image.storage, [_name(instance.cover_image)])


class KeyFigure(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="key_figures")
    label = models.CharField(max_length=200, help_text="For example: COVID-19 registered cases")
    # Exact, as printed ("1,650", "12.5", "37" with unit "%"); empty until it is known.
    value = models.DecimalField(
        max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    unit = models.CharField(max_length=50, blank=True, help_text="For example: people")
    note = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["issue", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "label"],
                name="keyfigure_unique_label",
                violation_error_message="This issue already has a key figure with this label.",
            ),
        ]

    def __str__(self):
        if self.value is None:
            return f"{self.label}: (to fill in)"
        return f"{self.label}: {figure_with_unit(self.value, self.unit)}"

    @property
    def display_value(self) -> str:
        """The value as printed: "1,650", "12.5" (no trailing zeros); "" when empty."""
        return format_figure(self.value)

    @property
    def is_empty(self) -> bool:
        return self.value is None


from .pending import PendingChange  # noqa: E402, F401  (a model of this app)
