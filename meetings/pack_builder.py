"""Compiles a meeting's agenda pack into one PDF.

WeasyPrint lays out the front sheet, the previous minutes and the papers written in the
portal as one HTML document; each uploaded PDF is given as many blank placeholder pages
as it has, so page numbers, links and the footer run through it. The front sheet says
where each paper is ("attached at page N"), which can change the front sheet's own
length, so the document is laid out again until the page map stops moving. Then pypdf
draws each uploaded page underneath its placeholder (keeping the footer on top) and
writes the outline (bookmarks) in agenda order.

Packs are cached under MEDIA_ROOT by a hash of everything that goes into them.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
)

from csp_portal.extension_points import pack_block
from csp_portal.pdf_render import url_fetcher
from meetings import access, selectors
from meetings.models import Meeting, Paper, PaperKind

# WeasyPrint logs a line per page at INFO; a pack would flood the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

#: Bump when the layout changes so cached packs are not reused.
LAYOUT_VERSION = "5"
A4 = (595.28, 841.89)
FOOTER_HEIGHT = 42  # points kept clear at the foot of an uploaded page for the page number
MAX_LAYOUT_PASSES = 5


@dataclass
class Section:
    """A run of pages in the pack: the minutes or one paper."""

    anchor: str
    title: str
    node: selectors.NumberedItem | None
    paper: Paper | None = None
    html: str = ""
    first: int = 0
    last: int = 0

    @property
    def confidential(self) -> bool:
        return self.paper is not None and access.is_paper_exempt(self.paper)

    @property
    def pages_label(self) -> str:
        if not self.first:  # before layout: as wide as real numbers usually get
            return "pages 888–888"
        return (
            f"page {self.first}" if self.first == self.last else f"pages {self.first}–{self.last}"
        )


@dataclass
class BuiltPack:
    pdf: bytes
    page_count: int
    sections: list[dict] = field(default_factory=list)  # anchor, title, first, last
    outline: list[tuple[int, str, int]] = field(default_factory=list)  # level, title, page
    from_cache: bool = False
    layout_passes: int = 0
    html: str = ""  # the final HTML laid out (not kept in the cache)


def paper_fingerprint(paper: Paper) -> str:
    """What identifies a paper's content: the file's hash, the report's fields, the block."""
    if paper.kind == PaperKind.UPLOAD:
        return paper.sha256
    if paper.kind == PaperKind.REPORT:
        report = paper.report
        parts = [
            str(getattr(report, f.attname)) for f in report._meta.concrete_fields if f.name != "id"
        ]
        parts += [f"{u.theme_id}:{u.text}" for u in report.updates.all()]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    body = paper.frozen_html or json.dumps(paper.block_params, sort_keys=True) + paper.block_key
    return hashlib.sha256(body.encode()).hexdigest()


def _paper_html(paper: Paper, meeting: Meeting) -> str:
    if paper.kind == PaperKind.REPORT:
        return render_to_string("meetings/pdf/report.html", {"report": paper.report})
    if paper.kind == PaperKind.BLOCK:
        if paper.frozen_html:
            return paper.frozen_html
        try:
            block = pack_block(paper.block_key)
        except LookupError:
            return f"<p>The generated paper “{paper.block_key}” is not available.</p>"
        try:
            return block.render(meeting.body.partnership, paper.block_params)
        except (ValueError, TypeError, KeyError) as exc:  # a draft must still print
            return f"<p>This paper could not be generated: {escape(str(exc))}</p>"
    return ""


def minutes_context(meeting: Meeting, *, public: bool, agenda=None) -> dict:
    """Everything the printed minutes show (shared by the pack, the PDF and the web page).
    `agenda`: the meeting's numbered agenda when the caller has already built it (with
    exempt items exactly when `public` is false)."""
    if agenda is None:
        agenda = selectors.numbered_agenda(meeting, include_exempt=not public)
    from meetings.attendance import printed

    attendance = printed(meeting)
    items = selectors.flatten(agenda)
    ids = [n.item.pk for n in items]
    from meetings.models import Declaration, Minute, Resolution

    minutes = {m.item_id: m for m in Minute.objects.filter(item_id__in=ids)}
    declarations: dict[int, list] = {}
    for d in Declaration.objects.filter(item_id__in=ids).select_related("person"):
        declarations.setdefault(d.item_id, []).append(d)
    resolutions: dict[int, list] = {}
    for r in Resolution.objects.filter(item_id__in=ids).order_by("number"):
        resolutions.setdefault(r.item_id, []).append(r)
    actions = access.actions_for(meeting.actions.select_related("owner"), public=public)
    amendments = access.amendments_for(meeting.amendments.select_related("item"), public=public)
    return {
        "meeting": meeting,
        "items": [
            {
                "node": n,
                "minute": minutes.get(n.item.pk),
                "resolutions": resolutions.get(n.item.pk, []),
                "declarations": declarations.get(n.item.pk, []),
            }
            for n in items
        ],
        "attendance": attendance,
        "present": attendance.present,
        "officers": attendance.officers,
        "apologies": attendance.apologies,
        "actions": list(actions),
        "amendments": list(amendments),
        "public": public,
    }


