"""One module per `edgewise` subcommand. Each module exposes ``NAME``, ``register(commands, parents)``
(adds its argparse sub-parser) and ``run(args, data_dir) -> int``. Add a command by adding its module
here; app/cli.py needs no change.
"""

from __future__ import annotations

from app.commands import (
    ask,
    check,
    config,
    doctor,
    library,
    models,
    search,
    summarize,
    text,
    transcribe,
    translate,
)

COMMANDS = (summarize, translate, text, doctor, models, transcribe, config, check, library, search, ask)
