"""The empty-state drop area, and the one rule every drop target in the window follows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

ONE_FILE_AT_A_TIME = "Drop one file at a time."


def dropped_local_files(mime: QMimeData) -> list[Path]:
    """The local files named by a drag; remote URLs are ignored."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def accepts_drag(event: QDragEnterEvent) -> bool:
    """Accept any drag carrying local files: the reader, not the drop target, judges the format."""
    if dropped_local_files(event.mimeData()):
        event.acceptProposedAction()
        return True
    event.ignore()
    return False


def deliver_drop(event: QDropEvent, open_file: Callable[[Path], object], complain: Callable[[str], object]) -> None:
    """The document drop rule: one local file is opened, several are refused with a message, the rest ignored."""
    paths = dropped_local_files(event.mimeData())
    if not paths:
        event.ignore()
        return
    event.acceptProposedAction()
    if len(paths) > 1:
        complain(ONE_FILE_AT_A_TIME)
    else:
        open_file(paths[0])


class DropZone(QFrame):
    """A large target reading what Edgewise can open; clicking it asks for a file instead."""

    file_dropped = Signal(Path)
    message = Signal(str)
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setProperty("dragActive", False)
        self.setMinimumSize(360, 220)

        title = QLabel("Drop a PDF, Word, OpenDocument, text or HTML file")
        title.setObjectName("dropZoneTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        title.setFont(font)

        hint = QLabel("or press Ctrl+O to open one · Ctrl+Shift+V to paste text")
        hint.setObjectName("dropZoneHint")
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, in light and dark palettes
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(12)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.setAccessibleName("Drop a document here")

    @property
    def drag_active(self) -> bool:
        return bool(self.property("dragActive"))

    def _set_drag_active(self, active: bool) -> None:
        self.setProperty("dragActive", active)
        # Re-polish so the style sheet's [dragActive="true"] rule applies.
        self.style().unpolish(self)
        self.style().polish(self)
        self.update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if accepts_drag(event):
            self._set_drag_active(len(dropped_local_files(event.mimeData())) == 1)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drag_active(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_drag_active(False)
        deliver_drop(event, self.file_dropped.emit, self.message.emit)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.open_requested.emit()
        super().mouseReleaseEvent(event)
