"""`edgewise summarize FILE`: stream a summary of a document to stdout."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.common import StderrProgress, add_llm_arguments, session_for, stream_to_stdout
from assistant.jobs import CancelToken

NAME = "summarize"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="summarise a document")
    parser.add_argument("file", help="PDF, DOCX, ODT, TXT, Markdown or HTML file")
    parser.add_argument("--length", choices=("brief", "detailed", "bullets"), default="brief")
    add_llm_arguments(parser)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.documents import read_document

    document = read_document(args.file)
    session = session_for(args, data_dir)
    progress = StderrProgress()
    stream_to_stdout(session.summarize(document, args.length, progress=progress, cancel=CancelToken()), progress)
    return 0
