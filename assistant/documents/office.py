"""Word (.docx, python-docx; Word 97-2003 .doc, antiword) and OpenDocument (.odt, odfpy) body text, in document
order.

Headers, footers and comments are not body text and are left out. Table rows become one line each,
cells joined by " | ".
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.documents import messages
from assistant.documents.model import Extracted, Page, clean_title

ZIP_MAGIC = b"PK\x03\x04"
# Word saves a password-protected .docx as an OLE container holding an "EncryptedPackage" stream.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
CELL_SEPARATOR = " | "
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_TBL, _W_T, _W_TAB, _W_BR, _W_CR = (f"{_W}{tag}" for tag in ("p", "tbl", "t", "tab", "br", "cr"))
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = (f"{_W}{tag}" for tag in ("sdt", "sdtContent", "customXml"))
_W_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: antiword (GPL-2.0, a program of its own, installed by packaging/install-system-deps.sh) reads Word 97-2003 files;
#: no Python library does. Seconds it may take on one file.
ANTIWORD = "antiword"
_ANTIWORD_SECONDS = 120
_TABS = re.compile(r"[ \t]*\t[ \t]*")


def read_docx(data: bytes, name: str) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if is_encrypted_office_file(data):
        raise messages.encrypted(name)
    if not data.startswith(ZIP_MAGIC):
        raise messages.wrong_content(name, "Word (.docx)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise messages.wrong_content(name, "Word (.docx)") from error
    blocks = list(_docx_blocks(document))
    title = clean_title(document.core_properties.title)
    return Extracted(pages=(Page(None, "\n\n".join(blocks)),), title=title)


def read_doc(data: bytes, name: str) -> Extracted:
    """A Word 97-2003 document's text as antiword gives it, one paragraph a line, a table's row one line with its
    cells " | " apart. A ".doc" that is really RTF or a .docx (Word and other programs save them so) is read as
    what it is."""
    from assistant.documents.books import RTF_MAGIC, read_rtf

    if data.lstrip().startswith(RTF_MAGIC):
        return read_rtf(data, name)
    if data.startswith(ZIP_MAGIC):
        return read_docx(data, name)
    if not data.startswith(OLE_MAGIC):
        raise messages.wrong_content(name, "Word 97-2003 (.doc)")
    program = shutil.which(ANTIWORD)
    if program is None:
        raise messages.reader_missing(name, ANTIWORD)
    with tempfile.TemporaryDirectory(prefix="edgewise-doc-") as folder:
        source = Path(folder) / "document.doc"
        source.write_bytes(data)
        try:
            done = subprocess.run([program, "-w", "0", "-m", "UTF-8.txt", str(source)], capture_output=True,
                                  timeout=_ANTIWORD_SECONDS, check=False)
        except subprocess.TimeoutExpired as error:
            raise messages.cannot_open(name, "reading it took too long") from error
    said = done.stderr.decode("utf-8", "replace").lower()
    if done.returncode != 0 or not done.stdout.strip():
        if "encrypt" in said or "password" in said:
            raise messages.encrypted(name)
        if "not a word document" in said or done.returncode != 0:
            raise messages.wrong_content(name, "Word 97-2003 (.doc)")
    lines = [_doc_line(line) for line in done.stdout.decode("utf-8", "replace").splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line for line in lines if line is not None)).strip()
    return Extracted(pages=(Page(None, text),))


def _doc_line(line: str) -> str | None:
    """One line of antiword's text: a table row ("|Name&Position:   |   |") as its cells " | " apart, None when they
    are all empty; tabs that set words apart as a space."""
    stripped = line.strip()
    if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
        cells = [" ".join(cell.split()) for cell in stripped[1:-1].split("|")]
        return CELL_SEPARATOR.join(cell for cell in cells if cell) or None
    return _TABS.sub(" ", line).strip()


def is_encrypted_office_file(data: bytes) -> bool:
    """A password-protected Office (OLE "EncryptedPackage") or OpenDocument (encrypted entries) file."""
    return (data.startswith(OLE_MAGIC) and _ENCRYPTED_PACKAGE in data) or (
        data.startswith(ZIP_MAGIC) and _odt_is_encrypted(data)
    )


def _docx_blocks(container: Any) -> Iterator[str]:
    """Paragraph and table texts of a body or table cell, interleaved as in the document, those inside content
    controls too (``_block_elements``)."""
    from docx.table import Table

    parent = container.element.body if hasattr(container, "element") else container._element
    for element in _block_elements(parent):
        text = _docx_table_text(Table(element, container)) if element.tag == _W_TBL else _paragraph_text(element)
        if text.strip():
            yield text.strip()


def _block_elements(parent: Any) -> Iterator[Any]:
    """The paragraphs (w:p) and tables (w:tbl) of ``parent`` in order. A content control (w:sdt: the boxes of a
    Word form or template, "Click or tap here to enter text") holds its paragraphs in its w:sdtContent, where
    python-docx does not look: a filled-in Word form read without its answers."""
    for child in parent:
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag in (_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML):
            yield from _block_elements(child)


def _paragraph_text(paragraph: Any) -> str:
    """A paragraph's text in order: its runs wherever they sit (in a hyperlink, a tracked insertion, an inline
    content control, a text box), tabs and line breaks kept; properties, deleted text and field codes left out,
    and a drawing's fallback copy of a text box read once."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag
            if tag == _W_T:
                parts.append(child.text or "")
            elif tag == _W_TAB:
                parts.append("\t")
            elif tag in (_W_BR, _W_CR):
                parts.append("\n")
            elif tag == _W_NO_BREAK_HYPHEN:
                parts.append("-")
            elif tag == _W_P:  # a paragraph of a text box inside this one: a line of its own
                parts.append("\n")
                walk(child)
                parts.append("\n")
            elif tag != _MC_FALLBACK and not tag.endswith("Pr"):
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _docx_table_text(table: Any) -> str:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in _docx_row_cells(row, table):
            # A merged cell is returned once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(_docx_blocks(cell)))
        if any(cells):
            lines.append(CELL_SEPARATOR.join(cells))
    return "\n".join(lines)


