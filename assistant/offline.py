"""The offline guard: refuses every connection to a non-loopback address and logs the attempt.

It is a Python audit hook (PEP 578), so it sees every socket connect and name lookup made through Python,
whichever library makes it, and it cannot be removed once installed. Native code that opens its own
sockets is outside its reach; for those we rely on offline settings (HF_HUB_OFFLINE, telemetry off).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
import threading
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

from assistant.errors import OfflineViolationError

log = logging.getLogger("edgewise.offline")

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}
_installed = False
_install_lock = threading.Lock()


@dataclass(frozen=True)
class BlockedAttempt:
    event: str
    target: str
    when: datetime


#: The most recent refused attempts, newest last (for tests, `edgewise doctor` and the log).
blocked_attempts: deque[BlockedAttempt] = deque(maxlen=100)

#: Environment that keeps well-behaved libraries from even trying.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",  # chromadb
    "DO_NOT_TRACK": "1",
}


def set_offline_environment() -> None:
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ[key] = value


def is_local(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", errors="replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").lower()
    if name in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False


def _target(event: str, args: tuple) -> str | None:
    """The remote host of a networking audit event, or None when the event is local or not networking."""
    if event == "socket.connect" or event == "socket.sendto":
        sock, address = args[0], args[1]
        if getattr(sock, "family", None) == socket.AF_UNIX or not isinstance(address, tuple):
            return None
        return None if is_local(address[0]) else f"{address[0]}:{address[1]}"
    if event == "socket.getaddrinfo":
        return None if is_local(args[0]) else f"{args[0]}:{args[1]}"
    if event in ("socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        return None if is_local(args[0]) else str(args[0])
    return None


def _hook(event: str, args: tuple) -> None:
    if not event.startswith("socket."):
        return
    target = _target(event, args)
    if target is None:
        return
    blocked_attempts.append(BlockedAttempt(event, target, datetime.now(UTC)))
    log.warning("offline guard refused a network attempt (%s to %s)", event, target)
    raise OfflineViolationError(
        f"Edgewise works offline and refused a connection to {target}. Nothing leaves this device."
    )


def install_offline_guard() -> None:
    """Install once per process; later calls do nothing."""
    global _installed
    with _install_lock:
        if _installed:
            return
        set_offline_environment()
        sys.addaudithook(_hook)
        _installed = True


def guard_installed() -> bool:
    return _installed
