"""`edgewise library add|list|remove|rescan`: manage the on-device library from the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.common import StderrProgress
from assistant.jobs import CancelToken

NAME = "library"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="add, list, remove or rescan library documents")
    actions = parser.add_subparsers(dest="library_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=parents, help="index files and folders (folders are rescanned later)")
    add.add_argument("paths", nargs="+", metavar="PATH")
    listing = actions.add_parser("list", parents=parents, help="the documents in the library and their status")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    remove = actions.add_parser("remove", parents=parents, help="remove files or added folders")
    remove.add_argument("paths", nargs="+", metavar="PATH")
    actions.add_parser("rescan", parents=parents, help="pick up new, changed and deleted files in added folders")


def open_library(data_dir: Path):
    from assistant.library.index import LibraryIndex

    return LibraryIndex(data_dir)


def announcing_waits(progress: StderrProgress):
    """``progress``, except that waiting for another writer is always said on stderr, terminal or not."""
    from assistant.library.writer import WAITING_MESSAGE

    def report(done: int, total: int, message: str) -> None:
        if message == WAITING_MESSAGE:
            progress.clear()
            print(f"edgewise: {message}", file=sys.stderr, flush=True)
        else:
            progress(done, total, message)

    return report


def run(args: argparse.Namespace, data_dir: Path) -> int:
    index = open_library(data_dir)
    try:
        action = args.library_action
        if action == "list":
            return _list(index, args.json)
        progress = StderrProgress()
        if action == "remove":
            for path in index.remove(args.paths, progress=announcing_waits(progress)):
                print(f"removed {path}")
            return 0
        token = CancelToken()
        if action == "add":
            report = index.add(args.paths, progress=announcing_waits(progress), cancel=token)
        else:
            report = index.rescan(progress=announcing_waits(progress), cancel=token)
        progress.clear()
        for path, reason in report.failed.items():
            print(f"failed: {path}: {reason}", file=sys.stderr)
        print(report.summary())
        return 0
    finally:
        index.close()


def _list(index, as_json: bool) -> int:
    records = index.documents()
    if as_json:
        print(json.dumps([record.to_json() for record in records], ensure_ascii=False, indent=2))
        return 0
    if not records:
        print("The library is empty. Add documents with `edgewise library add PATH...`.")
        return 0
    for record in records:
        pages = f"{record.pages} pages" if record.pages is not None else "no pages"
        status = f"failed: {record.error}" if record.error else record.status
        print(f"{record.path}\t{record.format or '-'}\t{pages}\t{record.chunks} passages\t"
              f"added {record.added_at[:10]}\t{status}")
    return 0
