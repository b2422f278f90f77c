"""Who gets what from the plans app's URLs. Read by tests/e2e/test_permission_matrix.py.

The rules (plans/access.py, docs/plans.md): every member reads plans; only partnership
administrators create and edit drafts, run the annual review and adopt; the quarterly
update is posted by performance officers, administrators and the priority's lead, whatever
other role the lead holds (here the partner leads the priority). An adopted plan is
read-only: its edit, remove and adopt pages refuse everyone, administrators included.
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from csp_portal.models import Role
from plans.models import Plan, PlanStatus, PriorityReport
from tests.e2e.matrix import Access, World, for_roles
from tests.factories import OrganisationFactory
from tests.plans.factories import (
    ActionFactory,
    MeasureFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
)

ADMINS = for_roles(Role.ADMIN)
ADMINS_REDIRECTED = for_roles(Role.ADMIN, status=302)
#: Who records the quarterly update of the priority the partner leads.
REPORTERS = (Role.PERFORMANCE_OFFICER, Role.ADMIN, Role.PARTNER)
#: Refused to everyone who may sign in: the plan is not in a state that allows it.
LOCKED = {"roles": 403, "staff": 403}

SAMPLE = Path(__file__).parent / "data" / "strategic_assessment_sample.pdf"
SAMPLE_NAME = "plans/charnwood/strategic-assessments/access-matrix-sample.pdf"


def _content(world: World, plan: Plan, *, lead=None) -> Plan:
    """Theme 1 with Priority 1, one measure and one action; cached in world.extra."""
    agency = OrganisationFactory(name="Leicestershire Police")
    agency.partnerships.add(world.partnership)
    theme = ThemeFactory(plan=plan, number=1, title="Making Communities Safer")
    priority = PriorityFactory(
        plan=plan, theme=theme, number=1, title="Reduce All Crime", lead_person=lead
    )
    world.extra.update(
        plan=plan,
        theme=theme,
        priority=priority,
        measure=MeasureFactory(priority=priority, name="All Crime"),
        action=ActionFactory(priority=priority, number=1, lead_agency=agency),
        agency=agency,
    )
    return plan


def _draft(world: World) -> Plan:
    return _content(world, PlanFactory(partnership=world.partnership, status=PlanStatus.DRAFT))


def _adopted(world: World) -> Plan:
    plan = PlanFactory(partnership=world.partnership, status=PlanStatus.ADOPTED)
    return _content(world, plan, lead=world.users[Role.PARTNER])


def slug_only(world: World) -> dict:
    return {"partnership": world.partnership.slug}


def with_adopted_plan(world: World) -> dict:
    _adopted(world)
    return slug_only(world)


def draft_plan(world: World) -> dict:
    return {"partnership": world.partnership.slug, "plan": _draft(world).pk}


def adopted_plan(world: World) -> dict:
    return {"partnership": world.partnership.slug, "plan": _adopted(world).pk}


def plan_with_assessment(world: World) -> dict:
    # Stored once under the test MEDIA_ROOT; the savepoint rolls back the row, not the file.
    if not default_storage.exists(SAMPLE_NAME):
        default_storage.save(SAMPLE_NAME, ContentFile(SAMPLE.read_bytes()))
    plan = _adopted(world)
    plan.strategic_assessment.name = SAMPLE_NAME
    plan.strategic_assessment_name = "Strategic assessment 2016.pdf"
    plan.save()
    return {"partnership": world.partnership.slug, "plan": plan.pk}


def review_draft(world: World) -> dict:
    """A draft started at the annual review from the adopted plan: compare has a base."""
    adopted = _adopted(world)
    draft = _content(
        world,
        PlanFactory(
            partnership=world.partnership,
            status=PlanStatus.DRAFT,
            based_on=adopted,
            version_year=adopted.first_year.next,
            title=adopted.title,
        ),
    )
    return {"partnership": world.partnership.slug, "plan": draft.pk}


def draft_theme(world: World) -> dict:
    return {**draft_plan(world), "theme": world.extra["theme"].pk}


def adopted_theme(world: World) -> dict:
    return {**adopted_plan(world), "theme": world.extra["theme"].pk}


def draft_plan_priority(world: World) -> dict:
    return {**draft_plan(world), "priority": world.extra["priority"].pk}


def adopted_plan_priority(world: World) -> dict:
    return {**adopted_plan(world), "priority": world.extra["priority"].pk}


def draft_priority(world: World) -> dict:
    _draft(world)
    return {"partnership": world.partnership.slug, "priority": world.extra["priority"].pk}


def adopted_priority(world: World) -> dict:
    _adopted(world)
    return {"partnership": world.partnership.slug, "priority": world.extra["priority"].pk}


def draft_measure(world: World) -> dict:
    return {**draft_priority(world), "measure": world.extra["measure"].pk}


def adopted_measure(world: World) -> dict:
    return {**adopted_priority(world), "measure": world.extra["measure"].pk}


def draft_action(world: World) -> dict:
    return {**draft_priority(world), "action": world.extra["action"].pk}


def adopted_action(world: World) -> dict:
    return {**adopted_priority(world), "action": world.extra["action"].pk}


def report(world: World) -> dict:
    _adopted(world)
    record = PriorityReport.objects.create(
        priority=world.extra["priority"],
        financial_year=2017,
        quarter=1,
        successes="Burglary down",
        threats="None",
        submitted_on="2017-07-20",
        author=world.users[Role.PARTNER],
    )
    return {"partnership": world.partnership.slug, "report": record.pk}


def removing(kind: str, builder):
    def kwargs(world: World) -> dict:
        builder(world)
        return {"partnership": world.partnership.slug, "kind": kind, "pk": world.extra[kind].pk}

    return kwargs


# --- POST bodies (valid unless the note says otherwise) ---------------------------------


def new_plan(world: World) -> dict:
    return {"title": "Partnership Plan 2020-2023", "first_year": "2020/21", "last_year": "2022/23"}


def plan_text(world: World) -> dict:
    return {
        "version": 1,  # the form was opened at the record's first version
        "title": "Partnership Plan 2017-2020",
        "first_year": "2017/18",
        "last_year": "2019/20",
        "vision": "A safer Charnwood",
    }


def theme_text(world: World) -> dict:
    return {"number": 2, "title": "Protecting vulnerable people"}


def theme_renamed(world: World) -> dict:
    return {
        "version": 1,  # the form was opened at the record's first version
        "number": 1,
        "title": "Safer communities",
    }


def new_priority(world: World) -> dict:
    return {"theme": world.extra["theme"].pk, "number": 2, "title": "Reduce re-offending"}


def priority_renamed(world: World) -> dict:
    return {
        "version": 1,  # the form was opened at the record's first version
        "theme": world.extra["theme"].pk,
        "number": 1,
        "title": "Reduce crime",
    }


def measure_text(world: World) -> dict:
    return {
        "version": 1,  # the form was opened at the record's first version
        "order": 1,
        "name": "Domestic Burglary",
        "direction": "lower",
        "target_change_pct": -3,
    }


def action_text(world: World) -> dict:
    return {
        "version": 1,  # the form was opened at the record's first version
        "number": 1,
        "key_action": "Target hardening",
        "lead_agency": world.extra["agency"].pk,
    }


def new_action(world: World) -> dict:
    return {**action_text(world), "number": 2}


def quarterly_update(world: World) -> dict:
    action = world.extra["action"]
    return {
        "financial_year": "2017/18",
        "quarter": "1",
        f"action-{action.pk}-status": "on_track",
        f"action-{action.pk}-commentary": "Under way",
        "report-successes": "Burglary down",
        "report-threats": "None",
    }


def update_without_report(world: World) -> dict:
    return {**quarterly_update(world), "report-successes": "", "report-threats": ""}


READ = "every member reads"
ADMIN_EDITS = "only partnership administrators edit drafts"
READ_ONLY = "an adopted plan is read-only: refused to everyone, administrators included"
LEAD = "officers, administrators and the priority's lead (the partner here) report progress"

ENTRIES = [
    # Reading.
    Access("plans:index", slug_only, note="no plan adopted yet: the list of plans"),
    Access(
        "plans:index",
        with_adopted_plan,
        anonymous=302,
        roles=302,
        staff=302,
        note="members are sent on to the plan in force",
    ),
    Access("plans:list", note=READ),
    Access("plans:plan", adopted_plan, note=READ),
    Access("plans:plan", draft_plan, note="drafts are read by every member too"),
    Access("plans:pdf", adopted_plan, note=READ),
    Access("plans:assessment", plan_with_assessment, note="members only: MEDIA_ROOT is private"),
    Access("plans:compare", review_draft, note=READ),
    Access("plans:priority", adopted_priority, note=READ),
    Access("plans:report", report, note=READ),
    # Creating and editing a draft.
    Access("plans:create", roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:create",
        method="POST",
        data=new_plan,
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="valid: no draft exists yet, so the new plan is created",
    ),
    Access("plans:edit", draft_plan, roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:edit",
        draft_plan,
        method="POST",
        data=plan_text,
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="valid",
    ),
    Access("plans:edit", adopted_plan, **LOCKED, note=READ_ONLY),
    Access("plans:edit", adopted_plan, method="POST", data=plan_text, **LOCKED, note=READ_ONLY),
    Access("plans:theme_create", draft_plan, roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:theme_create",
        draft_plan,
        method="POST",
        data=theme_text,
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="valid: Theme 2 is free",
    ),
    Access(
        "plans:theme_create",
        adopted_plan,
        method="POST",
        data=theme_text,
        **LOCKED,
        note=READ_ONLY,
    ),
    Access("plans:theme_edit", draft_theme, roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:theme_edit",
        draft_theme,
        method="POST",
        data=theme_renamed,
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="valid",
    ),
    Access("plans:theme_edit", adopted_theme, **LOCKED, note=READ_ONLY),
    Access("plans:priority_create", draft_plan, roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:priority_create",
        draft_plan,
        method="POST",
        data=new_priority,
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="valid: Priority 2 is free",
    ),
    Access("plans:priority_create", adopted_plan, **LOCKED, note=READ_ONLY),
    Access("plans:priority_edit", draft_plan_priority, roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:priority_edit",
        draft_plan_priority,
        method="POST",
        data=priority_renamed,
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="valid",
    ),
    Access(
        "plans:priority_edit",
        adopted_plan_priority,
        method="POST",
        data=priority_renamed,
        **LOCKED,
        note=READ_ONLY,
    ),
    Access("plans:measure_create", draft_priority, roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:measure_create",
        draft_priority,
        method="POST",
        data=measure_text,
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="valid",
    ),
    Access(
        "plans:measure_create",
        adopted_priority,
        method="POST",
        data=measure_text,
        **LOCKED,
        note=READ_ONLY,
    ),
    Access("plans:measure_edit", draft_measure, roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:measure_edit",
        draft_measure,
        method="POST",
        data=lambda world: {**measure_text(world), "direction": ""},
        roles=ADMINS,
        note="invalid: no direction, so the form comes back with the error (200)",
    ),
    Access("plans:measure_edit", adopted_measure, **LOCKED, note=READ_ONLY),
    Access("plans:action_create", draft_priority, roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:action_create",
        draft_priority,
        method="POST",
        data=new_action,
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="valid: action 1.2 is free",
    ),
    Access("plans:action_create", adopted_priority, **LOCKED, note=READ_ONLY),
    Access("plans:action_edit", draft_action, roles=ADMINS, note=ADMIN_EDITS),
    Access(
        "plans:action_edit",
        draft_action,
        method="POST",
        data=action_text,
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="valid",
    ),
    Access(
        "plans:action_edit",
        adopted_action,
        method="POST",
        data=action_text,
        **LOCKED,
        note=READ_ONLY,
    ),
    # Removing from a draft: priorities, measures and actions; nothing else.
    Access("plans:remove", removing("priority", _draft), roles=ADMINS, note="confirm page"),
    Access(
        "plans:remove",
        removing("priority", _draft),
        method="POST",
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="removes the priority with its measures and actions",
    ),
    Access(
        "plans:remove",
        removing("measure", _draft),
        method="POST",
        roles=ADMINS_REDIRECTED,
        staff=302,
        note=ADMIN_EDITS,
    ),
    Access(
        "plans:remove",
        removing("action", _draft),
        method="POST",
        roles=ADMINS_REDIRECTED,
        staff=302,
        note=ADMIN_EDITS,
    ),
    Access("plans:remove", removing("action", _adopted), **LOCKED, note=READ_ONLY),
    Access("plans:remove", removing("priority", _adopted), method="POST", **LOCKED, note=READ_ONLY),
    Access(
        "plans:remove",
        lambda world: {"partnership": world.partnership.slug, "kind": "theme", "pk": 1},
        roles=for_roles(Role.ADMIN, status=404),
        staff=404,
        note="themes are not removable here: not found (others are refused first)",
    ),
    # The annual review and adoption.
    Access("plans:review", adopted_plan, roles=ADMINS, note="only administrators review"),
    Access(
        "plans:review",
        adopted_plan,
        method="POST",
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="starts next year's draft and opens it",
    ),
    Access(
        "plans:review",
        draft_plan,
        method="POST",
        **LOCKED,
        note="only the adopted plan is reviewed; a draft is edited directly",
    ),
    Access("plans:adopt", draft_plan, roles=ADMINS, note="only administrators adopt"),
    Access(
        "plans:adopt",
        draft_plan,
        method="POST",
        roles=ADMINS_REDIRECTED,
        staff=302,
        note="the draft has a priority, so it is adopted",
    ),
    Access("plans:adopt", adopted_plan, **LOCKED, note="already adopted: nothing to confirm"),
    Access("plans:adopt", adopted_plan, method="POST", **LOCKED, note="already adopted: read-only"),
    # The quarterly update.
    Access("plans:priority_update", adopted_priority, roles=for_roles(*REPORTERS), note=LEAD),
    Access(
        "plans:priority_update",
        adopted_priority,
        method="POST",
        data=quarterly_update,
        roles=for_roles(*REPORTERS, status=302),
        staff=302,
        note=f"valid: {LEAD}",
    ),
    Access(
        "plans:priority_update",
        adopted_priority,
        method="POST",
        data=update_without_report,
        roles=for_roles(*REPORTERS),
        note="invalid: the report is empty, so the page comes back with the errors (200)",
    ),
    Access(
        "plans:priority_update",
        draft_priority,
        **LOCKED,
        note="progress is recorded only against the adopted plan",
    ),
]


# --- the county's Safer Communities Agreement (/county/<county>/agreement/) ---------------
# Read by every member of a partnership in the county (here Testshire holds Charnwood
# only): the outsider (Melton, outside it) and the staff with no membership are refused.


def county_kwargs(world: World) -> dict:
    from tests.plans.agreement_world import county

    world.extra["county"] = county("testshire", world.partnership)
    return {"county": "testshire"}


def agreement_kwargs(world: World) -> dict:
    from tests.plans.agreement_world import agreement

    kwargs = county_kwargs(world)
    made = agreement(world.extra["county"], {"Charnwood": world.partnership})
    return {**kwargs, "pk": made.pk}


def other_county_agreement_kwargs(world: World) -> dict:
    """An agreement of another county asked for through Testshire's address: 404."""
    from tests.plans.agreement_world import agreement, county

    kwargs = county_kwargs(world)
    made = agreement(county("othershire", world.other_partnership), {"Melton": None})
    return {**kwargs, "pk": made.pk}


ENTRIES += [
    Access("agreement:index", county_kwargs),
    Access("agreement:detail", agreement_kwargs),
    Access(
        "agreement:detail",
        other_county_agreement_kwargs,
        roles=404,
        staff=404,
        outsider=403,
        note="another county's agreement under this county's address is a 404",
    ),
]
