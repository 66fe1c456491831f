"""Generate: the prompts and the model's text. One request for a single-pass or fast reading; for a thorough
reading, notes on every part (map), collapsed again while too long, then one combining request (reduce)."""

from __future__ import annotations

from collections.abc import Generator

from assistant.jobs import CancelToken, ProgressCallback
from assistant.llm.engine import LlmEngine, Message
from assistant.llm.repetition import stop_at_repetition
from assistant.llm.sampling import sampling_for
from assistant.settings import SUMMARY_LENGTHS
from assistant.text.condense import Passage
from assistant.text.language import LANGUAGE_NAMES, language_name
from assistant.text.packing import Chunk, pack
from assistant.writing.summary.select import MODE_FAST, MODE_SINGLE, Budgets, Reading
from resources import prompt

#: Tokens kept free for the template's own markup (role tags) beyond what we count.
_MARGIN = 32


def check_length(length: str) -> None:
    if length not in SUMMARY_LENGTHS:
        raise ValueError(f"length must be one of {SUMMARY_LENGTHS}, not {length!r}")


def summary_instruction(length: str, language: str | None, *, retry: bool = False) -> str:
    """What to write; names the document's language, which small models otherwise drop for English. ``retry``:
    the plainer request made after the model echoed the document."""
    instruction = prompt("summary_retry" if retry else f"summary_{length}")
    if language in LANGUAGE_NAMES:
        instruction += " " + prompt("summary_language").format(language=language_name(language))
    return instruction


def summary_messages(template: str, **fields: str) -> list[Message]:
    return [
        {"role": "system", "content": prompt("summary_system")},
        {"role": "user", "content": prompt(template).format(**fields)},
    ]


def text_budget(engine: LlmEngine, template: str, reply_tokens: int, **fields: str) -> int:
    """Tokens left for the document text once the prompt around it and the reply are counted."""
    empty = summary_messages(template, **fields)
    overhead = sum(engine.count_tokens(m["content"]) for m in empty) + _MARGIN
    return engine.n_ctx - overhead - reply_tokens


def budgets(engine: LlmEngine, title: str, instruction: str, length: str) -> Budgets:
    """How much document text each kind of prompt holds with this engine, title and instruction."""
    final = sampling_for(f"summary-{length}").max_tokens
    part_fields = {"part": "999", "total": "999", "pages": "999-999", "title": title, "text": ""}
    return Budgets(
        single=text_budget(engine, "summary_single", final, title=title, text="", instruction=instruction),
        excerpts=text_budget(engine, "summary_excerpts", final, title=title, text="", instruction=instruction),
        part=text_budget(engine, "summary_part", sampling_for("summary-part").max_tokens, **part_fields),
    )


def write_summary(
    reading: Reading,
    engine: LlmEngine,
    title: str,
    instruction: str,
    length: str,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    *,
    template: str | None = None,
) -> Generator[str, None, None]:
    """The model's text as it streams, for the reading the select stage chose (in one request: with
    ``template`` when given)."""
    final = sampling_for(f"summary-{length}")
    if reading.mode in (MODE_SINGLE, MODE_FAST):
        template, label = (
            (template or "summary_single", "Reading the document") if reading.mode == MODE_SINGLE
            else (template or "summary_excerpts", "Reading the selected passages")
        )
        messages = summary_messages(template, title=title, text=reading.parts[0].text, instruction=instruction)
        # Braked from copying what it reads (``assistant.llm.copying``), as a brief summary's answers are: detailed
        # summaries of the 41 real documents (benchmarks/quality.py --real-only --length detailed, 0.5B) kept 109
        # -> 164 of 322 facts in the model's text, and 24 -> 5 of them were replaced by key sentences (README).
        yield from stop_at_repetition(engine.stream_chat(
            messages, final, cancel=cancel, progress=lambda d, t, _m: progress(d, t, label),
            own_words=reading.parts[0].text,
        ))
        return
    notes = _notes_on(reading.parts, engine, title, progress, cancel, label="part")
    notes = _collapse(notes, engine, title, instruction, final.max_tokens, progress, cancel)
    progress(0, 0, "Combining the notes of every part")
    messages = summary_messages("summary_combine", title=title, notes="\n\n".join(notes), instruction=instruction)
    yield from stop_at_repetition(engine.stream_chat(messages, final, cancel=cancel))


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
        messages = summary_messages(
            "summary_part",
            part=str(index + 1),
            total=str(total),
            pages=chunk.pages or "n/a",
            title=title,
            text=chunk.text,
        )
        note = "".join(stop_at_repetition(engine.stream_chat(messages, sampling, cancel=cancel))).strip()
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
    budget = text_budget(engine, "summary_combine", reply_tokens, title=title, notes="", instruction=instruction)
    while sum(engine.count_tokens(n) + 2 for n in notes) > budget and len(notes) > 1:
        # Each note is far shorter than the budget (its reply is capped), so every round shrinks the list.
        groups = pack([Passage(None, n) for n in notes], budget, engine.count_tokens)
        notes = _notes_on(groups, engine, title, progress, cancel, label="group of notes")
    return notes
