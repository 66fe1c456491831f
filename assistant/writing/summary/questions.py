"""Per-question summary: the few questions a field document answers (what it is; what it reports, decides or
requires; who and what it concerns; its figures, dates and deadlines; the outcome and next step) choose the
passages the summary reads (``fields``: the pieces carrying that question's kinds of field), and the model
restates each passage, one short request a passage, in one sentence of its own, braked from copying it
(``assistant.llm.copying``: a restatement that copies is left out). A small model keeps a passage's names and
figures when it restates it; asked a question over three passages it wrote one general sentence (on the 81 real
documents of benchmarks/quality.py, 0.5B: the model's text 361 -> 426 of 656 key facts; README, "Restating the
passages"). The summary is the restatements in the questions' order, then those of the best key sentences no question
read (``FURTHER_PASSAGES``), as many as the time allowed restates (``RESTATING_SECONDS``). Questions and their
fields live in ``resources/prompts/summary_questions.txt``."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field

from assistant.jobs import CancelToken, ProgressCallback
from assistant.llm.engine import LlmEngine, Message
from assistant.llm.repetition import stop_at_repetition
from assistant.llm.sampling import sampling_for
from assistant.text.language import LANGUAGE_NAMES, language_name
from assistant.text.packing import Chunk
from assistant.text.words import word_count
from assistant.writing.summary.fields import FIELD_KINDS, Piece, block_pieces, closing_piece, scored_pieces
from assistant.writing.summary.guard import ANSWER_END
from assistant.writing.summary.language import in_document_language
from assistant.writing.summary.prepare import PreparedDocument
from assistant.writing.summary.select import MODE_QUESTIONS, Reading
from resources import prompt

#: Passages each question reads, and their words at most: a few sentences, which a 0.5B model can hold.
PASSAGES = 3
PASSAGE_WORDS = 110
#: What a piece carrying one of the question's kinds of field gains over its general score, and what one
#: already read for an earlier question loses (so the answers cover more of the document).
QUESTION_WEIGHT = 2.0
READ_BEFORE = 2.0
#: Key sentences no question read (``fields.block_pieces``: the block the guard would show), restated after the
#: questions' passages, best first, at most ``FURTHER_PASSAGES``. No model, on the 81 real documents of
#: benchmarks/quality.py the passages read hold 500 of 656 key facts, with the best 2 / 4 / 6 further key sentences
#: 525 / 538 / 543. Live (0.5B, seed 7): the model's text 426 -> 462 / 656 with 4 (requests 763 -> 911; the 61
#: documents of 1-2 pages 18.2 -> 21.2 s at the median, estimated idle; README).
FURTHER_PASSAGES = 4
#: Seconds the restatements of a brief summary may take, counted from the first: the next passage is restated only
#: while the time spent and the mean restatement so far stay within them, the first ``ALWAYS_RESTATED`` always (what
#: the document is and what it reports). A 1-2 page document is to be summarised within 25 s of the model being
#: loaded; reading and planning take a tenth of a second at most, the quotes under the text less. On a slow 2-core
#: AVX2 machine idle (0.5B, seed 7, the 81 real documents) the cap of 12 restatements it replaced left 26 of the 61
#: documents of 1-2 pages over 25 s (estimated); within 23 s one is (27.1 s), and the model's text keeps 418 of 656
#: key facts against 455 (as shown 551 against 555); a machine that restates everything in time keeps 462 / 555
#: (README, "A time for restating").
RESTATING_SECONDS = 23.0
ALWAYS_RESTATED = 3
#: The clock the restating time is read on (the tests stop it, or drive it, so no test depends on a machine's speed).
clock: Callable[[], float] = time.monotonic
#: A restatement's opening that names the task instead of saying what the passage says ("The sentence states that
#: the court …"): 73 of the 763 restatements of the 81 real documents of benchmarks/quality.py began so (0.5B).
_LEAD_IN = re.compile(r"(?:The|This) (?:sentence|document|text|passage) (?:states|says|mentions|indicates|notes)"
                      r"(?: that)?:?\s+(?=\S)")
#: The restating prompt's own separator line: a reply that writes it has first copied its passage and then restated
#: it, as the prompt is laid out ("… Unterschiede“.\n\n---\n\nSummary: Prof. Nino Grau's study …"); what follows the
#: last one is the restatement. 4 of 100 real documents' summaries showed such a line and both parts (0.5B).
_SEPARATOR = re.compile(r"\n[^\S\n]*-{3,}[^\S\n]*(?:\n|$)")
#: A label the model puts before its restatement after such a line ("Summary in Spanish:").
_LABEL = re.compile(r"^(?:summary|r[ée]sum[ée]|zusammenfassung|resumen|riassunto|samenvatting|resumo|restatement|"
                    r"answer)(?: in \w+)?\s*:\s*", re.IGNORECASE)
#: The task named after a first sentence the reply copied ("Barrett, J., filed a dissenting opinion. This sentence
#: states that …"): the restatement starts there.
_LATE_LEAD_IN = re.compile(r"(?<=[.!?。])\s+(?=" + _LEAD_IN.pattern + ")")
#: Words of an answer after which it is measured once before it ends, so a copy is not written out in full.
CHECK_WORDS = 40


#: In the questions file, "opening" marks a question that always reads the document's opening piece (what
#: the document is: its title block, issuer and date); "optional" one that is not asked when no piece of the
#: document carries any of its kinds of field (no decision or deadline: no outcome question). Measured on 11
#: real documents with the 0.5B model: 3 outcome questions fewer, the same facts kept.
OPENING = "opening"
OPTIONAL = "optional"
#: ... and "closing" one that reads the document's closing piece first: the last piece among its last
#: ``fields.CLOSING_PIECES`` that carries one of the question's kinds of field, where a decision, order or letter ends
#: with its disposition ("The protest is denied.", "Es gilt österreichisches Recht"). On the 46 real documents
#: (0.5B, seed 7; 16 documents read another passage) the model's text 192 -> 194 / 362, as shown 290 -> 295 (README).
CLOSING = "closing"


@dataclass(frozen=True)
class Question:
    text: str  # what the question asks: it names what its passages are chosen for (the model restates the passages)
    fields: frozenset[str]
    opening: bool = False
    optional: bool = False
    closing: bool = False


def questions() -> list[Question]:
    """The questions, in the order their answers make the summary."""
    found = []
    for line in prompt("summary_questions").splitlines():
        names, _, text = line.partition(" | ")
        marks = names.split()
        fields = frozenset(marks) - {OPENING, OPTIONAL, CLOSING}
        if not fields <= FIELD_KINDS:
            raise ValueError(f"unknown field in summary_questions: {names}")
        found.append(Question(text.strip(), fields, OPENING in marks, OPTIONAL in marks, CLOSING in marks))
    return found


def passages_for(question: Question, pieces: Sequence[Piece], read: set[str] | None = None) -> list[Piece]:
    """The few pieces that answer ``question`` best (its fields first, then the general score, those in
    ``read`` last), in reading order, within ``PASSAGE_WORDS``; their texts are added to ``read``."""
    read = read if read is not None else set()
    position = {id(piece): n for n, piece in enumerate(pieces)}

    def score(piece: Piece) -> float:
        return (piece.score + QUESTION_WEIGHT * len(piece.fields & question.fields)
                - READ_BEFORE * (piece.text in read))

    chosen: list[Piece] = []
    texts: set[str] = set()
    spent = 0
    first = list(pieces[:1] if question.opening else []) + (_closing(pieces, question) if question.closing else [])
    for piece in first + sorted(pieces, key=score, reverse=True):
        size = word_count(piece.text)
        if len(chosen) >= PASSAGES:
            break
        if piece.text in texts or spent + size > PASSAGE_WORDS and chosen:  # a running header repeats
            continue
        texts.add(piece.text)
        chosen.append(piece)
        spent += size
    read |= texts
    return sorted(chosen, key=lambda p: position[id(p)])


def _closing(pieces: Sequence[Piece], question: Question) -> list[Piece]:
    """The document's closing piece for ``question`` (``CLOSING``, ``fields.closing_piece`` of its fields); none if no
    piece is one."""
    closing = closing_piece(pieces, question.fields)
    return [closing] if closing is not None else []


def passages_text(passages: Sequence[Piece]) -> str:
    """The text a question reads: its passages, one a line."""
    return "\n".join(piece.text for piece in passages)


def restate_messages(title: str, passage: Piece, language: str | None) -> list[Message]:
    """The request that restates one passage in one short sentence of the model's own."""
    instruction = ""
    if language in LANGUAGE_NAMES:
        instruction = prompt("summary_language").format(language=language_name(language))
    return [
        {"role": "system", "content": prompt("summary_system")},
        {"role": "user", "content": prompt("summary_restate").format(
            title=title, text=passage.text, instruction=instruction).rstrip()},
    ]


