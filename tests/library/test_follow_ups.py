"""Follow-up questions: one that names too little of its own ("And when does it take effect?") is searched with
the question it follows, whose words then weigh a share of its own; one that names its own subject is not drawn
back to the document before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.library import ask as asking
from assistant.library import passages as ranking
from assistant.library.ask import ANSWER_LABEL, QUOTED, ask_library, asked_before, followed
from assistant.library.index import LibraryIndex
from assistant.library.question import QuestionTerms
from tests.conftest import REAL
from tests.writing.fake_engine import FakeEngine

TENDER = "Which company won tender 1295 for the parking ticket machines?"
OUTBREAK = "How many people fell ill in the food-poisoning outbreak after the temple feast in Trivandrum?"


def _history(question: str, answer: str = f"{QUOTED}\n“...” [1]") -> list[dict[str, str]]:
    """The last exchange, as the window passes it with the next question."""
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, library_embedder):
    """Five real documents: the tender's disclosure form, a board agenda full of "effective" dates, the outbreak
    report whose rows all have a start date, a budget and a Dutch invoice."""
    index = LibraryIndex(tmp_path_factory.mktemp("follow-ups"), embedder=library_embedder)
    index.add([REAL / name for name in ("sydney_disclosure_contract.pdf", "cuya_health.pdf", "row_span_3.pdf",
                                         "018367.docx", "issue-1062-filters.pdf")])
    yield index
    index.close()


def _quoted(answer) -> tuple[str, str]:
    return answer.read[answer.quote_passage].name, answer.quote


def test_the_words_a_follow_up_follows_weigh_a_share_of_its_own() -> None:
    own = QuestionTerms.of("When does it take effect?")
    both = own.with_context(QuestionTerms.of(TENDER), 0.5)
    assert set(both.stems) > set(own.stems)
    # A text with the follow-up's words alone holds two thirds of it, one with the subject's alone one third.
    assert both.coverage("It takes effect at once.") == pytest.approx(2 / 3)
    assert both.coverage("Tender 1295 was won by a company for parking ticket machines.") == pytest.approx(1 / 3)
    said = "The company that won tender 1295 for the parking ticket machines takes effect on 13 May 2013."
    assert both.coverage(said) == pytest.approx(1.0)
    assert own.with_context(QuestionTerms.of("When does it take effect?"), 0.5) == own  # nothing new to add


def test_the_question_a_follow_up_follows_is_the_last_one_asked() -> None:
    history = _history("What is the tender?") + _history(TENDER)
    assert asked_before(history) == TENDER
    assert asked_before([]) == asked_before(None) == ""


def test_a_follow_up_that_names_no_subject_is_answered_from_the_document_it_follows(library: LibraryIndex) -> None:
    follow_up = "And when does it take effect?"
    alone = ask_library(library, None, follow_up)  # type: ignore[arg-type]
    # Its own words find the agenda's "effective June 3, 2019"...
    assert _quoted(alone)[0] != "sydney_disclosure_contract.pdf"
    # ...after the tender's question, the form's effective date.
    name, quote = _quoted(ask_library(library, None, follow_up, history=_history(TENDER)))  # type: ignore[arg-type]
    assert name == "sydney_disclosure_contract.pdf" and "13 May 2013" in quote, quote


def test_a_follow_up_quotes_the_row_of_the_subject_it_follows(library: LibraryIndex) -> None:
    follow_up = "When did the outbreak begin?"
    assert "02/04/15" not in _quoted(ask_library(library, None, follow_up))[1]  # type: ignore[arg-type]
    name, quote = _quoted(ask_library(library, None, follow_up, history=_history(OUTBREAK)))  # type: ignore[arg-type]
    assert name == "row_span_3.pdf" and "Trivandrum" in quote and "02/04/15" in quote, quote


def test_a_question_that_names_its_own_subject_is_not_drawn_back_to_the_one_before(library: LibraryIndex) -> None:
    # Few words, but its own: still found in the invoice after a question on the outbreak report.
    short = "Who at Supertape placed the order for the motor?"
    assert ranking.specificity(library.store, ranking.question_terms(library.store, short)) < asking.FOLLOW_UP_BELOW
    name, quote = _quoted(ask_library(library, None, short, history=_history(OUTBREAK)))  # type: ignore[arg-type]
    assert name == "issue-1062-filters.pdf", quote
    # A question that names enough of its own is searched as if asked alone.
    named = "What rating did OMB's program assessment give the radiation exposure compensation program?"
    assert followed(library, ranking.question_terms(library.store, named), _history(TENDER)) == ""
    follow_up = ranking.question_terms(library.store, "And when does it take effect?")
    assert followed(library, follow_up, _history(TENDER)) == TENDER


class _Answering(FakeEngine):
    """A model with no calibrated check (it reads the excerpts and writes a sentence): gives a translation
    request back unchanged (no version of the question), and answers the question with ``reply``."""

    model_path = Path("scripted.gguf")

    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply
        self.messages: list = []

    def stream_chat(self, messages, sampling, **kwargs):
        self.messages.append(messages)
        asked = messages[-1]["content"]
        yield asked.rpartition("\n\n")[2] if asked.startswith("Translate") else self.reply


def test_the_model_reads_the_followed_documents_passages_with_the_exchange_before(library: LibraryIndex) -> None:
    engine = _Answering("It takes effect on 13 May 2013 [1].")
    history = _history(TENDER, f"{QUOTED}\n“Name: Reino International Pty Ltd trading as Duncan Solutions” [1]")
    answer = ask_library(library, engine, "And when does it take effect?", history=history)  # type: ignore[arg-type]
    text = "".join(answer.deltas)
    answering = engine.messages[-1]
    assert answering[1:3] == history and "13 May 2013" in answering[-1]["content"]
    said = text.split("Sources:")[0].rpartition(ANSWER_LABEL)[2]
    assert "13 May 2013" in said
    cited = {c.number: c.name for c in answer.citations}
    number = int(said.rpartition("[")[2].partition("]")[0])
    assert cited[1] == cited[number] == "sydney_disclosure_contract.pdf"


def test_a_code_weighs_by_how_many_passages_hold_it_whole(library: LibraryIndex) -> None:
    # The form's many "N/A" fields: a common code weighs less than one no passage holds (both used to count
    # as held by none, the keyword index knowing only their pieces).
    assert library.store.phrase_count("N/A") > 1 and library.store.phrase_count("XK-12-B") == 0
    weights = ranking.question_terms(library.store, "Is N/A the value of XK-12-B?").weights
    assert weights["n/a"] < weights["xk-12-b"]
