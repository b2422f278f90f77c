"""No lost update on the entry grid and the targets page: each page carries a version;
a save against a stale one is refused, shows what the other save changed and keeps
everything typed. Also: a targets form whose rows do not match today's categories is
refused with a message, not a 500."""

import pytest

from csp_portal.financial_year import FinancialYear, Quarter
from performance import services
from performance.dashboards import categories_in_order
from performance.forms import cell_name
from performance.models import QuarterlyFigure, Target, TargetKind
from tests.factories import member

pytestmark = pytest.mark.django_db

Q2 = Quarter.parse("2022/23", 2)
GRID = "/p/charnwood/performance/enter/2022/q2/"
TARGETS = "/p/charnwood/performance/targets/?year=2022"


@pytest.fixture
def second_officer(partnership):
    return member(partnership, "performance_officer", username="officer2")


def _stored(categories):
    return {
        (f.category.code, f.beat_id): f.count
        for f in QuarterlyFigure.objects.filter(financial_year=FinancialYear(2022), quarter=2)
    }


def _grid_data(client, categories, **totals):
    """The grid as the page shows it now, with `totals` typed over it (code=count)."""
    page = client.get(GRID)
    data = {
        name: ("" if value is None else value)
        for name, value in page.context["form"].initial.items()
    }
    for code, count in totals.items():
        data[cell_name(categories[code].pk, None)] = count
    data["version"] = page.context["version"]
    return data


def test_a_stale_grid_save_is_refused_with_the_other_change_and_the_typing_kept(
    client_for, officer, second_officer, partnership, categories
):
    services.save_grid(
        partnership=partnership, quarter=Q2,
        cells={(categories["ALL"].pk, None): 100, (categories["ROB"].pk, None): 5},
    )  # fmt: skip
    mine, theirs = client_for(officer), client_for(second_officer)
    typed = _grid_data(mine, categories, ALL=120, VWI=9)  # opened now, typed, not yet sent
    assert theirs.post(GRID, _grid_data(theirs, categories, ROB=7)).status_code == 302
    response = mine.post(GRID, typed)
    assert response.status_code == 409
    assert _stored(categories) == {("ALL", None): 100, ("ROB", None): 7}  # nothing of mine
    html = response.content.decode()
    assert "Nothing was saved: someone else saved Q2 2022/23" in html
    assert "Robbery, partnership total" in html and "their figure" in html
    form = response.context["form"]
    assert form[cell_name(categories["ALL"].pk, None)].value() == "120"  # my typing
    assert form[cell_name(categories["VWI"].pk, None)].value() == "9"
    assert form[cell_name(categories["ROB"].pk, None)].value() == "7"  # theirs, untouched by me
    again = {**typed, cell_name(categories["ROB"].pk, None): "7",
             "version": response.context["version"]}  # fmt: skip
    assert mine.post(GRID, again).status_code == 302
    assert _stored(categories) == {("ALL", None): 120, ("ROB", None): 7, ("VWI", None): 9}


def test_when_both_changed_a_cell_the_grid_keeps_mine_and_shows_theirs(
    client_for, officer, second_officer, partnership, categories
):
    services.save_grid(
        partnership=partnership, quarter=Q2, cells={(categories["ALL"].pk, None): 100}
    )
    mine, theirs = client_for(officer), client_for(second_officer)
    typed = _grid_data(mine, categories, ALL=120)
    assert theirs.post(GRID, _grid_data(theirs, categories, ALL=150)).status_code == 302
    response = mine.post(GRID, typed)
    assert response.status_code == 409
    assert response.context["form"][cell_name(categories["ALL"].pk, None)].value() == "120"
    (conflict,) = response.context["conflicts"]
    assert (conflict.opened, conflict.now, conflict.typed, conflict.kept_theirs) == (
        100, 150, "120", False,
    )  # fmt: skip
    assert _stored(categories) == {("ALL", None): 150}


@pytest.mark.parametrize("version", [None, "", "forged:token"])
def test_a_grid_save_without_a_valid_version_is_refused_once_figures_are_stored(
    client_for, officer, partnership, categories, version
):
    services.save_grid(
        partnership=partnership, quarter=Q2, cells={(categories["ALL"].pk, None): 100}
    )
    data = {cell_name(categories["ALL"].pk, None): "1"}
    if version is not None:
        data["version"] = version
    response = client_for(officer).post(GRID, data)
    assert response.status_code == 409
    assert _stored(categories) == {("ALL", None): 100}
    assert response.context["form"][cell_name(categories["ALL"].pk, None)].value() == "1"


