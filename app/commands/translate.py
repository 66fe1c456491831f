"""`edgewise translate FILE|- --to LANG`: stream a translation to stdout, paragraph by paragraph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import StderrProgress, add_llm_arguments, session_for, stream_to_stdout
from assistant.jobs import CancelToken

NAME = "translate"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="translate a document or stdin")
    parser.add_argument("file", help="a document, or - to read text from stdin")
    parser.add_argument("--to", required=True, metavar="LANG", help="target language code: en, fr, de, es ...")
    add_llm_arguments(parser)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.documents import document_from_text, read_document
    from assistant.language import detect_language, language_name
    from assistant.translate import check_target

    target = check_target(args.to)
    if args.file == "-":
        document = document_from_text(sys.stdin.read(), name="standard input")
    else:
        document = read_document(args.file)
    source = detect_language(document.text)
    print(f"Source language: {language_name(source) if source else 'not detected'}", file=sys.stderr)
    session = session_for(args, data_dir)
    progress = StderrProgress()
    stream_to_stdout(session.translate(document, target, progress=progress, cancel=CancelToken()), progress)
    return 0
