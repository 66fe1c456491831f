"""The real window on the real session: a dropped PDF becomes a summary from the bundled model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from assistant.models.language_identifier import LANGUAGE_IDENTIFIER
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


def test_a_model_unloaded_after_the_idle_time_loads_again_and_the_window_says_so(
    qtbot: Any, own_session: Any, ui_settings: QSettings, minimal_pdf: Path
) -> None:
    import time

    window = MainWindow(own_session, WindowState(ui_settings))
    qtbot.addWidget(window)
    window.show()
    window.open_path(minimal_pdf)  # opening summarises
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready") or window.banner.isVisible(),
                    timeout=600_000)
    assert not window.banner.isVisible(), window.banner.text()
    engine = own_session.models.loaded("chat")
    assert engine is not None and engine.is_loaded
    first = window.result_view.plain_text()

    # The idle check as the workspace's watch runs it, at a time past the idle setting (10 minutes).
    later = time.monotonic() + own_session.idle_seconds + 1
    freed = own_session.unload_idle(now=later)  # the language identifier a summary uses may go with it
    assert engine.memory_label in freed and set(freed) <= {engine.memory_label, LANGUAGE_IDENTIFIER.memory_label}
    assert not engine.is_loaded

    said: list[str] = []  # the status line each time the job reports (the status display hears it first)
    window.runner.progress.connect(lambda _done, _total, _message: said.append(window.status_text()))
    window.summarize()
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready") or window.banner.isVisible(),
                    timeout=600_000)
    assert not window.banner.isVisible(), window.banner.text()
    assert f"Loading model {engine.name} …" in said
    assert engine.is_loaded and window.result_view.plain_text() == first
