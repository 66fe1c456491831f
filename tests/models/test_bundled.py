"""The model registry: bundled models found, assembled once, verified, and a mismatch refused."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.errors import ModelNotFoundError, ModelVerificationError
from assistant.models.bundled import BUNDLED, QWEN_05B, SMOLLM2, WHISPER_BASE, ModelRegistry, Part, model_by_name


def test_default_model_is_assembled_from_its_six_parts_and_verified(models_data_dir: Path) -> None:
    registry = ModelRegistry(models_data_dir / "models")
    path = registry.path_for(QWEN_05B.name)
    assert path.stat().st_size == 491_400_064
    assert registry.status(QWEN_05B).ready
    with open(path, "rb") as handle:
        assert handle.read(4) == b"GGUF"


def test_speech_model_folder_has_model_bin_and_tokenizer_files(models_data_dir: Path) -> None:
    registry = ModelRegistry(models_data_dir / "models")
    folder = registry.path_for(WHISPER_BASE.name)
    assert (folder / "model.bin").stat().st_size == 145_217_607
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        assert (folder / name).is_file()


def test_verified_model_is_not_hashed_again(models_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = ModelRegistry(models_data_dir / "models")
    registry.path_for(SMOLLM2.name)
    monkeypatch.setattr(ModelRegistry, "install", lambda *a, **k: pytest.fail("hashed a verified model again"))
    assert registry.path_for(SMOLLM2.name).name == "SmolLM2-135M-Instruct.Q4_1.gguf"


# The registry's checks on the smallest model it assembles from parts (the speech model, 145 MB in two; the
# default language model's 491 MB in six are assembled above, in the models tier).
def test_checksum_mismatch_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    wrong = dataclasses.replace(WHISPER_BASE, name="tampered", sha256="0" * 64)
    registry = ModelRegistry(tmp_path / "models")
    with pytest.raises(ModelVerificationError, match="failed verification"):
        registry.install(wrong)
    assert not (tmp_path / "models" / "tampered" / "model.bin").exists()
    assert not list((tmp_path / "models").rglob("*.partial"))


def test_changed_file_after_verification_is_reported_damaged_and_reassembled(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "models")
    path = registry.path_for(WHISPER_BASE.name) / "model.bin"
    with open(path, "ab") as handle:
        handle.write(b"x")
    assert registry.status(WHISPER_BASE).state == "damaged"
    assert (registry.path_for(WHISPER_BASE.name) / "model.bin").stat().st_size == WHISPER_BASE.size
    assert registry.status(WHISPER_BASE).ready


def test_model_whose_package_is_missing_gives_a_clear_error(tmp_path: Path) -> None:
    absent = dataclasses.replace(SMOLLM2, name="absent", parts=(Part("no-such-model-package", "x.gguf"),))
    registry = ModelRegistry(tmp_path / "models")
    assert registry.status(absent).state == "not installed"
    with pytest.raises(ModelNotFoundError, match="not installed"):
        registry.install(absent)


def test_unknown_model_name_lists_the_known_ones() -> None:
    with pytest.raises(ModelNotFoundError, match=QWEN_05B.name):
        model_by_name("gpt-17")


def test_every_bundled_model_has_a_pinned_size_and_hash() -> None:
    for model in BUNDLED:
        assert model.size and model.size > 1_000_000
        assert model.sha256 and len(model.sha256) == 64
