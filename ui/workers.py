"""Runs core jobs off the GUI thread, one at a time, and turns their callbacks into Qt signals.

A job is any callable ``fn(progress, cancel)`` returning either an iterator of text deltas (streamed
through ``text``) or a plain result (delivered through ``finished``).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from assistant.errors import EdgewiseError
from assistant.jobs import Cancelled, CancelToken, ProgressCallback

log = logging.getLogger(__name__)

Job = Callable[[ProgressCallback, CancelToken], Any]

_PROGRESS, _TEXT, _FINISHED, _FAILED, _CANCELLED = "progress", "text", "finished", "failed", "cancelled"


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


class _RunningJob:
    """One job's run on a pool thread; every outcome is reported through the relay."""

    def __init__(self, job_id: int, fn: Job, token: CancelToken, relay: _Relay) -> None:
        self.job_id = job_id
        self.fn = fn
        self.token = token
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
            result = self.fn(self._progress, self.token)
            if isinstance(result, Iterator):
                result = self._stream(result)
        except Cancelled:
            self._emit(_CANCELLED)
        except Exception as error:  # noqa: BLE001 - every failure must reach the window, not the thread
            if not isinstance(error, EdgewiseError):
                log.exception("Job failed unexpectedly")
            self._emit(_CANCELLED if self.token.cancelled else _FAILED, user_message(error))
        else:
            self._emit(_CANCELLED if self.token.cancelled else _FINISHED, result)

    def _stream(self, deltas: Iterator[str]) -> str:
        parts: list[str] = []
        try:
            for delta in deltas:
                if self.token.cancelled:
                    break
                if delta:
                    parts.append(delta)
                    self._emit(_TEXT, delta)
        finally:
            close = getattr(deltas, "close", None)
            if close is not None:
                close()  # lets a generator release the model promptly when we stop early
        return "".join(parts)


class JobRunner(QObject):
    """Runs one job at a time on its own single-thread pool and re-emits its events in the GUI thread.

    ``start`` supersedes the running job: it is cancelled silently and its late events are dropped.
    ``cancel`` (the Stop button) emits ``cancelled`` at once, even if the core needs a moment to notice.
    The single thread guarantees that a superseded LLM job has ended before the next one begins.
    """

    progress = Signal(int, int, str)
    text = Signal(str)
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
        # Jobs handed to the pool, kept alive until they report their end.
        self._alive: dict[int, _RunningJob] = {}

    @property
    def is_running(self) -> bool:
        return self._current is not None

    def is_idle(self) -> bool:
        """True when no job, current or superseded, is still executing on the pool."""
        return not self._alive

    def start(self, fn: Job) -> None:
        """Run ``fn`` after cancelling whatever is running now."""
        was_running = self._current is not None
        self._supersede()
        job = _RunningJob(next(self._ids), fn, CancelToken(), self._relay)
        self._current = job
        self._alive[job.job_id] = job
        self._pool.start(job.run)
        if not was_running:
            self.running_changed.emit(True)

    def cancel(self) -> None:
        """Stop the current job; ``cancelled`` is emitted now and its remaining events are dropped."""
        if self._current is None:
            return
        self._supersede()
        self.cancelled.emit()
        self.running_changed.emit(False)

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Cancel everything and wait up to ``timeout_ms`` for the pool; True if it is idle."""
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
        if self._current is None or job_id != self._current.job_id:
            return  # a superseded or stopped job: nobody is waiting for it any more
        if kind == _PROGRESS:
            assert isinstance(payload, tuple)
            self.progress.emit(*payload)
        elif kind == _TEXT:
            self.text.emit(payload)
        else:
            self._current = None
            self.running_changed.emit(False)
            if kind == _FINISHED:
                self.finished.emit(payload)
            elif kind == _FAILED:
                self.failed.emit(payload)
            else:
                self.cancelled.emit()
