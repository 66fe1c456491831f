"""What a GGUF model file is, read from its metadata without loading its weights, and how much RAM it needs.

The header is read by this very llama.cpp build in vocabulary-only mode (about a second, no tensor data
touched): that both reads the metadata and proves the file is complete and of an architecture this build
can load. The `gguf` package (llama.cpp's own Python reader) names the magic number and the file types.
The RAM estimate is weights + KV cache at the chosen context + a buffer that grows with the vocabulary
(fitted on the bundled models: see tests/models/test_catalogue.py and benchmarks/model_ram.py).
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.errors import ModelError

log = logging.getLogger(__name__)

#: Overhead measured on the bundled models with llama.cpp 0.3.36 (vocabulary tables, token cache, compute
#: buffers): about half a kilobyte per vocabulary entry plus a few MiB.
_BYTES_PER_VOCAB_ENTRY = 512
_FIXED_OVERHEAD = 8 * 2**20
_KV_BYTES_PER_VALUE = 2  # f16 K and V caches, llama.cpp's default

_load_lock = threading.Lock()


class InvalidModelFileError(ModelError):
    """A file that is not a usable GGUF language model (not GGUF, truncated, unknown architecture)."""


@dataclass(frozen=True)
class GgufInfo:
    path: str
    name: str  # general.name, else the file's stem
    architecture: str
    parameters: int
    quantization: str  # e.g. "Q4_K_M", from general.file_type
    context_length: int  # the context the model was trained for
    size_bytes: int
    block_count: int
    embedding_length: int
    head_count: int
    head_count_kv: int
    vocab_size: int
    has_chat_template: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GgufInfo:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__})

    @property
    def parameters_label(self) -> str:
        if self.parameters >= 1e9:
            return f"{self.parameters / 1e9:.1f} B"
        return f"{self.parameters / 1e6:.0f} M"

    def kv_cache_bytes(self, n_ctx: int) -> int:
        head_dim = self.embedding_length // max(1, self.head_count)
        return 2 * self.block_count * n_ctx * self.head_count_kv * head_dim * _KV_BYTES_PER_VALUE

    def estimated_ram(self, n_ctx: int) -> int:
        """Resident memory once loaded with a context of ``n_ctx`` tokens, in bytes."""
        overhead = _FIXED_OVERHEAD + self.vocab_size * _BYTES_PER_VOCAB_ENTRY
        return self.size_bytes + self.kv_cache_bytes(n_ctx) + overhead


def file_type_name(file_type: int) -> str:
    """``general.file_type`` as the quantisation people know ("Q4_K_M"), using gguf's own table."""
    from gguf import LlamaFileType

    try:
        name = LlamaFileType(file_type).name
    except ValueError:
        return f"type {file_type}"
    return name.removeprefix("MOSTLY_").removeprefix("ALL_")


def looks_like_gguf(path: Path) -> bool:
    """True when the file starts with the GGUF magic number (cheap: four bytes)."""
    from gguf import GGUF_MAGIC

    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError:
        return False
    return len(head) == 4 and int.from_bytes(head, "little") == GGUF_MAGIC


def read_gguf_info(path: Path) -> GgufInfo:
    """Read and validate ``path``; raise InvalidModelFileError with a reason a person can act on."""
    path = Path(path)
    if not path.is_file():
        raise InvalidModelFileError(f"{path} does not exist or is not a file.")
    size = path.stat().st_size
    if not looks_like_gguf(path):
        raise InvalidModelFileError(
            f"{path.name} is not a GGUF model file (it does not start with the GGUF signature). "
            "Edgewise runs llama.cpp models in the GGUF format (.gguf)."
        )
    metadata, parameters, errors = _vocab_only_load(path)
    if metadata is None:
        raise InvalidModelFileError(_explain_failure(path, errors))
    arch = metadata.get("general.architecture", "")

    def number(key: str, default: int = 0) -> int:
        try:
            return int(float(metadata.get(f"{arch}.{key}", default)))
        except ValueError:
            return default

    vocab = number("vocab_size") or int(metadata.get("_vocab_size", 0))
    file_type = metadata.get("general.file_type")
    return GgufInfo(
        path=str(path),
        name=metadata.get("general.name") or path.stem,
        architecture=arch,
        parameters=parameters,
        quantization=file_type_name(int(file_type)) if file_type is not None else "unknown",
        context_length=number("context_length"),
        size_bytes=size,
        block_count=number("block_count"),
        embedding_length=number("embedding_length"),
        head_count=number("attention.head_count", 1),
        head_count_kv=number("attention.head_count_kv") or number("attention.head_count", 1),
        vocab_size=vocab,
        has_chat_template=bool(metadata.get("_chat_template")),
    )


