"""A table as lines a reader (a person or a small model) can take one at a time: each body row names its columns
("Thrombocytopenia: VTEp Uncommon; NVAF Uncommon; VTEt Common."), so a row quoted or retrieved alone still says
which figure belongs to which heading. Used for the ruled tables of PDF pages (``pdf_tables``) and for Markdown
tables before a model reads them (``assistant.text.condense``).

A long heading repeated in every row would drown the rows' values (a leaflet's "Treatment of DVT and PE, and
prevention of recurrent DVT and PE (VTEt)"), so a long heading that ends with its own short name in brackets is
named by that short name in the rows, after one line that spells the short names out.
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
            lines.append(line if line.endswith((".", "!", "?")) else line + ".")
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
