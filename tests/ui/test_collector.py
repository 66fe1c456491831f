"""Reference cycles holding Qt objects are collected on the GUI thread, never on a job's thread."""

from __future__ import annotations

import gc
import threading
from typing import Any

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ui.application import create_application
from ui.collector import GuiThreadCollector, collect_on_gui_thread


class _CycleWithWidgets:
    """A window's worth of Qt objects kept only by a reference cycle, noting the thread that frees it."""

    freed_on: list[str] = []

    def __init__(self) -> None:
        self.me = self
        self.widget = QWidget()
        self.timer = QTimer()
        self.timer.start(60_000)

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


def _allocate_a_lot() -> None:
    """What a job does: keep far more new objects than the youngest generation's threshold (700)."""
    kept = [[number] for number in range(20_000)]
    assert len(kept) == 20_000


def test_a_job_thread_allocating_does_not_free_the_gui_threads_cycles_the_gui_thread_does(qtbot: Any) -> None:
    assert not gc.isenabled(), "the GUI tests run with collection on the GUI thread (tests/ui/conftest.py)"
    _CycleWithWidgets.freed_on = []
    for _ in range(20):
        _CycleWithWidgets()
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    done = threading.Event()
    pool.start(lambda: (_allocate_a_lot(), done.set()))
    assert done.wait(30)
    pool.waitForDone()

    assert _CycleWithWidgets.freed_on == [], "a pool thread freed GUI objects"

    kept = [[number] for number in range(20_000)]  # the GUI thread's allocations make a collection due
    qtbot.waitUntil(lambda: len(_CycleWithWidgets.freed_on) == 20, timeout=30_000)
    assert set(_CycleWithWidgets.freed_on) == {threading.main_thread().name}
    del kept


def test_collect_due_collects_nothing_below_the_thresholds_and_the_due_generation_above() -> None:
    collector = QApplication.instance().findChild(GuiThreadCollector, "guiThreadCollector")
    assert collector is not None
    gc.collect()
    _CycleWithWidgets.freed_on = []
    _CycleWithWidgets()
    assert collector.collect_due() == 0 and _CycleWithWidgets.freed_on == []

    junk = [[number] for number in range(gc.get_threshold()[0] + 10)]
    assert collector.collect_due() > 0
    assert _CycleWithWidgets.freed_on == [threading.main_thread().name]
    del junk


def test_the_application_collects_on_its_thread_and_asking_again_gives_the_same_collector() -> None:
    app = create_application([])
    collector = collect_on_gui_thread(app)
    assert collector.running and not gc.isenabled()
    assert collect_on_gui_thread(app) is collector
    assert app.findChildren(GuiThreadCollector) == [collector]


def test_stopping_gives_collection_back_to_python() -> None:
    app = QApplication.instance()
    collector = collect_on_gui_thread(app)
    collector.stop()
    try:
        assert gc.isenabled() and not collector.running
    finally:
        collect_on_gui_thread(app)
    assert not gc.isenabled()
