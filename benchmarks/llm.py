"""LLM benchmark: Edgewise's summarise path against raw llama_cpp.Llama with identical settings, in one run.

Prints time to first token, decode tokens/s and their ratios, and the time until the window is visible
after a launch. Usage: .venv/bin/python benchmarks/llm.py [--model NAME] [--file PDF] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.offline import install_offline_guard  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
DECODE_TOKENS = 96


def _edgewise_run(engine, messages, sampling) -> tuple[float, float, int]:
    """(seconds to first token, decode tokens/s, tokens) through LlmEngine.stream_chat."""
    engine.forget_prompt()  # no prefix cache: both sides evaluate the whole prompt
    start = time.perf_counter()
    first = None
    count = 0
    for _ in engine.stream_chat(messages, sampling, max_tokens=DECODE_TOKENS):
        count += 1
        if first is None:
            first = time.perf_counter()
    end = time.perf_counter()
    assert first is not None
    return first - start, (count - 1) / max(end - first, 1e-9), count


def _raw_run(llm, tokens, sampling, seed) -> tuple[float, float, int]:
    llm.reset()
    start = time.perf_counter()
    first = None
    count = 0
    stream = llm.create_completion(
        tokens, max_tokens=DECODE_TOKENS, temperature=sampling.temperature, top_p=sampling.top_p,
        top_k=sampling.top_k, repeat_penalty=sampling.repeat_penalty, seed=seed, stream=True,
    )
    for chunk in stream:
        if chunk["choices"][0]["text"]:
            count += 1
            if first is None:
                first = time.perf_counter()
    end = time.perf_counter()
    assert first is not None
    return first - start, (count - 1) / max(end - first, 1e-9), count


def _window_visible_seconds() -> float:
    """Wall time from process start to the main window shown (offscreen), as a user launch would see."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from ui.application import create_application\n"
        "from ui.main_window import MainWindow\n"
        "from assistant.workspace import Workspace\n"
        "app = create_application(sys.argv)\n"
        f"window = MainWindow(Workspace(Path({tempfile.mkdtemp()!r})))\n"
        "window.show(); app.processEvents()\n"
        "print('shown', flush=True)\n"
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": tempfile.mkdtemp()}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "shown":
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError("the window never showed")
    proc.wait(timeout=30)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None, help="bundled model name (default: the default LLM)")
    parser.add_argument("--file", default=str(CORPUS / "pdf" / "002-trivial-libre-office-writer.pdf"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    install_offline_guard()

    from llama_cpp import Llama

    from assistant.documents import read_document
    from assistant.llm.sampling import sampling_for
    from assistant.machine import physical_cores
    from assistant.models.bundled import DEFAULT_LLM
    from assistant.session import Session
    from assistant.text.condense import condense
    from assistant.writing.summary.generate import summary_messages
    from resources import prompt

    # a fixed count on both sides: left automatic, ours would take fewer threads than the raw engine under load
    session = Session(Path(tempfile.mkdtemp()), llm_name=args.model or DEFAULT_LLM, n_threads=physical_cores())
    session.registry.models_dir = ROOT / ".venv" / "bench-models"  # assembled once, reused across runs
    session.registry._stamps_path = session.registry.models_dir / "verified.json"
    engine = session.engine()
    engine.load()
    document = read_document(args.file)
    text = "\n\n".join(p.text for p in condense(document.pages))
    messages = summary_messages("summary_single", title=document.name, text=text, instruction=prompt("summary_brief"))
    sampling = sampling_for("summary-brief")
    tokens = engine.prompt_tokens(messages)

    raw = Llama(model_path=str(engine.model_path), n_ctx=engine.n_ctx, n_threads=engine.n_threads,
                n_threads_batch=engine.n_threads, n_batch=512, seed=engine.seed, verbose=False)
    ours, theirs = [], []
    for _ in range(args.runs):  # interleaved, so drift in machine load hits both sides alike
        theirs.append(_raw_run(raw, tokens, sampling, engine.seed))
        ours.append(_edgewise_run(engine, messages, sampling))

    def med(rows, i):
        return statistics.median(r[i] for r in rows)

    print(f"model: {engine.name}  threads: {engine.n_threads}  n_ctx: {engine.n_ctx}")
    print(f"document: {document.name}  prompt tokens: {len(tokens)}  decode tokens: {DECODE_TOKENS}  runs: {args.runs}")
    print(f"{'':24}{'first token (s)':>16}{'decode tok/s':>14}")
    print(f"{'raw llama_cpp':24}{med(theirs, 0):16.2f}{med(theirs, 1):14.1f}")
    print(f"{'Edgewise summarise':24}{med(ours, 0):16.2f}{med(ours, 1):14.1f}")
    print(f"first-token ratio (Edgewise / raw): {med(ours, 0) / med(theirs, 0):.3f}")
    print(f"decode ratio (Edgewise / raw):      {med(ours, 1) / med(theirs, 1):.3f}")
    visible = [_window_visible_seconds() for _ in range(3)]
    print(f"window visible after launch: {statistics.median(visible):.2f} s (median of 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
