"""The figure check treats OCR text as the source it is: a figure flagged in a summary of a scan says which
pages were read by OCR (a misread digit looks just like an invented figure), on stderr, in --json and in the
window (tests/ui/test_trust_window.py). The scans' OCR is read once and kept (the ``read_scan`` fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from assistant.documents import Page, read_document
from assistant.trust.checks import check_document_summary, ocr_note

#: linn.pdf, one scanned page: "holds over 110,000 notes per disk", "32 simultaneous, polyphonic tracks".
INVENTED = "The LinnSequencer records 32 tracks and stores 120,000 notes per disk."
FAITHFUL = "The LinnSequencer records 32 tracks and stores over 110,000 notes per disk."
LINN_NOTE = "Page 1 was read by OCR; check the figure against the page."


@pytest.fixture
def linn(corpus: Path) -> Path:
    return corpus / "scanned" / "linn.pdf"


def test_a_figure_flagged_in_a_summary_of_a_scan_names_the_page_read_by_ocr(linn: Path, read_scan) -> None:
    checked = check_document_summary(INVENTED, read_scan(linn))
    assert [u.figure.text for u in checked.figures] == ["120,000"]
    assert checked.ocr_note == LINN_NOTE
    assert checked.warning() == f"warning: 1 figure not found in the source: 120,000\n{LINN_NOTE}"
    assert checked.as_dicts()[0]["ocr_note"] == LINN_NOTE


def test_no_ocr_note_when_every_figure_is_backed_or_no_page_was_read_by_ocr(
    linn: Path, read_scan, corpus: Path
) -> None:
    faithful = check_document_summary(FAITHFUL, read_scan(linn))
    assert not faithful.flagged and faithful.ocr_note == "" and faithful.warning() == ""
    text_layer = read_document(corpus / "pdf" / "pdflatex-4-pages.pdf")
    assert not text_layer.ocr_pages
    invented = check_document_summary("The paper reports 987,654 samples.", text_layer)
    assert invented.figures and invented.ocr_note == ""
    assert "OCR" not in invented.warning() and "ocr_note" not in invented.as_dicts()[0]


def test_the_ocr_note_names_the_pages_and_keeps_to_one_sentence_for_a_long_scan() -> None:
    def scanned(*numbers: int) -> list[Page]:
        return [Page(number, "text", ocr_engine="Tesseract 5.3.0", ocr_confidence=90.0) for number in numbers]

    assert ocr_note(scanned(3), 1) == "Page 3 was read by OCR; check the figure against the page."
    assert ocr_note(scanned(2, 5), 2) == "Pages 2 and 5 were read by OCR; check the figures against the pages."
    assert ocr_note(scanned(*range(1, 13)), 1) == (
        "Pages 1, 2, 3 and 9 more were read by OCR; check the figure against the pages.")


def test_edgewise_check_on_a_scan_says_so_on_stderr_and_in_json(
    linn: Path, read_scan, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    read_scan(linn, into=data_dir)  # the command reads the page from the data folder's OCR cache
    summary = tmp_path / "summary.txt"
    summary.write_text(INVENTED, encoding="utf-8")
    assert main(["check", str(summary), "--source", str(linn), "--data-dir", str(data_dir)]) == 1
    assert LINN_NOTE in capsys.readouterr().err.splitlines()
    assert main(["check", str(summary), "--source", str(linn), "--json", "--data-dir", str(data_dir)]) == 1
    flags = json.loads(capsys.readouterr().out)["unsupported"]
    assert [(flag["text"], flag["ocr_note"]) for flag in flags] == [("120,000", LINN_NOTE)]
