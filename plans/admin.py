"""Admin for plans: every model, with its history (simple_history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    Action,
    ActionProgress,
    MeasureValue,
    PerformanceMeasure,
    Plan,
    Priority,
    PriorityReport,
    Theme,
)


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "version_year",
        "partnership",
        "first_year",
        "last_year",
        "status",
        "adopted_on",
    ]
    list_filter = ["partnership", "status"]
    search_fields = ["title", "vision"]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["title"]


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "theme", "plan", "lead_body", "lead_person"]
    list_filter = ["plan", "theme"]
    search_fields = ["title", "why"]


@admin.register(PerformanceMeasure)
class PerformanceMeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "priority", "crime_category", "direction", "target_text"]
    list_filter = ["priority__plan", "direction"]
    search_fields = ["name"]


@admin.register(MeasureValue)
class MeasureValueAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "financial_year", "quarter", "value", "entered_by"]
    list_filter = ["financial_year", "quarter"]
    search_fields = ["measure__name"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "priority", "lead_agency", "time_scales"]
    list_filter = ["priority__plan", "lead_agency"]
    search_fields = ["key_action"]


@admin.register(ActionProgress)
class ActionProgressAdmin(SimpleHistoryAdmin):
    list_display = ["action", "financial_year", "quarter", "status", "reported_on", "reported_by"]
    list_filter = ["status", "financial_year", "quarter"]
    search_fields = ["action__key_action", "commentary"]


@admin.register(PriorityReport)
class PriorityReportAdmin(SimpleHistoryAdmin):
    list_display = ["priority", "financial_year", "quarter", "submitted_on", "author"]
    list_filter = ["financial_year", "quarter"]
    search_fields = ["successes", "threats"]


# --- the county's Safer Communities Agreement (reference data) ------------------------

from plans.agreement_models import (  # noqa: E402
    Agreement,
    AgreementArea,
    CountyIndicator,
    CountyPriority,
    DistrictTarget,
    PriorityHolding,
)


class AgreementAreaInline(admin.TabularInline):
    model = AgreementArea
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "county", "first_year", "last_year"]
    list_filter = ["county"]
    search_fields = ["title", "source"]
    inlines = [AgreementAreaInline]


class PriorityHoldingInline(admin.TabularInline):
    model = PriorityHolding
    extra = 0


@admin.register(CountyPriority)
class CountyPriorityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "source_tag", "agreement", "order"]
    list_filter = ["agreement", "source_tag"]
    search_fields = ["name"]
    inlines = [PriorityHoldingInline]


class DistrictTargetInline(admin.TabularInline):
    model = DistrictTarget
    extra = 0


@admin.register(CountyIndicator)
class CountyIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "category_code", "agreement"]
    list_filter = ["agreement"]
    search_fields = ["code", "name"]
    inlines = [DistrictTargetInline]


@admin.register(DistrictTarget)
class DistrictTargetAdmin(SimpleHistoryAdmin):
    list_display = [
        "indicator", "area", "financial_year", "measure", "kind", "baseline", "change_pct",
        "stated", "printed",
    ]  # fmt: skip
    list_filter = ["indicator__agreement", "indicator", "measure", "kind"]
    search_fields = ["indicator__code", "area__name"]


@admin.register(PriorityHolding)
class PriorityHoldingAdmin(SimpleHistoryAdmin):
    list_display = ["priority", "area", "holding"]
    list_filter = ["priority__agreement", "holding", "area"]


@admin.register(AgreementArea)
class AgreementAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agreement", "partnership", "order"]
    list_filter = ["agreement"]