def passages_in_order(plan: QuestionPlan) -> list[Piece]:
    """Every passage the questions read, once, in the questions' order (what it is first), then the further key
    sentences (``QuestionPlan.further``)."""
    seen: set[str] = set()
    ordered = []
    for passages in [*(passages for _question, passages in plan.asked), plan.further]:
        for piece in passages:
            if piece.text not in seen:
                seen.add(piece.text)
                ordered.append(piece)
    return ordered


@dataclass(frozen=True)
class QuestionPlan:
    """Each question with the passages it reads, and what of the document that is (for the mode line)."""

    asked: list[tuple[Question, list[Piece]]]
    reading: Reading
    further: list[Piece] = field(default_factory=list)  # key sentences no question read, best first


def plan_questions(prepared: PreparedDocument) -> QuestionPlan:
    """The passages every question reads (``passages_for``, later questions preferring what was not read)."""
    pieces = scored_pieces(prepared.sentences)
    read: set[str] = set()
    carried = {field for piece in pieces for field in piece.fields}
    asked = [(question, passages_for(question, pieces, read)) for question in questions()
             if not question.optional or question.fields & carried]
    further = further_passages(pieces, read)
    read |= {piece.text for piece in further}
    parts = [
        Chunk(passages_text(passages), min(pages) if pages else None, max(pages) if pages else None, n)
        for n, passages in enumerate([*(passages for _question, passages in asked), *([further] if further else [])])
        if (pages := [p.sentence.page for p in passages if p.sentence.page is not None]) is not None
    ]
    words_read = sum(word_count(text) for text in read)
    # Counted in pieces, as read: a run-on form or table of few sentences is read as many pieces (the footer said
    # "10 of the document's 4 sentences" for two pages of minutes).
    reading = Reading(MODE_QUESTIONS, parts, min(words_read, prepared.words), prepared.words, len(read),
                      len({piece.text for piece in pieces}))
    return QuestionPlan(asked, reading, further)


