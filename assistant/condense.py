"""Condensed input: what the LLM reads. Small models copy boilerplate and loop on repeated text, so before
any text reaches them we drop running headers and footers, bare page numbers, and repeated paragraphs,
and re-flow layout line breaks. Every passage kept still knows its page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.documents import Page

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.IGNORECASE)
_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Passage:
    page: int | None
    text: str


def paragraphs(text: str) -> list[str]:
    """Split on blank lines; re-flow the single line breaks inside a paragraph."""
    text = _HYPHEN_BREAK.sub(lambda m: m.group(1) + m.group(2) if m.group(2).islower() else m.group(0), text)
    result = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.splitlines()]
        joined = " ".join(line for line in lines if line)
        if joined:
            result.append(joined)
    return result


#: Running headers and footers live in the first and last lines of a page.
_EDGE_LINES = 3


def _edge_lines(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]


def _repeated_lines(pages: Sequence[Page]) -> set[str]:
    """Top or bottom lines repeated on many pages (running headers, footers): 3 pages and half of them."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        seen = {_normalise_line(line) for line in _edge_lines(page.text)}
        counts.update(line for line in seen if line)
    threshold = max(3, len(pages) // 2)
    return {line for line, n in counts.items() if n >= threshold}


def _normalise_line(line: str) -> str:
    # Page numbers inside a running header ("Report 12 of 40") differ per page: compare without digits.
    return re.sub(r"\d+", "#", _SPACES.sub(" ", line).strip().lower())


def condense(pages: Sequence[Page]) -> list[Passage]:
    """Passages of the document in reading order, without layout noise or repeats."""
    repeated = _repeated_lines(pages)
    seen: set[str] = set()
    passages: list[Passage] = []
    for page in pages:
        edges = set(_edge_lines(page.text))
        kept_lines = [
            line
            for line in page.text.splitlines()
            if not (line in edges and (_normalise_line(line) in repeated or _PAGE_NUMBER.match(line)))
        ]
        for paragraph in paragraphs("\n".join(kept_lines)):
            key = re.sub(r"\W+", " ", paragraph.lower()).strip()
            if not key or key in seen:
                continue
            seen.add(key)
            passages.append(Passage(page.number, paragraph))
    return passages
