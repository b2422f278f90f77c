"""The performance summary the meetings app puts into the agenda pack."""

import io
import re

import pytest
from pypdf import PdfReader

from csp_portal.extension_points import pack_block
from csp_portal.financial_year import Quarter
from performance.selectors import performance_summary_html
from tests.performance.factories import enter_ytd

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_003(partnership, categories):
    for code, previous, current in [("ALL", 7124, 7475), ("BUR-BUS", 71, 149), ("CYC", 230, 184)]:
        enter_ytd(partnership, categories[code], Quarter.parse("2021/22", 2), previous)
        enter_ytd(partnership, categories[code], Quarter.parse("2022/23", 2), current)


def test_summary_is_static_html_with_table_and_svg(partnership, seed_003):
    html = performance_summary_html(partnership, Quarter.parse("2022/23", 2))
    assert "<table" in html and "<caption" in html and "<svg" in html
    assert "+4.9%" in html and "+109.9%" in html and "−20.0%" in html
    assert "<script" not in html.lower()
    assert not re.search(r"(src|href)=\"?https?:", html)


def test_pack_block_is_registered_and_renders(partnership, seed_003):
    block = pack_block("performance_summary")
    assert block.label == "Performance summary"
    assert block.describe_params == '{"quarter": "Q2 2022/23"}'
    assert "7,475" in block.render(partnership, {"quarter": "Q2 2022/23"})


def test_summary_prints_with_weasyprint(partnership, seed_003):
    from weasyprint import HTML

    html = performance_summary_html(partnership, Quarter.parse("2022/23", 2))
    pdf = HTML(string=f"<html><body>{html}</body></html>").write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "All Crime" in text and "7,475" in text and "Burglary – Business" in text
