"""The main window: key points in their dock before the summary's first token, the Fast/Thorough choice reaching
the core and remembered, and a fabricated figure highlighted in the result pane with a tooltip."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from assistant.provenance import Provenance
from ui.main_window import MainWindow
from ui.summary_panel import UNSUPPORTED_TOOLTIP, unsupported_spans

PROJECT = Path(__file__).resolve().parents[2]
REPORT = PROJECT / "benchmarks" / "data" / "documents" / "inspection-report.txt"
WAIT_MS = 15_000


class ScriptedSession:
    """Streams a summary with one invented part number once ``go`` is set; records the mode asked for."""

    llm_name = "Scripted"

    def __init__(self) -> None:
        self.go = threading.Event()
        self.calls: list[bool] = []

    def summarize(self, document: Any, length: str = "brief", *, progress: Any = None, cancel: Any = None,
                  thorough: bool = False):
        self.calls.append(thorough)
        return self._stream()

    def _stream(self):
        self.go.wait(10)
        yield "The deck load limit is 12 t. "
        yield "Replace part PN-4417-B before 2026-03-01."
        yield "\n\n[Single pass mode: the whole document (182 words) read in one pass.]"

    def translate(self, document: Any, target: str, *, progress: Any = None, cancel: Any = None):
        raise AssertionError("not used")

    def provenance(self, document: Any, task: str, **settings: Any) -> Provenance:
        return Provenance(task, self.llm_name, None, document.name, document.sha256)


def _window(qtbot: Any, session: ScriptedSession, settings: QSettings) -> MainWindow:
    window = MainWindow(session, settings)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    return window


def test_dropped_report_shows_key_points_first_then_highlights_the_invented_figure(
    qtbot: Any, ui_settings: QSettings, drop_files: Any
) -> None:
    session = ScriptedSession()
    window = _window(qtbot, session, ui_settings)
    dock_list = window.trust.dock.list
    drop_files(window.drop_zone, [REPORT])
    qtbot.waitUntil(lambda: dock_list.count() > 0 and "(p." not in dock_list.item(0).text() and
                    "Finding" not in dock_list.item(0).text(), timeout=WAIT_MS)
    assert window.result_view.plain_text() == ""  # the model has not said a word yet
    items = [dock_list.item(i).text() for i in range(dock_list.count())]
    assert any("12 t" in item for item in items), items
    assert not any("NORTHGATE BRIDGE AUTHORITY" in item for item in items)  # running header condensed away
    session.go.set()
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready"), timeout=WAIT_MS)
    assert unsupported_spans(window.result_view) == [("PN-4417-B", UNSUPPORTED_TOOLTIP)]
    assert "1 figure(s) not found in the source: PN-4417-B" in window.status_text()
    assert session.calls == [False]  # Fast is the default


def test_thorough_choice_reaches_the_core_and_is_remembered(
    qtbot: Any, ui_settings: QSettings, drop_files: Any
) -> None:
    session = ScriptedSession()
    session.go.set()
    window = _window(qtbot, session, ui_settings)
    window.trust.mode_combo.setCurrentIndex(1)
    drop_files(window.drop_zone, [REPORT])
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready"), timeout=WAIT_MS)
    assert session.calls == [True]
    window.close()
    again = _window(qtbot, ScriptedSession(), ui_settings)
    assert again.trust.mode_combo.currentText() == "Thorough"


def test_the_unsupported_figure_mark_is_readable_in_either_palette() -> None:
    from ui.summary_panel import unsupported_format

    def luminance(colour) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    mark = unsupported_format("Not found in the source")
    text, background = luminance(mark.foreground().color()), luminance(mark.background().color())
    # Its own text colour, so the dark palette's white text does not land on the light red (WCAG AA: 4.5:1).
    assert (max(text, background) + 0.05) / (min(text, background) + 0.05) >= 4.5
    assert mark.toolTip() == "Not found in the source"
