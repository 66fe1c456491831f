"""One audio path for everything that listens: sources yield 16 kHz mono float32 chunks.

A recording on disk (decoded a few frames at a time with PyAV, so hours of audio never sit in memory) and
the GUI's microphone (through :class:`QueueAudioSource`) look the same to the transcriber and to a
dictation session; tests and the "dictate from file" option feed a file exactly as a microphone would.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.errors import EdgewiseError
from assistant.jobs import CancelToken

SAMPLE_RATE = 16_000
#: What a dropped file may be; PyAV (FFmpeg) reads more, but these are the ones we promise.
AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".aac", ".webm"})
CHUNK_SECONDS = 0.1


class AudioError(EdgewiseError):
    """An audio file or device that cannot be read."""


@runtime_checkable
class AudioSource(Protocol):
    """Something that yields 16 kHz mono float32 chunks (values in [-1, 1]) until it ends."""

    name: str

    @property
    def duration(self) -> float | None:
        """Length in seconds when known in advance (a file), else None (a live microphone)."""

    def chunks(self) -> Iterator[np.ndarray]: ...

    def close(self) -> None: ...


def is_audio_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in AUDIO_SUFFIXES


class FileAudioSource:
    """Decodes a recording (WAV, FLAC, MP3, M4A, OGG …) in a streaming way.

    ``realtime=True`` paces the chunks at the speed of speech, so the file behaves like a microphone
    (the "dictate from file" option, and the dictation latency benchmark).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        realtime: bool = False,
        chunk_seconds: float = CHUNK_SECONDS,
        cancel: CancelToken | None = None,
    ) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.realtime = realtime
        self.chunk_samples = max(1, int(chunk_seconds * SAMPLE_RATE))
        self.cancel = cancel
        self._duration: float | None = None
        self._closed = False
        self._started: float | None = None
        self._sent = 0
        if not self.path.exists():
            raise AudioError(f"{self.name} was not found.")
        if not self.path.is_file():
            raise AudioError(f"{self.name} is not a file.")
        container = self._open()
        try:
            stream = container.streams.audio[0]
            if stream.duration is not None and stream.time_base is not None:
                self._duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                self._duration = container.duration / 1_000_000
        finally:
            container.close()

    @property
    def duration(self) -> float | None:
        return self._duration

    def _open(self):
        import av

        try:
            container = av.open(str(self.path), mode="r")
        except (av.error.FFmpegError, OSError, UnicodeDecodeError) as error:
            message = f"{self.name} could not be read as audio; it may be damaged or not a recording."
            raise AudioError(message) from error
        if not container.streams.audio:
            container.close()
            raise AudioError(f"{self.name} holds no audio track.")
        return container

    def chunks(self) -> Iterator[np.ndarray]:
        import av

        container = self._open()
        # 16-bit like faster-whisper's own decode_audio, so a file gives whisper the very same samples.
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        pending: list[np.ndarray] = []
        pending_samples = 0
        self._started = started = time.monotonic()
        self._sent = 0

        def emit(block: np.ndarray) -> np.ndarray:
            if self.realtime:  # wait until the audio "has been spoken"
                due = started + (self._sent + len(block)) / SAMPLE_RATE
                while (delay := due - time.monotonic()) > 0:
                    if self.cancel is not None and self.cancel.cancelled:
                        break
                    time.sleep(min(delay, 0.05))
            self._sent += len(block)
            return block

        try:
            stream = container.streams.audio[0]
            frames = container.decode(stream)
            while True:
                if self._closed or (self.cancel is not None and self.cancel.cancelled):
                    return
                try:
                    frame = next(frames)
                except StopIteration:
                    frame = None
                except av.error.FFmpegError as error:
                    if pending_samples or self._sent:
                        break  # a truncated file: keep what was decoded
                    raise AudioError(f"{self.name} could not be decoded: {error}.") from error
                for out in resampler.resample(frame):
                    data = out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
                    pending.append(data)
                    pending_samples += len(data)
                while pending_samples >= self.chunk_samples:
                    joined = np.concatenate(pending)
                    yield emit(joined[: self.chunk_samples])
                    rest = joined[self.chunk_samples :]
                    pending, pending_samples = ([rest] if len(rest) else []), len(rest)
                if frame is None:
                    break
            if pending_samples:
                yield emit(np.concatenate(pending))
        finally:
            container.close()

    @property
    def spoken_until(self) -> float | None:
        """In real time: the monotonic clock time at which the audio read so far finished being "spoken"."""
        if not self.realtime or self._started is None:
            return None
        return self._started + self._sent / SAMPLE_RATE

    def pending(self) -> int:
        """Chunks already available but not yet read: in real time, how far a listener lags behind."""
        if not self.realtime:
            return 0 if self._closed else 10**6  # read as fast as possible: the whole file is waiting
        if self._started is None:
            return 0
        due = (time.monotonic() - self._started) * SAMPLE_RATE - self._sent
        return max(0, int(due // self.chunk_samples))

    def close(self) -> None:
        self._closed = True


class QueueAudioSource:
    """A live source fed from another thread (the GUI's microphone): ``push`` chunks, then ``finish``.

    ``chunks()`` blocks until audio arrives and ends once ``finish`` was called and the queue is drained.
    """

    def __init__(self, name: str = "microphone", cancel: CancelToken | None = None) -> None:
        self.name = name
        self.cancel = cancel
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._finished = threading.Event()

    @property
    def duration(self) -> float | None:
        return None

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def push(self, chunk: np.ndarray) -> None:
        if not self._finished.is_set() and len(chunk):
            self._queue.put(np.asarray(chunk, dtype=np.float32).reshape(-1))

    def finish(self) -> None:
        if not self._finished.is_set():
            self._finished.set()
            self._queue.put(None)

    def pending(self) -> int:
        """Chunks waiting to be read (a consumer that falls behind can skip optional work)."""
        return self._queue.qsize()

    def chunks(self) -> Iterator[np.ndarray]:
        while True:
            if self.cancel is not None and self.cancel.cancelled:
                return
            try:
                item = self._queue.get(timeout=0.05)
            except queue.Empty:
                continue
            if item is None:
                return
            yield item

    def close(self) -> None:
        self.finish()


class RecordingAudioSource:
    """Passes another source's chunks through and keeps them, so a voice note's recording can be saved."""

    def __init__(self, source: AudioSource) -> None:
        self.source = source
        self.name = source.name
        self._kept: list[np.ndarray] = []

    @property
    def duration(self) -> float | None:
        return self.source.duration

    def chunks(self) -> Iterator[np.ndarray]:
        for chunk in self.source.chunks():
            self._kept.append(chunk)
            yield chunk

    def recording(self) -> np.ndarray:
        return np.concatenate(self._kept) if self._kept else np.zeros(0, dtype=np.float32)

    def close(self) -> None:
        self.source.close()


def open_source(source: AudioSource | str | Path, cancel: CancelToken | None = None) -> AudioSource:
    """``source`` itself, or a streaming file source for a path."""
    if isinstance(source, (str, Path)):
        return FileAudioSource(source, cancel=cancel)
    return source


def read_all(source: AudioSource) -> np.ndarray:
    """Every sample of a (short) source as one array; for clips, never for long recordings."""
    parts = list(source.chunks())
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def level(chunk: np.ndarray) -> float:
    """Loudness of a chunk from 0 (silence, below -60 dBFS) to 1 (full scale), for a level meter."""
    if not len(chunk):
        return 0.0
    rms = float(np.sqrt(np.mean(np.square(chunk, dtype=np.float64))))
    if rms <= 1e-6:
        return 0.0
    return min(1.0, max(0.0, (20 * np.log10(rms) + 60) / 60))


def resample(chunk: np.ndarray, rate: int) -> np.ndarray:
    """Linear resampling of a mono chunk from ``rate`` to 16 kHz (microphones that cannot do 16 kHz)."""
    if rate == SAMPLE_RATE or not len(chunk):
        return chunk.astype(np.float32, copy=False)
    count = max(1, round(len(chunk) * SAMPLE_RATE / rate))
    positions = np.linspace(0, len(chunk) - 1, count)
    return np.interp(positions, np.arange(len(chunk)), chunk).astype(np.float32)


def format_clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for progress messages and transcript timestamps."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def write_wav(path: str | Path, audio: np.ndarray) -> Path:
    """Save 16 kHz mono samples as a 16-bit WAV (voice notes keep their recording beside the transcript)."""
    import wave

    path = Path(path)
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
    try:
        with wave.open(str(path), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(SAMPLE_RATE)
            handle.writeframes(pcm.tobytes())
    except OSError as error:
        raise AudioError(f"Could not save the recording {path.name}: {error.strerror or error}.") from error
    return path
