"""Where Edgewise keeps user data: one folder for models, settings, library, history and logs, private to
the person who runs it (on a laptop others may use too)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

ENV_VAR = "EDGEWISE_HOME"
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Edgewise", appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` first, then ``$EDGEWISE_HOME``, then the folder chosen in the settings, then the
    platform's user-data folder. A new folder is created private (0700)."""
    if cli_value:
        chosen = Path(cli_value)
    elif os.environ.get(ENV_VAR):
        chosen = Path(os.environ[ENV_VAR])
    else:
        from assistant.settings import Settings

        chosen = Path(Settings.chosen_data_folder() or default_data_dir())
    chosen = chosen.expanduser().resolve()
    chosen.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    return chosen


def make_private(data_dir: Path) -> str | None:
    """From now on everything this process creates is readable by its owner only (umask 077: the data
    folder's files, the library's databases, logs, and what the person saves); what the data folder already
    holds is tightened to 0700 folders and 0600 files. Returns a warning for the person when something
    stays open to others, else None. POSIX only: on Windows the user-data folder is its account's already.

    A folder that also holds files of the person's own that others may read (someone chose ~/Documents
    as the data folder) is not changed wholesale: only Edgewise's entries are tightened, and they are told.
    """
    if os.name != "posix":
        return None
    os.umask(0o077)
    entries = sorted(data_dir.iterdir())
    foreign = [path for path in entries if path.name not in OWN_ENTRIES and not _private(path)]
    refused = [str(path) for path in _walk([e for e in entries if e.name in OWN_ENTRIES]) if not _tighten(path)]
    if foreign:
        return (
            f"The data folder {data_dir} holds other files that other people using this computer can read "
            f"(such as {foreign[0].name}), so Edgewise made only its own files private. Give Edgewise a folder "
            "of its own with --data-dir, EDGEWISE_HOME or Settings > Storage."
        )
    if not _tighten(data_dir):
        refused.insert(0, str(data_dir))
    if not refused:
        return None
    return (
        f"{refused[0]} can be read by other people using this computer and could not be made private "
        f"({len(refused)} item(s) in all: a folder of another owner, or a drive without Unix permissions). "
        "Choose a data folder of your own on this computer's disk with --data-dir, EDGEWISE_HOME or "
        "Settings > Storage."
    )


#: What Edgewise keeps in a data folder (all of it made private at start).
OWN_ENTRIES = frozenset({
    "models", "library", "voice-notes", "logs", "settings.json", "settings.json.tmp", "catalogue.json",
    "catalogue.json.tmp",
})


def _walk(roots: list[Path]) -> list[Path]:
    """``roots`` and everything under them, links not followed."""
    found = []
    for root in roots:
        found.append(root)
        if root.is_dir() and not root.is_symlink():
            for folder, folders, files in os.walk(root):
                found.extend(Path(folder) / name for name in [*folders, *files])
    return found


def _private(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return True
    return stat.S_ISLNK(info.st_mode) or not info.st_mode & _OTHERS


def _tighten(path: Path) -> bool:
    """Take group and other rights away from ``path`` (0700 a folder, 0600 a file); False if they stay. Links
    are left alone: what they point to is not ours (a model kept where another app put it)."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or not info.st_mode & _OTHERS:
            return True
        os.chmod(path, PRIVATE_FOLDER if stat.S_ISDIR(info.st_mode) else PRIVATE_FILE)
        return not path.lstat().st_mode & _OTHERS  # some file systems (FAT, SMB) accept chmod and ignore it
    except FileNotFoundError:
        return True  # gone while we walked
    except OSError:
        return False


def logs_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def models_dir(data_dir: Path) -> Path:
    return data_dir / "models"
