"""Drawing one uploaded paper into the pack and grafting its structure tree (pikepdf).

See meetings/pack_merge.py for the whole step. The source paper is opened on its own,
changed there (each page turned into a form XObject, each structure element's page
reference replaced by the page's index, integer MCIDs turned into marked content
references into the form), then copied into the pack with `copy_foreign`, which keeps
the references between the copied objects. Last, the page indices become the pack's
pages and the copied elements hang under the paper's section.
"""

from __future__ import annotations

import io
import re
from typing import Any

from meetings import pack_tags
from meetings.pack_merge import UploadPlacement

_PAGE_KEY = "/CspPageIndex"
_CM = re.compile(rb"([-\d.e]+) ([-\d.e]+) ([-\d.e]+) ([-\d.e]+) ([-\d.e]+) ([-\d.e]+) cm")


def is_tagged(pdf: Any) -> bool:
    """A tagged PDF: a structure tree and /MarkInfo /Marked true."""
    mark = pdf.Root.get("/MarkInfo")
    return "/StructTreeRoot" in pdf.Root and mark is not None and bool(mark.get("/Marked", False))


def _matrix(values: Any) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n  # noqa: N806
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _transform_rect(rect: Any, m: tuple[float, ...]) -> list[float]:
    x0, y0, x1, y1 = (float(v) for v in rect)
    points = [(x, y) for x in (x0, x1) for y in (y0, y1)]
    xs = [m[0] * x + m[2] * y + m[4] for x, y in points]
    ys = [m[1] * x + m[3] * y + m[5] for x, y in points]
    return [min(xs), min(ys), max(xs), max(ys)]


def graft(
    pack: Any, upload: UploadPlacement, *, tree: dict[int, Any], sections: dict[int, Any]
) -> dict:
    """Draw `upload` onto its pages of `pack`; return {page index: (xobject name, object,
    drawing bytes)} for the caller to install with the page's own resources.

    `tree` is the pack's ParentTree ({key: value}), extended here; `sections` maps a pack
    page index to the structure element the paper's elements go under.
    """
    import pikepdf

    source = pikepdf.open(io.BytesIO(upload.content))
    tagged = is_tagged(source)
    source_tree = _source_parent_tree(source) if tagged else {}
    page_index = {page.obj.objgen: i for i, page in enumerate(source.pages)}
    next_key = max(tree) + 1 if tree else 0
    forms, keys = [], {}
    for page in source.pages:
        form = source.make_indirect(page.as_form_xobject(handle_transformations=True))
        own = page.obj.get("/StructParents")
        if tagged and own is not None and int(own) in source_tree:
            form.StructParents = next_key
            keys[next_key] = source_tree[int(own)]
            next_key += 1
        forms.append(form)
    tops: list[Any] = []
    seen: set[tuple[int, int]] = set()
    if tagged:
        tops, seen = _prepare_elements(source, forms, page_index)
        _merge_role_map(pack, source)
        for key, value in keys.items():
            keys[key] = source.make_indirect(_only_seen(value, seen))
    links = [_prepare_links(page, page_index) for page in source.pages]
    copied_forms = [pack.copy_foreign(form) for form in forms]
    copied_tops = [pack.copy_foreign(top) for top in tops]
    for key, value in keys.items():
        tree[key] = pack.copy_foreign(value)
    first = upload.first_page - 1
    anchor = sections.get(first)
    drawings: dict[int, tuple[str, Any, bytes]] = {}
    for i, form in enumerate(copied_forms):
        target = pack.pages[first + i]
        name = f"/CspPaper{upload.paper_id}p{i}"
        x0, y0, x1, y1 = upload.rects[i]
        placement = target.calc_form_xobject_placement(
            form, pikepdf.Name(name), pikepdf.Rectangle(x0, y0, x1, y1), allow_expand=False
        )
        placed = _CM.search(placement)
        if placed is None:  # pikepdf's placement always sets the matrix with `cm`
            raise ValueError(f"No placement matrix for {name}: {placement!r}")
        matrix = _multiply(
            _matrix(form.get("/Matrix", [1, 0, 0, 1, 0, 0])), _matrix(placed.groups())
        )
        if not tagged:
            placement, next_key = _untagged_figure(pack, target, placement, upload, i, anchor, tree)
        drawings[first + i] = (name, form, placement)
        next_key = _install_links(pack, links[i], target, matrix, first, tree, next_key)
    for top in copied_tops:
        _resolve_pages(pack, top, first)
        if anchor is not None:
            top.P = anchor
            anchor.K.append(top)
    return drawings


