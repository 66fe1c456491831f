"""Every user preference, declared once (name, type, default, description, validation) and kept as JSON in
the data folder. `edgewise config` and the settings dialog both read this one declaration.

The data folder itself cannot be stored inside the data folder: that one setting lives in a small pointer
file in the platform's configuration folder (read by app/paths.py at start-up).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import EdgewiseError

#: Targets offered for translation, in the order the GUI lists them (the choices of ``translate.language``;
#: assistant/text/language.py names them).
TRANSLATION_LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "sw": "Swahili",
    "ar": "Arabic",
    "zh": "Chinese",
    "ja": "Japanese",
    "ru": "Russian",
    "pl": "Polish",
    "tr": "Turkish",
    "uk": "Ukrainian",
}
SETTINGS_FILE = "settings.json"
#: The first-use speed calibration's figures and choice (assistant/models/choice.py): kept beside the
#: preferences in the same file, but measured, not chosen, so it is not a declared setting.
CALIBRATION_KEY = "calibration"
SUMMARY_LENGTHS = ("brief", "detailed", "bullets")
THEMES = ("system", "light", "dark")
#: Whisper's languages people are most likely to dictate in; "auto" lets the model detect it.
SPEECH_LANGUAGES = ("auto", *TRANSLATION_LANGUAGES)


class SettingError(EdgewiseError):
    """An unknown setting or a value it refuses; the message says why."""


@dataclass(frozen=True)
class Setting:
    name: str
    type: type  # str, int or bool
    default: Any
    description: str
    page: str  # the settings dialog's page
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    #: extra check returning a reason when the value is refused (after type, choices and range)
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)
    #: how choices are shown; for a number, "0" names what zero means ("Automatic" if absent)
    choice_labels: dict[str, str] = field(default_factory=dict, compare=False)

    def parse(self, text: str) -> Any:
        """A value typed on the command line, converted to this setting's type."""
        text = text.strip()
        if self.type is bool:
            lowered = text.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise SettingError(f"{self.name} must be true or false, not {text!r}.")
        if self.type is int:
            try:
                return int(text)
            except ValueError:
                raise SettingError(f"{self.name} must be a whole number, not {text!r}.") from None
        return text

    def validate(self, value: Any) -> Any:
        """``value`` if this setting accepts it; else SettingError with the reason."""
        if self.type is int and isinstance(value, bool) or not isinstance(value, self.type):
            raise SettingError(f"{self.name} must be a {self.type.__name__}, not {value!r}.")
        if self.choices and value not in self.choices:
            raise SettingError(f"{self.name} must be one of {', '.join(self.choices)}; {value!r} is not.")
        number: Any = value  # an int by now whenever a range is declared
        if self.minimum is not None and number < self.minimum:
            raise SettingError(f"{self.name} must be at least {self.minimum}.")
        if self.maximum is not None and number > self.maximum:
            raise SettingError(f"{self.name} must be at most {self.maximum}.")
        if self.check is not None and (reason := self.check(value)):
            raise SettingError(f"{self.name}: {reason}")
        return value

    def show(self, value: Any) -> str:
        if self.type is bool:
            return "true" if value else "false"
        return str(value)


def _context_check(value: int) -> str | None:
    if value and value < 512:
        return "a context under 512 tokens cannot hold a prompt; use 0 for automatic."
    return None


def _folder_check(value: str) -> str | None:
    if not value:
        return None
    folder = Path(value).expanduser()
    if not folder.is_absolute():
        return f"{value!r} is not an absolute path."
    if folder.exists() and not folder.is_dir():
        return f"{value} exists and is not a folder."
    return None


DECLARATION: tuple[Setting, ...] = (
    Setting("model.chat", str, "", "Model for summaries and chat (empty: the bundled default)", "Models"),
    Setting("model.translate", str, "", "Model for translation (empty: the same as for summaries)", "Models"),
    Setting("model.answers", str, "", "Model for library answers (empty: chosen by the calibration, else the "
            "same as for summaries)", "Models"),
    Setting("model.speech", str, "", "Speech model (empty: the bundled whisper-base)", "Models"),
    Setting(
        "threads", int, 0, "CPU threads (0: one per physical core, fewer while other programs keep cores busy)",
        "Performance", minimum=0, maximum=256,
    ),
    Setting(
        "context_size", int, 0, "Context window in tokens (0: fitted to free RAM)", "Performance",
        minimum=0, maximum=131072, check=_context_check,
    ),
    Setting("gpu_offload", bool, True, "Use the GPU where this build of llama.cpp supports it", "Performance"),
    Setting(
        "memory.idle_minutes", int, 10,
        "Unload a model unused for this many minutes (0: never); it loads again when needed", "Performance",
        minimum=0, maximum=24 * 60, choice_labels={"0": "Never"},
    ),
    Setting(
        "summary.length", str, "brief", "Summary style", "Documents", choices=SUMMARY_LENGTHS,
        choice_labels={"brief": "Brief", "detailed": "Detailed", "bullets": "Bullet points"},
    ),
    Setting(
        "summary.quote_figures", bool, True,
        "Quote the source for figures a summary leaves out", "Documents",
    ),
    Setting(
        "translate.language", str, "en", "Default translation language", "Documents",
        choices=tuple(TRANSLATION_LANGUAGES), choice_labels=dict(TRANSLATION_LANGUAGES),
    ),
    Setting(
        "speech.language", str, "auto", "Speech language", "Documents", choices=SPEECH_LANGUAGES,
        choice_labels={"auto": "Detect automatically", **TRANSLATION_LANGUAGES},
    ),
    Setting(
        "theme", str, "system", "Colour theme", "Appearance", choices=THEMES,
        choice_labels={"system": "Follow the system", "light": "Light", "dark": "Dark"},
    ),
    Setting(
        "data_folder", str, "", "Data folder (empty: the platform default; applies at the next start)", "Storage",
        check=_folder_check,
    ),
)
BY_NAME = {setting.name: setting for setting in DECLARATION}
MODEL_ROLES = {"chat": "model.chat", "translate": "model.translate", "answers": "model.answers",
               "speech": "model.speech"}