def _sections(meeting: Meeting, agenda, previous: Meeting | None, public: bool) -> list[Section]:
    sections: list[Section] = []
    minutes_node = next((n for n in selectors.flatten(agenda) if n.item.kind == "minutes"), None)
    if previous is not None and previous.items.filter(minute__isnull=False).exists():
        html = render_to_string(
            "meetings/pdf/minutes_body.html", minutes_context(previous, public=public)
        )
        sections.append(
            Section(
                "minutes",
                f"Minutes of the meeting held on {previous.date:%-d %B %Y}",
                minutes_node,
                html=html,
            )
        )
    for node in selectors.flatten(agenda):
        for paper in node.papers:
            sections.append(
                Section(f"paper-{paper.pk}", paper.title, node, paper, _paper_html(paper, meeting))
            )
    return sections


def _html(meeting, agenda, sections, *, public, changes, supplementary, front_only=0) -> str:
    """The pack's HTML; with `front_only` (the pack's page total), just the front sheet."""
    by_node: dict[int, list[Section]] = {}
    for section in sections:
        if section.node is not None:
            by_node.setdefault(section.node.item.pk, []).append(section)
    rows = [
        {"node": node, "sections": by_node.get(node.item.pk, [])}
        for node in selectors.flatten(agenda)
    ]
    return render_to_string(
        "meetings/pdf/pack.html",
        {
            "meeting": meeting,
            "rows": rows,
            "sections": [
                {"section": s, "html": mark_safe(s.html), "placeholders": range(s.paper.page_count)}
                if s.paper is not None and s.paper.kind == PaperKind.UPLOAD
                else {"section": s, "html": mark_safe(s.html), "placeholders": None}
                for s in sections
            ],
            "public": public,
            "changes": changes,
            "supplementary": supplementary,
            "front_only": front_only,
            "matters_arising": list(selectors.open_actions_before(meeting, public=public)),
        },
    )


def _page_map(document) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def _apply_pages(sections: list[Section], pages: dict[str, int], total: int) -> bool:
    """Set each section's first and last page; True if anything moved."""
    moved = False
    for index, section in enumerate(sections):
        first = pages.get(section.anchor, 0)
        following = sections[index + 1].anchor if index + 1 < len(sections) else None
        last = (pages.get(following, total + 1) - 1) if following else total
        if (section.first, section.last) != (first, last):
            moved = True
            section.first, section.last = first, last
    return moved


def _cache_path(key: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "meetings" / "cache" / f"{key}.pdf"


def build_pack(
    meeting: Meeting, *, public: bool, changes: list[str] | None = None, supplementary: int = 0
) -> BuiltPack:
    """The agenda pack of `meeting` as PDF bytes (the public version leaves out exempt items)."""

    changes = changes or []
    agenda = selectors.numbered_agenda(meeting, include_exempt=not public)
    previous = selectors.previous_meeting(meeting)
    sections = _sections(meeting, agenda, previous, public)
    first_html = _html(
        meeting, agenda, sections, public=public, changes=changes, supplementary=supplementary
    )
    key = hashlib.sha256(
        "\x1e".join(
            [LAYOUT_VERSION, first_html]
            + [s.paper.sha256 for s in sections if s.paper and s.paper.kind == PaperKind.UPLOAD]
        ).encode()
    ).hexdigest()
    cached = _cache_path(key)
    meta_path = cached.with_suffix(".json")
    if cached.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        return BuiltPack(
            cached.read_bytes(),
            meta["page_count"],
            meta["sections"],
            [tuple(o) for o in meta["outline"]],
            from_cache=True,
        )

    document, html, passes = _lay_out(
        meeting,
        agenda,
        sections,
        first_html,
        public=public,
        changes=changes,
        supplementary=supplementary,
    )
    page_map = _page_map(document)
    raw = document.write_pdf(pdf_tags=True)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    for section in sections:
        if section.paper is not None and section.paper.kind == PaperKind.UPLOAD:
            _underlay(writer, section)
    outline = _outline(agenda, sections, page_map)
    _write_outline(writer, outline)
    writer.add_metadata({"/Title": _title(meeting, public), "/Subject": "Agenda pack"})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = buffer.getvalue()
    built = BuiltPack(
        pdf,
        len(document.pages),
        [
            {"anchor": s.anchor, "title": s.title, "first": s.first, "last": s.last}
            for s in sections
        ],
        outline,
        layout_passes=passes,
        html=html,
    )
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pdf)
    meta_path.write_text(
        json.dumps(
            {"page_count": built.page_count, "sections": built.sections, "outline": built.outline}
        )
    )
    return built


