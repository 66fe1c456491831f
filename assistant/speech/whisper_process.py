"""The speech model's child process (assistant/models/engine_process.py): faster-whisper runs here, never in the
window's process, so an idle unload gives back CTranslate2's and onnxruntime's memory with the process.

Requests from assistant/speech/transcriber.py, one reply each:
``("open", stream, samples, whisper_kwargs)`` -> ``("opened",)``: whisper starts on a block of audio;
``("next", stream)`` -> ``("segment", start, end, text, language)`` or ``("end",)``: the next segment, decoded
only when asked (so a cancel between two asks stops the decoding, as a generator in-process would);
``("close", stream)`` -> ``("closed",)``: whisper stops on it (a cancel, or the reader went away);
``("streams",)`` -> ``("streams", how many are open)``; ``("stop",)`` ends the process.
A failure answers ``("error", reason)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faster_whisper import WhisperModel


def _model_class() -> type[WhisperModel]:
    from faster_whisper import WhisperModel

    class _LanguageTaggingModel(WhisperModel):
        """Notes on each segment the language whisper decoded it in (detected per 30 s window)."""

        def generate_segments(self, features, tokenizer, options, log_progress, encoder_output=None):
            for segment in super().generate_segments(features, tokenizer, options, log_progress, encoder_output):
                segment.language = tokenizer.language_code
                yield segment

    return _LanguageTaggingModel


def serve(connection: Connection, model_path: str, cpu_threads: int) -> None:
    """Load the speech model, then answer requests until told to stop or the pipe closes."""
    from assistant.offline import install_offline_guard

    install_offline_guard()
    try:
        model = _model_class()(model_path, device="cpu", compute_type="int8", cpu_threads=cpu_threads)
    except (RuntimeError, ValueError, OSError, ImportError) as error:
        connection.send(("error", str(error)))
        return
    connection.send(("ready",))
    streams: dict[int, Iterator[Any]] = {}
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return  # the parent is gone
        kind = request[0]
        if kind == "open":
            _, stream, samples, kwargs = request
            try:
                segments, _info = model.transcribe(samples, **kwargs)
            except (RuntimeError, ValueError) as error:
                connection.send(("error", str(error)))
                continue
            streams[stream] = segments
            connection.send(("opened",))
        elif kind == "next":
            connection.send(_next(streams, request[1]))
        elif kind == "close":
            segments = streams.pop(request[1], None)
            close = getattr(segments, "close", None)
            if close is not None:
                close()
            connection.send(("closed",))
        elif kind == "streams":
            connection.send(("streams", len(streams)))
        else:
            return


def _next(streams: dict[int, Iterator[Any]], stream: int) -> tuple[Any, ...]:
    segments = streams.get(stream)
    if segments is None:
        return ("error", "no transcription is open here")
    try:
        raw = next(segments)
    except StopIteration:
        del streams[stream]
        return ("end",)
    except (RuntimeError, ValueError) as error:
        del streams[stream]
        return ("error", str(error))
    return ("segment", raw.start, raw.end, raw.text, getattr(raw, "language", None))