def further_passages(pieces: Sequence[Piece], read: set[str]) -> list[Piece]:
    """Up to ``FURTHER_PASSAGES`` of the key-sentence block's pieces that no passage in ``read`` holds or is part
    of, best first; none scored at or below zero (a table's caption, a heading: nothing to restate)."""
    parts = [_bare(text) for text in read]  # a part of a run-on sentence, read without what it leads to or from
    joined = "\n".join(parts)
    block = sorted(block_pieces(pieces), key=lambda piece: piece.score, reverse=True)
    unread = [piece for piece in block if piece.score > 0
              and _bare(piece.text) not in joined and not any(part in piece.text for part in parts)]
    return unread[:FURTHER_PASSAGES]


def _bare(text: str) -> str:
    """A piece's text without the marks of a cut sentence (``fields.pieces_of``: "… " before, " …" after)."""
    return text.removeprefix("… ").removesuffix(" …")


def answer_questions(
    plan: QuestionPlan,
    engine: LlmEngine,
    title: str,
    language: str | None,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    *,
    own_words: Callable[[str], bool] = lambda _answer: True,
    left_out: list[str] | None = None,
    seconds: float | None = RESTATING_SECONDS,
    unrestated: list[Piece] | None = None,
) -> Generator[str, None, int]:
    """The answers: each passage the questions read (``passages_in_order``) restated by its own request, each
    whole once written, separated by a space; ``ANSWER_END`` after each. An answer that would turn the text into
    a copy (``own_words`` false for the answers kept so far and this one) is left out, added to ``left_out``, and
    the next passage is restated. Once the next restatement would take the time spent past ``seconds`` (None: no
    limit; ``RESTATING_SECONDS``), the passages left are not restated and go to ``unrestated``. Returns how many
    answers were kept."""
    sampling = sampling_for("summary-answer")
    passages = passages_in_order(plan)
    total = len(passages)
    kept: list[str] = []
    started = clock()
    for number, passage in enumerate(passages):
        if seconds is not None and number >= max(1, ALWAYS_RESTATED):
            spent = clock() - started
            if spent + spent / number > seconds:  # the mean restatement so far would not fit
                if unrestated is not None:
                    unrestated.extend(passages[number:])
                progress(total, total, f"Restated {number} of {total} passages in the time allowed")
                return len(kept)
        progress(number, total, f"Restating passage {number + 1} of {total}")
        messages = restate_messages(title, passage, language)
        # Braked from copying its passage: on the 41 real documents of benchmarks/quality.py (0.5B), when the questions
        # were answered, the facts in the model's text 161 -> 181 of 322, no answer left out for copying (15 summaries
        # before); restating passages, 10 of the 81 summaries leave one out (README).
        answer = stop_at_repetition(engine.stream_chat(messages, sampling, cancel=cancel, own_words=passage.text))
        written = without_lead_in(restated_part(_written(answer, lambda text: own_words(" ".join([*kept, text])))))
        if not written:
            continue
        # In the document's language once it is the restatement alone (a copied passage before it would tell the
        # language identifier otherwise; a lead-in translated would no longer be recognised).
        written = in_document_language(written, language, engine, cancel).strip()
        if not own_words(" ".join([*kept, written])):
            if left_out is not None:
                left_out.append(written)
            continue
        yield written if not kept else " " + written
        kept.append(written)
        yield ANSWER_END  # the guard may show this answer as soon as it has measured it
    progress(total, total, "Restated every passage")
    return len(kept)


