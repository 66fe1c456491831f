"""What a person typed or ticked into a fillable PDF form (AcroForm fields). The values live in the fields'
widgets, not in the page's text, so PDFium's text layer holds the form's printed labels and none of the
answers: a filled-in incident form read as a blank one. Each page's filled fields are read through PDFium's
form API and given as "label: value" lines, top to bottom, after the page's text.
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


def filled_fields(pdf: pdfium.PdfDocument, page: pdfium.PdfPage) -> list[str]:
    """The page's filled-in fields as "label: value" lines in reading order (none when the document has no
    form, or PDFium was not given it with ``init_forms``)."""
    import pypdfium2.raw as pdfium_c

    not_shown = pdfium_c.FPDF_ANNOT_FLAG_HIDDEN | pdfium_c.FPDF_ANNOT_FLAG_NOVIEW
    form = getattr(pdf, "formenv", None)
    if form is None:
        return []
    found: list[tuple[float, float, str]] = []
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_WIDGET:
                continue
            if pdfium_c.FPDFAnnot_GetFlags(annot) & not_shown:  # a form's hidden helpers (running totals)
                continue
            value = _value(form.raw, annot, pdfium_c)
            if not value:
                continue
            label = _label(form.raw, annot, pdfium_c)
            rect = pdfium_c.FS_RECTF()
            pdfium_c.FPDFAnnot_GetRect(annot, rect)
            line = f"{label}: {value}" if label else value
            found.append((-max(rect.top, rect.bottom), min(rect.left, rect.right), line))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    lines = [line for _top, _left, line in sorted(found)]
    return list(dict.fromkeys(lines))  # a field drawn twice (on two widgets) once


def _value(form: Any, annot: Any, pdfium_c: Any) -> str:
    kind = pdfium_c.FPDFAnnot_GetFormFieldType(form, annot)
    if kind in (pdfium_c.FPDF_FORMFIELD_CHECKBOX, pdfium_c.FPDF_FORMFIELD_RADIOBUTTON):
        if not pdfium_c.FPDFAnnot_IsChecked(form, annot):
            return ""
        exported = _text(pdfium_c.FPDFAnnot_GetFormFieldExportValue, form, annot)
        # A box's "on" state is often just "Yes", "On" or "1": say it plainly.
        return "ticked" if exported.lower() in ("", "yes", "on", "1", "true", "x") else exported
    if kind in (pdfium_c.FPDF_FORMFIELD_TEXTFIELD, pdfium_c.FPDF_FORMFIELD_COMBOBOX,
                pdfium_c.FPDF_FORMFIELD_LISTBOX):
        return " ".join(_text(pdfium_c.FPDFAnnot_GetFormFieldValue, form, annot).split())
    return ""


def _label(form: Any, annot: Any, pdfium_c: Any) -> str:
    shown = " ".join(_text(pdfium_c.FPDFAnnot_GetFormFieldAlternateName, form, annot).split())
    if shown:
        return shown.rstrip(":")
    name = _text(pdfium_c.FPDFAnnot_GetFormFieldName, form, annot).rsplit(".", 1)[-1]
    return " ".join(_TREE_INDEX.sub("", name).replace("_", " ").split())


def _text(getter: Callable[..., int], form: Any, annot: Any) -> str:
    """A UTF-16 string from one of PDFium's two-call getters (the size first, then the text)."""
    size = getter(form, annot, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    getter(form, annot, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    return buffer.raw[: size - 2].decode("utf-16-le", "replace")
