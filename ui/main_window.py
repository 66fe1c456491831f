"""The Edgewise window: drop or open a document, read a streamed summary or translation, save it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QElapsedTimer, QLocale, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.documents.model import ocr_description
from assistant.errors import EdgewiseError
from assistant.jobs import CancelToken, ProgressCallback
from resources import resource_path
from ui.document_task import (
    SUMMARY,
    TRANSLATION,
    LoadedDocument,
    Result,
    RunningTask,
    default_save_name,
    read_file_job,
    text_job,
)
from ui.document_toolbar import LENGTH_LABELS, DocumentToolbar
from ui.drop_zone import DropZone, accepts_drag, deliver_drop
from ui.error_banner import ErrorBanner
from ui.library_panel import install_library
from ui.result_view import ResultView
from ui.settings_menu import install_settings
from ui.trust import install_trust
from ui.voice import install_voice
from ui.workers import JobRunner

if TYPE_CHECKING:
    from assistant.documents import Document
    from assistant.session import Session

APP_TITLE = "Edgewise"
_SHUTDOWN_WAIT_MS = 2000

def _settings_value(settings: QSettings, key: str, allowed: list[str], default: str) -> str:
    value = settings.value(key, default)
    return value if isinstance(value, str) and value in allowed else default


class MainWindow(QMainWindow):
    """One document at a time; every long step runs through one ``JobRunner``."""

    def __init__(self, session: Session, settings: QSettings | None = None) -> None:
        super().__init__()
        self._session = session
        self._settings = settings if settings is not None else QSettings("Edgewise", "Edgewise")
        self._runner = JobRunner(self)
        self._document: Document | None = None
        self._result: Result | None = None
        self._task: RunningTask | None = None
        self._clock = QElapsedTimer()

        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.setMinimumSize(720, 480)
        self.setStyleSheet(resource_path("styles/main_window.qss").read_text(encoding="utf-8"))

        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_central()
        self._build_status_bar()
        self._connect_runner()
        self._restore_settings()
        self.voice = install_voice(self, session, self._settings)  # Voice menu, dictation, transcription dock
        self.model_settings = install_settings(self, session.data_dir)  # Edit > Settings…
        self.library = install_library(self, session, self._settings)  # "Library" tab, File > Add to library
        if self.library is not None:
            self.voice.attach(self.library.panel.chat.question_edit)  # dictate questions into the ask box
        self.trust = install_trust(self, self._settings)  # Key points dock, Fast/Thorough, figure highlights
        self.length_combo.currentIndexChanged.connect(self._remember_choices)
        self.language_combo.currentIndexChanged.connect(self._remember_choices)
        self._update_actions()

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
        self.quit_action = self._action("Quit", ["Ctrl+Q"], self.close, "Quit Edgewise")

    def _build_toolbar(self) -> None:
        actions = {"open": self.open_action, "summarize": self.summarize_action, "translate": self.translate_action,
                   "stop": self.stop_action, "copy": self.copy_action, "save": self.save_action}
        toolbar = DocumentToolbar(self, actions)
        self.length_combo = toolbar.length_combo
        self.language_combo = toolbar.language_combo
        self.addToolBar(toolbar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self.paste_action)
        document_menu = self.menuBar().addMenu("&Document")
        document_menu.addAction(self.summarize_action)
        document_menu.addAction(self.translate_action)
        document_menu.addAction(self.stop_action)

    def _build_central(self) -> None:
        self.banner = ErrorBanner()
        self.drop_zone = DropZone()
        self.drop_zone.file_dropped.connect(self.open_path)
        self.drop_zone.message.connect(self.show_error)
        self.drop_zone.open_requested.connect(self.choose_file)

        self.header = QLabel()
        self.header.setObjectName("documentHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_view = ResultView()

        document_page = QWidget()
        document_layout = QVBoxLayout(document_page)
        document_layout.setContentsMargins(0, 0, 0, 0)
        document_layout.setSpacing(8)
        document_layout.addWidget(self.header)
        document_layout.addWidget(self.result_view, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.drop_zone)
        self.stack.addWidget(document_page)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.status_label = QLabel()
        self.status_label.setObjectName("statusText")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("jobProgress")
        self.progress_bar.setMaximumWidth(240)
        self.progress_bar.setMinimumWidth(160)
        self.progress_bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_bar.hide()
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress_bar)

    def _connect_runner(self) -> None:
        self._runner.progress.connect(self._on_progress)
        self._runner.text.connect(self._on_text)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._runner.running_changed.connect(self._on_running_changed)

    # ---- settings -----------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self._settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1040, 720)
        lengths = list(LENGTH_LABELS)
        self._select(self.length_combo, _settings_value(self._settings, "summary/length", lengths, "brief"))
        codes = [self.language_combo.itemData(i) for i in range(self.language_combo.count())]
        system = QLocale.system().name().split("_")[0]
        fallback = system if system in codes and system != "en" else ("fr" if "fr" in codes else codes[0])
        self._select(self.language_combo, _settings_value(self._settings, "translation/target", codes, fallback))

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _remember_choices(self) -> None:
        self._settings.setValue("summary/length", self.summary_length)
        self._settings.setValue("translation/target", self.target_language)

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
        return self.status_label.text()

    def show_error(self, message: str) -> None:
        self.banner.show_error(message)

    def choose_file(self) -> None:
        from assistant.documents import FILE_DIALOG_FILTER

        start = str(self._settings.value("paths/open_dir", str(Path.home())))
        filename, _ = QFileDialog.getOpenFileName(self, "Open a document", start, FILE_DIALOG_FILTER)
        if filename:
            self._settings.setValue("paths/open_dir", str(Path(filename).parent))
            self.open_path(Path(filename))

    def open_path(self, path: Path) -> None:
        """Read ``path`` in the worker, then summarize it with the chosen length."""
        if self.voice.open_recording(path):  # a recording goes to the transcription panel
            return
        if self.model_settings.open_model(path):  # a .gguf goes to the add-model flow
            return
        self._start("load", read_file_job(path, self._session.data_dir), f"Reading {path.name} …")

    def paste_text(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.show_error("The clipboard holds no text to use as a document.")
            return
        self._start("load", text_job(text), "Reading the pasted text …")

    def summarize(self) -> None:
        self._start_llm(SUMMARY, {"length": self.summary_length})

    def translate(self) -> None:
        self._start_llm(TRANSLATION, {"target": self.target_language})

    def stop(self) -> None:
        self._runner.cancel()

    def copy_result(self) -> None:
        if self._result is not None and self._result.text:
            QGuiApplication.clipboard().setText(self._result.text)
            self._set_status("Copied the result to the clipboard")

    def save_markdown(self) -> None:
        result = self._result
        if result is None or not result.text:
            return
        start_dir = Path(str(self._settings.value("paths/save_dir", "")) or self._document_dir(result.document))
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

            provenance = self._session.provenance(result.document, result.task, **result.settings)
            path.write_text(markdown_document(result.text, provenance), encoding="utf-8")
        except EdgewiseError as error:
            self.show_error(str(error))
            return
        except OSError as error:
            self.show_error(f"Could not save {path.name}: {error.strerror or error}.")
            return
        self._settings.setValue("paths/save_dir", str(path.parent))
        self._set_status(f"Saved {path.name}")

    @staticmethod
    def _document_dir(document: Document) -> Path:
        return document.path.parent if document.path is not None else Path.home()

    # ---- jobs ---------------------------------------------------------------------------------

    def _start(self, kind: str, job: Any, status: str, result: Result | None = None) -> None:
        self.banner.clear()
        self._keep_partial_result()  # of a job this one supersedes, as Stop would
        self._task = RunningTask(kind, result)
        self._clock.start()
        self._runner.start(job)
        self._show_progress(0, 0, status)

    def _start_llm(self, task: str, settings: dict[str, str]) -> None:
        document = self._document
        if document is None:
            self.show_error("Open a document first: drop a file here or press Ctrl+O.")
            return
        session = self._session  # the job runs in the worker: it must not touch widgets
        mode: dict[str, Any] = {"thorough": True} if self.trust.thorough else {}  # fakes take no thorough

        def job(progress: ProgressCallback, cancel: CancelToken) -> Any:
            if task == SUMMARY:
                return session.summarize(
                    document, length=settings["length"], progress=progress, cancel=cancel, **mode
                )
            return session.translate(document, target=settings["target"], progress=progress, cancel=cancel)

        verb = "Summarizing" if task == SUMMARY else "Translating"
        self.result_view.setPlaceholderText(f"The {task} will appear here.")
        self._start(task, job, f"{verb} …", Result(document, task, dict(settings)))

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self._show_progress(done, total, message)

    def _on_text(self, delta: str) -> None:
        task = self._task
        if task is None or task.result is None:
            return
        if not task.streaming:
            # The previous result stays visible until the new one really begins.
            task.streaming = True
            self.result_view.begin_stream()
        self.result_view.append_delta(delta)

    def _on_finished(self, value: object) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        if task.kind == "load":
            assert isinstance(value, LoadedDocument)
            self._show_document(value)
            self.summarize()
            return
        assert task.result is not None
        if task.streaming:
            self.result_view.end_stream()
        elif isinstance(value, str) and value:
            self.result_view.set_result(value)
        text = self.result_view.plain_text() if task.streaming or value else ""
        if not text.strip():
            self._restore_previous_result()
            self.show_error("The model returned no text. Try again, or with another setting.")
            self._set_status("")
            return
        task.result.text = text
        self._result = task.result
        label = "Summary ready" if task.kind == SUMMARY else "Translation ready"
        checked = self.trust.result_ready(task.kind, task.result.document, text, self.result_view)
        self._set_status(f"{label} · {self._model_name()} · {self._clock.elapsed() / 1000:.1f} s"
                         + (f" · {checked}" if checked else ""))
        self._update_actions()

    def _on_failed(self, message: str) -> None:
        task, self._task = self._task, None
        if task is not None and task.streaming:
            self._restore_previous_result()
        self.show_error(message)
        self._set_status("")

    def _on_cancelled(self) -> None:
        self._keep_partial_result()
        self._set_status("Stopped")
        self._update_actions()

    def _keep_partial_result(self) -> None:
        """A stopped stream stays on screen, and Copy and Save act on what is shown."""
        task, self._task = self._task, None
        if task is not None and task.streaming and task.result is not None:
            self.result_view.end_stream()
            task.result.text = self.result_view.plain_text()
            task.result.stopped = True
            self._result = task.result

    def _on_running_changed(self, running: bool) -> None:
        if not running:
            self.progress_bar.hide()
        self._update_actions()

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
        self.setWindowTitle(f"{APP_TITLE} — {document.name}")
        self.trust.document_shown(document)
        self.stack.setCurrentIndex(1)

    def _model_name(self) -> str:
        try:
            return str(self._session.llm_name)
        except Exception:  # noqa: BLE001 - a status line is not worth an error
            return "the model"

    def _show_progress(self, done: int, total: int, message: str) -> None:
        if total <= 0:
            self.progress_bar.setRange(0, 0)  # "Loading model …": busy, amount unknown
            self.progress_bar.setTextVisible(False)
        else:
            # The core counts parts, paragraphs or prompt tokens; its message names the unit
            # ("Summarising part 3 of 12"), so the bar only shows how far along it is.
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
            self.progress_bar.setFormat("%p %")
            self.progress_bar.setTextVisible(True)
            message = message or f"Part {done} of {total}"
        self.progress_bar.show()
        self._set_status(message)

    def _set_status(self, message: str) -> None:
        self.status_label.setText(message)

    def _update_actions(self) -> None:
        running = self._runner.is_running
        has_document = self._document is not None
        has_result = bool(self._result is not None and self._result.text) and not running
        self.summarize_action.setEnabled(has_document)
        self.translate_action.setEnabled(has_document)
        self.stop_action.setEnabled(running)
        self.copy_action.setEnabled(has_result)
        self.save_action.setEnabled(has_result)

    # ---- window events ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accepts_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        deliver_drop(event, self.open_path, self.show_error)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._remember_choices()
        self._settings.sync()
        self._runner.shutdown(_SHUTDOWN_WAIT_MS)
        self.voice.shutdown()
        self.trust.dock.shutdown()
        if self.library is not None:
            self.library.shutdown()
        super().closeEvent(event)
