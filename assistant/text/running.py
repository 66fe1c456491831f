"""Running headers and footers: the lines at the top or bottom of a document's pages that it repeats on page
after page (a letterhead, "Commission Meeting Minutes", "Agenda - April 4, 2024"), page numbers (in a library's
passages a bare number only when it runs with the pages: "1295" at the foot of a notice is its tender's), and
book-style headers whose printed page number runs with the page. Their repeats say nothing about any one page, so
neither what a model reads (``condense``) nor the passages a library searches and quotes keep them; the passages
keep a running title that dates the document once, on the first page that shows it, where it says what the
document is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from assistant.documents import Page

#: A page number on a line of its own: "Page 3", "Pagina 1 / 2", "Seite 2 von 5", "4 of 9", or a bare "12".
PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:page|pagina|página|seite|p\.)\s*)?\d{1,4}(?:\s*(?:/|of|von|de|van)\s*\d{1,4})?\s*$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\s*(\d{1,4})\s*$")
PAGE_PHRASE = re.compile(r"\b(?:page|seite|página|p\.)\s*\d{1,4}(?:\s*(?:of|von|de|/)\s*\d{1,4})?\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_LINE = re.compile(r"[^\n]*\S[^\n]*")

#: Running headers and footers live in the first and last lines of a page.
_EDGE_LINES = 3
#: A letterhead is at most this many lines deep (``running_lines(deep=True)``).
_DEEPEST = 6
#: On a document this long, a line repeated on half of the pages is a running one whatever its numbers ("Report
#: 12 of 40" and "Report 13 of 40"); on a shorter one it must repeat word for word, page numbers apart, or two
#: pages that each start with "Section 3" and "Section 4" would lose their headings.
_LOOSE_FROM_PAGES = 3
#: A chapter's running header repeats on its chapter's pages only ("BlnInfGB – Informationsfreiheit in Berlin" on 14
#: of a guide's 32 pages, "… auf Bundesebene" on 12): a line that reads as a title (no full stop or colon at its
#: end, no table row) is a running one on a quarter of the pages, and on ``_CHAPTER_FEWEST`` at least.
_CHAPTER_SHARE = 4
_CHAPTER_FEWEST = 4


def edge_lines(text: str) -> list[str]:
    """The first and last lines of a page's text (blank lines not counted)."""
    lines = _lines(text)
    return lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]


def _lines(text: str) -> list[str]:
    """The page's non-blank lines, the very ones ``edge_spans`` walks (``_LINE``)."""
    return _LINE.findall(text)


