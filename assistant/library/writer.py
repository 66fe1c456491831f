"""One writer at a time per library, across threads and processes: a file lock (``filelock``, an OS lock the
kernel drops when its holder dies, even by kill -9) in the library folder. Readers (search, ask) never take
it: SQLite's write-ahead log lets them read while a writer writes.

A second writer waits, saying so through its progress callback (the window shows it in the library panel,
the CLI on stderr), or is refused at once with ``LibraryBusyError`` where waiting would freeze a window.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from assistant.errors import EdgewiseError
from assistant.jobs import Cancelled, CancelToken, ProgressCallback, no_progress

log = logging.getLogger(__name__)

LOCK_FILE = "writer.lock"
WAITING_MESSAGE = (
    "Waiting for the library: another Edgewise window or command is adding documents to it; "
    "this starts as soon as it is done …"
)
_POLL_SECONDS = 0.1


class LibraryBusyError(EdgewiseError):
    pass


BUSY_MESSAGE = (
    "Another Edgewise window or command is adding documents to the library; try again when it has finished."
)


class LibraryWriter:
    """The library's writer lock. ``thread_local`` keeps a second thread of this process (a voice note saved
    while the window indexes) a second writer that waits, instead of sharing the first one's hold."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LOCK_FILE
        self._lock = FileLock(self.path, mode=0o600, thread_local=True)
        self._holders = threading.local()

    @property
    def held_here(self) -> bool:
        """True while this thread holds the lock (nested writes reuse the hold)."""
        return getattr(self._holders, "depth", 0) > 0

    def try_hold(self) -> bool:
        """Take the lock if nobody holds it; False at once otherwise. Release with ``release``."""
        try:
            self._lock.acquire(blocking=False)
        except Timeout:
            return False
        self._holders.depth = getattr(self._holders, "depth", 0) + 1
        return True

    def release(self) -> None:
        self._holders.depth = getattr(self._holders, "depth", 1) - 1
        self._lock.release()

    @contextmanager
    def held(
        self,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        wait: bool = True,
    ) -> Iterator[bool]:
        """Hold the lock for the block; yields True when this hold is the outermost one (so the caller runs
        crash recovery once). Waits for another writer (saying so through ``progress``) unless ``wait`` is
        False, which raises LibraryBusyError instead. A cancel while waiting raises Cancelled."""
        if self.held_here:
            self._holders.depth += 1
            try:
                yield False
            finally:
                self._holders.depth -= 1
            return
        if not self.try_hold():
            if not wait:
                raise LibraryBusyError(BUSY_MESSAGE)
            log.info("library: another writer holds %s; waiting", self.path)
            (progress or no_progress)(0, 0, WAITING_MESSAGE)
            try:
                self._lock.acquire(
                    timeout=-1, poll_interval=_POLL_SECONDS,
                    cancel_check=(lambda: cancel.cancelled) if cancel is not None else None,
                )
            except Timeout:
                raise Cancelled() from None
            self._holders.depth = 1
            log.info("library: the other writer finished; going on")
        try:
            yield True
        finally:
            self.release()
