"""Widget tests of the main window against a scripted workspace: fast, and no model needed."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDragLeaveEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QToolButton

from assistant.documents import read_document
from assistant.errors import EdgewiseError, ModelLoadError
from ui.main_window import MainWindow
from ui.result_view import ResultView
from ui.window_state import WindowState

from .fakes import DELTAS, StreamingWorkspace

WAIT_MS = 30_000  # generous: returns as soon as the state is reached (the machine may be busy)


@pytest.fixture
def session() -> StreamingWorkspace:
    return StreamingWorkspace()


@pytest.fixture
def window(qtbot: Any, session: StreamingWorkspace, window_state: WindowState) -> MainWindow:
    window = MainWindow(session, window_state)
    qtbot.addWidget(window)
    window.show()
    return window


def wait_for_status(qtbot: Any, window: MainWindow, prefix: str, timeout: int = WAIT_MS) -> None:
    qtbot.waitUntil(lambda: window.status_text().startswith(prefix), timeout=timeout)


@pytest.fixture
def summarized(qtbot: Any, window: MainWindow, drop_files: Any, minimal_pdf: Path) -> MainWindow:
    """The window after the minimal PDF was dropped and its summary finished."""
    drop_files(window.drop_zone, [minimal_pdf])
    wait_for_status(qtbot, window, "Summary ready")
    return window


def action_for(window: MainWindow, shortcut: str) -> QAction:
    """The one window-wide action on ``shortcut`` (a pane's own actions, such as the ask box's Ctrl+Return,
    only fire while that pane has the focus)."""
    wanted = QKeySequence(shortcut)
    pane_only = Qt.ShortcutContext.WidgetWithChildrenShortcut
    window_wide = [a for a in window.findChildren(QAction) if a.shortcutContext() != pane_only]
    matches = [a for a in window_wide if wanted in a.shortcuts()]
    assert len(matches) == 1, f"{shortcut}: {[a.text() for a in matches]}"
    return matches[0]


# ---- opening and summarizing --------------------------------------------------------------------


def test_dropping_a_pdf_on_the_drop_zone_streams_its_summary_into_the_result_pane(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace, drop_files: Any, minimal_pdf: Path
) -> None:
    assert window.stack.currentWidget() is window.drop_zone

    accepted = drop_files(window.drop_zone, [minimal_pdf])

    assert accepted
    wait_for_status(qtbot, window, "Summary ready")
    assert window.result_view.plain_text() == "".join(DELTAS)
    assert "placeholder Latin" in window.result_view.toPlainText()  # rendered, not just stored
    assert window.stack.currentWidget() is not window.drop_zone
    assert window.header.text() == "minimal-document.pdf · 1 page · Latin"
    assert window.windowTitle() == "Edgewise — minimal-document.pdf"
    assert [(task, doc.name, length) for task, doc, length in session.calls] == [
        ("summary", "minimal-document.pdf", "brief")
    ]
    assert window.status_text().startswith("Summary ready · Fake Model 1B · ")
    assert window.status_text().endswith(" s")
    assert not window.job_progress.bar.isVisible()
    assert not window.banner.isVisible()


def test_what_the_reader_could_not_read_is_said_under_the_documents_header(
    qtbot: Any, window: MainWindow, drop_files: Any, minimal_pdf: Path, tmp_path: Path
) -> None:
    # The reader's notes (an attachment it could not read, a page whose font it could not read, a missing OCR pack)
    # were printed by the command line only: the window showed the rest as if nothing were missing.
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["Subject"] = "Site visit"
    mail.set_content("The pump inspection is on Tuesday at nine. " * 5)
    mail.add_attachment(b"%PDF-1.4 broken", maintype="application", subtype="pdf", filename="report.pdf")
    path = tmp_path / "visit.eml"
    path.write_bytes(mail.as_bytes())

    drop_files(window.drop_zone, [path])

    wait_for_status(qtbot, window, "Summary ready")
    assert window.reading_notes.isVisible()
    assert window.reading_notes.text().startswith("Attachment report.pdf of visit.eml was not read: ")
    drop_files(window.result_view.viewport(), [minimal_pdf])  # a file read in full says nothing
    qtbot.waitUntil(lambda: window.header.text().startswith("minimal-document.pdf"), timeout=WAIT_MS)
    assert not window.reading_notes.isVisible()


def test_drop_zone_is_highlighted_only_while_a_file_is_dragged_over_it(window: MainWindow, minimal_pdf: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(minimal_pdf))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.drop_zone, enter)
    assert enter.isAccepted()
    assert window.drop_zone.drag_active

    QApplication.sendEvent(window.drop_zone, QDragLeaveEvent())
    assert not window.drop_zone.drag_active


def test_drop_zone_refuses_a_drag_without_local_files(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("just some text")
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.drop_zone, enter)
    assert not enter.isAccepted()
    assert not window.drop_zone.drag_active


def test_loading_model_shows_an_indeterminate_progress_bar_then_counts_parts(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace, drop_files: Any, minimal_pdf: Path
) -> None:
    session.loading_gate = threading.Event()
    drop_files(window.drop_zone, [minimal_pdf])

    wait_for_status(qtbot, window, "Loading model …")
    assert window.job_progress.bar.isVisible()
    assert (window.job_progress.bar.minimum(), window.job_progress.bar.maximum()) == (0, 0)

    session.delay = 0.3  # slow enough to see a determinate step
    session.loading_gate.set()
    qtbot.waitUntil(lambda: window.job_progress.bar.maximum() == len(DELTAS), timeout=WAIT_MS)
    assert window.job_progress.bar.isTextVisible()
    assert window.job_progress.bar.text().endswith("%")
    assert window.status_text().startswith("Writing part ")
    assert window.status_text().endswith(f" of {len(DELTAS)}")

    wait_for_status(qtbot, window, "Summary ready")
    assert not window.job_progress.bar.isVisible()


def test_dropping_a_new_file_on_the_result_pane_starts_again_with_that_file(
    qtbot: Any, summarized: MainWindow, session: StreamingWorkspace, drop_files: Any, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Meeting notes. " * 20, encoding="utf-8")

    drop_files(summarized.result_view.viewport(), [notes])

    qtbot.waitUntil(lambda: len(session.calls) == 2, timeout=WAIT_MS)
    wait_for_status(qtbot, summarized, "Summary ready")
    assert summarized.header.text().startswith("notes.txt · ")
    assert summarized.windowTitle() == "Edgewise — notes.txt"
    assert session.calls[1][1].name == "notes.txt"


def test_paste_text_as_document_summarizes_the_clipboard_text(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace
) -> None:
    QGuiApplication.clipboard().setText("The quarterly report shows steady growth in every region. " * 5)

    action_for(window, "Ctrl+Shift+V").trigger()

    wait_for_status(qtbot, window, "Summary ready")
    document = session.calls[0][1]
    assert document.path is None
    assert "quarterly report" in document.text
    assert window.header.text().startswith(f"{document.name} · ")


def test_translate_uses_the_chosen_language_and_reports_translation_ready(
    qtbot: Any, summarized: MainWindow, session: StreamingWorkspace
) -> None:
    summarized.language_combo.setCurrentIndex(summarized.language_combo.findData("de"))

    summarized.translate_action.trigger()

    wait_for_status(qtbot, summarized, "Translation ready · Fake Model 1B · ")
    assert session.calls[-1][0] == "translation"
    assert session.calls[-1][2] == "de"


# ---- stopping and errors ----------------------------------------------------------------------


def test_stop_cancels_the_running_summary_and_keeps_what_was_written(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace, drop_files: Any, minimal_pdf: Path
) -> None:
    session.deltas = tuple(f"word{i} " for i in range(400))
    session.pause_after = 3  # the job holds after three deltas until it is stopped: a trigger, not a race
    drop_files(window.drop_zone, [minimal_pdf])
    qtbot.waitUntil(lambda: window.result_view.plain_text() == "word0 word1 word2 ", timeout=WAIT_MS)
    assert window.stop_action.isEnabled()

    window.stop_action.trigger()
    wait_for_status(qtbot, window, "Stopped")
    assert session.ended.wait(WAIT_MS / 1000), "the job kept running after Stop"
    qtbot.waitUntil(window.runner.is_idle, timeout=WAIT_MS)

    assert session.completed == 0 and session.yielded == 3  # not one delta after Stop
    assert not window.stop_action.isEnabled()
    assert not window.job_progress.bar.isVisible()
    assert not window.banner.isVisible()
    assert window.result_view.plain_text() == "word0 word1 word2 "


def test_escape_key_stops_the_running_job(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace, drop_files: Any, minimal_pdf: Path
) -> None:
    session.loading_gate = threading.Event()  # stays in "Loading model …" until released
    drop_files(window.drop_zone, [minimal_pdf])
    wait_for_status(qtbot, window, "Loading model …")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)

    qtbot.keyClick(window, Qt.Key.Key_Escape)

    wait_for_status(qtbot, window, "Stopped")
    session.loading_gate.set()
    assert session.ended.wait(WAIT_MS / 1000)
    assert session.completed == 0


def test_core_error_shows_in_the_banner_keeps_the_previous_result_and_the_app_keeps_working(
    qtbot: Any, summarized: MainWindow, session: StreamingWorkspace
) -> None:
    previous = summarized.result_view.plain_text()
    session.fail_with = ModelLoadError("The language model could not be loaded: the file is damaged.")

    summarized.summarize_action.trigger()

    qtbot.waitUntil(summarized.banner.isVisible, timeout=WAIT_MS)
    assert summarized.banner.text() == "The language model could not be loaded: the file is damaged."
    assert summarized.result_view.plain_text() == previous
    assert summarized.isVisible()
    assert summarized.copy_action.isEnabled()

    session.fail_with = None
    summarized.length_combo.setCurrentIndex(summarized.length_combo.findData("bullets"))
    summarized.summarize_action.trigger()
    wait_for_status(qtbot, summarized, "Summary ready")
    assert session.calls[-1][2] == "bullets"
    assert not summarized.banner.isVisible()


def test_unexpected_exception_shows_one_plain_line_not_a_traceback(
    qtbot: Any, summarized: MainWindow, session: StreamingWorkspace, caplog: Any
) -> None:
    session.fail_with = KeyError("n_ctx")

    summarized.summarize_action.trigger()

    qtbot.waitUntil(summarized.banner.isVisible, timeout=WAIT_MS)
    assert summarized.banner.text() == "Something went wrong: 'n_ctx'"
    assert "Traceback" not in summarized.banner.text()
    assert any(record.exc_info for record in caplog.records), "the traceback belongs in the log"


def test_banner_close_button_hides_the_error(qtbot: Any, window: MainWindow) -> None:
    window.banner.show_error("Something to dismiss.")
    close_button = window.banner.findChild(QToolButton, "errorClose")
    qtbot.mouseClick(close_button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()


def test_dropping_an_unsupported_file_shows_the_readers_specific_error(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace, drop_files: Any, tmp_path: Path
) -> None:
    strange = tmp_path / "results.xyz"
    strange.write_text("not a document", encoding="utf-8")
    with pytest.raises(EdgewiseError) as raised:
        read_document(strange)

    drop_files(window.drop_zone, [strange])

    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    assert window.banner.text() == str(raised.value)
    assert "results.xyz" in window.banner.text()
    assert session.calls == []
    assert window.stack.currentWidget() is window.drop_zone


def test_dropping_several_files_asks_for_one_at_a_time(
    window: MainWindow, session: StreamingWorkspace, drop_files: Any, minimal_pdf: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Other text.", encoding="utf-8")

    drop_files(window.drop_zone, [minimal_pdf, other])

    assert window.banner.isVisible()
    assert window.banner.text() == "Drop one file at a time."
    assert session.calls == []


def test_a_bad_file_dropped_mid_stream_keeps_the_shown_text_and_copy_matches_it(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace, drop_files: Any, minimal_pdf: Path, tmp_path: Path
) -> None:
    session.deltas = tuple(f"word{i} " for i in range(400))
    session.delay = 0.02
    drop_files(window.drop_zone, [minimal_pdf])
    qtbot.waitUntil(lambda: window.result_view.plain_text() != "", timeout=WAIT_MS)
    strange = tmp_path / "scan.xyz"
    strange.write_text("?", encoding="utf-8")

    drop_files(window.result_view.viewport(), [strange])

    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    assert session.ended.wait(0.5)
    shown = window.result_view.plain_text()
    assert shown.startswith("word0 ")
    window.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == shown
    assert window.header.text().startswith("minimal-document.pdf")


def test_closing_the_window_cancels_the_running_job_and_waits_for_it(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace, drop_files: Any, minimal_pdf: Path
) -> None:
    session.deltas = tuple(f"word{i} " for i in range(400))
    session.delay = 0.02
    drop_files(window.drop_zone, [minimal_pdf])
    qtbot.waitUntil(lambda: window.result_view.plain_text() != "", timeout=WAIT_MS)

    window.close()

    assert session.ended.is_set(), "close() returned while the job was still running"
    assert session.completed == 0


def test_result_pane_follows_the_stream_unless_the_person_scrolled_up(qtbot: Any) -> None:
    view = ResultView()
    qtbot.addWidget(view)
    view.resize(400, 200)
    view.show()
    bar = view.verticalScrollBar()
    view.begin_stream()
    for line in range(60):
        view.append_delta(f"Line {line} of the streamed answer.\n\n")
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=WAIT_MS)

    bar.setValue(0)  # the person scrolls up to reread the start
    for line in range(60, 80):
        view.append_delta(f"Line {line} of the streamed answer.\n\n")
    qtbot.waitUntil(lambda: "Line 79" in view.toPlainText(), timeout=WAIT_MS)
    assert bar.value() == 0

    bar.setValue(bar.maximum())  # back at the bottom: follow again
    view.append_delta("The last line.")
    qtbot.waitUntil(lambda: "The last line." in view.toPlainText(), timeout=WAIT_MS)
    assert bar.value() == bar.maximum()
    view.end_stream()
    assert view.plain_text().endswith("The last line.")


# ---- copy, save, shortcuts, settings ----------------------------------------------------------


def test_copy_puts_the_result_markdown_on_the_clipboard(summarized: MainWindow) -> None:
    QGuiApplication.clipboard().clear()

    action_for(summarized, "Ctrl+Shift+C").trigger()

    assert QGuiApplication.clipboard().text() == "".join(DELTAS)


def test_save_as_markdown_writes_the_provenance_before_the_summary(
    summarized: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "saved.md"
    suggested: list[str] = []

    def fake_dialog(parent: Any, caption: str, directory: str, filter: str) -> tuple[str, str]:
        suggested.append(directory)
        return str(target), filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))

    action_for(summarized, "Ctrl+S").trigger()

    assert Path(suggested[0]).name == "minimal-document-summary.md"
    content = target.read_text(encoding="utf-8")
    assert content.startswith("> **Generated on this device** by Edgewise")
    assert "Fake Model 1B" in content.split("\n\n")[0]
    assert "`minimal-document.pdf`" in content.split("\n\n")[0]
    assert content.rstrip().endswith("- It has one page.")
    assert summarized.status_text() == "Saved saved.md"


def test_save_after_translation_suggests_the_language_code_in_the_file_name(
    qtbot: Any, summarized: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    summarized.language_combo.setCurrentIndex(summarized.language_combo.findData("fr"))
    summarized.translate_action.trigger()
    wait_for_status(qtbot, summarized, "Translation ready")
    suggested: list[str] = []

    def cancel_dialog(parent: Any, caption: str, directory: str, filter: str) -> tuple[str, str]:
        suggested.append(directory)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(cancel_dialog))
    summarized.save_action.trigger()

    assert Path(suggested[0]).name == "minimal-document-fr.md"
    assert list(tmp_path.glob("*.md")) == []


@pytest.mark.parametrize(
    ("shortcut", "text"),
    [
        ("Ctrl+O", "Open…"),
        ("Ctrl+Return", "Summarize"),
        ("Ctrl+T", "Translate"),
        ("Esc", "Stop"),
        ("Ctrl+Shift+C", "Copy"),
        ("Ctrl+S", "Save as Markdown…"),
        ("Ctrl+Shift+V", "Paste text as document"),
    ],
)
def test_keyboard_shortcut_belongs_to_its_action(window: MainWindow, shortcut: str, text: str) -> None:
    assert action_for(window, shortcut).text() == text


def test_actions_are_enabled_only_when_they_can_act(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace, drop_files: Any, minimal_pdf: Path
) -> None:
    for action in (window.summarize_action, window.translate_action, window.stop_action, window.copy_action):
        assert not action.isEnabled(), action.text()
    assert window.open_action.isEnabled()

    session.loading_gate = threading.Event()
    drop_files(window.drop_zone, [minimal_pdf])
    wait_for_status(qtbot, window, "Loading model …")
    assert window.stop_action.isEnabled()
    assert not window.save_action.isEnabled()

    session.loading_gate.set()
    wait_for_status(qtbot, window, "Summary ready")
    assert not window.stop_action.isEnabled()
    assert window.copy_action.isEnabled() and window.save_action.isEnabled()


def test_chosen_length_and_language_are_the_data_folders_settings_and_geometry_is_remembered(
    qtbot: Any, session: StreamingWorkspace, ui_settings: QSettings
) -> None:
    first = MainWindow(session, WindowState(ui_settings))
    qtbot.addWidget(first)
    first.length_combo.setCurrentIndex(first.length_combo.findData("detailed"))
    first.language_combo.setCurrentIndex(first.language_combo.findData("ja"))
    first.resize(1000, 640)  # larger than the window's minimum (the offscreen screen is 800 × 800)
    first.close()

    # One store per preference: the settings `edgewise config` and the settings dialog read too.
    assert session.settings.get("summary.length") == "detailed"
    assert session.settings.get("translate.language") == "ja"
    reopened = QSettings(ui_settings.fileName(), QSettings.Format.IniFormat)
    assert reopened.value("summary/length") is None and reopened.value("translation/target") is None
    second = MainWindow(session, WindowState(reopened))
    qtbot.addWidget(second)

    assert second.summary_length == "detailed"
    assert second.target_language == "ja"
    assert (second.width(), second.height()) == (1000, 640)


def test_a_preference_changed_outside_the_window_shows_when_the_window_is_next_active(
    qtbot: Any, window: MainWindow, session: StreamingWorkspace
) -> None:
    from PySide6.QtWidgets import QWidget

    from assistant.settings import Settings

    other = QWidget()  # the person switches to a terminal …
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=WAIT_MS)
    Settings(session.data_dir).set("summary.length", "bullets")  # … runs `edgewise config set` …
    Settings(session.data_dir).set("translate.language", "de")
    assert window.summary_length != "bullets"
    window.activateWindow()  # … and comes back
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.summary_length == "bullets", timeout=WAIT_MS)
    assert window.target_language == "de"


def test_main_window_opens_without_importing_any_engine(tmp_path: Path) -> None:
    # A fresh interpreter: other tests in this process may already have loaded anything.
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from ui.application import create_application\n"
        "from ui.main_window import MainWindow\n"
        "from PySide6.QtCore import QSettings\n"
        "from assistant.workspace import Workspace\n"
        "from ui.window_state import WindowState\n"
        "app = create_application(['edgewise'])\n"
        f"settings = QSettings({str(tmp_path / 'settings.ini')!r}, QSettings.Format.IniFormat)\n"
        f"window = MainWindow(Workspace({str(tmp_path)!r}), WindowState(settings))\n"
        "window.show(); app.processEvents()\n"
        "heavy = {'llama_cpp', 'faster_whisper', 'chromadb', 'torch', 'sentence_transformers'}\n"
        "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ---- the Qt binding ------------------------------------------------------------------------------


def test_a_long_session_of_pyside_calls_does_not_abort_python() -> None:
    # PySide6 6.12.0 loses a reference to None on every void call and to True on every emit; on
    # Python 3.11 a fresh interpreter aborts after a few thousand. The pinned PySide6 must not.
    script = (
        "import ui\n"
        "from PySide6.QtCore import QObject, Signal\n"
        "class Source(QObject):\n"
        "    changed = Signal(int)\n"
        "source = Source()\n"
        "source.changed.connect(lambda value: None)\n"
        "for value in range(50_000):\n"
        "    source.setObjectName('streaming')\n"
        "    source.changed.emit(value)\n"
        "print('survived')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"


def test_a_window_closed_before_its_first_events_starts_no_job_afterwards(
    qtbot: Any, session: StreamingWorkspace, window_state: WindowState
) -> None:
    """The startup rescan is queued for the first turn of the event loop; a window closed before that turn (as a
    script or a test closes it) must not start it on a runner that was already shut down, where it would run on
    while the window's objects are destroyed."""
    window = MainWindow(session, window_state)
    started: list[str] = []
    window.library.ingest.running_changed.connect(lambda running: started.append("job") if running else None)
    window.close()
    QApplication.processEvents()
    QApplication.processEvents()
    assert started == []
    assert window.library.ingest.is_idle()
    window.deleteLater()
