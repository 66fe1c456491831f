"""One library, many writers: the writer lock across threads and real processes, a second writer that waits
and says so, recovery that never runs over a live ingestion, and kill -9 at a known point of an ingestion.

Every step that needs the other side to be somewhere waits for a trigger it sets (a file a writer creates
while it holds the lock mid-ingestion, the line a waiting writer prints), never for an amount of time."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.jobs import Cancelled, CancelToken
from assistant.library.index import LibraryIndex
from assistant.library.store import INDEXED, INDEXING, QUEUED, LibraryStore
from assistant.library.writer import WAITING_MESSAGE, LibraryBusyError, LibraryWriter

from ..conftest import PROJECT
from .test_library import _consistent

#: Generous: a child imports sentence-transformers (~20 s on two busy cores) before it gets anywhere.
_TRIGGER_DEADLINE = 600


# -- the lock, in one process ---------------------------------------------------------------------------
def _hold_in_thread(folder: Path) -> tuple[threading.Event, threading.Event, threading.Thread]:
    """A writer in another thread that takes the lock, sets ``holding`` and keeps it until ``release``."""
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with LibraryWriter(folder).held():
            holding.set()
            release.wait()

    thread = threading.Thread(target=writer)
    thread.start()
    assert holding.wait(30)
    return holding, release, thread


def test_a_second_writer_waits_says_so_and_goes_on_when_the_first_is_done(tmp_path: Path) -> None:
    _holding, release, first = _hold_in_thread(tmp_path)
    messages: list[str] = []
    entered = threading.Event()

    def progress(done: int, total: int, message: str) -> None:
        messages.append(message)
        assert not entered.is_set()
        release.set()  # the first writer finishes only once the second has said it waits

    with LibraryWriter(tmp_path).held(progress=progress):
        entered.set()
    first.join()
    assert messages == [WAITING_MESSAGE]


def test_a_writer_that_cannot_wait_is_told_the_library_is_busy(tmp_path: Path) -> None:
    _holding, release, first = _hold_in_thread(tmp_path)
    try:
        with pytest.raises(LibraryBusyError, match="Another Edgewise window or command"), \
                LibraryWriter(tmp_path).held(wait=False):
            pass
    finally:
        release.set()
        first.join()
    with LibraryWriter(tmp_path).held(wait=False):
        pass  # free again


def test_stop_while_waiting_for_the_library_cancels_the_wait(tmp_path: Path) -> None:
    _holding, release, first = _hold_in_thread(tmp_path)
    token = CancelToken()
    try:
        with pytest.raises(Cancelled), \
                LibraryWriter(tmp_path).held(progress=lambda *_: token.cancel(), cancel=token):
            pass
    finally:
        release.set()
        first.join()


def test_nested_writes_in_one_thread_share_the_hold(tmp_path: Path) -> None:
    writer = LibraryWriter(tmp_path)
    with writer.held() as outer, writer.held(wait=False) as inner:
        assert (outer, inner) == (True, False)
    assert not writer.held_here


def test_the_lock_file_is_private(tmp_path: Path) -> None:
    with LibraryWriter(tmp_path).held():
        pass
    assert (tmp_path / "writer.lock").stat().st_mode & 0o077 == 0


def test_opening_the_library_leaves_a_live_ingestion_alone_and_recovers_a_dead_one(data_dir: Path) -> None:
    folder = data_dir / "library"
    store = LibraryStore(folder)
    store.queue("/reports/a.pdf", "a.pdf", None)
    record = store.document("/reports/a.pdf")
    assert record is not None
    store.begin_indexing(record.id)  # what a writer in another process is in the middle of
    store.close()
    _holding, release, writer = _hold_in_thread(folder)
    try:
        index = LibraryIndex(data_dir)
        assert [r.status for r in index.documents()] == [INDEXING]  # not mistaken for a crash
        index.close()
    finally:
        release.set()
        writer.join()
    index = LibraryIndex(data_dir)  # nobody holds the lock: the writer died
    try:
        assert [r.status for r in index.documents()] == [QUEUED]
    finally:
        index.close()


# -- real processes --------------------------------------------------------------------------------------
def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT)}


def start_holding_writer(data: Path, signals: Path, trigger: str, *paths: Path) -> subprocess.Popen:
    """tests/library/holding_writer.py adding ``paths``: it stops at the first progress message containing
    ``trigger`` (holding the lock) until <signals>/go appears."""
    signals.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "tests.library.holding_writer", str(data), str(signals), trigger,
                             *map(str, paths)], cwd=PROJECT, env=_child_env())


def wait_until_holding(process: subprocess.Popen, signals: Path) -> str:
    """The message at which the writer stopped, once it has (it holds the lock mid-ingestion then)."""
    deadline = time.monotonic() + _TRIGGER_DEADLINE
    while not (signals / "holding").exists():
        assert process.poll() is None, f"the writer ended ({process.returncode}) before reaching the trigger"
        assert time.monotonic() < deadline, "the writer never reached the trigger"
        time.sleep(0.05)
    return (signals / "holding").read_text()


def start_cli_add(data: Path, *paths: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "app", "--data-dir", str(data), "library", "add",
                             *map(str, paths)], cwd=PROJECT, env=_child_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_until_waiting(process: subprocess.Popen) -> list[str]:
    """stderr lines of a CLI writer up to the one saying it waits for the library (EOF fails)."""
    lines = []
    while "Waiting for the library" not in (line := process.stderr.readline()):  # type: ignore[union-attr]
        assert line, f"the second writer ended without waiting: {lines}"
        lines.append(line)
    return [*lines, line]


def shared_models(data: Path, models_data_dir: Path) -> Path:
    """A data folder whose models are the run's (verified once)."""
    data.mkdir()
    (data / "models").symlink_to(models_data_dir / "models")
    return data


