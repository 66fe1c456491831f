"""What several subcommands share: argument groups, the workspace, and streaming to the terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from assistant.workspace import Workspace


def add_llm_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="NAME", help="language model to use (see `edgewise doctor`)")
    parser.add_argument("--threads", type=int, metavar="N", help="CPU threads (default: the setting)")
    parser.add_argument(
        "--context", type=int, metavar="TOKENS", help="context window (default: the setting, else fitted to free RAM)"
    )


def workspace_for(args: argparse.Namespace, data_dir: Path) -> Workspace:
    """The data folder's one owner, with the model, context and threads the command line asked for. Without
    --model or a chosen model, the first command that needs one measures this machine to choose it."""
    from assistant.workspace import Workspace

    return Workspace(data_dir, llm_name=args.model, n_ctx=args.context, n_threads=args.threads, calibrate=True)


class StderrProgress:
    """A one-line progress display on a terminal; silent when stderr is not one."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.shown = False

    def __call__(self, done: int, total: int, message: str) -> None:
        if not self.live:
            return
        figure = f" {done}/{total}" if total else ""
        self.stream.write(f"\r\033[K{message}{figure}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def read_for_command(path: str, data_dir: Path):
    """Read a document for a subcommand: progress on stderr (a scan reports each page read by OCR), OCR'd
    pages kept in the data folder's cache, and the reader's notes (a missing language pack) on stderr."""
    from assistant.documents import read_document
    from assistant.documents.ocr_cache import ocr_cache_for
    from assistant.jobs import CancelToken

    progress = StderrProgress()
    document = read_document(path, progress=progress, cancel=CancelToken(), ocr_cache=ocr_cache_for(data_dir))
    progress.clear()
    for note in document.notes:
        print(f"edgewise: note: {note}", file=sys.stderr)
    return document


def stream_to_stdout(deltas: Iterator[str], progress: StderrProgress) -> str:
    """Write each delta as it comes; returns the whole text."""
    parts = []
    for delta in deltas:
        progress.clear()
        sys.stdout.write(delta)
        sys.stdout.flush()
        parts.append(delta)
    progress.clear()
    sys.stdout.write("\n")
    sys.stdout.flush()
    return "".join(parts)
