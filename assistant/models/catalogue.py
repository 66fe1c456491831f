"""All the models Edgewise knows: the bundled ones plus those the user added (kept in place or copied into
the data folder), with their GGUF metadata, and which model serves which role (chat/summaries,
translation, speech). Persisted as JSON in the data folder; roles live in the settings.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import ModelError, ModelNotFoundError
from assistant.jobs import CancelToken, ProgressCallback, no_progress
from assistant.models.bundled import (
    BUNDLED,
    DEFAULT_LLM,
    FAST_LLM,
    WHISPER_BASE,
    BundledModel,
    ModelRegistry,
    locate_part,
)
from assistant.models.choice import LARGE_LLM, Calibration, answers_choice
from assistant.models.gguf_info import GgufInfo, InvalidModelFileError, read_gguf_head, read_gguf_info
from assistant.settings import MODEL_ROLES, Settings

CATALOGUE_FILE = "catalogue.json"
ROLE_KINDS = {"chat": "llm", "translate": "llm", "answers": "llm", "speech": "speech"}
_CHUNK = 8 * 1024 * 1024
#: A CTranslate2 whisper folder (what faster-whisper loads) holds these.
SPEECH_FILES = ("model.bin", "config.json")


class ModelExistsError(ModelError):
    pass


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    display_name: str
    kind: str  # "llm" | "speech"
    source: str  # "bundled" | "user"
    path: Path | None
    state: str  # "ready" | "not assembled" | "not installed" | "missing" | "damaged"
    info: GgufInfo | None = None
    copied: bool = False  # a user model copied into the data folder (removing it deletes the copy)
    sha256: str | None = None
    size_bytes: int | None = None  # a bundled model's size once assembled (known before it is)

    @property
    def usable(self) -> bool:
        return self.state in ("ready", "not assembled")

    def to_json(self, roles: list[str]) -> dict[str, Any]:
        info = self.info
        return {
            "name": self.name,
            "display_name": self.display_name,
            "kind": self.kind,
            "source": self.source,
            "state": self.state,
            "path": str(self.path) if self.path else None,
            "architecture": info.architecture if info else None,
            "parameters": info.parameters if info else None,
            "quantization": info.quantization if info else None,
            "context_length": info.context_length if info else None,
            "size_bytes": info.size_bytes if info else self.size_bytes or _folder_size(self.path),
            "role": ",".join(roles) or None,
            "copied": self.copied,
        }


def bundled_size(model: BundledModel) -> int | None:
    """What a bundled model takes once assembled: its data file and the files copied beside it."""
    if model.size is None:
        return None
    extras = [locate_part(extra) for extra in model.extra_files]
    return model.size + sum(extra.stat().st_size for extra in extras if extra is not None)


def _folder_size(path: Path | None) -> int | None:
    if path is None or not path.exists():
        return None
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def name_for(path: Path) -> str:
    """A catalogue name from a file name: lower case, no suffix, only safe characters."""
    stem = path.name[: -len(".gguf")] if path.name.lower().endswith(".gguf") else path.name
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-") or "model"


def check_speech_folder(folder: Path) -> None:
    missing = [name for name in SPEECH_FILES if not (folder / name).is_file()]
    if not folder.is_dir() or missing:
        raise InvalidModelFileError(
            f"{folder} is not a CTranslate2 whisper model folder (it needs {', '.join(SPEECH_FILES)}; "
            "convert a whisper model with ct2-transformers-converter or use a faster-whisper download)."
        )
    if not any((folder / name).is_file() for name in ("tokenizer.json", "vocabulary.json", "vocabulary.txt")):
        raise InvalidModelFileError(f"{folder} has no tokenizer.json or vocabulary file; it is incomplete.")


class Catalogue:
    """Bundled + user models of one data folder. Every call reads the file anew (it is small), so several
    objects on one folder (the session, the dialog, the CLI) always agree."""

    def __init__(self, data_dir: Path, registry: ModelRegistry | None = None, settings: Settings | None = None):
        self.data_dir = Path(data_dir)
        self.registry = registry or ModelRegistry(self.data_dir / "models")
        self.settings = settings or Settings(self.data_dir)
        self.path = self.data_dir / CATALOGUE_FILE
        self.user_models_dir = self.data_dir / "models" / "user"

    # -- persistence --------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        stored.setdefault("models", [])
        stored.setdefault("info_cache", {})
        return stored

    def _save(self, stored: dict[str, Any]) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(CATALOGUE_FILE + ".tmp")
        tmp.write_text(json.dumps(stored, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)

    def info_for(self, path: Path) -> GgufInfo:
        """GGUF metadata of ``path``, read once and remembered while the file's size and date stay."""
        return self._remembered(path, lambda: read_gguf_info(path))

    def _remembered(self, path: Path, read: Callable[[], GgufInfo]) -> GgufInfo:
        stat = path.stat()
        stored = self._load()
        cached = stored["info_cache"].get(str(path))
        if cached and cached.get("size") == stat.st_size and cached.get("mtime_ns") == stat.st_mtime_ns:
            try:
                return GgufInfo.from_json(cached["info"])
            except (KeyError, TypeError):
                pass
        info = read()
        stored = self._load()
        stored["info_cache"][str(path)] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "info": info.to_json()}
        self._save(stored)
        return info

    def bundled_info(self, model: BundledModel) -> GgufInfo | None:
        """A bundled language model's metadata: from its file once assembled, else from the header in its
        first package part; None if neither can be read."""
        target = self.registry.target_path(model)
        try:
            if target is not None and target.is_file():
                return self.info_for(target)
            head = locate_part(model.parts[0])
            if head is None or target is None or model.size is None:
                return None
            size = model.size
            return self._remembered(head, lambda: read_gguf_head(head, size, path=target))
        except InvalidModelFileError:
            return None

    # -- listing ------------------------------------------------------------------------------
    def _bundled_entry(self, model: BundledModel, with_info: bool) -> CatalogueEntry | None:
        status = self.registry.status(model)
        if status.state == "not installed" and model.optional:
            return None
        info = self.bundled_info(model) if with_info and model.kind == "llm" else None
        return CatalogueEntry(
            model.name, model.display_name, model.kind, "bundled", status.path, status.state, info,
            sha256=model.sha256, size_bytes=bundled_size(model),
        )

    def _user_entry(self, record: dict[str, Any], with_info: bool) -> CatalogueEntry:
        path = Path(record["path"])
        kind = record.get("kind", "llm")
        state = "ready" if path.exists() else "missing"
        info = None
        if kind == "llm" and state == "ready" and with_info:
            try:
                info = self.info_for(path)
            except InvalidModelFileError:
                state = "damaged"
        display = record.get("display_name") or (info.name if info else record["name"])
        return CatalogueEntry(record["name"], display, kind, "user", path, state, info, bool(record.get("copied")))

    def entries(self, with_info: bool = True) -> list[CatalogueEntry]:
        found = []
        for model in BUNDLED:
            if model.kind in ("llm", "speech") and (entry := self._bundled_entry(model, with_info)) is not None:
                found.append(entry)
        found += [self._user_entry(record, with_info) for record in self._load()["models"]]
        return found

    def get(self, name: str, with_info: bool = True) -> CatalogueEntry:
        for model in BUNDLED:
            if model.name == name and model.kind in ("llm", "speech"):
                entry = self._bundled_entry(model, with_info)
                if entry is not None:
                    return entry
        for record in self._load()["models"]:
            if record["name"] == name:
                return self._user_entry(record, with_info)
        known = ", ".join(entry.name for entry in self.entries(with_info=False))
        raise ModelNotFoundError(f"No model called {name!r} in the catalogue. Known models: {known}.")

    # -- adding and removing ------------------------------------------------------------------
    def add(
        self,
        path: Path,
        *,
        copy: bool = False,
        name: str | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> CatalogueEntry:
        """Validate a GGUF file and register it, in place or copied into ``<data>/models/user``."""
        source = Path(path).expanduser().absolute()  # as given: a link another app made stays its link
        name = name or self._free_name(name_for(source))
        self._check_new(name, source)
        info = read_gguf_info(source)
        if not info.has_chat_template:
            raise InvalidModelFileError(
                f"{source.name} has no chat template, so Edgewise cannot talk to it; choose an instruct (chat) model."
            )
        target = source
        if copy:
            target = self.user_models_dir / source.name
            if target.exists():
                raise ModelExistsError(f"{target} already exists in the data folder; remove that model first.")
            self._copy(source, target, progress or no_progress, cancel)
        stored = self._load()
        display = info.name if info.quantization.lower() in info.name.lower() else f"{info.name} {info.quantization}"
        record = {"name": name, "kind": "llm", "path": str(target), "copied": copy, "display_name": display}
        stored["models"].append(record)
        self._save(stored)
        self.info_for(target)  # remember the metadata under the final path
        return self.get(name)

    def add_speech_folder(self, folder: Path, *, name: str | None = None) -> CatalogueEntry:
        """Register a user-supplied CTranslate2 whisper folder (used in place)."""
        source = Path(folder).expanduser().absolute()
        check_speech_folder(source)
        name = name or self._free_name(name_for(source))
        self._check_new(name, source)
        stored = self._load()
        stored["models"].append({"name": name, "kind": "speech", "path": str(source), "copied": False})
        self._save(stored)
        return self.get(name, with_info=False)

    def _free_name(self, wanted: str) -> str:
        taken = {entry.name for entry in self.entries(with_info=False)}
        name, number = wanted, 1
        while name in taken:
            number += 1
            name = f"{wanted}-{number}"
        return name

    def _check_new(self, name: str, source: Path) -> None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:-]*", name):
            raise ModelError(f"{name!r} cannot be a model name: use letters, digits, '.', '-', '_' or ':'.")
        for entry in self.entries(with_info=False):
            if entry.name == name:
                raise ModelExistsError(f"A model called {name!r} is already in the catalogue; choose another name.")
            if entry.path is not None and entry.path == source:
                raise ModelExistsError(f"{source} is already in the catalogue as {entry.name!r}.")

    def _copy(self, source: Path, target: Path, progress: ProgressCallback, cancel: CancelToken | None) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        total = source.stat().st_size
        if shutil.disk_usage(target.parent).free < total:
            raise ModelError(f"Not enough free disk space in {target.parent} to copy {source.name}.")
        done = 0
        try:
            with open(source, "rb") as src, open(partial, "wb") as out:
                while block := src.read(_CHUNK):
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    out.write(block)
                    done += len(block)
                    progress(done, total, f"Copying {source.name}")
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise

    def remove(self, name: str) -> CatalogueEntry:
        """Forget a user model (deleting the copy Edgewise made, never the user's own file)."""
        entry = self.get(name, with_info=False)
        if entry.source == "bundled":
            raise ModelError(f"{name} is a bundled model and cannot be removed; choose another model instead.")
        stored = self._load()
        stored["models"] = [record for record in stored["models"] if record["name"] != name]
        if entry.path is not None:
            stored["info_cache"].pop(str(entry.path), None)
        self._save(stored)
        if entry.copied and entry.path is not None and entry.path.parent == self.user_models_dir:
            entry.path.unlink(missing_ok=True)
        for key in MODEL_ROLES.values():
            if self.settings.get(key) == name:
                self.settings.reset(key)
        return entry

    # -- roles --------------------------------------------------------------------------------
    def default_for(self, role: str) -> str:
        if role == "speech":
            return WHISPER_BASE.name
        if role == "translate":
            return self.model_for("chat")
        calibrated = self.calibration()
        if role == "answers":
            choice = answers_choice(calibrated)[0] if calibrated is not None else None
            return choice if choice == LARGE_LLM and self.usable(choice) else self.model_for("chat")
        if calibrated is not None and self.usable(calibrated.choice):
            return calibrated.choice
        for name in (DEFAULT_LLM, FAST_LLM):
            if self.get(name, with_info=False).state != "not installed":
                return name
        return DEFAULT_LLM

    def calibration(self) -> Calibration | None:
        """The first-use speed calibration of this data folder (None before it ran)."""
        return Calibration.from_json(self.settings.calibration())

    def usable(self, name: str) -> bool:
        """True when ``name`` is in the catalogue and can serve (assembled or ready to be)."""
        try:
            return self.get(name, with_info=False).usable
        except ModelNotFoundError:  # an optional model whose packages were removed since
            return False

    def model_for(self, role: str) -> str:
        """The name of the model serving ``role`` ("chat", "translate" or "speech")."""
        if role not in MODEL_ROLES:
            raise ModelError(f"There is no model role {role!r}; roles: {', '.join(MODEL_ROLES)}.")
        chosen = self.settings.get(MODEL_ROLES[role])
        return chosen or self.default_for(role)

    def roles(self) -> dict[str, str]:
        return {role: self.model_for(role) for role in MODEL_ROLES}

    def use(self, name: str, role: str = "chat") -> CatalogueEntry:
        """Make ``name`` serve ``role``; refused (nothing changed) if it cannot."""
        if role not in ROLE_KINDS:
            raise ModelError(f"There is no model role {role!r}; roles: {', '.join(ROLE_KINDS)}.")
        entry = self.get(name, with_info=False)
        if entry.kind != ROLE_KINDS[role]:
            raise ModelError(f"{name} is a {entry.kind} model and cannot serve {role}.")
        if not entry.usable:
            raise ModelError(f"{name} cannot be used: it is {entry.state}.")
        self.settings.set(MODEL_ROLES[role], "" if name == self._plain_default(role) else name)
        return entry

    def _plain_default(self, role: str) -> str | None:
        return WHISPER_BASE.name if role == "speech" else None

    def resolve(
        self, name: str, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> Path:
        """A usable path for ``name`` (bundled ones are assembled and verified first if needed)."""
        entry = self.get(name, with_info=False)
        if entry.source == "bundled":
            return self.registry.path_for(name, progress=progress, cancel=cancel)
        if entry.state == "missing" or entry.path is None:
            raise ModelNotFoundError(
                f"The model file of {name} is gone ({entry.path}). Put it back or remove the model."
            )
        return entry.path
