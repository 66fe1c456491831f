"""`edgewise ask "question"`: an answer from the library, streamed, with numbered sources. Figures of the answer
that the passages it was given do not back are listed on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.common import StderrProgress, add_llm_arguments, stream_to_stdout, workspace_for
from assistant.jobs import CancelToken

NAME = "ask"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="answer a question from the library, with sources")
    parser.add_argument("question", nargs="+")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: the answer, its passages and the figures they do not back")
    add_llm_arguments(parser)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from datetime import UTC, datetime

    from assistant.library.ask import SOURCES_HEADING, ask_library, unsupported_figures
    from assistant.trust.figures import warning_line
    from assistant.trust.provenance import AI_NOTICE

    workspace = workspace_for(args, data_dir)
    progress = StderrProgress()
    token = CancelToken()
    try:
        engine = workspace.engine("answers", progress=progress, cancel=token)
        answer = ask_library(workspace.library(), engine, " ".join(args.question), progress=progress, cancel=token)
        if args.json:
            text = "".join(answer.deltas)
            progress.clear()
        else:
            text = stream_to_stdout(answer.deltas, progress)
        # The finished answer: a quote shown while the model read does not stand when the model found no answer.
        text = answer.text or text
        model = engine.name
    finally:
        workspace.close()
    unsupported = unsupported_figures(text, [c.text for c in answer.citations])
    if args.json:
        record = {
            "question": answer.question,
            "text": text.split(SOURCES_HEADING)[0],
            "found_nothing": answer.found_nothing,
            "citations": [citation.to_json() | {"cited": citation.number in answer.cited}
                          for citation in answer.citations],
            "unsupported": [item.as_dict() for item in unsupported],
            "model": model,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "notice": AI_NOTICE,
        }
        print(json.dumps(record, ensure_ascii=False, indent=2))
    if unsupported:
        print(warning_line(unsupported), file=sys.stderr)
    return 0
