"""What the window needs of the data folder it works on: one object (``assistant.workspace.Workspace``, built by
``app``) owning the settings, the model catalogue, the engines, the speech model, the library and the
conversations. Widgets are typed against this Protocol, so a test's stand-in is checked against it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from assistant.jobs import CancelToken, Job, ProgressCallback

if TYPE_CHECKING:
    import numpy as np

    from assistant.documents import Document
    from assistant.library.ask import Answer
    from assistant.library.conversations import ConversationStore
    from assistant.library.index import LibraryIndex
    from assistant.llm.engine import Message
    from assistant.models.catalogue import Catalogue
    from assistant.models.choice import Calibration
    from assistant.settings import Settings
    from assistant.speech.audio import AudioSource
    from assistant.speech.transcriber import Transcriber, TranscriptSegment
    from assistant.trust.provenance import Provenance


class Workspace(Protocol):
    @property
    def data_dir(self) -> Path: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def catalogue(self) -> Catalogue: ...

    @property
    def transcriber(self) -> Transcriber: ...

    @property
    def conversations(self) -> ConversationStore: ...

    @property
    def llm_name(self) -> str: ...

    def library(self) -> LibraryIndex: ...

    def calibrate(
        self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> Job[str, Calibration]: ...

    def summarize(
        self,
        document: Document,
        length: str = "brief",
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        thorough: bool = False,
    ) -> Job[str, str]: ...

    def translate(
        self,
        document: Document,
        target: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[str, str]: ...

    def provenance(self, document: Document, task: str, **settings: Any) -> Provenance: ...

    def ask(
        self,
        question: str,
        *,
        history: list[Message] | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[Answer | str, Answer]: ...

    def transcribe(
        self,
        source: AudioSource | Path,
        language: str | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[TranscriptSegment, list[TranscriptSegment]]: ...

    def keep_transcript(
        self,
        segments: Sequence[TranscriptSegment],
        name: str,
        *,
        audio: np.ndarray | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Path: ...
