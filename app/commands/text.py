"""`edgewise text FILE [--json]`: the text Edgewise read from a file, with its page (slide, sheet,
attachment) markers and, for pages read by OCR, the engine and its mean confidence. Nothing is generated."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.commands.common import read_for_command

NAME = "text"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="print the text Edgewise reads from a file")
    parser.add_argument("file", help="any file Edgewise reads: documents, slides, sheets, e-mail, scans, photos")
    parser.add_argument("--json", action="store_true", help="print one JSON object: pages, OCR engine, confidence")
    parser.add_argument(
        "--doubtful", action="store_true", help="list, under each page read by OCR, the words it was unsure of"
    )


def run(args: argparse.Namespace, data_dir: Path) -> int:
    document = read_for_command(args.file, data_dir)
    if args.json:
        print(json.dumps(_record(document), ensure_ascii=False, indent=2))
        return 0
    for page in document.pages:
        if page.label:
            print(f"=== {_marker(page)} ===")
        print(page.text)
        if args.doubtful and page.doubtful_words:
            print(f"(doubtful words: {', '.join(page.doubtful_words)})")
        print()
    return 0


def _marker(page) -> str:
    if page.read_by_ocr:
        return f"{page.label}: {page.ocr_engine}, mean confidence {page.ocr_confidence:.0f}%"
    return page.label


def _record(document) -> dict:
    return {
        "file": str(document.path),
        "name": document.name,
        "format": document.format,
        "title": document.title,
        "sha256": document.sha256,
        "encoding": document.encoding,
        "notes": list(document.notes),
        "pages": [
            {
                "number": page.number,
                "unit": page.unit,
                "name": page.name,
                "label": page.label,
                "text": page.text,
                "ocr": (
                    {"engine": page.ocr_engine, "mean_confidence": page.ocr_confidence,
                     "doubtful_words": list(page.doubtful_words)}
                    if page.read_by_ocr else None
                ),
            }
            for page in document.pages
        ],
    }
