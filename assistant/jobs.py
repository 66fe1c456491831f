"""The contract every long job follows: a generator that yields typed items as they come (text deltas,
transcript segments, partial dictation) and returns its result, with keyword-only ``progress`` and ``cancel``.

    def transcribe(source, *, progress=None, cancel=None) -> Job[TranscriptSegment, list[TranscriptSegment]]

The CLI iterates a job and prints its items; the GUI runs it through ``ui.job_runner.JobRunner``, which turns the
items into a signal and the return value into ``finished(result)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import TypeVar

#: ``progress(done, total, message)``; ``total == 0`` means "amount unknown".
ProgressCallback = Callable[[int, int, str], None]

Item = TypeVar("Item")
Result = TypeVar("Result")
#: A running job: yields ``Item``s, returns a ``Result``.
Job = Generator[Item, None, Result]


def no_progress(done: int, total: int, message: str) -> None:
    """The default progress callback: reports nowhere."""


class Cancelled(Exception):
    """Raised inside a job when its cancel token was set; not an error."""


class CancelToken:
    """Set from any thread; jobs poll it between tokens, chunks or audio windows."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():  # not ``cancelled``: tests/triggers.py counts the polls of that one
            raise Cancelled()


def run_job(job: Job[Item, Result], on_item: Callable[[Item], object] | None = None) -> Result:
    """Run ``job`` to its end in this thread, handing each item to ``on_item``; returns its result."""
    while True:
        try:
            item = next(job)
        except StopIteration as end:
            return end.value
        if on_item is not None:
            on_item(item)
