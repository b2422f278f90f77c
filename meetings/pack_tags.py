"""Repairs to the structure tree WeasyPrint writes (pikepdf), for PDF/UA.

WeasyPrint builds each page's tree apart, so an element crossing a page break becomes
one element per page; `join_continuations` joins them back (one table, its header row
repeated on the next page left out of the structure). It writes `TH` cells without a
`/Scope` (`scope_header_cells`) and an element for every empty box (`drop_empty`).
`elements`, `reachable` and `kids` walk the tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def elements(root: Any) -> Iterator[Any]:
    """Each structure element below `root` once (not its marked-content and object
    references)."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack = list(kids(root))
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.get("/Type") in (
            "/MCR",
            "/OBJR",
        ):
            continue
        if element.objgen in seen:
            continue
        seen.add(element.objgen)
        stack.extend(kids(element))
        yield element


def reachable(root: Any) -> set[tuple[int, int]]:
    """Structure elements reachable from the StructTreeRoot (by object id)."""
    return {element.objgen for element in elements(root)}


def kids(element: Any) -> list:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def scope_header_cells(root: Any) -> None:
    """PDF/UA: every TH says whether it heads a column or a row."""
    import pikepdf

    for element in elements(root):
        if element.get("/S") != "/TH":
            continue
        row = element.get("/P")
        group = row.get("/P") if row is not None else None
        in_head = group is not None and group.get("/S") == "/THead"
        first_in_row = row is not None and kids(row) and kids(row)[0].objgen == element.objgen
        scope = "/Column" if in_head or not first_in_row else "/Row"
        attributes = element.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
        attributes.Scope = pikepdf.Name(scope)
        element.A = attributes


def drop_empty(element: Any) -> bool:
    """Remove structure elements with no content (WeasyPrint's placeholder divs); True
    if `element` itself is empty."""
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return True
    if not isinstance(kids, pikepdf.Array):
        if isinstance(kids, pikepdf.Dictionary) and kids.get("/S") is not None:
            return drop_empty(kids)
        return False
    kept = pikepdf.Array()
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") is not None and drop_empty(kid):
            continue
        kept.append(kid)
    element.K = kept
    return len(kept) == 0


#: Structure elements WeasyPrint splits at a page break (it builds each page's tree
#: apart): the part on the next page is joined back to the part before.
_CONTAINERS = frozenset({"/Sect", "/Div", "/Table", "/TBody", "/TFoot", "/L", "/Part", "/Art"})


def join_continuations(document: Any, pdf: Any, starts: set[int]) -> None:
    """One Table (Sect, list…) for an element that crosses pages, not one per page.

    `starts` are the page indices where a new section begins (front sheet, minutes,
    each paper); on every other page the first top-level element continues the last
    one of the page before. A table's header row repeated on the next page is dropped
    from the structure (its content becomes an artifact) and its cells' /Headers
    point at the first header row.
    """
    import pikepdf

    page_of = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    kept: list = []
    seen_pages: set[int | None] = set()
    for element in kids(document):
        if not isinstance(element, pikepdf.Dictionary) or "/Pg" not in element:
            kept.append(element)
            continue
        page = page_of.get(element.Pg.objgen)
        first_on_page = page not in seen_pages
        seen_pages.add(page)
        if (
            first_on_page
            and page not in starts
            and kept
            and isinstance(kept[-1], pikepdf.Dictionary)
            and kept[-1].get("/S") == element.get("/S")
            and str(element.get("/S")) in _CONTAINERS
            and _joinable(element)
        ):
            _join(kept[-1], element)
        else:
            kept.append(element)
    document.K = pikepdf.Array(kept)


def _joinable(element: Any) -> bool:
    """Only elements whose kids are all structure elements (no MCIDs of their own)."""
    import pikepdf

    return all(isinstance(k, pikepdf.Dictionary) and "/S" in k for k in kids(element))


def _join(before: Any, after: Any) -> None:
    import pikepdf

    head = list(kids(before))
    tail = list(kids(after))
    if before.get("/S") == "/Table" and tail and tail[0].get("/S") == "/THead":
        first_head = next((k for k in head if k.get("/S") == "/THead"), None)
        if first_head is not None:
            _repoint_headers(first_head, tail[0], tail[1:])
            tail = tail[1:]
    if (
        head
        and tail
        and head[-1].get("/S") == tail[0].get("/S")
        and str(tail[0].get("/S")) in _CONTAINERS
        and _joinable(tail[0])
    ):
        _join(head[-1], tail[0])
        tail = tail[1:]
    for kid in tail:
        kid.P = before
    before.K = pikepdf.Array(head + tail)


def _cells(element: Any, kind: str) -> list:
    import pikepdf

    found, stack = [], [element]
    while stack:
        node = stack.pop(0)
        for kid in kids(node):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kind == kid.S:
                    found.append(kid)
                stack.append(kid)
    return found


def _repoint_headers(first_head: Any, repeated_head: Any, rest: Any) -> None:
    """Cells after a repeated header row name the first header row's cells instead."""
    import pikepdf

    ids = {
        str(new.ID): old.ID
        for old, new in zip(_cells(first_head, "/TH"), _cells(repeated_head, "/TH"), strict=False)
        if "/ID" in old and "/ID" in new
    }
    for part in rest:
        for cell in _cells(part, "/TD") + _cells(part, "/TH"):
            attributes = cell.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                attributes.Headers = pikepdf.Array([ids.get(str(h), h) for h in attributes.Headers])
