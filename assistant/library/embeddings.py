"""Sentence embeddings from the bundled all-MiniLM-L6-v2, encoded in batches by a child process of its own.

The model runs in a child process (assistant/models/engine_process.py) because of what its libraries cost:
importing torch and sentence-transformers makes ~500 MB resident that no unloading gives back while the process
lives. Unloading the embedder ends the process; the next encode starts it again, saying "Loading the embedding
model …". A batch of 32 passages and their vectors cross the pipe in well under a millisecond. The model is read
from the installed package folder (never from the Hugging Face hub).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ModelLoadError
from assistant.jobs import CancelToken, ProgressCallback
from assistant.models.bundled import MINILM, ModelRegistry
from assistant.models.engine_process import EngineProcess

if TYPE_CHECKING:
    import numpy as np


DIMENSIONS = 384
#: Texts handed to the model per call; the cancel token is checked between calls.
BATCH_SIZE = 32
#: Texts sorted by length together, so each batch pads to similar lengths (what sentence-transformers
#: does within one call; we keep the benefit across our cancel-friendly calls).
_SORT_WINDOW = 512
#: Resident memory of the embedding process once it has encoded (torch, sentence-transformers, the model),
#: measured with benchmarks/idle_memory.py; what the memory budget counts for it.
MEMORY_ESTIMATE = 600 * 2**20


_processes: dict[str, EngineProcess] = {}
_processes_lock = threading.Lock()


def embedding_process(model_dir: Path) -> EngineProcess:
    """The embedding process of ``model_dir``, shared by every Embedder on that folder in this process."""
    key = str(Path(model_dir).resolve())  # one model in memory, however its folder is reached
    with _processes_lock:
        if key not in _processes:
            _processes[key] = EngineProcess(
                serve, (str(model_dir),), label=lambda: f"library: {MINILM.display_name}", estimate=MEMORY_ESTIMATE,
                what="the embedding model", loading="Loading the embedding model …", name="edgewise-embeddings",
            )
        return _processes[key]


def _vectors(reply: tuple[Any, ...]) -> np.ndarray:
    if reply[0] != "vectors":
        raise ModelLoadError(f"The embedding model failed: {reply[1]}")
    return reply[1]


class Embedder:
    """Turns texts into unit-length 384-dimension vectors (so a dot product is the cosine similarity)."""

    name = MINILM.name

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = Path(model_dir)

    @classmethod
    def from_registry(cls, registry: ModelRegistry) -> Embedder:
        return cls(registry.path_for(MINILM.name))

    @property
    def process(self) -> EngineProcess:
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
                    result[rows] = _vectors(worker.request(("encode", [texts[i] for i in rows], False)))
                    done += len(rows)
                    if progress is not None:
                        progress(done, len(texts), message)
        return result

    def encode_query(self, text: str) -> np.ndarray:
        worker = self.process
        with worker.usage:
            return _vectors(worker.request(("encode", [text], True)))[0]


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
