"""Runs core jobs off the GUI thread, one at a time, and turns what they report into Qt signals.

A job is any callable taking keyword-only ``progress`` and ``cancel`` (``functools.partial(workspace.summarize,
document)`` is one). It returns either a generator (the contract of ``assistant.jobs``: its items are emitted
through ``item`` as they come, its return value through ``finished``) or a plain result (through ``finished``).
Each ``start`` may also name typed handlers for that job's items and result, so a view never tells jobs apart
by a tag or unpacks a tuple.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from assistant.errors import EdgewiseError
from assistant.jobs import Cancelled, CancelToken

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")

_PROGRESS, _ITEM, _FINISHED, _FAILED, _CANCELLED = "progress", "item", "finished", "failed", "cancelled"


def user_message(error: BaseException) -> str:
    """What a person is told about ``error``: our own message, or one plain line for the unexpected."""
    if isinstance(error, EdgewiseError):
        return str(error)
    first_line = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    return f"Something went wrong: {first_line or type(error).__name__}"


class _Relay(QObject):
    """Carries events from worker threads to the runner.

    It has no parent and every running job holds a reference, so it outlives a window that is
    destroyed while a job is still finishing; Qt drops the connection when the runner goes away.
    """

    happened = Signal(int, str, object)  # job id, kind, payload


@dataclass
class _Handlers:
    on_item: Callable[[Any], object] | None
    on_finished: Callable[[Any], object] | None
    on_cancelled: Callable[[], object] | None


class _RunningJob:
    """One job's run on a pool thread; every outcome is reported through the relay."""

    def __init__(self, job_id: int, fn: Callable[..., Any], handlers: _Handlers, relay: _Relay) -> None:
        self.job_id = job_id
        self.fn = fn
        self.handlers = handlers
        self.token = CancelToken()
        self.relay = relay

    def _emit(self, kind: str, payload: object = None) -> None:
        self.relay.happened.emit(self.job_id, kind, payload)

    def _progress(self, done: int, total: int, message: str) -> None:
        self._emit(_PROGRESS, (done, total, message))

    def run(self) -> None:
        try:
            if self.token.cancelled:  # superseded while it waited for the pool
                self._emit(_CANCELLED)
                return
            result = self.fn(progress=self._progress, cancel=self.token)
            if isinstance(result, Generator):
                result = self._drain(result)
        except Cancelled:
            self._emit(_CANCELLED)
        except Exception as error:  # noqa: BLE001 - every failure must reach the window, not the thread
            if not isinstance(error, EdgewiseError):
                log.exception("Job failed unexpectedly")
            self._emit(_CANCELLED if self.token.cancelled else _FAILED, user_message(error))
        else:
            self._emit(_CANCELLED if self.token.cancelled else _FINISHED, result)

    def _drain(self, job: Generator[Any, None, Any]) -> Any:
        """Emit each item until the job returns; stop asking for more once the job is cancelled."""
        try:
            while not self.token.cancelled:
                try:
                    item = next(job)
                except StopIteration as end:
                    return end.value
                if not (isinstance(item, str) and not item):  # an empty text delta says nothing
                    self._emit(_ITEM, item)
            return None
        finally:
            job.close()  # lets a generator release the model promptly when we stop early


class JobRunner(QObject):
    """Runs one job at a time on its own single-thread pool and re-emits its events in the GUI thread.

    ``start`` supersedes the running job: it is cancelled silently and its late events are dropped.
    ``cancel`` (the Stop button) emits ``cancelled`` at once, even if the core needs a moment to notice.
    The single thread guarantees that a superseded LLM job has ended before the next one begins.
    A job's own handlers run before the runner's ``item`` and ``finished`` signals.
    ``shutdown`` is final: a start queued before it (a timer of a window closed before its first event loop
    turn) starts nothing, so no job runs on while the objects it reports to are destroyed.
    """

    progress = Signal(int, int, str)
    item = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.happened.connect(self._on_event)
        self._ids = itertools.count(1)
        self._current: _RunningJob | None = None
        self._shut_down = False
        # Jobs handed to the pool, kept alive until they report their end.
        self._alive: dict[int, _RunningJob] = {}

    @property
    def is_running(self) -> bool:
        return self._current is not None

    def is_idle(self) -> bool:
        """True when no job, current or superseded, is still executing on the pool."""
        return not self._alive

    @overload
    def start(
        self,
        job: Callable[..., Generator[Item, None, Result]],
        *,
        on_item: Callable[[Item], object] | None = None,
        on_finished: Callable[[Result], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
    ) -> None: ...

    @overload
    def start(
        self,
        job: Callable[..., Result],
        *,
        on_finished: Callable[[Result], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
    ) -> None: ...

    def start(
        self,
        job: Callable[..., Any],
        *,
        on_item: Callable[[Any], object] | None = None,
        on_finished: Callable[[Any], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
    ) -> None:
        """Run ``job(progress=..., cancel=...)`` after cancelling whatever is running now. The handlers are
        this job's: ``on_item`` for each item, ``on_finished`` for its result, ``on_cancelled`` when it is
        stopped (not when a newer job supersedes it). After ``shutdown`` it does nothing."""
        if self._shut_down:
            log.debug("job runner shut down; %r not started", job)
            return
        was_running = self._current is not None
        self._supersede()
        running = _RunningJob(next(self._ids), job, _Handlers(on_item, on_finished, on_cancelled), self._relay)
        self._current = running
        self._alive[running.job_id] = running
        self._pool.start(running.run)
        if not was_running:
            self.running_changed.emit(True)

    def cancel(self) -> None:
        """Stop the current job; ``cancelled`` is emitted now and its remaining events are dropped."""
        current = self._current
        if current is None:
            return
        self._supersede()
        self.running_changed.emit(False)
        if current.handlers.on_cancelled is not None:
            current.handlers.on_cancelled()
        self.cancelled.emit()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Cancel everything, start nothing more, and wait up to ``timeout_ms`` for the pool; True if it is
        idle."""
        self._shut_down = True
        self._supersede()
        for job in self._alive.values():
            job.token.cancel()
        return self._pool.waitForDone(timeout_ms)

    def _supersede(self) -> None:
        if self._current is not None:
            self._current.token.cancel()
            self._current = None

    @Slot(int, str, object)
    def _on_event(self, job_id: int, kind: str, payload: object) -> None:
        terminal = kind in (_FINISHED, _FAILED, _CANCELLED)
        if terminal:
            self._alive.pop(job_id, None)
        current = self._current
        if current is None or job_id != current.job_id:
            return  # a superseded or stopped job: nobody is waiting for it any more
        if kind == _PROGRESS:
            assert isinstance(payload, tuple)
            self.progress.emit(*payload)
        elif kind == _ITEM:
            if current.handlers.on_item is not None:
                current.handlers.on_item(payload)
            self.item.emit(payload)
        else:
            self._current = None
            self.running_changed.emit(False)
            if kind == _FINISHED:
                if current.handlers.on_finished is not None:
                    current.handlers.on_finished(payload)
                self.finished.emit(payload)
            elif kind == _FAILED:
                self.failed.emit(payload)
            else:
                if current.handlers.on_cancelled is not None:
                    current.handlers.on_cancelled()
                self.cancelled.emit()
