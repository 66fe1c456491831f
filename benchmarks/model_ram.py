"""RAM estimate vs measured resident memory for the bundled models, and metadata read time.

Each load runs in a fresh subprocess (RSS before vs after loading with llama_cpp and generating 4 tokens),
so the figures are not blurred by earlier loads. Metadata: Edgewise's vocabulary-only read through
llama.cpp against the `gguf` package's GGUFReader, in the same run.

    .venv/bin/python benchmarks/model_ram.py [--data-dir DIR] [--contexts 2048 4096] [--skip-reader]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

MEASURE = """
import json, sys, psutil
from llama_cpp import Llama
proc = psutil.Process()
before = proc.memory_info().rss
llm = Llama(model_path=sys.argv[1], n_ctx=int(sys.argv[2]), n_threads=2, n_batch=512, verbose=False)
loaded = proc.memory_info().rss
llm.create_completion("Hello, my name is", max_tokens=4)
print(json.dumps({"loaded": loaded - before, "generated": proc.memory_info().rss - before}))
"""


def measure(path: Path, n_ctx: int) -> dict[str, int]:
    result = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(n_ctx)], capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    from assistant.models.bundled import DEFAULT_LLM, FAST_LLM, ModelRegistry
    from assistant.models.gguf_info import read_gguf_info

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--contexts", type=int, nargs="+", default=[2048, 4096])
    parser.add_argument("--skip-reader", action="store_true", help="do not time gguf.GGUFReader (slow)")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="edgewise-bench-"))
    registry = ModelRegistry(data_dir / "models")

    print(f"{'model':38} {'n_ctx':>6} {'estimate':>10} {'measured':>10} {'ratio':>6}")
    for name in (FAST_LLM, DEFAULT_LLM):
        path = registry.path_for(name)
        info = read_gguf_info(path)
        for n_ctx in args.contexts:
            measured = measure(path, n_ctx)["generated"]
            estimate = info.estimated_ram(n_ctx)
            print(f"{name:38} {n_ctx:>6} {estimate / 2**20:>7.0f} MiB {measured / 2**20:>7.0f} MiB "
                  f"{estimate / measured:>6.2f}")

    print(f"\n{'metadata read':38} {'edgewise':>10} {'GGUFReader':>10} {'ratio':>6}")
    for name in (FAST_LLM, DEFAULT_LLM):
        path = registry.path_for(name)
        ours = []
        for _ in range(3):
            start = time.perf_counter()
            read_gguf_info(path)
            ours.append(time.perf_counter() - start)
        if args.skip_reader:
            print(f"{name:38} {statistics.median(ours):>8.2f} s")
            continue
        from gguf import GGUFReader

        start = time.perf_counter()
        GGUFReader(path)
        theirs = time.perf_counter() - start
        print(f"{name:38} {statistics.median(ours):>8.2f} s {theirs:>8.2f} s {statistics.median(ours) / theirs:>6.2f}")


if __name__ == "__main__":
    main()
