"""The figures behind the default-model rule (assistant/models/choice.py): for each model, the calibration's
prompt and generation speed, and the time and work (prompt tokens read, tokens generated) of a 1-2 page
summary and of the 117-page thesis in fast mode; then the 1.5B model's speed ratios to the 0.5B's.

    .venv/bin/python benchmarks/model_choice.py [--threads N] [--repeats 3] [--skip-long] [--skip-short]
        [--models NAME ...] [--data-dir DIR]

Compare only runs made with the same thread count; on a shared machine say so beside the figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.offline import install_offline_guard  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
#: A real one-page document of 800 words (a full page: the self-written inspection report has 253).
ONE_PAGE = CORPUS / "real" / "issue11913.pdf"
LONG = CORPUS / "pdf" / "GeoTopo-komprimiert.pdf"
MODELS = ("qwen2.5-coder-0.5b-instruct-q4_k_m", "qwen2.5-coder-1.5b-instruct-q4_k_m")


def summary_figures(engine, path: Path) -> dict[str, float]:
    from assistant.documents import read_document
    from assistant.writing.summary.pipeline import summarize_document
    from benchmarks.request_cost import counting

    document = read_document(path)
    engine._llm.reset()
    with counting(engine) as cost:
        start = time.perf_counter()
        for _ in summarize_document(document, engine, "brief"):
            pass
        seconds = time.perf_counter() - start
    return {"s": seconds, "calls": len(cost.requests), "prompt tokens": cost.prompt, "read tokens": cost.read,
            "generated tokens": cost.reply}


def main() -> int:
    install_offline_guard()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1, help="llama.cpp threads for every model (default 1)")
    parser.add_argument("--repeats", type=int, default=3, help="calibration runs per model (the median is kept)")
    parser.add_argument("--skip-long", action="store_true", help="leave out the 117-page thesis")
    parser.add_argument("--skip-short", action="store_true", help="leave out the 1-2 page document")
    parser.add_argument("--short", default=str(ONE_PAGE), help="the 1-2 page document (default: %(default)s)")
    parser.add_argument("--models", nargs="*", default=list(MODELS))
    parser.add_argument("--data-dir", default=str(Path.home() / ".local" / "share" / "Edgewise"))
    args = parser.parse_args()

    from assistant.jobs import run_job
    from assistant.llm.calibration import measure_speed
    from assistant.llm.engine import LlmEngine
    from assistant.models.bundled import ModelRegistry, model_by_name
    from assistant.models.choice import predicted_summary_s

    registry = ModelRegistry(Path(args.data_dir) / "models")
    engines = []
    for name in args.models:
        engine = LlmEngine(registry.path_for(name), name=model_by_name(name).display_name, n_threads=args.threads)
        start = time.perf_counter()
        engine.load()
        print(f"{engine.name} ({args.threads} threads): loaded in {time.perf_counter() - start:.1f} s")
        engines.append(engine)
    # The models' calibrations alternate, so a change in the machine's load falls on both alike.
    runs: dict[str, list] = {engine.name: [] for engine in engines}
    for _ in range(args.repeats):
        for engine in engines:
            runs[engine.name].append(run_job(measure_speed(engine)))
    speeds: dict[str, tuple[float, float]] = {}
    for engine in engines:
        measured = runs[engine.name]
        prompt_tps = statistics.median(run.prompt_tps for run in measured)
        generation_tps = statistics.median(run.generation_tps for run in measured)
        speeds[engine.name] = (prompt_tps, generation_tps)
        print(f"\n{engine.name}: calibration prompt {[round(r.prompt_tps, 1) for r in measured]} tok/s, generation "
              f"{[round(r.generation_tps, 1) for r in measured]} tok/s "
              f"(medians {prompt_tps:.1f}, {generation_tps:.1f}); "
              f"predicted 1-2 page summary {predicted_summary_s(prompt_tps, generation_tps):.1f} s", flush=True)
    if len(engines) == 2:
        small, large = (runs[engine.name] for engine in engines)
        prompt_ratio = statistics.median(b.prompt_tps / a.prompt_tps for a, b in zip(small, large, strict=True))
        generation_ratio = statistics.median(
            b.generation_tps / a.generation_tps for a, b in zip(small, large, strict=True)
        )
        print(f"Speed ratios, second model / first, median of the alternating pairs: prompt {prompt_ratio:.2f}, "
              f"generation {generation_ratio:.2f}", flush=True)
    runs_to_time = ([] if args.skip_short else [("1-2 page", Path(args.short))]) + (
        [] if args.skip_long else [("117-page fast", LONG)]
    )
    for label, path in runs_to_time:
        for engine in engines:
            figures = summary_figures(engine, path)
            print(f"{engine.name}: {label} summary {figures['s']:.1f} s, {figures['calls']} calls, "
                  f"{figures['prompt tokens']} prompt tokens ({figures['read tokens']} read, the rest reused from the "
                  f"request before), {figures['generated tokens']} generated", flush=True)
    for engine in engines:
        engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
