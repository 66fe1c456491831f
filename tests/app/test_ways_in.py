"""Every way in opens the window with the document: `edgewise FILE...`, `edgewise gui FILE`, and the desktop
entry's Exec line run as a desktop runs it (what "Open with Edgewise" in a file manager does)."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from app.cli import build_parser, files_mean_gui

from ..conftest import PROJECT

DESKTOP_ENTRY = PROJECT / "packaging" / "edgewise.desktop"


@pytest.mark.parametrize(("argv", "expected"), [
    (["report.pdf"], ["gui", "report.pdf"]),
    (["a.pdf", "b.docx"], ["gui", "a.pdf", "b.docx"]),
    (["--data-dir", "/tmp/x", "/home/me/notes"], ["--data-dir", "/tmp/x", "gui", "/home/me/notes"]),
    (["-v", "scan.PDF"], ["-v", "gui", "scan.PDF"]),
    (["gui", "report.pdf"], ["gui", "report.pdf"]),
    (["summarize", "report.pdf"], ["summarize", "report.pdf"]),
    (["sumarize"], ["sumarize"]),  # a mistyped command is not a file: argparse says what the commands are
    ([], []),
])
def test_a_file_where_the_command_goes_opens_the_window_with_it(argv: list[str], expected: list[str]) -> None:
    assert files_mean_gui(argv) == expected


def test_a_file_named_like_nothing_a_command_has_is_a_file_when_it_exists(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "README").write_text("notes")
    monkeypatch.chdir(tmp_path)
    assert files_mean_gui(["README"]) == ["gui", "README"]


def test_gui_takes_several_files() -> None:
    args = build_parser().parse_args(["gui", "a.pdf", "b.pdf"])
    assert args.files == ["a.pdf", "b.pdf"]


def _exec_line() -> list[str]:
    """The desktop entry's Exec command as installed (packaging/install-desktop-entry.sh points it at the
    checkout's .venv/bin/edgewise), split as the Desktop Entry Specification says."""
    lines = [line for line in DESKTOP_ENTRY.read_text(encoding="utf-8").splitlines() if line.startswith("Exec=")]
    assert len(lines) == 1, lines
    words = shlex.split(lines[0].removeprefix("Exec="))
    assert words[0] == "edgewise"
    return [str(PROJECT / ".venv" / "bin" / "edgewise"), *words[1:]]


def _open_as_a_desktop_would(document: Path, data_dir: Path) -> subprocess.CompletedProcess:
    command = [str(document) if word == "%f" else word for word in _exec_line()]
    assert str(document) in command, "the Exec line takes the file as %f"
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EDGEWISE_HOME": str(data_dir),
                   "EDGEWISE_REPORT_OPENED": "1"}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment, cwd=Path.home())


@pytest.mark.heavy  # starts the whole app in a child process
def test_the_desktop_entry_opens_a_pdf_in_the_window(corpus: Path, tmp_path: Path) -> None:
    document = tmp_path / "Site visit report.pdf"  # a space, as file managers hand them over
    document.write_bytes((corpus / "pdf" / "pdflatex-4-pages.pdf").read_bytes())
    result = _open_as_a_desktop_would(document, tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("opened: Site visit report.pdf · 4 pages"), result


@pytest.mark.heavy  # starts the whole app in a child process
def test_the_desktop_entry_on_an_unreadable_file_shows_why_in_the_window(corpus: Path, tmp_path: Path) -> None:
    result = _open_as_a_desktop_would(corpus / "pdf" / "libreoffice-writer-password.pdf", tmp_path / "data")
    assert result.returncode == 1
    assert "not opened: " in result.stdout and "password" in result.stdout