def restated_part(text: str) -> str:
    """What of a reply restates its passage: the part after the last separator line the prompt taught it
    (``_SEPARATOR``), without a label before it (``_LABEL``), from where it names the task after a copied sentence
    (``_LATE_LEAD_IN``); ``text`` itself when it has none of them."""
    parts = [part.strip() for part in _SEPARATOR.split(text)]
    part = next((part for part in reversed(parts) if part), "")
    part = _LABEL.sub("", part, count=1)
    late = _LATE_LEAD_IN.search(part)
    if late is not None and without_lead_in(part[late.end():]) != part[late.end():]:  # something said after it
        part = part[late.end():]
    return part


def without_lead_in(text: str) -> str:
    """``text`` without an opening that names the task (``_LEAD_IN``), its first letter then a capital."""
    lead = _LEAD_IN.match(text)
    rest = text[lead.end():] if lead is not None else ""
    if word_count(rest) < 3:  # nothing, or too little, said after it
        return text
    return rest[:1].upper() + rest[1:]


def _written(answer: Iterator[str], own_words: Callable[[str], bool]) -> str:
    """``answer`` without its leading blanks, read whole, or ended at the first ``CHECK_WORDS`` words when
    those are not the model's own (the rest would be left out too)."""
    written = ""
    checked = False
    try:
        for delta in answer:
            written += delta
            if not checked and word_count(written) >= CHECK_WORDS:
                checked = True
                if not own_words(written):
                    break
    finally:
        getattr(answer, "close", lambda: None)()  # ends the request when it stops early
    return written.strip()
