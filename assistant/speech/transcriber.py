"""Speech to text with faster-whisper (bundled whisper-base, CPU, int8): segments stream as they are heard.

The model loads once, lazily, in a child process of its own (assistant/speech/whisper_process.py), and is reused
by every transcription and dictation; an idle unload ends the process, so CTranslate2 and onnxruntime give their
memory back with it. Segments cross the pipe one at a time, as they are asked for, so a cancel between two
segments stops the decoding. Long recordings are
transcribed in blocks of a few minutes cut at the quietest moment, so memory stays flat for hours of
audio. Voice activity detection keeps silence and noise from turning into invented sentences, and
repetition loops are cut three ways: no conditioning on the previous text, whisper's compression-ratio and
log-probability fallbacks, and dropping a segment that merely repeats the last ones.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.errors import EdgewiseError, ModelError
from assistant.jobs import Cancelled, CancelToken, Job, ProgressCallback, no_progress
from assistant.models.engine_process import EngineProcess
from assistant.models.memory import Usage
from assistant.speech.audio import SAMPLE_RATE, AudioSource, format_clock, open_source
from assistant.speech.whisper_process import serve

if TYPE_CHECKING:
    from assistant.models.catalogue import Catalogue

log = logging.getLogger(__name__)

SPEECH_MODEL = "whisper-base"
#: Resident memory of the speech process once it has transcribed (faster-whisper's libraries, the int8 weights,
#: buffers, the voice-activity model), measured with benchmarks/idle_memory.py; what the memory budget counts.
MEMORY_ESTIMATE = 300 * 2**20
#: Audio handed to whisper at once; the cut falls on the quietest 0.1 s of the block's last seconds.
BLOCK_SECONDS = 300.0
_CUT_SEARCH_SECONDS = 10.0


@dataclass(frozen=True)
class SpeechOptions:
    """Decoding settings; the benchmark passes the very same ones to raw faster-whisper."""

    beam_size: int = 5
    vad_filter: bool = True
    condition_on_previous_text: bool = False
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    no_speech_threshold: float = 0.6
    vad_parameters: dict[str, Any] = field(default_factory=lambda: {"min_silence_duration_ms": 500})

    def whisper_kwargs(self, language: str | None) -> dict[str, Any]:
        return {
            "language": language,
            # With no language given, whisper detects it on every 30 s window: multilingual recordings.
            "multilingual": language is None,
            "beam_size": self.beam_size,
            "vad_filter": self.vad_filter,
            "vad_parameters": dict(self.vad_parameters),
            "condition_on_previous_text": self.condition_on_previous_text,
            "compression_ratio_threshold": self.compression_ratio_threshold,
            "log_prob_threshold": self.log_prob_threshold,
            "no_speech_threshold": self.no_speech_threshold,
        }


FILE_OPTIONS = SpeechOptions()
#: Dictation favours latency: greedy decoding is ~1.5x faster than a beam of 5 on whisper-base.
DICTATION_OPTIONS = SpeechOptions(beam_size=1)


class UnknownLanguageError(EdgewiseError):
    pass


@functools.cache
def whisper_languages() -> frozenset[str]:
    """The language codes whisper knows, read from faster-whisper's tokenizer module without importing it:
    importing faster-whisper would load CTranslate2 and onnxruntime into this process, which the child spares."""
    spec = importlib.util.find_spec("faster_whisper")  # finds the package; runs none of its code
    assert spec is not None and spec.origin is not None, "faster-whisper is a dependency"
    tokenizer = ast.parse(Path(spec.origin).with_name("tokenizer.py").read_text(encoding="utf-8"))
    for node in tokenizer.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "_LANGUAGE_CODES" for t in node.targets):
            return frozenset(ast.literal_eval(node.value))
    raise RuntimeError("faster-whisper's tokenizer no longer lists its languages in _LANGUAGE_CODES")


def check_language(code: str | None) -> None:
    """Refuse a spoken-language code whisper does not know, with the person's words, before any work."""
    if code is None:
        return
    if code not in whisper_languages():
        raise UnknownLanguageError(
            f"{code!r} is not a language the speech model knows; use a two-letter code such as en, fr or de, "
            "or leave the language out to detect it."
        )


@dataclass(frozen=True)
class TranscriptSegment:
    """A stretch of speech: seconds from the start of the recording, its text and spoken language."""

    start: float
    end: float
    text: str
    language: str | None = None


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


_REPEATED_PHRASE = re.compile(r"(\b.{1,60}?\b)(?:[\s,.;!?-]+\1\b){3,}", re.IGNORECASE | re.DOTALL)


