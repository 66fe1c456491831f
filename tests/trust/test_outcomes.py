"""The outcome check: a summary or an answer that states a decision or a status the source does not (the
minutes record an item approved, the summary says it is pending) is flagged like an invented figure, in
English, French, German and Spanish; a faithful restatement is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.documents import read_document
from assistant.documents.ocr_cache import OcrCache
from assistant.text.sentences import split_sentences
from assistant.trust.checks import check_summary
from assistant.trust.outcomes import check_outcomes, outcome_mentions, tally_outcome

from ..conftest import REAL

COUTHENANS = REAL / "CR_conseil_municipal_28_10_2022.pdf"
LINCOLN_SQUARE = REAL / "SSA21_MeetingMinutes_1.29.18.pdf"
BID_PROTEST = REAL / "PDFBOX-5811-362972.pdf"


@pytest.fixture(scope="module")
def source_text(ocr_cache: OcrCache):
    """Each real document read once for the module (the French minutes' third page is a scan, read by OCR
    once and kept in the test run's OCR cache)."""
    texts: dict[Path, str] = {}

    def text_of(path: Path) -> str:
        if path not in texts:
            texts[path] = read_document(path, ocr_cache=ocr_cache).text
        return texts[path]

    return text_of


@pytest.fixture
def flagged(source_text):
    def flagged_in(summary: str, path: Path) -> list[tuple[str, str]]:
        return [(flag.text, flag.reason) for flag in check_outcomes(summary, source_text(path))]

    return flagged_in


def test_a_rule_the_french_council_voted_down_is_flagged_when_a_summary_says_it_was_adopted(flagged) -> None:
    # The minutes give only the tally: "6 voix Contre, 0 Abstention, 5 pour".
    summary = "La proposition de réglementation pour envoyer les questions diverses avant le conseil a été adoptée."
    assert flagged(summary, COUTHENANS) == [("adoptée", "the source says rejected")]
    faithful = "La réglementation des questions diverses envoyées avant le conseil a été rejetée par 6 voix contre 5."
    assert flagged(faithful, COUTHENANS) == []


def test_an_item_decided_in_the_minutes_is_flagged_when_a_summary_calls_it_pending(flagged) -> None:
    assert flagged("The 2018 budget is pending and will be accepted later.", LINCOLN_SQUARE) == [
        ("pending", "not found in the source")
    ]
    flags = flagged("The $5,000 proposed for lighting retrofits was approved.", LINCOLN_SQUARE)
    assert flags and flags[0][0] == "approved" and "rejected" in flags[0][1]
    assert flagged("The $5,000 proposed for lighting retrofits was rejected and moved to holiday decorations.",
                   LINCOLN_SQUARE) == []


def test_a_denied_bid_protest_is_flagged_when_a_summary_says_it_was_sustained(flagged) -> None:
    flags = flagged("GAO sustained the protest of Cybernet Systems Corporation.", BID_PROTEST)
    assert [text for text, _reason in flags] == ["sustained"]
    assert flagged("GAO denied the protest of Cybernet Systems Corporation.", BID_PROTEST) == []


def test_the_real_documents_own_outcome_sentences_are_never_flagged(corpus: Path, source_text) -> None:
    checked = 0
    for path in (COUTHENANS, LINCOLN_SQUARE, BID_PROTEST, REAL / "cuya_health.pdf", REAL / "china.pdf",
                 REAL / "018367.docx", corpus / "real" / "issue11913.pdf"):
        source = source_text(path)
        for sentence in split_sentences(" ".join(source.split())):
            if outcome_mentions(sentence):
                checked += 1
                assert check_outcomes(sentence, source) == [], (path.name, sentence)
    assert checked >= 30


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("The motion was approved unanimously.", "approved"), ("The request was not approved.", "rejected"),
        ("The appeal is dismissed.", "rejected"), ("The item was tabled until May.", "pending"),
        ("The case remains open.", "open"), ("No charges were filed.", "not charged"),
        ("The allegation was unsubstantiated.", "unsubstantiated"), ("The unit failed the inspection.", "fail"),
        ("La demande est en attente.", "pending"), ("La délibération n'a pas été adoptée.", "rejected"),
        ("Der Antrag wurde abgelehnt.", "rejected"), ("Der Antrag wurde nicht genehmigt.", "rejected"),
        ("Das Verfahren ist abgeschlossen.", "closed"), ("La solicitud fue aprobada.", "approved"),
        ("La solicitud no fue aprobada.", "rejected"), ("El expediente está cerrado.", "closed"),
    ],
)
def test_outcome_words_and_their_negations_in_four_languages(text: str, outcome: str) -> None:
    assert [m.outcome for m in outcome_mentions(text)] == [outcome]


def test_words_that_only_look_like_outcomes_are_not_read_as_one() -> None:
    for text in ("Resolution No. 2019-37 is on the agenda.", "An open tender was held.",
                 "The board met in closed session.", "Fees were charged to the travel card.",
                 "Les différents quartiers.", "Il est proposé d'adopter une réglementation."):
        assert outcome_mentions(text) == [], text


def test_vote_tallies_decide_in_every_order() -> None:
    assert tally_outcome("6 voix Contre, 0 Abstention, 5 pour") == "rejected"
    assert tally_outcome("Adoption à 0 Contre, 0 abstention, 11 voix pour") == "approved"
    assert tally_outcome("AFIRMATIVO 129 NEGATIVO 65") == "approved"
    assert tally_outcome("Ja 3, Nein 4") == "rejected"


def test_an_answer_is_checked_against_the_passages_it_was_given() -> None:
    passages = ["The council rejected the $5,000 lighting retrofit.", "The revised 2018 budget was approved."]
    checked = check_summary("The lighting retrofit was approved [1].", passages)
    assert [flag.text for flag in checked.outcomes] == ["approved"]
    assert checked.as_dicts()[0]["kind"] == "outcome" and "rejected" in checked.as_dicts()[0]["reason"]
    assert "warning: 1 outcome not backed by the source: approved" in checked.warning()
