"""`edgewise doctor`: what this installation has, and whether it can all work offline."""

from __future__ import annotations

import argparse
import shutil
import sys
from importlib import metadata
from pathlib import Path

from assistant.machine import detect_hardware
from assistant.models.bundled import ModelRegistry
from assistant.models.catalogue import Catalogue
from assistant.offline import guard_installed

LIBRARIES = (
    "llama-cpp-python",
    "faster-whisper",
    "ctranslate2",
    "sentence-transformers",
    "torch",
    "chromadb",
    "PySide6",
    "pypdfium2",
    "python-docx",
    "odfpy",
    "xlrd",
    "trafilatura",
    "charset-normalizer",
    "py3langid",
)
REQUIRED_LIBRARIES = {"llama-cpp-python", "PySide6", "pypdfium2", "python-docx", "odfpy", "trafilatura"}


NAME = "doctor"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    commands.add_parser(NAME, parents=parents, help="show models, libraries and hardware; exit 1 if something "
                        "needed is missing")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    return run_doctor(data_dir, sys.stdout)


def _gib(n: int) -> str:
    return f"{n / 2**30:.1f} GiB"


def _memory(data_dir: Path, out) -> None:
    """The one memory budget, what each engine takes of it once loaded, and the idle time."""
    from assistant.workspace import Workspace

    workspace = Workspace(data_dir)
    try:
        plan = workspace.memory_plan()
        budget = workspace.memory.limit
        print(f"\nMemory: one budget for the models, {_gib(budget)} (half this computer's RAM)", file=out)
        for resident in plan:
            state = "loaded" if resident.loaded else "not loaded"
            print(f"  {resident.label:56} {resident.estimate / 2**30:6.2f} GiB  {state}", file=out)
        together = sum(resident.estimate for resident in plan)
        verdict = "fit" if together <= budget else "do not fit: the least recently used model makes room"
        print(f"  {'all at once':56} {together / 2**30:6.2f} GiB  {verdict}", file=out)
        minutes = workspace.settings.get("memory.idle_minutes")
        when = f"after {minutes} min unused" if minutes else "never (memory.idle_minutes is 0)"
        print(f"  Idle models are unloaded {when}; they load again when needed (memory.idle_minutes).", file=out)
    finally:
        workspace.close()


def default_model_lines(catalogue: Catalogue) -> list[str]:
    """Which model serves summaries and why: the user's choice, else the first-use calibration's."""
    from assistant.models.bundled import QWEN_15B
    from assistant.models.choice import describe

    lines = []
    chosen = catalogue.settings.get("model.chat")
    calibration = catalogue.calibration()
    if chosen:
        lines.append(f"{chosen}: your choice in Settings (it wins over the calibration)")
    if calibration is None:
        lines.append(f"not measured yet: {catalogue.model_for('chat')} until the first summary measures this "
                     "computer (or run `edgewise models calibrate`)")
    else:
        lines += describe(calibration)
    if catalogue.registry.status(QWEN_15B).state == "not installed":
        lines.append(f"the larger {QWEN_15B.display_name} is not installed: add it with `make models-large`, "
                     "then run `edgewise models calibrate`")
    return lines


def run_doctor(data_dir: Path, out) -> int:
    problems: list[str] = []
    print(f"Data folder: {data_dir}", file=out)

    print("\nModels:", file=out)
    registry = ModelRegistry(data_dir / "models")
    llm_ready = False
    for status in registry.statuses():
        model = status.model
        size = f"{model.size:,} bytes" if model.size else "?"
        verified = "verified" if status.ready else status.state
        where = str(status.path) if status.path else "-"
        optional = " (optional)" if model.optional else ""
        print(f"  {model.name:40} {model.kind:9} {verified:14} {size:>17}  {where}{optional}", file=out)
        if status.state not in ("ready", "not assembled") and not model.optional:
            problems.append(f"model {model.name}: {status.detail or status.state}")
        if model.kind == "llm" and status.state in ("ready", "not assembled"):
            llm_ready = True
    if not llm_ready:
        problems.append("no language model is installed")

    _memory(data_dir, out)
    print("\nDefault model for summaries and chat:", file=out)
    for line in default_model_lines(Catalogue(data_dir, registry)):
        print(f"  {line}", file=out)

    print("\nLibraries:", file=out)
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "not installed"
            if name in REQUIRED_LIBRARIES:
                problems.append(f"library {name} is not installed")
        print(f"  {name:24} {version}", file=out)

    from assistant.documents.ocr import INSTALL_HINT, engine_name, installed_languages, tesseract_program

    packs = sorted(installed_languages() - {"osd"})
    print("\nOCR (scanned pages and photos):", file=out)
    if tesseract_program() is None or "eng" not in packs:
        print("  Tesseract: not installed", file=out)
        problems.append(f"the OCR engine Tesseract is not installed: {INSTALL_HINT}")
    else:
        print(f"  {engine_name()}, language packs: {', '.join(packs)}", file=out)

    from assistant.documents.office import ANTIWORD

    found = shutil.which(ANTIWORD)
    print("\nWord 97-2003 files (.doc):", file=out)
    print(f"  {ANTIWORD}: {found}" if found else f"  {ANTIWORD}: not installed (.doc files cannot be read; make setup "
          "installs it)", file=out)

    hw = detect_hardware()
    avx2 = {True: "yes", False: "no", None: "unknown"}[hw.avx2]
    print("\nThis computer:", file=out)
    print(f"  CPU: {hw.cpu}", file=out)
    print(f"  cores: {hw.physical_cores} physical, {hw.logical_cores} logical; AVX2: {avx2}", file=out)
    print(f"  RAM: {_gib(hw.ram_total)} total, {_gib(hw.ram_available)} available", file=out)
    print(f"\nOffline guard: {'installed' if guard_installed() else 'NOT installed'}", file=out)

    if problems:
        print("\nNot ready to work offline:", file=out)
        for problem in problems:
            print(f"  - {problem}", file=out)
        print("Run `make run` (or `edgewise models install`) to install what is missing.", file=out)
        return 1
    print("\nEverything needed is here: Edgewise can work fully offline.", file=out)
    return 0
