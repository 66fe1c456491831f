"""One memory budget across the engines: idle ones are unloaded after the set time and load again on their next
use, the least recently used make room for a new one, and an engine in use is never unloaded. Time is a clock
the test advances, never a wait (the idle watch's thread is proved with a 0.1 s idle time and a wait on the
unload itself)."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from assistant.models.memory import IdleWatch, MemoryBudget, Usage, budget_bytes, release_freed_memory
from assistant.settings import SettingError, Settings

MIB = 2**20


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeEngine:
    """An engine as the budget sees it: a size, a usage record, and an unload that counts."""

    def __init__(self, budget: MemoryBudget, label: str, size: int, clock: Clock) -> None:
        self.memory_label = label
        self.memory_estimate = size
        self.usage = Usage(clock)
        self.budget: MemoryBudget | None = None
        self.is_loaded = False
        self.unloads = 0
        self.unloaded = threading.Event()
        budget.register(self)

    def load(self) -> None:
        assert self.budget is not None
        self.budget.make_room(self)
        self.is_loaded = True
        self.usage.touch()

    def unload_if_idle(self, now: float, idle_seconds: float) -> bool:
        return self.usage.unload_if_idle(now, idle_seconds, self._unload)

    def _unload(self) -> bool:
        if not self.is_loaded:
            return False
        self.is_loaded = False
        self.unloads += 1
        self.unloaded.set()
        return True


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def budget(clock: Clock) -> MemoryBudget:
    return MemoryBudget(limit=4096 * MIB, clock=clock)


def test_an_engine_idle_for_the_set_time_is_unloaded_and_one_used_since_stays(budget, clock) -> None:
    llm, speech = FakeEngine(budget, "llm", 600 * MIB, clock), FakeEngine(budget, "speech", 250 * MIB, clock)
    llm.load()
    speech.load()
    clock.now += 9 * 60
    with speech.usage:
        pass  # dictated a sentence
    assert budget.unload_idle(10 * 60) == []
    clock.now += 61
    assert budget.unload_idle(10 * 60) == ["llm"]  # ten minutes and one second since its last use
    assert (llm.is_loaded, speech.is_loaded) == (False, True)
    assert [(r.label, r.loaded) for r in budget.residents()] == [("llm", False), ("speech", True)]
    assert budget.loaded_bytes() == 250 * MIB


def test_an_engine_in_use_is_never_unloaded_however_long_the_job(budget, clock) -> None:
    llm = FakeEngine(budget, "llm", 600 * MIB, clock)
    llm.load()
    with llm.usage:  # a thorough summary of a long thesis
        clock.now += 3 * 60 * 60
        assert budget.unload_idle(10 * 60) == []
        assert budget.residents()[0].idle_seconds is None
    assert budget.unload_idle(10 * 60) == []  # the idle time counts from the end of the job
    clock.now += 10 * 60
    assert budget.unload_idle(10 * 60) == ["llm"]


def test_zero_minutes_means_never(budget, clock) -> None:
    llm = FakeEngine(budget, "llm", 600 * MIB, clock)
    llm.load()
    clock.now += 24 * 60 * 60
    assert budget.unload_idle(0) == []
    assert llm.is_loaded


def test_a_new_engine_that_would_not_fit_unloads_the_least_recently_used_idle_ones_first(clock) -> None:
    budget = MemoryBudget(limit=1000 * MIB, clock=clock)
    embeddings = FakeEngine(budget, "embeddings", 500 * MIB, clock)
    speech = FakeEngine(budget, "speech", 300 * MIB, clock)
    llm = FakeEngine(budget, "llm", 600 * MIB, clock)
    embeddings.load()
    clock.now += 60
    speech.load()
    clock.now += 60
    llm.load()  # 1,400 MiB would not fit: the embedder, used longest ago, makes room, and that is enough
    assert (embeddings.is_loaded, speech.is_loaded, llm.is_loaded) == (False, True, True)
    assert budget.loaded_bytes() == 900 * MIB


def test_an_engine_in_use_does_not_make_room_even_over_budget(clock) -> None:
    budget = MemoryBudget(limit=1000 * MIB, clock=clock)
    embeddings, llm = FakeEngine(budget, "embeddings", 500 * MIB, clock), FakeEngine(budget, "llm", 600 * MIB, clock)
    embeddings.load()
    with embeddings.usage:  # indexing a folder
        llm.load()
        assert embeddings.is_loaded and llm.is_loaded


def test_a_job_starting_while_an_engine_unloads_waits_for_the_unload_to_finish() -> None:
    usage = Usage()
    order: list[str] = []
    unloading, finish = threading.Event(), threading.Event()

    def slow_unload() -> bool:
        order.append("unload started")
        unloading.set()
        finish.wait(30)
        order.append("unload finished")
        return True

    unloader = threading.Thread(target=usage.unload_if_idle, args=(usage.last_used + 1, 0.5, slow_unload))
    unloader.start()
    assert unloading.wait(30)

    def job() -> None:
        with usage:
            order.append("job")

    starter = threading.Thread(target=job)
    starter.start()
    starter.join(0.2)
    assert starter.is_alive()  # held back while the unload runs
    finish.set()
    unloader.join(30)
    starter.join(30)
    assert order == ["unload started", "unload finished", "job"]


def test_the_idle_watch_unloads_an_engine_in_its_own_thread(budget, clock) -> None:
    llm = FakeEngine(budget, "llm", 600 * MIB, clock)
    llm.load()
    clock.now += 0.1
    watch = IdleWatch(lambda: budget.unload_idle(0.1), interval=0.02)
    try:
        assert llm.unloaded.wait(30)
    finally:
        watch.stop()
    assert not watch.running and not llm.is_loaded and llm.unloads == 1


def test_the_budget_is_half_the_ram() -> None:
    assert budget_bytes(total_ram=8 * 1024 * MIB) == 4 * 1024 * MIB
    assert MemoryBudget().limit > 0  # the probe of this computer


def test_the_idle_time_setting_round_trips_and_refuses_nonsense(data_dir: Path) -> None:
    settings = Settings(data_dir)
    assert settings.get("memory.idle_minutes") == 10
    settings.set_text("memory.idle_minutes", "3")
    assert Settings(data_dir).get("memory.idle_minutes") == 3
    for bad in ("-1", "soon", str(24 * 60 + 1)):
        with pytest.raises(SettingError):
            settings.set_text("memory.idle_minutes", bad)
    assert Settings(data_dir).get("memory.idle_minutes") == 3



def test_a_workspace_unloads_its_engines_idle_for_the_time_set(data_dir: Path, clock) -> None:
    from assistant.workspace import Workspace

    workspace = Workspace(data_dir)
    try:
        workspace.memory = MemoryBudget(limit=4096 * MIB, clock=clock)
        llm = FakeEngine(workspace.memory, "llm", 600 * MIB, clock)
        llm.load()
        workspace.settings.set("memory.idle_minutes", 2)
        assert workspace.unload_idle(now=clock.now + 119) == []
        assert workspace.unload_idle(now=clock.now + 121) == ["llm"]
        workspace.settings.set("memory.idle_minutes", 0)
        llm.load()
        assert workspace.unload_idle(now=clock.now + 10**6) == []
    finally:
        workspace.close()


class _Cycle:
    """Garbage only a cycle collection frees, noting the thread that frees it."""

    freed_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


def _release_on_a_thread() -> None:
    worker = threading.Thread(target=release_freed_memory, name="unloading")
    worker.start()
    worker.join()


def test_releasing_memory_off_the_main_thread_collects_only_where_python_collects_on_its_own() -> None:
    """With automatic collection on (the CLI) any thread's release collects; with it off (the window collects on its
    own thread, ui/collector.py) the idle watch's or a job's release leaves the collection to the main thread."""
    gc.collect()  # nothing pending: no automatic collection comes before the release's
    _Cycle.freed_on = []
    _Cycle()
    _release_on_a_thread()
    assert _Cycle.freed_on == ["unloading"]
    gc.disable()
    try:
        _Cycle.freed_on = []
        _Cycle()
        _release_on_a_thread()
        assert _Cycle.freed_on == []
        release_freed_memory()
        assert _Cycle.freed_on == [threading.main_thread().name]
    finally:
        gc.enable()
