"""The per-question summary's answers in the document's language. Told to write in French, German or Spanish
after a question asked in English, the 0.5B model still answers some questions in English ("The document
reports …", "The outcome or status is …"); such an answer is translated into the document's language by the
app's own translation request before it is shown, unless the translation says something the answer does not
(a figure or an outcome word the check of figures and outcomes finds unbacked by the answer: the 0.5B model
translated "reports" as "reporte", postponed, and "next week" as "le 7 juillet"); then the answer stays as
written. Only an answer the language identifier reads as English is translated, and only into a language the
app translates into."""

from __future__ import annotations

from assistant.jobs import CancelToken
from assistant.llm.engine import LlmEngine
from assistant.llm.repetition import stop_at_repetition
from assistant.llm.sampling import sampling_for
from assistant.text.language import TRANSLATION_LANGUAGES, detect_language
from assistant.trust.checks import check_summary
from assistant.writing.translate import translate_piece

#: The language the model drifts to: the language its instructions and questions are written in.
PROMPT_LANGUAGE = "en"


def in_document_language(text: str, language: str | None, engine: LlmEngine, cancel: CancelToken | None) -> str:
    """``text`` as written when it is not in English, else its translation into ``language`` when that adds no
    figure or outcome (``language``: one the app translates into, other than English; for any other, ``text`` is
    returned unread)."""
    if language not in TRANSLATION_LANGUAGES or language == PROMPT_LANGUAGE:
        return text
    written = text.strip()
    if detect_language(written) != PROMPT_LANGUAGE:
        return text
    translated = translation(written, language, engine, cancel)
    if not translated or check_summary(translated, written).flagged:
        return text
    return translated


def translation(text: str, language: str, engine: LlmEngine, cancel: CancelToken | None) -> str:
    """``text`` (English) translated into ``language`` as ``translate_document`` translates a paragraph."""
    reply = translate_piece(text, PROMPT_LANGUAGE, language, engine, sampling_for("translation"), cancel)
    return "".join(stop_at_repetition(reply)).strip()
