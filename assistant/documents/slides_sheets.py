"""Slide decks (.pptx, python-pptx) and spreadsheets (.xlsx with openpyxl, .xls with xlrd, .ods with odfpy, .csv and
.tsv with the csv module).

A slide is a page ("slide 3"): its text boxes, tables and charts (the figures they draw, as a table) in
reading order (top to bottom, then left to right), then its speaker notes. A sheet is a page ("sheet 2
(Readings)") holding a Markdown pipe table, which the summary reads as rows naming their columns; formulas give
their cached values, and numbers read as the sheet shows them (its number format: "19.7%", "40,000", "$12.50").
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from assistant.documents import messages
from assistant.documents.model import Extracted, Page, clean_title
from assistant.documents.office import OLE_MAGIC, ZIP_MAGIC, is_encrypted_office_file

#: A sheet's rows beyond this are left out (a log of a million readings is not read by anyone whole).
MAX_SHEET_ROWS = 5000


#: Reads a document embedded in another by its bytes and a file name that says its kind (``reader``'s attachments).
EmbeddedReader = Callable[[bytes, str], Extracted]


def read_pptx(data: bytes, name: str, read_embedded: EmbeddedReader) -> Extracted:
    """A deck's slides; a Word or Excel document embedded in a slide is read in its place with ``read_embedded``
    (a note names one it cannot read)."""
    from pptx import Presentation

    _check_zip(data, name, "PowerPoint (.pptx)")
    try:
        deck = Presentation(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise messages.wrong_content(name, "PowerPoint (.pptx)") from error
    pages = []
    problems: list[str] = []
    for number, slide in enumerate(deck.slides, start=1):
        unread: list[str] = []
        blocks = list(_shape_texts(slide.shapes, read_embedded, unread))
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and notes.text.strip():
                blocks.append("Notes: " + _broken(notes.text.strip()))
        pages.append(Page(number, "\n\n".join(blocks), unit="slide"))
        problems += [f"A document embedded in slide {number} of {name} was not read: {problem}" for problem in unread]
    return Extracted(pages=tuple(pages), title=clean_title(deck.core_properties.title), notes=tuple(problems))


def _broken(text: str) -> str:
    """``text`` with python-pptx's vertical tab for a line break inside a paragraph (``<a:br/>``) as a line break:
    dropped, it glued the words either side ("Fair Work Commission" / "in the 4 yearly review" read
    "Commissionin")."""
    return "\n".join(line.strip() for line in text.split("\x0b"))


def _shape_texts(shapes: Iterable[Any], read_embedded: EmbeddedReader, unread: list[str]) -> Iterator[str]:
    """The slide's shapes' texts in reading order; an embedded document ``read_embedded`` cannot read goes to
    ``unread``."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

    def reading_order(shape: Any) -> tuple[int, int]:
        return (shape.top or 0, shape.left or 0)

    for shape in sorted(shapes, key=reading_order):
        if shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            continue  # the slide's number, already its page's
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shape_texts(shape.shapes, read_embedded, unread)
        elif shape.shape_type == MSO_SHAPE_TYPE.EMBEDDED_OLE_OBJECT:
            text = _embedded_text(shape.ole_format, read_embedded, unread)
            if text:
                yield text
        elif getattr(shape, "has_table", False) and shape.has_table:
            rows = [[_broken(cell.text.strip()) for cell in row.cells] for row in shape.table.rows]
            if any(any(row) for row in rows):
                yield markdown_table(rows)
        elif getattr(shape, "has_chart", False) and shape.has_chart:
            text = _chart_text(shape.chart)
            if text:
                yield text
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            text = "\n".join(_broken(p.text.strip()) for p in shape.text_frame.paragraphs if p.text.strip())
            if text:
                yield text


#: The kinds of document embedded in a slide that are read, by the start of their program id ("Word.Document.12"),
#: each with the file suffix its bytes read as: a zip package (Office 2007 and later) or an OLE compound file (97-2003).
_EMBEDDED_KINDS = {"Word.Document": (".docx", ".doc"), "Excel.Sheet": (".xlsx", ".xls")}


