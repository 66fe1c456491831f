"""The layering holds: the core never imports Qt, and the GUI never imports an engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import PROJECT

CORE_MODULES = [
    ".".join(path.relative_to(PROJECT).with_suffix("").parts)
    for path in sorted((PROJECT / "assistant").rglob("*.py"))
    if path.stem != "__init__"
]


def _modules_after_import(modules: list[str]) -> set[str]:
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True,
                            timeout=120, check=True)
    return set(result.stdout.split())


def test_assistant_package_imports_no_qt() -> None:
    assert len(CORE_MODULES) > 8
    loaded = _modules_after_import(CORE_MODULES)
    qt = sorted(m for m in loaded if m.startswith(("PySide6", "shiboken6")))
    assert not qt, f"the core imported Qt: {qt[:5]}"


def test_gui_modules_import_no_engine_at_import_time() -> None:
    gui = ["ui." + p.stem for p in sorted((PROJECT / "ui").glob("*.py")) if p.stem != "__init__"]
    assert gui
    loaded = _modules_after_import(gui + ["assistant.session"])
    heavy = {"llama_cpp", "faster_whisper", "chromadb", "torch", "sentence_transformers"}
    assert not heavy & loaded, f"imported at start-up: {sorted(heavy & loaded)}"


def test_import_contracts_hold() -> None:
    """The layering, the Qt-free core, the engine-free GUI and the absence of import cycles, as declared in
    pyproject.toml's import-linter contracts."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