def edge_spans(text: str, running: RunningLines, page_index: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) of the running lines at the top and bottom of a page's text, as offsets into it:
    among the first and last lines, and the lines next to each one dropped, as ``running_lines`` looked."""
    lines = list(_LINE.finditer(text))
    top = _peeled([match.group(0) for match in lines], running, page_index)
    bottom = _peeled([match.group(0) for match in reversed(lines)], running, page_index)
    for number, match in enumerate(lines):
        if (number < top or number >= len(lines) - bottom) and running.drops(page_index, match.group(0)):
            yield match.start(), match.end(), match.group(0)


@dataclass(frozen=True)
class RunningLines:
    """The running lines of one document: ``drops(page_index, line)`` for a line at the edge of a page.

    A repeated line may be kept on the first page that shows it (``first``, ``running_lines(keep_first=)``): a
    running title says what the document is ("Regular Meeting of the Board of Trustees, Thursday, September 26,
    2019"), and nothing else in it may say so; only its repeats say nothing about their pages."""

    repeated: frozenset[str]
    numbered: frozenset[tuple[int, str]]
    loose: bool
    every_number: bool = True  # a bare number at a page's edge is a page number even when it does not run
    first: Mapping[str, int] = field(default_factory=dict)  # repeated line (its key) -> first page showing it

    def drops(self, page_index: int, line: str) -> bool:
        return self.running(page_index, line) and self.first.get(_line_key(line, self.loose)) != page_index

    def running(self, page_index: int, line: str) -> bool:
        """Whether ``line`` is a running one, wherever it is shown."""
        return (
            (bool(PAGE_NUMBER.match(line)) and (self.every_number or not _BARE_NUMBER.match(line)))
            or _line_key(line, self.loose) in self.repeated
            or (page_index, line) in self.numbered
        )


def running_lines(pages: Sequence[Page], *, fewest: int = 3, deep: bool = False, every_number: bool = True,
                  keep_first: Callable[[Sequence[str]], bool] | None = None) -> RunningLines:
    """Edge lines repeated on at least ``fewest`` pages and on half of them (titles on a quarter of them: a chapter's
    running header), page numbers, and numbered book headers. ``every_number``: every bare number at a page's edge
    is a page number, not only those that run with the pages (a summary loses little by it; a library would lose
    "1295", the tender's number).

    ``deep``: a letterhead of five lines repeats beyond the first three; once the edge lines found are peeled
    off every page, the lines under (and over) them are edge lines in turn, until no more repeat.

    ``keep_first``: the repeated lines a page is the first to show are kept there (``RunningLines.first``) when
    ``keep_first`` of them is true.

    A workbook's sheets have none: a row that two sheets both start with is data (a worksheet's inputs repeated on
    its "Sell" and "Buy" sheets, which the library had left out of both).
    """
    loose = len(pages) >= _LOOSE_FROM_PAGES
    if any(page.unit == "sheet" for page in pages):
        return RunningLines(frozenset(), frozenset(), loose, every_number)
    page_lines = [_lines(page.text) for page in pages]
    running = RunningLines(frozenset(), frozenset(_numbered_running_lines(page_lines)), loose, every_number)
    if len(pages) < fewest:
        return running
    threshold = max(fewest, len(pages) // 2)
    chapter = max(fewest, _CHAPTER_FEWEST, len(pages) // _CHAPTER_SHARE)
    while True:
        counts: Counter[str] = Counter()
        for index, lines in enumerate(page_lines):
            top = _peeled(lines, running, index) if deep else 0
            bottom = _peeled(lines[::-1], running, index) if deep else 0
            edges = lines[top:][:_EDGE_LINES] + lines[: len(lines) - bottom][-_EDGE_LINES:]
            counts.update({_line_key(line, loose) for line in edges} - {""})
        repeated = running.repeated | {line for line, n in counts.items() if n >= threshold
                                       or (n >= chapter and not line.endswith((".", ":")) and "|" not in line)}
        if repeated == running.repeated or not deep:
            running = RunningLines(repeated, running.numbered, loose, every_number)
            return replace(running, first=_first_pages(page_lines, running, keep_first)) if keep_first else running
        running = RunningLines(repeated, running.numbered, loose, every_number)


def _first_pages(page_lines: Sequence[list[str]], running: RunningLines,
                 keep: Callable[[Sequence[str]], bool]) -> dict[str, int]:
    """For each repeated line (its key), the index of the first page that shows it, where ``keep`` of the lines
    that page is the first to show is true; not a page number's, which says nothing even once."""
    first: dict[str, int] = {}
    seen: set[str] = set()
    for index, lines in enumerate(page_lines):
        new = [(key, line) for line in lines
               if (key := _line_key(line, running.loose)) in running.repeated and key not in seen
               and not PAGE_NUMBER.match(line)]
        seen.update(key for key, _line in new)
        if new and keep([line for _key, line in new]):
            first.update((key, index) for key, _line in new)
    return first


def _peeled(lines: Sequence[str], running: RunningLines, page_index: int) -> int:
    """How many of ``lines``, from the first, are running ones (within ``_EDGE_LINES`` of the last of them, and
    no deeper than ``_DEEPEST``: a form printed twice repeats all the way down, and keeps its fields)."""
    count = number = 0
    while number < min(len(lines), count + _EDGE_LINES, _DEEPEST):
        if running.running(page_index, lines[number]):
            count = number + 1
        number += 1
    return count


def _line_key(line: str, loose: bool) -> str:
    flat = _SPACES.sub(" ", line).strip().lower()
    # Page numbers inside a running header ("Report 12 of 40") differ per page: compare without digits.
    return re.sub(r"\d+", "#", flat) if loose else PAGE_PHRASE.sub("page #", flat)


def _numbered_running_lines(page_lines: Sequence[list[str]]) -> set[tuple[int, str]]:
    """(page index, line) of headers that carry the printed page number next to a chapter title.

    Book-style running headers ("9 1.2. METRIC SPACES") change with every chapter, so they do not repeat
    on half the pages; what gives them away is a number at the line's start or end that runs in step with
    the page index (printed number = page index + a fixed offset) on many pages.
    """
    candidates: list[tuple[int, str, int]] = []
    bare: list[tuple[int, str, int]] = []
    for index, lines in enumerate(page_lines):
        for line in {*lines[:1], *lines[-1:]}:
            for match in (_LEADING_NUMBER.match(line), _TRAILING_NUMBER.search(line)):
                if match:
                    candidates.append((index, line, int(match.group(1)) - index))
        for line in {*lines[:_EDGE_LINES], *lines[-_EDGE_LINES:]}:
            if match := _BARE_NUMBER.match(line):
                bare.append((index, line, int(match.group(1)) - index))
    # A bare number runs with the pages on two of them at least; a page alone is numbered 1.
    steps = _in_step(bare, 2) if len(page_lines) > 1 else {(index, line) for index, line, offset in bare if offset == 1}
    return _in_step(candidates, max(3, len(page_lines) // 4)) | steps


def _in_step(candidates: Sequence[tuple[int, str, int]], fewest: int) -> set[tuple[int, str]]:
    """The (page index, line) whose number runs with the page index by the offset most of them share."""
    offsets = Counter(offset for _, _, offset in candidates)
    if not offsets:
        return set()
    offset, count = offsets.most_common(1)[0]
    if count < fewest:
        return set()
    return {(index, line) for index, line, o in candidates if o == offset}


_LEADING_NUMBER = re.compile(r"^\s*(\d{1,4})\s+\S")
_TRAILING_NUMBER = re.compile(r"\S\s+(\d{1,4})\s*$")
