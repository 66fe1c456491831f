"""Summaries of any length. One pass when the condensed text fits the context window. Otherwise, by default
("fast"), the most informative sentences of every section are selected up to the context budget and
summarised in one pass; ``thorough=True`` instead writes notes on each part (map) and combines them into one
summary (reduce), collapsing the notes again if they are still too long.

Small models drop or garble figures (a dose, a stock code). Unless ``quote_figures`` is off, the model's text
is followed by the document's key sentences whose figures it leaves out or states otherwise, quoted word for
word with their pages (at most ``QUOTES``), so what a person acts on is there as the source gives it.

The summary's last delta is a line saying which mode produced it and how much of the document it read; the
same facts are filled into a ``SummaryReport`` the caller may pass in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from assistant.documents import Document
from assistant.errors import EmptyDocumentError
from assistant.jobs import CancelToken, ProgressCallback, no_progress
from assistant.llm.engine import LlmEngine, Message
from assistant.llm.repetition import stop_at_repetition
from assistant.llm.sampling import sampling_for
from assistant.text.condense import Passage, Sentence, condense, sentences_of, split_sentences
from assistant.text.language import LANGUAGE_NAMES, detect_language, language_name
from assistant.text.packing import Chunk, pack
from assistant.trust.keypoints import KeyPoint, points_left_out, select_key_points
from resources import prompt

SUMMARY_LENGTHS = ("brief", "detailed", "bullets")
#: Tokens kept free for the template's own markup (role tags) beyond what we count.
_MARGIN = 32
#: Sections of a long document that each get passages in fast mode, so no part goes unread entirely.
_SECTIONS = 12
#: Key sentences quoted under a summary at most, and how many of the document's key points are considered.
QUOTES = 3
_QUOTE_POOL = 7
QUOTES_HEADING = "Figures the summary leaves out, quoted from the source:"

MODE_SINGLE = "single pass"
MODE_FAST = "fast"
MODE_THOROUGH = "thorough"


@dataclass
class SummaryReport:
    """What produced a summary: filled in while it streams, complete once the stream ends."""

    mode: str = ""
    words_read: int = 0
    words_total: int = 0
    passages_read: int = 0
    passages_total: int = 0
    quoted: list[KeyPoint] = field(default_factory=list)  # key sentences quoted under the model's text

    @property
    def share_read(self) -> float:
        return self.words_read / self.words_total if self.words_total else 0.0

    def footer(self) -> str:
        """The line appended to the summary, e.g. 'Fast mode: read 14 % of the document (312 of 2,210 ...)'."""
        if self.mode == MODE_FAST:
            return (
                f"[Fast mode: summarised the {self.passages_read:,} most informative of {self.passages_total:,} "
                f"sentences, {self.share_read:.0%} of the document's text. Use thorough mode to read all of it.]"
            )
        how = "read in parts and combined" if self.mode == MODE_THOROUGH else "read in one pass"
        return f"[{self.mode.capitalize()} mode: the whole document ({self.words_total:,} words) {how}.]"

    def as_dict(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "share_read": round(self.share_read, 4),
            "words_read": self.words_read,
            "words_total": self.words_total,
            "sentences_read": self.passages_read,
            "sentences_total": self.passages_total,
        }


FOOTER_SEPARATOR = "\n\n"


_MODE_LINE = re.compile(r"\n\n\[(?:Fast|Single pass|Thorough) mode: [^\n]*\]\s*$")


def split_mode_line(text: str) -> tuple[str, str]:
    """(summary, mode line) of a finished summary's text, when only the text is at hand (e.g. in the GUI)."""
    match = _MODE_LINE.search(text)
    return (text[: match.start()], match.group(0).strip()) if match else (text, "")


def strip_footer(text: str, report: SummaryReport) -> str:
    """The summary without the mode line the stream ends with."""
    footer = FOOTER_SEPARATOR + report.footer()
    return text[: -len(footer)] if report.mode and text.endswith(footer) else text


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
    thorough: bool = False,
    report: SummaryReport | None = None,
    quote_figures: bool = True,
) -> Iterator[str]:
    """Yield the summary's text as it streams, then the quoted key sentences whose figures it lacks (unless
    ``quote_figures`` is off), ending with the mode line; parts done go to ``progress``."""
    report = report if report is not None else SummaryReport()
    written: list[str] = []
    passages = condense(document.pages)  # what the model reads, and where the quotes come from
    for delta in _model_summary(document, passages, engine, length, progress, cancel, thorough, report):
        written.append(delta)
        yield delta
    if quote_figures:
        yield from _quotes("".join(written), passages, report)
    yield FOOTER_SEPARATOR + report.footer()


def _quotes(summary: str, passages: list[Passage], report: SummaryReport) -> Iterator[str]:
    report.quoted = points_left_out(summary, select_key_points(sentences_of(passages), _QUOTE_POOL), QUOTES)
    if report.quoted:
        lines = "\n".join(f"- {point.line(quoted=True)}" for point in report.quoted)
        yield f"\n\n{QUOTES_HEADING}\n{lines}"


