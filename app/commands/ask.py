"""`edgewise ask "question"`: an answer from the library, streamed, with numbered sources. Figures of the answer
that the passages it was given do not back are listed on stderr."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import StderrProgress, add_llm_arguments, session_for, stream_to_stdout
from app.commands.library import open_library
from assistant.jobs import CancelToken

NAME = "ask"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="answer a question from the library, with sources")
    parser.add_argument("question", nargs="+")
    add_llm_arguments(parser)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.figures import warning_line
    from assistant.library.ask import ask_library, unsupported_figures

    index = open_library(data_dir)
    session = session_for(args, data_dir)
    progress = StderrProgress()
    token = CancelToken()
    try:
        answer = ask_library(index, session.engine(progress, token), " ".join(args.question),
                             progress=progress, cancel=token)
        text = stream_to_stdout(answer.deltas, progress)
    finally:
        index.close()
        session.close()
    if answer.citations and (unsupported := unsupported_figures(text, [c.text for c in answer.citations])):
        print(warning_line(unsupported), file=sys.stderr)
    return 0
