"""Where Edgewise keeps user data: one folder for models, settings, library, history and logs."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "EDGEWISE_HOME"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Edgewise", appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` first, then ``$EDGEWISE_HOME``, then the folder chosen in the settings, then the
    platform's user-data folder."""
    if cli_value:
        chosen = Path(cli_value)
    elif os.environ.get(ENV_VAR):
        chosen = Path(os.environ[ENV_VAR])
    else:
        from assistant.settings import Settings

        chosen = Path(Settings.chosen_data_folder() or default_data_dir())
    chosen = chosen.expanduser().resolve()
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def logs_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def models_dir(data_dir: Path) -> Path:
    return data_dir / "models"
