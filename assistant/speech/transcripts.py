"""Transcripts on paper: TXT, SRT, WebVTT and JSON exports (and readers for SRT/VTT), and a transcript as
a Document whose text carries [mm:ss] time marks, so summaries and the library can cite time positions.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from assistant.documents import Document, Page
from assistant.errors import EdgewiseError
from assistant.speech.audio import format_clock
from assistant.speech.transcriber import TranscriptSegment, detected_languages

EXPORT_FORMATS = ("txt", "srt", "vtt", "json")


class TranscriptError(EdgewiseError):
    """A transcript that cannot be written or read."""


def _stamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def timestamp(seconds: float) -> str:
    """``[m:ss]`` (``[h:mm:ss]`` past an hour): how a transcript line says when it was spoken."""
    return f"[{format_clock(seconds)}]"


def to_txt(segments: Iterable[TranscriptSegment], *, timestamps: bool = True) -> str:
    lines = [f"{timestamp(s.start)} {s.text}" if timestamps else s.text for s in segments]
    return "\n".join(lines) + ("\n" if lines else "")


def srt_cue(index: int, segment: TranscriptSegment) -> str:
    return f"{index}\n{_stamp(segment.start, ',')} --> {_stamp(segment.end, ',')}\n{segment.text}\n\n"


def to_srt(segments: Iterable[TranscriptSegment]) -> str:
    return "".join(srt_cue(i, s) for i, s in enumerate(segments, 1))


VTT_HEADER = "WEBVTT\n\n"


def vtt_cue(segment: TranscriptSegment) -> str:
    return f"{_stamp(segment.start, '.')} --> {_stamp(segment.end, '.')}\n{segment.text}\n\n"


def to_vtt(segments: Iterable[TranscriptSegment]) -> str:
    return VTT_HEADER + "".join(vtt_cue(s) for s in segments)


def json_segment(segment: TranscriptSegment) -> dict:
    return {"start": segment.start, "end": segment.end, "text": segment.text, "language": segment.language}


def to_json(segments: Iterable[TranscriptSegment], source: str | None = None) -> str:
    items = list(segments)
    payload = {
        "source": source,
        "languages": detected_languages(items),
        "segments": [json_segment(s) for s in items],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def export(segments: Iterable[TranscriptSegment], fmt: str, source: str | None = None) -> str:
    """The transcript in ``fmt`` (txt, srt, vtt or json)."""
    items = list(segments)
    if fmt == "txt":
        return to_txt(items)
    if fmt == "srt":
        return to_srt(items)
    if fmt == "vtt":
        return to_vtt(items)
    if fmt == "json":
        return to_json(items, source)
    raise TranscriptError(f"Unknown transcript format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}.")


def save(segments: Iterable[TranscriptSegment], path: Path, source: str | None = None) -> Path:
    """Write the transcript in the format its suffix names (.txt, .srt, .vtt, .json)."""
    fmt = path.suffix.lower().lstrip(".")
    text = export(segments, fmt, source)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise TranscriptError(f"Could not save {path.name}: {error.strerror or error}.") from error
    return path


_CUE_TIME = re.compile(
    r"(\d{1,2}:)?(\d{2}):(\d{2})[.,](\d{3})\s+-->\s+(\d{1,2}:)?(\d{2}):(\d{2})[.,](\d{3})"
)


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int((hours or "0:")[:-1]) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def parse_cues(text: str) -> list[TranscriptSegment]:
    """Segments of an SRT or WebVTT file (timings and text; styling and cue settings ignored)."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    if text.startswith("WEBVTT"):
        text = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    segments = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.split("\n")
        for i, line in enumerate(lines):
            match = _CUE_TIME.search(line)
            if match:
                g = match.groups()
                start, end = _seconds(*g[0:4]), _seconds(*g[4:8])
                if end < start:
                    raise TranscriptError(f"A cue ends before it starts: {line!r}.")
                segments.append(TranscriptSegment(start, end, "\n".join(lines[i + 1 :]).strip()))
                break
        else:
            if block.strip() and not block.startswith(("NOTE", "STYLE", "REGION")):
                raise TranscriptError(f"Not a subtitle cue: {block[:60]!r}.")
    return segments


def transcript_document(segments: Iterable[TranscriptSegment], name: str, path: Path | None = None) -> Document:
    """A Document of the transcript, one ``[m:ss] text`` line per segment, for summaries and the library."""
    text = to_txt(list(segments)).strip()
    if not text:
        raise TranscriptError(f"Nothing was said in {name}: the transcript is empty.")
    return Document(
        path=path,
        name=name,
        format="transcript",
        pages=(Page(None, text),),
        title=Path(name).stem,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
