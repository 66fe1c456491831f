"""The headings of a table's rows, read from a passage's text as a PDF gives it: a row of figures ("Balance at end of
year ¥ 175,820 ¥ 202,777 … ¥ 2,870,611") names none of its columns; the lines above the table's first row ("Common
stock Capital surplus … Total equity") do. Read with them, a row holds the words of "What was the total equity at
the end of fiscal 2021?" and can be chosen as its answer (``excerpts.scored_sentences``); the model that checks a
quote reads a row after them (``ask``).

A row is a line that ends in a figure (``assistant.documents.tables.is_row``). The rows of one table follow each
other with at most ``GAP_LINES`` other lines between them (a label broken over two lines, a section heading inside
the table); the table's headings are the lines above its first row, up to ``HEADING_LINES`` of them and
``HEADING_CHARS`` characters, stopping at a blank line, a row, or a line of prose (long, or ending a sentence).
"""

from __future__ import annotations

import re

from assistant.documents.tables import is_row, legend_names

#: Lines between two rows of the same table (a label broken over lines, a heading inside the table).
GAP_LINES = 3
#: Lines above a table's first row read as its headings, at most; a line longer than ``PROSE_CHARS`` ends them.
HEADING_LINES = 14
PROSE_CHARS = 120
#: Characters of headings kept, nearest the rows first.
HEADING_CHARS = 400
#: A line that ends a sentence of prose ("... for the applicable payroll period."), not an abbreviated heading.
_PROSE_END = re.compile(r"(?<![^\s(])[a-zà-ÿ]{3,}[.:;!?]\W*$")


def row_headings(text: str) -> list[tuple[int, int, str]]:
    """The rows of the tables in ``text`` that have headings: (start, end, headings) for each, ``start`` and
    ``end`` indexing ``text``. A table of one row, or with no line above it, has none."""
    lines: list[tuple[int, int, str]] = []
    position = 0
    for line in text.split("\n"):
        lines.append((position, position + len(line), line))
        position += len(line) + 1
    rows = [i for i, (_s, _e, line) in enumerate(lines) if line.strip() and is_row(line)]
    found: list[tuple[int, int, str]] = []
    block: list[int] = []
    for i in rows + [len(lines) + GAP_LINES + 1]:
        if block and i - block[-1] > GAP_LINES + 1:
            headings = _headings_above(lines, block[0])
            if headings and len(block) >= 2:
                found.extend((lines[j][0], lines[j][1], headings) for j in block)
            block = []
        block.append(i)
    return found + _under_legends(lines, {start for start, _end, _headings in found})


def _under_legends(lines: list[tuple[int, int, str]], taken: set[int]) -> list[tuple[int, int, str]]:
    """The rows of tables read row by row (``assistant.documents.tables``) under the legend line that spells out
    the short names they give their columns ("Thrombocytopenia: VTEp Uncommon; NVAF Uncommon; VTEt Common." under
    "Columns: … VTEt: Treatment of DVT and PE …"): the lines after it that name one of them, up to ``GAP_LINES``
    lines apart (section headings inside the table), not already rows of figures with headings of their own."""
    found: list[tuple[int, int, str]] = []
    for i, (_start, _end, legend) in enumerate(lines):
        names = legend_names(legend)
        if not names:
            continue
        named = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")
        last = i
        for j in range(i + 1, len(lines)):
            start, end, line = lines[j]
            if j - last > GAP_LINES + 1 or legend_names(line):
                break
            if named.search(line):
                last = j
                if start not in taken:
                    found.append((start, end, legend.strip()))
    return found


def _headings_above(lines: list[tuple[int, int, str]], first: int) -> str:
    above: list[str] = []
    size = 0
    for _start, _end, line in reversed(lines[max(0, first - HEADING_LINES) : first]):
        line = line.strip()
        if not line or len(line) > PROSE_CHARS or is_row(line) or _PROSE_END.search(line):
            break
        size += len(line) + 1
        if size > HEADING_CHARS:
            break
        above.append(line)
    return " ".join(reversed(above))


def headings_of(found: list[tuple[int, int, str]], start: int, end: int) -> str:
    """The headings of the rows of ``found`` (``row_headings``) that the span ``start``-``end`` holds (a row's label
    broken over the line before it is read with it), "" when it holds none, or rows of two tables."""
    held = {headings for row_start, row_end, headings in found if row_start < end and start < row_end}
    return held.pop() if len(held) == 1 else ""
