"""Everything one data folder holds, behind one object: the settings, the model catalogue and the engine per role
(from ``Session``), the speech model, the library index and the conversations.

The app builds one Workspace per data folder and hands it to the window or the command; no part opens a second
copy of a store (a second library index would recover, and so re-queue, what the first is still indexing).
Creating one is cheap: each part opens on first need, and the models load in the jobs that use them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.jobs import CancelToken, Job, ProgressCallback
from assistant.session import Session

if TYPE_CHECKING:
    import numpy as np

    from assistant.library.ask import Answer
    from assistant.library.conversations import ConversationStore
    from assistant.library.index import LibraryIndex
    from assistant.llm.engine import Message
    from assistant.speech.audio import AudioSource
    from assistant.speech.transcriber import Transcriber, TranscriptSegment


class Workspace(Session):
    """A data folder's stores and engines; every part is safe to reach from the GUI thread and from workers."""

    def __init__(
        self,
        data_dir: Path,
        *,
        llm_name: str | None = None,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        calibrate: bool = False,
    ) -> None:
        super().__init__(data_dir, llm_name=llm_name, n_ctx=n_ctx, n_threads=n_threads, calibrate=calibrate)
        self._parts_lock = threading.Lock()
        self._transcriber: Transcriber | None = None
        self._library: LibraryIndex | None = None
        self._conversations: ConversationStore | None = None

    # -- the parts, each opened on first need ---------------------------------------------------------
    @property
    def transcriber(self) -> Transcriber:
        """The speech model of this folder, shared by dictation and transcription so it stays warm."""
        with self._parts_lock:
            if self._transcriber is None:
                from assistant.speech.transcriber import Transcriber

                self._transcriber = Transcriber(self.data_dir, n_threads=self.n_threads, catalogue=self.catalogue)
            return self._transcriber

    def library(self) -> LibraryIndex:
        """The library index (SQLite opens at once; the embedding model loads in the first job needing it)."""
        with self._parts_lock:
            if self._library is None:
                from assistant.library.index import LibraryIndex

                self._library = LibraryIndex(self.data_dir)
            return self._library

    @property
    def conversations(self) -> ConversationStore:
        """The kept questions and answers to the library."""
        with self._parts_lock:
            if self._conversations is None:
                from assistant.library.conversations import ConversationStore
                from assistant.library.index import library_folder

                self._conversations = ConversationStore(library_folder(self.data_dir))
            return self._conversations

    def close(self) -> None:
        """Free the models and close the stores; a part used again opens again."""
        super().close()
        with self._parts_lock:
            library, self._library = self._library, None
            conversations, self._conversations = self._conversations, None
        if library is not None:
            library.close()
        if conversations is not None:
            conversations.close()

    # -- jobs ---------------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        *,
        history: list[Message] | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[Answer | str, Answer]:
        """An answer from the library: first the ``Answer`` (its citations are known before the first word),
        then the text as it streams; returns the finished answer."""
        from assistant.library.ask import ask_library

        library = self.library()
        engine = self.engine(progress=progress, cancel=cancel)
        answer = ask_library(library, engine, question, history=history, progress=progress, cancel=cancel)
        yield answer
        yield from answer.deltas
        return answer

    def transcribe(
        self,
        source: AudioSource | Path,
        language: str | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[TranscriptSegment, list[TranscriptSegment]]:
        """The recording's segments as they are recognised; returns them all."""
        return self.transcriber.transcribe(source, language, progress=progress, cancel=cancel)

    def keep_transcript(
        self,
        segments: Sequence[TranscriptSegment],
        name: str,
        *,
        audio: np.ndarray | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Path:
        """Save a transcript (and its recording) as a voice note and index it into the library."""
        from assistant.speech.voice_notes import add_to_library

        return add_to_library(segments, name, self.library(), audio=audio, progress=progress, cancel=cancel)