def _embedded_text(ole: Any, read_embedded: EmbeddedReader, unread: list[str]) -> str:
    """The text of a Word or Excel document embedded in a slide (a nursing association's annual meeting showed each
    report as an embedded Word document, and its slides read as their titles alone); "" for another kind of object
    (a PDF, a drawing), and for one that cannot be read, which ``unread`` records."""
    from assistant.errors import DocumentError

    kinds = [suffixes for prefix, suffixes in _EMBEDDED_KINDS.items() if (ole.prog_id or "").startswith(prefix)]
    blob = ole.blob if kinds else None
    if not blob:
        return ""
    package, compound = kinds[0]
    suffix = package if blob.startswith(ZIP_MAGIC) else compound
    try:
        embedded = read_embedded(blob, f"embedded{suffix}")
    except DocumentError as error:
        unread.append(str(error))
        return ""
    return "\n\n".join(page.text for page in embedded.pages if page.text.strip())


def _chart_text(chart: Any) -> str:
    """A chart's title and the figures it draws, as a table: a row per category, a column per series (a chart
    with no categories, such as a scatter plot, numbers its points). "" when it holds no figures or python-pptx
    cannot read it (charts come in more shapes than python-pptx knows; the rest of the slide is still read)."""
    try:
        tables = []
        for plot in chart.plots:
            series = [(str(s.name or ""), list(s.values)) for s in plot.series]
            if not series:
                continue
            categories = [str(c) for c in plot.categories] or [str(n) for n in range(1, len(series[0][1]) + 1)]
            rows = [["", *(name for name, _values in series)]]
            for index, category in enumerate(categories):
                rows.append([category, *(_cell_text(values[index]) if index < len(values) and values[index] is not None
                                         else "" for _name, values in series)])
            tables.append(markdown_table(rows))
        title = chart.chart_title.text_frame.text.strip() if chart.has_title else ""
    except Exception:
        return ""
    tables = [table for table in tables if table]
    return "\n\n".join([f"Chart: {title}"] * bool(title and tables) + tables)


def read_xlsx(data: bytes, name: str) -> Extracted:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(data, name, "Excel (.xlsx)")
    # openpyxl warns about what it drops (a print header it cannot parse, a data validation extension): nothing of a
    # sheet's text, and a person reading a workbook on the command line saw "UserWarning: Cannot parse header".
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            # data_only: a formula's value as Excel last calculated and saved it, not the formula.
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, KeyError, ValueError, zipfile.BadZipFile) as error:
            raise messages.wrong_content(name, "Excel (.xlsx)") from error
        try:
            pages = [
                Page(number, _sheet_text(_shown_rows(sheet.iter_rows())), unit="sheet", name=sheet.title)
                for number, sheet in enumerate(workbook.worksheets, start=1)
            ]
            title = clean_title(workbook.properties.title)
        finally:
            workbook.close()
    return Extracted(pages=tuple(pages), title=title)


def _shown_rows(rows: Iterable[Iterable[Any]]) -> Iterator[list[Any]]:
    """Each row's values, a number as its cell's number format shows it (``shown_number``)."""
    for row in rows:
        yield [shown_number(cell.value, getattr(cell, "number_format", None)) for cell in row]


#: What an Excel number format holds that a CLDR pattern (Babel's) writes otherwise or not at all: a quoted or
#: escaped literal, a colour or condition in brackets (a currency in "[$€-407]"), a space as wide as a character
#: ("_)"), a fill character ("* ").
_FORMAT_TOKEN = re.compile(r'"([^"]*)"|\\(.)|\[\$([^\]-]*)[^\]]*\]|\[[^\]]*\]|_.|\*.|\?')
#: A percentage's trailing zeros after its decimal point.
_PERCENT_ZEROS = re.compile(r"(\d+\.\d*?0+)(\s*%)")


def shown_number(value: Any, number_format: str | None) -> Any:
    """A number as a sheet shows it under ``number_format`` ("0.0%": 0.197 as "19.7%"; "#,##0": 40000 as "40,000"),
    rendered by Babel from the format's CLDR equivalent in English conventions; in the General format, or any format
    Babel cannot render, a float without its binary noise (0.13079200000000002 as "0.130792"). Any other value as
    it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    sections = _sections(number_format or "")
    if not sections or sections[0].strip().lower() in ("general", "@", ""):
        return _general(value)
    section = sections[0]
    if value < 0 and len(sections) > 1 and sections[1].strip():
        section, value = sections[1], -value  # the negative section writes its own sign or brackets
    if re.match(r"\s*\[[<>=]", section):
        return _general(value)  # a conditional format: which section applies is Excel's own rule
    pattern = _FORMAT_TOKEN.sub(_cldr, section)
    if not re.search(r"[0#]", pattern) or "/" in pattern:
        return _general(value)  # a date's or a fraction's format: not a decimal number's
    import decimal

    from babel.numbers import parse_pattern

    try:
        with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):  # Excel rounds halves away from zero
            shown = parse_pattern(pattern).apply(value, "en_US")
    except Exception:  # noqa: BLE001 - a format Babel does not take shows the plain number
        return _general(value)
    # A percentage as people write it ("7%", "1.8%"), not with the format's trailing zeros ("7.00%", "1.80%").
    return _PERCENT_ZEROS.sub(lambda match: match.group(1).rstrip("0").rstrip(".") + match.group(2), shown)


def _sections(number_format: str) -> list[str]:
    """The format's sections (positive; negative; zero; text), split at semicolons outside quotes."""
    return re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', number_format)


