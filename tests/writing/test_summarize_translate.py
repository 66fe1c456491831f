"""Summaries and translations on the real bundled models and corpus files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.documents import document_from_text, read_document
from assistant.errors import EdgewiseError
from assistant.jobs import Cancelled
from assistant.llm.sampling import sampling_for
from assistant.models.bundled import FAST_LLM
from assistant.session import Session
from assistant.text.condense import paragraphs
from assistant.text.language import detect_language
from assistant.writing.translate import UnsupportedLanguageError

from ..triggers import CancelOnPoll


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int, str]] = []

    def __call__(self, done: int, total: int, message: str) -> None:
        self.calls.append((done, total, message))

    def messages(self) -> list[str]:
        return [m for _, _, m in self.calls]


def test_one_page_pdf_is_summarised_in_one_pass(default_session, corpus: Path) -> None:
    document = read_document(corpus / "pdf" / "minimal-document.pdf")
    progress = Recorder()
    summary = "".join(default_session.summarize(document, "brief", progress=progress)).strip()
    assert len(summary.split()) >= 8
    assert not any("part" in m for m in progress.messages())


def test_bullet_summary_is_a_markdown_list(default_session, corpus: Path) -> None:
    document = read_document(corpus / "pdf" / "002-trivial-libre-office-writer.pdf")
    summary = "".join(default_session.summarize(document, "bullets"))
    bullets = [line for line in summary.splitlines() if line.lstrip().startswith(("- ", "* ", "• "))]
    assert len(bullets) >= 2, summary


@pytest.fixture(scope="module")
def small_context_session(models_data_dir: Path):
    """The fast model with a 1,024-token window, so a few pages already need map-reduce."""
    session = Session(models_data_dir, llm_name=FAST_LLM, n_ctx=1024)
    yield session
    session.close()


def _first_pages(path: Path, count: int):
    document = read_document(path)
    return dataclasses.replace(document, pages=document.pages[:count])


def test_document_larger_than_the_context_is_summarised_in_parts_that_all_fit(thorough_two_pages) -> None:
    summary = thorough_two_pages
    assert summary.text.strip()
    parts = [(d, t) for d, t, m in summary.progress if m.startswith("Summarising part")]
    assert parts and parts[0][1] >= 2, summary.progress
    assert [d for d, _ in parts] == list(range(parts[0][1]))  # every part reported, in order
    assert any(m.startswith("Combining") for m in summary.messages())
    assert summary.prompt_sizes and max(summary.prompt_sizes) < summary.n_ctx


def test_cancel_while_the_first_part_is_read_ends_the_multi_part_summary_there(
    small_context_session, corpus: Path
) -> None:
    document = _first_pages(corpus / "pdf" / "GeoTopo-komprimiert.pdf", 6)
    progress = Recorder()
    # Fires at the engine's 20th question, inside llama.cpp's reading of the first part's prompt.
    token = CancelOnPoll(after=20)
    with pytest.raises(Cancelled):
        for _ in small_context_session.summarize(document, "brief", progress=progress, cancel=token, thorough=True):
            pass
    assert token.fired
    parts = [m for m in progress.messages() if m.startswith("Summarising part")]
    assert parts and parts[-1].startswith("Summarising part 1 of "), progress.messages()
    assert not any(m.startswith("Combining") for m in progress.messages())


FRENCH = (
    "Le pont a été inspecté le 12 mars. Les fissures de la culée est mesurent 2,5 mm.\n\n"
    "La charge maximale reste limitée à 40 tonnes jusqu'aux réparations.\n\n"
    "Le rapport complet est disponible auprès du service technique de la ville."
)


def test_translation_keeps_paragraphs_and_reads_as_the_target_language(default_session) -> None:
    document = document_from_text(FRENCH, name="rapport.txt")
    assert detect_language(document.text) == "fr"
    progress = Recorder()
    english = "".join(default_session.translate(document, "en", progress=progress))
    assert len(paragraphs(english)) == 3, english
    assert detect_language(english) == "en", english
    assert "40" in english
    assert progress.calls[-1][:2] == (3, 3)


def test_source_words_are_discouraged_so_the_model_translates_them(default_session, monkeypatch) -> None:
    import dataclasses

    import assistant.writing.translate

    document = document_from_text("The solar panels produced 42 kWh yesterday.", name="log.txt")
    french = "".join(default_session.translate(document, "fr"))
    assert "panneaux" in french and "42 kWh" in french, french
    # the same request without the penalty: the 0.5B model leaves the English word in place
    plain = dataclasses.replace(sampling_for("translation"), copy_penalty=0.0)
    monkeypatch.setattr(assistant.writing.translate, "sampling_for", lambda task: plain)
    copied = "".join(default_session.translate(document, "fr"))
    assert "panels" in copied, copied


def test_words_to_translate_leave_names_codes_and_units_alone() -> None:
    from assistant.writing.translate import words_to_translate

    text = "Boil the water. Dr. Okafor found E. coli at Gatwick: NOTAM A-1234, 42 kWh, pre-2020 pumps."
    assert words_to_translate(text) == {"boil", "the", "water", "found", "pumps"}


def test_translation_of_a_real_encoded_text_file_detects_its_source(default_session, corpus: Path) -> None:
    document = read_document(corpus / "text" / "sample-french-1.txt")
    short = dataclasses.replace(document, pages=(dataclasses.replace(document.pages[0],
                                                                     text=document.pages[0].text[:300]),))
    german = "".join(default_session.translate(short, "de"))
    assert german.strip()
    assert detect_language(short.text) == "fr"


def test_unknown_target_language_is_refused_with_the_choices() -> None:
    from assistant.writing.translate import check_target

    with pytest.raises(UnsupportedLanguageError, match="fr, de"):
        check_target("klingon")


def test_translating_into_the_source_language_is_refused(default_session) -> None:
    document = document_from_text(FRENCH)
    with pytest.raises(EdgewiseError, match="already reads as French"):
        list(default_session.translate(document, "fr"))


@pytest.mark.slow
def test_117_page_thesis_is_summarised_in_thorough_mode_with_the_default_model(default_session, corpus: Path) -> None:
    document = read_document(corpus / "pdf" / "GeoTopo-komprimiert.pdf")
    progress = Recorder()
    summary = "".join(default_session.summarize(document, "brief", progress=progress, thorough=True))
    assert summary.strip()
    assert any(m.startswith("Summarising part") for m in progress.messages())


def test_english_number_words_and_decimal_points_are_prepared_for_the_target() -> None:
    from assistant.writing.translate import prepare_source

    text = "Forty-five bolts, a crack 2.5 mm wide at 11.5 °C, OS X 10.10, twelve workers."
    assert prepare_source(text, "en", "fr") == "45 bolts, a crack 2,5 mm wide at 11,5 °C, OS X 10.10, twelve workers."
    assert prepare_source(text, "en", "zh") == "45 bolts, a crack 2.5 mm wide at 11.5 °C, OS X 10.10, twelve workers."
    assert prepare_source(text, "de", "fr") == text  # only English number words and points are known


def test_english_thousands_are_written_as_the_target_language_groups_them() -> None:
    from assistant.trust.figures import check_text
    from assistant.writing.translate import prepare_source

    text = "The generator has run 1,842 hours; the repair costs $12,500.50 (see section 3.2)."
    french = prepare_source(text, "en", "fr")
    assert french == "The generator has run 1\u202f842 hours; the repair costs $12\u202f500,50 (see section 3.2)."
    german = prepare_source(text, "en", "de")
    assert german == "The generator has run 1.842 hours; the repair costs $12.500,50 (see section 3.2)."
    assert prepare_source(text, "en", "ja") == text
    # the figure check reads the source's notation and the translation's as the same figures
    assert check_text("Le groupe a fonctionné 1\u202f842 heures ; 12\u202f500,50 $.", text) == []


def test_translation_requests_carry_worked_examples_and_the_target_languages_wording() -> None:
    from assistant.writing.translate import translation_messages

    messages = translation_messages("Close valve V-12.", "en", "fr")
    assert [m["role"] for m in messages[-3:]] == ["user", "assistant", "user"]
    request = messages[-1]["content"]
    assert request.startswith("Traduisez en français") and "Close valve V-12." in request
    assert any("38,5 °C" in m["content"] for m in messages if m["role"] == "assistant")
    # No examples for another source language; a language without its own wording gets the English request.
    german_to_swahili = translation_messages("Ventil V-12 schließen.", "de", "sw")
    assert [m["role"] for m in german_to_swahili] == ["system", "user"]
    assert "German text into Swahili" in german_to_swahili[-1]["content"]


def test_the_summary_instruction_names_the_documents_language() -> None:
    from assistant.writing.summary.generate import summary_instruction

    assert summary_instruction("brief", "de").endswith("Write the summary in German, the language of the document.")
    assert "every finding, figure, limit, deadline, code and action" in summary_instruction("brief", "en")
    assert "language of the document" not in summary_instruction("bullets", None)  # too short to tell


def test_a_german_page_is_summarised_in_german(default_session, corpus: Path) -> None:
    from assistant.text.language import detect_language
    from assistant.writing.summary.present import split_mode_line

    document = read_document(corpus / "html" / "heise" / "source.html")
    summary, mode_line = split_mode_line("".join(default_session.summarize(document, "brief")))
    assert mode_line and detect_language(summary) == "de"


def test_a_document_without_a_title_is_named_in_words_not_by_its_file_name() -> None:
    from assistant.documents.model import Document

    def heading(name: str, title: str | None = None) -> str:
        return Document(path=Path(name), name=name, format="text", pages=(), title=title, sha256="").heading

    assert heading("flight-ops-notice.txt") == "flight ops notice"
    assert heading("pump_maintenance.v2.md") == "pump maintenance v2"
    assert heading("README") == "README"
    assert heading("x.pdf", title="Pump notes") == "Pump notes"
