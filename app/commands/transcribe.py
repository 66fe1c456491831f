"""`edgewise transcribe FILE`: stream a recording's transcript to stdout as TXT, SRT, WebVTT or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import StderrProgress
from assistant.jobs import CancelToken

NAME = "transcribe"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="transcribe a recording (WAV, FLAC, MP3, M4A, OGG)")
    parser.add_argument("file", help="the recording")
    parser.add_argument("--format", choices=("txt", "srt", "vtt", "json"), default="txt",
                        help="output format (default txt: one [m:ss] line per segment)")
    parser.add_argument("--language", metavar="xx", help="spoken language code, or auto to detect it per segment "
                        "(default: the speech.language setting, auto unless changed)")
    parser.add_argument("--threads", type=int, metavar="N", help="CPU threads (default: physical cores)")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.speech import transcripts
    from assistant.speech.audio import FileAudioSource
    from assistant.speech.transcriber import Transcriber, detected_languages
    from assistant.text.language import language_name

    cancel = CancelToken()
    source = FileAudioSource(args.file, cancel=cancel)
    transcriber = Transcriber(data_dir, n_threads=args.threads)
    progress = StderrProgress()
    if args.language:
        language = None if args.language.lower() == "auto" else args.language.lower()
    else:
        language = transcriber.default_language()
    segments = []
    if args.format == "vtt":
        sys.stdout.write(transcripts.VTT_HEADER)
    for segment in transcriber.transcribe(source, language, progress=progress, cancel=cancel):
        segments.append(segment)
        if args.format == "json":
            continue  # one JSON document, written at the end
        progress.clear()
        if args.format == "txt":
            sys.stdout.write(transcripts.to_txt([segment]))
        elif args.format == "srt":
            sys.stdout.write(transcripts.srt_cue(len(segments), segment))
        else:
            sys.stdout.write(transcripts.vtt_cue(segment))
        sys.stdout.flush()
    progress.clear()
    if args.format == "json":
        sys.stdout.write(transcripts.to_json(segments, source.name))
    sys.stdout.flush()
    codes = detected_languages(segments)
    if not segments:
        print(f"No speech was found in {source.name}.", file=sys.stderr)
    elif not language:
        names = ", ".join(language_name(code) for code in codes)
        print(f"Detected language: {names}", file=sys.stderr)
    return 0
