"""`edgewise check TEXT_FILE --source FILE`: are the figures and the outcomes of any text (a colleague's
summary, another tool's output) backed by the source document? Exit status 1 when some are not.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.common import read_for_command

NAME = "check"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        NAME, parents=parents,
        help="check that every figure and outcome of a text is backed by its source (exit 1 if not)",
    )
    parser.add_argument("text_file", metavar="TEXT_FILE", help="the text to check (a document, or - for stdin)")
    parser.add_argument("--source", required=True, metavar="FILE", help="the document the text is based on")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from datetime import UTC, datetime

    from assistant.documents import read_document
    from assistant.trust.checks import check_document_summary
    from assistant.trust.figures import extract_figures
    from assistant.trust.outcomes import outcome_mentions

    source = read_for_command(args.source, data_dir)
    text = sys.stdin.read() if args.text_file == "-" else read_document(args.text_file).text
    figures = extract_figures(text, number_words=True)
    checked = check_document_summary(text, source)
    if args.json:
        record = {
            "text_file": args.text_file,
            "source": {"path": str(source.path), "name": source.name, "sha256": source.sha256},
            "figures_checked": len(figures),
            "outcomes_checked": len(outcome_mentions(text)),
            "unsupported": checked.as_dicts(),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        print(json.dumps(record, ensure_ascii=False, indent=2))
    elif checked.flagged:
        for item in checked.figures:
            line = text.count("\n", 0, item.figure.start) + 1
            print(f"line {line}: {item.figure.text} ({item.figure.kind}) {item.reason}")
        for flag in checked.outcomes:
            line = text.count("\n", 0, flag.start) + 1
            print(f"line {line}: {flag.text} (outcome: {flag.outcome}) {flag.reason}")
        print(checked.warning(), file=sys.stderr)
    else:
        outcomes = len(outcome_mentions(text))
        print(f"All {len(figures)} figures" + (f" and {outcomes} outcomes" if outcomes else "")
              + f" are found in {source.name}.")
    return 1 if checked.flagged else 0
