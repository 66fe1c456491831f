"""`edgewise translate FILE|- [--to LANG]`: stream a translation to stdout, paragraph by paragraph.

Each paragraph's figures are checked against its source paragraph; differences are listed on stderr (and under
`unsupported` with `--json`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.common import StderrProgress, add_llm_arguments, stream_to_stdout, workspace_for
from assistant.jobs import CancelToken

NAME = "translate"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="translate a document or stdin")
    parser.add_argument("file", help="a document, or - to read text from stdin")
    parser.add_argument("--to", metavar="LANG", help="target language code: en, fr, de, es ... (default: the "
                        "translate.language setting)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of plain text")
    add_llm_arguments(parser)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.documents import document_from_text, read_document
    from assistant.text.language import detect_language, language_name
    from assistant.trust.checks import check_translated
    from assistant.trust.provenance import json_result
    from assistant.writing.translate import check_target, translation_units

    workspace = workspace_for(args, data_dir)
    target = check_target(args.to or workspace.settings.get("translate.language"))
    if args.file == "-":
        document = document_from_text(sys.stdin.read(), name="standard input")
    else:
        document = read_document(args.file)
    source = detect_language(document.text)
    print(f"Source language: {language_name(source) if source else 'not detected'}", file=sys.stderr)
    progress = StderrProgress()
    stream = workspace.translate(document, target, progress=progress, cancel=CancelToken())
    if args.json:
        text = "".join(stream)
        progress.clear()
    else:
        text = stream_to_stdout(stream, progress)
    checked = check_translated([unit.text for unit in translation_units(document)], text)
    if args.json:
        record = json_result(
            text.strip(),
            workspace.provenance(document, "translation", target=target),
            mode="paragraph by paragraph",
            source_path=str(document.path) if document.path else None,
            unsupported=checked.as_dicts(),
            source_language=source,
            target_language=target,
        )
        print(json.dumps(record, ensure_ascii=False, indent=2))
    if checked.flagged:
        print(checked.warning(), file=sys.stderr)
    return 0
