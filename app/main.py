"""Entry point of `edgewise` (and `python -m app`): the offline guard goes in before anything else runs."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from assistant.offline import install_offline_guard

    install_offline_guard()
    from app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