def _model_summary(
    document: Document,
    passages: list[Passage],
    engine: LlmEngine,
    length: str,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    thorough: bool,
    report: SummaryReport,
) -> Iterator[str]:
    if length not in SUMMARY_LENGTHS:
        raise ValueError(f"length must be one of {SUMMARY_LENGTHS}, not {length!r}")
    progress = progress or no_progress
    engine.load(progress=progress, cancel=cancel)
    if not passages:
        raise EmptyDocumentError(f"{document.name} has no text to summarise.")
    title = document.title or readable_name(document.name)
    instruction = summary_instruction(length, detect_language(" ".join(p.text for p in passages)))
    final = sampling_for(f"summary-{length}")

    budget = _text_budget(engine, "summary_single", final.max_tokens, title=title, text="", instruction=instruction)
    words_total = sum(len(p.text.split()) for p in passages)
    whole = pack(passages, budget, engine.count_tokens)
    if len(whole) == 1:
        report.mode, report.words_read, report.words_total = MODE_SINGLE, words_total, words_total
        report.passages_read = report.passages_total = sum(len(split_sentences(p.text)) for p in passages)
        messages = _messages("summary_single", title=title, text=whole[0].text, instruction=instruction)
        yield from stop_at_repetition(engine.stream_chat(
            messages, final, cancel=cancel, progress=lambda d, t, _m: progress(d, t, "Reading the document")
        ))
    elif not thorough:
        progress(0, 0, "Selecting the most informative passages")
        sentences = sentences_of(passages)
        budget = _text_budget(engine, "summary_excerpts", final.max_tokens, title=title, text="",
                              instruction=instruction)
        chosen = select_passages(sentences, budget, engine.count_tokens)
        report.mode, report.words_total = MODE_FAST, words_total
        report.words_read = sum(len(sentences[i].text.split()) for i in chosen)
        report.passages_read, report.passages_total = len(chosen), len(sentences)
        excerpt = _excerpt_text([sentences[i] for i in chosen])
        messages = _messages("summary_excerpts", title=title, text=excerpt, instruction=instruction)
        yield from stop_at_repetition(engine.stream_chat(
            messages, final, cancel=cancel, progress=lambda d, t, _m: progress(d, t, "Reading the selected passages")
        ))
    else:
        notes = _map_parts(passages, engine, title, progress, cancel)
        notes = _collapse(notes, engine, title, instruction, final.max_tokens, progress, cancel)
        progress(0, 0, "Combining the notes of every part")
        messages = _messages("summary_combine", title=title, notes="\n\n".join(notes), instruction=instruction)
        report.mode, report.words_read, report.words_total = MODE_THOROUGH, words_total, words_total
        report.passages_read = report.passages_total = sum(len(split_sentences(p.text)) for p in passages)
        yield from stop_at_repetition(engine.stream_chat(messages, final, cancel=cancel))


def readable_name(name: str) -> str:
    """A file name as words for the prompt ('flight-ops-notice.txt' -> 'flight ops notice'), so a small model
    does not copy the file name into the summary."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return re.sub(r"[-_.]+", " ", stem).strip() or name


def summary_instruction(length: str, language: str | None) -> str:
    """What to write; names the document's language, which small models otherwise drop for English."""
    instruction = prompt(f"summary_{length}")
    if language in LANGUAGE_NAMES:
        instruction += " " + prompt("summary_language").format(language=language_name(language))
    return instruction


def select_passages(sentences: Sequence[Sentence], budget: int, count_tokens) -> list[int]:
    """Indices (in reading order) of the most informative sentences that fit ``budget`` tokens.

    Every section of the document gets its best sentence first (coverage), then the best remaining ones are
    added by score (centrality, figures, codes, names) while each section stays near its fair share.
    """
    from assistant.trust.keypoints import sentence_scores

    scores = sentence_scores(sentences)
    total = len(sentences)
    sections = max(1, min(_SECTIONS, total))
    section_of = [i * sections // total for i in range(total)]
    # Over-long sentences (run-on tables) are cut so one of them cannot take the whole budget.
    cap = max(32, budget // 8)
    cost = []
    for sentence in sentences:
        tokens = count_tokens(sentence.text) + 6  # + the page marker and separator
        cost.append(tokens if tokens <= cap else cap + 1)
    quota = [budget * 1.6 / sections] * sections
    used = [0.0] * sections
    chosen: set[int] = set()
    spent = 0
    ranked = sorted(range(total), key=lambda i: scores[i], reverse=True)
    for rounds in (1, None):  # first one per section, then fill
        for i in ranked:
            s = section_of[i]
            if i in chosen or cost[i] > cap or spent + cost[i] > budget or scores[i] <= 0:
                continue
            if rounds == 1 and used[s] > 0:
                continue
            if rounds is None and used[s] + cost[i] > quota[s]:
                continue
            chosen.add(i)
            used[s] += cost[i]
            spent += cost[i]
    if spent < budget * 0.9:  # quotas left room: use it, best first, regardless of section
        for i in ranked:
            if i not in chosen and cost[i] <= cap and spent + cost[i] <= budget and scores[i] > 0:
                chosen.add(i)
                spent += cost[i]
    return sorted(chosen)


def _excerpt_text(sentences: Sequence[Sentence]) -> str:
    """Selected sentences in reading order, a [p. N] marker where the page changes, '…' where text was left out."""
    lines: list[str] = []
    page: int | None = None
    for sentence in sentences:
        text = sentence.text
        if sentence.page != page and sentence.page is not None:
            page = sentence.page
            text = f"[p. {page}] {text}"
        lines.append(text)
    return "\n".join(lines)


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
    budget = _text_budget(engine, "summary_combine", reply_tokens, title=title, notes="", instruction=instruction)
    while sum(engine.count_tokens(n) + 2 for n in notes) > budget and len(notes) > 1:
        # Each note is far shorter than the budget (its reply is capped), so every round shrinks the list.
        groups = pack([Passage(None, n) for n in notes], budget, engine.count_tokens)
        notes = _notes_on(groups, engine, title, progress, cancel, label="group of notes")
    return notes
