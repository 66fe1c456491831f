"""The `edgewise` command: the GUI when called bare, subcommands (app/commands/) for terminal work.

Results stream to stdout; progress and notices go to stderr; an expected failure is one line on stderr
and a non-zero exit code, with the traceback only in the log file.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from app.commands import COMMANDS
from app.logs import configure_logging
from app.paths import resolve_data_dir
from assistant.errors import EdgewiseError
from assistant.jobs import Cancelled

log = logging.getLogger("edgewise.cli")

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder for models, settings, library and logs "
        "(default: $EDGEWISE_HOME or the platform's user-data folder)",
    )
    common.add_argument("-v", "--verbose", action="store_true", help="also log to stderr")

    parser = argparse.ArgumentParser(
        prog="edgewise",
        description="Offline assistant: summaries, translations and more, on this device only.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = commands.add_parser("gui", parents=[common], help="open the window (the default)")
    gui.add_argument("file", nargs="?", help="a document to open at once")
    for command in COMMANDS:
        command.register(commands, [common])
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
        from assistant.workspace import Workspace
        from ui.application import run_gui

        file = getattr(args, "file", None)
        workspace = Workspace(data_dir)
        try:
            return run_gui(workspace, [file] if file else [])
        finally:
            workspace.close()

    command = next(c for c in COMMANDS if args.command == c.NAME)
    try:
        return command.run(args, data_dir)
    except EdgewiseError as exc:
        log.info("command failed: %s", exc, exc_info=True)
        print(f"edgewise: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (KeyboardInterrupt, Cancelled):
        print("\nedgewise: stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: the traceback goes to the log, one line to the person
        log.exception("unexpected failure")
        print(f"edgewise: error: something went wrong ({exc}). Details are in the log.", file=sys.stderr)
        return EXIT_ERROR
