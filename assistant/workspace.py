"""Everything one data folder holds, behind one object: the settings, the model catalogue and the engine per role
(from ``Session``), the speech model, the library index and the conversations; and the one memory budget the
engines share, with the idle watch that unloads the engines nobody has used for ``memory.idle_minutes``.

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
from assistant.llm.roles import LLM_ROLES
from assistant.models.language_identifier import LANGUAGE_IDENTIFIER
from assistant.models.memory import IdleWatch, MemoryBudget, Resident
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
        #: what the loaded engines take together, against a share of the RAM; each engine joins when created
        self.memory = MemoryBudget()
        self.models.budget = self.memory
        self.memory.register(LANGUAGE_IDENTIFIER)  # what a summary or an OCR'd page loads beside the engines
        self._idle_watch: IdleWatch | None = None

    # -- the parts, each opened on first need ---------------------------------------------------------
    @property
    def transcriber(self) -> Transcriber:
        """The speech model of this folder, shared by dictation and transcription so it stays warm."""
        with self._parts_lock:
            if self._transcriber is None:
                from assistant.speech.transcriber import Transcriber

                self._transcriber = Transcriber(self.data_dir, n_threads=self.n_threads, catalogue=self.catalogue)
                self.memory.register(self._transcriber.process)
            return self._transcriber

    def library(self) -> LibraryIndex:
        """The library index (SQLite opens at once; the embedding model loads in the first job needing it)."""
        with self._parts_lock:
            if self._library is None:
                from assistant.library.index import LibraryIndex

                self._library = LibraryIndex(self.data_dir)
                self._library.budget = self.memory
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

    # -- memory -------------------------------------------------------------------------------------
    @property
    def idle_seconds(self) -> float:
        """How long an engine may stay unused before it is unloaded (the setting; 0: never)."""
        return 60.0 * self.settings.get("memory.idle_minutes")

    def memory_plan(self) -> list[Resident]:
        """Each engine this workspace may load (the language model of each role, once if they share it; the
        library's embedder; the speech model; the language identifier): what it takes once loaded, whether it is
        loaded now, and for how long it has been idle."""
        from assistant.library.embeddings import MEMORY_ESTIMATE as EMBEDDINGS
        from assistant.models.bundled import MINILM
        from assistant.speech.transcriber import MEMORY_ESTIMATE as SPEECH

        planned: dict[str, int] = {}
        for role in LLM_ROLES:
            planned.setdefault(f"language model: {self.models.display_name(role)}",
                               self.models.memory_estimate(role) or 0)
        planned[f"library: {MINILM.display_name}"] = EMBEDDINGS
        planned[f"speech: {self.catalogue.model_for('speech')}"] = SPEECH
        planned[LANGUAGE_IDENTIFIER.memory_label] = LANGUAGE_IDENTIFIER.memory_estimate
        known = {resident.label: resident for resident in self.memory.residents()}
        return [known.get(label, Resident(label, size, loaded=False, idle_seconds=None))
                for label, size in planned.items()]

    def unload_idle(self, now: float | None = None) -> list[str]:
        """Unload the engines unused for the set time at ``now`` (monotonic seconds; default: now); their
        names. An engine in use stays; each loads again on its next use, saying "Loading …"."""
        return self.memory.unload_idle(self.idle_seconds, now)

    def watch_idle(self, interval: float = 30.0) -> None:
        """Check for idle engines every ``interval`` seconds, in a thread of its own, until ``close``."""
        with self._parts_lock:
            if self._idle_watch is None:
                self._idle_watch = IdleWatch(self.unload_idle, interval)

    def close(self) -> None:
        """Free the models and close the stores; a part used again opens again."""
        with self._parts_lock:
            watch, self._idle_watch = self._idle_watch, None
        if watch is not None:
            watch.stop()
        super().close()
        with self._parts_lock:
            library, self._library = self._library, None
            conversations, self._conversations = self._conversations, None
            transcriber = self._transcriber  # kept: dictation holds it; the process starts again on next use
        if transcriber is not None:
            transcriber.process.stop()
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
        engine = self.engine("answers", progress=progress, cancel=cancel)
        with engine.usage:  # held to the end: an idle unload never lands while an answer streams
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
