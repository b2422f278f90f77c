"""The pack read back with pikepdf: PDF/UA identifier, grafted structure of a tagged
paper, artifacts, header-cell scope, and each page's resources its own."""

from __future__ import annotations

import contextlib
import io
import zlib

import pikepdf
import pytest

from meetings import papers
from meetings.pack_builder import build_pack
from tests.meetings.factories import make_pdf
from tests.meetings.pdf_samples import literal_text_pdf, tagged_paper
from tests.meetings.test_agenda_pack import page_texts

SECRET = "TENDER-SECRET-7731"


@pytest.fixture
def meeting(pack_meeting):
    updates = pack_meeting.items.get(title="County Council Update")
    papers.attach_upload(item=updates, name="asb.pdf", content=tagged_paper(), title="ASB review")
    secret = pack_meeting.items.get(title="Contract award")
    papers.attach_upload(item=secret, name="tender.pdf", content=literal_text_pdf(SECRET))
    return pack_meeting


def _elements(pdf):
    """Every structure element reachable from the StructTreeRoot, depth first."""
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def test_pack_is_pdf_ua_1_with_xmp_title_and_language(meeting):
    pdf = pikepdf.open(io.BytesIO(build_pack(meeting, public=False).pdf))
    with pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert "agenda pack" in xmp.get("dc:title", "")
    assert str(pdf.Root.Lang).startswith("en")
    assert bool(pdf.Root.MarkInfo.Marked)
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)


def test_tagged_papers_structure_survives_the_merge(meeting):
    pdf = pikepdf.open(io.BytesIO(build_pack(meeting, public=False).pdf))
    elements = _elements(pdf)
    kinds = [str(e.S) for e in elements]
    figures = [e for e in elements if e.S == "/Figure" and "/Alt" in e]
    assert any(str(f.Alt) == "Bar chart of incidents falling from 60 to 41" for f in figures)
    # The paper's headings, its table with scoped header cells and its link are in the
    # pack's tree, their marked content in the form XObject of the paper's page.
    asb = [e for e in elements if e.S == "/H1" and _text_refs(e)]
    assert "/Table" in kinds and "/Link" in kinds and "/H2" in kinds
    graft_refs = [r for e in elements for r in _mcrs(e) if "/Stm" in r]
    assert graft_refs, "no marked content reference into an uploaded page"
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    for ref in graft_refs:
        assert ref.Pg.objgen in pages
        assert ref.Stm.get("/StructParents") is not None
    assert asb
    scopes = {str(e.A.Scope) for e in elements if e.S == "/TH" and "/A" in e}
    assert scopes == {"/Column", "/Row"}
    # The paper's link annotation came with it, under its Link element.
    links = [e for e in elements if e.S == "/Link"]
    uris = [
        str(o.Obj.A.URI)
        for e in links
        for o in _kids(e)
        if isinstance(o, pikepdf.Dictionary)
        and o.get("/Type") == "/OBJR"
        and "/A" in o.Obj
        and "/URI" in o.Obj.A
    ]
    assert "https://example.org/asb" in uris


def test_running_header_and_footer_are_artifacts_not_content(meeting):
    raw = build_pack(meeting, public=False).pdf
    pdf = pikepdf.open(io.BytesIO(raw))
    tree = pdf.Root.StructTreeRoot.ParentTree.Nums
    reachable = {e.objgen for e in _elements(pdf)}
    for i in range(0, len(tree), 2):
        value = tree[i + 1]
        for element in value if isinstance(value, pikepdf.Array) else [value]:
            if isinstance(element, pikepdf.Dictionary):
                assert element.objgen in reachable, "marked content outside the tree"
    artifacts = sum(
        1
        for page in pdf.pages
        for op in pikepdf.parse_content_stream(page)
        if not isinstance(op, pikepdf.ContentStreamInlineImage)
        and str(op.operator) == "BDC"
        and op.operands[0] == "/Artifact"
    )
    assert artifacts >= len(pdf.pages)  # at least the page number on every page


