"""Compiles a meeting's agenda pack into one PDF.

WeasyPrint lays out the front sheet, the previous minutes and the papers written in the
portal as one PDF/UA-1 HTML document; each uploaded PDF is given as many placeholder
pages as it has, each of its page's own size, so page numbers, the running header,
links and the footer run through it. The front sheet says where each paper is
("attached at page N"), which can change the front sheet's own length, so the document
is laid out again until the page map stops moving. Then `pack_merge.assemble` (pikepdf)
draws each uploaded page into its placeholder's printable area, grafts its structure
tree, gives each page its own resources and writes the outline in agenda order.

Packs are cached in the default storage by a hash of everything that goes into them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from csp_portal.extension_points import pack_block
from csp_portal.pdf_render import url_fetcher
from meetings import access, selectors
from meetings.models import Meeting, MeetingStatus, Paper, PaperKind
from meetings.pack_cache import cache_name, read_cached, write_cached
from meetings.pack_merge import UploadPlacement, assemble
from meetings.paper_files import (
    PaperUnreadable,
    UploadedFile,
    page_name,
    printable_rect,
    read_upload,
)
from meetings.printed_minutes import PDF_OPTIONS, minutes_context

__all__ = ["PaperUnreadable", "build_pack"]

# WeasyPrint logs a line per page at INFO; a pack would flood the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

#: Bump when the layout changes so cached packs are not reused.
LAYOUT_VERSION = "6"
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
    upload: UploadedFile | None = None
    #: Printed "NOT FOR PUBLICATION" on every page (members' pack: exempt papers, and
    #: minutes that include exempt items).
    confidential: bool = False

    @property
    def item_label(self) -> str:
        return f"Item {self.node.number}" if self.node is not None else ""

    @property
    def placeholder_pages(self) -> list[dict]:
        if self.upload is None:
            return []
        return [{"name": page_name(w, h)} for w, h in self.upload.sizes]

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
    if paper.kind == PaperKind.REPORT and paper.report is not None:
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


def _sections(meeting: Meeting, agenda, previous: Meeting | None, public: bool) -> list[Section]:
    """The pack's sections; each uploaded file is read and checked here, so a missing or
    damaged one stops the build (`PaperUnreadable`) before anything is laid out."""
    sections: list[Section] = []
    minutes_node = next((n for n in selectors.flatten(agenda) if n.item.kind == "minutes"), None)
    if previous is not None and previous.items.filter(minute__isnull=False).exists():
        context = minutes_context(previous, public=public)
        html = render_to_string("meetings/pdf/minutes_body.html", context)
        sections.append(
            Section(
                "minutes",
                f"Minutes of the meeting held on {previous.date:%-d %B %Y}",
                minutes_node,
                html=html,
                confidential=not public and any(r["node"].exempt for r in context["items"]),
            )
        )
    for node in selectors.flatten(agenda):
        for paper in node.papers:
            upload = read_upload(paper, node.number) if paper.kind == PaperKind.UPLOAD else None
            sections.append(
                Section(
                    f"paper-{paper.pk}",
                    paper.title,
                    node,
                    paper,
                    _paper_html(paper, meeting),
                    upload=upload,
                    confidential=not public and access.is_paper_exempt(paper),
                )
            )
    return sections


def further_meetings(meeting: Meeting) -> list[Meeting]:
    """The body's meetings after this one (the front sheet lists them, as councils do)."""
    return list(
        Meeting.objects.filter(body=meeting.body)
        .filter(date__gt=meeting.date)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("date", "start_time")
    )


def _html(
    meeting, agenda, sections, *, public, changes, supplementary, revised=False, front_only=0
) -> str:
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
                {
                    "section": s,
                    "html": mark_safe(s.html),
                    "placeholders": s.placeholder_pages if s.upload is not None else None,
                }
                for s in sections
            ],
            "page_sizes": sorted(
                {(page_name(w, h), w, h) for s in sections if s.upload for w, h in s.upload.sizes}
            ),
            "untagged": [s for s in sections if s.upload is not None and not s.upload.tagged],
            "further_meetings": further_meetings(meeting),
            "public": public,
            "changes": changes,
            "supplementary": supplementary,
            "revised": revised,
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


def build_pack(
    meeting: Meeting,
    *,
    public: bool,
    changes: list[str] | None = None,
    supplementary: int = 0,
    revised: bool = False,
) -> BuiltPack:
    """The agenda pack of `meeting` as PDF bytes (the public version prints each exempt
    item's number, heading and notice in place of its content). `supplementary`: the
    pack's number after the first, `revised`: a revised pack rather than a supplement."""

    changes = changes or []
    agenda = selectors.numbered_agenda(meeting, include_exempt=not public)
    previous = selectors.previous_meeting(meeting)
    sections = _sections(meeting, agenda, previous, public)
    first_html = _html(
        meeting,
        agenda,
        sections,
        public=public,
        changes=changes,
        supplementary=supplementary,
        revised=revised,
    )
    key = hashlib.sha256(
        "\x1e".join(
            [LAYOUT_VERSION, first_html]
            + [s.upload.sha256 for s in sections if s.upload is not None]
        ).encode()
    ).hexdigest()
    cached = read_cached(cache_name(key))
    if cached is not None:
        content, meta = cached
        return BuiltPack(
            content,
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
        revised=revised,
    )
    page_map = _page_map(document)
    raw = document.write_pdf(**PDF_OPTIONS)
    outline = _outline(agenda, sections, page_map)
    link_texts = {s.anchor: f"{s.title}, {s.pages_label}" for s in sections}
    link_texts.update(
        {n.anchor: f"Item {n.number}: {n.item.title}" for n in selectors.flatten(agenda)}
    )
    starts = {0} | {s.first - 1 for s in sections if s.first}
    pdf = assemble(
        raw, _placements(sections), outline=outline, link_texts=link_texts, starts=starts
    )
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
    write_cached(
        cache_name(key),
        pdf,
        {"page_count": built.page_count, "sections": built.sections, "outline": built.outline},
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
        **PDF_OPTIONS
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
    ).render(**PDF_OPTIONS)
    if len(front.pages) == front_length:
        return document.copy([*front.pages, *document.pages[front_length:]]), html, 1
    passes = 1
    while passes < MAX_LAYOUT_PASSES:
        passes += 1
        document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher()).render(
            **PDF_OPTIONS
        )
        if not _apply_pages(sections, _page_map(document), len(document.pages)):
            break
        html = _html(meeting, agenda, sections, **options)
    return document, html, passes


def _placements(sections: list[Section]) -> list[UploadPlacement]:
    """Where each uploaded paper's pages are drawn in the laid-out pack."""
    return [
        UploadPlacement(
            paper_id=s.paper.pk,
            title=s.paper.title,
            content=s.upload.content,
            first_page=s.first,
            rects=[printable_rect(w, h) for w, h in s.upload.sizes],
            tagged=s.upload.tagged,
        )
        for s in sections
        if s.upload is not None and s.paper is not None
    ]


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
