"""The question yardstick's reading of where an answer was lost (benchmarks/ask.py), which decides what the
next change to the answer step works on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.ask import Outcome, Question

_PLACE = Path("/corpus/real/pump-notes.pdf")


def _outcome(*, quote: str, body: str = "", kind: str = "", page_rank: int = 1, answer_rank: int = 1,
             read_count: int = 3) -> Outcome:
    question = Question(1, "shared", "Which seal kit does the pump need?", re.compile(r"SK-77"), _PLACE, 2)
    text = body or "The library has nothing that answers this."
    return Outcome(question, text, [], [], 0.0, 0.0, kind == "nothing", kind=kind, quote=quote,
                   page_rank=page_rank, answer_rank=answer_rank, read_count=read_count)


@pytest.mark.parametrize(("outcome", "stage"), [
    (_outcome(quote="Seal kit SK-77 ordered."), ""),
    (_outcome(quote="The pump was serviced.", page_rank=0, answer_rank=0), "retrieval"),
    (_outcome(quote="The pump was serviced.", answer_rank=7), "ranking"),
    (_outcome(quote="The pump was serviced.", page_rank=2, answer_rank=0), "phrasing"),
    (_outcome(quote="The pump was serviced."), "sentence"),
    (_outcome(quote="Seal kit SK-77 ordered.", kind="nothing"), "gate"),
    (_outcome(quote="Seal kit SK-77 ordered.", kind="model", body="It needs kit SK-70. Quoted: “Kit SK-70 fits.”"),
     "backing"),
    (_outcome(quote="The pump was serviced.", kind="model", body="It needs seal kit SK-77."), ""),
])
def test_an_answer_is_lost_at_the_first_stage_that_misses_it(outcome: Outcome, stage: str) -> None:
    assert outcome.loss == stage


def test_a_question_no_document_answers_is_never_counted_as_a_loss() -> None:
    question = Question(2, "shared", "What does the pump cost?", None, None, None)
    assert Outcome(question, "The library has nothing that answers this.", [], [], 0.0, 0.0, True).loss == ""



@pytest.mark.parametrize(("body", "alone", "empty"), [
    # The quotes first, the model's sentence after them (this design) …
    ("Quoted from the source:\n“Seal kit SK-77 ordered.” [1]\n\nThe model's answer: It needs kit SK-70. [1]", False,
     False),
    ("Quoted from the source:\n“Seal kit SK-77 ordered.” [1]\n\nThe model's answer: It needs kit SK-77. [1]", True,
     False),
    # … or before them (the logs of earlier runs), and the quotes alone (no sentence of the model's own).
    ("It needs kit SK-77. [1]\n\nQuoted from the source:\n“Kit SK-70 fits.” [1]", True, False),
    ("Quoted from the source:\n“Seal kit SK-77 ordered.” [1]", False, True),
])
def test_the_models_own_sentence_is_told_from_the_quotes_whichever_comes_first(body: str, alone: bool,
                                                                                empty: bool) -> None:
    text = body + "\n\nSources:\n[1] pump-notes.pdf, p. 2"
    outcome = _outcome(quote="Seal kit SK-77 ordered.", kind="model", body=text)
    assert outcome.right and outcome.right_alone == alone and outcome.empty == empty