def read_gguf_head(head: Path, size: int, *, path: Path) -> GgufInfo:
    """What the GGUF file ``path`` of ``size`` bytes will be, read from ``head``, a file holding its first
    bytes (the first package part of a bundled model not joined yet): `edgewise models list` shows a new
    data folder's models complete without joining 500 MB-1 GB of parts first.

    llama.cpp's vocabulary-only load reads just the header and vocabulary, but first checks that every
    tensor lies within the file; so it is given a sparse copy of the head, extended to the full size (the
    zeros are never read). The gguf package's reader would do without the copy but takes ~15 s of CPU to
    walk a 150,000-token vocabulary in Python."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gguf-head-") as scratch:
        stand_in = Path(scratch) / path.name
        shutil.copyfile(head, stand_in)
        os.truncate(stand_in, size)
        info = read_gguf_info(stand_in)
    return GgufInfo(**{**info.to_json(), "path": str(path), "size_bytes": size})


def _explain_failure(path: Path, errors: list[str]) -> str:
    detail = " ".join(line.strip() for line in errors if line.strip())
    lowered = detail.lower()
    if "unknown model architecture" in lowered:
        arch = detail.split("unknown model architecture:", 1)[-1].strip().strip("'\"").split("'")[0]
        return (
            f"{path.name} uses the model architecture {arch!r}, which this version of llama.cpp cannot run. "
            "Choose a model of a supported architecture (Llama, Qwen, Mistral, Gemma, Phi, ...)."
        )
    if "failed to read" in lowered or "not within the file bounds" in lowered or "unexpectedly reached end" in lowered:
        return (
            f"{path.name} is incomplete: the file ends before its data does (an interrupted download or "
            "copy?). Download or copy it again."
        )
    reason = f" ({detail})" if detail else ""
    return f"{path.name} could not be read as a GGUF model{reason}. The file may be damaged."


def _vocab_only_load(path: Path) -> tuple[dict[str, str] | None, int, list[str]]:
    """Metadata (plus vocabulary size and chat template) and parameter count, or None and llama.cpp's errors."""
    import llama_cpp
    from llama_cpp import _logger

    messages: list[str] = []
    forward = _logger.llama_log_callback

    # llama.cpp narrates the whole header while loading; keep it for the error message, show none of it.
    @llama_cpp.llama_log_callback
    def capture(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        messages.append(text.decode("utf-8", errors="replace"))

    with _load_lock:
        llama_cpp.llama_backend_init()
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        llama_cpp.llama_log_set(capture, ctypes.c_void_p(0))
        try:
            model = llama_cpp.llama_model_load_from_file(str(path).encode("utf-8"), params)
        finally:
            llama_cpp.llama_log_set(forward, ctypes.c_void_p(0))
    if not model:
        errors = [line for line in messages if "error" in line.lower() or "fail" in line.lower()]
        log.info("llama.cpp refused %s: %s", path, " ".join(errors))
        return None, 0, errors
    try:
        metadata: dict[str, str] = {}
        key_buf = ctypes.create_string_buffer(256)
        value_buf = ctypes.create_string_buffer(4096)
        for index in range(llama_cpp.llama_model_meta_count(model)):
            llama_cpp.llama_model_meta_key_by_index(model, index, key_buf, len(key_buf))
            llama_cpp.llama_model_meta_val_str_by_index(model, index, value_buf, len(value_buf))
            metadata[key_buf.value.decode("utf-8", errors="replace")] = value_buf.value.decode(
                "utf-8", errors="replace"
            )
        vocab = llama_cpp.llama_model_get_vocab(model)
        metadata["_vocab_size"] = str(llama_cpp.llama_vocab_n_tokens(vocab))
        template = llama_cpp.llama_model_chat_template(model, None)
        metadata["_chat_template"] = "yes" if template else ""
        parameters = int(llama_cpp.llama_model_n_params(model))
    finally:
        llama_cpp.llama_model_free(model)
    return metadata, parameters, []
