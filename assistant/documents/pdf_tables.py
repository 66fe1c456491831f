"""Ruled tables of a PDF page, read row by row with their column headings.

PDFium gives a table's text row by row, but without its headings a row is a run of values ("Thrombocytopenia
Uncommon Uncommon Common") that neither a person reading a quote nor a small model can place: which of the three
columns is the treatment of DVT? A table drawn with ruling lines is found by pdfplumber (its "lines" strategy:
cells are the boxes the lines draw, so nothing is guessed from spacing), and its run of text in the page is
replaced by one line per row that names the columns (``tables.row_lines``).

Only tables that read as a table and need their headings are rewritten: a single heading row whose cells are
filled and distinct, at least two body rows with two or more filled cells, no cell running on like a paragraph,
and rows whose values are mostly figures or words repeated across columns (a list of names, parties and
provinces reads as it is, and repeating its headings on every row would only drown it). Headings stacked on
two rows, merged heading cells, forms drawn as boxes, and tables whose text PDFium interleaves with text outside
them are left as PDFium reads them. pdfplumber reads a page much more slowly than PDFium, so it is asked only about
pages that draw both horizontal and vertical lines.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.documents.tables import row_lines

if TYPE_CHECKING:
    import pypdfium2 as pdfium

#: A page is asked about tables when it draws at least this many horizontal and vertical rules (a box counts
#: for two of each).
MIN_RULES = 3
#: A cell longer than this is a paragraph in a box (a form's instructions), not a table's value.
MAX_CELL = 400
#: A heading is no sentence: a first row with a sentence in a cell ("… 90％を給付します。 給付の上限額は …", an
#: invoice's "CB | Vous pouvez régler … totalement sécurisé.") is a row of a table without headings, and naming every
#: other row's cells after it smeared its text over them (the cheque row said what the card row says).
_SENTENCE_END = re.compile(r"[。．]|[^\W\d_]{3}[.!?](?:\s+[^\W\d_]|$)")
#: ... and a heading is short: a Latin full stop counts in a cell of this many words or more ("Vous pouvez régler …
#: Le paiement CB est totalement sécurisé.", where "Serial No." and "Approx. value" are headings).
_SENTENCE_WORDS = 8
#: Characters (points) a character's centre may lie outside the table's box and still belong to it.
_TOLERANCE = 2.0
#: Share of the non-blank characters PDFium gives between a table's first and last that must lie inside it.
_INSIDE_SHARE = 0.95
#: Thickness (points) below which a drawn path is a rule, and the length from which it counts.
_THIN = 3.0
_LONG = 8.0
#: A page drawing more small shapes than this (curves, dots, glyphs drawn as paths) holds a figure or a chart,
#: which pdfplumber takes seconds to read and which is not a table.
MAX_SHAPES = 100


@dataclass(frozen=True)
class Table:
    """A table found on a page: its box in points as the page is shown (left, top, right, bottom from its top-left
    corner, turned as the page is: pdfplumber's ``bbox``) and its rows as lines."""

    box: tuple[float, float, float, float]
    lines: tuple[str, ...]


class TableFinder:
    """Finds the ruled tables of one PDF's pages; opens the file with pdfplumber only when a page draws rules."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._plumber: Any = None
        self._unreadable = False  # pdfplumber could not open the file: its pages are not asked again

    def tables(self, page: pdfium.PdfPage, index: int) -> list[Table]:
        """The readable ruled tables of page ``index`` (0-based), top to bottom; raises what pdfplumber raises."""
        if self._unreadable or not _draws_rules(page):
            return []
        if self._plumber is None:
            import pdfplumber

            try:
                self._plumber = pdfplumber.open(io.BytesIO(self._data))
            except Exception:
                self._unreadable = True
                raise
        plumber_page = self._plumber.pages[index]
        found = []
        for table in plumber_page.find_tables():
            lines = table_lines(table.extract())
            if lines:
                found.append(Table(tuple(table.bbox), tuple(lines)))
        plumber_page.close()
        return found

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()
            self._plumber = None


def table_lines(rows: Sequence[Sequence[str | None]]) -> list[str]:
    """A table's rows (pdfplumber's cells: None where a merged cell spans) as lines naming their columns (a table
    of two columns, labels and sentences, without headings: each row after its label); empty when the rows do not
    read as a table with one row of headings."""
    cells = [[" ".join((cell or "").split()) for cell in row] for row in rows]
    kept = [(row, raw) for row, raw in zip(cells, rows, strict=True) if any(row)]
    if len(kept) < 3:
        return []
    (header, raw_header), body = kept[0], [row for row, _raw in kept[1:]]
    named = [cell for cell in header if cell]
    if any(len(cell) > MAX_CELL for row in cells for cell in row):
        return []
    headless = any(map(_sentence, named))  # the first row is a row, no headings
    if headless and len(header) == 2 and all(row[0] for row, _ in kept):
        # a two-column table of labels and what each says: row by row, each after its label
        return row_lines(["", ""], [row for row, _raw in kept])
    if (headless or len(header) < 2 or None in raw_header or len(named) < len(header) - 1
            or len(set(named)) < len(named)):
        return []
    full = [row for row in body if sum(1 for cell in row if cell) >= 2]
    if len(full) < 2 or len(full) * 2 < len(body) or sum(map(_needs_headings, full)) * 2 < len(full):
        return []
    return row_lines(header, body, name_first=True)


def _sentence(cell: str) -> bool:
    """Whether a cell reads as a sentence, not a heading (``_SENTENCE_END``)."""
    found = _SENTENCE_END.search(cell)
    return found is not None and (found.group(0) in "。．" or len(cell.split()) >= _SENTENCE_WORDS)


def _needs_headings(row: Sequence[str]) -> bool:
    """Whether a row's values cannot be placed without their headings: figures ("1,00%", "902,418.00") or one
    value in several columns ("Uncommon Uncommon Common"). A row of names and places reads as it is."""
    values = [cell for cell in row if cell]
    return any(character.isdigit() for cell in values for character in cell) or len(set(values[1:])) < len(values[1:])


def with_tables(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, tables: Sequence[Table]) -> str | None:
    """The page's text with each table's run of characters replaced by its lines (a paragraph of their own);
    None when no table's characters form one run of the page's text."""
    count = textpage.count_chars()
    centres = _shown_centres(page, textpage, count)
    runs: list[tuple[int, int, Table]] = []
    for table in tables:
        inside = [_inside(centre, table.box) for centre in centres]
        if True not in inside:
            continue
        first, last = inside.index(True), count - 1 - inside[::-1].index(True)
        between = textpage.get_text_range(first, last - first + 1)
        visible = sum(1 for i in range(first, last + 1) if inside[i])
        if visible >= _INSIDE_SHARE * sum(1 for ch in between if not ch.isspace()):
            runs.append((first, last, table))
    runs.sort(key=lambda run: run[0])
    if not runs or any(a[1] >= b[0] for a, b in zip(runs, runs[1:], strict=False)):
        return None
    parts, position = [], 0
    for first, last, table in runs:
        parts += [textpage.get_text_range(position, first - position), "\n\n", "\n".join(table.lines), "\n\n"]
        position = last + 1
    parts.append(textpage.get_text_range(position, count - position))
    return "".join(parts)


def _shown_centres(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, count: int) -> list[tuple[float, float] | None]:
    """Each character's centre where the page shows it (points from its top-left corner, turned as the page is
    turned: where pdfplumber places it); None for a character without a box (a space PDFium added)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    width, height = (round(side) for side in page.get_size())
    x, y = ctypes.c_int(), ctypes.c_int()
    centres: list[tuple[float, float] | None] = []
    for index in range(count):
        left, bottom, right, top = textpage.get_charbox(index)
        if right <= left:
            centres.append(None)
            continue
        pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, width, height, 0, (left + right) / 2, (bottom + top) / 2,
                                   ctypes.byref(x), ctypes.byref(y))
        centres.append((x.value, y.value))
    return centres


def _inside(centre: tuple[float, float] | None, box: tuple[float, float, float, float]) -> bool:
    return centre is not None and (box[0] - _TOLERANCE <= centre[0] <= box[2] + _TOLERANCE
                                   and box[1] - _TOLERANCE <= centre[1] <= box[3] + _TOLERANCE)


def _draws_rules(page: pdfium.PdfPage) -> bool:
    """Whether the page draws at least ``MIN_RULES`` horizontal and vertical lines (rules or boxes) and at most
    ``MAX_SHAPES`` other shapes."""
    import pypdfium2.raw as pdfium_c

    across = down = shapes = 0
    for drawn in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = drawn.get_bounds()
        width, height = right - left, top - bottom
        if height <= _THIN and width >= _LONG:
            across += 1
        elif width <= _THIN and height >= _LONG:
            down += 1
        elif width >= _LONG and height >= _LONG:
            across, down = across + 2, down + 2
        else:
            shapes += 1
            if shapes > MAX_SHAPES:
                return False
    return across >= MIN_RULES and down >= MIN_RULES
