"""The real window on the real workspace: a dropped scan is read by OCR, says so, and becomes a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from assistant.documents import ocr as ocr_module
from ui.main_window import MainWindow
from ui.window_state import WindowState


@pytest.mark.skipif(ocr_module.tesseract_program() is None, reason="Tesseract is not installed")
def test_dropping_a_scanned_pdf_reads_it_by_ocr_and_ends_in_a_summary(
    qtbot: Any, own_session: Any, ui_settings: QSettings, drop_files: Any, corpus: Path
) -> None:
    # The small model: what is proved is the way from a dropped scan to a summary, not the summary's quality
    # (test_end_to_end.py drops a PDF on the window with the default model). A data folder of its own has no
    # OCR'd pages kept, so the page is read by Tesseract here.
    window = MainWindow(own_session, WindowState(ui_settings))
    qtbot.addWidget(window)
    window.show()

    assert drop_files(window.drop_zone, [corpus / "scanned" / "francais.pdf"])

    # Reading by OCR, loading the model and summarising: a guard against a hang, not a speed test.
    qtbot.waitUntil(
        lambda: window.status_text().startswith("Summary ready") or window.banner.isVisible(), timeout=600_000
    )
    assert not window.banner.isVisible(), window.banner.text()
    assert window.header.text().startswith("francais.pdf · 1 page · read by OCR: page 1 (Tesseract 5")
    assert window.result_view.plain_text().strip()
    assert window.copy_action.isEnabled() and window.save_action.isEnabled()
