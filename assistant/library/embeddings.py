"""Sentence embeddings from the bundled all-MiniLM-L6-v2, encoded in batches by a child process of its own.

The model runs in a child process because of what its libraries cost: importing torch and sentence-transformers
makes ~500 MB resident that no unloading gives back while the process lives. In a child, unloading the embedder
(idle, or to make room for another engine: assistant/models/memory.py) ends the process and the laptop gets all
of it back; the next encode starts it again, saying "Loading the embedding model …". A batch of 32 passages and
their vectors cross the pipe in well under a millisecond. The model is read from the installed package folder
(never from the Hugging Face hub).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ModelLoadError
from assistant.jobs import CancelToken, ProgressCallback
from assistant.models.bundled import MINILM, ModelRegistry
from assistant.models.memory import MemoryBudget, Usage, free_unless_busy

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

DIMENSIONS = 384
#: Texts handed to the model per call; the cancel token is checked between calls.
BATCH_SIZE = 32
#: Texts sorted by length together, so each batch pads to similar lengths (what sentence-transformers
#: does within one call; we keep the benefit across our cancel-friendly calls).
_SORT_WINDOW = 512
#: Resident memory of the embedding process once it has encoded (torch, sentence-transformers, the model),
#: measured with benchmarks/idle_memory.py; what the memory budget counts for it.
MEMORY_ESTIMATE = 600 * 2**20


class EmbeddingProcess:
    """The process that holds the embedding model of one folder; one per folder in this process's life."""

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        #: held by an encode from start to end: the process is never stopped meanwhile
        self.usage = Usage()
        self.budget: MemoryBudget | None = None  # set when a workspace's budget counts this model
        self._connection: Connection | None = None
        self._process: Any = None
        self._lock = threading.Lock()  # one request at a time on the pipe; held while it starts

    @property
    def memory_label(self) -> str:
        return f"library: {MINILM.display_name}"

    @property
    def memory_estimate(self) -> int:
        return MEMORY_ESTIMATE

    @property
    def is_loaded(self) -> bool:
        return self._process is not None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> None:
        """Start the process and load the model unless it runs. A load cannot stop half-way: a cancel is
        honoured before it starts and as soon as it ends."""
        with self._lock:
            self.usage.touch()
            self._start(progress, cancel)
        if cancel is not None:
            cancel.raise_if_cancelled()

    def _start(self, progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._stop()  # a process that died (killed, out of memory) is replaced
        if cancel is not None:
            cancel.raise_if_cancelled()
        if self.budget is not None:
            self.budget.make_room(self)
        if progress is not None:
            progress(0, 0, "Loading the embedding model …")
        context = multiprocessing.get_context("spawn")  # fork would copy a window's threads and Qt state
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(theirs, str(self.model_dir)), daemon=True,
                                  name="edgewise-embeddings")
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
            raise ModelLoadError(f"The embedding model in {self.model_dir} could not be loaded: {reply[1]}")
        self._connection, self._process = ours, process
        log.info("embedding model loaded in process %d", process.pid)

    def request(self, texts: list[str], *, query: bool) -> np.ndarray:
        """The texts' vectors (starting the process if it is not running)."""
        with self._lock:
            self._start(None, None)
            assert self._connection is not None
            try:
                self._connection.send(("encode", texts, query))
                reply = self._connection.recv()
            except (EOFError, OSError) as error:
                self._stop()
                raise ModelLoadError(
                    "The embedding model stopped unexpectedly (out of memory?); it starts again on the next try."
                ) from error
        if reply[0] != "vectors":
            raise ModelLoadError(f"The embedding model failed: {reply[1]}")
        return reply[1]

    def unload_if_idle(self, now: float, idle_seconds: float) -> bool:
        """End the process (all its memory goes back) if nobody has used it for ``idle_seconds``."""
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
            log.info("embedding process %d ended", process.pid)


_processes: dict[str, EmbeddingProcess] = {}
_processes_lock = threading.Lock()


def embedding_process(model_dir: Path) -> EmbeddingProcess:
    """The embedding process of ``model_dir``, shared by every Embedder on that folder in this process."""
    key = str(Path(model_dir).resolve())  # one model in memory, however its folder is reached
    with _processes_lock:
        if key not in _processes:
            _processes[key] = EmbeddingProcess(Path(model_dir))
        return _processes[key]


class Embedder:
    """Turns texts into unit-length 384-dimension vectors (so a dot product is the cosine similarity)."""

    name = MINILM.name

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = Path(model_dir)

    @classmethod
    def from_registry(cls, registry: ModelRegistry) -> Embedder:
        return cls(registry.path_for(MINILM.name))

    @property
    def process(self) -> EmbeddingProcess:
        """The process holding the model (what the memory budget counts and unloads)."""
        return embedding_process(self.model_dir)

    @property
    def is_loaded(self) -> bool:
        return self.process.is_loaded

    def load(self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> None:
        """Load the model now (the first encode does otherwise)."""
        self.process.start(progress, cancel)

    def encode(
        self,
        texts: Sequence[str],
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        message: str = "Embedding passages",
    ) -> np.ndarray:
        import numpy as np

        worker = self.process
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        done = 0
        with worker.usage:
            worker.start(progress, cancel)
            for window_start in range(0, len(texts), _SORT_WINDOW):
                window = list(range(window_start, min(len(texts), window_start + _SORT_WINDOW)))
                window.sort(key=lambda i: -len(texts[i]))
                for batch_start in range(0, len(window), BATCH_SIZE):
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    rows = window[batch_start : batch_start + BATCH_SIZE]
                    result[rows] = worker.request([texts[i] for i in rows], query=False)
                    done += len(rows)
                    if progress is not None:
                        progress(done, len(texts), message)
        return result

    def encode_query(self, text: str) -> np.ndarray:
        worker = self.process
        with worker.usage:
            return worker.request([text], query=True)[0]


def serve(connection: Connection, model_dir: str) -> None:
    """The embedding process: load the model, then answer requests until told to stop or the pipe closes."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from assistant.offline import install_offline_guard

    install_offline_guard()
    try:
        import torch
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(model_dir, device="cpu", local_files_only=True)
    except (OSError, ValueError, RuntimeError, ImportError) as exc:
        connection.send(("error", str(exc)))
        return
    connection.send(("ready",))
    threads = torch.get_num_threads()
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return  # the parent is gone
        if request[0] != "encode":
            return
        _, texts, query = request
        # A query runs on one thread: on a busy 2-core machine two threads spin-wait on each other and one
        # short query takes ~1 s instead of ~40 ms. Batches use all of them.
        torch.set_num_threads(1 if query else threads)
        try:
            vectors = model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True,
                                   show_progress_bar=False)
        except (RuntimeError, ValueError) as exc:
            connection.send(("error", str(exc)))
            continue
        connection.send(("vectors", vectors))
