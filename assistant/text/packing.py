"""Packing passages into parts that fit a token budget, on paragraph and sentence boundaries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.text.condense import Passage
from assistant.text.sentences import split_sentences

TokenCounter = Callable[[str], int]


@dataclass(frozen=True)
class Chunk:
    text: str
    first_page: int | None
    last_page: int | None
    tokens: int

    @property
    def pages(self) -> str:
        """'3', '3-5', or '' when the format has no pages."""
        if self.first_page is None:
            return ""
        if self.first_page == self.last_page:
            return str(self.first_page)
        return f"{self.first_page}-{self.last_page}"


def split_to_fit(text: str, budget: int, count: TokenCounter) -> list[str]:
    """Split one over-long text into pieces under ``budget`` tokens: by sentence, then by word."""
    if count(text) <= budget:
        return [text]
    sentences = split_sentences(text)
    if len(sentences) == 1:
        words = text.split(" ")
        if len(words) == 1:  # no spaces at all (e.g. CJK): cut by characters
            step = max(1, len(text) * budget // max(1, count(text)))
            return [text[i : i + step] for i in range(0, len(text), step)]
        sentences = words
        joiner = " "
    else:
        joiner = " "
    pieces: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        candidate = joiner.join([*current, sentence])
        if current and count(candidate) > budget:
            pieces.append(joiner.join(current))
            current = [sentence]
        else:
            current.append(sentence)
    if current:
        pieces.append(joiner.join(current))
    # A single sentence longer than the budget is split again, by words.
    result: list[str] = []
    for piece in pieces:
        result.extend([piece] if count(piece) <= budget or piece == text else split_to_fit(piece, budget, count))
    return result


def pack(passages: Sequence[Passage], budget: int, count: TokenCounter) -> list[Chunk]:
    """Greedily fill parts of at most ``budget`` tokens with whole passages, in order."""
    separator_cost = 1
    chunks: list[Chunk] = []
    texts: list[str] = []
    pages: list[int | None] = []
    used = 0

    def flush() -> None:
        nonlocal texts, pages, used
        if texts:
            numbered = [p for p in pages if p is not None]
            chunks.append(
                Chunk(
                    "\n\n".join(texts),
                    min(numbered) if numbered else None,
                    max(numbered) if numbered else None,
                    used,
                )
            )
        texts, pages, used = [], [], 0

    for passage in passages:
        for piece in split_to_fit(passage.text, budget, count):
            cost = count(piece) + separator_cost
            if texts and used + cost > budget:
                flush()
            texts.append(piece)
            pages.append(passage.page)
            used += cost
    flush()
    return chunks
