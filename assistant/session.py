"""One object the CLI and the GUI both drive: the data folder's models and the engine that answers.

Creating a Session is cheap (no heavy import, no model load); the model loads on the first job.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.documents import Document
from assistant.jobs import CancelToken, ProgressCallback, no_progress
from assistant.language import TRANSLATION_LANGUAGES
from assistant.llm import LlmEngine
from assistant.models import DEFAULT_LLM, FAST_LLM, ModelRegistry, model_by_name
from assistant.provenance import Provenance
from assistant.sampling import sampling_for
from assistant.summarize import summarize_document
from assistant.translate import check_target, translate_document


class Session:
    def __init__(
        self,
        data_dir: Path,
        *,
        llm_name: str | None = None,
        n_ctx: int = 4096,
        n_threads: int | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.registry = ModelRegistry(self.data_dir / "models")
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self._requested = llm_name
        self._engine: LlmEngine | None = None
        self._lock = threading.Lock()

    # -- which model answers ------------------------------------------------------------------
    @property
    def llm_model_name(self) -> str:
        """The requested model, else the default, else the fast one when only that is installed."""
        if self._requested:
            return self._requested
        for name in (DEFAULT_LLM, FAST_LLM):
            if self.registry.status(model_by_name(name)).state != "not installed":
                return name
        return DEFAULT_LLM

    @property
    def llm_name(self) -> str:
        return model_by_name(self.llm_model_name).display_name

    def engine(self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> LlmEngine:
        """The engine, created on first need (the model file is assembled/verified then if needed)."""
        with self._lock:
            if self._engine is None:
                name = self.llm_model_name
                path = self.registry.path_for(name, progress=progress, cancel=cancel)
                self._engine = LlmEngine(
                    path, name=model_by_name(name).display_name, n_ctx=self.n_ctx, n_threads=self.n_threads
                )
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            self._engine = None

    # -- jobs ---------------------------------------------------------------------------------
    def summarize(
        self,
        document: Document,
        length: str = "brief",
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[str]:
        progress = progress or no_progress
        engine = self.engine(progress, cancel)
        yield from summarize_document(document, engine, length, progress=progress, cancel=cancel)

    def translate(
        self,
        document: Document,
        target: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[str]:
        progress = progress or no_progress
        engine = self.engine(progress, cancel)
        yield from translate_document(document, engine, target, progress=progress, cancel=cancel)

    def provenance(self, document: Document, task: str, **settings: Any) -> Provenance:
        """Provenance for a result of ``task`` ("summary" with length=..., or "translation" with target=...)."""
        model = model_by_name(self.llm_model_name)
        if task == "summary":
            length = settings.get("length", "brief")
            label = f"summary ({length})"
            sampling = sampling_for(f"summary-{length}")
        else:
            target = check_target(settings.get("target", "en"))
            label = f"translation into {TRANSLATION_LANGUAGES[target]}"
            sampling = sampling_for("translation")
        described = {"temperature": sampling.temperature, "repeat penalty": sampling.repeat_penalty}
        described["context"] = self.n_ctx
        return Provenance(
            task=label,
            model_name=model.display_name,
            model_sha256=model.sha256,
            source_name=document.name,
            source_sha256=document.sha256,
            settings=described,
        )
