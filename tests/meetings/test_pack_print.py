"""The pack printed like a council's: running header, NOT FOR PUBLICATION, uploaded
page sizes kept, wide tables inside the page, bad papers named, replace and remove."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import agenda, generated_papers, minutes, papers, publishing, scheduling
from meetings.pack_builder import PaperUnreadable, build_pack
from tests.meetings.factories import make_pdf
from tests.meetings.pdf_samples import owner_password_only, user_password
from tests.meetings.test_agenda_pack import page_texts


def test_running_header_on_every_page_and_not_for_publication_on_exempt_ones(pack_meeting):
    members = build_pack(pack_meeting, public=False)
    texts = page_texts(members.pdf)
    secret = next(s for s in members.sections if s["title"] == "secret")
    for number, text in enumerate(texts, start=1):
        head = text.strip().splitlines()[0]
        assert "Partnership Board – 26 January 2017" in head, f"page {number}: {head!r}"
        exempt = secret["first"] <= number <= secret["last"]
        assert ("NOT FOR PUBLICATION" in head) == exempt, f"page {number}"
    for section in members.sections:
        if section["anchor"].startswith("paper-"):
            for number in range(section["first"], section["last"] + 1):
                assert re.search(r"Item \d+(\([a-z]\))?", texts[number - 1].splitlines()[0])
    strategic = next(s for s in members.sections if s["title"] == "strategic")
    label = re.search(r"Item \d+\(a\): strategic", texts[strategic["first"] - 1])
    assert label  # the uploaded paper's own label
    public = page_texts(build_pack(pack_meeting, public=True).pdf)
    assert all("NOT FOR PUBLICATION" not in t for t in public)


def test_a3_landscape_upload_keeps_its_size_and_is_not_covered(pack_meeting):
    item = pack_meeting.items.get(title="County Council Update")
    papers.attach_upload(
        item=item, name="map.pdf", content=make_pdf("A3 MAP", 1, "A3 landscape"), title="map"
    )
    built = build_pack(pack_meeting, public=False)
    page = next(s for s in built.sections if s["title"] == "map")["first"]
    pdf = pikepdf.open(io.BytesIO(built.pdf))
    box = [float(v) for v in pdf.pages[page - 1].mediabox]
    assert round(box[2] - box[0]) == 1191 and round(box[3] - box[1]) == 842  # A3 landscape
    # The page number sits below the paper's drawing, never on it.
    words = _words(built.pdf, page)
    footer = next(w for w in words if w[4] == "Page")
    paper = [w for w in words if w[4] in ("A3", "MAP")]
    assert paper and all(w[3] < footer[1] for w in paper)


def _words(pdf: bytes, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) on one page, from pdftotext -bbox (top-down y)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [
        (float(a), float(b), float(c), float(d), word)
        for a, b, c, d, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            out,
        )
    ]


def test_a_wide_table_stays_inside_the_page_and_repeats_its_header(pack_meeting, test_block):
    from csp_portal.extension_points import PackBlock, register_pack_block, registry

    rows = "".join(
        f"<tr><td>{n} Jan 2017</td><th scope='row'>Bid number {n} for a youth diversion "
        "scheme</th><td>Charnwood Borough Council</td><td>Partnership Locality Fund</td>"
        f"<td>£{n},000.00</td><td>Board</td><td>Councillor Example</td><td>Approved</td>"
        "<td>ReasonsAreLongAndUnbrokenEnoughToOverflowTheColumnUnlessWrapped and more words"
        " explaining the decision at length</td></tr>"
        for n in range(1, 40)
    )
    html = (
        "<section class='funding-decisions'><table><thead><tr><th scope='col'>Date</th>"
        "<th scope='col'>Bid</th><th scope='col'>Applicant</th><th scope='col'>Fund</th>"
        "<th scope='col'>Amount</th><th scope='col'>Stage</th><th scope='col'>Decided by</th>"
        "<th scope='col'>Outcome</th><th scope='col'>Reasons</th></tr></thead>"
        f"<tbody>{rows}</tbody><tfoot><tr><th scope='row'>Total</th><td colspan='8'>all"
        "</td></tr></tfoot></table></section>"
    )
    register_pack_block(PackBlock("wide", "Decisions", lambda p, params: html, ""))
    try:
        item = pack_meeting.items.get(title="County Council Update")
        generated_papers.attach_generated_paper(item=item, key="wide", params={}, title="Decisions")
        built = build_pack(pack_meeting, public=False)
    finally:
        registry.pack_blocks.pop("wide", None)
    section = next(s for s in built.sections if s["title"] == "Decisions")
    assert section["last"] > section["first"]  # the table crosses pages
    pdf = pikepdf.open(io.BytesIO(built.pdf))
    totals = 0
    for page in range(section["first"], section["last"] + 1):
        width = float(pdf.pages[page - 1].mediabox[2])
        words = _words(built.pdf, page)
        assert words and all(w[0] >= 0 and w[2] <= width for w in words), page
        text = " ".join(w[4] for w in words)
        assert "Outcome" in text and "Reasons" in text, f"header not repeated on {page}"
        totals += sum(1 for w in words if w[4] == "Total")
    assert totals == 1
    # In the structure tree it is one table, with one header row, across its pages.
    from tests.meetings.test_pack_structure import _elements

    def pages_of(element) -> set:
        found = {element.Pg.objgen} if "/Pg" in element else set()
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found |= pages_of(kid)
        return found

    wide = [e for e in _elements(pdf) if e.S == "/Table" and len(pages_of(e)) > 1]
    assert len(wide) == 1
    heads = [k for k in wide[0].K if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/THead"]
    assert len(heads) == 1


def test_front_sheet_lists_further_meetings(pack_meeting, body):
    scheduling.schedule_meeting(body=body, date=dt.date(2017, 4, 20))
    scheduling.schedule_meeting(body=body, date=dt.date(2017, 7, 13))
    front = " ".join(page_texts(build_pack(pack_meeting, public=False).pdf)[:2])
    assert "Further meetings" in front
    assert front.index("20 April 2017") < front.index("13 July 2017")


def test_owner_password_only_is_accepted_but_a_user_password_is_refused(pack_meeting):
    item = pack_meeting.items.get(title="County Council Update")
    paper = papers.attach_upload(item=item, name="locked.pdf", content=owner_password_only())
    assert paper.page_count == 1
    with pytest.raises(ValidationError, match="needs a password to open"):
        papers.attach_upload(item=item, name="closed.pdf", content=user_password())
    assert "OWNER LOCKED PAPER" in " ".join(page_texts(build_pack(pack_meeting, public=False).pdf))


def test_damaged_paper_stops_the_build_naming_it_and_publishes_nothing(
    pack_meeting, client_for, clerk
):
    paper = pack_meeting.items.get(title="JAG Delivery Group").papers.get()
    with open(paper.file.path, "r+b") as handle:
        handle.truncate(400)
    with pytest.raises(PaperUnreadable, match=r"“jag” on item \d+\(b\)"):
        build_pack(pack_meeting, public=False)
    with pytest.raises(ValidationError, match="jag"):
        publishing.publish_agenda(meeting=pack_meeting)
    assert not pack_meeting.packs.exists()
    client = client_for(clerk)
    slug = pack_meeting.body.partnership.slug
    response = client.get(reverse("meetings:pack", args=[slug, pack_meeting.pk]), follow=True)
    assert response.status_code == 200
    assert re.search(r"“jag” on item \d+\(b\)", response.content.decode())
    paper.file.storage.delete(paper.file.name)  # gone from storage altogether
    with pytest.raises(PaperUnreadable, match="missing"):
        build_pack(pack_meeting, public=False)


def test_replacing_a_paper_with_fewer_pages_leaves_no_blank_pages(pack_meeting, client_for, clerk):
    before = build_pack(pack_meeting, public=False)
    paper = pack_meeting.items.get(title="Strategic Group").papers.get()
    client = client_for(clerk)
    slug = pack_meeting.body.partnership.slug
    url = reverse("meetings:replace_paper", args=[slug, paper.pk])
    assert client.get(url).status_code == 200
    upload = io.BytesIO(make_pdf("SHORTER STRATEGIC", 1))
    upload.name = "strategic-v2.pdf"
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.page_count == 1
    after = build_pack(pack_meeting, public=False)
    assert after.page_count == before.page_count - 2
    texts = page_texts(after.pdf)
    assert not any("STRATEGIC PAPER" in t for t in texts)
    assert all(len(t.strip().splitlines()) > 2 for t in texts)  # no page with only header/footer


def test_removing_a_paper_asks_first(pack_meeting, client_for, clerk):
    paper = pack_meeting.items.get(title="JAG Delivery Group").papers.get()
    client = client_for(clerk)
    slug = pack_meeting.body.partnership.slug
    url = reverse("meetings:remove_paper", args=[slug, paper.pk])
    page = client.get(url)
    assert "Yes, remove the paper" in page.content.decode()
    client.post(url, {})  # no confirmation: nothing happens
    assert type(paper).objects.filter(pk=paper.pk).exists()
    client.post(url, {"confirm": "yes"})
    assert not type(paper).objects.filter(pk=paper.pk).exists()
    assert "JAG PAPER" not in " ".join(page_texts(build_pack(pack_meeting, public=False).pdf))


def test_untagged_upload_is_flagged_to_the_clerk(pack_meeting, client_for, clerk):
    item = pack_meeting.items.get(title="County Council Update")
    client = client_for(clerk)
    slug = pack_meeting.body.partnership.slug
    upload = io.BytesIO(make_pdf("PLAIN PAPER"))
    upload.name = "plain.pdf"
    response = client.post(
        reverse("meetings:add_paper", args=[slug, item.pk]),
        {"upload": "1", "up-file": upload, "up-title": "Plain"},
        follow=True,
    )
    assert "this paper is not accessible: ask its author for a tagged PDF" in (
        response.content.decode()
    )


def test_a_long_item_title_wraps_with_a_hanging_indent(pack_meeting):
    title = (
        "Review of the partnership's approach to anti-social behaviour, hate crime and "
        "community cohesion across every ward of the borough in the coming year"
    )
    agenda.add_item(meeting=pack_meeting, title=title)
    built = build_pack(pack_meeting, public=False)
    words = [w for page in (1, 2) for w in _words(built.pdf, page)]
    first = next(i for i, w in enumerate(words) if w[4] == "REVIEW")
    number = words[first - 1]
    assert re.fullmatch(r"\d+\.", number[4])
    line_top = words[first][1]
    second_line = next(w for w in words[first:] if w[1] > line_top + 5)
    # The wrapped line starts under the title, not back at the number's margin.
    assert second_line[0] > number[0] + 30  # 12 mm hanging indent, not the margin
    assert abs(second_line[0] - words[first][0]) < 6  # under the title's first word


def test_minutes_with_an_exempt_item_are_not_for_publication_in_the_members_pack(
    pack_meeting, past_meeting
):
    secret = agenda.add_item(
        meeting=past_meeting,
        title="Tender evaluation",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercially sensitive tender prices",
    )
    minutes.record_minute(
        item=secret, discussion="The tender scores were discussed.", resolutions=[]
    )
    members = build_pack(pack_meeting, public=False)
    section = next(s for s in members.sections if s["anchor"] == "minutes")
    texts = page_texts(members.pdf)
    for number in range(section["first"], section["last"] + 1):
        assert "NOT FOR PUBLICATION" in texts[number - 1].splitlines()[0]
    public = build_pack(pack_meeting, public=True)
    assert all("NOT FOR PUBLICATION" not in t for t in page_texts(public.pdf))
