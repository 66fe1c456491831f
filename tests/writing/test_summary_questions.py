"""The per-question summary: the questions a field document answers choose the few passages that answer them,
and each passage is restated by a short request of its own, in the questions' order; a fake engine counts the
requests and shows what each read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.documents import read_document
from assistant.jobs import no_progress
from assistant.writing.summary import questions as questions_module
from assistant.writing.summary.fields import block_pieces, scored_pieces
from assistant.writing.summary.pipeline import summarize_document
from assistant.writing.summary.prepare import prepare_document
from assistant.writing.summary.present import SummaryReport
from assistant.writing.summary.questions import (
    FURTHER_PASSAGES,
    PASSAGE_WORDS,
    answer_questions,
    passages_for,
    passages_in_order,
    plan_questions,
    questions,
    restated_part,
    without_lead_in,
)

from ..conftest import REAL
from .fake_engine import DrivenClock, FakeEngine, passages_of


class _CountingEngine(FakeEngine):
    """Answers every request with "Answer N." and keeps the passages each request was given."""

    def __init__(self) -> None:
        super().__init__()
        self.passages: list[str] = []

    def stream_chat(self, messages, sampling, **kwargs):
        self.passages.append(passages_of(messages[-1]["content"]))
        yield from (" Answer", f" {len(self.passages)}.")


def test_each_passage_the_questions_read_is_restated_once_by_its_own_request_in_the_questions_order() -> None:
    document = read_document(REAL / "sydney_disclosure_contract.pdf")
    prepared = prepare_document(document)
    engine = _CountingEngine()
    plan = plan_questions(prepared)
    read = [piece.text for _question, passages in plan.asked for piece in passages]
    text = "".join(answer_questions(plan, engine, prepared.title, prepared.language,  # type: ignore[arg-type]
                                    no_progress, None))
    assert len(plan.asked) == 5 and len(set(read)) < len(read)  # later questions reread some passages
    further = [piece.text for piece in plan.further]
    assert engine.passages == list(dict.fromkeys(read)) + further == [piece.text for piece in passages_in_order(plan)]
    assert text == " ".join(f"Answer {n}." for n in range(1, len(engine.passages) + 1))
    for passage in engine.passages:
        assert 1 <= len(passage.split()) <= 40  # one sentence or a piece of a long one, never a whole question's
    for _question, passages in plan.asked:  # each question reads a few sentences, never the document
        assert sum(len(piece.text.split()) for piece in passages) <= PASSAGE_WORDS + 40 < len(document.text.split())
    assert "Disclosure of Contract" in engine.passages[0]  # what it is: its opening first
    assert "$3,148,800.00" in " ".join(engine.passages)  # the figures question's passage is restated


def test_the_best_key_sentences_no_question_read_are_restated_after_the_questions_passages(corpus: Path) -> None:
    # A company's financial statement: its total rows are among the key sentences (the block the guard shows), but no
    # question's passages hold them; they are restated after those, the best first, never a caption or heading.
    prepared = prepare_document(read_document(corpus / "real" / "issue14297.pdf"))
    plan = plan_questions(prepared)
    engine = _CountingEngine()
    "".join(answer_questions(plan, engine, prepared.title, prepared.language, no_progress, None))  # type: ignore[arg-type]
    read = {piece.text for _question, passages in plan.asked for piece in passages}
    block = {piece.text for piece in block_pieces(scored_pieces(prepared.sentences))}
    further = [piece.text for piece in plan.further]
    assert len(further) == FURTHER_PASSAGES and engine.passages[-len(further):] == further
    assert "Total other comprehensive income (loss) (108,750) 214,271" in further
    assert set(further) <= block and not set(further) & read
    assert [piece.score for piece in plan.further] == sorted((piece.score for piece in plan.further), reverse=True)
    table = prepare_document(read_document(corpus / "real" / "table-curves-example.pdf"))
    caption = [piece for piece in block_pieces(scored_pieces(table.sentences)) if piece.text.startswith("Table 2:")]
    assert caption and caption[0].score <= 0
    assert caption[0].text not in {piece.text for piece in plan_questions(table).further}


def test_a_key_sentence_a_question_read_in_part_is_not_restated_again_whole(corpus: Path) -> None:
    # A judgment's decision sentence is long: a question reads its first part ("… notably …"), the key sentences
    # hold it whole. Restating it whole again would repeat that part.
    plan = plan_questions(prepare_document(read_document(corpus / "real" / "issue11913.pdf")))
    read = [piece.text for _question, passages in plan.asked for piece in passages]
    assert any(text.startswith("8. This decision has the consequence") and text.endswith(" …") for text in read)
    assert not any(piece.text.startswith("8. This decision") for piece in plan.further)


class _SlowEngine(_CountingEngine):
    """A ``_CountingEngine`` whose every request takes ``seconds`` on ``clock``."""

    def __init__(self, clock: DrivenClock, seconds: float) -> None:
        super().__init__()
        self.clock, self.seconds = clock, seconds

    def stream_chat(self, messages, sampling, **kwargs):
        self.clock.now += self.seconds
        yield from super().stream_chat(messages, sampling, **kwargs)


def test_a_brief_summary_restates_its_passages_within_the_time_allowed_and_says_how_many_it_left(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = DrivenClock()
    monkeypatch.setattr(questions_module, "clock", clock)
    document = read_document(REAL / "sydney_disclosure_contract.pdf")
    passages = [piece.text for piece in passages_in_order(plan_questions(prepare_document(document)))]
    engine = _SlowEngine(clock, 5.0)
    report = SummaryReport()
    text = "".join(summarize_document(document, engine, "brief", report=report, restating_seconds=23.0))  # type: ignore[arg-type]
    # 5 s a request: the fifth would end at 25 s, past the 23 allowed; the passages left are not restated.
    assert len(passages) > 6 and engine.passages == passages[:4]
    assert report.unrestated == len(passages) - 4 == report.as_dict()["unrestated"]
    assert f"{len(passages) - 4} of them not restated, to keep within the time allowed" in text
    assert "Answer 4." in text and "Answer 5." not in text
    slow = _SlowEngine(clock, 30.0)  # a request longer than the time allowed: the first three are restated anyway
    "".join(summarize_document(document, slow, "brief", restating_seconds=23.0))  # type: ignore[arg-type]
    assert slow.passages == passages[:3]
    unlimited = _SlowEngine(clock, 5.0)
    report = SummaryReport()
    "".join(summarize_document(document, unlimited, "brief", report=report, restating_seconds=None))  # type: ignore[arg-type]
    assert unlimited.passages == passages and report.unrestated == 0 and "not restated" not in report.footer()


def test_each_question_reads_the_passages_carrying_its_fields_and_later_ones_prefer_what_was_not_read(
        corpus: Path) -> None:
    prepared = prepare_document(read_document(corpus / "real" / "issue11913.pdf"))  # a Supreme Court judgment
    pieces = scored_pieces(prepared.sentences)
    read: set[str] = set()
    chosen = [passages_for(question, pieces, read) for question in questions()]
    alone = [passages_for(question, pieces) for question in questions()]  # each as if asked first
    identity = " ".join(piece.text for piece in chosen[0])
    assert re.search(r"IESC 63|SUPREME COURT", identity)
    assert all(chosen) and read == {piece.text for group in chosen for piece in group}
    assert len(read) > len({piece.text for group in alone for piece in group})


def test_each_answer_is_shown_as_soon_as_it_is_checked_before_the_next_question_is_asked() -> None:
    # Short answers, far fewer words than the guard holds back from a running text: held 40 words behind, the
    # first would only appear once every question had been answered.
    engine = _CountingEngine()
    stream = summarize_document(read_document(REAL / "sydney_disclosure_contract.pdf"), engine, "brief")  # type: ignore[arg-type]
    shown = ""
    for number in (1, 2):
        while f"Answer {number}." not in shown:
            shown += next(stream)
        assert len(engine.passages) == number  # shown before the next question was asked
    stream.close()


def test_the_outcome_question_is_not_asked_of_a_form_that_carries_no_decision_or_deadline(corpus: Path) -> None:
    form = prepare_document(read_document(corpus / "real" / "160F-2019.pdf"))  # fields, codes; no outcome
    asked = [question for question, _passages in plan_questions(form).asked]
    outcome = [q for q in questions() if q.optional and q.fields == {"decision", "deadline"}]
    assert len(outcome) == 1 and outcome[0] not in asked and len(asked) == len(questions()) - 1
    engine = _CountingEngine()
    "".join(answer_questions(plan_questions(form), engine, form.title, form.language,  # type: ignore[arg-type]
                             no_progress, None))
    assert engine.passages == [piece.text for piece in passages_in_order(plan_questions(form))]
    judgment = prepare_document(read_document(corpus / "real" / "issue11913.pdf"))  # it decides: all asked
    assert len(plan_questions(judgment).asked) == len(questions())


def test_the_outcome_question_reads_the_closing_disposition_of_a_decision_or_order() -> None:
    # Decided at the end: a GAO bid-protest decision ends "The protest is denied." above its signature, a court
    # order "3. The Court finds that no bond is required. IT IS SO ORDERED. Dated: …". Pieces with more fields
    # elsewhere took all three of the outcome question's places.
    outcome = next(q for q in questions() if q.closing)
    for name, disposition in (("PDFBOX-5811-362972.pdf", "The protest is denied."),
                              ("gov.uscourts.cacd.652774.40.0.pdf", "no bond is required")):
        plan = plan_questions(prepare_document(read_document(REAL / name)))
        read = next(passages for question, passages in plan.asked if question == outcome)
        assert any(disposition in piece.text for piece in read), name
        assert not any(piece.text == "IT IS SO ORDERED" for piece in read)  # a label, not the closing sentence


class _ScriptedEngine(FakeEngine):
    """Answers the Nth request with the Nth of ``replies``, word by word, counting the words it wrote."""

    def __init__(self, replies: list[str]) -> None:
        super().__init__()
        self.replies = replies
        self.words: list[int] = []

    def stream_chat(self, messages, sampling, **kwargs):
        self.words.append(0)
        for word in self.replies[len(self.words) - 1].split():
            self.words[-1] += 1
            yield " " + word


def test_an_answer_is_judged_with_the_answers_kept_before_it_and_left_out_when_that_makes_a_copy() -> None:
    # The judge stands in for the echo measure: the text is a copy once it holds two copied answers.
    prepared = prepare_document(read_document(REAL / "sydney_disclosure_contract.pdf"))
    plan = plan_questions(prepared)
    long_copy = "COPIED " + "word " * 60
    count = len(passages_in_order(plan))
    engine = _ScriptedEngine(["First own answer.", "COPIED but short.", long_copy]
                             + [f"Own answer {n}." for n in range(4, count + 1)])
    judged: list[str] = []

    def own_words(text: str) -> bool:
        judged.append(text)
        return text.count("COPIED") < 2

    left_out: list[str] = []
    stream = answer_questions(plan, engine, prepared.title, prepared.language,  # type: ignore[arg-type]
                              no_progress, None, own_words=own_words, left_out=left_out)
    text = "".join(stream)
    assert count > 5 and len(engine.words) == count  # every passage restated, after the left-out one too
    assert text == " ".join(["First own answer. COPIED but short."] + [f"Own answer {n}." for n in range(4, count + 1)])
    assert left_out and left_out[0].startswith("COPIED word") and engine.words[2] < 60  # ended at 40 words
    assert any(judge.startswith("First own answer. COPIED but short. COPIED word") for judge in judged)


def test_the_footer_counts_what_was_read_in_the_pieces_it_was_read_in() -> None:
    # Two pages of minutes in four run-on sentences, read as pieces of at most 40 words: the footer said "10 of the
    # document's 4 sentences".
    prepared = prepare_document(read_document(REAL / "SSA21_MeetingMinutes_1.29.18.pdf"))
    reading = plan_questions(prepared).reading
    assert 0 < reading.sentences_read < reading.sentences_total
    assert reading.sentences_total == len({piece.text for piece in scored_pieces(prepared.sentences)})


class _LeadInEngine(FakeEngine):
    """Restates every passage as a small model often does, naming the task first."""

    def stream_chat(self, messages, sampling, **kwargs):
        yield from ("The sentence", " states that the", " Board approved item ", "7.")


def test_a_restatement_that_opens_by_naming_the_task_is_shown_without_that_opening() -> None:
    prepared = prepare_document(read_document(REAL / "sydney_disclosure_contract.pdf"))
    plan = plan_questions(prepared)
    text = "".join(answer_questions(plan, _LeadInEngine(), prepared.title, prepared.language,  # type: ignore[arg-type]
                                    no_progress, None))
    assert text.startswith("The Board approved item 7. The Board approved item 7.") and "sentence" not in text
    assert without_lead_in("This document states that") == "This document states that"  # nothing said after it
    assert without_lead_in("The document is a contract of 2 pages.") == "The document is a contract of 2 pages."


def test_what_a_reply_restates_after_copying_its_passage_is_its_part_after_the_copy() -> None:
    # Replies of the 0.5B on real documents: the passage copied, then the prompt's separator line or the task named.
    separated = "TOTALES de 26,610 a 55,933\n\n---\n\nSummary in Spanish:\nTotalidades de 26.610 a 55.933"
    assert restated_part(separated) == "Totalidades de 26.610 a 55.933"
    late = ("Barrett, J., filed a dissenting opinion. This sentence states that Okello T. Chatrie was added as "
            "petitioner.")
    assert without_lead_in(restated_part(late)) == "Okello T. Chatrie was added as petitioner."
    for kept in ("The board approved item 7 -- unanimously.", "Costs rose 5 %. This sentence states that",
                 "The council met on 3 May.\n---\n"):
        assert restated_part(kept) == kept.strip().removesuffix("---").strip()
