"""The contract every long job follows: a progress callback and a cancel token."""

from __future__ import annotations

import threading
from collections.abc import Callable

#: ``progress(done, total, message)``; ``total == 0`` means "amount unknown".
ProgressCallback = Callable[[int, int, str], None]


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
        if self._event.is_set():
            raise Cancelled()
