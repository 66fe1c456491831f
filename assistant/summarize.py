"""Summaries of any length: one pass when the condensed text fits the context window, otherwise notes on
each part (map) combined into one summary (reduce), collapsing the notes again if they are still too long.
"""

from __future__ import annotations

from collections.abc import Iterator

from assistant.chunking import Chunk, pack
from assistant.condense import Passage, condense
from assistant.documents import Document
from assistant.errors import EmptyDocumentError
from assistant.jobs import CancelToken, ProgressCallback, no_progress
from assistant.llm import LlmEngine, Message
from assistant.sampling import sampling_for
from resources import prompt

SUMMARY_LENGTHS = ("brief", "detailed", "bullets")
#: Tokens kept free for the template's own markup (role tags) beyond what we count.
_MARGIN = 32


def _messages(template: str, **fields: str) -> list[Message]:
    return [
        {"role": "system", "content": prompt("summary_system")},
        {"role": "user", "content": prompt(template).format(**fields)},
    ]


def _text_budget(engine: LlmEngine, template: str, max_tokens: int, **fields: str) -> int:
    """Tokens left for the document text once the prompt around it and the reply are counted."""
    empty = _messages(template, **fields)
    overhead = sum(engine.count_tokens(m["content"]) for m in empty) + _MARGIN
    return engine.n_ctx - overhead - max_tokens


def summarize_document(
    document: Document,
    engine: LlmEngine,
    length: str = "brief",
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Iterator[str]:
    """Yield the summary's text as it streams; parts done are reported through ``progress``."""
    if length not in SUMMARY_LENGTHS:
        raise ValueError(f"length must be one of {SUMMARY_LENGTHS}, not {length!r}")
    progress = progress or no_progress
    engine.load(progress)
    passages = condense(document.pages)
    if not passages:
        raise EmptyDocumentError(f"{document.name} has no text to summarise.")
    title = document.title or document.name
    instruction = prompt(f"summary_{length}")
    final = sampling_for(f"summary-{length}")

    budget = _text_budget(engine, "summary_single", final.max_tokens, title=title, text="", instruction=instruction)
    whole = pack(passages, budget, engine.count_tokens)
    if len(whole) == 1:
        messages = _messages("summary_single", title=title, text=whole[0].text, instruction=instruction)
        yield from engine.stream_chat(
            messages, final, cancel=cancel, progress=lambda d, t, _m: progress(d, t, "Reading the document")
        )
        return

    notes = _map_parts(passages, engine, title, progress, cancel)
    notes = _collapse(notes, engine, title, instruction, final.max_tokens, progress, cancel)
    progress(0, 0, "Combining the notes of every part")
    messages = _messages("summary_combine", title=title, notes="\n\n".join(notes), instruction=instruction)
    yield from engine.stream_chat(messages, final, cancel=cancel)


def _map_parts(
    passages: list[Passage],
    engine: LlmEngine,
    title: str,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> list[str]:
    sampling = sampling_for("summary-part")
    fields = {"part": "999", "total": "999", "pages": "999-999", "title": title, "text": ""}
    budget = _text_budget(engine, "summary_part", sampling.max_tokens, **fields)
    chunks = pack(passages, budget, engine.count_tokens)
    return _notes_on(chunks, engine, title, progress, cancel, label="part")


def _notes_on(
    chunks: list[Chunk],
    engine: LlmEngine,
    title: str,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    label: str,
) -> list[str]:
    sampling = sampling_for("summary-part")
    notes = []
    total = len(chunks)
    for index, chunk in enumerate(chunks):
        progress(index, total, f"Summarising {label} {index + 1} of {total}")
        messages = _messages(
            "summary_part",
            part=str(index + 1),
            total=str(total),
            pages=chunk.pages or "n/a",
            title=title,
            text=chunk.text,
        )
        note = engine.complete_chat(messages, sampling, cancel=cancel).strip()
        if note:
            header = f"Part {index + 1} (pages {chunk.pages}):" if chunk.pages else f"Part {index + 1}:"
            notes.append(f"{header}\n{note}")
    progress(total, total, f"Summarised {total} {label}s")
    return notes


def _collapse(
    notes: list[str],
    engine: LlmEngine,
    title: str,
    instruction: str,
    reply_tokens: int,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> list[str]:
    """Summarise groups of notes until all of them fit one combining prompt."""
    budget = _text_budget(engine, "summary_combine", reply_tokens, title=title, notes="", instruction=instruction)
    while sum(engine.count_tokens(n) + 2 for n in notes) > budget and len(notes) > 1:
        # Each note is far shorter than the budget (its reply is capped), so every round shrinks the list.
        groups = pack([Passage(None, n) for n in notes], budget, engine.count_tokens)
        notes = _notes_on(groups, engine, title, progress, cancel, label="group of notes")
    return notes
