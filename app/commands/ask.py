"""`edgewise ask "question"`: an answer from the library, streamed, with numbered sources. Figures of the answer
that the passages it was given do not back are listed on stderr. Without a question, questions are read from
standard input, one a line, each asked after the one before as in the window's conversation (so "And when does
it take effect?" follows the question it refers to)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.commands.common import StderrProgress, add_llm_arguments, stream_to_stdout, workspace_for
from assistant.jobs import CancelToken

NAME = "ask"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        NAME, parents=parents, help="answer a question from the library, with sources",
        description="Answer a question from the library, with sources. Without a question, read questions from "
        "standard input, one a line, each a follow-up of the one before (an empty line or end of input stops).")
    parser.add_argument("question", nargs="*")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: the answer, its passages and the figures and outcomes they do "
                        "not back (one object a line for questions read from standard input)")
    add_llm_arguments(parser)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    single = " ".join(args.question).strip()
    workspace = workspace_for(args, data_dir)
    progress = StderrProgress()
    token = CancelToken()
    history: list[dict[str, str]] = []
    try:
        engine = workspace.engine("answers", progress=progress, cancel=token)
        library = workspace.library()
        for question in [single] if single else _questions(sys.stdin):
            if not single and not args.json and history:
                print()
            shown = _answer(library, engine, question, history, args.json, compact=not single, progress=progress,
                            cancel=token)
            # The window passes the last exchange to the next question: the question and the answer shown.
            history = [{"role": "user", "content": question}, {"role": "assistant", "content": shown.strip()}]
    finally:
        workspace.close()
    return 0


def _questions(stream: Any) -> Iterator[str]:
    """The questions of ``stream``, one a line; at a terminal a "> " prompt before each, and an empty line ends."""
    interactive = stream.isatty()
    if interactive:
        print("Ask a question; the next one can follow it up. An empty line or Ctrl+D ends.", file=sys.stderr)
    while True:
        if interactive:
            print("> ", end="", file=sys.stderr, flush=True)
        line = stream.readline()
        if not line:
            return
        question = line.strip()
        if question:
            yield question
        elif interactive:
            return


def _answer(library: Any, engine: Any, question: str, history: list[dict[str, str]], as_json: bool, *,
            compact: bool, progress: StderrProgress, cancel: CancelToken) -> str:
    """One question answered and printed (streamed, or as JSON); returns the answer as shown, without its
    sources."""
    from datetime import UTC, datetime

    from assistant.library.ask import SOURCES_HEADING, ask_library, checked_answer
    from assistant.trust.provenance import AI_NOTICE

    answer = ask_library(library, engine, question, history=history or None, progress=progress, cancel=cancel)
    if as_json:
        text = "".join(answer.deltas)
        progress.clear()
    else:
        if compact:
            print(f"> {question}")
        text = stream_to_stdout(answer.deltas, progress)
    # The finished answer: a quote shown while the model read does not stand when the model found no answer.
    text = answer.text or text
    shown = text.split(SOURCES_HEADING)[0]
    checked = checked_answer(text, [c.text for c in answer.citations])
    if as_json:
        record = {
            "question": answer.question,
            "text": shown,
            "found_nothing": answer.found_nothing,
            "citations": [citation.to_json() | {"cited": citation.number in answer.cited}
                          for citation in answer.citations],
            "unsupported": checked.as_dicts(),
            "model": engine.name,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "notice": AI_NOTICE,
        }
        print(json.dumps(record, ensure_ascii=False) if compact else json.dumps(record, ensure_ascii=False, indent=2),
              flush=True)
    if checked.flagged:
        print(checked.warning(), file=sys.stderr)
    return shown
