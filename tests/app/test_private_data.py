"""The data folder is private by default on POSIX: created 0700 with 0600 files, an older one tightened at
start, and the person told when it cannot be; the log holds events, names and figures, never document text
or answers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import paths
from app.paths import make_private

from ..conftest import PROJECT

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Unix permissions")


@pytest.fixture(autouse=True)
def restore_umask() -> Iterator[None]:
    """make_private sets the process's umask; the rest of the run keeps its own."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield
    os.umask(previous)


def edgewise(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args, "--data-dir", str(data_dir)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(PROJECT)})


def _open_to_others(folder: Path) -> list[str]:
    found = []
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink() and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            found.append(f"{path.relative_to(folder)} {stat.filemode(path.stat().st_mode)}")
    return found


def test_a_new_data_folder_and_everything_written_in_it_are_private(tmp_path: Path) -> None:
    data = tmp_path / "new" / "Edgewise"
    result = edgewise("config", "set", "theme", "dark", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert (data / "settings.json").is_file() and (data / "logs" / "edgewise.log").is_file()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "settings.json").stat().st_mode) == 0o600
    assert _open_to_others(data) == []
    assert "warning" not in result.stderr


def test_an_older_data_folder_open_to_others_is_tightened_at_start(tmp_path: Path) -> None:
    data = tmp_path / "Edgewise"
    (data / "library").mkdir(parents=True, mode=0o755)
    (data / "voice-notes").mkdir(mode=0o755)
    (data / "voice-notes" / "Voice note.transcript.txt").write_text("[0:00] the pump is leaking")
    (data / "settings.json").write_text("{}")
    for path in [data, *data.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    result = edgewise("config", "list", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert _open_to_others(data) == []
    assert stat.S_IMODE((data / "voice-notes" / "Voice note.transcript.txt").stat().st_mode) == 0o600


def test_a_folder_shared_with_the_persons_other_files_is_not_changed_wholesale_and_they_are_told(
        tmp_path: Path) -> None:
    documents = tmp_path / "Documents"  # someone chose their documents folder as the data folder
    documents.mkdir(mode=0o755)
    documents.chmod(0o755)
    (documents / "holiday.txt").write_text("mine")
    (documents / "holiday.txt").chmod(0o644)
    result = edgewise("config", "set", "theme", "dark", data_dir=documents)
    assert result.returncode == 0
    assert "edgewise: warning: " in result.stderr and "holiday.txt" in result.stderr
    assert stat.S_IMODE(documents.stat().st_mode) == 0o755
    assert stat.S_IMODE((documents / "holiday.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((documents / "settings.json").stat().st_mode) == 0o600  # Edgewise's own: private


def test_rights_that_cannot_be_taken_away_are_reported(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "on-a-usb-stick"
    data.mkdir()
    data.chmod(0o755)

    def refuse(path, mode, **_kwargs):  # a folder of another owner, or a file system that ignores chmod
        raise PermissionError(1, "Operation not permitted", str(path))

    monkeypatch.setattr(paths.os, "chmod", refuse)
    warning = make_private(data)
    assert warning is not None and str(data) in warning and "could not be made private" in warning


def test_the_log_holds_no_document_text_question_or_answer(own_data_dir: Path, tmp_path: Path, corpus: Path) -> None:
    from assistant.models.bundled import FAST_LLM

    pump = tmp_path / "pump-log.txt"
    pump.write_text("Pump station log.\n\nReplace the seal kit ZQ-7731-K whenever the north pump loses pressure "
                    "overnight.\n\nThe crew logged 14 pressure drops in March.\n", encoding="utf-8")
    runs = [
        edgewise("-v", "library", "add", str(pump), str(corpus / "pdf" / "multicolumn.pdf"), data_dir=own_data_dir),
        edgewise("-v", "ask", "When is the seal kit replaced?", "--model", FAST_LLM, data_dir=own_data_dir),
        edgewise("-v", "summarize", str(pump), "--key-points", data_dir=own_data_dir),
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    log = (own_data_dir / "logs" / "edgewise.log").read_text(encoding="utf-8")
    assert "pump-log.txt" in log  # events and names are there ...
    printed = [line.strip() for run in runs for line in run.stdout.splitlines() if len(line.split()) >= 4]
    assert printed, "the commands printed an answer and key points"
    leaked = [line for line in printed if line in log]
    for private in ("seal kit", "ZQ-7731-K", "pressure drops", "When is the"):  # ... text and questions are not
        if private in log:
            leaked.append(private)
    assert leaked == [], leaked
