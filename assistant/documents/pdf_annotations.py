"""What people typed onto a PDF page on top of its printed text: the values typed or ticked into a fillable
form (AcroForm fields) and text boxes typed onto a flat form or a report ("Add text" in Acrobat, Preview, Edge,
Firefox: FreeText annotations). Neither is in the page's text layer, so a filled-in form read as a blank one. They
are read through PDFium's annotation and form APIs and given as lines, top to bottom, after the page's text:
"label: value" for a field, the typed text for a text box. Comments (sticky notes, a highlight's note) are notes
about the document rather than what its page shows, and are not read. An XFA-only form keeps its values in its
XFA data instead (``xfa_values``).
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pypdfium2 as pdfium

#: A field's own name is often its place in the form's tree ("topmostSubform[0].Page1[0].f1_01[0]"): the last
#: part without its index is kept when the form gives no name meant for people (the tooltip, /TU).
_TREE_INDEX = re.compile(r"\[\d+\]$")
#: A text box of at least this many words that the page's text already holds is a copy, not something typed.
_COPY_WORDS = 3


def added_text(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, page_text: str = "") -> list[str]:
    """The page's filled-in fields and typed text boxes as lines in reading order. A text box that repeats a
    sentence of the page's own text is left out, and so are hidden annotations (a form's running totals); form
    fields need the document's form loaded (``init_forms``)."""
    import pypdfium2.raw as pdfium_c

    not_shown = pdfium_c.FPDF_ANNOT_FLAG_HIDDEN | pdfium_c.FPDF_ANNOT_FLAG_NOVIEW
    form = getattr(pdf, "formenv", None)
    printed = " ".join(page_text.split())
    found: list[tuple[float, float, str]] = []
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetFlags(annot) & not_shown:
                continue
            kind = pdfium_c.FPDFAnnot_GetSubtype(annot)
            if kind == pdfium_c.FPDF_ANNOT_WIDGET:
                line = _field(form.raw, annot, pdfium_c) if form is not None else ""
            elif kind == pdfium_c.FPDF_ANNOT_FREETEXT:
                line = _contents(annot, pdfium_c)
                # A copy of a sentence already printed on the page goes; a short typed answer ("Yes", "12") the
                # page also happens to print stays.
                line = "" if len(line.split()) >= _COPY_WORDS and line in printed else line
            else:  # comments, links, pop-ups, attachments, media
                line = ""
            if line:
                rect = pdfium_c.FS_RECTF()
                pdfium_c.FPDFAnnot_GetRect(annot, rect)
                found.append((-max(rect.top, rect.bottom), min(rect.left, rect.right), line))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    lines = [line for _top, _left, line in sorted(found)]
    return list(dict.fromkeys(lines))  # a field drawn on two widgets once


def _field(form: Any, annot: Any, pdfium_c: Any) -> str:
    value = _value(form, annot, pdfium_c)
    if not value:
        return ""
    label = _label(form, annot, pdfium_c)
    if label.casefold() == value.casefold():  # an option whose tooltip names it ("Male: Male"): ticked, said once
        return f"☑ {value}"
    return f"{label}: {value}" if label else value


def _value(form: Any, annot: Any, pdfium_c: Any) -> str:
    kind = pdfium_c.FPDFAnnot_GetFormFieldType(form, annot)
    if kind in (pdfium_c.FPDF_FORMFIELD_CHECKBOX, pdfium_c.FPDF_FORMFIELD_RADIOBUTTON):
        if not pdfium_c.FPDFAnnot_IsChecked(form, annot):
            return ""
        exported = _form_text(pdfium_c.FPDFAnnot_GetFormFieldExportValue, form, annot)
        # A box's "on" state is often just "Yes", "On" or "1": say it plainly.
        return "ticked" if exported.lower() in ("", "yes", "on", "1", "true", "x") else exported
    if kind in (pdfium_c.FPDF_FORMFIELD_TEXTFIELD, pdfium_c.FPDF_FORMFIELD_COMBOBOX,
                pdfium_c.FPDF_FORMFIELD_LISTBOX):
        return " ".join(_form_text(pdfium_c.FPDFAnnot_GetFormFieldValue, form, annot).split())
    return ""


