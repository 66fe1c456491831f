"""A folder of scans in the library: progress per page read by OCR, passages and citations that say they
were read by OCR, and a re-index that takes the OCR'd text from the cache instead of reading again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.documents import ocr as ocr_module
from assistant.library.ask import citations_from
from assistant.library.index import LibraryIndex

pytestmark = pytest.mark.skipif(ocr_module.tesseract_program() is None, reason="Tesseract is not installed")


def test_a_folder_of_scans_is_indexed_page_by_page_and_cited_as_read_by_ocr(
    tmp_path: Path, corpus: Path, library_embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    shutil.copy(corpus / "scanned" / "francais.pdf", scans / "depot-scan.pdf")
    (scans / "note.txt").write_text("The depot keeps the signed forms for ten years.\n", encoding="utf-8")
    index = LibraryIndex(tmp_path / "data", embedder=library_embedder)
    try:
        messages: list[str] = []
        report = index.add([scans], progress=lambda done, total, message: messages.append(message))
        assert len(report.indexed) == 2, report
        assert any(m.startswith("File 1 of 2: depot-scan.pdf — Reading page 1 of 1 by OCR") for m in messages)

        hits = index.search("whisky juge blond capharnaüm", k=3)
        assert hits[0].name == "depot-scan.pdf" and hits[0].ocr and hits[0].page == 1
        assert citations_from(hits)[0].label == "depot-scan.pdf, p. 1, read by OCR"
        note = [hit for hit in index.search("signed forms ten years", k=3) if hit.name == "note.txt"]
        assert note and not note[0].ocr

        def no_ocr(*args: object, **kwargs: object) -> str:
            raise AssertionError("OCR ran again on a file whose pages are cached")

        monkeypatch.setattr(ocr_module, "run_tesseract", no_ocr)
        again = index.reindex([scans / "depot-scan.pdf"])
        assert len(again.indexed) == 1 and not again.failed
        assert index.search("whisky juge blond capharnaüm", k=1)[0].ocr
    finally:
        index.close()
