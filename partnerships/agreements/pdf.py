"""The agreement as PDF/UA-1: the blank signable copy and the signed copy.

`blank_pdf` is made once per school and version and stored by the caller, so every signer sees, and
signs the SHA-256 of, the same bytes. Its signature form fields are added by pyHanko as an incremental
update: the bytes WeasyPrint wrote are kept unchanged at the start of the file, so the hash of the
stored blank covers both WeasyPrint's output and the fields; hash the stored bytes, never a re-render
(WeasyPrint stamps the creation time, so two renders differ).

Where the fields go: each block's signature area is an element with the id `signature-<key>`.
WeasyPrint's layout gives every element with an id an anchor rectangle (`Page.anchors`, CSS pixels from
the page's top left); it is turned into PDF points (0.75 pt per px, y from the bottom). The document is
laid out once and that same layout is written, so the rectangles are exactly where the areas are drawn.

Tagging the fields (PDF/UA): WeasyPrint makes a /Div structure element for each signature area, and in
the blank these are the last empty /Div elements (the template's other lines are spans), in block order.
Each field's widget gets a /Form structure element inside its area's /Div, holding an /OBJR to the
widget; the widget's /StructParent points back through the parent tree; and every page's /Tabs is /S,
so the tab order follows the structure.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field
from weasyprint.document import Document

from partnerships.agreements.document import AgreementDocument, Block, Signature
from partnerships.agreements.fetch import Refused, html_document

LANGUAGE = "en-GB"
TEMPLATE = "partnerships/agreements/pdf/agreement.html"
KEYWORD_PREFIX = "commonroom-agreement:"
PX_TO_PT = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch


@dataclass(frozen=True)
class _Entry:
    block: Block
    signature: Signature | None = None


@dataclass(frozen=True)
class _Field:
    block: Block
    page: int
    box: tuple[float, float, float, float]  # PDF points: lower left x, y, upper right x, y


def field_name(block: Block) -> str:
    return f"signature-{block.key}"


def agreement_html(doc: AgreementDocument, signatures: list[Signature]) -> str:
    """The agreement's HTML, as WeasyPrint is given it."""
    by_block = {signature.block_key: signature for signature in signatures}
    unknown = set(by_block) - {block.key for block in doc.blocks}
    if unknown:
        raise ValueError(f"Signatures for blocks the document does not have: {', '.join(sorted(unknown))}")
    context = {
        "doc": doc,
        "blocks": [_Entry(block, by_block.get(block.key)) for block in doc.blocks],
        "signatures": bool(signatures),
        "language": LANGUAGE,
        "keyword": KEYWORD_PREFIX + doc.identifier,
    }
    return render_to_string(TEMPLATE, context)


def _layout(doc: AgreementDocument, signatures: list[Signature]) -> Document:
    document = html_document(agreement_html(doc, signatures)).render()
    # Attachments are fetched only when written: refuse them before anything is.
    if document.metadata.attachments or any(link[0] == "attachment" for page in document.pages for link in page.links):
        raise Refused("Agreement PDFs carry no attachments.")
    return document


def _write(document: Document) -> bytes:
    return document.write_pdf(pdf_variant="pdf/ua-1")


def _fields(document: Document, doc: AgreementDocument) -> list[_Field]:
    fields = []
    for block in doc.blocks:
        anchor = f"signature-{block.key}"
        for number, page in enumerate(document.pages):
            if anchor in page.anchors:
                x1, y1, x2, y2 = page.anchors[anchor]
                height = page.height * PX_TO_PT
                box = (x1 * PX_TO_PT, height - y2 * PX_TO_PT, x2 * PX_TO_PT, height - y1 * PX_TO_PT)
                fields.append(_Field(block, number, box))
                break
        else:
            raise ValueError(f"The signature block {block.key} was not laid out.")
    return fields


def _struct_elements_backwards(element):
    """Structure elements from the last in reading order to the first (reversed depth-first order), so
    the signature areas, at the end, are found without reading the whole tree."""
    kids = element.get("/K")
    if kids is None:
        return
    kids = kids if isinstance(kids, generic.ArrayObject) else [kids]
    for kid in reversed(kids):
        if isinstance(kid, generic.IndirectObject):
            obj = kid.get_object()
            if isinstance(obj, generic.DictionaryObject) and obj.get("/Type", "/StructElem") == "/StructElem":
                yield from _struct_elements_backwards(obj)
                yield kid, obj


