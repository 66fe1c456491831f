"""The library panel: the documents (name, type, pages, passages, date added, status), adding files and
folders by drop or dialog, instant search, and the chat pane that answers from them."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.documents import FILE_DIALOG_FILTER
from assistant.jobs import CancelToken, ProgressCallback
from ui.chat_pane import ChatPane
from ui.drop_zone import accepts_drag, dropped_local_files
from ui.passage_viewer import PassageViewer
from ui.workers import JobRunner

if TYPE_CHECKING:
    from assistant.library.index import IngestReport, LibraryIndex
    from assistant.library.search import SearchHit
    from assistant.session import Session

COLUMNS = ("Name", "Type", "Pages", "Passages", "Added", "Status")
_SEARCH_DELAY_MS = 150
_LAST_FOLDER_KEY = "library/last_folder"


class LibraryPanel(QWidget):
    """Everything about the library in one widget; long work runs through ``JobRunner``s."""

    documents_changed = Signal()
    searched = Signal(int)  # number of results shown

    def __init__(self, session: Session, settings: QSettings | None = None, parent: QWidget | None = None, *,
                 data_dir: Path | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._data_dir = Path(data_dir) if data_dir is not None else session.data_dir
        self._settings = settings if settings is not None else QSettings("Edgewise", "Edgewise")
        self._index: LibraryIndex | None = None
        self._index_lock = threading.Lock()
        self._ingest = JobRunner(self)
        self._search = JobRunner(self)
        self._hits: list[SearchHit] = []
        self.viewer: PassageViewer | None = None
        self.last_report: IngestReport | None = None
        self.setAcceptDrops(True)

        from assistant.library.conversations import ConversationStore
        from assistant.library.index import library_folder

        self.conversations = ConversationStore(library_folder(self._data_dir))

        # documents
        self.add_files_button = QPushButton("Add files…")
        self.add_folder_button = QPushButton("Add folder…")
        self.remove_button = QPushButton("Remove")
        self.reindex_button = QPushButton("Re-index")
        self.open_button = QPushButton("Open file")
        self.rescan_button = QPushButton("Rescan")
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.reindex_button.clicked.connect(self.reindex_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.rescan_button.clicked.connect(self.start_rescan)
        buttons = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.remove_button, self.reindex_button,
                       self.open_button, self.rescan_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("libraryDocuments")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.open_selected)
        self.hint = QLabel("Drop files or folders here to add them to the library.")
        self.hint.setObjectName("libraryHint")
        self.progress = QProgressBar()
        self.progress.hide()
        self.stop_button = QPushButton("Stop")
        self.stop_button.hide()
        self.stop_button.clicked.connect(self._ingest.cancel)
        self.status = QLabel()
        self.status.setObjectName("libraryStatus")
        self.status.setWordWrap(True)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.status, 1)
        progress_row.addWidget(self.progress)
        progress_row.addWidget(self.stop_button)

        # search
        self.search_box = QLineEdit()
        self.search_box.setObjectName("librarySearch")
        self.search_box.setPlaceholderText("Search the library (words, phrases, part numbers)")
        self.search_box.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._open_result)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(_SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self._search.finished.connect(self._show_hits)
        self._search.failed.connect(self.status.setText)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.hint)
        left_layout.addWidget(self.table, 3)
        left_layout.addLayout(progress_row)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.results, 2)

        self.chat = ChatPane(self.index, self.conversations, session, self._settings)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.chat)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._ingest.progress.connect(self._on_progress)
        self._ingest.finished.connect(self._on_ingested)
        self._ingest.failed.connect(self._on_ingest_failed)
        self._ingest.cancelled.connect(self._on_ingest_cancelled)
        self._ingest.running_changed.connect(self._on_running_changed)
        self.refresh()

    # -- the library object (SQLite opens in no time; models load later, in workers) ------------------
    def index(self) -> LibraryIndex:
        with self._index_lock:
            if self._index is None:
                from assistant.library.index import LibraryIndex

                self._index = LibraryIndex(self._data_dir)
            return self._index

    def close_library(self, timeout_ms: int = 3000) -> None:
        for runner in (self._ingest, self._search, self.chat._runner):
            runner.shutdown(timeout_ms)
        with self._index_lock:
            if self._index is not None:
                self._index.close()
            self._index = None
        self.conversations.close()

    # -- documents -----------------------------------------------------------------------------
    def refresh(self) -> None:
        records = self.index().documents()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            status = f"failed: {record.error}" if record.status == "failed" else record.status
            values = (record.name, record.format.upper(), "" if record.pages is None else str(record.pages),
                      str(record.chunks), record.added_at[:10], status)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, record.path)
                item.setToolTip(record.path if column == 0 else (record.error or value))
                if column in (2, 3) and value:
                    item.setData(Qt.ItemDataRole.DisplayRole, int(value))
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self.hint.setVisible(not records)
        self._update_buttons()
        self.documents_changed.emit()

    def document_rows(self) -> list[dict[str, str]]:
        return [
            {COLUMNS[c]: self._cell(r, c).text() for c in range(len(COLUMNS))} for r in range(self.table.rowCount())
        ]

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # refresh() fills every cell
        return item

    def selected_paths(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self._cell(row, 0).data(Qt.ItemDataRole.UserRole) for row in rows]

    def _update_buttons(self) -> None:
        chosen = bool(self.selected_paths())
        busy = self._ingest.is_running
        for button in (self.remove_button, self.reindex_button):
            button.setEnabled(chosen and not busy)
        self.open_button.setEnabled(len(self.selected_paths()) == 1)
        self.rescan_button.setEnabled(not busy)

    # -- adding --------------------------------------------------------------------------------
    def choose_files(self) -> None:
        start = str(self._settings.value(_LAST_FOLDER_KEY, str(Path.home())))
        files, _ = QFileDialog.getOpenFileNames(self, "Add to library", start, FILE_DIALOG_FILTER)
        if files:
            self._settings.setValue(_LAST_FOLDER_KEY, str(Path(files[0]).parent))
            self.add_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        start = str(self._settings.value(_LAST_FOLDER_KEY, str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self, "Add a folder to the library", start)
        if folder:
            self._settings.setValue(_LAST_FOLDER_KEY, folder)
            self.add_paths([Path(folder)])

    def add_paths(self, paths: list[Path]) -> None:
        self._run_ingest(lambda index, progress, cancel: index.add(paths, progress=progress, cancel=cancel),
                         f"Adding {len(paths)} item(s) …")

    def start_rescan(self) -> None:
        self._run_ingest(lambda index, progress, cancel: index.rescan(progress=progress, cancel=cancel),
                         "Checking the library's folders …")

    def reindex_selected(self) -> None:
        paths = self.selected_paths()
        if paths:
            self._run_ingest(lambda index, progress, cancel: index.reindex(paths, progress=progress, cancel=cancel),
                             "Re-indexing …")

    def remove_selected(self) -> None:
        paths = self.selected_paths()
        if not paths or self._ingest.is_running:
            return
        from assistant.library.writer import LibraryBusyError

        try:
            removed = self.index().remove(paths, wait=False)  # waiting here would freeze the window
        except LibraryBusyError as error:
            self.status.setText(str(error))
            return
        self.status.setText(f"Removed {len(removed)} document(s).")
        self.refresh()

    def open_selected(self, *_args: Any) -> None:
        paths = self.selected_paths()
        if len(paths) == 1:
            QDesktopServices.openUrl(QUrl.fromLocalFile(paths[0]))

    def _run_ingest(self, work: Any, message: str) -> None:
        if self._ingest.is_running:
            self.status.setText("The library is busy; wait for the current job or stop it.")
            return
        provider = self.index

        def job(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return work(provider(), progress, cancel)

        self.status.setText(message)
        self._ingest.start(job)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.status.setText(message)
        self.progress.setRange(0, total)
        if total:
            self.progress.setValue(min(done, total))

    def _on_ingested(self, report: object) -> None:
        self.last_report = report  # type: ignore[assignment]
        text = report.summary()  # type: ignore[attr-defined]
        failed = report.failed  # type: ignore[attr-defined]
        if failed:
            text += " — " + "; ".join(f"{Path(p).name}: {reason}" for p, reason in list(failed.items())[:3])
        self.status.setText(text)
        self.refresh()
        if self.search_box.text().strip():
            self.search_now()

    def _on_ingest_failed(self, message: str) -> None:
        self.status.setText(message)
        self.refresh()

    def _on_ingest_cancelled(self) -> None:
        self.status.setText("Stopped. Files not yet indexed stay queued; the next rescan or addition picks them up.")
        QTimer.singleShot(500, self.refresh)

    def _on_running_changed(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.stop_button.setVisible(running)
        if running:
            self.progress.setRange(0, 0)
        self._update_buttons()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accepts_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_local_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    # -- search --------------------------------------------------------------------------------
    def search_now(self) -> None:
        query = self.search_box.text().strip()
        if not query:
            self._search.cancel()
            self._show_hits([])
            return
        provider = self.index

        def job(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return provider().search(query, k=10)

        self._search.start(job)

    def _show_hits(self, hits: object) -> None:
        self._hits = list(hits)  # type: ignore[call-overload]
        self.results.clear()
        for hit in self._hits:
            snippet = hit.text if len(hit.text) <= 220 else hit.text[:219] + "…"
            item = QListWidgetItem(f"{hit.where}\n{snippet}")
            item.setToolTip(hit.file)
            self.results.addItem(item)
        if not self._hits and self.search_box.text().strip():
            self.results.addItem(QListWidgetItem("Nothing found."))
        self.searched.emit(len(self._hits))

    def _open_result(self, item: QListWidgetItem) -> None:
        row = self.results.row(item)
        if 0 <= row < len(self._hits):
            self.open_hit(self._hits[row])

    def open_hit(self, hit: SearchHit) -> PassageViewer:
        from assistant.library.ask import citations_from

        if self.viewer is None:
            self.viewer = PassageViewer(self)
        self.viewer.show_citation(citations_from([hit])[0])
        return self.viewer


class LibraryTab:
    """The library inside the main window: a "Library" tab beside the document view, File menu entries,
    and a rescan of the added folders at start (picks up files changed while the app was closed)."""

    def __init__(self, window: QMainWindow, session: Session, settings: QSettings) -> None:
        self.window = window
        self.panel = LibraryPanel(session, settings)
        document_view = window.takeCentralWidget()
        assert document_view is not None, "the window builds its document view first"
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(document_view, "Document")
        self.tabs.addTab(self.panel, "Library")
        window.setCentralWidget(self.tabs)

        self.add_files_action = QAction("Add to library…", window)
        self.add_files_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.add_files_action.triggered.connect(lambda: self._show_library(self.panel.choose_files))
        self.add_folder_action = QAction("Add folder to library…", window)
        self.add_folder_action.triggered.connect(lambda: self._show_library(self.panel.choose_folder))
        file_menu = next((a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File"),
                         None)
        if isinstance(file_menu, QMenu):
            separator = next((a for a in file_menu.actions() if a.isSeparator()), None)
            if separator is None:
                file_menu.addActions([self.add_files_action, self.add_folder_action])
            else:
                file_menu.insertActions(separator, [self.add_files_action, self.add_folder_action])
        window.addAction(self.add_files_action)
        QTimer.singleShot(0, self.panel.start_rescan)

    def _show_library(self, then: Any) -> None:
        self.tabs.setCurrentWidget(self.panel)
        then()

    def shutdown(self) -> None:
        self.panel.close_library()


def install_library(window: QMainWindow, session: Session, settings: QSettings) -> LibraryTab | None:
    """Add the library to ``window``; None when the session has no data folder to keep a library in."""
    if getattr(session, "data_dir", None) is None:
        return None
    return LibraryTab(window, session, settings)
