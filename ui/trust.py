"""What the main window shows for trustworthy summaries: a Key points dock filled as soon as a document is open,
a Fast/Thorough choice for summaries (remembered), and the figures of a result that the source does not back
highlighted in the result pane with a tooltip saying so (also in the chat transcript: ``mark_tooltips``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument, QTextFragment
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QTextEdit,
)

from ui.job_runner import JobRunner
from ui.window_state import WindowState

if TYPE_CHECKING:
    from assistant.documents import Document
    from assistant.trust.keypoints import KeyPoint

UNSUPPORTED_TOOLTIP = "Not found in the source document: check this figure before acting on it."
OUTCOME_TOOLTIP = "The source document does not back this outcome ({reason}): check it before acting on it."
# A light red background with dark text on it: readable in the light and the dark palette alike.
HIGHLIGHT = QColor("#ffd7d0")
HIGHLIGHT_TEXT = QColor("#4a0d04")


def unsupported_format(tooltip: str) -> QTextCharFormat:
    """How a figure the source does not back looks: marked, with the reason as its tooltip."""
    marked = QTextCharFormat()
    marked.setBackground(HIGHLIGHT)
    marked.setForeground(HIGHLIGHT_TEXT)
    marked.setToolTip(tooltip)
    marked.setProperty(QTextCharFormat.Property.UserProperty, "unsupported")
    return marked


def _fragments(view: QTextEdit) -> Iterator[QTextFragment]:
    """Every run of text with one format in the view's document, in order."""
    block = view.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            yield iterator.fragment()
            iterator += 1
        block = block.next()