def _label(form: Any, annot: Any, pdfium_c: Any) -> str:
    shown = " ".join(_form_text(pdfium_c.FPDFAnnot_GetFormFieldAlternateName, form, annot).split())
    if shown:
        return shown.rstrip(":")
    name = _form_text(pdfium_c.FPDFAnnot_GetFormFieldName, form, annot).rsplit(".", 1)[-1]
    return " ".join(_TREE_INDEX.sub("", name).replace("_", " ").split())


def _contents(annot: Any, pdfium_c: Any) -> str:
    """The annotation's text (/Contents), its lines joined."""
    return " ".join(_utf16(lambda *buffer: pdfium_c.FPDFAnnot_GetStringValue(annot, b"Contents", *buffer)).split())


def _form_text(getter: Callable[..., int], form: Any, annot: Any) -> str:
    return _utf16(lambda *buffer: getter(form, annot, *buffer))


def _utf16(getter: Callable[..., int]) -> str:
    """A UTF-16 string from one of PDFium's two-call getters (the size in bytes first, then the text)."""
    size = getter(None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    getter(ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    return buffer.raw[: size - 2].decode("utf-16-le", "replace")


#: XFA data is read up to this many values (a form's data, not a database).
MAX_XFA_VALUES = 2000
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_XFA_DATA = "{http://www.xfa.org/schema/xfa-data/1.0/}data"


def xfa_values(pdf: pdfium.PdfDocument) -> list[str]:
    """The values filled into an XFA form (the XML form format of Adobe LiveCycle, used by some government
    forms) as "Label: value" lines in the order of its data, the label made from the data's element name
    ("PAFamilyName: Euler" → "PA Family Name: Euler"); none when the document has no XFA data. PDFium here is
    built without XFA, so such a form's pages show only a "Please wait…" notice."""
    import pypdfium2.raw as pdfium_c
    from lxml import etree

    for index in range(pdfium_c.FPDF_GetXFAPacketCount(pdf.raw)):
        name = _packet_name(pdf.raw, index, pdfium_c)
        if name.rstrip(b"\0") != b"datasets":
            continue
        content = _packet_content(pdf.raw, index, pdfium_c)
        # No entity expansion and no network: the XML comes from a file someone sent; recover what a sloppy
        # writer left malformed (an "&" unescaped in a list of values).
        parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(content, parser) if content.strip() else None
        data = root.find(_XFA_DATA) if root is not None else None
        if data is None:
            return []
        lines = []
        for element in data.iter():
            if len(element) or not isinstance(element.tag, str) or not (element.text or "").strip():
                continue
            label = _CAMEL.sub(" ", etree.QName(element).localname).replace("_", " ")
            lines.append(f"{' '.join(label.split())}: {' '.join(element.text.split())}")
            if len(lines) >= MAX_XFA_VALUES:
                break
        return lines
    return []


def _packet_name(document: Any, index: int, pdfium_c: Any) -> bytes:
    size = pdfium_c.FPDF_GetXFAPacketName(document, index, None, 0)
    buffer = ctypes.create_string_buffer(max(size, 1))
    pdfium_c.FPDF_GetXFAPacketName(document, index, buffer, size)
    return buffer.raw[:size]


def _packet_content(document: Any, index: int, pdfium_c: Any) -> bytes:
    needed = ctypes.c_ulong(0)
    pdfium_c.FPDF_GetXFAPacketContent(document, index, None, 0, ctypes.byref(needed))
    buffer = ctypes.create_string_buffer(max(needed.value, 1))
    pdfium_c.FPDF_GetXFAPacketContent(document, index, buffer, needed.value, ctypes.byref(needed))
    return buffer.raw[: needed.value]
