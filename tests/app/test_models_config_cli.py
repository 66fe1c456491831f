"""`edgewise models list/add/remove/use/found` and `edgewise config list/get/set/reset`: output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from assistant.models.bundled import DEFAULT_LLM, FAST_LLM, SMOLLM2, ModelRegistry, locate_part

from ..conftest import PROJECT


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--data-dir", str(data_dir)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def user_gguf(tmp_path: Path) -> Path:
    smollm = locate_part(SMOLLM2.parts[0])
    assert smollm is not None
    link = tmp_path / "my-models" / "tiny-chat.Q4_1.gguf"
    link.parent.mkdir()
    link.symlink_to(smollm)
    return link


def test_models_list_json_has_both_bundled_llms_with_metadata(
    capsys: pytest.CaptureFixture[str], models_data_dir: Path
) -> None:
    ModelRegistry(models_data_dir / "models").path_for(DEFAULT_LLM)
    code, out, _ = run(capsys, models_data_dir, "models", "list", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    qwen, smol = rows[DEFAULT_LLM], rows[FAST_LLM]
    assert {"name", "path", "quantization", "context_length", "size_bytes", "role"} <= set(qwen)
    assert (qwen["quantization"], qwen["context_length"], qwen["size_bytes"]) == ("Q4_K_M", 32768, 491_400_064)
    assert (smol["quantization"], smol["context_length"], smol["size_bytes"]) == ("Q4_1", 8192, 98_362_432)
    assert qwen["architecture"] == "qwen2" and smol["architecture"] == "llama"
    assert "chat" in qwen["role"] and qwen["estimated_ram_bytes"] > qwen["size_bytes"]


def test_models_list_in_a_new_data_folder_is_complete_before_anything_is_assembled(
    capsys: pytest.CaptureFixture[str], empty_data_dir: Path
) -> None:
    code, out, _ = run(capsys, empty_data_dir, "models", "list", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    qwen, whisper = rows[DEFAULT_LLM], rows["whisper-base"]
    assert qwen["state"] == "not assembled" and not list((empty_data_dir / "models").glob("*.gguf"))
    # read from the header in the first of its six package parts
    assert (qwen["architecture"], qwen["quantization"], qwen["context_length"]) == ("qwen2", "Q4_K_M", 32768)
    assert qwen["size_bytes"] == 491_400_064 and qwen["parameters"] > 400_000_000
    assert qwen["estimated_ram_bytes"] > qwen["size_bytes"]
    assert whisper["size_bytes"] > 145_000_000


def test_models_add_use_list_remove_round_trip(
    capsys: pytest.CaptureFixture[str], data_dir: Path, user_gguf: Path
) -> None:
    code, out, _ = run(capsys, data_dir, "models", "add", str(user_gguf))
    assert code == 0 and "Added tiny-chat.q4_1: llama, 135 M, Q4_1, context 8,192" in out
    assert run(capsys, data_dir, "models", "use", "tiny-chat.q4_1", "--for", "translate")[0] == 0
    code, out, _ = run(capsys, data_dir, "models", "list")
    line = next(line for line in out.splitlines() if line.startswith("tiny-chat.q4_1"))
    assert "translate" in line and "Q4_1" in line
    code, out, _ = run(capsys, data_dir, "models", "remove", "tiny-chat.q4_1")
    assert code == 0 and "the file stays at" in out and user_gguf.exists()
    assert "tiny-chat" not in run(capsys, data_dir, "models", "list")[1]


def test_models_add_copy_puts_the_file_in_the_data_folder(
    capsys: pytest.CaptureFixture[str], data_dir: Path, user_gguf: Path
) -> None:
    code, out, _ = run(capsys, data_dir, "models", "add", str(user_gguf), "--copy", "--name", "copied")
    assert code == 0
    assert (data_dir / "models" / "user" / user_gguf.name).stat().st_size == SMOLLM2.size


def test_models_add_refuses_a_truncated_file_with_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, user_gguf: Path
) -> None:
    truncated = tmp_path / "cut.gguf"
    with open(user_gguf, "rb") as handle:
        truncated.write_bytes(handle.read(1_000_000))
    code, out, err = run(capsys, data_dir, "models", "add", str(truncated))
    assert code == 1 and out == ""
    assert err.startswith("edgewise: error: cut.gguf is incomplete") and err.count("\n") == 1
    assert "cut" not in run(capsys, data_dir, "models", "list")[1]


def test_models_use_and_remove_refuse_unknown_or_bundled_names(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, _, err = run(capsys, data_dir, "models", "use", "no-such-model")
    assert code == 1 and "No model called 'no-such-model'" in err
    code, _, err = run(capsys, data_dir, "models", "remove", FAST_LLM)
    assert code == 1 and "bundled model and cannot be removed" in err
    code, _, err = run(capsys, data_dir, "models", "use", FAST_LLM, "--for", "speech")
    assert code == 1 and "cannot serve speech" in err


def test_config_set_get_and_reset(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert run(capsys, data_dir, "config", "set", "summary.length", "detailed")[0] == 0
    assert run(capsys, data_dir, "config", "get", "summary.length")[1] == "detailed\n"
    assert run(capsys, data_dir, "config", "set", "model.chat", FAST_LLM)[0] == 0
    assert run(capsys, data_dir, "config", "get", "model.chat")[1] == f"{FAST_LLM}\n"
    code, out, _ = run(capsys, data_dir, "config", "list")
    assert code == 0 and "summary.length       detailed" in out and "theme                system" in out
    assert run(capsys, data_dir, "config", "reset", "summary.length")[0] == 0
    assert run(capsys, data_dir, "config", "get", "summary.length")[1] == "brief\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "threads", "zero"), "threads must be a whole number"),
        (("set", "theme", "neon"), "theme must be one of system, light, dark"),
        (("set", "model.chat", "ghost"), "No model called 'ghost'"),
        (("get", "colour"), "There is no setting 'colour'"),
    ],
)
def test_config_refuses_bad_keys_and_values_with_exit_1(
    capsys: pytest.CaptureFixture[str], data_dir: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, data_dir, "config", *args)
    assert code == 1 and message in err
    assert not (data_dir / "settings.json").exists()


def test_config_exit_codes_from_the_real_command(data_dir: Path) -> None:
    def edgewise(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", *args, "--data-dir", str(data_dir)], cwd=PROJECT,
                              capture_output=True, text=True, timeout=120)

    good = edgewise("config", "set", "context_size", "2048")
    assert good.returncode == 0 and good.stdout == "context_size = 2048\n"
    bad = edgewise("config", "set", "context_size", "100")
    assert bad.returncode == 1 and bad.stderr.startswith("edgewise: error: context_size: a context under 512")
    assert edgewise("config", "get", "context_size").stdout == "2048\n"
    assert edgewise("config").returncode == 2  # argparse: an action is required
