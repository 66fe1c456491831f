"""`edgewise search QUERY`: the library's best passages for a query (no language model involved)."""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path

from app.commands.library import open_library

NAME = "search"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="search the library for passages")
    parser.add_argument("query", nargs="+", help="words, a phrase or an exact code")
    parser.add_argument("-k", type=int, default=5, metavar="N", help="how many passages (default 5)")
    parser.add_argument("--json", action="store_true", help="print a JSON list of {file, page, score, text}")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    index = open_library(data_dir)
    try:
        hits = index.search(" ".join(args.query), k=max(1, args.k))
    finally:
        index.close()
    if args.json:
        print(json.dumps([hit.to_json() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("Nothing found in the library.")
        return 0
    for number, hit in enumerate(hits, start=1):
        print(f"[{number}] {hit.file}" + (f", page {hit.page}" if hit.page is not None else "")
              + f"  (score {hit.score:.4f})")
        snippet = hit.text if len(hit.text) <= 300 else hit.text[:299] + "…"
        print(textwrap.indent(textwrap.fill(snippet, 100), "    "))
    return 0
