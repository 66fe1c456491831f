"""`edgewise text FILE [--json]`: what Edgewise read, with page markers and, for OCR, engine and confidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from assistant.documents import ocr as ocr_module

from ..conftest import TEST_DATA


def test_text_prints_each_slide_under_its_marker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["text", str(TEST_DATA / "formats" / "tbl-cell.pptx"), "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("=== slide 1 ===\n| having custom margins |")
    assert out.index("=== slide 2 ===") < out.index("=== slide 3 ===\n| a | b | c |")


def test_text_json_lists_mail_and_attachments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mail = TEST_DATA / "formats" / "testRFC822_multipart_attachments.eml"
    assert main(["text", str(mail), "--json", "--data-dir", str(tmp_path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["format"] == "eml" and record["name"] == mail.name
    assert [page["label"] for page in record["pages"]] == [
        "the mail", "attachment Test TxtA.txt", "attachment Test TxtB.txt"]
    assert all(page["ocr"] is None for page in record["pages"])


@pytest.mark.models
@pytest.mark.skipif(ocr_module.tesseract_program() is None, reason="Tesseract is not installed")
def test_text_of_a_scan_names_the_ocr_engine_and_its_confidence(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = corpus / "scanned" / "francais.pdf"
    assert main(["text", str(scan), "--json", "--data-dir", str(tmp_path)]) == 0
    (page,) = json.loads(capsys.readouterr().out)["pages"]
    assert page["label"] == "page 1, read by OCR" and "capharnaüm" in page["text"]
    assert page["ocr"]["engine"].startswith("Tesseract 5") and page["ocr"]["mean_confidence"] > 80
    assert list((tmp_path / "ocr").glob("*.json"))  # kept for the next time
    assert main(["text", str(scan), "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("=== page 1, read by OCR: Tesseract 5")


def test_text_of_a_broken_file_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "deck.pptx"
    broken.write_bytes(b"not a deck at all")
    assert main(["text", str(broken), "--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err.strip() == (
        "edgewise: error: deck.pptx is corrupt or damaged and cannot be read: it does not contain PowerPoint "
        "(.pptx) data."
    )
