"""A table as lines a reader (a person or a small model) can take one at a time: each body row names its columns
("Thrombocytopenia: VTEp Uncommon; NVAF Uncommon; VTEt Common."), so a row quoted or retrieved alone still says
which figure belongs to which heading. Used for the ruled tables of PDF pages (``pdf_tables``) and for Markdown
tables before a model reads them (``assistant.text.condense``).

A long heading repeated in every row would drown the rows' values (a leaflet's "Treatment of DVT and PE, and
prevention of recurrent DVT and PE (VTEt)"), so a long heading that ends with its own short name in brackets is
named by that short name in the rows, after one line that spells the short names out.

A table's row as text gives it (a PDF's line) is a line that ends in a figure (or an empty cell's mark, "―",
"***.*") and holds as many figures as words, or ends in two of them, or is a short label and its figures; a year
or a date alone is not a value ("ANNUAL REPORT 2021" is a heading). Its total row ("TOTAL 274 297 -7.74 …",
"Exportaciones totales pesqueras 895 3.4% …", "Rekeningsbedrag 671,33") is the one a reader looks for first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A heading of more words than this is shortened to the short name it ends with, when it has one.
LONG_HEADING_WORDS = 4
_SHORT_NAME = re.compile(r"\(([^()\s]{1,12})\)\s*$")
#: What starts the line that spells the short names out ("Columns: VTEt: Treatment of DVT and PE, …").
LEGEND = "Columns: "
_LEGEND_NAME = re.compile(rf"(?:^{re.escape(LEGEND)}|; )([^;:\s]{{1,12}}): ")
#: Words of a row's label, at most, when the row holds fewer figures than words.
LABEL_WORDS = 4
#: A cell: a figure, or an empty cell's mark ("―", "***.*"); a year or a date alone is a heading's, not a value.
_FIGURE = re.compile(r"^[(\-–−+]?[$€£¥]?\d[\d.,:]*%?\)?$")
_EMPTY_CELL = re.compile(r"^(?:[―—–-]|\*+\.?\*+)$")
_YEAR = re.compile(r"^\(?(?:19|20)\d\d\)?[.,;:]?$")
_SENTENCE_BREAK = re.compile(r"[.!?] +[A-ZÀ-Ý]")
_WORD = re.compile(r"[^\W\d_]{2,}")
#: The words that label a total, in the languages the summaries read (en, fr, de, es, it, pt, nl), and the amount
#: due of an invoice.
_TOTAL = re.compile(
    r"\b(?:total(?:e?s|i|en)?|totaal|gesamt\w*|insgesamt|summe|somme|suma|soma|rechnungsbetrag|rekeningsbedrag|"
    r"factuurbedrag|amount\s+due|balance\s+due|net\s+[àa]\s+payer|zu\s+zahlen|te\s+betalen)\b",
    re.IGNORECASE,
)
#: A label line broken above its row ("Exportaciones totales" over "pesqueras 895 3.4% …"), in characters at most.
BROKEN_LABEL_CHARS = 40


def _cell(token: str) -> bool:
    return bool(_FIGURE.match(token) or _EMPTY_CELL.match(token)) and not _YEAR.match(token)


def is_row(line: str) -> bool:
    """A table's row: a line ending in a cell, with as many cells as words or ending in two, or a short label and
    its cells."""
    tokens = line.split()
    if not tokens or not _cell(tokens[-1]):
        return False
    figures = sum(_cell(t) for t in tokens)
    words = sum(bool(_WORD.search(t)) for t in tokens)
    two_cells = len(tokens) >= 3 and _cell(tokens[-2])
    return figures >= words or two_cells or words <= LABEL_WORDS and not _SENTENCE_BREAK.search(line)


def total_row(line: str, before: str = "", after: str = "") -> int:
    """Whether ``line`` is a table's total row: 1 when its label names a total ("TOTAL 274 297 -7.74 …"), 2 when
    the label starts on the line ``before`` it (a short line without figures: "Exportaciones totales" over
    "pesqueras 895 3.4% …"), 0 when it is no total row. A line followed by rows of figures without a label
    ("Diputados Desempate Total 129 0 129" over "65 0 65") is a table's column headings with its first row."""
    if not is_row(line) or after and is_row(after) and not _WORD.search(after):
        return 0
    tokens = line.split()
    label = " ".join(tokens[: next((i for i, token in enumerate(tokens) if _cell(token)), len(tokens))])
    if names_total(label):
        return 1
    broken = bool(before) and len(before) <= BROKEN_LABEL_CHARS and not any(ch.isdigit() for ch in before)
    return 2 if broken and names_total(f"{before} {label}") else 0


def names_total(label: str) -> bool:
    """A total's label: its first or second word names a total ("TOTAL", "Exportaciones totales pesqueras", "Grand
    total"), not a column heading further on ("fois par mois Jamais Total" over its first row's figures)."""
    match = _TOTAL.search(label)
    return match is not None and len(label[: match.start()].split()) <= 1


def row_lines(header: Sequence[str], rows: Sequence[Sequence[str]], name_first: bool = False) -> list[str]:
    """One line per row: its first cell, then each other non-empty cell after its column's heading. A row with
    only its first cell (a section heading inside the table) is that cell alone. With ``name_first``, a first
    cell that starts with a figure ("76-80", "81 and over", "1") follows its column's heading ("Age at death
    76-80", "Serial No. 1"), since alone it names nothing. Long headings with a short name are shortened (see the
    module)."""
    names, legend = _short_headings(header)
    lines = [legend] if legend else []
    for row in rows:
        cells = [(names[i] if i < len(names) else "", cell) for i, cell in enumerate(row)]
        label, rest = cells[0][1], [f"{name} {cell}".strip() for name, cell in cells[1:] if cell]
        if name_first and label[:1].isdigit() and rest:
            label = f"{header[0] if header else ''} {label}".strip()
        line = f"{label}: {'; '.join(rest)}" if label and rest else label or "; ".join(rest)
        if line:
            lines.append(line if line.endswith((".", "!", "?", "。", "！", "？")) else line + ".")
    return lines


def _short_headings(header: Sequence[str]) -> tuple[list[str], str]:
    """The headings as the rows name them, and the line that spells out the shortened ones ("" when none is)."""
    names, spelled = [], []
    for heading in header:
        match = _SHORT_NAME.search(heading)
        if match and len(heading.split()) > LONG_HEADING_WORDS:
            names.append(match.group(1))
            spelled.append(f"{match.group(1)}: {heading[:match.start()].strip()}")
        else:
            names.append(heading)
    return names, (LEGEND + "; ".join(spelled) + ".") if spelled else ""


def legend_names(line: str) -> list[str]:
    """The short names a legend line (``LEGEND``, as ``row_lines`` writes it) spells out; [] for any other line."""
    return _LEGEND_NAME.findall(line) if line.startswith(LEGEND) else []
