"""A dismissible strip that tells the person, in plain words, what went wrong."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

# (background, border, text) chosen for a contrast ratio above 7:1 on each palette.
_LIGHT = ("#fdecea", "#f1aeb5", "#5f1313")
_DARK = ("#4a1c1c", "#8c3a3a", "#ffdad6")


class ErrorBanner(QFrame):
    """Hidden until ``show_error``; the close button hides it again."""

    shown = Signal(str)  # the message, each time one is shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self._label = QLabel()
        self._label.setObjectName("errorText")
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._close = QToolButton()
        self._close.setObjectName("errorClose")
        self._close.setText("✕")
        self._close.setToolTip("Dismiss")
        self._close.setAccessibleName("Dismiss error")
        self._close.setAutoRaise(True)
        self._close.clicked.connect(self.hide)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 6, 8)
        layout.setSpacing(8)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        self._apply_colours()
        self.hide()

    def text(self) -> str:
        return self._label.text()

    def show_error(self, message: str) -> None:
        self._label.setText(message)
        self.setAccessibleDescription(message)
        self.show()
        self.shown.emit(message)

    def clear(self) -> None:
        self._label.clear()
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colours()
        super().changeEvent(event)

    def _apply_colours(self) -> None:
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        background, border, text = _DARK if dark else _LIGHT
        style = (
            f"#errorBanner {{ background: {background}; border: 1px solid {border}; border-radius: 6px; }}"
            f"#errorText, #errorClose {{ color: {text}; background: transparent; border: none; }}"
        )
        if self.styleSheet() != style:  # setStyleSheet itself triggers a PaletteChange
            self.setStyleSheet(style)
