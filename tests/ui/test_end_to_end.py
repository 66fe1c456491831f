"""The real window on the real session: a dropped PDF becomes a summary from the bundled model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from ui.main_window import MainWindow
from ui.window_state import WindowState


def test_dropping_a_pdf_on_the_real_window_produces_a_summary_from_the_real_model(
    qtbot: Any, session: Any, ui_settings: QSettings, drop_files: Any, minimal_pdf: Path
) -> None:
    window = MainWindow(session, WindowState(ui_settings))
    qtbot.addWidget(window)
    window.show()

    assert drop_files(window.drop_zone, [minimal_pdf])

    # The first job loads the model; the banner would carry any failure, so stop waiting on it too.
    qtbot.waitUntil(
        lambda: window.status_text().startswith("Summary ready") or window.banner.isVisible(), timeout=180_000
    )
    assert not window.banner.isVisible(), window.banner.text()
    assert window.status_text().startswith(f"Summary ready · {session.llm_name} · ")
    assert window.result_view.plain_text().strip()
    assert window.result_view.toPlainText().strip()
    assert window.header.text().startswith("minimal-document.pdf · 1 page")
    assert window.copy_action.isEnabled() and window.save_action.isEnabled()
