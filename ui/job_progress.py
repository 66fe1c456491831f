"""The one progress display every view uses: a status line, a progress bar and (where the view has no Stop of
its own) a Stop button. It follows any ``JobRunner``: busy while the amount of work is unknown ("Loading model
…"), then how far along, and gone as soon as no job runs, however the job ended (finished, failed, stopped).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui.job_runner import JobRunner

#: How a bar labels ``done`` of ``total``: Qt's format placeholders (``%p``) or plain text.
BarFormat = Callable[[int, int], str]
_BAR_LIMIT = 2**31 - 1


def percent(_done: int, _total: int) -> str:
    return "%p %"


class JobProgress(QWidget):
    """``follow(runner)`` once per runner of the view; ``set_status`` for messages between jobs."""

    def __init__(self, parent: QWidget | None = None, *, stop_button: bool = False, bar_width: int = 0) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("statusText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setObjectName("jobProgress")
        self.bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if bar_width:
            self.bar.setMaximumWidth(bar_width)
            self.bar.setMinimumWidth(bar_width * 2 // 3)
        self.bar.hide()
        self.stop_button = QPushButton("Stop") if stop_button else None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        if self.stop_button is not None:
            self.stop_button.hide()
            layout.addWidget(self.stop_button)
        self._running: set[JobRunner] = set()

    def follow(self, runner: JobRunner, bar_format: BarFormat = percent) -> None:
        """Show ``runner``'s progress (its bar labelled by ``bar_format``) while it runs; Stop cancels it."""
        runner.progress.connect(lambda done, total, message: self.show_progress(done, total, message, bar_format))
        runner.running_changed.connect(lambda running: self._running_changed(runner, running))
        if self.stop_button is not None:
            self.stop_button.clicked.connect(runner.cancel)

    def status(self) -> str:
        return self.label.text()

    def set_status(self, message: str) -> None:
        self.label.setText(message)

    def show_progress(self, done: int, total: int, message: str, bar_format: BarFormat = percent) -> None:
        """Busy (amount unknown) when ``total`` is 0, else ``done`` of ``total``; ``message`` in the status line."""
        if total <= 0:
            self.bar.setRange(0, 0)
            self.bar.setTextVisible(False)
        else:
            # The core counts parts, paragraphs, tokens or seconds; its message names the unit
            # ("Summarising part 3 of 12"), so the bar only shows how far along it is.
            self.bar.setFormat(bar_format(done, total))
            if total > _BAR_LIMIT:  # bytes of a large model: the bar holds 32-bit values
                done, total = done * 1000 // total, 1000
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.bar.setTextVisible(True)
            message = message or f"Part {done} of {total}"
        self.bar.show()
        self.set_status(message)

    def _running_changed(self, runner: JobRunner, running: bool) -> None:
        if running:
            self._running.add(runner)
            self.bar.setRange(0, 0)  # busy until the job says how much there is
            self.bar.setTextVisible(False)
            self.bar.show()
        else:
            self._running.discard(runner)
        if not self._running:
            self.bar.hide()
        if self.stop_button is not None:
            self.stop_button.setVisible(bool(self._running))
