"""Python's cycle collector, run on the GUI thread only.

CPython collects reference cycles in whichever thread happens to cross the allocation threshold. A job on a
pool thread (a rescan, a summary) would then destroy whatever Qt objects of the GUI thread sat in a cycle (the
wrappers of a closed window, a timer, a widget) from the wrong thread: Qt prints "Timers cannot be stopped from
another thread" and, now and then, the process dies of a segmentation fault. So automatic collection is off
while the application runs, and a GUI-thread timer collects instead, the generations the allocation counts
say are due (the same thresholds Python would use). Reference counting still frees everything not in a cycle
at once, on any thread.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    """Turns automatic collection off and collects on its own (GUI) thread's timer until ``stop``."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("guiThreadCollector")
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collection goes back to Python (on any thread)."""
        self._timer.stop()
        gc.enable()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold (none if none did); how many
        unreachable objects were found."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = [generation for generation in range(3) if counts[generation] > thresholds[generation]]
        if not due:
            return 0
        found = gc.collect(due[-1])
        log.debug("collected generation %d on the GUI thread: %d unreachable", due[-1], found)
        return found


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """The application's collector, started (made once, as a child of ``app``; asking again returns it)."""
    collector = app.findChild(GuiThreadCollector, "guiThreadCollector")
    if collector is None:
        collector = GuiThreadCollector(app)
    if not collector.running:
        collector.start()
    return collector
