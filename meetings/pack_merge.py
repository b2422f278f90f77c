"""The pack's second step (pikepdf): uploaded papers drawn into their pages, their
structure trees grafted into the pack's, footers marked as artifacts, and every page
given a resource dictionary of its own.

WeasyPrint lays the pack out with one placeholder page per uploaded page, of the
uploaded page's own size. Here each uploaded page becomes a form XObject drawn on its
placeholder, scaled into the printable area (between the running header and the page
number, so they never cover the paper). A tagged paper keeps its structure: its
structure elements are copied under the pack's section for the paper, each marked
content reference pointing into the form XObject (`/Stm`) that holds it, the form given
its own `/StructParents` entry in the pack's ParentTree, and its links copied onto the
pack page with their structure parents. An untagged paper's page is one Figure whose
alternative text says so.

WeasyPrint writes one resource dictionary shared by every page, and an uploaded paper
often does the same; a page taken out of the pack would carry every other page's fonts
and drawings with it (an exempt paper's too). So each page, and each form it draws,
gets a dictionary holding exactly the resources its content stream names.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from meetings.pack_tags import drop_empty, join_continuations, kids, reachable, scope_header_cells

#: Content operators that name a resource, and the resource category each names.
_RESOURCE_OPERATORS = {
    "Tf": "/Font",
    "Do": "/XObject",
    "gs": "/ExtGState",
    "sh": "/Shading",
    "cs": "/ColorSpace",
    "CS": "/ColorSpace",
    "scn": "/Pattern",
    "SCN": "/Pattern",
    "BDC": "/Properties",
    "DP": "/Properties",
}


@dataclass
class UploadPlacement:
    """One uploaded paper: where its pages go and the rectangle each is drawn in."""

    paper_id: int
    title: str
    content: bytes
    first_page: int  # 1-based page of the pack
    rects: list[tuple[float, float, float, float]] = field(default_factory=list)
    tagged: bool = False


def used_names(instructions: list) -> dict[str, set[str]]:
    """Resource names a content stream uses, by category."""
    import pikepdf

    used: dict[str, set[str]] = {}
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator = str(instruction.operator)
        category = _RESOURCE_OPERATORS.get(operator)
        if category is None or not instruction.operands:
            continue
        if operator in ("BDC", "DP") or operator in ("scn", "SCN"):
            candidate = instruction.operands[-1]
        else:
            candidate = instruction.operands[0]
        if isinstance(candidate, pikepdf.Name):
            used.setdefault(category, set()).add(str(candidate))
    return used


#: A resource name and the operator that uses it, in raw content bytes (Tf has the
#: font size between). Faster than parsing a text-heavy page into objects; a match
#: inside a string only keeps a resource that is not needed, never drops one.
_NAME_BEFORE_OPERATOR = re.compile(
    rb"/([^\s/\[\]()<>{}%]+)\s+(?:[-+\d.]+\s+)?(Tf|Do|gs|sh|cs|CS|scn|SCN|BDC|DP)(?![^\s/\[\]()<>{}%])"
)


def scan_names(content: bytes) -> dict[str, set[str]]:
    """Resource names a form's content uses, by category (see `used_names`)."""
    used: dict[str, set[str]] = {}
    for name, operator in _NAME_BEFORE_OPERATOR.findall(content):
        category = _RESOURCE_OPERATORS[operator.decode()]
        used.setdefault(category, set()).add("/" + name.decode("latin-1"))
    return used


def _pruned(pdf: Any, resources: Any, used: dict[str, set[str]], done: dict) -> Any:
    """A new resource dictionary with only the `used` entries (forms pruned in turn)."""
    import pikepdf

    new = pikepdf.Dictionary()
    if resources is None:
        return new
    if "/ProcSet" in resources:
        new.ProcSet = resources.ProcSet
    for category, names in used.items():
        source = resources.get(category)
        if source is None:
            continue
        entries = pikepdf.Dictionary()
        for name in sorted(names):
            if name in source:
                entries[name] = source[name]
                if category == "/XObject":
                    _prune_form(pdf, source[name], done)
        new[category] = entries
    return new


def _prune_form(pdf: Any, xobject: Any, done: dict) -> None:
    import pikepdf

    if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form":
        return
    key = xobject.objgen
    if key in done:
        return
    done[key] = True
    if "/Resources" not in xobject:
        return
    xobject.Resources = _pruned(pdf, xobject.Resources, scan_names(xobject.read_bytes()), done)


def _parent_tree(root: Any) -> dict[int, Any]:
    """The pack's ParentTree as {key: value} (WeasyPrint writes one flat /Nums array)."""
    nums = root.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _write_parent_tree(pdf: Any, root: Any, tree: dict[int, Any]) -> None:
    import pikepdf

    flat = pikepdf.Array()
    for key in sorted(tree):
        flat.append(key)
        flat.append(tree[key])
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=flat))
    root.ParentTreeNextKey = (max(tree) + 1) if tree else 0


