"""Admin for funding; decisions and the transition log are read-only there, as everywhere."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from funding.models import (
    Bid,
    BidAttachment,
    BudgetLine,
    Decision,
    Declaration,
    Evaluation,
    Fund,
    MonitoringReturn,
    SpendEntry,
    Transition,
)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "financial_year", "partnership", "funder", "total"]
    list_filter = ["partnership", "financial_year"]
    search_fields = ["name", "funder"]
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["description", "fund", "allocated", "priority"]
    list_filter = ["fund__partnership", "fund"]
    search_fields = ["description"]


@admin.register(SpendEntry)
class SpendEntryAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "budget_line", "date", "amount", "bid"]
    list_filter = ["budget_line__fund"]
    search_fields = ["reference", "note"]
    date_hierarchy = "date"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ["decided_at", "stage", "office", "body", "outcome", "reasons", "decided_by"]
    readonly_fields = fields


class DeclarationInline(ReadOnlyInline):
    model = Declaration
    fk_name = "bid"
    fields = ["declared_at", "round", "stage", "person", "interest", "details", "recorded_by"]
    readonly_fields = fields


@admin.register(Bid)
class BidAdmin(SimpleHistoryAdmin):
    """States move only through the workflow: the admin shows them but cannot set them."""

    list_display = ["title", "applicant_organisation", "fund", "amount_requested", "state"]
    list_filter = ["state", "fund__partnership", "fund"]
    search_fields = ["title", "applicant_organisation__name"]
    readonly_fields = [
        "state",
        "round",
        "version",
        "amount_awarded",
        "submitted_at",
        "decided_at",
    ]
    inlines = [DecisionInline, DeclarationInline]

    def save_model(self, request, obj, form, change) -> None:
        if change:  # an applicant's form opened before this save is then out of date
            obj.version += 1
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request, obj=None):
        # Once decided, a bid is the record of what was decided: nothing on it changes.
        if obj is not None and obj.is_final:
            return [f.name for f in obj._meta.fields]
        return self.readonly_fields


@admin.register(BidAttachment)
class BidAttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "bid", "size", "uploaded_at"]
    readonly_fields = ["file", "size", "uploaded_by", "uploaded_at"]


class ImmutableAdmin(admin.ModelAdmin):
    """Decisions are never edited or deleted, not even by an administrator."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ImmutableAdmin):
    list_display = ["bid", "stage", "office", "outcome", "decided_by", "decided_at"]
    list_filter = ["stage", "outcome", "bid__fund__partnership"]
    search_fields = ["bid__title", "reasons"]


@admin.register(Declaration)
class DeclarationAdmin(ImmutableAdmin):
    list_display = ["bid", "stage", "person", "interest", "declared_at"]
    list_filter = ["stage", "interest", "bid__fund__partnership"]
    search_fields = ["bid__title", "details", "person__last_name"]


@admin.register(Transition)
class TransitionAdmin(ImmutableAdmin):
    list_display = ["bid", "from_state", "to_state", "by", "at"]


@admin.register(MonitoringReturn)
class MonitoringReturnAdmin(SimpleHistoryAdmin):
    list_display = ["bid", "period", "due_date", "submitted_at"]
    list_filter = ["bid__fund__partnership"]


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["bid", "due_date", "submitted_at"]
