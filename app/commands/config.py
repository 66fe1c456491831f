"""`edgewise config list | get KEY | set KEY VALUE | reset KEY`: the settings (assistant/settings.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "config"


def register(commands, parents: list[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(NAME, parents=parents, help="show or change the settings")
    actions = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    actions.add_parser("list", parents=parents, help="every setting with its value and description")
    get = actions.add_parser("get", parents=parents, help="print one setting's value")
    get.add_argument("key", metavar="KEY")
    change = actions.add_parser("set", parents=parents, help="change a setting (refused with a reason if invalid)")
    change.add_argument("key", metavar="KEY")
    change.add_argument("value", metavar="VALUE")
    reset = actions.add_parser("reset", parents=parents, help="put a setting back to its default")
    reset.add_argument("key", metavar="KEY")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from assistant.models.catalogue import Catalogue
    from assistant.settings import DECLARATION, ROLE_OF_SETTING, setting

    catalogue = Catalogue(data_dir)
    settings = catalogue.settings
    if args.config_command == "list":
        for declared in DECLARATION:
            value = settings.get(declared.name)
            shown = declared.show(value)
            if declared.name in ROLE_OF_SETTING and not value:
                shown = f"(default: {catalogue.model_for(ROLE_OF_SETTING[declared.name])})"
            print(f"{declared.name:20} {shown:40} {declared.description}")
        return 0
    declared = setting(args.key)  # unknown keys are refused here with the list of known ones
    if args.config_command == "get":
        print(declared.show(settings.get(declared.name)))
        return 0
    if args.config_command == "reset":
        settings.reset(declared.name)
        print(f"{declared.name} = {declared.show(declared.default)} (default)")
        return 0
    if declared.name in ROLE_OF_SETTING and args.value:
        catalogue.use(args.value, ROLE_OF_SETTING[declared.name])  # checks the model exists and fits the role
    else:
        settings.set_text(declared.name, args.value)
    print(f"{declared.name} = {declared.show(settings.get(declared.name))}")
    return 0
