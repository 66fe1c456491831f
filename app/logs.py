"""Logging: to a rotating file in the data folder; people see messages, never tracebacks.

The log holds events, file and model names, counts and timings: never document text, summaries or
answers. Edgewise's own log calls are written that way; other libraries log only warnings and errors,
since some (pdfminer, trafilatura) narrate the text they parse at their debug and info levels.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.paths import logs_dir

#: The loggers of Edgewise's own code (``logging.getLogger(__name__)`` in app/, assistant/ and ui/).
OWN_LOGGERS = ("app", "assistant", "ui", "edgewise")


def configure_logging(data_dir: Path, verbose: bool = False) -> Path:
    folder = logs_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    log_file = folder / "edgewise.log"
    root = logging.getLogger()
    root.setLevel(logging.WARNING)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_edgewise", False):
            root.removeHandler(handler)
    file_handler = RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file_handler._edgewise = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if verbose:
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        console._edgewise = True  # type: ignore[attr-defined]
        root.addHandler(console)
    return log_file
