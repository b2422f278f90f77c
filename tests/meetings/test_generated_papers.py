"""Generated papers chosen from lists: the form is built from each block's declared
parameters, and what is attached is checked against them (and the block's own rule)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from csp_portal.extension_points import PackBlock, register_pack_block, registry
from csp_portal.financial_year import Quarter
from meetings import generated_papers
from tests.factories import PartnershipFactory
from tests.funding.factories import FundFactory
from tests.performance.factories import enter_ytd, fill_totals, make_categories

Q3 = Quarter.parse("2016/17", 3)


@pytest.fixture
def item(pack_meeting):
    return pack_meeting.items.get(title="County Council Update")


@pytest.fixture
def url(partnership, item):
    return reverse("meetings:add_paper", args=[partnership.slug, item.pk])


@pytest.fixture
def figures(partnership):
    """Complete figures for Q1 to Q3 2016/17."""
    categories = make_categories(partnership)
    enter_ytd(partnership, categories["ALL"], Q3, 900)
    fill_totals(partnership, Q3.year_to_date)
    return categories


def test_the_page_offers_each_paper_with_lists_not_json(client_for, clerk, url, figures):
    fund = FundFactory(partnership=clerk.memberships.first().partnership, name="Locality Fund")
    page = client_for(clerk).get(url).content.decode()
    assert "Parameters (JSON)" not in page
    assert f'<option value="{fund.pk}">Locality Fund (2022/23)</option>' in page
    assert '<option value="Q3 2016/17">Q3 2016/17</option>' in page
    assert '<option value="board">Partnership Board</option>' in page


def test_a_budget_table_is_attached_from_the_fund_list(client_for, clerk, partnership, url, item):
    fund = FundFactory(partnership=partnership)
    response = client_for(clerk).post(
        url, {"block": "budget_table", "gen-budget_table-p_fund": fund.pk}
    )
    assert response.status_code == 302
    paper = item.papers.get(kind="block")
    assert (paper.block_key, paper.block_params) == ("budget_table", {"fund": fund.pk})


def test_a_fund_of_another_partnership_is_refused(client_for, clerk, url, item):
    elsewhere = FundFactory(partnership=PartnershipFactory(name="Melton"))
    response = client_for(clerk).post(
        url, {"block": "budget_table", "gen-budget_table-p_fund": elsewhere.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not item.papers.filter(kind="block").exists()
    # the service refuses it too, whoever calls
    with pytest.raises(ValidationError, match="is not one of"):
        generated_papers.attach_generated_paper(
            item=item, key="budget_table", params={"fund": elsewhere.pk}
        )


def test_a_summary_of_a_quarter_with_figures_is_attached(client_for, clerk, url, item, figures):
    response = client_for(clerk).post(
        url, {"block": "performance_summary", "gen-performance_summary-p_quarter": "Q3 2016/17"}
    )
    assert response.status_code == 302
    assert item.papers.get(kind="block").block_params == {"quarter": "Q3 2016/17"}


def test_a_summary_of_a_quarter_without_figures_is_refused(item, figures):
    with pytest.raises(ValidationError, match="is not one of"):
        generated_papers.attach_generated_paper(
            item=item, key="performance_summary", params={"quarter": "Q4 2016/17"}
        )
    assert not item.papers.filter(kind="block").exists()


def test_a_summary_of_an_incomplete_quarter_is_refused_with_a_message(
    client_for, clerk, partnership, url, item
):
    categories = make_categories(partnership)
    enter_ytd(partnership, categories["ALL"], Q3, 900)  # the other categories have no total
    response = client_for(clerk).post(
        url, {"block": "performance_summary", "gen-performance_summary-p_quarter": "Q3 2016/17"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Performance summary: Q1 2016/17 is incomplete: no partnership total for" in page
    assert "Violence with Injury" in page
    assert not item.papers.filter(kind="block").exists()


def test_the_decisions_report_takes_an_optional_date(client_for, clerk, url, item):
    client = client_for(clerk)
    bad = client.post(url, {"block": "funding_decisions", "gen-funding_decisions-p_since": "soon"})
    assert bad.status_code == 400
    assert not item.papers.exists() or not item.papers.filter(kind="block").exists()
    good = client.post(
        url, {"block": "funding_decisions", "gen-funding_decisions-p_since": "2016-10-27"}
    )
    assert good.status_code == 302
    assert item.papers.get(kind="block").block_params == {"since": "2016-10-27"}


@pytest.fixture
def undeclared_block():
    """A block registered the old way, with no declared parameters."""
    block = PackBlock("old_style", "Old style", lambda p, params: "", '{"report": <id>}')
    register_pack_block(block)
    yield block
    registry.pack_blocks.pop(block.key, None)


def test_a_block_without_declared_parameters_still_takes_json(
    client_for, clerk, url, item, undeclared_block
):
    client = client_for(clerk)
    assert "{&quot;report&quot;: &lt;id&gt;}" in client.get(url).content.decode()
    response = client.post(url, {"block": "old_style", "gen-old_style-params": '{"report": 3}'})
    assert response.status_code == 302
    assert item.papers.get(kind="block").block_params == {"report": 3}
