"""The library panel: the documents (name, type, pages, passages, date added, status), adding files and
folders by drop or dialog, instant search, and the chat pane that answers from them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.documents import FILE_DIALOG_FILTER
from ui.chat_pane import ChatPane
from ui.drop_zone import accepts_drag, dropped_local_files
from ui.job_progress import JobProgress
from ui.job_runner import JobRunner
from ui.passage_viewer import PassageViewer
from ui.window_state import WindowState
from ui.workspace import Workspace

if TYPE_CHECKING:
    from assistant.library.index import IngestReport, LibraryIndex
    from assistant.library.search import SearchHit

COLUMNS = ("Name", "Type", "Pages", "Passages", "Added", "Status")
_DOCUMENTS_SHARE = 150
_DOCUMENTS_MIN_WIDTH = 390  # its six columns (the name shortened) with their headers
_SEARCH_DELAY_MS = 150


class LibraryPanel(QWidget):
    """Everything about the library in one widget; long work runs through ``JobRunner``s. The library itself
    (index and conversations) is the workspace's: this panel only shows it."""

    documents_changed = Signal()
    searched = Signal(int)  # number of results shown

    def __init__(self, workspace: Workspace, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.state = state
        self.ingest = JobRunner(self)  # adding, re-indexing, rescans: one at a time
        self._search = JobRunner(self)
        self._hits: list[SearchHit] = []
        self.viewer: PassageViewer | None = None
        self.last_report: IngestReport | None = None
        self.setAcceptDrops(True)
        documents = self._build_documents()
        search = self._build_search()
        self.chat = ChatPane(workspace, state)
        self._build_layout(documents, search)
        self.ingest.failed.connect(self._on_ingest_failed)
        self.ingest.running_changed.connect(lambda _running: self._update_buttons())
        self.refresh()

    # -- construction ----------------------------------------------------------------------------
    def _build_documents(self) -> QWidget:
        """The buttons, the document table, and the progress of adding."""
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
        self.rescan_button.clicked.connect(lambda: self.start_rescan())
        buttons = QGridLayout()  # two rows of three: the panel stays narrow beside the chat, every name whole
        for i, button in enumerate((self.add_files_button, self.add_folder_button, self.rescan_button,
                                    self.open_button, self.reindex_button, self.remove_button)):
            buttons.addWidget(button, i // 3, i % 3)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("libraryDocuments")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "pump-no…2024.pdf"; the path is the tooltip
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.table.setSortingEnabled(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.open_selected)
        self.hint = QLabel("Drop files or folders here to add them to the library.")
        self.hint.setWordWrap(True)
        self.hint.setObjectName("libraryHint")
        self.progress = JobProgress(stop_button=True)
        self.progress.follow(self.ingest)

        documents = QWidget()
        layout = QVBoxLayout(documents)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        return documents

    def _build_search(self) -> QWidget:
        """The search box (searching as one types, a moment after the last key) and its results."""
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
        self._search.failed.connect(self.progress.set_status)

        search = QWidget()
        layout = QVBoxLayout(search)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_box)
        layout.addWidget(self.results, 1)
        return search

    def _build_layout(self, documents: QWidget, search: QWidget) -> None:
        """The chat takes the room; the conversations (its side list) and the documents with their search (a
        panel on the right) can each be hidden from the bar above them, and stay as they were left."""
        self.documents_panel = QSplitter(Qt.Orientation.Vertical)
        self.documents_panel.setObjectName("documentsPanel")
        self.documents_panel.setChildrenCollapsible(False)
        self.documents_panel.setMinimumWidth(_DOCUMENTS_MIN_WIDTH)
        self.documents_panel.addWidget(documents)
        self.documents_panel.addWidget(search)
        self.documents_panel.setSizes([300, 200])
        self.state.keep_splitter(self.documents_panel, "library documents")
        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.chat)
        self.splitter.addWidget(self.documents_panel)
        self.splitter.setSizes([5 * _DOCUMENTS_SHARE, 3 * _DOCUMENTS_SHARE])  # resized in proportion
        self.state.keep_splitter(self.splitter, "library")

        self.conversations_toggle = _panel_toggle("Conversations", "Show or hide the kept conversations")
        self.documents_toggle = _panel_toggle("Documents", "Show or hide the library's documents and search")
        self.state.keep_panel(self.conversations_toggle, "conversations", self.chat.conversations_panel)
        self.state.keep_panel(self.documents_toggle, "library documents", self.documents_panel)
        bar = QHBoxLayout()
        bar.addWidget(self.conversations_toggle)
        bar.addStretch(1)
        bar.addWidget(self.documents_toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

    # -- the library object (SQLite opens in no time; models load later, in workers) ------------------
    def index(self) -> LibraryIndex:
        return self.workspace.library()

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Stop this panel's jobs (the workspace closes the library itself)."""
        for runner in (self.ingest, self._search):
            runner.shutdown(timeout_ms)
        self.chat.shutdown(timeout_ms)

    @property
    def hits(self) -> list[SearchHit]:
        """The search results shown."""
        return list(self._hits)

    def status(self) -> str:
        return self.progress.status()

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
        busy = self.ingest.is_running
        for button in (self.remove_button, self.reindex_button):
            button.setEnabled(chosen and not busy)
        self.open_button.setEnabled(len(self.selected_paths()) == 1)
        self.rescan_button.setEnabled(not busy)

    # -- adding --------------------------------------------------------------------------------
    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add to library", self.state.folder("library"),
                                                FILE_DIALOG_FILTER)
        if files:
            self.state.remember_folder("library", Path(files[0]).parent)
            self.add_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder to the library", self.state.folder("library"))
        if folder:
            self.state.remember_folder("library", folder)
            self.add_paths([Path(folder)])

    def add_paths(self, paths: list[Path]) -> None:
        self._run_ingest(partial(self.index().add, paths), f"Adding {len(paths)} item(s) …")

    def start_rescan(self, *, quiet: bool = False) -> None:
        """Index what changed in the library's folders; ``quiet`` (the check at start-up) says nothing unless
        something changed, beyond how many documents there are."""
        self._run_ingest(self.index().rescan, "" if quiet else "Checking the library's folders …", quiet=quiet)

    def reindex_selected(self) -> None:
        paths = self.selected_paths()
        if paths:
            self._run_ingest(partial(self.index().reindex, paths), "Re-indexing …")

    def remove_selected(self) -> None:
        paths = self.selected_paths()
        if not paths or self.ingest.is_running:
            return
        from assistant.library.writer import LibraryBusyError

        try:
            removed = self.index().remove(paths, wait=False)  # waiting here would freeze the window
        except LibraryBusyError as error:
            self.progress.set_status(str(error))
            return
        self.progress.set_status(f"Removed {len(removed)} document(s).")
        self.refresh()

    def open_selected(self, *_args: Any) -> None:
        paths = self.selected_paths()
        if len(paths) == 1:
            QDesktopServices.openUrl(QUrl.fromLocalFile(paths[0]))

    def _run_ingest(self, job: Callable[..., IngestReport], message: str, quiet: bool = False) -> None:
        if self.ingest.is_running:
            self.progress.set_status("The library is busy; wait for the current job or stop it.")
            return
        self.ingest.start(job, on_finished=partial(self._on_ingested, quiet=quiet),
                          on_cancelled=self._on_ingest_cancelled)
        self.progress.set_status(message)

    def _on_ingested(self, report: IngestReport, quiet: bool = False) -> None:
        self.last_report = report
        if quiet and not (report.indexed or report.removed or report.failed):
            self.refresh()
            count = self.table.rowCount()
            noun = "document" if count == 1 else "documents"
            self.progress.set_status(f"{count} {noun}, all up to date" if count else "")
            return
        text = report.summary()
        if report.failed:
            text += " — " + "; ".join(f"{Path(p).name}: {reason}" for p, reason in list(report.failed.items())[:3])
        self.progress.set_status(text)
        self.refresh()
        if self.search_box.text().strip():
            self.search_now()

    def _on_ingest_failed(self, message: str) -> None:
        self.progress.set_status(message)
        self.refresh()

    def _on_ingest_cancelled(self) -> None:
        self.progress.set_status(
            "Stopped. Files not yet indexed stay queued; the next rescan or addition picks them up."
        )
        QTimer.singleShot(500, self.refresh)

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
        index = self.index()
        self._search.start(lambda *, progress, cancel: index.search(query, k=10), on_finished=self._show_hits)

    def _show_hits(self, hits: list[SearchHit]) -> None:
        self._hits = list(hits)
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
        from assistant.documents.ocr_cache import ocr_cache_for
        from assistant.library.ask import citations_from

        if self.viewer is None:
            self.viewer = PassageViewer(self, state=self.state, ocr_cache=ocr_cache_for(self.workspace.data_dir))
        self.viewer.show_citation(citations_from([hit])[0])
        return self.viewer


def _panel_toggle(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setCheckable(True)
    button.setChecked(True)
    button.setAutoRaise(True)
    return button
