"""Voice notes and transcripts kept as files: a transcript (``[m:ss] text`` lines) saved as text beside its
recording in ``<data>/voice-notes``, from where the library indexes it like any document, so a search
finds the note and an answer cites its time position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.jobs import CancelToken, ProgressCallback
from assistant.speech.audio import write_wav
from assistant.speech.transcriber import TranscriptSegment
from assistant.speech.transcripts import TranscriptError, to_txt

if TYPE_CHECKING:
    from assistant.library.index import LibraryIndex


def notes_folder(data_dir: Path) -> Path:
    return Path(data_dir) / "voice-notes"


def _safe_stem(name: str) -> str:
    stem = re.sub(r'[\\/:*?"<>|\s]+', "-", Path(name).stem).strip("-.")
    return stem or "recording"


def new_note_name(now: datetime | None = None) -> str:
    return f"Voice note {(now or datetime.now()).strftime('%Y-%m-%d %H-%M-%S')}"


def save_transcript(
    segments: Sequence[TranscriptSegment],
    name: str,
    data_dir: Path,
    *,
    audio: np.ndarray | None = None,
) -> Path:
    """Write the transcript (and the recording, when given) into the voice-notes folder; returns the text file."""
    if not any(segment.text for segment in segments):
        raise TranscriptError(f"Nothing was said in {name}: there is no transcript to save.")
    folder = notes_folder(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stem = _safe_stem(name)
    path = folder / f"{stem}.transcript.txt"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.transcript.txt"
        number += 1
    header = f"Transcript of {name}\n\n"
    try:
        path.write_text(header + to_txt(segments), encoding="utf-8")
    except OSError as error:
        raise TranscriptError(f"Could not save the transcript of {name}: {error.strerror or error}.") from error
    if audio is not None and len(audio):
        write_wav(path.with_name(path.name.replace(".transcript.txt", ".wav")), audio)
    return path


def add_to_library(
    segments: Sequence[TranscriptSegment],
    name: str,
    library: LibraryIndex,
    *,
    audio: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Save the transcript as a file in the library's data folder and index it; returns the transcript file.
    ``library`` is the folder's one open index (a second one would recover, and so re-queue, what the first is
    still indexing)."""
    path = save_transcript(segments, name, library.data_dir, audio=audio)
    report = library.add([path], progress=progress, cancel=cancel)
    if report.failed:
        raise TranscriptError(f"The transcript could not be added to the library: {next(iter(report.failed.values()))}")
    return path
