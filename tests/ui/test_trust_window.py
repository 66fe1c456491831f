"""The main window: key points in their dock before the summary's first token, the Fast/Thorough choice reaching
the core and remembered, and a fabricated figure highlighted in the result pane with a tooltip (with a scripted
session for the mechanics, and with the real small model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from assistant.documents import read_document
from assistant.trust.figures import check_text
from assistant.workspace import Workspace
from assistant.writing.summary.present import QUOTES_HEADING, split_mode_line
from ui.main_window import MainWindow
from ui.trust import OUTCOME_TOOLTIP, UNSUPPORTED_TOOLTIP, _fragments, unsupported_spans
from ui.window_state import WindowState

from .fakes import ScriptedWorkspace

PROJECT = Path(__file__).resolve().parents[2]
REPORT = PROJECT / "benchmarks" / "data" / "documents" / "inspection-report.txt"
COLD_CHAIN = PROJECT / "benchmarks" / "data" / "documents" / "vaccine-cold-chain.html"
MINUTES = PROJECT / "benchmarks" / "real" / "SSA21_MeetingMinutes_1.29.18.pdf"
WAIT_MS = 15_000


def _window(qtbot: Any, session: Workspace, settings: QSettings) -> MainWindow:
    window = MainWindow(session, WindowState(settings))
    qtbot.addWidget(window)
    window.show()
    return window


def test_dropped_report_shows_key_points_first_then_highlights_the_invented_figure(
    qtbot: Any, ui_settings: QSettings, drop_files: Any
) -> None:
    session = ScriptedWorkspace()
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
    session = ScriptedWorkspace()
    session.go.set()
    window = _window(qtbot, session, ui_settings)
    window.trust.mode_combo.setCurrentIndex(1)
    drop_files(window.drop_zone, [REPORT])
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready"), timeout=WAIT_MS)
    assert session.calls == [True]
    window.close()
    again = _window(qtbot, ScriptedWorkspace(), ui_settings)
    assert again.trust.mode_combo.currentText() == "Thorough"


def test_figures_in_the_quotes_from_the_source_are_not_marked(
    qtbot: Any, ui_settings: QSettings, drop_files: Any
) -> None:
    # '44' is invented; the quoted source sentence holds '44' only inside the licence number EC-44871.
    session = ScriptedWorkspace(("The report lists 44 defects.", f"\n\n{QUOTES_HEADING}\n",
                               "- \u201cInspector: J. Moreau, licence EC-44871.\u201d"))
    session.go.set()
    window = _window(qtbot, session, ui_settings)
    drop_files(window.drop_zone, [REPORT])
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready"), timeout=WAIT_MS)
    assert unsupported_spans(window.result_view) == [("44", UNSUPPORTED_TOOLTIP)]


def test_a_count_in_words_the_source_does_not_give_is_marked_as_a_whole_word(
    qtbot: Any, ui_settings: QSettings, drop_files: Any
) -> None:
    session = ScriptedWorkspace(("The nine bridges of the network carry a ninefold load since May.",))
    session.go.set()
    window = _window(qtbot, session, ui_settings)
    drop_files(window.drop_zone, [REPORT])
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready"), timeout=WAIT_MS)
    assert unsupported_spans(window.result_view) == [("nine", UNSUPPORTED_TOOLTIP)]  # not inside "ninefold"


def test_an_outcome_the_minutes_contradict_is_marked_where_it_is_written_and_not_where_it_is_backed(
    qtbot: Any, ui_settings: QSettings, drop_files: Any
) -> None:
    # The real minutes approve the revised 2018 budget and reject the $5,000 for lighting retrofits.
    session = ScriptedWorkspace(("The revised 2018 budget was approved. ",
                               "The $5,000 proposed for lighting retrofits was approved."))
    session.go.set()
    window = _window(qtbot, session, ui_settings)
    drop_files(window.drop_zone, [MINUTES])
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready"), timeout=WAIT_MS)
    tooltip = OUTCOME_TOOLTIP.format(reason="the source says rejected")
    assert unsupported_spans(window.result_view) == [("approved", tooltip)]
    marked = next(f for f in _fragments(window.result_view) if f.charFormat().toolTip() == tooltip)
    assert marked.position() > window.result_view.plain_text().index("lighting")  # the second one
    assert "1 outcome(s) the source does not back: “approved” (the source says rejected)" in window.status_text()


def test_a_figure_flagged_in_a_summary_of_a_scan_says_in_the_window_which_page_was_read_by_ocr(
    qtbot: Any, ui_settings: QSettings, drop_files: Any, corpus: Path, read_scan: Any
) -> None:
    session = ScriptedWorkspace(("The LinnSequencer records 32 tracks and stores 120,000 notes per disk.",))
    session.go.set()
    scan = corpus / "scanned" / "linn.pdf"
    read_scan(scan, into=session.data_dir)  # the window reads the page from the workspace's OCR cache
    window = _window(qtbot, session, ui_settings)
    drop_files(window.drop_zone, [scan])
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready"), timeout=WAIT_MS)
    assert unsupported_spans(window.result_view) == [("120,000", UNSUPPORTED_TOOLTIP)]
    assert ("1 figure(s) not found in the source: 120,000 · "
            "Page 1 was read by OCR; check the figure against the page.") in window.status_text()


def test_real_model_summary_has_its_invented_figure_highlighted(
    qtbot: Any, ui_settings: QSettings, fast_session: Any, tmp_path: Path, drop_files: Any
) -> None:
    # Restating the cold-chain log's passages, SmolLM2-135M garbles its readings and dates ("1.5 °C", "2026/February/
    # 2026": seven figures flagged here; restating the inspection report, with a reference line on top that it once
    # invented report numbers for, it now writes none).
    report = tmp_path / COLD_CHAIN.name
    report.write_bytes(COLD_CHAIN.read_bytes())
    window = _window(qtbot, fast_session, ui_settings)
    dock_list = window.trust.dock.list
    text_when_key_points_shown: list[str] = []
    window.trust.dock.shown.connect(lambda _n: text_when_key_points_shown.append(window.result_view.plain_text()))
    drop_files(window.drop_zone, [report])
    qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready"), timeout=600_000)
    assert text_when_key_points_shown == [""] and dock_list.count() > 1  # key points before the first token
    body, _mode = split_mode_line(window.result_view.plain_text())
    flagged = [u.figure.text for u in check_text(body, read_document(report).text, number_words=True)]
    assert flagged, f"expected the small model to invent a figure in: {body}"
    assert {text for text, _tip in unsupported_spans(window.result_view)} == set(flagged)
    assert all(tip == UNSUPPORTED_TOOLTIP for _text, tip in unsupported_spans(window.result_view))


def test_the_unsupported_figure_mark_is_readable_in_either_palette() -> None:
    from ui.trust import unsupported_format

    def luminance(colour) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    mark = unsupported_format("Not found in the source")
    text, background = luminance(mark.foreground().color()), luminance(mark.background().color())
    # Its own text colour, so the dark palette's white text does not land on the light red (WCAG AA: 4.5:1).
    assert (max(text, background) + 0.05) / (min(text, background) + 0.05) >= 4.5
    assert mark.toolTip() == "Not found in the source"
