"""One object the CLI and the GUI both drive: the data folder's models and the engine that answers.

Creating a Session is cheap (no heavy import, no model load); the model loads on the first job.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.documents import Document
from assistant.documents.model import ocr_description
from assistant.jobs import CancelToken, Job, ProgressCallback, no_progress
from assistant.llm.engine import LlmEngine
from assistant.llm.roles import RoleEngines
from assistant.llm.sampling import sampling_for
from assistant.models.bundled import ModelRegistry
from assistant.models.choice import Calibration
from assistant.text.language import TRANSLATION_LANGUAGES
from assistant.trust.provenance import Provenance
from assistant.writing.summary.pipeline import summarize_document
from assistant.writing.summary.present import SummaryReport
from assistant.writing.translate import check_target, translate_document


class Session:
    def __init__(
        self,
        data_dir: Path,
        *,
        llm_name: str | None = None,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        calibrate: bool = False,
    ) -> None:
        """``llm_name``, ``n_ctx`` and ``n_threads`` override the settings (None: the settings decide).
        ``calibrate``: before the first language-model job, measure this machine to choose the default model
        when nobody chose one (the app's choice; off for scripts and tests, which keep the plain default)."""
        self.data_dir = Path(data_dir)
        self.registry = ModelRegistry(self.data_dir / "models")
        # Which model serves each role, remembered in the settings and the catalogue (assistant/llm/roles.py).
        self.models = RoleEngines(
            self.data_dir, self.registry, llm_name=llm_name, n_ctx=n_ctx, n_threads=n_threads, calibrate=calibrate
        )
        self.settings = self.models.settings
        self.catalogue = self.models.catalogue
        self.n_threads = n_threads

    # -- which model answers ------------------------------------------------------------------
    @property
    def n_ctx(self) -> int:
        """The chat model's context window: the explicit one, else the setting, else fitted to free RAM."""
        return self.models.context_for("chat")

    @property
    def llm_name(self) -> str:
        return self.models.display_name("chat")

    def engine(
        self, role: str = "chat", *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> LlmEngine:
        """The role's engine, created on first need; a model chosen since replaces (and frees) the old one."""
        return self.models.engine(role, progress=progress, cancel=cancel)

    def close(self) -> None:
        self.models.close()

    def calibrate(
        self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> Job[str, Calibration]:
        """Measure this machine again and store the default model it chooses (the user's choice still wins)."""
        return self.models.calibrate(progress=progress, cancel=cancel)

    # -- jobs ---------------------------------------------------------------------------------
    def summarize(
        self,
        document: Document,
        length: str = "brief",
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        thorough: bool = False,
        report: SummaryReport | None = None,
        quote_figures: bool | None = None,
    ) -> Job[str, str]:
        """The summary's deltas as it streams, then the whole text; its last delta says the mode and how much
        was read (also in ``report``). ``quote_figures`` None: the setting decides whether left-out figures are
        quoted under it."""
        progress = progress or no_progress
        engine = self.engine(progress=progress, cancel=cancel)
        if quote_figures is None:
            quote_figures = bool(self.settings.get("summary.quote_figures"))
        return (yield from _whole(summarize_document(
            document, engine, length, progress=progress, cancel=cancel, thorough=thorough, report=report,
            quote_figures=quote_figures,
        )))

    def translate(
        self,
        document: Document,
        target: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[str, str]:
        """The translation's deltas as it streams, then the whole text."""
        progress = progress or no_progress
        engine = self.engine("translate", progress=progress, cancel=cancel)
        return (yield from _whole(translate_document(document, engine, target, progress=progress, cancel=cancel)))

    def provenance(self, document: Document, task: str, **settings: Any) -> Provenance:
        """Provenance for a result of ``task`` ("summary" with length=... and quote_figures=..., None or absent
        for the setting; or "translation" with target=...)."""
        role = "chat" if task == "summary" else "translate"
        if task == "summary":
            length = settings.get("length", "brief")
            label = f"summary ({length})"
            sampling = sampling_for(f"summary-{length}")
        else:
            target = check_target(settings.get("target", "en"))
            label = f"translation into {TRANSLATION_LANGUAGES[target]}"
            sampling = sampling_for("translation")
        described: dict[str, Any] = {"temperature": sampling.temperature, "repeat penalty": sampling.repeat_penalty}
        described["context"] = self.models.context_for(role)
        if task == "summary":
            quoted = settings.get("quote_figures")
            quoted = self.settings.get("summary.quote_figures") if quoted is None else quoted
            described["quotes of left-out figures"] = "on" if quoted else "off"
        if document.ocr_pages:
            described["read by OCR"] = ocr_description(document)
        return Provenance(
            task=label,
            model_name=self.models.display_name(role),
            model_sha256=self.models.sha256(role),
            source_name=document.name,
            source_sha256=document.sha256,
            settings=described,
        )


def _whole(deltas: Iterator[str]) -> Job[str, str]:
    """Pass the deltas on and return the text they make."""
    parts = []
    for delta in deltas:
        parts.append(delta)
        yield delta
    return "".join(parts)
