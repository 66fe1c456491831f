"""The result pane: renders Markdown as it streams in, without re-rendering on every token."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextBlockFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

RENDER_INTERVAL_MS = 60
# How close to the end (in pixels) still counts as "at the bottom" for following the stream.
_BOTTOM_SLACK = 8
# Qt's Markdown import sets no space between paragraphs, headings and lists; reading prose needs some.
_LINE_HEIGHT_PERCENT = 130
_PARAGRAPH_GAP = 8
_LIST_ITEM_GAP = 2


class ResultView(QTextBrowser):
    """Accumulates Markdown deltas and re-renders at most every ``RENDER_INTERVAL_MS``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultView")
        self.setOpenLinks(False)  # Edgewise is offline: a link in a summary never opens anything
        self.setAcceptDrops(False)  # let drops reach the window, which opens the dropped file
        self.setPlaceholderText("The summary will appear here.")
        self.document().setDocumentMargin(14)
        self.document().setUndoRedoEnabled(False)  # re-rendered many times a second; nothing to undo
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.document().setDefaultFont(font)
        self._markdown = ""
        self._streaming = False
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_INTERVAL_MS)
        self._render_timer.timeout.connect(self._render)

    def plain_text(self) -> str:
        """The raw Markdown received so far, exactly as the model wrote it."""
        return self._markdown

    def begin_stream(self) -> None:
        """Start a new result: clears the pane and follows the text as it grows."""
        self.set_result("")
        self._streaming = True

    def append_delta(self, delta: str) -> None:
        self._markdown += delta
        if not self._render_timer.isActive():
            self._render_timer.start()

    def end_stream(self) -> None:
        """Render what arrived, now rather than at the next tick."""
        self._render_timer.stop()
        self._render()
        self._streaming = False

    def set_result(self, markdown: str) -> None:
        """Show a complete result at once (e.g. restoring the previous one)."""
        self._render_timer.stop()
        self._streaming = False
        self._markdown = markdown
        self._show(markdown)
        self.verticalScrollBar().setValue(0)

    def _render(self) -> None:
        bar = self.verticalScrollBar()
        follow = self._streaming and bar.value() >= bar.maximum() - _BOTTOM_SLACK
        previous = bar.value()
        self._show(self._markdown)
        bar.setValue(bar.maximum() if follow else previous)

    def _show(self, markdown: str) -> None:
        self.setMarkdown(markdown)
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        block = self.document().begin()
        while block.isValid():
            spacing = QTextBlockFormat()
            spacing.setLineHeight(_LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            spacing.setBottomMargin(_LIST_ITEM_GAP if block.textList() is not None else _PARAGRAPH_GAP)
            if block.blockFormat().headingLevel() and block.blockNumber() > 0:
                spacing.setTopMargin(_PARAGRAPH_GAP)
            cursor.setPosition(block.position())
            cursor.mergeBlockFormat(spacing)
            block = block.next()
        cursor.endEditBlock()