def _lay_out(meeting, agenda, sections, first_html, **options):
    """Lay the pack out and return (document, final HTML, number of full layouts).

    Every section starts on a new page, so putting page numbers into the front sheet
    cannot move anything after it unless the front sheet itself gets longer. The first
    layout reserves room for the widest numbers; then only the front sheet is laid out
    again with the real numbers and swapped in. If it did change length after all, the
    whole document is laid out again until the page map stops moving.
    """
    from weasyprint import HTML

    base_url = str(settings.BASE_DIR)
    document = HTML(string=first_html, base_url=base_url, url_fetcher=url_fetcher()).render(
        pdf_tags=True
    )
    _apply_pages(sections, _page_map(document), len(document.pages))
    html = _html(meeting, agenda, sections, **options)
    if not sections:
        return document, html, 1
    front_length = sections[0].first - 1
    front = HTML(
        string=_html(meeting, agenda, sections, front_only=len(document.pages), **options),
        base_url=base_url,
        url_fetcher=url_fetcher(),
    ).render(pdf_tags=True)
    if len(front.pages) == front_length:
        return document.copy([*front.pages, *document.pages[front_length:]]), html, 1
    passes = 1
    while passes < MAX_LAYOUT_PASSES:
        passes += 1
        document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher()).render(
            pdf_tags=True
        )
        if not _apply_pages(sections, _page_map(document), len(document.pages)):
            break
        html = _html(meeting, agenda, sections, **options)
    return document, html, passes


def _title(meeting: Meeting, public: bool) -> str:
    suffix = " (public)" if public else ""
    return f"{meeting.body.name}, {meeting.date:%-d %B %Y}: agenda pack{suffix}"


def _underlay(writer: PdfWriter, section: Section) -> None:
    """Draw the uploaded PDF's pages under their placeholder pages, scaled to fit above
    the footer, so the pack's page number stays on top of every page.

    Each uploaded page becomes a form XObject drawn before the placeholder's own
    content. This copies the page's content stream as it is; pypdf's merge_page would
    parse and rewrite every operator, which is several times slower on real papers.
    """
    with section.paper.file.open("rb") as handle:
        source = PdfWriter(clone_from=PdfReader(io.BytesIO(handle.read()), strict=False))
    for offset, page in enumerate(source.pages):
        target = writer.pages[section.first - 1 + offset]
        if page.rotation:
            page.transfer_rotation_to_content()
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        target_w = float(target.mediabox.width)
        target_h = float(target.mediabox.height) - FOOTER_HEIGHT
        scale = min(target_w / width, target_h / height, 1.0)
        dx = (target_w - width * scale) / 2 - float(box.left) * scale
        dy = FOOTER_HEIGHT + (target_h - height * scale) - float(box.bottom) * scale
        form = StreamObject()
        form.set_data(_content_bytes(page))
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([FloatObject(v) for v in box]),
                NameObject("/Resources"): (
                    page["/Resources"].clone(writer) if "/Resources" in page else DictionaryObject()
                ),
            }
        )
        form = form.flate_encode()
        name = f"/CspPaper{section.paper.pk}p{offset}"
        resources = target.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
        xobjects[NameObject(name)] = writer._add_object(form)
        draw = StreamObject()
        draw.set_data(f"q {scale:.6f} 0 0 {scale:.6f} {dx:.4f} {dy:.4f} cm {name} Do Q\n".encode())
        contents = target.get("/Contents")
        existing = contents.get_object() if contents is not None else None
        parts = (
            list(existing)
            if isinstance(existing, ArrayObject)
            else ([contents] if contents else [])
        )
        target[NameObject("/Contents")] = ArrayObject([writer._add_object(draw), *parts])


def _content_bytes(page) -> bytes:
    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object()
    if isinstance(contents, ArrayObject):
        return b"\n".join(part.get_object().get_data() for part in contents)
    return contents.get_data()


def _outline(agenda, sections: list[Section], page_map: dict[str, int]):
    """Bookmarks in agenda order: the agenda, then each item (sub-items beneath), with
    its papers beneath it; an item without papers points at its line on the front sheet."""
    outline: list[tuple[int, str, int]] = [(0, "Agenda", 1)]
    by_node: dict[int, list[Section]] = {}
    for section in sections:
        if section.node is not None:
            by_node.setdefault(section.node.item.pk, []).append(section)
    for node in selectors.flatten(agenda):
        own = by_node.get(node.item.pk, [])
        page = own[0].first if own else page_map.get(node.anchor, 1)
        outline.append((node.depth, f"{node.number}. {node.item.title}", page))
        for section in own:
            outline.append((node.depth + 1, section.title, section.first))
    return outline


def _write_outline(writer: PdfWriter, outline) -> None:
    parents: dict[int, object] = {}
    for level, title, page in outline:
        parent = parents.get(level - 1) if level else None
        parents[level] = writer.add_outline_item(title=title, page_number=page - 1, parent=parent)


def build_minutes_pdf(meeting: Meeting, *, public: bool) -> bytes:
    """The printed minutes of one meeting as their own PDF."""
    from weasyprint import HTML

    html = render_to_string("meetings/pdf/minutes.html", minutes_context(meeting, public=public))
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher()).write_pdf(
        pdf_tags=True
    )