def _artifacts_and_names(
    pdf: Any, page: Any, tree: dict[int, Any], reachable: Any
) -> dict[str, set[str]]:
    """Turn marked content outside the structure tree (WeasyPrint's running header and
    footer) into pagination artifacts; return the names the page's content uses."""
    import pikepdf

    key = page.obj.get("/StructParents")
    mapping = tree.get(int(key)) if key is not None else None
    instructions = pikepdf.parse_content_stream(page)
    changed = False
    if mapping is not None:
        for index, instruction in enumerate(instructions):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                continue
            if str(instruction.operator) != "BDC" or len(instruction.operands) != 2:
                continue
            props = instruction.operands[1]
            if not isinstance(props, pikepdf.Dictionary) or "/MCID" not in props:
                continue
            mcid = int(props.MCID)
            element = mapping[mcid] if mcid < len(mapping) else None
            if element is None or not isinstance(element, pikepdf.Dictionary):
                continue
            if element.objgen in reachable:
                continue
            instructions[index] = pikepdf.ContentStreamInstruction(
                [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)],
                pikepdf.Operator("BDC"),
            )
            mapping[mcid] = None
            changed = True
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return used_names(instructions)


def assemble(
    raw: bytes,
    uploads: list[UploadPlacement],
    *,
    outline: list[tuple[int, str, int]],
    link_texts: dict[str, str] | None = None,
    starts: set[int] | None = None,
) -> bytes:
    """The finished pack: `raw` (WeasyPrint's PDF/UA-1 output with placeholder pages)
    with the uploaded papers drawn and grafted, artifacts marked, per-page resources
    and the outline."""
    import pikepdf

    from meetings.pack_graft import graft

    pdf = pikepdf.open(io.BytesIO(raw))
    root = pdf.Root.StructTreeRoot
    tree = _parent_tree(root)
    join_continuations(kids(root)[0], pdf, starts if starts is not None else set())
    in_tree = reachable(root)
    names = [_artifacts_and_names(pdf, page, tree, in_tree) for page in pdf.pages]
    document = kids(root)[0]
    sections = _upload_sections(document, pdf, uploads)
    drawings: dict[int, tuple[str, Any, bytes]] = {}
    for upload in uploads:
        drawings.update(graft(pdf, upload, tree=tree, sections=sections))
    scope_header_cells(root)
    _describe_links(pdf, link_texts or {})
    done: dict = {}
    for index, page in enumerate(pdf.pages):
        resources = _pruned(pdf, page.obj.get("/Resources"), names[index], done)
        if index in drawings:
            name, form, placement = drawings[index]
            if "/XObject" not in resources:
                resources.XObject = pikepdf.Dictionary()
            resources.XObject[name] = form
            _prune_form(pdf, form, done)
            page.obj.Contents = pikepdf.Array(
                [pdf.make_stream(b"q\n" + placement + b"\nQ\n"), *_contents(page)]
            )
        page.obj.Resources = resources
    drop_empty(document)
    _write_parent_tree(pdf, root, tree)
    _write_outline(pdf, outline)
    pdf.Root.PageMode = pikepdf.Name.UseOutlines
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()


def _describe_links(pdf: Any, link_texts: dict[str, str]) -> None:
    """A link's description (/Contents, what a screen reader announces) says where it
    goes ("Strategic paper, pages 3–5"), not the anchor's id WeasyPrint puts there."""
    import pikepdf

    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            anchor = str(annot.get("/Contents", "")).lstrip("#")
            if anchor in link_texts:
                annot.Contents = pikepdf.String(link_texts[anchor])


def _contents(page: Any) -> list:
    import pikepdf

    contents = page.obj.get("/Contents")
    if contents is None:
        return []
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]


def _upload_sections(document: Any, pdf: Any, uploads: list[UploadPlacement]) -> dict[int, Any]:
    """For each uploaded paper's first page, the Sect element WeasyPrint made for the
    paper's placeholder (its heading), which the paper's structure is grafted under."""
    import pikepdf

    firsts = {upload.first_page - 1 for upload in uploads}
    objgens = {pdf.pages[i].obj.objgen: i for i in firsts}
    found: dict[int, Any] = {}
    for element in kids(document):
        if not isinstance(element, pikepdf.Dictionary) or element.get("/S") != "/Sect":
            continue
        page = element.get("/Pg")
        index = objgens.get(page.objgen) if page is not None else None
        if index is not None and index not in found:
            if not isinstance(element.get("/K"), pikepdf.Array):
                element.K = pikepdf.Array(kids(element))
            found[index] = element
    return found


def _write_outline(pdf: Any, outline: list[tuple[int, str, int]]) -> None:
    import pikepdf

    with pdf.open_outline() as tree:
        tree.root.clear()
        parents: dict[int, Any] = {}
        for level, title, page in outline:
            item = pikepdf.OutlineItem(title, page - 1)
            if level and parents.get(level - 1) is not None:
                parents[level - 1].children.append(item)
            else:
                tree.root.append(item)
            parents[level] = item
