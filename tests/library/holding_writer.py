"""A library writer that stops mid-ingestion on cue, for tests and benchmarks/two_writers.py.

    python -m tests.library.holding_writer DATA_DIR SIGNALS TRIGGER PATH...

It adds PATHs to the library of DATA_DIR. At the first progress message containing TRIGGER (the writer lock
is held then) it writes the message to SIGNALS/holding and waits for SIGNALS/go to appear, or to be killed:
whoever drives it knows exactly where the ingestion stands, on a machine of any speed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    data, signals_arg, trigger, *paths = argv
    signals = Path(signals_arg)

    def progress(done: int, total: int, message: str) -> None:
        if trigger in message and not (signals / "holding").exists():
            (signals / "holding").write_text(message, encoding="utf-8")
            while not (signals / "go").exists():
                time.sleep(0.01)  # waiting for the cue, not measuring anything

    from assistant.library.index import LibraryIndex

    index = LibraryIndex(Path(data))
    try:
        index.add(paths, progress=progress)
    finally:
        index.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
