"""The plan PDF, the lead's report as a pack paper, and the strategic assessment upload."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from csp_portal.extension_points import pack_block
from csp_portal.financial_year import FinancialYear, Quarter
from plans import progress, services
from plans.models import Plan
from tests.plans.factories import (
    ActionFactory,
    CategoryFactory,
    MeasureFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
    adopted_plan,
    figure,
)

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "strategic_assessment_sample.pdf"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def priority(partnership, officer):
    plan = adopted_plan(partnership, key_findings="Domestic burglary rising\nShoplifting up 26%")
    theme = ThemeFactory(plan=plan, number=1, title="Making Communities Safer")
    priority = PriorityFactory(
        plan=plan, theme=theme, number=1, title="Reduce All Crime", lead_person=officer
    )
    category = CategoryFactory(partnership=partnership, name="All Crime")
    MeasureFactory(priority=priority, name="All Crime", crime_category=category)
    figure(partnership, category, 2016, 1, 7341)
    figure(partnership, category, 2017, 1, 7812)
    action = ActionFactory(priority=priority, number=1, key_action="Crime Control Strategy")
    progress.record_progress(
        action=action,
        quarter=Quarter(FinancialYear(2017), 1),
        status="on_track",
        commentary="Draft circulated",
        user=officer,
    )
    return priority


def test_plan_pdf_has_the_seeds_shape(client_for, board_member, priority):
    plan = priority.plan
    url = reverse("plans:pdf", args=[plan.partnership.slug, plan.pk]) + "?quarter=2017-1"
    response = client_for(board_member).get(url)
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for expected in [
        "Partnership Vision",
        "To contribute to a high quality of life for all.",
        "Overarching Aim",
        "Key Findings from the Partnership Strategic Assessment",
        "Domestic burglary rising",
        "Theme 1: Making Communities Safer",
        "Priority 1: Reduce All Crime",
        "Why is this a priority?",
        "How will we measure success?",
        "Key Actions",
        "Lead Agency",
        "Crime Control Strategy",
        "+6.4%",  # 7,341 → 7,812, the seed's All Crime line
        "Green",
    ]:
        assert expected in text, expected
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 3
    # Tagged as PDF/UA-1: the identifier in its XMP metadata, a structure tree, language.
    import pikepdf

    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en-GB"


def test_lead_report_is_a_self_contained_pack_paper(partnership, priority, officer):
    report = progress.submit_report(
        priority=priority,
        quarter=Quarter(FinancialYear(2017), 1),
        successes="Crime Control Strategy drafted",
        threats="Shoplifting rising in Beat 62",
        user=officer,
    )
    block = pack_block("priority_report")
    html = block.render(partnership, {"report": report.pk})
    assert "Crime Control Strategy drafted" in html and "Shoplifting rising in Beat 62" in html
    assert "<script" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "Q1 2017/18" in html
    text = _text(HTML(string=html).write_pdf())
    assert "Threats to performance" in text and "+6.4%" in text


def test_pack_paper_refuses_another_partnerships_report(other_partnership, priority, officer):
    report = progress.submit_report(
        priority=priority,
        quarter=Quarter(FinancialYear(2017), 1),
        successes="x",
        threats="y",
        user=officer,
    )
    with pytest.raises(LookupError, match="no priority report"):
        pack_block("priority_report").render(other_partnership, {"report": report.pk})
    with pytest.raises(LookupError):
        pack_block("priority_report").render(other_partnership, {})


def _upload(name="sa.pdf", content=None):
    return SimpleUploadedFile(
        name, SAMPLE.read_bytes() if content is None else content, "application/pdf"
    )


def test_assessment_upload_and_permission_checked_download(
    client_for, partnership, partnership_admin, board_member, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = PlanFactory(partnership=partnership)
    url = reverse("plans:edit", args=[partnership.slug, draft.pk])
    form = {"title": draft.title, "first_year": "2017/18", "last_year": "2019/20", "version": 1}
    response = client_for(partnership_admin).post(url, {**form, "document": _upload()})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.strategic_assessment_name == "sa.pdf"
    assert Path(draft.strategic_assessment.path).is_relative_to(tmp_path)

    download = reverse("plans:assessment", args=[partnership.slug, draft.pk])
    served = client_for(board_member).get(download)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == SAMPLE.read_bytes()
    assert client_for(outsider).get(download).status_code == 403


def test_upload_that_is_not_a_pdf_is_refused(
    client_for, partnership, partnership_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = PlanFactory(partnership=partnership, vision="Old vision")
    url = reverse("plans:edit", args=[partnership.slug, draft.pk])
    form = {
        "title": draft.title,
        "first_year": "2017/18",
        "last_year": "2019/20",
        "vision": "New",
        "version": 1,
    }
    fake = _upload("report.pdf", b"MZ\x90\x00 this is not a pdf")
    response = client_for(partnership_admin).post(url, {**form, "document": fake})
    assert response.status_code == 200
    assert "“report.pdf” is not a PDF" in response.content.decode()  # the shared check's words
    draft.refresh_from_db()
    assert (draft.vision, draft.strategic_assessment.name) == ("Old vision", "")
    assert not list(tmp_path.rglob("*.pdf"))


def test_upload_over_the_size_limit_is_refused(partnership, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_BYTES = 1000
    draft = PlanFactory(partnership=partnership)
    with pytest.raises(Exception, match="the largest file accepted is 1000"):
        services.set_strategic_assessment(plan=draft, upload=_upload())
    assert not Plan.objects.get(pk=draft.pk).strategic_assessment


def test_report_page_is_read_by_members_only(client_for, board_member, outsider, priority, officer):
    report = progress.submit_report(
        priority=priority,
        quarter=Quarter(FinancialYear(2017), 1),
        successes="Strategy drafted",
        threats="Shoplifting",
        user=officer,
    )
    url = reverse("plans:report", args=[priority.plan.partnership.slug, report.pk])
    page = client_for(board_member).get(url).content.decode()
    assert "Strategy drafted" in page and page.count("<h1") == 1
    assert client_for(outsider).get(url).status_code == 403
