"""GGUF models other local AI apps already downloaded (GPT4All, LM Studio, Ollama, the llama.cpp cache),
offered for use in place, never copied. Only names and the four-byte GGUF signature are read here; a model
is validated in full when the user adds it.

Every location is a parameter (``DiscoveryRoots``) so tests can point at a fake tree.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.models.catalogue import name_for
from assistant.models.gguf_info import looks_like_gguf

#: Ollama tags the weights layer of a manifest with this media type.
OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model"
#: Files beside a vision model that are not chat models themselves.
_NOT_CHAT_MODELS = ("mmproj", "embed", "vocab-")


@dataclass(frozen=True)
class FoundModel:
    path: Path
    app: str  # "GPT4All" | "LM Studio" | "Ollama" | "llama.cpp"
    suggested_name: str
    size_bytes: int


def _home() -> Path:
    return Path.home()


def _platform_data(*parts: str) -> list[Path]:
    home = _home()
    if sys.platform == "darwin":
        return [home / "Library" / "Application Support" / Path(*parts)]
    if sys.platform == "win32":
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return [local / Path(*parts)]
    data = Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share"))
    return [data / Path(*parts)]


def _cache_dir() -> Path:
    home = _home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches"
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
    return Path(os.environ.get("XDG_CACHE_HOME", home / ".cache"))


@dataclass(frozen=True)
class DiscoveryRoots:
    gpt4all: tuple[Path, ...] = field(default_factory=lambda: tuple(_platform_data("nomic.ai", "GPT4All")))
    lm_studio: tuple[Path, ...] = field(
        default_factory=lambda: (_home() / ".lmstudio" / "models", _home() / ".cache" / "lm-studio" / "models")
    )
    ollama: tuple[Path, ...] = field(
        default_factory=lambda: (Path(os.environ.get("OLLAMA_MODELS", _home() / ".ollama" / "models")),)
    )
    llama_cpp: tuple[Path, ...] = field(
        default_factory=lambda: (Path(os.environ.get("LLAMA_CACHE", _cache_dir() / "llama.cpp")),)
    )


def _gguf_files(folder: Path, recursive: bool) -> Iterator[Path]:
    if not folder.is_dir():
        return
    pattern = "**/*.gguf" if recursive else "*.gguf"
    for path in sorted(folder.glob(pattern)):
        lowered = path.name.lower()
        if path.is_file() and not any(marker in lowered for marker in _NOT_CHAT_MODELS) and looks_like_gguf(path):
            yield path


def _found(path: Path, app: str, name: str | None = None) -> FoundModel:
    return FoundModel(path, app, name or name_for(path), path.stat().st_size)


def find_gpt4all(roots: Iterable[Path]) -> Iterator[FoundModel]:
    for root in roots:
        for path in _gguf_files(root, recursive=False):
            yield _found(path, "GPT4All")


def find_lm_studio(roots: Iterable[Path]) -> Iterator[FoundModel]:
    # LM Studio keeps models as <publisher>/<repository>/<file>.gguf
    for root in roots:
        for path in _gguf_files(root, recursive=True):
            yield _found(path, "LM Studio")


def find_llama_cpp_cache(roots: Iterable[Path]) -> Iterator[FoundModel]:
    # `llama-cli -hf` stores "<user>_<repo>_<file>.gguf" flat in the cache folder
    for root in roots:
        for path in _gguf_files(root, recursive=False):
            yield _found(path, "llama.cpp")


def find_ollama(roots: Iterable[Path]) -> Iterator[FoundModel]:
    """Ollama's blobs have no file names: read each manifest, take its model layer's digest, find the blob."""
    for root in roots:
        manifests = root / "manifests"
        if not manifests.is_dir():
            continue
        for manifest in sorted(p for p in manifests.rglob("*") if p.is_file()):
            try:
                layers = json.loads(manifest.read_text(encoding="utf-8")).get("layers", [])
            except (OSError, ValueError, AttributeError):
                continue
            digest = next(
                (layer.get("digest") for layer in layers if isinstance(layer, dict)
                 and layer.get("mediaType") == OLLAMA_MODEL_LAYER),
                None,
            )
            if not isinstance(digest, str) or ":" not in digest:
                continue
            blob = root / "blobs" / digest.replace(":", "-")
            if not blob.is_file() or not looks_like_gguf(blob):
                continue
            # manifests/<registry>/<namespace>/<model>/<tag> -> "model:tag" (namespace kept unless "library")
            parts = manifest.relative_to(manifests).parts
            model, tag = (parts[-2], parts[-1]) if len(parts) >= 2 else (parts[-1], "latest")
            namespace = parts[-3] if len(parts) >= 3 and parts[-3] != "library" else ""
            label = f"{namespace + '-' if namespace else ''}{model}:{tag}"
            yield _found(blob, "Ollama", name_for(Path(label.replace(":", "-"))))


def discover_models(roots: DiscoveryRoots | None = None) -> list[FoundModel]:
    """Every GGUF the other apps have, each path once."""
    roots = roots or DiscoveryRoots()
    found: list[FoundModel] = []
    seen: set[Path] = set()
    for batch in (
        find_gpt4all(roots.gpt4all),
        find_lm_studio(roots.lm_studio),
        find_ollama(roots.ollama),
        find_llama_cpp_cache(roots.llama_cpp),
    ):
        for model in batch:
            key = model.path.absolute()  # not resolved: two apps may link the same file under their own names
            if key not in seen:
                seen.add(key)
                found.append(model)
    return found