def _targets_data(client):
    page = client.get(TARGETS)
    formset = page.context["formset"]
    rows = len(formset.forms)
    data = {"year": "2022", "version": page.context["version"],
            "form-TOTAL_FORMS": rows, "form-INITIAL_FORMS": rows}  # fmt: skip
    for index, form in enumerate(formset.forms):
        for name in ("category", "kind", "value", "tolerance"):
            value = form.initial.get(name)
            data[f"form-{index}-{name}"] = "" if value is None else str(value)
    return data


def _row(data, category) -> int:
    return next(i for i in range(100) if data[f"form-{i}-category"] == str(category.pk))


def test_a_stale_targets_save_is_refused_with_the_other_change_and_the_typing_kept(
    client_for, officer, second_officer, partnership, categories
):
    mine, theirs = client_for(officer), client_for(second_officer)
    typed = _targets_data(mine)
    vwi = _row(typed, categories["VWI"])
    typed[f"form-{vwi}-kind"], typed[f"form-{vwi}-value"] = "count", "800"
    other = _targets_data(theirs)
    row = _row(other, categories["ALL"])
    other[f"form-{row}-kind"], other[f"form-{row}-value"] = "reduce_pct", "7"
    assert theirs.post(TARGETS, other).status_code == 302
    response = mine.post(TARGETS, typed)
    assert response.status_code == 409
    assert {t.category.code: t.describe() for t in Target.objects.all()} == {"ALL": "Reduce by 7%"}
    html = response.content.decode()
    assert "someone else saved targets for 2022/23" in html and "Reduce by 7%" in html
    forms = {f["category"].value(): f for f in response.context["formset"].forms}
    assert forms[str(categories["VWI"].pk)]["value"].value() == "800"  # my typing
    assert forms[str(categories["ALL"].pk)]["kind"].value() == "reduce_pct"  # theirs
    again = _targets_data(mine)
    again[f"form-{_row(again, categories['VWI'])}-kind"] = "count"
    again[f"form-{_row(again, categories['VWI'])}-value"] = "800"
    again["version"] = response.context["version"]
    assert mine.post(TARGETS, again).status_code == 302
    assert Target.objects.count() == 2


@pytest.mark.parametrize("change", ["fewer", "more", "unnamed"])
def test_a_targets_form_that_does_not_match_the_categories_is_refused_not_a_500(
    client_for, officer, partnership, categories, change
):
    client = client_for(officer)
    data = _targets_data(client)
    count = len(categories_in_order(partnership))
    first = _row(data, categories["ALL"])
    data[f"form-{first}-kind"], data[f"form-{first}-value"] = "reduce_pct", "3"
    last = count - 1 if first != count - 1 else count - 2
    if change == "fewer":  # a category added after the page was opened
        data["form-TOTAL_FORMS"] = count - 1
        for name in ("category", "kind", "value", "tolerance"):
            data[f"form-{last}-{name}"] = data.pop(f"form-{count - 1}-{name}")
    elif change == "more":  # a category removed after the page was opened
        data["form-TOTAL_FORMS"] = count + 1
        data.update({f"form-{count}-category": "999999", f"form-{count}-kind": "count",
                     f"form-{count}-value": "5", f"form-{count}-tolerance": "5"})  # fmt: skip
    else:
        data[f"form-{last}-category"] = ""
    response = client.post(TARGETS, data)
    assert response.status_code == 409
    assert "The categories changed since this page was opened" in response.content.decode()
    assert not Target.objects.exists()
    forms = {f["category"].value(): f for f in response.context["formset"].forms}
    assert forms[str(categories["ALL"].pk)]["value"].value() == "3"  # typed, kept
    assert len(forms) == count


def test_saving_the_targets_moves_the_version(client_for, officer, partnership, categories):
    client = client_for(officer)
    before = client.get(TARGETS).context["version"]
    services.save_targets(
        partnership=partnership, year=FinancialYear(2022),
        rows={categories["ALL"].pk: {"kind": TargetKind.REDUCE_PCT, "value": 7}},
    )  # fmt: skip
    assert client.get(TARGETS).context["version"] != before
