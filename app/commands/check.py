"""`edgewise check TEXT_FILE --source FILE`: are the figures of any text (a colleague's summary, another tool's
output) backed by the source document? Exit status 1 when some are not.
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
        NAME, parents=parents, help="check that every figure of a text is found in its source (exit 1 if not)"
    )
    parser.add_argument("text_file", metavar="TEXT_FILE", help="the text to check (a document, or - for stdin)")
    parser.add_argument("--source", required=True, metavar="FILE", help="the document the text is based on")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from datetime import UTC, datetime

    from assistant.documents import read_document
    from assistant.trust.figures import check_text, extract_figures, warning_line

    source = read_for_command(args.source, data_dir)
    text = sys.stdin.read() if args.text_file == "-" else read_document(args.text_file).text
    checked = extract_figures(text, number_words=True)
    unsupported = check_text(text, source.text, number_words=True)
    if args.json:
        record = {
            "text_file": args.text_file,
            "source": {"path": str(source.path), "name": source.name, "sha256": source.sha256},
            "figures_checked": len(checked),
            "unsupported": [u.as_dict() for u in unsupported],
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        print(json.dumps(record, ensure_ascii=False, indent=2))
    elif unsupported:
        for item in unsupported:
            line = text.count("\n", 0, item.figure.start) + 1
            print(f"line {line}: {item.figure.text} ({item.figure.kind}) {item.reason}")
        print(warning_line(unsupported), file=sys.stderr)
    else:
        print(f"All {len(checked)} figures are found in {source.name}.")
    return 1 if unsupported else 0
