"""One memory budget for the engines a workspace loads: the language model(s), the embedder, whisper and the
language identifier.

Each engine says what it takes once loaded and when it is used (``Usage``). Two things follow: before an engine
loads, the least recently used idle ones are unloaded until it fits the budget; and engines idle for longer
than the ``memory.idle_minutes`` setting are unloaded (``IdleWatch``, a thread of the workspace), so a laptop
gets its memory back while the window stays open. An unloaded engine loads again on its next use, saying
"Loading …" as the first time. An engine in use is never unloaded; a job that starts while one unloads waits
for the unload to finish and then loads it again.

Time is monotonic seconds; tests pass ``now`` instead of waiting.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

#: Share of the computer's RAM the engines may take together.
BUDGET_SHARE = 0.5


class Usage:
    """How an engine is used: by how many jobs right now, and when it was last used. Thread-safe; a job holds
    it (``with engine.usage:``) for as long as it needs the engine loaded."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.users = 0
        self.last_used = clock()

    def __enter__(self) -> Usage:
        with self._lock:  # waits while an unload runs: the job then loads the engine again
            self.users += 1
            self.last_used = self._clock()
        return self

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self.users -= 1
            self.last_used = self._clock()

    def touch(self) -> None:
        with self._lock:
            self.last_used = self._clock()

    def idle_for(self, now: float) -> float | None:
        """Seconds since the last use at ``now``; None while in use."""
        with self._lock:
            return None if self.users else max(0.0, now - self.last_used)

    def unload_if_idle(self, now: float, idle_seconds: float, unload: Callable[[], bool]) -> bool:
        """Call ``unload`` if nobody uses the engine and nobody has for ``idle_seconds`` at ``now``; no job can
        start using it meanwhile. ``unload`` must not wait for a lock a job holds (it says False instead)."""
        with self._lock:
            if self.users or now - self.last_used < idle_seconds:
                return False
            return unload()


def free_unless_busy(lock: threading.Lock | threading.RLock, loaded: bool, free: Callable[[], None]) -> bool:
    """``free`` the engine's model if it is ``loaded`` and no call holds its ``lock`` (without waiting for
    it: a call holding it means the engine is in use); True when it was freed. Every engine's unload."""
    if not loaded or not lock.acquire(blocking=False):
        return False
    try:
        free()
        return True
    finally:
        lock.release()


class Engine(Protocol):
    """What the budget needs of an engine (LlmEngine; an EngineProcess: the embedder, whisper; the language
    identifier)."""

    budget: MemoryBudget | None

    @property
    def memory_label(self) -> str: ...  # "Qwen2.5-Coder-0.5B-Instruct Q4_K_M (language model)"

    @property
    def memory_estimate(self) -> int: ...  # bytes while loaded

    @property
    def is_loaded(self) -> bool: ...

    @property
    def usage(self) -> Usage: ...

    def unload_if_idle(self, now: float, idle_seconds: float) -> bool:
        """Free the memory if loaded, not in use and unused for ``idle_seconds`` at ``now``; True if freed."""
        ...


@dataclass(frozen=True)
class Resident:
    label: str
    estimate: int
    loaded: bool
    idle_seconds: float | None  # None while in use


class MemoryBudget:
    """The engines of a workspace and the memory (``limit`` bytes) they may take together."""

    def __init__(self, limit: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = budget_bytes() if limit is None else limit
        self.clock = clock  # the engines' usage records keep the same time
        self._engines: weakref.WeakSet[Engine] = weakref.WeakSet()
        self._lock = threading.RLock()

    def register(self, engine: Engine) -> None:
        """Count ``engine`` in this budget; it asks for room here before it loads."""
        with self._lock:
            self._engines.add(engine)
        engine.budget = self

    def engines(self) -> list[Engine]:
        with self._lock:
            return sorted(self._engines, key=lambda engine: engine.memory_label)

    def residents(self, now: float | None = None) -> list[Resident]:
        """Every engine of the budget, loaded or not, with how long it has been idle."""
        now = self.clock() if now is None else now
        return [
            Resident(engine.memory_label, engine.memory_estimate, engine.is_loaded, engine.usage.idle_for(now))
            for engine in self.engines()
        ]

    def loaded_bytes(self) -> int:
        return sum(engine.memory_estimate for engine in self.engines() if engine.is_loaded)

    def make_room(self, newcomer: Engine) -> list[str]:
        """Before ``newcomer`` loads: unload the least recently used idle engines until it fits the budget.
        Engines in use stay, even over the budget (the load goes ahead; the OS may swap)."""
        freed: list[str] = []
        with self._lock:
            while self.loaded_bytes() + newcomer.memory_estimate > self.limit:
                victim = self._least_recently_used(exclude=newcomer)
                if victim is None or not victim.unload_if_idle(self.clock(), 0.0):
                    break
                freed.append(victim.memory_label)
        if freed:
            log.info("unloaded %s to make room for %s", ", ".join(freed), newcomer.memory_label)
            release_freed_memory()
        return freed

    def _least_recently_used(self, exclude: Engine) -> Engine | None:
        """The loaded engine, other than ``exclude`` and not in use, unused for longest."""
        now = self.clock()
        idle = [(seconds, engine) for engine in self.engines()
                if engine is not exclude and engine.is_loaded and (seconds := engine.usage.idle_for(now)) is not None]
        return max(idle, key=lambda pair: pair[0])[1] if idle else None

    def unload_idle(self, idle_seconds: float, now: float | None = None) -> list[str]:
        """Unload the engines unused for ``idle_seconds`` at ``now`` (0 seconds: never); their labels."""
        if idle_seconds <= 0:
            return []
        now = self.clock() if now is None else now
        freed = [engine.memory_label for engine in self.engines() if engine.unload_if_idle(now, idle_seconds)]
        if freed:
            log.info("unloaded %s after %.0f s unused", ", ".join(freed), idle_seconds)
            release_freed_memory()
        return freed


class IdleWatch:
    """A thread that unloads idle engines: every ``interval`` seconds it calls ``check`` (a workspace's
    ``unload_idle``). A thread rather than a GUI timer, so an unload (joining the embedding process, freeing
    a model) never holds up the window, and the CLI or any other front end gets the same behaviour."""

    def __init__(self, check: Callable[[], object], interval: float) -> None:
        self._check = check
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="edgewise-idle-watch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._check()
            except Exception:  # an unload that fails must not end the watch; the next check tries again
                log.exception("idle unload failed")

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=30)


def release_freed_memory() -> None:
    """Collect what the unloaded engines left and hand the freed heap back to the OS (glibc keeps it
    otherwise, and the resident memory would not go down). An application that turned Python's automatic
    collection off collects on its own thread (the window: a collection on this thread, the idle watch's or a
    job's, would free its widgets here, ``ui/collector.py``); only that thread collects then. The engines free
    their models when closed, on whatever thread that is."""
    if gc.isenabled() or threading.current_thread() is threading.main_thread():
        gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, Windows): their allocators return memory themselves
        pass


def budget_bytes(total_ram: int | None = None) -> int:
    """The engines' budget: a share of the computer's RAM (the rest is the system's and the user's)."""
    if total_ram is None:
        from assistant.machine import detect_hardware

        total_ram = detect_hardware().ram_total
    return int(total_ram * BUDGET_SHARE)
