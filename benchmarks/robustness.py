"""Torture test of the document readers: hostile files, each read in a child process with a time limit.

The files are a corpus folder (by default the PDFs of mozilla/pdf.js `test/pdfs`, fetched beside this
checkout: `git clone --depth 1 https://github.com/mozilla/pdf.js ../pdf.js`; never committed here) plus
files made in a temporary folder: truncated copies of corpus files, random bytes, zero bytes, files whose
extension lies about their content, and 1 GB files. Each file is read by `read_document` in a forked child
(address space capped, so a runaway allocation fails inside the child) and counted as

  read         a document came back;
  clear error  a DocumentError: the one sentence a person sees (encrypted, corrupt, no text layer, ...);
  bug          any other exception;
  hang         still reading after the time limit (the child is killed);
  crash        the child died without an answer (a signal in a native library, an abort).

Then `edgewise library add` runs on the whole folder in a fresh data folder, and the check is that it
finishes, lists every file it did not index with its reason, and indexed every file the readers read.

    nice -n 5 .venv/bin/python benchmarks/robustness.py [--corpus DIR] [--limit N] [--no-library]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

DEFAULT_CORPUS = PROJECT.parent / "pdf.js" / "test" / "pdfs"
OWN_CORPUS = PROJECT.parent / "shared" / "corpus"
KINDS = ("read", "clear error", "bug", "hang", "crash")
#: A child may not map more than this: a reader that tries to hold a huge file several times over fails
#: with MemoryError in the child instead of taking the machine down.
CHILD_ADDRESS_SPACE = 6 * 2**30
GIB = 2**30


@dataclass(frozen=True)
class Outcome:
    path: Path
    kind: str
    detail: str
    seconds: float


def make_hostile_files(folder: Path, corpus: list[Path], seed: int = 16) -> list[Path]:
    """Files no reader should trust, made in ``folder`` (names start with ``hostile-``)."""
    rng = random.Random(seed)
    made: list[Path] = []

    def write(name: str, data: bytes) -> None:
        path = folder / f"hostile-{name}"
        path.write_bytes(data)
        made.append(path)

    sources = [p for p in corpus if p.stat().st_size > 4096][:5]
    for number, source in enumerate(sources, 1):
        data = source.read_bytes()
        write(f"truncated-half-{number}{source.suffix.lower()}", data[: len(data) // 2])
        write(f"truncated-1k-{number}{source.suffix.lower()}", data[:1024])
    noise = bytes(rng.getrandbits(8) for _ in range(256 * 1024))
    for suffix in (".pdf", ".docx", ".odt", ".txt", ".html", ".md"):
        write(f"random{suffix}", noise)
        write(f"zero-bytes{suffix}", b"")
    write("random-after-pdf-header.pdf", b"%PDF-1.7\n" + noise)
    pdf = OWN_CORPUS / "pdf" / "minimal-document.pdf"
    docx = next(iter(sorted((OWN_CORPUS).rglob("*.docx"))), None)
    write("pdf-named.docx", pdf.read_bytes())
    write("pdf-named.odt", pdf.read_bytes())
    write("pdf-named.txt", pdf.read_bytes())
    write("pdf-named.html", pdf.read_bytes())
    if docx is not None:
        write("docx-named.pdf", docx.read_bytes())
        write("docx-named.odt", docx.read_bytes())
    for name, head in (("1gb.pdf", b"%PDF-1.7\n"), ("1gb.txt", b"Not much text, then a gigabyte of nothing.\n")):
        path = folder / f"hostile-{name}"
        with path.open("wb") as out:  # sparse: no gigabyte on disk, a gigabyte for any reader
            out.write(head)
            out.truncate(GIB)
        made.append(path)
    return made


def _read_in_child(path: str, connection: Connection) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))
    from assistant.documents import read_document
    from assistant.errors import DocumentError

    try:
        document = read_document(path)
        answer = ("read", f"{document.page_count} pages, {sum(len(p.text) for p in document.pages):,} characters")
    except DocumentError as error:
        answer = ("clear error", f"{type(error).__name__}: {error}")
    except BaseException as error:  # noqa: BLE001 - what we are looking for
        last = traceback.extract_tb(error.__traceback__)[-1]
        answer = ("bug", f"{type(error).__name__}: {error} ({Path(last.filename).name}:{last.lineno})")
    connection.send(answer)
    connection.close()


def read_one(path: Path, limit: float) -> Outcome:
    context = multiprocessing.get_context("fork")  # the parent has imported the readers once; forks are cheap
    ours, theirs = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, args=(str(path), theirs), daemon=True)
    start = time.perf_counter()
    child.start()
    theirs.close()
    if ours.poll(limit):
        try:
            kind, detail = ours.recv()
        except EOFError:  # died before answering
            child.join()
            kind, detail = "crash", _death(child.exitcode)
        child.join(10)
    else:
        child.kill()
        child.join()
        kind, detail = "hang", f"no answer after {limit:.0f} s"
    if child.is_alive():
        child.kill()
    ours.close()
    return Outcome(path, kind, detail, time.perf_counter() - start)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        import signal

        return f"killed by {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


def library_add(folder: Path, deadline: float) -> tuple[dict[str, str], dict[str, str], str, float | None]:
    """``edgewise library add`` on ``folder`` in a fresh data folder: (status by name, failures listed on
    stderr by name, its summary line, seconds or None if it did not finish in time)."""
    data = Path(tempfile.mkdtemp(prefix="edgewise-robustness-data-"))
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "app", "--data-dir", str(data), "library"]
    start = time.perf_counter()
    try:
        done = subprocess.run([*command, "add", str(folder)], env=env, capture_output=True, text=True,
                              timeout=deadline)
    except subprocess.TimeoutExpired:
        shutil.rmtree(data, ignore_errors=True)
        return {}, {}, "", None
    seconds = time.perf_counter() - start
    listed = {}
    for line in done.stderr.splitlines():
        if line.startswith("failed: "):
            where, _, reason = line[len("failed: "):].partition(": ")
            listed[Path(where).name] = reason
    records = json.loads(subprocess.run([*command, "list", "--json"], env=env, capture_output=True, text=True,
                                        check=True).stdout)
    shutil.rmtree(data, ignore_errors=True)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else f"exit code {done.returncode}"
    return {Path(r["file"]).name: r["status"] for r in records}, listed, summary, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of hostile files (recursive)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N corpus files (sorted by name)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds a file may take to read")
    parser.add_argument("--no-library", action="store_true", help="only the readers, not `edgewise library add`")
    parser.add_argument("--library-deadline", type=float, default=3600.0, help="seconds library add may take")
    args = parser.parse_args()

    from assistant.offline import install_offline_guard

    install_offline_guard()
    import assistant.documents.office  # noqa: F401 - imported once here, so each forked child starts warm
    import assistant.documents.pdf  # noqa: F401
    import assistant.documents.web  # noqa: F401

    if not args.corpus.is_dir():
        print(f"No corpus at {args.corpus}: fetch it (see this script's docstring) or pass --corpus DIR.")
        return 2
    corpus = sorted(p for p in args.corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    if args.limit:
        corpus = corpus[: args.limit]
    with tempfile.TemporaryDirectory(prefix="edgewise-robustness-") as scratch:
        folder = Path(scratch) / "files"
        folder.mkdir()
        hostile = make_hostile_files(folder, corpus)
        for source in corpus:
            target = folder / source.relative_to(args.corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        print(f"{len(files)} files: {len(corpus)} from {args.corpus}, {len(hostile)} made here "
              f"(limit {args.time_limit:.0f} s each)")
        outcomes = []
        for number, path in enumerate(files, 1):
            outcome = read_one(path, args.time_limit)
            outcomes.append(outcome)
            if outcome.kind not in ("read", "clear error"):
                print(f"  {outcome.kind.upper()}: {path.relative_to(folder)}: {outcome.detail}", flush=True)
            if number % 100 == 0:
                print(f"  ... {number} of {len(files)}", flush=True)
        counts = Counter(o.kind for o in outcomes)
        print("\n" + " | ".join(f"{kind}: {counts.get(kind, 0)}" for kind in KINDS))
        slowest = max(outcomes, key=lambda o: o.seconds)
        print(f"slowest: {slowest.path.relative_to(folder)} ({slowest.seconds:.1f} s, {slowest.kind})")
        reasons = Counter(o.detail.split(":", 1)[0] for o in outcomes if o.kind == "clear error")
        print("clear errors: " + ", ".join(f"{name} {n}" for name, n in reasons.most_common()))
        bad = counts["bug"] + counts["hang"] + counts["crash"]
        if args.no_library:
            return 1 if bad else 0

        print("\nedgewise library add on the whole folder ...", flush=True)
        statuses, listed, summary, seconds = library_add(folder, args.library_deadline)
        if seconds is None:
            print(f"library add did NOT finish in {args.library_deadline:.0f} s")
            return 1
        print(f"finished in {seconds:.0f} s: {summary}")
        by_name = {o.path.name: o for o in outcomes}
        not_indexed = [name for name, o in by_name.items() if o.kind == "read" and statuses.get(name) != "indexed"]
        unlisted = [name for name, status in statuses.items() if status == "failed" and name not in listed]
        print(f"{sum(s == 'indexed' for s in statuses.values())} indexed, {len(listed)} failures listed with a "
              f"reason; readable but not indexed: {len(not_indexed)}; failed but not listed: {len(unlisted)}")
        for name in not_indexed + unlisted:
            print(f"  {name}: {statuses.get(name)}")
        return 1 if bad or not_indexed or unlisted else 0


if __name__ == "__main__":
    raise SystemExit(main())
