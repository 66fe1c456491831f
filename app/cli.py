"""The `edgewise` command: the GUI when called bare, subcommands (app/commands/) for terminal work.

Results stream to stdout; progress and notices go to stderr; an expected failure is one line on stderr
and a non-zero exit code, with the traceback only in the log file.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.commands import COMMANDS
from app.logs import configure_logging
from app.paths import make_private, resolve_data_dir
from assistant.errors import EdgewiseError
from assistant.jobs import Cancelled

log = logging.getLogger("edgewise.cli")

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


def _common_options(*, with_defaults: bool) -> argparse.ArgumentParser:
    """--data-dir and --verbose, accepted before and after the command. After it they carry no default:
    argparse would otherwise overwrite a value given before the command with the sub-command's default."""
    common = argparse.ArgumentParser(add_help=False)
    unset: dict[str, Any] = {} if with_defaults else {"default": argparse.SUPPRESS}
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder for models, settings, library and logs "
        "(default: $EDGEWISE_HOME or the platform's user-data folder)",
        **unset,
    )
    common.add_argument("-v", "--verbose", action="store_true", help="also log to stderr", **unset)
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edgewise",
        description="Offline assistant: summaries, translations and more, on this device only.",
        parents=[_common_options(with_defaults=True)],
    )
    common = _common_options(with_defaults=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = commands.add_parser("gui", parents=[common], help="open the window (the default; `edgewise FILE...` "
                              "opens files in it)")
    gui.add_argument("files", nargs="*", metavar="FILE", help="documents to open at once")
    for command in COMMANDS:
        command.register(commands, [common])
    return parser


def files_mean_gui(argv: Sequence[str]) -> list[str]:
    """``edgewise FILE...`` (what a desktop's "Open with" and the desktop entry's ``Exec=edgewise %f`` run)
    means ``edgewise gui FILE...``. A first word that is no command but names a file (it exists, or has a
    dot or a slash, which no command has) is taken for one; a mistyped command still gets argparse's error."""
    argv = list(argv)
    commands = {"gui", *(command.NAME for command in COMMANDS)}
    position = 0
    while position < len(argv):
        word = argv[position]
        if word == "--":
            break
        if word == "--data-dir":
            position += 2
            continue
        if word.startswith("-"):
            position += 1
            continue
        if word not in commands and (Path(word).exists() or "." in word or "/" in word):
            argv.insert(position, "gui")
        break
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(files_mean_gui(sys.argv[1:] if argv is None else argv))
    try:
        data_dir = resolve_data_dir(args.data_dir)
    except OSError as exc:
        print(f"edgewise: error: cannot use the data folder: {exc}", file=sys.stderr)
        return EXIT_ERROR
    notice = make_private(data_dir)
    configure_logging(data_dir, verbose=args.verbose)
    if notice:
        log.warning(notice)
        print(f"edgewise: warning: {notice}", file=sys.stderr)

    if args.command in (None, "gui"):
        from assistant.workspace import Workspace
        from ui.application import run_gui

        workspace = Workspace(data_dir, calibrate=True)
        try:
            return run_gui(workspace, getattr(args, "files", []), notices=[notice] if notice else [])
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
    except BrokenPipeError:  # the reader went away (`edgewise ... | head`): nothing left to say to anyone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush stays quiet
        return EXIT_ERROR
    except Exception as exc:  # a bug: the traceback goes to the log, one line to the person
        log.exception("unexpected failure")
        print(f"edgewise: error: something went wrong ({exc}). Details are in the log.", file=sys.stderr)
        return EXIT_ERROR
