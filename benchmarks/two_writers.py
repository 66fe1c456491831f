"""Two writers on one library, again and again: nothing lost, nothing half-indexed.

Each run does three scenarios, each on a fresh library with real processes:
  at-once  two `edgewise library add` processes started together on different files;
  held     a writer stopped mid-ingestion on cue (tests/library/holding_writer.py), then `edgewise library
           add` of another file, which must say it waits; then the first writer goes on;
  killed   the same, but the first writer is killed with SIGKILL while the second waits.
Then the library is checked: no document left 'indexing'; each indexed one has as many passages, keyword
rows and vectors as its record says; every file added is indexed, and a vector search for a passage of it
finds it.

    nice -n 5 .venv/bin/python benchmarks/two_writers.py [--runs 10] [--scenarios at-once,held,killed]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

CORPUS = PROJECT.parent / "shared" / "corpus"
FIRST = CORPUS / "html" / "wikipedia" / "source.html"  # 28,000 characters: a few seconds of embedding
SECOND = CORPUS / "pdf" / "multicolumn.pdf"
_DEADLINE = 900


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT)}


def _cli_add(data: Path, path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "app", "--data-dir", str(data), "library", "add", str(path)],
                            cwd=PROJECT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _waits(process: subprocess.Popen) -> bool:
    """Read the CLI writer's stderr until it says it waits (True) or ends (False)."""
    assert process.stderr is not None
    while line := process.stderr.readline():
        if "Waiting for the library" in line:
            return True
    return False


def _holding_writer(data: Path, signals: Path, path: Path) -> subprocess.Popen:
    signals.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "tests.library.holding_writer", str(data), str(signals),
                                "passage", str(path)], cwd=PROJECT, env=_env())
    deadline = time.monotonic() + _DEADLINE
    while not (signals / "holding").exists():  # the cue: it holds the lock mid-ingestion
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the first writer never reached its cue")
        time.sleep(0.05)
    return process


def scenario(kind: str, data: Path, files: tuple[Path, Path]) -> tuple[bool, str]:
    """Run one scenario; (whether the second writer waited, what happened)."""
    first_file, second_file = files
    if kind == "at-once":
        first, second = _cli_add(data, first_file), _cli_add(data, second_file)
        waited = [_waits(first), _waits(second)]
        codes = [first.wait(_DEADLINE), second.wait(_DEADLINE)]
        return any(waited), f"exit codes {codes}"
    first = _holding_writer(data, data.parent / "signals", first_file)
    second = _cli_add(data, second_file)
    try:
        waited = _waits(second)
        if kind == "held":
            (data.parent / "signals" / "go").touch()
            first.wait(_DEADLINE)
        else:
            os.kill(first.pid, signal.SIGKILL)
            first.wait(60)
        second.wait(_DEADLINE)
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
    return waited, f"first writer {'killed' if kind == 'killed' else f'exit {first.returncode}'}, " \
                   f"second exit {second.returncode}"


def check(data: Path, files: tuple[Path, Path], embedder) -> list[str]:
    """What is wrong with the library (nothing: an empty list)."""
    from assistant.library.index import LibraryIndex
    from assistant.library.store import INDEXED

    problems = []
    index = LibraryIndex(data, embedder=embedder)
    try:
        store = index.store
        records = {Path(record.path).name: record for record in index.documents()}
        for name, record in records.items():
            rows = store.query("SELECT COUNT(*) FROM chunks WHERE document_id = ?", (record.id,))[0][0]
            fts = store.query("SELECT COUNT(*) FROM chunks_fts WHERE rowid IN "
                              "(SELECT id FROM chunks WHERE document_id = ?)", (record.id,))[0][0]
            vectors = len(store.vectors().get(where={"document_id": record.id}, include=[])["ids"])
            expected = record.chunks if record.status == INDEXED else 0
            if record.status != INDEXED or not rows == fts == vectors == expected > 0:
                problems.append(f"{name}: {record.status}, {rows} passages, {fts} keyword rows, {vectors} vectors "
                                f"for {record.chunks}")
        for file in files:
            record = records.get(file.name)
            if record is None:
                problems.append(f"{file.name}: lost")
                continue
            first_passage = store.query("SELECT text FROM chunks WHERE document_id = ? ORDER BY ordinal LIMIT 1",
                                        (record.id,))
            if first_passage and index.search(first_passage[0][0], k=1, mode="vector")[0].file != record.path:
                problems.append(f"{file.name}: its own passage does not find it by vector search")
    finally:
        index.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--scenarios", default="at-once,held,killed")
    args = parser.parse_args()
    kinds = [kind for kind in args.scenarios.split(",") if kind]

    from assistant.library.embeddings import Embedder
    from assistant.models.bundled import ModelRegistry
    from assistant.offline import install_offline_guard

    install_offline_guard()
    results: dict[str, list[tuple[bool, bool]]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory(prefix="edgewise-two-writers-") as scratch:
        root = Path(scratch)
        models = root / "models"
        embedder = Embedder.from_registry(ModelRegistry(models))  # verifies the embedding model once
        embedder.load()
        for run in range(1, args.runs + 1):
            for kind in kinds:
                folder = root / f"{kind}-{run}"
                inbox = folder / "inbox"
                inbox.mkdir(parents=True)
                files = (inbox / f"first{FIRST.suffix}", inbox / f"second{SECOND.suffix}")
                shutil.copy(FIRST, files[0])
                shutil.copy(SECOND, files[1])
                data = folder / "data"
                data.mkdir()
                (data / "models").symlink_to(models)
                start = time.perf_counter()
                waited, what = scenario(kind, data, files)
                problems = check(data, files, embedder)
                results[kind].append((not problems, waited))
                verdict = "consistent" if not problems else "INCONSISTENT: " + "; ".join(problems)
                print(f"run {run:2} {kind:8} {time.perf_counter() - start:6.1f} s  second writer "
                      f"{'waited' if waited else 'did not wait'}; {what}; {verdict}", flush=True)
                shutil.rmtree(folder)
    print()
    total = good = 0
    for kind, outcomes in results.items():
        consistent = sum(ok for ok, _ in outcomes)
        waited = sum(w for _, w in outcomes)
        total, good = total + len(outcomes), good + consistent
        print(f"{kind:8}: {consistent} of {len(outcomes)} consistent (a writer waited for the other in {waited})")
    print(f"all     : {good} of {total} consistent")
    return 0 if good == total else 1


if __name__ == "__main__":
    raise SystemExit(main())
