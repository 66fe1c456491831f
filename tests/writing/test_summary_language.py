"""The per-question summary's answers in the document's language: an answer the model wrote in English for a
French, German or Spanish document is shown translated, unless the translation says what the answer does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.documents import read_document
from assistant.jobs import no_progress
from assistant.text.language import detect_language
from assistant.trust.checks import check_summary
from assistant.writing.summary.language import in_document_language
from assistant.writing.summary.prepare import prepare_document
from assistant.writing.summary.questions import answer_questions, plan_questions
from resources import prompt

from ..conftest import REAL
from .fake_engine import FakeEngine

ENGLISH = ("The document reports the fees of the aptitude certificate: 10,80 euros for the photocopy and "
           "25,90 euros for the C1 and C2 levels.")
SPANISH = ("El documento indica las tasas del certificado de aptitud: 10,80 euros por la fotocopia y 25,90 euros "
           "para los niveles C1 y C2.")


class _DriftingEngine(FakeEngine):
    """Answers the second question in English, the others in Spanish; translates with ``translation``."""

    def __init__(self, translation: str = SPANISH) -> None:
        super().__init__()
        self.translation = translation
        self.requests: list[str] = []  # the questions' requests
        self.translations: list[str] = []

    def stream_chat(self, messages, sampling, **kwargs):
        request = messages[-1]["content"]
        if messages[0]["content"] != prompt("summary_system"):  # the app's translation request
            self.translations.append(request)
            yield self.translation
            return
        self.requests.append(request)
        number = len(self.requests)
        yield ENGLISH if number == 2 else f"La respuesta número {number} del formulario de la escuela de idiomas."


def _answers(engine: _DriftingEngine, name: str) -> str:
    prepared = prepare_document(read_document(REAL / name))
    plan = plan_questions(prepared)
    return "".join(answer_questions(plan, engine, prepared.title, prepared.language,  # type: ignore[arg-type]
                                    no_progress, None))


def test_an_answer_written_in_english_for_a_spanish_form_is_shown_in_spanish() -> None:
    engine = _DriftingEngine()
    text = _answers(engine, "bug1815476.pdf")
    assert SPANISH in text and ENGLISH not in text
    assert len(engine.translations) == 1  # only the English answer is translated, into Spanish
    assert engine.translations[0].startswith("Traduce al español") and ENGLISH in engine.translations[0]
    assert "La respuesta número 1 " in text and "La respuesta número 3 " in text  # the others as written


def test_a_translation_that_adds_a_date_or_an_outcome_is_not_shown_and_the_answer_stays_as_written() -> None:
    # The 0.5B model translated "next week" as "le 7 juillet" and "reports" as "reporte" (postponed).
    for added in (" La solicitud se presentó el 7 de julio de 2019.", " La solicitud fue rechazada."):
        invented = SPANISH + added
        assert check_summary(invented, ENGLISH).flagged
        engine = _DriftingEngine(translation=invented)
        text = _answers(engine, "bug1815476.pdf")
        assert ENGLISH in text and invented not in text


def test_an_english_documents_answers_are_never_sent_to_translation() -> None:
    engine = _DriftingEngine()
    _answers(engine, "sydney_disclosure_contract.pdf")
    assert engine.requests and not engine.translations


def test_a_text_already_in_the_documents_language_is_kept_as_written_without_a_request() -> None:
    engine = _DriftingEngine()
    spanish = "El documento es una solicitud de la Escuela Oficial de Idiomas de Salamanca."
    assert in_document_language(spanish, "es", engine, None) == spanish  # type: ignore[arg-type]
    assert in_document_language(ENGLISH, "en", engine, None) == ENGLISH  # type: ignore[arg-type]
    assert in_document_language(ENGLISH, None, engine, None) == ENGLISH  # type: ignore[arg-type]
    assert engine.requests == engine.translations == []


@pytest.mark.models
def test_the_real_model_translates_an_english_answer_into_german_keeping_its_figures(default_session) -> None:
    english = ("The document states that insurance cover must be taken out no later than 31 days before the "
               "event, and the excess is 20 % of the ticket price.")
    shown = in_document_language(english, "de", default_session.engine(), None)
    assert shown != english and detect_language(shown) == "de"
    assert "31" in shown and "20" in shown and not check_summary(shown, english).flagged


def test_the_questions_and_their_request_are_the_english_ones(corpus: Path) -> None:
    # Asked in French, German or Spanish, the same questions lost facts (README, Real documents): the questions
    # stay in English and only a drifted answer is translated.
    prepared = prepare_document(read_document(corpus / "real" / "160F-2019.pdf"))
    assert prepared.language == "fr"
    engine = _DriftingEngine()
    "".join(answer_questions(plan_questions(prepared), engine, prepared.title, prepared.language,  # type: ignore[arg-type]
                             no_progress, None))
    assert engine.requests and all("Write the summary in French" in r for r in engine.requests)
    assert len(engine.translations) == 1 and engine.translations[0].startswith("Traduisez en français")


class _SeparatedEngine(_DriftingEngine):
    """Copies its passage first and restates it in English after the prompt's own separator line, as the 0.5B did on
    a German newsletter ("… Unterschiede“.\\n\\n---\\n\\nSummary: Prof. Nino Grau's study …")."""

    def stream_chat(self, messages, sampling, **kwargs):
        if messages[0]["content"] != prompt("summary_system"):
            yield from super().stream_chat(messages, sampling, **kwargs)
            return
        self.requests.append(messages[-1]["content"])
        yield from ("Tasas de expedición de certificados de aptitud de la Escuela Oficial de Idiomas.", "\n\n---",
                    "\n\nSummary in English: ", ENGLISH)


def test_a_restatement_written_after_a_copied_passage_and_the_prompts_separator_is_shown_alone_and_translated(
) -> None:
    engine = _SeparatedEngine()
    text = _answers(engine, "bug1815476.pdf")
    # Each reply's restatement alone, in the document's language: neither the copied passage, the separator, the
    # label nor the English.
    assert engine.translations and all(ENGLISH in request for request in engine.translations)
    assert text.count(SPANISH) == len(engine.requests) > 3
    assert "---" not in text and "Summary" not in text and "Escuela Oficial" not in text and ENGLISH not in text