def test_front_sheet_links_say_where_they_go(meeting):
    pdf = pikepdf.open(io.BytesIO(build_pack(meeting, public=False).pdf))
    links = [a for a in pdf.pages[0].obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    assert links
    for link in links:
        text = str(link.get("/Contents", ""))
        assert "page" in text and not text.startswith("paper-"), text


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _mcrs(element):
    return [
        k for k in _kids(element) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR"
    ]


def _text_refs(element):
    return _mcrs(element) or [k for k in _kids(element) if isinstance(k, pikepdf.Dictionary)]


def _names_used(stream_owner) -> dict[str, set[str]]:
    from meetings.pack_merge import used_names

    return used_names(pikepdf.parse_content_stream(stream_owner))


def _check_resources(owner, resources, seen):
    used = _names_used(owner)
    for category in ("/Font", "/XObject", "/ExtGState", "/Pattern", "/Shading"):
        held = set(resources.get(category, {}).keys()) if resources is not None else set()
        assert held <= used.get(category, set()), f"{category}: {held - used.get(category, set())}"
    for xobject in (resources or {}).get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _check_resources(xobject, xobject.get("/Resources"), seen)


def test_each_page_carries_only_its_own_resources(meeting):
    raw = build_pack(meeting, public=False).pdf
    pdf = pikepdf.open(io.BytesIO(raw))
    for page in pdf.pages:
        _check_resources(page, page.obj.get("/Resources"), set())
    # The exempt tender's text travels only with its own page.
    texts = page_texts(raw)
    tender_page = next(i for i, t in enumerate(texts) if SECRET in t)
    for index in range(len(pdf.pages)):
        alone = pikepdf.new()
        alone.pages.append(pdf.pages[index])
        out = io.BytesIO()
        alone.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.all)
        assert (SECRET.encode() in out.getvalue()) == (index == tender_page), index


def test_public_pack_holds_no_exempt_bytes_anywhere(meeting):
    members = build_pack(meeting, public=False).pdf
    public = build_pack(meeting, public=True).pdf

    def every_byte(raw: bytes) -> bytes:
        pdf = pikepdf.open(io.BytesIO(raw))
        parts = [raw]
        for obj in pdf.objects:  # every object in the file, referenced or not
            if isinstance(obj, pikepdf.Stream):
                parts.append(obj.read_bytes())
        for chunk in raw.split(b"stream")[1:]:  # and any stream qpdf would not list
            with contextlib.suppress(zlib.error):
                parts.append(zlib.decompressobj().decompress(chunk.lstrip(b"\r\n")))
        return b"".join(parts)

    assert SECRET.encode() in every_byte(members)
    assert SECRET.encode() not in every_byte(public)
    assert b"SECRET PAPER" not in every_byte(public)


def test_untagged_paper_is_a_figure_and_listed_in_the_accessibility_statement(meeting):
    raw = build_pack(meeting, public=False).pdf
    pdf = pikepdf.open(io.BytesIO(raw))
    alts = [str(e.Alt) for e in _elements(pdf) if e.S == "/Figure" and "/Alt" in e]
    assert any("jag" in a and "not tagged" in a for a in alts)
    front = " ".join(page_texts(raw)[:2])
    assert "not supplied as tagged PDFs" in front
    assert "jag" in front.split("Accessibility", 1)[1]
    assert "ASB review" not in front.split("Accessibility", 1)[1]


def test_minutes_pdf_is_pdf_ua(past_meeting):
    from meetings.printed_minutes import build_minutes_pdf

    pdf = pikepdf.open(io.BytesIO(build_minutes_pdf(past_meeting, public=False)))
    with pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
    assert "/StructTreeRoot" in pdf.Root


def test_make_pdf_helper_is_real(meeting):
    assert make_pdf("X").startswith(b"%PDF-")
