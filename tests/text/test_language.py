"""Language detection on real texts, language names, and the translation targets on offer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.documents import read_document
from assistant.text.language import TRANSLATION_LANGUAGES, detect_language, language_name

from ..conftest import REAL


@pytest.mark.parametrize(
    ("relative_path", "code"),
    [
        ("html/lemonde-1/source.html", "fr"),
        ("html/heise/source.html", "de"),
        ("html/wikipedia/source.html", "en"),
        ("text/sample-russian-2.txt", "ru"),
        ("text/sample-arabic-1.txt", "ar"),
        ("text/sample-spanish.txt", "es"),
        ("text/sample-french-1.txt", "fr"),
        ("pdf/GeoTopo-komprimiert.pdf", "de"),
    ],
)
def test_detects_the_language_of_real_documents(corpus: Path, relative_path: str, code: str) -> None:
    assert detect_language(read_document(corpus / relative_path).text) == code


def test_detection_gives_the_same_answer_every_time(corpus: Path) -> None:
    text = read_document(corpus / "html" / "heise" / "source.html").text
    assert {detect_language(text) for _ in range(5)} == {"de"}


@pytest.mark.parametrize("text", ["", "   ", "Hello there", "12345 67890 !!! ??? 2024-05-01 13:45", "Ça va?"])
def test_text_with_too_few_letters_has_no_language(text: str) -> None:
    assert detect_language(text) is None


def test_a_spreadsheet_of_figures_with_chinese_labels_is_read_as_chinese() -> None:
    # Its first rows are mostly figures and table rules, which the identifier reads as no language ("zxx"): the
    # library then knew no language for the sheet and never put a question into Chinese for it.
    text = read_document(REAL / "stress020.xlsx").text[:2700]
    assert sum(ch.isdigit() for ch in text) > sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert detect_language(text) == "zh"


def test_a_short_sentence_with_enough_letters_is_detected() -> None:
    assert detect_language("Der Hund schläft heute im Garten unter dem großen Baum.") == "de"


def test_language_names_are_english_names_and_unknown_codes_come_back_upper_cased() -> None:
    assert language_name("fr") == "French"
    assert language_name("sw") == "Swahili"
    assert language_name("ko") == "Korean"  # detectable though not a translation target
    assert language_name("FR") == "French"
    assert language_name("xx") == "XX"


def test_translation_languages_are_offered_in_the_agreed_order() -> None:
    assert list(TRANSLATION_LANGUAGES.items()) == [
        ("en", "English"), ("fr", "French"), ("de", "German"), ("es", "Spanish"), ("it", "Italian"),
        ("pt", "Portuguese"), ("nl", "Dutch"), ("sw", "Swahili"), ("ar", "Arabic"), ("zh", "Chinese"),
        ("ja", "Japanese"), ("ru", "Russian"), ("pl", "Polish"), ("tr", "Turkish"), ("uk", "Ukrainian"),
    ]  # fmt: skip


def test_importing_the_module_does_not_load_the_detector() -> None:
    probe = "import sys, assistant.text.language; print('py3langid' in sys.modules, 'numpy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "False"]


def test_the_language_model_idle_for_the_set_time_is_unloaded_and_loads_again_with_the_same_answer(
    tmp_path: Path,
) -> None:
    import time

    from assistant.models.language_identifier import LANGUAGE_IDENTIFIER
    from assistant.workspace import Workspace

    workspace = Workspace(tmp_path)  # counts the language identifier in its budget, as it counts the engines
    german = "Der Hund schläft heute im Garten unter dem großen Baum."
    assert detect_language(german) == "de" and LANGUAGE_IDENTIFIER.is_loaded
    used = time.monotonic()
    assert LANGUAGE_IDENTIFIER.memory_label not in workspace.unload_idle(now=used + 1)  # used a moment ago
    assert LANGUAGE_IDENTIFIER.memory_label in workspace.unload_idle(now=used + workspace.idle_seconds + 1)
    assert not LANGUAGE_IDENTIFIER.is_loaded
    assert detect_language(german) == "de" and LANGUAGE_IDENTIFIER.is_loaded
    workspace.close()