#: The role each model setting chooses for: 'model.translate' -> 'translate'.
ROLE_OF_SETTING = {key: role for role, key in MODEL_ROLES.items()}


def setting(name: str) -> Setting:
    try:
        return BY_NAME[name]
    except KeyError:
        raise SettingError(f"There is no setting {name!r}. Settings: {', '.join(BY_NAME)}.") from None


def data_folder_pointer() -> Path:
    """Where the chosen data folder is remembered (outside any data folder)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("Edgewise", appauthor=False)) / "data-folder.json"


class Settings:
    """The settings of one data folder. Reads the file on every ``get`` that finds it changed on disk, so
    a change made elsewhere (the dialog, `edgewise config`) takes effect without a restart."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / SETTINGS_FILE
        self._values: dict[str, Any] = {}
        self._calibration: dict[str, Any] | None = None
        self._stamp: tuple[int, int] | None = None

    def _refresh(self) -> None:
        try:
            stat = self.path.stat()
        except OSError:
            self._values, self._calibration, self._stamp = {}, None, None
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        values = {}
        for name, value in stored.items() if isinstance(stored, dict) else ():
            if name in BY_NAME:
                try:
                    values[name] = BY_NAME[name].validate(value)
                except SettingError:
                    continue  # a hand-edited bad value falls back to the default
        calibration = stored.get(CALIBRATION_KEY) if isinstance(stored, dict) else None
        self._values, self._stamp = values, stamp
        self._calibration = calibration if isinstance(calibration, dict) else None

    def get(self, name: str) -> Any:
        declared = setting(name)
        if name == "data_folder":
            return self._read_pointer()
        self._refresh()
        return self._values.get(name, declared.default)

    def is_default(self, name: str) -> bool:
        return self.get(name) == setting(name).default

    def values(self) -> dict[str, Any]:
        return {item.name: self.get(item.name) for item in DECLARATION}

    def set(self, name: str, value: Any) -> Any:
        """Validate and store ``value``; raise SettingError with the reason when it is refused."""
        declared = setting(name)
        value = declared.validate(value)
        if name == "data_folder":
            self._write_pointer(value)
            return value
        self._refresh()
        self._values[name] = value
        self._save()
        return value

    def calibration(self) -> dict[str, Any] | None:
        """The stored speed calibration as JSON, or None before the first one."""
        self._refresh()
        return self._calibration

    def store_calibration(self, record: dict[str, Any] | None) -> None:
        """Keep (or with None forget) the speed calibration."""
        self._refresh()
        self._calibration = record
        self._save()

    def set_text(self, name: str, text: str) -> Any:
        return self.set(name, setting(name).parse(text))

    def reset(self, name: str) -> None:
        self.set(name, setting(name).default)

    def _save(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        stored: dict[str, Any] = {
            name: value for name, value in self._values.items() if value != BY_NAME[name].default
        }
        if self._calibration is not None:
            stored[CALIBRATION_KEY] = self._calibration
        tmp = self.path.with_name(SETTINGS_FILE + ".tmp")
        tmp.write_text(json.dumps(stored, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
        self._stamp = None

    @staticmethod
    def chosen_data_folder() -> str:
        """The data folder the user chose in the settings ("" for the default); read at start-up."""
        return Settings._read_pointer()

    @staticmethod
    def _read_pointer() -> str:
        try:
            value = json.loads(data_folder_pointer().read_text(encoding="utf-8")).get("data_folder", "")
        except (OSError, ValueError, AttributeError):
            return ""
        return value if isinstance(value, str) else ""

    @staticmethod
    def _write_pointer(value: str) -> None:
        pointer = data_folder_pointer()
        if not value:
            pointer.unlink(missing_ok=True)
            return
        pointer.parent.mkdir(parents=True, exist_ok=True)
        pointer.write_text(json.dumps({"data_folder": str(Path(value).expanduser())}), encoding="utf-8")
