"""The summary panel: key points at once, the LLM summary streaming beside them, a Fast/Thorough choice, and
every figure the source does not back highlighted with a tooltip saying so.

Key points and the summary run on two JobRunners (ui/workers.py) so the key points never wait for the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.workers import JobRunner

UNSUPPORTED_TOOLTIP = "Not found in the source document: check this figure before acting on it."
# A light red background with dark text on it: readable in the light and the dark palette alike.
_HIGHLIGHT = QColor("#ffd7d0")
_HIGHLIGHT_TEXT = QColor("#4a0d04")
_MODE_KEY = "summary/thorough"


def unsupported_format(tooltip: str) -> QTextCharFormat:
    """How a figure the source does not back looks: marked, with the reason as its tooltip."""
    marked = QTextCharFormat()
    marked.setBackground(_HIGHLIGHT)
    marked.setForeground(_HIGHLIGHT_TEXT)
    marked.setToolTip(tooltip)
    marked.setProperty(QTextCharFormat.Property.UserProperty, "unsupported")
    return marked


def highlight_unsupported(view: QTextEdit, spans: Sequence[tuple[int, int, str]]) -> None:
    """Mark each (start, end, tooltip) span of the view's plain text: a red background and the tooltip."""
    for start, end, tooltip in spans:
        cursor = QTextCursor(view.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(unsupported_format(tooltip))


def unsupported_spans(view: QTextEdit) -> list[tuple[str, str]]:
    """(text, tooltip) of every highlighted span, read back from the document (what a person sees)."""
    found: list[tuple[str, str]] = []
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().property(QTextCharFormat.Property.UserProperty) == "unsupported":
                found.append((fragment.text(), fragment.charFormat().toolTip()))
            iterator += 1
        block = block.next()
    return found


class SummaryPanel(QWidget):
    """Shows one document's key points and summary. ``session`` is an assistant.session.Session."""

    key_points_shown = Signal(int)  # how many
    summary_finished = Signal(str)  # the summary's text, without the mode line
    figures_checked = Signal(int)  # how many unsupported

    def __init__(self, session: Any, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings or QSettings()
        self.document: Any = None
        self._report: Any = None
        self._key_runner = JobRunner(self)
        self._llm_runner = JobRunner(self)

        self.fast = QRadioButton("&Fast")
        self.fast.setToolTip("Summarise the most informative passages in one pass (long documents in about 2 min)")
        self.thorough = QRadioButton("&Thorough")
        self.thorough.setToolTip("Read every part of a long document and combine the notes (slower)")
        group = QButtonGroup(self)
        group.addButton(self.fast)
        group.addButton(self.thorough)
        (self.thorough if self.settings.value(_MODE_KEY, False, type=bool) else self.fast).setChecked(True)
        self.thorough.toggled.connect(lambda on: self.settings.setValue(_MODE_KEY, on))
        self.stop = QPushButton("Stop")
        self.stop.setEnabled(False)
        self.stop.clicked.connect(self._llm_runner.cancel)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._llm_runner.cancel)
        self.status = QLabel()

        self.key_points = QListWidget()
        self.key_points.setWordWrap(True)
        self.key_points.setAccessibleName("Key points")
        self.summary = QTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setAccessibleName("Summary")

        choice = QHBoxLayout()
        choice.addWidget(QLabel("Mode:"))
        choice.addWidget(self.fast)
        choice.addWidget(self.thorough)
        choice.addStretch(1)
        choice.addWidget(self.stop)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Key points (from the document itself)"))
        left_layout.addWidget(self.key_points)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Summary (AI-generated: check it against the source)"))
        right_layout.addWidget(self.summary)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addLayout(choice)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        self._key_runner.finished.connect(self._show_key_points)
        self._key_runner.failed.connect(lambda message: self.status.setText(message))
        self._llm_runner.text.connect(self._append)
        self._llm_runner.progress.connect(self._progress)
        self._llm_runner.finished.connect(self._summary_done)
        self._llm_runner.failed.connect(self._summary_failed)
        self._llm_runner.cancelled.connect(lambda: self.status.setText("Stopped."))
        self._llm_runner.running_changed.connect(self.stop.setEnabled)

    @property
    def is_thorough(self) -> bool:
        return self.thorough.isChecked()

    def show_document(self, document: Any, length: str = "brief") -> None:
        """Key points now, the summary as it streams; any previous run is superseded."""
        from assistant.keypoints import key_points  # numpy only: no heavy ML import
        from assistant.summarize import SummaryReport

        self.document = document
        self.key_points.clear()
        self.summary.clear()
        self.status.setText("Finding key points …")
        self._key_runner.start(lambda _progress, _cancel: key_points(document))
        report = SummaryReport()
        self._report = report
        thorough = self.is_thorough
        job: Callable[..., Any] = lambda progress, cancel: self.session.summarize(  # noqa: E731
            document, length, progress=progress, cancel=cancel, thorough=thorough, report=report
        )
        self._llm_runner.start(job)

    def shutdown(self) -> None:
        self._key_runner.shutdown()
        self._llm_runner.shutdown()

    @Slot(object)
    def _show_key_points(self, points: list[Any]) -> None:
        for point in points:
            item = QListWidgetItem(point.line())
            item.setToolTip(f"Page {point.page}" if point.page is not None else "")
            self.key_points.addItem(item)
        self.key_points_shown.emit(len(points))

    @Slot(str)
    def _append(self, delta: str) -> None:
        cursor = self.summary.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(delta, QTextCharFormat())

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, message: str) -> None:
        self.status.setText(f"{message} {done}/{total}" if total else message)

    @Slot(object)
    def _summary_done(self, text: object) -> None:
        from assistant.figures import check_text
        from assistant.summarize import strip_footer

        body = strip_footer(str(text), self._report).rstrip()
        flagged = check_text(body, self.document.text)
        highlight_unsupported(self.summary, [(u.figure.start, u.figure.end, UNSUPPORTED_TOOLTIP) for u in flagged])
        if flagged:
            figures = ", ".join(u.figure.text for u in flagged)
            self.status.setText(f"{len(flagged)} figure(s) not found in the source: {figures}")
        else:
            self.status.setText("Every figure of the summary is found in the source.")
        self.figures_checked.emit(len(flagged))
        self.summary_finished.emit(body)

    @Slot(str)
    def _summary_failed(self, message: str) -> None:
        self.status.setText(message)
