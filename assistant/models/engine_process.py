"""An engine in a child process of its own: the embedder and whisper run this way.

Their libraries (torch and sentence-transformers; CTranslate2 and onnxruntime) keep hundreds of MB resident once
they have run, and unloading the model in-process gives little of it back. In a child, unloading (idle, or to
make room for another engine: assistant/models/memory.py) ends the process and the laptop gets all of it back;
the next use starts it again, saying "Loading …" as the first time.

The child runs ``serve(connection, *args)``: it answers ``("ready",)`` once its model is loaded (or
``("error", reason)``), then one reply per request until it receives ``("stop",)`` or the pipe closes. The
parent sends one request and reads its reply under a lock, so several threads may share one child.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from assistant.errors import ModelLoadError
from assistant.jobs import CancelToken, ProgressCallback
from assistant.models.memory import MemoryBudget, Usage, free_unless_busy

log = logging.getLogger(__name__)


class EngineProcess:
    """The child process holding one engine's model; counted in the memory budget like any engine.

    ``what`` names the model for the person ("the speech model"); ``loading`` is what progress says while
    the child starts. ``serve`` must be a module-level function (the child imports it afresh: spawn)."""

    def __init__(
        self,
        serve: Callable[..., None],
        args: tuple[Any, ...],
        *,
        label: Callable[[], str],
        estimate: int,
        what: str,
        loading: str,
        name: str,
    ) -> None:
        self._serve = serve
        self._args = args
        self._label = label
        self._estimate = estimate
        self.what = what
        self.loading = loading
        self.name = name
        #: held by a job from start to end: the process is never stopped meanwhile
        self.usage = Usage()
        self.budget: MemoryBudget | None = None  # set when a workspace's budget counts this engine
        self._connection: Connection | None = None
        self._process: Any = None
        self._lock = threading.Lock()  # one request at a time on the pipe; held while the child starts

    @property
    def memory_label(self) -> str:
        return self._label()

    @property
    def memory_estimate(self) -> int:
        return self._estimate

    @property
    def is_loaded(self) -> bool:
        return self._process is not None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def args(self) -> tuple[Any, ...]:
        """What the child is (or will be) started with."""
        return self._args

    def use_args(self, args: tuple[Any, ...]) -> bool:
        """Start the child with ``args`` from now on (another model was chosen); a child running with other
        ones ends. True when it had to end."""
        with self._lock:
            if args == self._args:
                return False
            running = self._process is not None
            self._stop()
            self._args = args
            return running

    def start(self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> None:
        """Start the child and load the model unless it runs. A load cannot stop half-way: a cancel is
        honoured before it starts and as soon as it ends."""
        with self._lock:
            self.usage.touch()
            self._start(progress, cancel)
        if cancel is not None:
            cancel.raise_if_cancelled()

    def _start(self, progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._stop()  # a child that died (killed, out of memory) is replaced
        if cancel is not None:
            cancel.raise_if_cancelled()
        if self.budget is not None:
            self.budget.make_room(self)
        if progress is not None:
            progress(0, 0, self.loading)
        context = multiprocessing.get_context("spawn")  # fork would copy a window's threads and Qt state
        ours, theirs = context.Pipe()
        process = context.Process(target=self._serve, args=(theirs, *self._args), daemon=True, name=self.name)
        process.start()
        theirs.close()
        try:
            reply = ours.recv()
        except EOFError:
            process.join(5)
            reply = ("error", f"its process ended (exit code {process.exitcode})")
        if reply[0] != "ready":
            ours.close()
            process.join(5)
            raise ModelLoadError(f"{self.what.capitalize()} could not be loaded: {reply[1]}")
        self._connection, self._process = ours, process
        log.info("%s loaded in process %d", self.what, process.pid)

    def request(self, message: tuple[Any, ...]) -> tuple[Any, ...]:
        """Send ``message`` and return the child's reply (starting the child if it is not running)."""
        with self._lock:
            self._start(None, None)
            assert self._connection is not None
            try:
                self._connection.send(message)
                return self._connection.recv()
            except (EOFError, OSError) as error:
                self._stop()
                raise ModelLoadError(
                    f"{self.what.capitalize()} stopped unexpectedly (out of memory?); it starts again on the next try."
                ) from error

    def unload_if_idle(self, now: float, idle_seconds: float) -> bool:
        """End the child (all its memory goes back) if nobody has used it for ``idle_seconds``."""
        return self.usage.unload_if_idle(now, idle_seconds, self._unload_unless_busy)

    def _unload_unless_busy(self) -> bool:
        return free_unless_busy(self._lock, self._process is not None, self._stop)

    def stop(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        connection, process = self._connection, self._process
        self._connection = self._process = None
        if connection is not None:
            with contextlib.suppress(OSError):  # it may have died already
                connection.send(("stop",))
            connection.close()
        if process is not None:
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join(10)
            log.info("%s process %d ended", self.what, process.pid)