def _signature_areas(tree_root, count: int) -> list:
    """The last `count` empty /Div elements: the signature section comes after every section."""
    areas = []
    for ref, obj in _struct_elements_backwards(tree_root):
        kids = obj.get("/K")
        if obj.get("/S") == "/Div" and isinstance(kids, generic.ArrayObject) and len(kids) == 0:
            areas.append((ref, obj))
            if len(areas) == count:
                return areas[::-1]
    raise ValueError(f"Found {len(areas)} signature areas in the structure tree for {count} blocks.")


def _tag_fields(writer: IncrementalPdfFileWriter, fields: list[_Field]) -> None:
    root = writer.root
    tree_root = root["/StructTreeRoot"]
    parent_tree = tree_root["/ParentTree"]
    nums = parent_tree["/Nums"]
    next_key = int(tree_root.get("/ParentTreeNextKey", 0))
    next_key = max([next_key] + [int(nums[i]) + 1 for i in range(0, len(nums), 2)])
    areas = _signature_areas(tree_root, len(fields))
    widgets = {str(field.get_object()["/T"]): field for field in root["/AcroForm"]["/Fields"]}
    page_refs = [writer.find_page_for_modification(number)[0] for number in range(len(writer.root["/Pages"]["/Kids"]))]
    for (area_ref, area), field in zip(areas, fields, strict=True):
        widget_ref = widgets[field_name(field.block)]
        widget = widget_ref.get_object()
        page_ref = page_refs[field.page]
        objr = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/OBJR"),
                generic.pdf_name("/Obj"): widget_ref,
                generic.pdf_name("/Pg"): page_ref,
            }
        )
        form = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/StructElem"),
                generic.pdf_name("/S"): generic.pdf_name("/Form"),
                generic.pdf_name("/P"): area_ref,
                generic.pdf_name("/Pg"): page_ref,
                generic.pdf_name("/K"): generic.ArrayObject([writer.add_object(objr)]),
            }
        )
        form_ref = writer.add_object(form)
        if not isinstance(area.get("/K"), generic.ArrayObject):
            area[generic.pdf_name("/K")] = generic.ArrayObject()
        area["/K"].append(form_ref)
        writer.mark_update(area_ref)
        widget[generic.pdf_name("/StructParent")] = generic.NumberObject(next_key)
        writer.mark_update(widget_ref)
        nums.append(generic.NumberObject(next_key))
        nums.append(form_ref)
        next_key += 1
    writer.update_container(nums)
    tree_root[generic.pdf_name("/ParentTreeNextKey")] = generic.NumberObject(next_key)
    writer.update_container(tree_root)
    for page_ref in page_refs:
        page_ref.get_object()[generic.pdf_name("/Tabs")] = generic.pdf_name("/S")
        writer.mark_update(page_ref)


def _add_signature_fields(pdf: bytes, fields: list[_Field]) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for field in fields:
        append_signature_field(
            writer,
            SigFieldSpec(
                sig_field_name=field_name(field.block),
                on_page=field.page,
                box=field.box,
                empty_field_appearance=True,
                readable_field_name=f"Signature of the {field.block.role_label.lower()}, {field.block.party}",
            ),
        )
    _tag_fields(writer, fields)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def blank_pdf(doc: AgreementDocument) -> bytes:
    """The signable PDF for one school and version: PDF/UA-1 with an empty, tagged signature field in
    each block. Store it: its SHA-256 is what each signer signs."""
    document = _layout(doc, [])
    return _add_signature_fields(_write(document), _fields(document, doc))


def signed_pdf(doc: AgreementDocument, signatures: list[Signature]) -> bytes:
    """The same agreement with each signer's name and date in their block and, last, the certificate
    of signing. Unsealed: pass it to `seal.seal`."""
    if not signatures:
        raise ValueError("A signed copy needs at least one signature.")
    return _write(_layout(doc, signatures))
