"""The `edgewise` command on real corpus files: streamed results, one-line errors, non-zero exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.models.bundled import FAST_LLM

from ..conftest import PROJECT, TEST_DATA


def edgewise(*args: str, data_dir: Path, stdin: str | None = None, env: dict | None = None):
    environment = {**os.environ, **(env or {})}
    command = [sys.executable, "-m", "app", *args]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(command, cwd=PROJECT, input=stdin, capture_output=True, text=True, timeout=300,
                          env=environment)


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("pdf/libreoffice-writer-password.pdf", "password protected"),
        (str(TEST_DATA / "formats" / "testEXCEL_protected_passtika.xlsx"), "password protected"),  # absolute
        ("scanned/invalid.pdf", "corrupt or damaged"),
    ],
)
def test_bad_documents_give_one_line_error_and_exit_1(corpus: Path, data_dir: Path, relative: str,
                                                      expected: str) -> None:
    result = edgewise("summarize", str(corpus / relative), data_dir=data_dir)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("edgewise: error: "), result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_unsupported_missing_and_empty_files_are_refused(tmp_path: Path, data_dir: Path) -> None:
    odd = tmp_path / "drawing.dwg"
    odd.write_bytes(b"AC1032 binary drawing")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    for path, phrase in ((odd, "not a supported file type"), (tmp_path / "gone.pdf", "not found"),
                         (empty, "empty")):
        result = edgewise("summarize", str(path), data_dir=data_dir)
        assert result.returncode == 1, result
        assert phrase in result.stderr and "Traceback" not in result.stderr


def test_unknown_target_language_is_a_one_line_error(corpus: Path, data_dir: Path) -> None:
    result = edgewise("translate", str(corpus / "text" / "sample-spanish.txt"), "--to", "xx", data_dir=data_dir)
    assert result.returncode == 1 and "cannot translate into 'xx'" in result.stderr


def test_summarize_streams_a_summary_to_stdout(corpus: Path, models_data_dir: Path) -> None:
    result = edgewise("summarize", str(corpus / "pdf" / "minimal-document.pdf"), "--model", FAST_LLM,
                      "--length", "bullets", data_dir=models_data_dir)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) >= 5


def test_translate_reads_standard_input_and_reports_the_source_language(models_data_dir: Path) -> None:
    result = edgewise("translate", "-", "--to", "en", "--model", FAST_LLM, data_dir=models_data_dir,
                      stdin="Die Brücke wurde am Montag geprüft. Die Last ist auf 40 Tonnen begrenzt.")
    assert result.returncode == 0, result.stderr
    assert "Source language: German" in result.stderr
    assert result.stdout.strip()


def test_doctor_lists_models_hardware_and_offline_state(models_data_dir: Path) -> None:
    from assistant.models.bundled import DEFAULT_LLM, ModelRegistry

    ModelRegistry(models_data_dir / "models").path_for(DEFAULT_LLM)  # assembled and verified, whatever ran before
    result = edgewise("doctor", data_dir=models_data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    for phrase in ("qwen2.5-coder-0.5b-instruct-q4_k_m", "verified", "llama-cpp-python", "AVX2", "RAM",
                   "Offline guard: installed", "fully offline", "OCR (scanned pages and photos):\n  Tesseract 5"):
        assert phrase in result.stdout


def test_doctor_lists_the_memory_budget_each_engine_and_the_idle_time_set_by_config(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert edgewise("config", "set", "memory.idle_minutes", "5", data_dir=data_dir).returncode == 0
    refused = edgewise("config", "set", "memory.idle_minutes", "-3", data_dir=data_dir)
    assert refused.returncode == 1 and "memory.idle_minutes must be at least 0" in refused.stderr
    result = edgewise("doctor", data_dir=data_dir)
    memory = result.stdout.split("Memory: ", 1)[1].split("\n\n", 1)[0]
    assert memory.startswith("one budget for the models, ") and "GiB (half this computer's RAM)" in memory
    lines = memory.splitlines()[1:]
    assert [line.split(":")[0].strip() for line in lines[:4]] == [
        "language model", "library", "speech", "language identification"
    ]
    assert all(line.rstrip().endswith("not loaded") and " GiB " in line for line in lines[:4])
    assert lines[4].split()[:3] == ["all", "at", "once"]
    assert "unloaded after 5 min unused" in lines[5]


def test_data_folder_comes_from_flag_then_environment(tmp_path: Path) -> None:
    from_env = tmp_path / "from-env"
    result = edgewise("doctor", data_dir=None, env={"EDGEWISE_HOME": str(from_env)})
    assert f"Data folder: {from_env}" in result.stdout
    assert (from_env / "logs" / "edgewise.log").is_file()
    flag = tmp_path / "from-flag"
    result = edgewise("doctor", data_dir=flag, env={"EDGEWISE_HOME": str(from_env)})
    assert f"Data folder: {flag}" in result.stdout
    before = tmp_path / "before-the-command"  # the sub-command's own default must not undo it
    result = edgewise("--data-dir", str(before), "doctor", data_dir=None, env={"EDGEWISE_HOME": str(from_env)})
    assert f"Data folder: {before}" in result.stdout


def test_help_lists_every_command() -> None:
    result = subprocess.run([sys.executable, "-m", "app", "--help"], cwd=PROJECT, capture_output=True,
                            text=True, timeout=60)
    for command in ("summarize", "translate", "doctor", "models", "gui"):
        assert command in result.stdout


def test_summary_length_and_translation_language_default_to_the_settings_config_set_changes(
    corpus: Path, own_data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import json

    from app.main import main

    folder = ["--data-dir", str(own_data_dir)]
    assert main(["config", "set", "summary.length", "bullets", *folder]) == 0
    assert main(["config", "set", "translate.language", "de", *folder]) == 0
    capsys.readouterr()
    document = str(corpus / "pdf" / "minimal-document.pdf")
    assert main(["summarize", document, "--json", "--model", FAST_LLM, *folder]) == 0
    assert json.loads(capsys.readouterr().out)["length"] == "bullets"
    monkeypatch.setattr("sys.stdin", io.StringIO("The bridge was inspected on Monday."))
    assert main(["translate", "-", "--json", "--model", FAST_LLM, *folder]) == 0
    assert json.loads(capsys.readouterr().out)["target_language"] == "de"