def _copy(corpus: Path, folder: Path, names: dict[str, str]) -> list[Path]:
    """Copies of corpus files (name -> path in the corpus) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in names.items():
        shutil.copy(corpus / source, folder / name)
    return [folder / name for name in names]


def _end(*processes: subprocess.Popen | None) -> None:
    for process in processes:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(30)


def test_two_processes_add_different_files_at_once_while_a_reader_keeps_searching(
        tmp_path: Path, corpus: Path, library_embedder, models_data_dir: Path) -> None:
    # A short news page (6 passages): a process that reads the 4,183-word Wikipedia page spent seconds more.
    news, minimal = _copy(corpus, tmp_path / "inbox", {"bbc.html": "html/bbc-1/source.html",
                                                       "minimal.pdf": "pdf/minimal-document.pdf"})
    theirs, = _copy(corpus, tmp_path / "mine", {"pdflatex.pdf": "pdf/pdflatex-4-pages.pdf"})
    data = shared_models(tmp_path / "data", models_data_dir)
    reader = LibraryIndex(data, embedder=library_embedder)  # the window: open all along
    reader.add([theirs])
    question = "what a printed text will look like"
    assert reader.search(question, k=1, mode="vector")[0].file == str(theirs)  # its vector index is loaded
    signals = tmp_path / "signals"
    first = start_holding_writer(data, signals, "passage", news)
    second = None
    try:
        wait_until_holding(first, signals)
        assert reader.search(question, k=1)[0].file == str(theirs)  # reading goes on during a write
        second = start_cli_add(data, minimal)
        wait_until_waiting(second)  # the second writer waits while the first holds the library
        (signals / "go").touch()
        assert first.wait(_TRIGGER_DEADLINE) == 0
        out, err = second.communicate(timeout=_TRIGGER_DEADLINE)
        assert second.returncode == 0, err
        assert "1 indexed" in out
    finally:
        _end(first, second)
    try:
        assert _consistent(reader) == {"bbc.html": INDEXED, "minimal.pdf": INDEXED, "pdflatex.pdf": INDEXED}
        # what the other processes added is found by meaning too, without reopening the library
        found = reader.search("the president's frustration that gun safety laws were not passed", k=1,
                              mode="vector")
        assert found[0].file == str(news)
    finally:
        reader.close()


def test_a_writer_killed_mid_ingestion_leaves_the_waiting_writer_a_library_it_completes(
        tmp_path: Path, corpus: Path, library_embedder, models_data_dir: Path) -> None:
    folder = tmp_path / "reports"
    _copy(corpus, folder, {"a-minimal.pdf": "pdf/minimal-document.pdf",
                           "b-news.html": "html/bbc-1/source.html",  # 6 passages (Wikipedia's page: 37)
                           "c-multicolumn.pdf": "pdf/multicolumn.pdf"})
    later, = _copy(corpus, tmp_path / "later", {"d-trivial.pdf": "pdf/002-trivial-libre-office-writer.pdf"})
    data = shared_models(tmp_path / "data", models_data_dir)
    signals = tmp_path / "signals"
    first = start_holding_writer(data, signals, "File 2 of 3: b-news.html — passage", folder)
    second = None
    try:
        wait_until_holding(first, signals)  # the second file is being embedded: it is 'indexing'
        second = start_cli_add(data, later)
        wait_until_waiting(second)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(30)
        out, err = second.communicate(timeout=_TRIGGER_DEADLINE)
        assert second.returncode == 0, err
        # its own file, then what the killed writer left: the half-indexed one and the one not begun
        assert "3 indexed" in out, out
    finally:
        _end(first, second)
    index = LibraryIndex(data, embedder=library_embedder)
    try:
        assert _consistent(index) == {"a-minimal.pdf": INDEXED, "b-news.html": INDEXED,
                                      "c-multicolumn.pdf": INDEXED, "d-trivial.pdf": INDEXED}
        assert re.search("news", index.search("Obama", k=1)[0].file, re.IGNORECASE)
    finally:
        index.close()