def _cldr(match: re.Match[str]) -> str:
    if match.group(0) == "?":
        return "#"  # a digit or a space
    literal = match.group(1) if match.group(1) is not None else match.group(2) or match.group(3)
    if not literal:
        return ""
    return "'" + literal.replace("'", "''") + "'"


def _general(value: float | int) -> float | int | str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.15g}"
    return value


def read_xls(data: bytes, name: str) -> Extracted:
    """An Excel 97-2003 workbook (xlrd): its sheets as tables, like a .xlsx's; a ".xls" that is really a .xlsx is read
    as one."""
    import xlrd

    if data.startswith(ZIP_MAGIC):
        return read_xlsx(data, name)
    if not data.startswith(OLE_MAGIC):
        raise messages.wrong_content(name, "Excel 97-2003 (.xls)")
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, formatting_info=True)
    except xlrd.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise messages.encrypted(name) from error
        raise messages.wrong_content(name, "Excel 97-2003 (.xls)") from error
    try:
        pages = []
        for number in range(book.nsheets):
            sheet = book.sheet_by_index(number)
            rows = ([_xls_value(book, cell) for cell in sheet.row(index)] for index in range(sheet.nrows))
            pages.append(Page(number + 1, _sheet_text(rows), unit="sheet", name=sheet.name or None))
    finally:
        book.release_resources()
    return Extracted(pages=tuple(pages))


def _xls_value(book: Any, cell: Any) -> Any:
    """A cell's value as openpyxl gives it (a date as a date: xlrd gives the day's serial number; an error as none),
    a number as its format shows it."""
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        shown = book.format_map.get(book.xf_list[cell.xf_index].format_key) if cell.xf_index is not None else None
        return shown_number(cell.value, shown.format_str if shown is not None else None)
    return cell.value


def read_ods(data: bytes, name: str) -> Extracted:
    from odf.opendocument import load
    from odf.table import Table

    _check_zip(data, name, "OpenDocument spreadsheet (.ods)")
    document = load(io.BytesIO(data))
    pages = [
        Page(number, _sheet_text(_ods_rows(table)), unit="sheet", name=str(table.getAttribute("name") or "") or None)
        for number, table in enumerate(document.spreadsheet.getElementsByType(Table), start=1)
    ]
    return Extracted(pages=tuple(pages))


def read_csv(data: bytes, name: str) -> Extracted:
    """A comma-, semicolon- or tab-separated file (the csv module's sniffer tells which) as one sheet, a table like a
    workbook's."""
    import csv

    from assistant.documents.plain import text_of

    text, encoding = text_of(data, name)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:_SNIFFED], delimiters=",;\t|")
    except csv.Error:  # one column, or no delimiter the sniffer is sure of: by the file's name
        dialect = csv.excel_tab if name.lower().endswith(".tsv") else csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    return Extracted(pages=(Page(1, _sheet_text(rows), unit="sheet"),), encoding=encoding)


#: The sniffer reads this much of a separated file to tell its delimiter.
_SNIFFED = 64 * 1024


def _ods_rows(table: Any) -> Iterator[list[str]]:
    from odf import teletype
    from odf.table import TableRow

    for row in table.getElementsByType(TableRow):
        cells: list[str] = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            # Office value attributes hold the number or date; the paragraphs hold it as displayed.
            text = " ".join(teletype.extractText(p).strip() for p in cell.childNodes if p.nodeType == p.ELEMENT_NODE)
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            cells.extend([text.strip()] * min(repeat, 1000 if text.strip() else 1))
        repeat_rows = int(row.getAttribute("numberrowsrepeated") or 1)
        for _ in range(min(repeat_rows, 1000 if any(cells) else 1)):
            yield cells


