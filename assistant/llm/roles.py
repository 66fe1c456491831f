"""The engines behind a Session, one per role (chat/summaries, translation), chosen from the catalogue and
the settings at every job: a changed choice takes effect at the next job, and the engine no role needs
any more is closed first so its memory is freed before the next model loads.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from assistant.jobs import CancelToken, Job, ProgressCallback, no_progress, run_job
from assistant.llm.calibration import calibrate
from assistant.llm.engine import LlmEngine
from assistant.models.bundled import DEFAULT_LLM, ModelRegistry, model_by_name
from assistant.models.catalogue import Catalogue
from assistant.models.choice import LARGE_LLM, Calibration
from assistant.models.fit import fit_warning, fitted_context, gpu_layers
from assistant.models.gguf_info import GgufInfo, InvalidModelFileError
from assistant.models.memory import MemoryBudget
from assistant.settings import MODEL_ROLES, Settings

log = logging.getLogger(__name__)

LLM_ROLES = ("chat", "translate", "answers")


@dataclass(frozen=True)
class EngineSpec:
    """Everything that decides whether a loaded engine can be reused."""

    model: str
    n_ctx: int
    n_threads: int  # 0: one per physical core, fewer beside busy programs
    n_gpu_layers: int


class RoleEngines:
    def __init__(
        self,
        data_dir: Path,
        registry: ModelRegistry,
        *,
        llm_name: str | None = None,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        calibrate: bool = False,
    ) -> None:
        """``calibrate``: measure this machine before the first language-model job when no model was chosen
        (the app asks for it; a test or script that builds a Session keeps the plain default)."""
        self.settings = Settings(data_dir)
        self.calibrate_at_first_use = calibrate
        self.catalogue = Catalogue(data_dir, registry, self.settings)
        # An explicit model (CLI --model, tests) pins both roles until a role is chosen with ``use``.
        self.pinned: dict[str, str] = dict.fromkeys(LLM_ROLES, llm_name) if llm_name else {}
        self.n_ctx = n_ctx  # explicit values override the settings
        self.n_threads = n_threads
        self._engines: dict[str, tuple[EngineSpec, LlmEngine]] = {}
        self._lock = threading.RLock()
        #: the memory budget the engines count in (a Workspace's), None: none
        self.budget: MemoryBudget | None = None

    # -- what each role gets ------------------------------------------------------------------
    def model_name(self, role: str = "chat") -> str:
        return self.pinned.get(role) or self.catalogue.model_for(role)

    def display_name(self, role: str = "chat") -> str:
        return self.catalogue.get(self.model_name(role), with_info=False).display_name

    def sha256(self, role: str = "chat") -> str | None:
        return self.catalogue.get(self.model_name(role), with_info=False).sha256

    def info(self, role: str = "chat") -> GgufInfo | None:
        entry = self.catalogue.get(self.model_name(role), with_info=False)
        if entry.source == "bundled":  # known before it is assembled, so the context is the same before and after
            return self.catalogue.bundled_info(model_by_name(entry.name))
        if entry.path is None or not entry.path.is_file():
            return None
        try:
            return self.catalogue.info_for(entry.path)
        except InvalidModelFileError:
            return None

    def context_for(self, role: str = "chat") -> int:
        if self.n_ctx:
            return self.n_ctx
        return fitted_context(self.info(role), self.settings.get("context_size"))

    def spec(self, role: str = "chat") -> EngineSpec:
        threads = self.n_threads or self.settings.get("threads")  # 0: automatic
        return EngineSpec(
            self.model_name(role), self.context_for(role), threads, gpu_layers(self.settings.get("gpu_offload"))
        )

    def fit_warning(self, role: str = "chat") -> str | None:
        """A warning for the user when the role's model will not fit in the free RAM, else None."""
        return fit_warning(self.info(role), self.context_for(role))

    # -- engines ------------------------------------------------------------------------------
    def memory_estimate(self, role: str = "chat") -> int | None:
        """Bytes the role's model takes once loaded with its context, None if its file is unknown."""
        info = self.info(role)
        return info.estimated_ram(self.context_for(role)) if info is not None else None

    def loaded(self, role: str = "chat") -> LlmEngine | None:
        current = self._engines.get(role)
        return current[1] if current else None

    def engine(
        self, role: str = "chat", *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> LlmEngine:
        with self._lock:
            if self.needs_calibration():
                run_job(self.calibrate(progress=progress, cancel=cancel))
            return self._engine(role, progress=progress, cancel=cancel)

    # -- the first-use calibration --------------------------------------------------------------
    def needs_calibration(self) -> bool:
        """True before the first language-model job of a data folder where nobody chose the chat model, and
        again once after the 1.5B model was installed where the last calibration did not have it."""
        if not self.calibrate_at_first_use or "chat" in self.pinned or self.settings.get(MODEL_ROLES["chat"]):
            return False
        calibration = self.catalogue.calibration()
        if calibration is not None and (calibration.large_installed or not self.catalogue.usable(LARGE_LLM)):
            return False
        return self.catalogue.default_for("chat") == DEFAULT_LLM  # the small model it measures with is here

    def calibrate(
        self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> Job[str, Calibration]:
        """Measure this machine with the small model, store the figures and the default they choose, and free
        an engine the new default replaces. The user's own choice of model is untouched."""
        with self._lock:
            if self.spec("chat").model == DEFAULT_LLM:
                small = self._engine("chat", progress=progress, cancel=cancel)  # kept if it stays the default
                temporary = False
            else:
                path = self.catalogue.resolve(DEFAULT_LLM, progress=progress, cancel=cancel)
                small = LlmEngine(path, name=model_by_name(DEFAULT_LLM).display_name, n_ctx=2048,
                                  n_threads=self.spec("chat").n_threads or None)
                temporary = True
            try:
                result = yield from calibrate(small, self.catalogue, progress=progress, cancel=cancel)
            finally:
                if temporary:
                    small.close()
            self.refresh()
            return result

    def _engine(
        self, role: str = "chat", *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> LlmEngine:
        progress = progress or no_progress
        with self._lock:
            spec = self.spec(role)
            current = self._engines.get(role)
            if current is not None and current[0] == spec:
                return current[1]
            self._drop(role)
            shared = next((engine for other, engine in self._engines.values() if other == spec), None)
            if shared is None:
                if warning := self.fit_warning(role):
                    log.warning(warning)
                    progress(0, 0, warning)
                path = self.catalogue.resolve(spec.model, progress=progress, cancel=cancel)
                shared = LlmEngine(
                    path,
                    name=self.display_name(role),
                    n_ctx=spec.n_ctx,
                    n_threads=spec.n_threads or None,
                    n_gpu_layers=spec.n_gpu_layers,
                    memory_estimate=self.memory_estimate(role),
                )
                if self.budget is not None:
                    self.budget.register(shared)
            self._engines[role] = (spec, shared)
            return shared

    def use(self, name: str, role: str = "chat") -> None:
        """Make ``name`` serve ``role`` from now on (remembered) and free the model no role needs any more."""
        self.catalogue.use(name, role)
        with self._lock:
            self.pinned.pop(role, None)
            self.refresh()

    def refresh(self) -> None:
        """Close the engines whose role now wants something else (they load again on demand)."""
        with self._lock:
            for role in list(self._engines):
                if self._engines[role][0] != self.spec(role):
                    self._drop(role)

    def _drop(self, role: str) -> None:
        """Forget ``role``'s engine; close it (freeing its memory) unless another role still uses it."""
        current = self._engines.pop(role, None)
        if current is not None and all(engine is not current[1] for _, engine in self._engines.values()):
            current[1].close()

    def close(self) -> None:
        with self._lock:
            engines = {id(engine): engine for _, engine in self._engines.values()}
            self._engines.clear()
            for engine in engines.values():
                engine.close()
