"""Admin for the shared reference data; every change is kept in the audit history."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from csp_portal.models import (
    BackgroundJob,
    Body,
    County,
    Membership,
    OfficeHolder,
    Organisation,
    Partnership,
    PartnershipPopulation,
    Profile,
    ReminderText,
    SentEmail,
    SentReminder,
)

User = get_user_model()


class PopulationInline(admin.TabularInline):
    model = PartnershipPopulation
    extra = 0


@admin.register(County)
class CountyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "force_name"]
    search_fields = ["name", "force_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "ons_code",
        "local_authority",
        "bid_approval_threshold",
        "approval_panel",
        "county",
    ]
    list_filter = ["county"]
    search_fields = ["name", "ons_code", "local_authority"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PopulationInline]


@admin.register(PartnershipPopulation)
class PartnershipPopulationAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "financial_year", "population", "source"]
    list_filter = ["partnership"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "is_responsible_authority", "identifier"]
    list_filter = ["is_responsible_authority", "partnerships"]
    search_fields = ["name", "short_name", "identifier"]
    filter_horizontal = ["partnerships"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership", "body_type", "chair", "meeting_frequency", "is_active"]
    list_filter = ["partnership", "body_type", "is_active"]
    search_fields = ["name", "chair__first_name", "chair__last_name"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["chair"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "partnership", "role_list"]
    list_filter = ["partnership", "roles"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    filter_horizontal = ["roles"]
    autocomplete_fields = ["user"]

    @admin.display(description="roles")
    def role_list(self, obj):
        return ", ".join(group.name for group in obj.roles.all())

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user", "partnership")
            .prefetch_related("roles")
        )


@admin.register(OfficeHolder)
class OfficeHolderAdmin(SimpleHistoryAdmin):
    list_display = ["office", "user", "partnership", "start_date", "end_date"]
    list_filter = ["partnership", "office"]
    search_fields = ["user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "organisation", "is_staff"]
    list_select_related = ["profile__organisation"]
    list_filter = ["is_staff", "is_active", "groups", "memberships__partnership"]

    @admin.display(description="organisation")
    def organisation(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.organisation if profile else ""


# Background jobs and sent e-mails: records the portal writes, read-only here (no history:
# a job's row is rewritten as it runs; an e-mail is sent once).
@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "started_by", "partnership", "status", "created_at"]
    list_filter = ["status", "kind", "partnership"]
    search_fields = ["label", "started_by__username", "error"]
    readonly_fields = [field.name for field in BackgroundJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipients", "sent_at"]
    search_fields = ["subject", "recipients", "key"]
    readonly_fields = ["key", "subject", "recipients", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False


# --- reminders (csp_portal.reminders) --------------------------------------------------


class ReminderTextForm(forms.ModelForm):
    """The kinds the apps registered, and a refusal naming any placeholder that is not one
    (a typo would otherwise be e-mailed as written)."""

    class Meta:
        model = ReminderText
        fields = ["partnership", "kind", "subject", "body"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from csp_portal.reminders import PLACEHOLDERS, kinds

        choices = sorted((key, f"{kind.label} ({key})") for key, kind in kinds().items())
        self.fields["kind"] = forms.ChoiceField(choices=[("", "---------"), *choices])
        self.fields["body"].help_text = "Placeholders: " + " ".join(
            "{" + name + "}" for name in PLACEHOLDERS
        )
        if not self.instance.pk and not self.data:
            self.fields["body"].widget.attrs["placeholder"] = "The kind's default text is sent."

    def _checked(self, name: str) -> str:
        from csp_portal.reminders import unknown_placeholders

        text = self.cleaned_data.get(name, "")
        unknown = unknown_placeholders(text)
        if unknown:
            raise forms.ValidationError(
                "Unknown placeholder(s): " + ", ".join(unknown) + ". Use only those listed."
            )
        return text

    def clean_subject(self) -> str:
        return self._checked("subject")

    def clean_body(self) -> str:
        return self._checked("body")


@admin.register(ReminderText)
class ReminderTextAdmin(SimpleHistoryAdmin):
    form = ReminderTextForm
    list_display = ["partnership", "kind", "subject"]
    list_filter = ["partnership", "kind"]
    search_fields = ["subject", "body"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["subject", "partnership", "kind", "recipients", "day"]
    list_filter = ["partnership", "kind", "day"]
    search_fields = ["subject", "recipients", "key"]
    readonly_fields = [field.name for field in SentReminder._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
