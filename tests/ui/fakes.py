"""Stand-ins for the workspace in fast widget tests: real workspaces (settings, catalogue, library, conversations
in a temporary folder) whose summaries, translations and transcripts are scripted instead of made by a model.

They subclass the real ``Workspace``, so they have everything the window may reach, and ``make lint`` type-checks
this module: an override that drifts from the core's signature, or from the window's ``ui.workspace.Workspace``
Protocol (see the assignments at the end), fails there.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.documents import Document
from assistant.jobs import Cancelled, CancelToken, Job, ProgressCallback, no_progress
from assistant.speech.audio import AudioSource
from assistant.speech.transcriber import TranscriptSegment
from assistant.trust.provenance import Provenance
from assistant.workspace import Workspace
from assistant.writing.summary.present import SummaryReport
from ui import workspace as ui_workspace

DELTAS = ("## Summary\n\n", "- The document ", "is placeholder Latin.\n", "- It has one page.\n")
SCRIPTED_SUMMARY = ("The deck load limit is 12 t. ", "Replace part PN-4417-B before 2026-03-01.")


def _temporary_data_dir(prefix: str) -> Path:
    """A new data folder, removed when the test run ends."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


class StreamingWorkspace(Workspace):
    """Streams canned deltas with short pauses, reports progress and honours the cancel token."""

    def __init__(self, deltas: tuple[str, ...] = DELTAS, delay: float = 0.005) -> None:
        super().__init__(_temporary_data_dir("edgewise-fake-workspace-"))
        self.deltas = deltas
        self.delay = delay
        self.fail_with: Exception | None = None  # raised after the first delta when set
        self.loading_gate: threading.Event | None = None  # holds the "Loading model …" state
        self.pause_after: int | None = None  # after this many deltas, wait for the cancel (or ``resume``)
        self.resume = threading.Event()
        self.yielded = 0
        self.calls: list[tuple[str, Document, str]] = []
        self.ended = threading.Event()
        self.completed = 0
        self.segments: tuple[TranscriptSegment, ...] = ()  # what any recording is heard to say

    @property
    def llm_name(self) -> str:
        return "Fake Model 1B"

    def transcribe(
        self,
        source: AudioSource | Path,
        language: str | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[TranscriptSegment, list[TranscriptSegment]]:
        for segment in self.segments:
            (progress or no_progress)(round(segment.end), round(self.segments[-1].end), "Transcribing …")
            yield segment
        return list(self.segments)

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
        self.calls.append(("summary", document, length))
        return self._stream(progress or no_progress, cancel or CancelToken())

    def translate(
        self,
        document: Document,
        target: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[str, str]:
        self.calls.append(("translation", document, target))
        return self._stream(progress or no_progress, cancel or CancelToken())

    def _stream(self, progress: ProgressCallback, cancel: CancelToken) -> Job[str, str]:
        self.ended.clear()
        try:
            progress(0, 0, "Loading model …")
            if self.loading_gate is not None:
                self.loading_gate.wait(10)
            for index, delta in enumerate(self.deltas, start=1):
                if cancel.cancelled:
                    raise Cancelled()
                progress(index, len(self.deltas), f"Writing part {index} of {len(self.deltas)}")
                if self.fail_with is not None and index == 2:
                    raise self.fail_with
                time.sleep(self.delay)  # the worker thread's pause, standing in for token generation
                if self.pause_after is not None and self.yielded == self.pause_after:
                    while not cancel.cancelled and not self.resume.wait(0.01):
                        pass
                    if cancel.cancelled:
                        raise Cancelled()
                self.yielded += 1
                yield delta
            self.completed += 1
            return "".join(self.deltas)
        finally:
            self.ended.set()

    def provenance(self, document: Document, task: str, **settings: Any) -> Provenance:
        return Provenance(
            task=f"{task} ({', '.join(f'{k}={v}' for k, v in settings.items())})",
            model_name=self.llm_name,
            model_sha256="ab" * 32,
            source_name=document.name,
            source_sha256=document.sha256,
            settings={"temperature": 0.2},
        )


class ScriptedWorkspace(Workspace):
    """Streams a summary with one invented part number once ``go`` is set; records the mode asked for."""

    def __init__(self, lines: tuple[str, ...] = SCRIPTED_SUMMARY) -> None:
        super().__init__(_temporary_data_dir("edgewise-scripted-workspace-"))
        self.go = threading.Event()
        self.calls: list[bool] = []
        self.lines = lines

    @property
    def llm_name(self) -> str:
        return "Scripted"

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
        self.calls.append(thorough)
        return self._stream()

    def _stream(self) -> Job[str, str]:
        self.go.wait(10)
        yield from self.lines
        footer = "\n\n[Single pass mode: the whole document (182 words) read in one pass.]"
        yield footer
        return "".join(self.lines) + footer

    def translate(
        self,
        document: Document,
        target: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[str, str]:
        raise AssertionError("not used")

    def provenance(self, document: Document, task: str, **settings: Any) -> Provenance:
        return Provenance(task, self.llm_name, None, document.name, document.sha256)


# What the window is given must satisfy its Protocol; mypy checks these lines in `make lint`.
_window_takes: list[Callable[[], ui_workspace.Workspace]] = [StreamingWorkspace, ScriptedWorkspace]
