"""The offline guard: non-loopback connections are refused and reported; loopback is left alone."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.request

import pytest

from assistant.errors import OfflineViolationError
from assistant.offline import blocked_attempts, guard_installed, is_local

from .conftest import PROJECT


def test_guard_is_installed_for_the_whole_suite() -> None:
    assert guard_installed()


def test_connection_to_a_public_address_is_refused_and_recorded() -> None:
    before = len(blocked_attempts)
    with pytest.raises(OfflineViolationError, match="refused a connection"):
        socket.create_connection(("93.184.216.34", 443), timeout=2)
    assert len(blocked_attempts) > before
    assert blocked_attempts[-1].target.startswith("93.184.216.34")


def test_http_request_by_name_is_refused_before_any_lookup() -> None:
    with pytest.raises(OSError) as raised:
        urllib.request.urlopen("https://example.com/", timeout=2)
    assert isinstance(raised.value, OfflineViolationError) or isinstance(
        getattr(raised.value, "reason", None), OfflineViolationError
    )
    assert blocked_attempts[-1].target.startswith("example.com")


def test_loopback_connection_is_not_blocked_by_the_guard() -> None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.settimeout(1)
    try:
        probe.connect(("127.0.0.1", 9))  # nothing listens there: refused or unreachable, never by us
    except OfflineViolationError:
        pytest.fail("the guard blocked a loopback connection")
    except OSError:
        pass
    finally:
        probe.close()


@pytest.mark.parametrize(
    ("host", "local"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("127.8.9.1", True), ("10.0.0.1", False),
     ("huggingface.co", False), ("8.8.8.8", False)],
)
def test_loopback_detection(host: str, local: bool) -> None:
    assert is_local(host) is local


def test_a_real_hugging_face_download_is_refused_and_logged(tmp_path) -> None:
    """Even with HF_HUB_OFFLINE unset, huggingface_hub's download never reaches the network, however often
    it retries. Its back-off between retries (1 + 2 + 4 + 8 + 8 s) is recorded instead of slept."""
    script = f"""
import json, logging, os, sys, time
logging.basicConfig(filename={str(tmp_path / 'log.txt')!r}, level=logging.INFO)
from assistant.offline import install_offline_guard, blocked_attempts
install_offline_guard()
os.environ.pop("HF_HUB_OFFLINE", None)
os.environ.pop("TRANSFORMERS_OFFLINE", None)
waits = []
time.sleep = waits.append
from huggingface_hub import hf_hub_download
try:
    hf_hub_download("sentence-transformers/all-MiniLM-L6-v2", "config.json", cache_dir={str(tmp_path)!r})
    outcome = "downloaded"
except Exception as exc:
    outcome = type(exc).__name__
print(json.dumps({{"outcome": outcome, "blocked": [a.target for a in blocked_attempts], "waits": waits}}))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True,
                            timeout=120)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["outcome"] != "downloaded"
    assert any("huggingface.co" in target for target in report["blocked"]), report
    # Every retry after a back-off was refused too.
    assert report["waits"] and len(report["blocked"]) > len(report["waits"]), report
    assert "offline guard refused" in (tmp_path / "log.txt").read_text()