def _source_parent_tree(source: Any) -> dict[int, Any]:
    import pikepdf

    root = source.Root.StructTreeRoot
    if "/ParentTree" not in root:
        return {}
    return {int(k): v for k, v in pikepdf.NumberTree(root.ParentTree).items()}


def _prepare_elements(
    source: Any, forms: Any, page_index: Any
) -> tuple[list[Any], set[tuple[int, int]]]:
    """In the source: each element's /Pg becomes an index, integer MCIDs become marked
    content references into the page's form XObject; return the top elements and the
    elements seen."""
    import pikepdf

    tops = pack_tags.kids(source.Root.StructTreeRoot)
    stack = [(top, None) for top in tops]
    top_ids = {top.objgen for top in tops if isinstance(top, pikepdf.Dictionary)}
    seen: set[tuple[int, int]] = set()
    while stack:
        element, inherited = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.objgen in seen:
            continue
        seen.add(element.objgen)
        page = inherited
        if "/Pg" in element:
            page = page_index.get(element.Pg.objgen, inherited)
            del element["/Pg"]
            if page is not None:
                element[_PAGE_KEY] = page
        if element.objgen in top_ids and "/P" in element:
            del element["/P"]
        kids = element.get("/K")
        if kids is None:
            continue
        array = kids if isinstance(kids, pikepdf.Array) else pikepdf.Array([kids])
        new = pikepdf.Array()
        for kid in array:
            if isinstance(kid, int):
                if page is None:
                    continue
                mcr = pikepdf.Dictionary(Type=pikepdf.Name.MCR, MCID=int(kid), Stm=forms[page])
                mcr[_PAGE_KEY] = page
                new.append(mcr)
                continue
            kind = kid.get("/Type")
            if kind in ("/MCR", "/OBJR"):
                kid_page = page_index.get(kid.Pg.objgen, page) if "/Pg" in kid else page
                if "/Pg" in kid:
                    del kid["/Pg"]
                target = kid.get("/Obj")
                if isinstance(target, pikepdf.Dictionary) and "/P" in target:
                    del target["/P"]
                if kid_page is not None:
                    kid[_PAGE_KEY] = kid_page
                    if kind == "/MCR" and "/Stm" not in kid:
                        kid.Stm = forms[kid_page]
                new.append(kid)
                continue
            new.append(kid)
            stack.append((kid, page))
        element.K = new
    return tops, seen


def _merge_role_map(pack: Any, source: Any) -> None:
    import pikepdf

    roles = source.Root.StructTreeRoot.get("/RoleMap")
    if roles is None:
        return
    root = pack.Root.StructTreeRoot
    if "/RoleMap" not in root:
        root.RoleMap = pikepdf.Dictionary()
    for key, value in roles.items():
        if key not in root.RoleMap:
            root.RoleMap[key] = value


def _resolve_pages(pack: Any, top: Any, first: int) -> None:
    """Replace the page indices left by `_prepare_elements` with the pack's pages."""
    import pikepdf

    stack, seen = [top], set()
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Dictionary) or obj.objgen in seen and obj.is_indirect:
            continue
        if obj.is_indirect:
            seen.add(obj.objgen)
        if _PAGE_KEY in obj:
            obj.Pg = pack.pages[first + int(obj[_PAGE_KEY])].obj
            del obj[_PAGE_KEY]
        if obj.get("/Type") in ("/MCR", "/OBJR"):
            continue
        kids = obj.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kids)
        elif kids is not None:
            stack.append(kids)


