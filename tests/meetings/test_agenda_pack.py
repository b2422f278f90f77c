"""The agenda pack PDF, read back: page references, footers, bookmarks, public version."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from meetings import agenda, generated_papers, publishing
from meetings.pack_builder import build_pack


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text via pdftotext (poppler), split on form feeds."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return out.split("\f")[:-1]


def outline_titles(pdf: bytes) -> list[tuple[int, str, int]]:
    reader = PdfReader(io.BytesIO(pdf))
    found = []

    def walk(items, depth):
        for entry in items:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                found.append((depth, entry.title, reader.get_destination_page_number(entry) + 1))

    walk(reader.outline, 0)
    return found


@pytest.fixture
def members_pack(pack_meeting):
    return build_pack(pack_meeting, public=False)


def test_every_attached_at_page_is_where_the_paper_starts(members_pack):
    pages = page_texts(members_pack.pdf)
    front = pages[0] + pages[1] if len(pages) > 1 else pages[0]
    references = re.findall(r"(\S[^\n:]*): attached at pages? (\d+)(?:–(\d+))?", front)
    assert len(references) == 5  # minutes, two uploads, the exempt upload, the report
    markers = {
        "strategic": "STRATEGIC PAPER – own page 1",
        "jag": "JAG PAPER – own page 1",
        "secret": "SECRET PAPER – own page 1",
        "County matters": "REPORT SUMMARY TEXT",
        "Minutes of the meeting": "Apologies were received.",
    }
    for title, first, _last in references:
        marker = next(text for key, text in markers.items() if key in title)
        assert marker in pages[int(first) - 1], f"{title} is not on page {first}"
        assert marker not in pages[int(first) - 2]
    strategic = next(r for r in references if "strategic" in r[0])
    assert (int(strategic[1]), int(strategic[2])) == (int(strategic[1]), int(strategic[1]) + 2)
    assert "STRATEGIC PAPER – own page 3" in pages[int(strategic[2]) - 1]


def test_footer_numbers_are_continuous_through_merged_pdfs(members_pack):
    pages = page_texts(members_pack.pdf)
    total = len(pages)
    assert total == members_pack.page_count
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text, f"page {number} footer missing"
    uploaded = [i for i, t in enumerate(pages) if "PAPER – own page" in t]
    assert len(uploaded) == 7  # 3 + 2 + 2 uploaded pages, each with the pack's footer


def test_bookmarks_follow_the_agenda_down_to_sub_items(members_pack, pack_meeting):
    titles = outline_titles(members_pack.pdf)
    item_titles = [t for d, t, p in titles if re.match(r"^\d+(\([a-z]+\))?\. ", t)]
    expected = [
        f"{n.number}. {n.item.title}"
        for n in __import__("meetings.selectors", fromlist=["x"]).flatten(
            __import__("meetings.selectors", fromlist=["x"]).numbered_agenda(pack_meeting)
        )
    ]
    assert item_titles == expected
    depth_of = {t: d for d, t, p in titles}
    number_of_updates = next(t for t in expected if t.endswith("Delivery Group Updates"))
    strategic = next(t for t in expected if t.endswith("Strategic Group"))
    assert depth_of[strategic] == depth_of[number_of_updates] + 1
    assert strategic.split(".")[0].endswith("(a)")
    pages = page_texts(members_pack.pdf)
    page_of = {t: p for d, t, p in titles}
    assert "STRATEGIC PAPER – own page 1" in pages[page_of[strategic] - 1]


def test_front_sheet_links_to_the_papers(members_pack):
    reader = PdfReader(io.BytesIO(members_pack.pdf))
    links = [
        a.get_object()
        for a in reader.pages[0].get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert len(links) >= 4


def test_public_pack_has_no_exempt_paper(pack_meeting):
    public = build_pack(pack_meeting, public=True)
    text = "\n".join(page_texts(public.pdf))
    assert "SECRET PAPER" not in text and "Commercially sensitive" not in text
    flat = " ".join(text.split())  # the heading stays, with the notice in its place
    assert "CONTRACT AWARD" in flat
    assert "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A" in flat
    assert "JAG PAPER – own page 1" in text
    members = build_pack(pack_meeting, public=False)
    assert members.page_count == public.page_count + 2


def test_pack_is_tagged_with_title_and_language(members_pack):
    reader = PdfReader(io.BytesIO(members_pack.pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root.get("/Lang")).lower().startswith("en")
    assert "agenda pack" in reader.metadata.title


def test_generated_block_is_rendered_and_frozen_when_published(pack_meeting, test_block):
    item = pack_meeting.items.get(title="County Council Update")
    paper = generated_papers.attach_generated_paper(
        item=item, key="test_block", params={"quarter": "Q2 2022/23"}
    )
    version = publishing.publish_agenda(meeting=pack_meeting)
    paper.refresh_from_db()
    assert "quarter Q2 2022/23" in paper.frozen_html
    text = "\n".join(page_texts(version.members_pdf.read()))
    assert "Test block for Charnwood CSP, quarter Q2 2022/23" in text


def test_pack_is_cached_until_something_changes(pack_meeting):
    first = build_pack(pack_meeting, public=False)
    again = build_pack(pack_meeting, public=False)
    assert not first.from_cache and again.from_cache
    assert again.pdf == first.pdf
    agenda.add_item(meeting=pack_meeting, title="A late item")
    changed = build_pack(pack_meeting, public=False)
    assert not changed.from_cache
    assert "A LATE ITEM" in "".join(page_texts(changed.pdf)[:2])
