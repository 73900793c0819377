"""Admin: subscribers (search, filters, spreadsheet import/export) and campaigns
(preview, test send, start, pause, resume, cancel, progress).

The campaign's buttons post to small views here; the rules (who may send, which state
changes are allowed) live in subscribers/sending.py.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.spreadsheets import SpreadsheetMixin
from newsletters.models import Issue

from . import sending
from .emails import build_message, render_issue
from .models import Campaign, Delivery, Subscriber
from .resources import SubscriberResource

MAX_TEST_ADDRESSES = 10


@admin.register(Subscriber)
class SubscriberAdmin(SpreadsheetMixin, admin.ModelAdmin):
    # Names come from a public form: exports escape formulae like every other sheet's.
    resource_classes = [SubscriberResource]
    list_display = ["email", "name", "status", "language", "consent_source", "created_at"]
    list_filter = ["status", "language", "series"]
    search_fields = ["email", "name"]
    filter_horizontal = ["series"]
    readonly_fields = ["created_at", "updated_at", "confirmed_at", "unsubscribed_at"]
    date_hierarchy = "created_at"


class TestSendForm(forms.Form):
    addresses = forms.CharField(
        help_text=f"Up to {MAX_TEST_ADDRESSES} addresses, separated by commas or spaces."
    )

    def clean_addresses(self):
        addresses = self.cleaned_data["addresses"].replace(",", " ").split()
        if not addresses or len(addresses) > MAX_TEST_ADDRESSES:
            raise ValidationError(f"Give between 1 and {MAX_TEST_ADDRESSES} addresses.")
        for address in addresses:
            validate_email(address)
        return addresses


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["subscriber", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    can_delete = False
    extra = 0
    max_num = 0
    show_change_link = False
    # A campaign may have tens of thousands of rows: the page lists the problems only.
    verbose_name_plural = "failed or retried deliveries"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(last_error="")
            .select_related("subscriber")
            .order_by("-pk")
        )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "progress_summary", "created_by", "created_at"]
    list_filter = ["status", "audience"]
    list_select_related = ["issue", "issue__series", "created_by"]
    autocomplete_fields = ["issue"]
    fields = ["issue", "audience", "full_text", "subject", "rate_limit"]
    change_form_template = "admin/subscribers/campaign/change_form.html"
    inlines = [DeliveryInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Campaign.Status.DRAFT:
            return self.fields
        return []

    def get_changeform_initial_data(self, request):
        # The usual case first: the newest live issue, ready to send.
        initial = super().get_changeform_initial_data(request)
        if "issue" not in initial:
            latest = Issue.objects.published().newest_first().only("pk").first()
            if latest is not None:
                initial["issue"] = latest.pk
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        # The list's counts in its one query, however many campaigns it shows.
        def count(*statuses):
            return Count("deliveries", filter=Q(deliveries__status__in=statuses))

        return (
            super()
            .get_queryset(request)
            .annotate(
                n_sent=count(Delivery.Status.SENT),
                n_failed=count(Delivery.Status.FAILED),
                n_remaining=count(*sending.UNFINISHED),
            )
        )

    @admin.display(description="progress")
    def progress_summary(self, obj):
        if obj.status == Campaign.Status.DRAFT:
            return "–"
        return f"{obj.n_sent} sent, {obj.n_failed} failed, {obj.n_remaining} remaining"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        campaign = self.get_object(request, object_id)
        if campaign is not None:
            extra_context.update(
                progress=campaign.progress(),
                test_form=TestSendForm(),
                can_send=sending.can_send(request.user),
                # In-process only: retries that have come are sent by pressing Resume.
                resume_sending=settings.CELERY_TASK_ALWAYS_EAGER,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        own = [
            path("<int:pk>/preview.html", wrap(self.preview_html), name="campaign_preview_html"),
            path("<int:pk>/preview.txt", wrap(self.preview_text), name="campaign_preview_text"),
            path("<int:pk>/send-test/", wrap(self.send_test), name="campaign_send_test"),
            path(
                "<int:pk>/sending/<str:action>/",
                wrap(self.change_sending),
                name="campaign_action",
            ),
        ]
        return own + super().get_urls()

    def _campaign(self, request, pk) -> Campaign:
        campaign = get_object_or_404(Campaign.objects.select_related("issue"), pk=pk)
        if not self.has_view_permission(request, campaign):
            raise PermissionDenied
        return campaign

    def _rendered(self, campaign):
        if campaign.html:
            return campaign.rendered()
        return render_issue(campaign.issue, full_text=campaign.full_text, subject=campaign.subject)

    def preview_html(self, request, pk):
        from csp.decorators import csp_replace

        rendered = self._rendered(self._campaign(request, pk))
        body, _ = rendered.for_recipient("#preferences", "#unsubscribe")

        # The mail's own inline styles and remote images, in a sandbox with no scripts.
        @csp_replace({"style-src": ["'unsafe-inline'"], "img-src": ["*", "data:"],
                      "sandbox": [""]})  # fmt: skip
        def page(request):
            return HttpResponse(body)

        return page(request)

    def preview_text(self, request, pk):
        rendered = self._rendered(self._campaign(request, pk))
        _, text = rendered.for_recipient("(preferences link)", "(unsubscribe link)")
        return HttpResponse(text, content_type="text/plain; charset=utf-8")

    def send_test(self, request, pk):
        campaign = self._campaign(request, pk)
        if not self.has_change_permission(request, campaign):
            raise PermissionDenied
        url = reverse("admin:subscribers_campaign_change", args=[pk])
        if request.method != "POST":
            return HttpResponseRedirect(url)
        form = TestSendForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["addresses"]))
            return HttpResponseRedirect(url)
        rendered = self._rendered(campaign)
        placeholder = request.build_absolute_uri(reverse("subscribers:subscribe"))
        with get_connection() as connection:
            for address in form.cleaned_data["addresses"]:
                # A test mail's links act on nobody: they lead to the subscribe page.
                build_message(
                    rendered,
                    address,
                    preferences_url=placeholder,
                    unsubscribe_url=placeholder,
                    connection=connection,
                    subject_prefix="[Test] ",
                ).send()
        messages.success(request, f"Test sent to {', '.join(form.cleaned_data['addresses'])}.")
        return HttpResponseRedirect(url)

    def change_sending(self, request, pk, action):
        return _change_sending(request, self, pk, action)


@require_POST
def _change_sending(request, model_admin, pk, action):
    campaign = model_admin._campaign(request, pk)
    url = reverse("admin:subscribers_campaign_change", args=[pk])
    actions = {
        "start": sending.start_campaign,
        "pause": sending.pause,
        "resume": sending.resume,
        "cancel": sending.cancel,
    }
    if action not in actions:
        return HttpResponse(status=404)
    if not sending.can_send(request.user):
        raise PermissionDenied("Only a publisher can send a campaign.")
    try:
        result = actions[action](campaign, request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(url)
    if action == "start":
        if result is not None:
            messages.success(request, f"Sending started: {result} deliveries queued.")
        else:
            messages.warning(request, "This campaign had already been started; nothing changed.")
    elif result:
        messages.success(request, f"Campaign: {action} done.")
    else:
        messages.warning(request, f"Could not {action} a campaign that is {campaign.status}.")
    return HttpResponseRedirect(url)


# Shown in the admin's sidebar beside the campaigns; read-only.
@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["campaign", "subscriber", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["subscriber__email"]
    list_select_related = ["campaign__issue", "subscriber"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

