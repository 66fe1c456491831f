"""Splitting a document into passages that keep their place: file, page and character offsets.

Passages are packed from paragraphs (then sentences, then words for run-on text) up to a size limit, and
each one starts with the last paragraph or sentence of the one before, so a statement split across the
boundary is still found whole in one of them. Offsets index the page's text (the whole text for formats
without pages), so a viewer can show the passage exactly where it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from assistant.documents import Document
from assistant.library.wanted import DATE, holds_kind
from assistant.text.running import edge_spans, running_lines
from assistant.text.sentences import sentence_spans

#: all-MiniLM-L6-v2 reads at most 256 word pieces (~1,000 characters of English); longer is truncated.
CHUNK_CHARS = 1000
OVERLAP_CHARS = 200
#: A line on the edges of this many pages (and half of them) is a running header or footer; the summaries'
#: reading asks for three, but a library's two-page minutes would carry their letterhead in every passage.
RUNNING_PAGES = 2
#: The way passages are cut: a library made by an older one is indexed again (1: without running lines; 2: a
#: running block that dates the document kept on the first page that shows it; 3: the keyword index holds
#: Chinese and Japanese as pairs of characters, ``store.keyword_text``; 4: a German ordinal or title, "zum 4. Mal",
#: "Dipl.-Ing.", ends no sentence).
PASSAGES_VERSION = 4

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_BREAK = re.compile(r"\n")
_LINE_SPACE = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class TextChunk:
    """One passage: ``page`` is 1-based or None; ``start``/``end`` index the text of page ``page_index``."""

    ordinal: int
    page: int | None
    page_index: int
    start: int
    end: int
    text: str
    ocr: bool = False  # the page was read by OCR: citations say so


def _spans(text: str, pattern: re.Pattern[str], base: int = 0) -> Iterator[tuple[int, int]]:
    """The non-blank pieces of ``text`` between matches of ``pattern``, as absolute (start, end)."""
    position = 0
    for match in pattern.finditer(text):
        yield from _trimmed(text, position, match.start(), base)
        position = match.end()
    yield from _trimmed(text, position, len(text), base)


def _trimmed(text: str, start: int, end: int, base: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        yield base + start + lead, base + start + lead + len(stripped)


def _units(text: str, limit: int, skip: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Paragraph spans, with any paragraph longer than ``limit`` cut into sentences, then into lines (a page
    of bullets or table rows without a full stop is one "sentence"), then into words; the ``skip`` spans
    (running headers and footers) cut out of them."""
    units: list[tuple[int, int]] = []
    for start, end in _cut(text, _spans(text, _PARAGRAPH_BREAK), skip):
        if end - start <= limit:
            units.append((start, end))
            continue
        for s_start, s_end in ((start + s, start + e) for s, e in sentence_spans(text[start:end])):
            if s_end - s_start <= limit:
                units.append((s_start, s_end))
                continue
            for l_start, l_end in _spans(text[s_start:s_end], _LINE_BREAK, s_start):
                if l_end - l_start <= limit:
                    units.append((l_start, l_end))
                else:
                    units.extend(_word_windows(text, l_start, l_end, limit))
    return units


def _cut(text: str, spans: Iterable[tuple[int, int]], skip: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """``spans`` without the characters of the ``skip`` spans (sorted, not overlapping), trimmed."""
    for start, end in spans:
        position = start
        for s_start, s_end in skip:
            if s_end <= position or s_start >= end:
                continue
            yield from _trimmed(text, position, max(position, s_start), 0)
            position = max(position, s_end)
        yield from _trimmed(text, position, end, 0)


def _word_windows(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    position = start
    while position < end:
        stop = min(end, position + limit)
        if stop < end:
            cut = text.rfind(" ", position + limit // 2, stop)
            stop = cut if cut > position else stop
        yield from _trimmed(text, position, stop, 0)
        position = stop


def chunk_text(text: str, limit: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS,
               skip: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) offsets of the passages of one page's text, leaving out the ``skip`` spans."""
    units = _units(text, limit, skip)

    def parted(unit: int) -> bool:  # a skipped span between this unit and the next: no passage spans both
        return any(units[unit][1] <= start and end <= units[unit + 1][0] for start, end in skip)

    windows: list[tuple[int, int]] = []
    first = 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and units[last + 1][1] - units[first][0] <= limit and not parted(last):
            last += 1
        windows.append((units[first][0], units[last][1]))
        if last + 1 >= len(units):
            break
        # The next passage repeats the trailing units of this one that fit in the overlap (none across a skip).
        following = last + 1
        while not parted(last) and following - 1 > first and units[last][1] - units[following - 1][0] <= overlap:
            following -= 1
        first = following
    return windows


def passage_text(raw: str) -> str:
    """A passage as stored and shown: runs of spaces become one space, and a line break stays one line break
    (a blank line, two), so table rows and list items stay apart for the sentence that answers a question."""
    def breaks(match: re.Match[str]) -> str:
        return "\n\n" if match.group(0).count("\n") > 1 else "\n"

    return _LINE_BREAKS.sub(breaks, _LINE_SPACE.sub(" ", raw)).strip()


def chunk_document(document: Document, limit: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS) -> list[TextChunk]:
    """The passages of a whole document, in reading order; passages never cross a page boundary, and hold no
    page number, nor a running header or footer (repeated on the edges of two pages and half of them) but on the
    first page that shows it when it dates the document (``_dates``): on a two-page document it would be in
    every passage, outrank the page's own words and be quoted as an answer, yet once it says which meeting, on
    which day, the document is about."""
    chunks: list[TextChunk] = []
    running = running_lines(document.pages, fewest=RUNNING_PAGES, deep=True, every_number=False,
                            keep_first=_dates)
    for page_index, page in enumerate(document.pages):
        skip = [(start, end) for start, end, _line in edge_spans(page.text, running, page_index)]
        for start, end in chunk_text(page.text, limit, overlap, skip):
            text = passage_text(page.text[start:end])
            if text:
                chunks.append(TextChunk(len(chunks), page.number, page_index, start, end, text, page.read_by_ocr))
    return chunks


def _dates(lines: Sequence[str]) -> bool:
    """Whether the running lines a page is the first to show date the document ("Regular Meeting of the Board of
    Trustees … Thursday, September 26, 2019": an agenda's running title, the one place that says which meeting
    it is), and are kept there; a letterhead without a date (the sender's name, address and telephone, on
    two-page minutes) outranked the page's own words for any question naming the sender, and is left out
    everywhere (benchmarks/ask.py, README)."""
    return holds_kind(" ".join(lines), DATE)