def _sheet_text(rows: Iterable[Iterable[Any]]) -> str:
    """A sheet as its tables: rows apart from the rows above them by a blank row and led by a caption (a row of one
    or two cells over a wider one) are a table of their own, under their own header; rows after a blank row without
    a caption go on under the header before them. A note of one cell under a table is a line after it."""
    blocks: list[list[list[str]]] = [[]]
    count = 0
    for row in rows:
        cells = ["" if value is None else _cell_text(value) for value in row]
        if not any(cells):
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(cells)
        count += 1
        if count >= MAX_SHEET_ROWS:
            break
    parts: list[str | list[list[str]]] = []  # lines of text, and tables (rows, the first the header)
    for block in filter(None, blocks):
        if all(_filled(row) <= 1 for row in block):  # lines of text: a title, notes
            parts += [_one_line(_only(row)) for row in block]
            continue
        titles, table = _titled(block)
        notes: list[str] = []
        while len(table) > 2 and _filled(table[-1]) == 1 and len(_only(table[-1]).split()) >= _NOTE_WORDS:
            notes.insert(0, _one_line(_only(table.pop())))
        if not titles and parts and isinstance(parts[-1], list):
            parts[-1].extend(table)  # the table before goes on after a blank row
        else:
            parts += [*titles, table]
        parts += notes
    return "\n\n".join(part if isinstance(part, str) else markdown_table(part) for part in _wrapped(parts) if part)


def _wrapped(parts: list[str | list[list[str]]]) -> list[str | list[list[str]]]:
    """``parts`` with a line of text that goes on in the next row's cell made one line: a note typed over two rows
    ("… The gain includes the value during 2007 of the" / "improvement in FIS made in this Budget …") read as two
    paragraphs, its end as a note of its own. The next line goes on when it starts in lower case after a line that
    does not end a sentence or a clause."""
    joined: list[str | list[list[str]]] = []
    for part in parts:
        previous = joined[-1] if joined else None
        if (isinstance(part, str) and isinstance(previous, str) and part[:1].islower()
                and not previous.rstrip().endswith((".", ":", ";", "!", "?"))):
            joined[-1] = f"{previous} {part}"
        else:
            joined.append(part)
    return joined


#: A cell alone in the last row of a table is a note under it from this many words ("* Average Tax Rates: …").
_NOTE_WORDS = 4


def _titled(block: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A block's titles and its table. A title over the table (one cell in the first rows) is a line of its own, not
    the header; so is a unit and period line of two cells over a wider header ("In millions of CHF … January–June
    2023" over the columns' names)."""
    kept = list(block)
    titles = []
    while len(kept) > 1 and (_filled(kept[0]) <= 1 or _filled(kept[0]) == 2 and _filled(kept[1]) > 4):
        cells = [cell for cell in kept.pop(0) if cell]
        titles.append(cells[0] if len(cells) == 1 else ", ".join(map(_one_line, cells)))
    return titles, kept


def _only(row: list[str]) -> str:
    return next(cell for cell in row if cell)


def _one_line(cell: str) -> str:
    """A cell's text on one line, its runs of spaces and line breaks one space."""
    return " ".join(cell.split())


def _filled(row: list[str]) -> int:
    return sum(1 for cell in row if cell)


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):  # dates and times
        text = value.isoformat()
        return text.removesuffix("T00:00:00")
    return str(value).strip()


def markdown_table(rows: list[list[str]]) -> str:
    """Rows as a Markdown pipe table, the first row as its header; columns empty in every row dropped."""
    width = max((len(row) for row in rows), default=0)
    used = [column for column in range(width) if any(column < len(row) and row[column] for row in rows)]
    if not used:
        return ""
    width = len(used)

    def line(cells: list[str]) -> str:
        kept = (cells[column] if column < len(cells) else "" for column in used)
        escaped = (" ".join(cell.split()).replace("|", "\\|") for cell in kept)
        return "| " + " | ".join(escaped) + " |"

    return "\n".join([line(rows[0]), "|" + " --- |" * width, *(line(row) for row in rows[1:])])


def _check_zip(data: bytes, name: str, kind: str) -> None:
    if is_encrypted_office_file(data):
        raise messages.encrypted(name)
    if not data.startswith(ZIP_MAGIC):
        raise messages.wrong_content(name, kind)


READERS: dict[str, Callable[[bytes, str], Extracted]] = {
    "xlsx": read_xlsx, "xls": read_xls, "ods": read_ods, "csv": read_csv}
