"""The county view of the demo in a real browser: the nine partnerships' real figures
side by side, its chart drawn from the local plotly.js, accessible (axe-core), and a
screenshot in artefacts/screenshots/ for the issue's closing note."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.e2e.conftest import collect_csp_events
from tests.e2e.test_dashboards_in_browser import titles_clear_of_legends

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_county_view_for_the_pcc_analyst(page, login_as, axe_check, screenshot):
    call_command("load_demo", "--force")
    analyst = get_user_model().objects.get(username="pcc-analyst")
    login_as(page, analyst)
    response = page.goto("/county/leicestershire/performance/?category=ALL&year=2022&quarter=2")
    assert response.status == 200
    rows = page.locator("table tbody tr")
    assert rows.count() == 8  # eight partnerships; Blaby and Hinckley & Bosworth are one
    assert page.locator("table tfoot tr").count() == 2  # the county's and the force's totals
    # The police.uk count of Safer Leicester's All Crime, year to date to Q2 2022/23.
    leicester = page.locator("tbody tr", has_text="Safer Leicester Partnership")
    # the one number format, with separators
    assert leicester.locator("td").nth(0).inner_text() == "368,600"
    page.wait_for_selector("#county-chart .main-svg")  # Plotly drew the chart
    # The analyst may follow every partnership to its dashboard.
    assert page.locator("tbody th a").count() == 8
    axe_check(page)
    screenshot("county-view")
    # On a phone the chart's title wraps onto two lines, clear of the legend.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#county-chart .main-svg")
    titles_clear_of_legends(page)
    screenshot("county-view-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("tbody th a", has_text="Melton").click()
    assert page.locator("h1").inner_text().startswith("Year to date")
    axe_check(page)
    assert collect_csp_events(page) == []
