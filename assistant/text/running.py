"""Running headers and footers: the lines at the top or bottom of a document's pages that it repeats on page
after page (a letterhead, "Commission Meeting Minutes", "Agenda - April 4, 2024"), bare page numbers, and
book-style headers whose printed page number runs with the page. They say nothing about any one page, so
neither what a model reads (``condense``) nor the passages a library searches and quotes keep them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.documents import Page

PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.IGNORECASE)
PAGE_PHRASE = re.compile(r"\b(?:page|seite|página|p\.)\s*\d{1,4}(?:\s*(?:of|von|de|/)\s*\d{1,4})?\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_LINE = re.compile(r"[^\n]*\S[^\n]*")

#: Running headers and footers live in the first and last lines of a page.
_EDGE_LINES = 3
#: On a document this long, a line repeated on half of the pages is a running one whatever its numbers ("Report
#: 12 of 40" and "Report 13 of 40"); on a shorter one it must repeat word for word, page numbers apart, or two
#: pages that each start with "Section 3" and "Section 4" would lose their headings.
_LOOSE_FROM_PAGES = 3


def edge_lines(text: str) -> list[str]:
    """The first and last lines of a page's text (blank lines not counted)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]


def edge_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) of the first and last lines of a page's text, as offsets into it."""
    lines = list(_LINE.finditer(text))
    chosen = lines[:_EDGE_LINES] + lines[max(_EDGE_LINES, len(lines) - _EDGE_LINES):]
    for match in chosen:
        yield match.start(), match.end(), match.group(0)


@dataclass(frozen=True)
class RunningLines:
    """The running lines of one document: ``drops(page_index, line)`` for a line at the edge of a page."""

    repeated: frozenset[str]
    numbered: frozenset[tuple[int, str]]
    loose: bool

    def drops(self, page_index: int, line: str) -> bool:
        return (
            bool(PAGE_NUMBER.match(line))
            or _line_key(line, self.loose) in self.repeated
            or (page_index, line) in self.numbered
        )


def running_lines(pages: Sequence[Page], *, fewest: int = 3) -> RunningLines:
    """Edge lines repeated on at least ``fewest`` pages and on half of them, and numbered book headers."""
    loose = len(pages) >= _LOOSE_FROM_PAGES
    repeated: set[str] = set()
    if len(pages) >= fewest:
        counts: Counter[str] = Counter()
        for page in pages:
            seen = {_line_key(line, loose) for line in edge_lines(page.text)}
            counts.update(line for line in seen if line)
        threshold = max(fewest, len(pages) // 2)
        repeated = {line for line, n in counts.items() if n >= threshold}
    return RunningLines(frozenset(repeated), frozenset(_numbered_running_lines(pages)), loose)


def _line_key(line: str, loose: bool) -> str:
    flat = _SPACES.sub(" ", line).strip().lower()
    # Page numbers inside a running header ("Report 12 of 40") differ per page: compare without digits.
    return re.sub(r"\d+", "#", flat) if loose else PAGE_PHRASE.sub("page #", flat)


def _numbered_running_lines(pages: Sequence[Page]) -> set[tuple[int, str]]:
    """(page index, line) of headers that carry the printed page number next to a chapter title.

    Book-style running headers ("9 1.2. METRIC SPACES") change with every chapter, so they do not repeat
    on half the pages; what gives them away is a number at the line's start or end that runs in step with
    the page index (printed number = page index + a fixed offset) on many pages.
    """
    candidates: list[tuple[int, str, int]] = []
    for index, page in enumerate(pages):
        lines = [line for line in page.text.splitlines() if line.strip()]
        for line in {*lines[:1], *lines[-1:]}:
            for match in (_LEADING_NUMBER.match(line), _TRAILING_NUMBER.search(line)):
                if match:
                    candidates.append((index, line, int(match.group(1)) - index))
    offsets = Counter(offset for _, _, offset in candidates)
    if not offsets:
        return set()
    offset, count = offsets.most_common(1)[0]
    if count < max(3, len(pages) // 4):
        return set()
    return {(index, line) for index, line, o in candidates if o == offset}


_LEADING_NUMBER = re.compile(r"^\s*(\d{1,4})\s+\S")
_TRAILING_NUMBER = re.compile(r"\S\s+(\d{1,4})\s*$")
