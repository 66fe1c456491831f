"""Resident memory with the window open: before any model, with all three engines loaded (a summary from the
language model, a library search through the embedder, a transcription with whisper), and after the idle
check has unloaded them. Resident memory counts the window's process and its children (the embedder and
whisper run in processes of their own). Target: at most 350 MB after idle unload.

    nice -n 5 .venv/bin/python benchmarks/idle_memory.py [--model NAME] [--data-dir DIR]

The idle check is the workspace's own (what its idle watch runs every half minute), run at a time just past the
idle setting instead of after waiting for it. The raw figure beside it: the same engines loaded the way the
libraries document (llama.cpp, faster-whisper, sentence-transformers in one process) and freed by dropping them,
measured in a fresh process in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CORPUS = PROJECT.parent / "shared" / "corpus"
TARGET_MB = 350
SUMMARY_PDF = CORPUS / "pdf" / "minimal-document.pdf"
LIBRARY_PDF = CORPUS / "pdf" / "multicolumn.pdf"
RECORDING = CORPUS / "audio" / "jfk.flac"


def resident_mb() -> tuple[float, float]:
    """(this process, this process and its children) in MB."""
    import psutil

    me = psutil.Process()
    own = me.memory_info().rss
    children = 0
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):  # it ended meanwhile
            children += child.memory_info().rss
    return own / 2**20, (own + children) / 2**20


def settle(app) -> None:
    """Let the window paint and the freed memory be returned."""
    for _ in range(20):
        app.processEvents()
        time.sleep(0.05)


def edgewise(data_dir: Path, model: str | None) -> dict[str, tuple[float, float]]:
    from assistant.jobs import run_job
    from assistant.offline import install_offline_guard

    install_offline_guard()
    from PySide6.QtCore import QSettings

    from assistant.documents import read_document
    from assistant.workspace import Workspace
    from ui.application import create_application
    from ui.main_window import MainWindow
    from ui.window_state import WindowState

    app = create_application(["edgewise"])
    workspace = Workspace(data_dir, llm_name=model)
    window = MainWindow(workspace, WindowState(QSettings(str(data_dir / "bench-ui.ini"), QSettings.Format.IniFormat)))
    window.show()
    settle(app)
    figures = {"window open, no model": resident_mb()}

    start = time.perf_counter()
    summary = run_job(workspace.summarize(read_document(SUMMARY_PDF)))
    library = workspace.library()
    library.add([LIBRARY_PDF])
    hits = library.search("capital of Belgium", k=3)
    segments = run_job(workspace.transcribe(RECORDING))
    settle(app)
    print(f"used the three engines in {time.perf_counter() - start:.0f} s: a {len(summary)}-character summary, "
          f"{len(hits)} search hits, {len(segments)} transcript segments")
    figures["all three engines loaded"] = resident_mb()
    loaded = [resident.label for resident in workspace.memory.residents() if resident.loaded]

    freed = workspace.unload_idle(now=time.monotonic() + workspace.idle_seconds + 1)
    settle(app)
    figures["after idle unload"] = resident_mb()
    left = [resident.label for resident in workspace.memory.residents() if resident.loaded]
    print(f"loaded: {', '.join(loaded)}")
    print(f"unloaded by the idle check: {', '.join(freed)}; still loaded: {', '.join(left) or 'none'}")
    show(figures)

    start = time.perf_counter()
    again = run_job(workspace.summarize(read_document(SUMMARY_PDF)))
    print(f"a summary after the unload loaded the model again in {time.perf_counter() - start:.1f} s "
          f"(same text: {again == summary})")
    window.close()
    workspace.close()
    return figures


RAW = """
import ctypes, gc, json, os, sys
os.environ["HF_HUB_OFFLINE"] = "1"
import psutil
from llama_cpp import Llama
from faster_whisper import WhisperModel
from sentence_transformers import SentenceTransformer
me = psutil.Process()
llm = Llama(model_path=sys.argv[1], n_ctx=4096, verbose=False)
llm.create_completion("Hello", max_tokens=8)
whisper = WhisperModel(sys.argv[2], device="cpu", compute_type="int8")
list(whisper.transcribe(sys.argv[4], vad_filter=True)[0])
embedder = SentenceTransformer(sys.argv[3], device="cpu")
embedder.encode(["capital of Belgium"])
loaded = me.memory_info().rss / 2**20
llm.close()
del llm, whisper, embedder
gc.collect()
ctypes.CDLL("libc.so.6").malloc_trim(0)
print(json.dumps([loaded, me.memory_info().rss / 2**20]))
"""


def raw_engines(data_dir: Path, model: str | None) -> tuple[float, float]:
    """The three engines in one plain process, loaded and then dropped (what in-process unloading can give)."""
    from assistant.models.bundled import DEFAULT_LLM, MINILM, ModelRegistry
    from assistant.speech.transcriber import SPEECH_MODEL

    registry = ModelRegistry(data_dir / "models")
    paths = [registry.path_for(name) for name in (model or DEFAULT_LLM, SPEECH_MODEL, MINILM.name)]
    out = subprocess.run([sys.executable, "-c", RAW, *map(str, paths), str(RECORDING)], capture_output=True,
                         text=True, check=True, timeout=1800)
    loaded, dropped = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded, dropped


def show(figures: dict[str, tuple[float, float]]) -> None:
    print(f"\n{'':30} {'window process':>15} {'with children':>14}")
    for label, (own, total) in figures.items():
        print(f"{label:30} {own:12.0f} MB {total:11.0f} MB")
    print(flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", default=None, help="language model (default: the bundled default)")
    parser.add_argument("--data-dir", type=Path, default=None, help="reuse a data folder with assembled models")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="edgewise-idle-memory-"))

    figures = edgewise(data_dir, args.model)
    raw_loaded, raw_dropped = raw_engines(data_dir, args.model)
    print(f"\nraw engines in one process (no window): {raw_loaded:.0f} MB loaded, {raw_dropped:.0f} MB after "
          "dropping them (torch and sentence-transformers stay imported)")
    loaded, after = figures["all three engines loaded"][1], figures["after idle unload"][1]
    print(f"idle unload gave back {loaded - after:.0f} MB ({after / loaded:.0%} of the loaded figure left)")
    verdict = "met" if after <= TARGET_MB else "NOT met"
    print(f"target <= {TARGET_MB} MB after idle unload: {verdict} ({after:.0f} MB)")
    return 0 if after <= TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