def mark_tooltips(view: QTextEdit, tooltip: str) -> None:
    """Give every span coloured like a marked figure (written as HTML) the mark's property and its tooltip: the
    one its HTML title gave it, else ``tooltip``."""
    spans = [
        (fragment.position(), fragment.position() + fragment.length(), fragment.charFormat().toolTip() or tooltip)
        for fragment in _fragments(view)
        if fragment.charFormat().background().color() == HIGHLIGHT
    ]
    for start, end, tip in spans:
        cursor = QTextCursor(view.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(unsupported_format(tip))


def unsupported_spans(view: QTextEdit) -> list[tuple[str, str]]:
    """(text, tooltip) of every highlighted span, read back from the document (what a person sees)."""
    return [
        (fragment.text(), fragment.charFormat().toolTip())
        for fragment in _fragments(view)
        if fragment.charFormat().property(QTextCharFormat.Property.UserProperty) == "unsupported"
    ]


def _find_flags(figure: str) -> QTextDocument.FindFlag:
    """Case-sensitive; a number word ('two') only as a whole word, not inside 'between' or 'network'."""
    flags = QTextDocument.FindFlag.FindCaseSensitively
    return flags | QTextDocument.FindFlag.FindWholeWords if figure.replace("-", "").isalpha() else flags


def mark_figures(view: QTextEdit, figures: list[str], tooltip: str = UNSUPPORTED_TOOLTIP, until: str = "") -> int:
    """Highlight every occurrence of each figure in the view's rendered text, up to the text ``until`` when it is
    there (the quotes from the source under a summary are not checked); returns how many were marked."""
    marked = 0
    document = view.document()
    heading = document.find(until) if until else QTextCursor()
    end = None if heading.isNull() else heading.selectionStart()
    for figure in dict.fromkeys(figures):
        cursor = QTextCursor(document)
        while True:
            cursor = document.find(figure, cursor, _find_flags(figure))
            if cursor.isNull() or end is not None and cursor.selectionStart() >= end:
                break
            cursor.mergeCharFormat(unsupported_format(tooltip))
            marked += 1
    return marked


def point_text(point: KeyPoint) -> str:
    """The point with its page marker held to its last word, so "(p. 1)" never wraps onto a line of its own."""
    if point.page is None:
        return point.text
    # A piece cut from a longer sentence ends in " …": the mark stays with the word before it too.
    text = point.text[:-2] + "\u00a0…" if point.text.endswith(" …") else point.text
    return f"{text}\u00a0(p.\u00a0{point.page})"


def mark_occurrence(view: QTextEdit, text: str, nth: int, tooltip: str, until: str = "") -> bool:
    """Highlight the ``nth`` occurrence (from 0) of ``text`` in the view's rendered text, before ``until``: an
    outcome word is flagged in one sentence, not wherever it is written. Returns whether it was found."""
    document = view.document()
    heading = document.find(until) if until else QTextCursor()
    end = None if heading.isNull() else heading.selectionStart()
    cursor = QTextCursor(document)
    for _ in range(nth + 1):
        cursor = document.find(text, cursor, _find_flags(text))
        if cursor.isNull() or end is not None and cursor.selectionStart() >= end:
            return False
    cursor.mergeCharFormat(unsupported_format(tooltip))
    return True


class KeyPointsDock(QDockWidget):
    """The document's key sentences with their pages, computed without the LLM on their own worker."""

    shown = Signal(int)

    def __init__(self, parent: QMainWindow) -> None:
        super().__init__("Key points", parent)
        self.setObjectName("keyPointsDock")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Key points")
        self.list.setToolTip("Sentences taken from the document itself (no AI), with their page numbers")
        self.list.setMinimumWidth(240)
        # A gap between points, so each reads as one. Not the view's spacing: Qt wraps the text for a size hint as
        # if the spacing were not there, and a point whose last line then had no room was cut to "…" with its page.
        self.list.setStyleSheet("QListWidget::item { padding: 2px 0 6px 0; }")  # vertical only: the same trouble
        self.list.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrapped when the dock is resized
        self.setWidget(self.list)
        self._runner = JobRunner(self)

    def show_document(self, document: Document) -> None:
        from assistant.writing.summary.fields import key_points  # numpy only

        self.list.clear()
        self.list.addItem("Finding key points …")
        self.show()  # hidden until there is a document to take key points from
        self._runner.start(lambda *, progress, cancel: key_points(document), on_finished=self._show)

    def _show(self, points: list[KeyPoint]) -> None:
        self.list.clear()
        for point in points:
            item = QListWidgetItem(f"• {point_text(point)}")
            self.list.addItem(item)
        if not self.list.count():
            self.list.addItem("No key sentences found.")
        self.shown.emit(self.list.count())

    def shutdown(self) -> None:
        self._runner.shutdown()


class Trust(QObject):
    """What the window shows for trustworthy summaries: the Fast/Thorough choice (for its toolbar), the Key points
    dock, and the figure check of a finished result. The window places the parts and calls the hooks below."""

    def __init__(self, state: WindowState, window: QMainWindow) -> None:
        super().__init__(window)
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("summaryModeCombo")
        self.mode_combo.addItem("Fast", False)
        self.mode_combo.addItem("Thorough", True)
        self.mode_combo.setAccessibleName("Summary mode")
        self.mode_combo.setToolTip(
            "Fast: the most informative passages of a long document in one pass.\n"
            "Thorough: every part read and combined (slower)."
        )
        self.mode_combo.setCurrentIndex(1 if state.thorough else 0)
        self.mode_combo.currentIndexChanged.connect(lambda _i: setattr(state, "thorough", self.thorough))
        self.dock = KeyPointsDock(window)
        self.dock.hide()
        self.unsupported: list[str] = []
        self.outcomes: list[tuple[str, str]] = []  # (text as written, why it is flagged)

    @property
    def thorough(self) -> bool:
        return bool(self.mode_combo.currentData())

    # -- hooks ---------------------------------------------------------------------------------
    def document_shown(self, document: Document) -> None:
        self.dock.show_document(document)

    def result_ready(self, task: str, document: Document, text: str, view: QTextEdit) -> str:
        """Check the result's figures, highlight those not backed; returns a status note ('' when all are)."""
        from assistant.trust.checks import check_document_summary, check_translated
        from assistant.writing.summary.present import QUOTES_HEADING, checked_part, split_mode_line

        until = ""
        body = text
        if task == "summary":
            body, _mode = split_mode_line(text)
            checked = check_document_summary(checked_part(body), document)
            until = QUOTES_HEADING
        else:
            from assistant.writing.translate import translation_units

            checked = check_translated([u.text for u in translation_units(document)], text)
        flagged = checked.figures
        self.unsupported = [u.figure.text for u in flagged if u.in_output]
        self.outcomes = [(flag.text, flag.reason) for flag in checked.outcomes]
        lost = [u.figure.text for u in flagged if not u.in_output]
        mark_figures(view, self.unsupported, until=until)
        for flag in checked.outcomes:  # the flagged occurrence only: the same word may be backed elsewhere
            nth = _occurrences(flag.text, body[: flag.start])
            mark_occurrence(view, flag.text, nth, OUTCOME_TOOLTIP.format(reason=flag.reason), until=until)
        notes = []
        if self.unsupported:
            notes.append(f"{len(self.unsupported)} figure(s) not found in the source: {', '.join(self.unsupported)}")
        if checked.ocr_note:
            notes.append(checked.ocr_note)
        if self.outcomes:
            listed = ", ".join(f"“{text}” ({reason})" for text, reason in self.outcomes)
            notes.append(f"{len(self.outcomes)} outcome(s) the source does not back: {listed}")
        if lost:
            notes.append(f"{len(lost)} figure(s) of the source missing from the translation: {', '.join(lost)}")
        return " · ".join(notes)


def _occurrences(word: str, text: str) -> int:
    """How many times ``word`` occurs in ``text`` the way the view's search finds it (see ``_find_flags``)."""
    bound = r"\b" if word.replace("-", "").isalpha() else ""
    return len(re.findall(bound + re.escape(word) + bound, text))