def _docx_row_cells(row: Any, table: Any) -> tuple[Any, ...]:
    """The row's cells by grid column; where python-docx cannot place a vertically merged cell (a grid the row
    above does not match, which Word opens without complaint), the row's own cells as they are written."""
    try:
        return tuple(row.cells)
    except ValueError:
        from docx.table import _Cell

        return tuple(_Cell(tc, table) for tc in row._tr.tc_lst)


def read_odt(data: bytes, name: str) -> Extracted:
    from odf import dc
    from odf.opendocument import load

    if not data.startswith(ZIP_MAGIC):
        raise messages.wrong_content(name, "OpenDocument (.odt)")
    if _odt_is_encrypted(data):
        raise messages.encrypted(name)
    document = load(io.BytesIO(data))
    blocks = list(_odt_blocks(document.text))
    titles = document.meta.getElementsByType(dc.Title) if document.meta else []
    title = clean_title(_odt_text(titles[0])) if titles else None
    return Extracted(pages=(Page(None, "\n\n".join(blocks)),), title=title)


def _odt_is_encrypted(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"encryption-data" in archive.read("META-INF/manifest.xml")
    except (KeyError, zipfile.BadZipFile):
        return False  # no manifest: let the loader decide whether the file is readable


_ODT_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODT_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODT_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODT_PARAGRAPHS = {(_ODT_TEXT_NS, "p"), (_ODT_TEXT_NS, "h")}
_ODT_TABLE = (_ODT_TABLE_NS, "table")
# Not body text: form controls, the record of tracked changes, numbering declarations.
_ODT_SKIPPED = {
    (_ODT_OFFICE_NS, "forms"),
    (_ODT_TEXT_NS, "tracked-changes"),
    (_ODT_TEXT_NS, "sequence-decls"),
}


def _odt_blocks(element: Any) -> Iterator[str]:
    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE or child.qname in _ODT_SKIPPED:
            continue
        if child.qname in _ODT_PARAGRAPHS:
            text = _odt_text(child).strip()
        elif child.qname == _ODT_TABLE:
            text = _odt_table_text(child)
        else:  # lists, sections, frames: containers of paragraphs
            yield from _odt_blocks(child)
            continue
        if text:
            yield text


def _odt_table_text(table: Any) -> str:
    lines = []
    for row in _odt_rows(table):
        cells = [
            "\n".join(_odt_blocks(cell))
            for cell in row.childNodes
            if cell.nodeType == cell.ELEMENT_NODE and cell.qname == (_ODT_TABLE_NS, "table-cell")
        ]
        if any(cells):
            lines.append(CELL_SEPARATOR.join(cells))
    return "\n".join(lines)


def _odt_rows(element: Any) -> Iterator[Any]:
    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname == (_ODT_TABLE_NS, "table-row"):
            yield child
        elif child.qname != _ODT_TABLE:  # header-rows, row-groups; a nested table reads in its cell
            yield from _odt_rows(child)


def _odt_text(element: Any) -> str:
    from odf import teletype

    return str(teletype.extractText(element))
