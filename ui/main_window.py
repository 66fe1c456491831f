"""The Edgewise window: drop or open a document, read a streamed summary or translation, save it; the library,
voice and settings beside it. The window is built here from its parts, in one place: the parts (``Voice``,
``Trust``, ``LibraryPanel``, ``SettingsMenu``) make their widgets and actions, the window places them."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QElapsedTimer, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.documents.model import ocr_description
from assistant.errors import EdgewiseError
from resources import resource_path
from ui.document_task import (
    SUMMARY,
    TRANSLATION,
    LoadedDocument,
    Result,
    default_save_name,
    read_file,
    read_text,
)
from ui.document_toolbar import DocumentToolbar
from ui.drop_zone import DropZone, accepts_drag, deliver_drop
from ui.elided_label import ElidedLabel
from ui.error_banner import ErrorBanner
from ui.job_progress import JobProgress
from ui.job_runner import JobRunner
from ui.library_panel import LibraryPanel
from ui.result_view import ResultView
from ui.settings_menu import SettingsMenu
from ui.trust import Trust
from ui.voice import Voice
from ui.window_state import WindowState
from ui.workspace import Workspace

if TYPE_CHECKING:
    from assistant.documents import Document

APP_TITLE = "Edgewise"
#: Small enough for a 1280x800 laptop with room to spare; below it the toolbar, or the Library tab's chat beside
#: its two side panels, cannot fit.
MINIMUM_SIZE = QSize(1000, 600)
DEFAULT_SIZE = QSize(1200, 760)
_SHUTDOWN_WAIT_MS = 2000


class MainWindow(QMainWindow):
    """One document at a time; every long step of the document view runs through one ``JobRunner``."""

    document_opened = Signal(str)  # the header: name, pages, language

    def __init__(self, workspace: Workspace, state: WindowState | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.state = state if state is not None else WindowState()
        self.runner = JobRunner(self)
        self._document: Document | None = None
        self._result: Result | None = None
        self._pending: Result | None = None  # the result a running summary or translation writes
        self._streaming = False  # its first words arrived
        self._clock = QElapsedTimer()

        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.setMinimumSize(MINIMUM_SIZE)
        self.setStyleSheet(resource_path("styles/main_window.qss").read_text(encoding="utf-8"))

        # The parts, then the window assembled from them.
        self.voice = Voice(workspace, self.state, self)  # Voice menu, dictation, transcription dock
        self.trust = Trust(self.state, self)  # Fast/Thorough, Key points dock, figure highlights
        self.library = LibraryPanel(workspace, self.state)  # the "Library" tab
        self.settings_menu = SettingsMenu(workspace, self)  # Edit > Settings…
        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_central()
        self._build_docks()
        self._build_status_bar()
        self._connect_parts()
        self._show_preferences()
        if not self.state.restore_geometry(self):
            self.resize(DEFAULT_SIZE)
        self._update_actions()
        QTimer.singleShot(0, lambda: self.library.start_rescan(quiet=True))  # files changed while the app was closed

    # ---- construction -------------------------------------------------------------------------

    def _action(self, text: str, shortcuts: list[str], slot: Any, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        shortcut_text = QKeySequence(shortcuts[0]).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({shortcut_text})")
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even if the toolbar or menu is hidden
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action("Open…", ["Ctrl+O"], self.choose_file, "Open a document")
        self.summarize_action = self._action(
            "Summarize", ["Ctrl+Return", "Ctrl+Enter"], self.summarize, "Summarize the document"
        )
        self.translate_action = self._action("Translate", ["Ctrl+T"], self.translate, "Translate the document")
        self.stop_action = self._action("Stop", ["Esc"], self.stop, "Stop the running task")
        self.copy_action = self._action("Copy", ["Ctrl+Shift+C"], self.copy_result, "Copy the result as Markdown")
        self.save_action = self._action(
            "Save as Markdown…", ["Ctrl+S"], self.save_markdown, "Save the result with its provenance"
        )
        self.paste_action = self._action(
            "Paste text as document",
            ["Ctrl+Shift+V"],
            self.paste_text,
            "Use the clipboard text as a document",
        )
        self.add_to_library_action = self._action(
            "Add to library…", ["Ctrl+Shift+L"], lambda: self._in_library(self.library.choose_files),
            "Add files to the library",
        )
        self.add_folder_action = QAction("Add folder to library…", self)
        self.add_folder_action.triggered.connect(lambda: self._in_library(self.library.choose_folder))
        self.quit_action = self._action("Quit", ["Ctrl+Q"], self.close, "Quit Edgewise")

    def _build_toolbar(self) -> None:
        actions = {"open": self.open_action, "summarize": self.summarize_action, "translate": self.translate_action,
                   "stop": self.stop_action, "copy": self.copy_action, "save": self.save_action}
        self.toolbar = DocumentToolbar(self, actions, self.trust.mode_combo)
        self.length_combo = self.toolbar.length_combo
        self.language_combo = self.toolbar.language_combo
        self.addToolBar(self.toolbar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.open_action, self.save_action])
        file_menu.addActions([self.add_to_library_action, self.add_folder_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([self.copy_action, self.paste_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_menu.action)
        self.addAction(self.settings_menu.action)
        document_menu = self.menuBar().addMenu("&Document")
        document_menu.addActions([self.summarize_action, self.translate_action, self.stop_action])
        self.menuBar().addMenu(self.voice.menu)

    def _build_central(self) -> None:
        """Two tabs: the document (banner, drop zone or header and result) and the library."""
        self.banner = ErrorBanner()
        self.drop_zone = DropZone()
        self.header = ElidedLabel()
        self.header.setObjectName("documentHeader")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # What the reader wants the person to know about this file: a page it could not read, a missing OCR pack.
        self.reading_notes = QLabel()
        self.reading_notes.setObjectName("readingNotes")
        self.reading_notes.setWordWrap(True)
        self.reading_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reading_notes.hide()
        self.result_view = ResultView()

        document_page = QWidget()
        document_layout = QVBoxLayout(document_page)
        document_layout.setContentsMargins(0, 0, 0, 0)
        document_layout.setSpacing(8)
        document_layout.addWidget(self.header)
        document_layout.addWidget(self.reading_notes)
        document_layout.addWidget(self.result_view, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(document_page)

        document_view = QWidget()
        layout = QVBoxLayout(document_view)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(document_view, "Document")
        self.tabs.addTab(self.library, "Library")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)

    def _build_docks(self) -> None:
        """Key points beside the document; the transcription, whose rows of buttons need the width, below."""
        for corner in (Qt.Corner.BottomLeftCorner, Qt.Corner.BottomRightCorner):
            self.setCorner(corner, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.voice.dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.trust.dock)
        self._key_points_sized = False

    def _tab_changed(self, index: int) -> None:
        """The document's toolbar and key points belong to the Document tab; the Library tab has its own."""
        on_document = self.tabs.widget(index) is not self.library
        self.toolbar.setVisible(on_document)
        if self._document is not None:
            self.trust.dock.setVisible(on_document)
        self._show_document_status()

    def _show_document_status(self) -> None:
        """The document's status line speaks on the Library tab only while a document job runs."""
        self.job_progress.setVisible(self.tabs.currentWidget() is not self.library or self.runner.is_running)

    def _build_status_bar(self) -> None:
        self.job_progress = JobProgress(bar_width=240)
        self.job_progress.follow(self.runner)
        self.runner.running_changed.connect(lambda _running: self._show_document_status())
        self.statusBar().addWidget(self.job_progress, 1)

    def _connect_parts(self) -> None:
        self.drop_zone.file_dropped.connect(self.open_path)
        self.drop_zone.message.connect(self.show_error)
        self.drop_zone.open_requested.connect(self.choose_file)
        self.voice.error.connect(self.show_error)
        self.voice.attach(self.library.chat.question_edit)  # dictate questions into the ask box
        self.settings_menu.applied.connect(lambda _names: self._show_preferences())
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.running_changed.connect(lambda _running: self._update_actions())
        self.length_combo.currentIndexChanged.connect(lambda _i: self._store_preference("summary.length"))
        self.language_combo.currentIndexChanged.connect(lambda _i: self._store_preference("translate.language"))

    # ---- preferences: the data folder's settings, shared with the dialog and `edgewise config` ----------

    def _combo_of(self, name: str) -> QComboBox:
        return self.length_combo if name == "summary.length" else self.language_combo

    def _show_preferences(self) -> None:
        """Show the summary length and translation language the settings hold now."""
        for name in ("summary.length", "translate.language"):
            combo = self._combo_of(name)
            index = combo.findData(self.workspace.settings.get(name))
            if index >= 0 and index != combo.currentIndex():
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)

    def _store_preference(self, name: str) -> None:
        settings = self.workspace.settings
        value = str(self._combo_of(name).currentData())
        if settings.get(name) != value:
            settings.set(name, value)

    @property
    def summary_length(self) -> str:
        return str(self.length_combo.currentData())

    @property
    def target_language(self) -> str:
        return str(self.language_combo.currentData())

    # ---- public behaviour ---------------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        return self._document

    @property
    def result(self) -> Result | None:
        return self._result

    def status_text(self) -> str:
        return self.job_progress.status()

    def show_error(self, message: str) -> None:
        self.banner.show_error(message)

    def choose_file(self) -> None:
        from assistant.documents import FILE_DIALOG_FILTER

        filename, _ = QFileDialog.getOpenFileName(self, "Open a document", self.state.folder("open"),
                                                  FILE_DIALOG_FILTER)
        if filename:
            self.state.remember_folder("open", Path(filename).parent)
            self.open_path(Path(filename))

    def open_path(self, path: Path) -> None:
        """Read ``path`` in the worker, then summarize it with the chosen length."""
        if self.voice.open_recording(path):  # a recording goes to the transcription panel
            return
        if self.settings_menu.open_model(path):  # a .gguf goes to the add-model flow
            return
        self._start(
            partial(read_file, path, data_dir=self.workspace.data_dir),
            f"Reading {path.name} …",
            on_finished=self._document_read,
        )

    def paste_text(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.show_error("The clipboard holds no text to use as a document.")
            return
        self._start(partial(read_text, text), "Reading the pasted text …", on_finished=self._document_read)

    def summarize(self) -> None:
        if (document := self._document_to_use()) is not None:
            length = self.summary_length
            job = partial(self.workspace.summarize, document, length, thorough=self.trust.thorough)
            self._start_writing(Result(document, SUMMARY, {"length": length}), job, "Summarizing …")

    def translate(self) -> None:
        if (document := self._document_to_use()) is not None:
            target = self.target_language
            job = partial(self.workspace.translate, document, target)
            self._start_writing(Result(document, TRANSLATION, {"target": target}), job, "Translating …")

    def stop(self) -> None:
        self.runner.cancel()

    def copy_result(self) -> None:
        if self._result is not None and self._result.text:
            QGuiApplication.clipboard().setText(self._result.text)
            self._set_status("Copied the result to the clipboard")

    def save_markdown(self) -> None:
        result = self._result
        if result is None or not result.text:
            return
        start_dir = Path(self.state.folder("save", default=self._document_dir(result.document)))
        filename, _ = QFileDialog.getSaveFileName(
            self, "Save as Markdown", str(start_dir / default_save_name(result)), "Markdown (*.md)"
        )
        if not filename:
            return
        path = Path(filename)
        if not path.suffix:
            path = path.with_suffix(".md")
        try:
            from assistant.trust.provenance import markdown_document

            provenance = self.workspace.provenance(result.document, result.task, **result.settings)
            path.write_text(markdown_document(result.text, provenance), encoding="utf-8")
        except EdgewiseError as error:
            self.show_error(str(error))
            return
        except OSError as error:
            self.show_error(f"Could not save {path.name}: {error.strerror or error}.")
            return
        self.state.remember_folder("save", path.parent)
        self._set_status(f"Saved {path.name}")

    @staticmethod
    def _document_dir(document: Document) -> Path:
        return document.path.parent if document.path is not None else Path.home()

    def _in_library(self, then: Any) -> None:
        self.tabs.setCurrentWidget(self.library)
        then()

    # ---- jobs ---------------------------------------------------------------------------------

    def _start(self, job: Any, status: str, **handlers: Any) -> None:
        self.banner.clear()
        self._keep_partial_result()  # of a job this one supersedes, as Stop would
        self._clock.start()
        self.runner.start(job, **handlers)
        self.job_progress.show_progress(0, 0, status)

    def _document_to_use(self) -> Document | None:
        if self._document is None:
            self.show_error("Open a document first: drop a file here or press Ctrl+O.")
        return self._document

    def _start_writing(self, result: Result, job: Any, status: str) -> None:
        """Run a summary or translation whose text streams into the result pane."""
        self.result_view.setPlaceholderText(f"The {result.task} will appear here.")
        self._start(job, status, on_item=self._on_delta, on_finished=self._on_written)
        self._pending = result
        self._streaming = False

    def _on_delta(self, delta: str) -> None:
        if not self._streaming:
            # The previous result stays visible until the new one really begins.
            self._streaming = True
            self.result_view.begin_stream()
        self.result_view.append_delta(delta)

    def _document_read(self, loaded: LoadedDocument) -> None:
        self._show_document(loaded)
        self.summarize()

    def _on_written(self, text: str) -> None:
        result, self._pending = self._pending, None
        assert result is not None
        if self._streaming:
            self.result_view.end_stream()
            text = self.result_view.plain_text()  # what the person saw, token by token
        elif text:
            self.result_view.set_result(text)
        if not text.strip():
            self._restore_previous_result()
            self.show_error("The model returned no text. Try again, or with another setting.")
            self._set_status("")
            return
        result.text = text
        self._result = result
        label = "Summary ready" if result.task == SUMMARY else "Translation ready"
        checked = self.trust.result_ready(result.task, result.document, text, self.result_view)
        self._set_status(f"{label} · {self._model_name()} · {self._clock.elapsed() / 1000:.1f} s"
                         + (f" · {checked}" if checked else ""))
        self._update_actions()

    def _on_failed(self, message: str) -> None:
        if self._pending is not None and self._streaming:
            self._restore_previous_result()
        self._pending = None
        self.show_error(message)
        self._set_status("")

    def _on_cancelled(self) -> None:
        self._keep_partial_result()
        self._set_status("Stopped")
        self._update_actions()

    def _keep_partial_result(self) -> None:
        """A stopped stream stays on screen, and Copy and Save act on what is shown."""
        result, self._pending = self._pending, None
        if result is not None and self._streaming:
            self.result_view.end_stream()
            result.text = self.result_view.plain_text()
            result.stopped = True
            self._result = result

    def _restore_previous_result(self) -> None:
        self.result_view.set_result(self._result.text if self._result is not None else "")

    def _show_document(self, loaded: LoadedDocument) -> None:
        document = loaded.document
        self._document = document
        self._result = None
        self.result_view.set_result("")
        parts = [document.name]
        if document.page_count is not None:
            unit = document.pages[0].unit if document.pages[0].unit in ("slide", "sheet", "chapter") else "page"
            parts.append(f"{document.page_count} {unit}" + ("" if document.page_count == 1 else "s"))
        if document.ocr_pages:
            parts.append(f"read by OCR: {ocr_description(document)}")
        if loaded.language_label:
            parts.append(loaded.language_label)
        self.header.setText(" · ".join(parts))
        self.reading_notes.setText("\n".join(document.notes))
        self.reading_notes.setVisible(bool(document.notes))
        self.setWindowTitle(f"{APP_TITLE} — {document.name}")
        self.trust.document_shown(document)
        if not self._key_points_sized:  # as wide as it was left, once; then wherever the person drags it
            self._key_points_sized = True
            self.resizeDocks([self.trust.dock], [self.state.key_points_width], Qt.Orientation.Horizontal)
        self.stack.setCurrentIndex(1)
        self.document_opened.emit(self.header.text())

    def _model_name(self) -> str:
        try:
            return str(self.workspace.llm_name)
        except Exception:  # noqa: BLE001 - a status line is not worth an error
            return "the model"

    def _set_status(self, message: str) -> None:
        self.job_progress.set_status(message)

    def _update_actions(self) -> None:
        running = self.runner.is_running
        has_document = self._document is not None
        has_result = bool(self._result is not None and self._result.text) and not running
        self.summarize_action.setEnabled(has_document)
        self.translate_action.setEnabled(has_document)
        self.stop_action.setEnabled(running)
        self.copy_action.setEnabled(has_result)
        self.save_action.setEnabled(has_result)

    # ---- window events ------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._show_preferences()  # `edgewise config set` may have changed them meanwhile
        super().changeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accepts_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        deliver_drop(event, self.open_path, self.show_error)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.state.save_geometry(self)
        if self.trust.dock.isVisible():
            self.state.key_points_width = self.trust.dock.width()
        self.state.sync()
        self.runner.shutdown(_SHUTDOWN_WAIT_MS)
        self.voice.shutdown()
        self.trust.dock.shutdown()
        self.library.shutdown()
        super().closeEvent(event)
