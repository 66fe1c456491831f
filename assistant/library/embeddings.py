"""Sentence embeddings from the bundled all-MiniLM-L6-v2, loaded once per process and encoded in batches.

sentence-transformers takes ~20 s to import on two cores, so nothing here imports it before the first
encode; the model is read from the installed package folder (never from the Hugging Face hub).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ModelLoadError
from assistant.jobs import CancelToken, ProgressCallback
from assistant.models.bundled import MINILM, ModelRegistry

if TYPE_CHECKING:
    import numpy as np

DIMENSIONS = 384
#: Texts handed to the model per call; the cancel token is checked between calls.
BATCH_SIZE = 32
#: Texts sorted by length together, so each batch pads to similar lengths (what sentence-transformers
#: does within one call; we keep the benefit across our cancel-friendly calls).
_SORT_WINDOW = 512

_loaded: dict[str, Any] = {}
_load_lock = threading.Lock()
#: Held while torch runs: a query switches torch to one thread (on a busy 2-core machine two threads
#: spin-wait on each other and one short query takes ~1 s instead of ~40 ms), batches use the default.
_torch_lock = threading.Lock()


class Embedder:
    """Turns texts into unit-length 384-dimension vectors (so a dot product is the cosine similarity)."""

    name = MINILM.name

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = Path(model_dir)

    @classmethod
    def from_registry(cls, registry: ModelRegistry) -> Embedder:
        return cls(registry.path_for(MINILM.name))

    @property
    def is_loaded(self) -> bool:
        return str(self.model_dir.resolve()) in _loaded

    def model(self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> Any:
        """The SentenceTransformer, shared by every Embedder on the same folder in this process. A load cannot
        stop half-way: a cancel is honoured before it starts and as soon as it ends."""
        key = str(self.model_dir.resolve())  # one model in memory, however its folder is reached
        with _load_lock:
            if key not in _loaded:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                if progress is not None:
                    progress(0, 0, "Loading the embedding model …")
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                try:
                    from sentence_transformers import SentenceTransformer

                    _loaded[key] = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
                except (OSError, ValueError, RuntimeError) as exc:
                    raise ModelLoadError(
                        f"The embedding model in {self.model_dir} could not be loaded: {exc}"
                    ) from exc
            model = _loaded[key]
        if cancel is not None:
            cancel.raise_if_cancelled()
        return model

    def encode(
        self,
        texts: Sequence[str],
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        message: str = "Embedding passages",
    ) -> np.ndarray:
        import numpy as np

        model = self.model(progress=progress, cancel=cancel)
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        done = 0
        for window_start in range(0, len(texts), _SORT_WINDOW):
            window = list(range(window_start, min(len(texts), window_start + _SORT_WINDOW)))
            window.sort(key=lambda i: -len(texts[i]))
            for batch_start in range(0, len(window), BATCH_SIZE):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                rows = window[batch_start : batch_start + BATCH_SIZE]
                with _torch_lock:
                    vectors = model.encode(
                        [texts[i] for i in rows],
                        batch_size=BATCH_SIZE,
                        normalize_embeddings=True,
                        convert_to_numpy=True,
                        show_progress_bar=False,
                    )
                result[rows] = vectors
                done += len(rows)
                if progress is not None:
                    progress(done, len(texts), message)
        return result

    def encode_query(self, text: str) -> np.ndarray:
        import torch

        model = self.model()
        with _torch_lock:
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                return model.encode([text], normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=False)[0]
            finally:
                torch.set_num_threads(threads)
