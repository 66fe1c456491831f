"""Prompts, icons and style sheets shipped with Edgewise, reached through one accessor."""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def resource_path(relative: str) -> Path:
    """Absolute path of a file under ``resources/``; raises FileNotFoundError if absent."""
    path = ROOT / relative
    if not path.is_file():
        raise FileNotFoundError(f"Edgewise resource missing: {relative}")
    return path


@cache
def prompt(name: str) -> str:
    """The text of ``resources/prompts/<name>.txt``, without its trailing newline."""
    return resource_path(f"prompts/{name}.txt").read_text(encoding="utf-8").rstrip("\n")