def collapse_repetitions(text: str) -> str:
    """One copy of a word or phrase said four or more times in a row (whisper's looping failure)."""
    previous = None
    while previous != text:
        previous = text
        text = _REPEATED_PHRASE.sub(r"\1", text)
    return text


def detected_languages(segments: list[TranscriptSegment]) -> list[str]:
    """Languages in order of how much was said in each (most first)."""
    spoken: dict[str, float] = {}
    for segment in segments:
        if segment.language:
            spoken[segment.language] = spoken.get(segment.language, 0.0) + max(0.0, segment.end - segment.start)
    return sorted(spoken, key=lambda code: -spoken[code])


def _quietest_cut(audio: np.ndarray) -> int:
    """Sample index at the quietest 0.1 s in the last seconds of ``audio``: a cut between words."""
    frame = SAMPLE_RATE // 10
    search = min(len(audio), int(_CUT_SEARCH_SECONDS * SAMPLE_RATE))
    tail = audio[len(audio) - search :]
    count = len(tail) // frame
    if count < 2:
        return len(audio)
    energy = np.square(tail[: count * frame].reshape(count, frame)).mean(axis=1)
    quietest = int(np.argmin(energy))
    return len(audio) - search + quietest * frame + frame // 2


class Transcriber:
    """The speech model of a data folder, in a child process; load it once (in a worker), then transcribe from
    any thread (the segments of two transcriptions interleave in the one process).

    A data folder has one (``assistant.workspace.Workspace.transcriber``), so dictation and the transcription
    panel share a warm model; ``catalogue`` is the folder's, which knows the speech model chosen.
    """

    def __init__(self, data_dir: Path, *, n_threads: int | None = None, catalogue: Catalogue | None = None) -> None:
        from assistant.models.catalogue import Catalogue

        self.data_dir = Path(data_dir)
        self.catalogue = catalogue or Catalogue(self.data_dir)
        self.n_threads = n_threads
        #: the child holding the model; what the memory budget counts and unloads
        self.process = EngineProcess(
            serve, ("", 0), label=lambda: f"speech: {self.model_name}", estimate=MEMORY_ESTIMATE,
            what="the speech model", loading="Loading speech model …", name="edgewise-speech",
        )
        self._streams = itertools.count(1)

    @property
    def is_loaded(self) -> bool:
        return self.process.is_loaded

    @property
    def usage(self) -> Usage:
        """Held by a transcription from start to end (``with transcriber.usage:``): never unloaded meanwhile."""
        return self.process.usage

    def unload_if_idle(self, now: float, idle_seconds: float) -> bool:
        """End the speech process if nobody has used it for ``idle_seconds``; it starts again when needed."""
        return self.process.unload_if_idle(now, idle_seconds)

    @property
    def loaded_path(self) -> Path | None:
        """The folder of the speech model in memory, None while none is."""
        return Path(self.process.args[0]) if self.process.is_loaded else None

    @property
    def model_name(self) -> str:
        """The catalogue name of the speech model chosen in the settings (the bundled whisper-base by default)."""
        return self.catalogue.model_for("speech")

    def model_path(self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> Path:
        """The folder of the chosen speech model: a user's whisper folder, or the bundled one assembled."""
        return self.catalogue.resolve(self.model_name, progress=progress, cancel=cancel)

    def default_language(self) -> str | None:
        """The spoken language set in the settings (``speech.language``), None for "detect"."""
        chosen = self.catalogue.settings.get("speech.language")
        return None if chosen in ("", "auto") else chosen

    def load(self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> Path:
        """Load the speech model on first need (or again when another one was chosen in the settings); its
        folder."""
        from assistant.machine import physical_cores

        self.usage.touch()
        path = self.model_path(progress=progress, cancel=cancel)
        if self.process.use_args((str(path), self.n_threads or physical_cores())):
            log.info("speech model changed to %s; the previous one was unloaded", path)
        self.process.start(progress, cancel)
        return path

    # -- transcription ------------------------------------------------------------------------
    def transcribe(
        self,
        source: AudioSource | str | Path,
        language: str | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        options: SpeechOptions = FILE_OPTIONS,
    ) -> Job[TranscriptSegment, list[TranscriptSegment]]:
        """Segments of ``source`` (a path or any audio source) as they are recognised; returns them all.

        Progress counts seconds of audio processed (``total`` is the duration, 0 for a live source).
        Raises ``Cancelled`` between segments once ``cancel`` is set.
        """
        with self.usage:  # held while the caller reads segments: the model stays loaded to the end
            return (yield from self._transcribe(source, language, progress or no_progress, cancel, options))

    def _transcribe(
        self,
        source: AudioSource | str | Path,
        language: str | None,
        progress: ProgressCallback,
        cancel: CancelToken | None,
        options: SpeechOptions,
    ) -> Job[TranscriptSegment, list[TranscriptSegment]]:
        check_language(language)
        audio = open_source(source, cancel=cancel)
        total = audio.duration or 0.0
        self.load(progress=progress, cancel=cancel)
        progress(0, round(total), f"Transcribing {audio.name} …")
        found: list[TranscriptSegment] = []
        recent: list[str] = []
        buffered: list[np.ndarray] = []
        buffered_samples = 0
        offset = 0.0
        block_samples = int(BLOCK_SECONDS * SAMPLE_RATE)

        def run_block(block: np.ndarray) -> Iterator[TranscriptSegment]:
            for segment in self._segments(block, language, options, cancel, offset, recent):
                found.append(segment)
                yield segment
                progress(round(segment.end), round(total), self._progress_message(segment.end, total))

        try:
            for chunk in audio.chunks():
                if cancel is not None:
                    cancel.raise_if_cancelled()
                buffered.append(chunk)
                buffered_samples += len(chunk)
                if buffered_samples >= block_samples:
                    joined = np.concatenate(buffered)
                    cut = _quietest_cut(joined)
                    yield from run_block(joined[:cut])
                    offset += cut / SAMPLE_RATE
                    progress(round(offset), round(total), self._progress_message(offset, total))
                    rest = joined[cut:]
                    buffered, buffered_samples = [rest], len(rest)
            if cancel is not None:
                cancel.raise_if_cancelled()
            if buffered_samples:
                yield from run_block(np.concatenate(buffered))
            end = offset + buffered_samples / SAMPLE_RATE
            progress(round(end), round(total or end), self._progress_message(end, total or end))
        finally:
            audio.close()
        return found

    def transcribe_array(
        self,
        audio: np.ndarray,
        language: str | None = None,
        *,
        cancel: CancelToken | None = None,
        options: SpeechOptions = FILE_OPTIONS,
    ) -> list[TranscriptSegment]:
        """All segments of a short clip already in memory (dictation)."""
        with self.usage:
            self.load()
            return list(self._segments(audio, language, options, cancel, 0.0, []))

    @staticmethod
    def _progress_message(done: float, total: float) -> str:
        if total:
            return f"Transcribed {format_clock(done)} of {format_clock(total)}"
        return f"Transcribed {format_clock(done)}"

    def _segments(
        self,
        audio: np.ndarray,
        language: str | None,
        options: SpeechOptions,
        cancel: CancelToken | None,
        offset: float,
        recent: list[str],
    ) -> Iterator[TranscriptSegment]:
        if len(audio) < SAMPLE_RATE // 10:
            return
        samples = np.ascontiguousarray(audio, dtype=np.float32)
        stream = next(self._streams)
        self._ask(("open", stream, samples, options.whisper_kwargs(language)))
        open_in_child = True
        try:
            while True:
                reply = self._ask(("next", stream))
                if reply[0] == "end":
                    open_in_child = False
                    return
                _, start, end, raw_text, spoken = reply
                if cancel is not None:
                    cancel.raise_if_cancelled()
                text = collapse_repetitions(raw_text.strip())
                key = _normalised(text)
                if not key or key in recent[-2:]:
                    continue  # nothing said, or a loop repeating the last segments
                recent.append(key)
                yield TranscriptSegment(
                    start=round(offset + start, 2), end=round(offset + end, 2), text=text, language=spoken or language
                )
        except ModelError:
            open_in_child = False  # the child failed or died: nothing left to close there
            raise
        finally:
            if open_in_child:  # cancelled, or the caller stopped reading: the child stops decoding this audio
                self._ask(("close", stream))

    def _ask(self, request: tuple[Any, ...]) -> tuple[Any, ...]:
        reply = self.process.request(request)
        if reply[0] == "error":
            raise ModelError(f"The speech model failed: {reply[1]}.")
        return reply


def transcribe_text(segments: list[TranscriptSegment]) -> str:
    """The words of ``segments`` as one line of text, as dictation inserts it."""
    return " ".join(segment.text for segment in segments if segment.text).strip()


__all__ = [
    "DICTATION_OPTIONS",
    "FILE_OPTIONS",
    "Cancelled",
    "SpeechOptions",
    "TranscriptSegment",
    "Transcriber",
    "collapse_repetitions",
    "detected_languages",
    "transcribe_text",
]
