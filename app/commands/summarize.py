"""`edgewise summarize FILE`: stream a summary of a document to stdout, or its key points, or one JSON object.

Figures and outcomes in the summary that the document does not back are listed on stderr (and under
`unsupported` in JSON, outcomes with kind "outcome").
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from app.commands.common import (
    StderrProgress,
    add_llm_arguments,
    read_for_command,
    stream_to_stdout,
    workspace_for,
)
from assistant.jobs import CancelToken
from assistant.settings import SUMMARY_LENGTHS

NAME = "summarize"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="summarise a document")
    parser.add_argument("file", help="a document, slide deck, sheet, e-mail, scan or photo (see `edgewise text`)")
    parser.add_argument("--length", choices=SUMMARY_LENGTHS, help="brief, detailed or bullets (default: the "
                        "summary.length setting, brief unless changed)")
    parser.add_argument(
        "--key-points", action="store_true", help="print the document's key sentences with their pages (no LLM)"
    )
    parser.add_argument("--count", type=int, default=7, metavar="N", help="how many key points (default 7)")
    parser.add_argument(
        "--thorough",
        action="store_true",
        help="read every part of a long document and combine the notes (slower); the default reads the most "
        "informative passages in one pass",
    )
    parser.add_argument(
        "--no-quotes",
        dest="quote_figures",
        action="store_false",
        default=None,
        help="do not quote, under the summary, the key sentences whose figures it leaves out (setting "
        "summary.quote_figures)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of plain text")
    add_llm_arguments(parser)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    document = read_for_command(args.file, data_dir)
    if args.key_points:
        return _key_points(document, args)

    from assistant.trust.checks import check_document_summary
    from assistant.trust.provenance import json_result
    from assistant.writing.summary.present import SummaryReport, checked_part, strip_footer

    workspace = workspace_for(args, data_dir)
    length = args.length or workspace.settings.get("summary.length")
    progress = StderrProgress()
    report = SummaryReport()
    stream = workspace.summarize(
        document,
        length,
        progress=progress,
        cancel=CancelToken(),
        thorough=args.thorough,
        report=report,
        quote_figures=args.quote_figures,
    )
    if args.json:
        text = "".join(stream)
        progress.clear()
    else:
        text = stream_to_stdout(stream, progress)
    body = strip_footer(text, report).strip()
    checked = check_document_summary(checked_part(body), document)  # the quotes are the source's words
    if args.json:
        provenance = workspace.provenance(document, "summary", length=length, quote_figures=args.quote_figures)
        provenance = dataclasses.replace(provenance, settings={**provenance.settings, "mode": report.mode})
        record = json_result(
            body,
            provenance,
            mode=report.mode,
            source_path=str(document.path) if document.path else None,
            unsupported=checked.as_dicts(),
            coverage=report.as_dict(),
            quoted=[point.as_dict() for point in report.quoted],
            # Why the model's text is not shown (it copied the document or retold the form), else null.
            echo_notice=report.guard.notice or None,
            requests=report.guard.attempts,
            length=length,
        )
        print(json.dumps(record, ensure_ascii=False, indent=2))
    if checked.flagged:
        print(checked.warning(), file=sys.stderr)
    return 0


def _key_points(document, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from assistant.writing.summary.fields import key_points

    points = key_points(document, count=args.count)
    if args.json:
        record = {
            "key_points": [p.as_dict() for p in points],
            "mode": "key points (extractive, no LLM)",
            "source": {
                "path": str(document.path) if document.path else None,
                "name": document.name,
                "sha256": document.sha256,
            },
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        print(json.dumps(record, ensure_ascii=False, indent=2))
    elif not points:
        print(f"{document.name} has no sentences to pick key points from.", file=sys.stderr)
    else:
        for point in points:
            print(f"- {point.line()}")
    return 0
