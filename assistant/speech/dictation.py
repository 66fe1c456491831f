"""Dictation: listen to an audio source while the person speaks, yield the partial text and the input level,
return the final text.

Partials come from a short rolling window (cheap, a second apart, skipped when the listener falls behind
the microphone); the final text comes from one pass over the whole utterance once the source ends, with
greedy decoding and voice activity detection, which keeps the wait after the last word short.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

import numpy as np

from assistant.jobs import CancelToken, Job, ProgressCallback, no_progress
from assistant.speech.audio import SAMPLE_RATE, AudioSource, level
from assistant.speech.transcriber import (
    DICTATION_OPTIONS,
    SpeechOptions,
    Transcriber,
    TranscriptSegment,
    transcribe_text,
)

#: The last half second counts as speech when it comes within 15 dB (0.25 on the 0..1 level scale, see
#: ``assistant.speech.audio.level``) of the loudest moment so far: relative, so quiet microphones work too.
SPEAKING_MARGIN = 0.25


@dataclass(frozen=True)
class PartialText:
    """What was heard so far (from the last few seconds); the final text replaces it."""

    text: str


@dataclass(frozen=True)
class InputLevel:
    """The loudness of the audio just read, 0 (silence) to 1 (see ``assistant.speech.audio.level``)."""

    value: float


#: What a dictation yields while the person speaks.
DictationUpdate = PartialText | InputLevel


@dataclass(frozen=True)
class DictationResult:
    text: str
    segments: tuple[TranscriptSegment, ...]
    audio_seconds: float
    #: Seconds from the end of the audio (the source ending) to the final text.
    finalising_seconds: float
    audio: np.ndarray | None = None  # kept when asked, e.g. to save a voice note's recording


class DictationSession:
    """One utterance: ``run(source)`` consumes the source until it ends, yielding an ``InputLevel`` per chunk
    and a ``PartialText`` about every second, and returns the final text."""

    def __init__(
        self,
        transcriber: Transcriber,
        language: str | None = None,
        *,
        partials: bool = True,
        partial_interval: float = 1.0,
        partial_window: float = 5.0,
        options: SpeechOptions = DICTATION_OPTIONS,
        keep_audio: bool = False,
    ) -> None:
        self.transcriber = transcriber
        self.language = language
        self.partials = partials  # False: only the final pass (a file fed at once, a benchmark of that pass)
        self.partial_interval = partial_interval
        self.partial_window = partial_window
        self.options = options
        self.keep_audio = keep_audio

    def run(
        self,
        source: AudioSource,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[DictationUpdate, DictationResult]:
        progress = progress or no_progress
        chunks: list[np.ndarray] = []
        samples = 0
        last_partial = 0
        interval = int(self.partial_interval * SAMPLE_RATE)
        window = int(self.partial_window * SAMPLE_RATE)
        language = self.language
        progress(0, 0, "Listening …")
        loudness: deque[float] = deque(maxlen=5)
        peak = 0.0
        for chunk in source.chunks():
            if cancel is not None:
                cancel.raise_if_cancelled()
            chunks.append(chunk)
            samples += len(chunk)
            loudness.append(level(chunk))
            peak = max(peak, loudness[-1])
            yield InputLevel(loudness[-1])
            behind = getattr(source, "pending", lambda: 0)() > 2
            # No partial during a pause: the person may be about to stop, and the final pass must not wait.
            speaking = max(loudness) >= peak - SPEAKING_MARGIN
            if self.partials and samples - last_partial >= interval and speaking and not behind:
                last_partial = samples
                recent = np.concatenate(chunks)[-window:]
                heard = self.transcriber.transcribe_array(recent, language, cancel=cancel, options=self.options)
                if language is None and heard and samples >= 2 * SAMPLE_RATE:
                    language = heard[0].language  # detected once: later passes skip detection
                partial = transcribe_text(heard)
                if partial:
                    yield PartialText(("… " if samples > window else "") + partial)
        ended = time.monotonic()
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(0, 0, "Finishing the text …")
        audio = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        segments = self.transcriber.transcribe_array(audio, language, cancel=cancel, options=self.options)
        return DictationResult(
            text=transcribe_text(segments),
            segments=tuple(segments),
            audio_seconds=len(audio) / SAMPLE_RATE,
            finalising_seconds=time.monotonic() - ended,
            audio=audio if self.keep_audio else None,
        )
