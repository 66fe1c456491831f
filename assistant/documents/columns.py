"""Reading order of pages set in columns of prose, and of pages drawn from the bottom up.

PDFium gives a page's text in the order its content stream draws it. Most multi-column documents draw column
after column, and that order is kept. Some draw line by line straight across the page, so the text reads
"left line 1, right line 1, left line 2 ..." and no sentence survives (an IRS notice in two columns does this).
Such a page is re-read here from PDFium's text segments and their boxes: the gutters between columns are found
as vertical strips that (almost) no segment crosses, and the text is read column by column, top to bottom,
with segments that span the gutters (a title, a full-width paragraph) read where they stand.

Tables also have gutters; they are left as PDFium reads them, since only columns of prose (several words per
line in every column) are re-read, and only when PDFium's order keeps jumping between them.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pypdfium2 as pdfium

#: A gutter is at least this wide (points), and at most this share of segments may cross it (stray marks).
_MIN_GUTTER = 6.0
_CROSSING_SHARE = 1 / 30
#: Columns of prose: enough segments in each, with a median of at least this many words per segment.
_MIN_SEGMENTS = 8
_PROSE_WORDS = 4
#: PDFium's order keeps climbing the page when it moves up a line this often, in this share of its steps at least
#: (on the 76 real documents, the shared corpus and 25 unseen files, upright pages climb in at most 23 %).
_CLIMBS = 10
_CLIMB_SHARE = 0.25
#: PDFium's order is interleaved when it jumps between columns this often (share of segments in columns).
_INTERLEAVED_SHARE = 0.2


@dataclass(frozen=True)
class Segment:
    left: float
    bottom: float
    right: float
    top: float
    text: str


def segments(textpage: pdfium.PdfTextPage, with_text: bool = True) -> list[Segment]:
    """PDFium's text segments (runs of text on one line) with their boxes, in PDFium's order; their text only
    ``with_text`` (reading it is most of the cost)."""
    found = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = textpage.get_text_bounded(left, bottom, right, top) if with_text else "?"
        if text.strip():
            found.append(Segment(left, bottom, right, top, text))
    return found


def column_text(textpage: pdfium.PdfTextPage) -> str | None:
    """The page's text read column by column when it is set in columns of prose that PDFium reads across, or
    line by line down an upright page (not turned by its /Rotate, whose boxes are not the page's as shown) that its
    content stream keeps climbing; None when PDFium's own order should stand."""
    # Boxes first: most pages stop before any segment's text is read, which is most of the cost.
    boxes = segments(textpage, with_text=False)
    if len(boxes) < 2 * _MIN_SEGMENTS or not _interleaved(boxes, _columns(boxes)):
        if _climbs(boxes) and textpage.page.get_rotation() == 0:
            return "\n".join(_lines(sorted(segments(textpage), key=lambda s: -s.top)))
        return None
    found = segments(textpage)
    columns = _columns(found)
    if not _interleaved(found, columns):
        return None
    column_of = [_column_of(segment, columns) for segment in found]
    for index in range(len(columns)):
        words = [len(s.text.split()) for s, column in zip(found, column_of, strict=True) if column == index]
        if statistics.median(words) < _PROSE_WORDS:
            return None  # a table, or a column of labels: PDFium's order stands
    return _read_in_columns(found, column_of, len(columns))


def _climbs(found: list[Segment]) -> bool:
    """Whether PDFium's order keeps climbing the page: from one segment to the next it moves up a line at least
    ``_CLIMBS`` times and in ``_CLIMB_SHARE`` of the steps (an invoice drawn from the bottom up, block by block,
    read "Hong Kong / Yuen Long, N.T. / 93B Sai Yu Chung / iViveLabs Ltd.", "Rechnungsdatum / 30064443 Kundennr. /
    7. Mai 2014 / 47774", its items 6 to 1). A page read top to bottom climbs only to start a column or a block."""
    up = sum(b.bottom > a.top for a, b in zip(found, found[1:], strict=False))
    return up >= _CLIMBS and up >= _CLIMB_SHARE * (len(found) - 1)


def _interleaved(found: list[Segment], columns: list[tuple[float, float]]) -> bool:
    """Two or more columns, each with enough segments, that PDFium's order keeps jumping between."""
    if len(columns) < 2:
        return False
    placed = [column for column in (_column_of(s, columns) for s in found) if column is not None]
    if any(placed.count(index) < _MIN_SEGMENTS for index in range(len(columns))):
        return False  # a narrow sidebar or a caption, not columns
    jumps = sum(a != b for a, b in zip(placed, placed[1:], strict=False))
    return jumps >= max(6, _INTERLEAVED_SHARE * len(placed))


def _columns(found: list[Segment]) -> list[tuple[float, float]]:
    """(left, right) of each column between the gutters, left to right."""
    import numpy as np

    left = min(s.left for s in found)
    right = max(s.right for s in found)
    width = right - left
    changes = np.zeros(int(width) + 3, dtype=np.int32)  # +1 where a segment starts, -1 after it ends
    np.add.at(changes, [int(s.left - left) for s in found], 1)
    np.add.at(changes, [int(s.right - left) + 1 for s in found], -1)
    coverage = np.cumsum(changes)[:-1].tolist()
    allowed = max(1, int(len(found) * _CROSSING_SHARE))
    gutters: list[tuple[float, float]] = []
    start: int | None = None
    for x, count in enumerate(coverage):
        if count <= allowed:
            start = x if start is None else start
            continue
        if start is not None and x - start >= _MIN_GUTTER and 0.15 * width < start and x < 0.85 * width:
            gutters.append((left + start, left + x))
        start = None
    edges = [left, *[x for gutter in gutters for x in gutter], right]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def _column_of(segment: Segment, columns: list[tuple[float, float]]) -> int | None:
    for index, (left, right) in enumerate(columns):
        if segment.left >= left - 1 and segment.right <= right + 1:
            return index
    return None  # spans a gutter


def _read_in_columns(found: list[Segment], column_of: list[int | None], count: int) -> str:
    """Top to bottom; a segment that spans the gutters ends the band of columns above it."""
    order = sorted(range(len(found)), key=lambda i: -found[i].top)
    blocks: list[str] = []
    band: list[list[Segment]] = [[] for _ in range(count)]

    def flush() -> None:
        for column in band:
            if column:
                blocks.append("\n".join(_lines(column)))
            column.clear()

    for index in order:
        column = column_of[index]
        if column is None:
            flush()
            blocks.append(found[index].text.strip())
        else:
            band[column].append(found[index])
    flush()
    return "\n\n".join(blocks)


def _lines(column: list[Segment]) -> list[str]:
    """Segments of one column joined into lines: those that share most of their height are one line."""
    lines: list[list[Segment]] = []
    for segment in column:  # already top to bottom
        last = lines[-1][-1] if lines else None
        overlap = min(segment.top, last.top) - max(segment.bottom, last.bottom) if last else 0
        if last and overlap > 0.5 * min(segment.top - segment.bottom, last.top - last.bottom):
            lines[-1].append(segment)
        else:
            lines.append([segment])
    return [" ".join(s.text.strip() for s in sorted(line, key=lambda s: s.left)) for line in lines]


#: A run of labels PDFium gives before their values ("Kuupäev: / Tähtaeg: / Makseviis: / 17.04.2026 / 24.04.2026 /
#: Ülekanne"): at least this many, each of at most ``_LABEL_WORDS`` words.
_LABEL_RUN = 3
_LABEL_WORDS = 5
_LINE = re.compile(r"[^\r\n]+")
#: Lines of one block start within this many points of each other, and follow each other by at most this many
#: line heights (middle to middle).
_SAME_LEFT = 2.0
_LINE_STEP = 2.0


def lines_in_order(textpage: pdfium.PdfTextPage, text: str) -> str:
    """PDFium's text of the page (``text``) with each run of labels it gives before their values (a form or invoice
    that draws its labels, then its values) read label by value, "Kuupäev: 17.04.2026", and each block it draws
    from the bottom up (an address: "69100 VILLEURBANNE / 35 RUE du logiciel libre / de Lattre Alexis") read from
    the top; ``text`` as it is when the page has neither.

    A run of labels is ``_LABEL_RUN`` lines or more, each followed, as many lines later, by a line to its right on
    the same line of the page; and either every label ends with a colon, or no label holds a digit and every value
    does ("Brut fiscal / Base S.S. plafonnée / … / 2.411,67 / 2.347,99"). Two blocks set side by side (two bank
    accounts, two lists of bullets, an address beside a telephone number) are none: their lines are no labels. A
    block drawn upwards is ``_LABEL_RUN`` lines or more (a label read with its value is one), each starting where
    the one before starts, one line above it."""
    lines = [(match, _line_box(textpage, text, match)) for match in _LINE.finditer(text) if match.group(0).strip()]
    runs = _LineRuns.of([match.group(0).strip() for match, _box in lines])
    items: list[_Item] = []  # the page's lines, a label and its value as one, in PDFium's order
    index = 0
    while index < len(lines):
        size = _label_run(lines, runs, index)
        if not size:
            match, box = lines[index]
            items.append(_Item(match.group(0).strip(), box, index, index))
            index += 1
            continue
        for offset in range(size):
            (label, box), (value, _other) = lines[index + offset], lines[index + size + offset]
            items.append(_Item(f"{label.group(0).strip()} {value.group(0).strip()}", box, index, index + 2 * size - 1))
        index += 2 * size
    groups: list[tuple[int, int, list[str]]] = []  # (first line, last line, the lines read in their place)
    index = 0
    while index < len(items):
        size = _upward_run(items, index)
        if size and not _splits(items, index, index + size):
            run = items[index : index + size]
            groups.append((run[0].first, run[-1].last, [item.text for item in reversed(run)]))
            index += size
        elif items[index].first != items[index].last:  # labels read with their values
            pairs = items[index : index + (items[index].last - items[index].first + 1) // 2]  # a label per two lines
            groups.append((pairs[0].first, pairs[0].last, [item.text for item in pairs]))
            index += len(pairs)
        else:
            index += 1
    pieces: list[str] = []
    end = 0
    for first, last, read in groups:  # the page's own text, blank lines too, between what is read anew
        pieces += [text[end : lines[first][0].start()], "\r\n".join(read)]
        end = lines[last][0].end()
    return "".join(pieces) + text[end:]


def _splits(items: list[_Item], start: int, end: int) -> bool:
    """Whether ``items[start:end]`` holds some but not all of a run of labels read with their values."""
    return (0 < start < len(items) and items[start].first != items[start].last
            and items[start - 1].first == items[start].first) or (
        0 < end < len(items) and items[end].first != items[end].last and items[end - 1].first == items[end].first)


@dataclass(frozen=True)
class _Item:
    """A line of the page as ``lines_in_order`` reads it: its text, its first character's box, the lines it spans."""

    text: str
    box: tuple[float, float, float] | None
    first: int
    last: int


def _upward_run(items: list[_Item], start: int) -> int:
    """The size of the block drawn upwards that starts at ``items[start]`` (``lines_in_order``), 0 if none does."""
    size = 1
    while start + size < len(items):
        below, above = items[start + size - 1].box, items[start + size].box
        if below is None or above is None or abs(above[0] - below[0]) > _SAME_LEFT:
            break
        if not 0.5 * below[2] < above[1] - below[1] < _LINE_STEP * max(below[2], above[2]):
            break
        size += 1
    return size if size >= _LABEL_RUN else 0


@dataclass(frozen=True)
class _LineRuns:
    """For each line of a page, how many lines from it on in a row are short enough for a label (``_LABEL_WORDS``
    words at most), end with a colon, hold no digit, hold a digit: so a run of labels is found in a few steps
    wherever it starts. Tried size by size, a map's page of 8,644 short names took hours (``_label_run``)."""

    short: list[int]
    colon: list[int]
    plain: list[int]
    digit: list[int]

    @classmethod
    def of(cls, texts: list[str]) -> _LineRuns:
        tests = [lambda text: len(text.split()) <= _LABEL_WORDS, lambda text: text.endswith(":"),
                 lambda text: not _has_digit(text), _has_digit]
        counts = [[0] * (len(texts) + 1) for _test in tests]
        for index in range(len(texts) - 1, -1, -1):
            for test, count in zip(tests, counts, strict=True):
                count[index] = count[index + 1] + 1 if test(texts[index]) else 0
        return cls(*counts)


def _label_run(lines: list[tuple[re.Match[str], tuple[float, float, float] | None]], runs: _LineRuns,
               start: int) -> int:
    """The size of the run of labels starting at ``lines[start]`` (``lines_in_order``), 0 if none starts there: the
    largest size whose labels all end with a colon, or hold no digit while every value holds one (then the values
    start at the first line with a digit), and whose values all stand beside their labels."""
    most = runs.short[start] // 2
    sizes = set(range(_LABEL_RUN, min(most, runs.colon[start]) + 1))
    plain = runs.plain[start]
    if _LABEL_RUN <= plain <= most and runs.digit[start + plain] >= plain:
        sizes.add(plain)
    for size in sorted(sizes, reverse=True):
        labels, values = lines[start : start + size], lines[start + size : start + 2 * size]
        if all(_beside(label_box, value_box) for (_l, label_box), (_v, value_box) in zip(labels, values, strict=True)):
            return size
    return 0


def _has_digit(text: str) -> bool:
    return any(character.isdigit() for character in text)


def _beside(label: tuple[float, float, float] | None, value: tuple[float, float, float] | None) -> bool:
    """Whether ``value`` stands to the right of ``label`` on the same line of the page ((left, middle, height))."""
    if label is None or value is None:
        return False
    return value[0] > label[0] and abs(value[1] - label[1]) < 0.5 * max(label[2], value[2], 1.0)


def _line_box(textpage: pdfium.PdfTextPage, text: str, match: re.Match[str]) -> tuple[float, float, float] | None:
    """(left, vertical middle, height) of the line's first character; None when PDFium cannot place it."""
    index = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
    try:
        left, bottom, _right, top = textpage.get_charbox(index)
    except Exception:  # a generated character or an index PDFium does not map: the line is not placed
        return None
    return left, (bottom + top) / 2, top - bottom
