"""What this laptop has: cores, vector instructions, memory. The one place that asks the operating system
(``models/fit.py`` decides from these figures; the engines and OCR take their thread or worker count from
here). It imports nothing of the app, so any package may use it."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Hardware:
    cpu: str
    physical_cores: int
    logical_cores: int
    avx2: bool | None  # None: could not tell on this platform
    ram_total: int
    ram_available: int


def _cpu_flags() -> tuple[str, set[str]]:
    cpuinfo = Path("/proc/cpuinfo")
    name: str = platform.processor() or platform.machine()
    flags: set[str] = set()
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name" and value.strip():
                name = value.strip()
            elif key in ("flags", "Features") and not flags:
                flags = set(value.split())
    return name, flags


def physical_cores() -> int:
    """Physical cores (llama.cpp and whisper run best with one thread each), at least 1."""
    import psutil

    return max(1, psutil.cpu_count(logical=False) or os.cpu_count() or 1)


def busy_cores(window: float = 0.05) -> float:
    """Physical cores' worth of CPU in use now, measured over ``window`` seconds while the calling thread
    waits: other programs, and any other work of this app (an OCR or an embedding running beside)."""
    import psutil

    logical = psutil.cpu_count() or 1
    used = psutil.cpu_percent(interval=window) / 100 * logical
    return used * physical_cores() / logical


def available_ram() -> int:
    """Bytes of RAM free for a model now (what the OS could hand out without swapping)."""
    import psutil

    return int(psutil.virtual_memory().available)


def detect_hardware() -> Hardware:
    import psutil

    name, flags = _cpu_flags()
    logical = os.cpu_count() or 1
    return Hardware(
        cpu=name,
        physical_cores=physical_cores(),
        logical_cores=logical,
        avx2=("avx2" in flags) if flags else None,
        ram_total=int(psutil.virtual_memory().total),
        ram_available=available_ram(),
    )