def _untagged_figure(
    pack: Any, target: Any, placement: bytes, upload: Any, i: int, anchor: Any, tree: Any
) -> tuple[bytes, int]:
    """An untagged paper's page as one Figure, saying it is not accessible."""
    import pikepdf

    key = int(target.obj.StructParents)
    mapping = tree[key]
    mcid = len(mapping)
    figure = pack.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem,
            S=pikepdf.Name.Figure,
            P=anchor if anchor is not None else pack.Root.StructTreeRoot,
            Pg=target.obj,
            K=mcid,
            Alt=pikepdf.String(
                f"Page {i + 1} of “{upload.title}”, an uploaded paper that is not tagged "
                "for accessibility: ask the clerk for an accessible copy."
            ),
        )
    )
    mapping.append(figure)
    if anchor is not None:
        anchor.K.append(figure)
    drawing = b"/Figure <</MCID %d>> BDC\n" % mcid + placement + b"\nEMC\n"
    return drawing, max(tree) + 1


def _only_seen(value: Any, seen: set) -> Any:
    """A ParentTree value keeping only elements of the grafted tree (so nothing drags
    the source's pages along when copied)."""
    import pikepdf

    if isinstance(value, pikepdf.Array):
        return pikepdf.Array(
            [
                v if isinstance(v, pikepdf.Dictionary) and v.objgen in seen else pikepdf.Name.Null
                for v in value
            ]
        )
    if isinstance(value, pikepdf.Dictionary) and value.objgen in seen:
        return value
    return pikepdf.Name.Null


def _prepare_links(page: Any, page_index: Any) -> list[tuple]:
    """In the source, before anything is copied: the page's link annotations with their
    page references taken out (recorded as indices), and each link's structure parent."""
    import pikepdf

    source = page.obj.owner if hasattr(page.obj, "owner") else None
    root = source.Root.get("/StructTreeRoot") if source is not None else None
    parents = (
        pikepdf.NumberTree(root.ParentTree) if root is not None and "/ParentTree" in root else None
    )
    found = []
    for annot in list(page.obj.get("/Annots", [])):
        if annot.get("/Subtype") != "/Link" or "/Rect" not in annot:
            continue
        for key in ("/P", "/Popup", "/Parent"):
            if key in annot:
                del annot[key]
        targets = []
        for holder, key in ((annot, "/Dest"), (annot.get("/A"), "/D")):
            dest = holder.get(key) if holder is not None else None
            if (
                isinstance(dest, pikepdf.Array)
                and len(dest)
                and isinstance(dest[0], pikepdf.Dictionary)
            ):
                targets.append((holder is annot, key, page_index.get(dest[0].objgen)))
                dest[0] = pikepdf.Name.Null
        parent = None
        if parents is not None and "/StructParent" in annot:
            own = int(annot.StructParent)
            parent = parents.get(own, None)
        found.append((annot, targets, parent))
    return found


def _install_links(
    pack: Any, links: Any, target: Any, matrix: Any, first: Any, tree: Any, next_key: Any
) -> int:
    """The paper's links on the pack page: moved with the page, internal destinations
    pointed at the pack's pages, each link's structure parent kept."""
    import pikepdf

    for annot, targets, parent in links:
        copied = pack.copy_foreign(annot)
        copied.Rect = _transform_rect(annot.Rect, matrix)
        copied.P = target.obj
        for on_annot, key, index in targets:
            holder = copied if on_annot else copied.A
            if index is None:
                del holder[key]
            else:
                holder[key][0] = pack.pages[first + index].obj
        if parent is not None and isinstance(parent, pikepdf.Dictionary):
            copied.StructParent = next_key
            tree[next_key] = pack.copy_foreign(parent)
            next_key += 1
        elif "/StructParent" in copied:
            del copied["/StructParent"]
        if "/Annots" not in target.obj:
            target.obj.Annots = pikepdf.Array()
        target.obj.Annots.append(copied)
    return next_key
