"""Answers from the library: retrieve passages, let the model answer only from them with numbered
citations, and list the sources (file and page) under the answer. Nothing relevant found: say so, without
asking the model (a small model asked anyway would invent an answer). Every figure of an answer is checked
against the passages it was given (``unsupported_figures``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.jobs import CancelToken, ProgressCallback, no_progress
from assistant.library.search import SearchHit
from assistant.llm.engine import LlmEngine, Message
from assistant.llm.repetition import stop_at_repetition
from assistant.llm.sampling import sampling_for
from assistant.trust.figures import Unsupported, check_text
from resources import prompt

if TYPE_CHECKING:
    from assistant.library.index import LibraryIndex

#: Passages given to the model: enough for most questions, small enough for ~15 s of prompt reading.
PASSAGES = 4
NOTHING_FOUND = (
    "The library has nothing that answers this. Try other words, or add the documents that cover it."
)
_CITATION = re.compile(r"\[(\d{1,2})\]")
SOURCES_HEADING = "\n\nSources:\n"


@dataclass(frozen=True)
class Citation:
    number: int
    file: str
    name: str
    page: int | None
    page_index: int
    start: int
    end: int
    text: str
    ocr: bool = False  # the page was read by OCR

    @property
    def label(self) -> str:
        label = f"{self.name}, p. {self.page}" if self.page is not None else self.name
        return label + (", read by OCR" if self.ocr else "")

    def to_json(self) -> dict:
        return {"number": self.number, "file": self.file, "page": self.page, "start": self.start,
                "end": self.end, "text": self.text, "read_by_ocr": bool(self.ocr)}


@dataclass
class Answer:
    """An answer being produced: the passages it may cite are known before the first word streams."""

    question: str
    citations: list[Citation]
    deltas: Iterator[str]
    text: str = ""
    cited: list[int] = field(default_factory=list)

    @property
    def found_nothing(self) -> bool:
        return not self.citations


def citations_from(hits: list[SearchHit]) -> list[Citation]:
    return [
        Citation(n, h.file, h.name, h.page, h.page_index, h.start, h.end, h.text, bool(h.ocr))
        for n, h in enumerate(hits, start=1)
    ]


def cited_numbers(text: str, count: int) -> list[int]:
    return sorted({int(n) for n in _CITATION.findall(text) if 1 <= int(n) <= count})


def sources_block(citations: list[Citation], numbers: list[int]) -> str:
    lines = [f"[{c.number}] {c.label}" for c in citations if c.number in numbers]
    return SOURCES_HEADING + "\n".join(lines)


def unsupported_figures(answer: str, passages: list[str]) -> list[Unsupported]:
    """Figures of an answer (its [n] markers and its list of sources left out) that none of the passages the
    model was given backs; positions are in ``answer``. Without passages (nothing was found) there is nothing
    to check against, and nothing is flagged."""
    if not passages:
        return []
    body = answer.split(SOURCES_HEADING)[0]
    masked = _CITATION.sub(lambda m: " " * len(m.group(0)), body)
    return check_text(masked, "\n\n".join(passages), number_words=True)


def build_messages(question: str, citations: list[Citation], history: list[Message] | None = None) -> list[Message]:
    passages = "\n\n".join(f"[{c.number}] ({c.label})\n{c.text}" for c in citations)
    messages: list[Message] = [{"role": "system", "content": prompt("library_system")}]
    messages.extend(history or [])
    messages.append({"role": "user", "content": prompt("library_question").format(passages=passages,
                                                                                  question=question)})
    return messages


def answer_question(
    question: str,
    hits: list[SearchHit],
    engine: LlmEngine,
    *,
    history: list[Message] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Answer:
    """Prepare the answer to ``question`` from search ``hits``; iterate ``answer.deltas`` to stream it."""
    relevant = [hit for hit in hits if hit.relevant][:PASSAGES]
    citations = citations_from(relevant)
    answer = Answer(question, citations, iter(()))
    answer.deltas = _stream(answer, engine, history, progress or no_progress, cancel)
    return answer


def ask_library(
    index: LibraryIndex,
    engine: LlmEngine,
    question: str,
    *,
    history: list[Message] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Answer:
    """Search the library for ``question`` and prepare an answer from what is relevant."""
    (progress or no_progress)(0, 0, "Searching the library …")
    hits = index.search(question, k=PASSAGES * 2)
    if cancel is not None:
        cancel.raise_if_cancelled()
    return answer_question(question, hits, engine, history=history, progress=progress, cancel=cancel)


def _stream(answer: Answer, engine: LlmEngine, history: list[Message] | None, progress: ProgressCallback,
            cancel: CancelToken | None) -> Iterator[str]:
    if answer.found_nothing:
        answer.text = NOTHING_FOUND
        yield NOTHING_FOUND
        return
    engine.load(progress=progress, cancel=cancel)
    messages = build_messages(answer.question, answer.citations, history)
    parts: list[str] = []
    reply = engine.stream_chat(messages, sampling_for("library-answer"), cancel=cancel, progress=progress)
    for delta in stop_at_repetition(reply):
        parts.append(delta)
        yield delta
    text = "".join(parts).rstrip()
    # Every answer names its sources; when the model forgot the markers, all passages it was given are.
    answer.cited = cited_numbers(text, len(answer.citations)) or [c.number for c in answer.citations]
    footer = sources_block(answer.citations, answer.cited)
    answer.text = text + footer
    yield footer
