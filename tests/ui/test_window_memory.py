"""What the window keeps between runs (side panels shown or hidden, the key points' width, splitters) and what it
says on opening; on a scripted workspace, no model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt

from assistant.trust.keypoints import KeyPoint
from ui.main_window import MainWindow
from ui.trust import point_text
from ui.window_state import WindowState

from .fakes import StreamingWorkspace

WAIT_MS = 30_000


def _window(qtbot: Any, workspace: StreamingWorkspace, ui_settings: QSettings) -> MainWindow:
    window = MainWindow(workspace, WindowState(QSettings(ui_settings.fileName(), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.resize(QSize(1280, 800))
    window.show()
    return window


def test_hidden_side_panels_and_the_key_points_width_are_as_they_were_left(
    qtbot: Any, ui_settings: QSettings, minimal_pdf: Path
) -> None:
    workspace = StreamingWorkspace(delay=0)
    first = _window(qtbot, workspace, ui_settings)
    first.library.conversations_toggle.setChecked(False)
    first.open_path(minimal_pdf)
    qtbot.waitUntil(lambda: first.trust.dock.isVisible(), timeout=WAIT_MS)
    first.resizeDocks([first.trust.dock], [420], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: abs(first.trust.dock.width() - 420) <= 2, timeout=WAIT_MS)
    first.close()

    second = _window(qtbot, workspace, ui_settings)
    second.tabs.setCurrentWidget(second.library)
    assert not second.library.chat.conversations_panel.isVisible()
    assert second.library.documents_panel.isVisible()
    second.tabs.setCurrentIndex(0)
    second.open_path(minimal_pdf)
    qtbot.waitUntil(lambda: second.trust.dock.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: abs(second.trust.dock.width() - 420) <= 2, timeout=WAIT_MS)


def test_the_document_toolbar_and_key_points_leave_with_the_document_tab(
    qtbot: Any, ui_settings: QSettings, minimal_pdf: Path
) -> None:
    window = _window(qtbot, StreamingWorkspace(delay=0), ui_settings)
    window.open_path(minimal_pdf)
    qtbot.waitUntil(lambda: window.trust.dock.isVisible(), timeout=WAIT_MS)
    window.tabs.setCurrentWidget(window.library)
    assert not window.toolbar.isVisible() and not window.trust.dock.isVisible()
    window.tabs.setCurrentIndex(0)
    assert window.toolbar.isVisible() and window.trust.dock.isVisible()


def test_opening_on_an_up_to_date_empty_library_says_nothing(qtbot: Any, ui_settings: QSettings) -> None:
    window = _window(qtbot, StreamingWorkspace(delay=0), ui_settings)
    qtbot.waitUntil(lambda: window.library.last_report is not None, timeout=WAIT_MS)
    assert window.library.status() == ""


def test_a_key_points_page_marker_stays_on_the_points_last_line() -> None:
    text = point_text(KeyPoint(page=12, text="Replace the seal kit every 2,000 hours.", score=1.0, index=0))
    assert text.endswith("hours.\u00a0(p.\u00a012)")  # no place to break between the last word and the page
    assert point_text(KeyPoint(page=None, text="No page here.", score=1.0, index=0)) == "No page here."
    # A piece cut from a longer sentence: its "…" and the page stay with the word before them.
    cut = point_text(KeyPoint(page=3, text="Before Barksdale, Stewart, and Dennis, Circuit …", score=1.0, index=0))
    assert cut.endswith("Circuit\u00a0…\u00a0(p.\u00a03)")


def test_the_document_status_speaks_on_the_library_tab_only_while_a_document_job_runs(
    qtbot: Any, ui_settings: QSettings, minimal_pdf: Path
) -> None:
    workspace = StreamingWorkspace(delay=0)
    workspace.pause_after = 1  # the summary holds after its first delta until it is resumed
    window = _window(qtbot, workspace, ui_settings)
    window.open_path(minimal_pdf)
    qtbot.waitUntil(lambda: window.summarize_action.isEnabled(), timeout=WAIT_MS)
    window.summarize()
    qtbot.waitUntil(lambda: workspace.yielded >= 1, timeout=WAIT_MS)
    window.tabs.setCurrentWidget(window.library)
    assert window.job_progress.isVisible()  # a summary under way still shows its progress
    workspace.resume.set()
    qtbot.waitUntil(lambda: not window.runner.is_running, timeout=WAIT_MS)
    assert "Summary ready" in window.job_progress.status()
    assert not window.job_progress.isVisible()  # the finished summary's line is the Document tab's
    window.tabs.setCurrentIndex(0)
    assert window.job_progress.isVisible()
