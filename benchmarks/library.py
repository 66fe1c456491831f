"""Library benchmark: ingestion throughput against a raw sentence-transformers encode of the same passages
in the same run, hybrid search latency at 10k and 100k passages, and peak memory.

Usage: .venv/bin/python benchmarks/library.py [--file PDF] [--runs N] [--sizes 10000,100000] [--queries N]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.offline import install_offline_guard  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
_WORD_TEXT = (
    "pump valve seal pressure generator battery panel crate shed station crew inspection filter hose "
    "bearing gasket turbine meter sensor cable fuse relay motor belt oil coolant tank pipe flange bolt "
    "report field site morning shift repair replaced checked logged failure leak noise vibration "
    "temperature voltage current maintenance schedule spare part order delivery warehouse"
)
_WORDS = _WORD_TEXT.split()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def ingestion(file: Path, runs: int, embedder) -> dict[str, float]:
    """The raw figure: sentence-transformers in this process; Edgewise's: its embedding process (the library
    encodes in a child process of its own, see assistant/library/embeddings.py)."""
    from sentence_transformers import SentenceTransformer

    from assistant.documents import read_document
    from assistant.library.chunks import chunk_document
    from assistant.library.index import LibraryIndex

    model = SentenceTransformer(str(embedder.model_dir), device="cpu", local_files_only=True)
    document = read_document(file)
    texts = [c.text for c in chunk_document(document)]
    model.encode(texts[:32], batch_size=64)  # warm-up
    raw_times, ours_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        raw_times.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder:
            index = LibraryIndex(Path(folder), embedder=embedder)
            start = time.perf_counter()
            report = index.add([file])
            ours_times.append(time.perf_counter() - start)
            index.close()
            assert report.chunks == len(texts), (report.chunks, len(texts))
    raw, ours = statistics.median(raw_times), statistics.median(ours_times)
    return {"pages": len(document.pages), "chunks": len(texts), "raw_s": raw, "ours_s": ours}


def _synthetic_text(rng: random.Random, number: int) -> str:
    words = rng.choices(_WORDS, k=rng.randint(60, 140))
    words.insert(rng.randrange(len(words)), f"PN-{number:06d}")
    return " ".join(words).capitalize() + "."


def search_latency(size: int, queries: int, embedder) -> dict[str, float]:
    import numpy as np

    from assistant.library.chunks import TextChunk
    from assistant.library.search import hybrid_search
    from assistant.library.store import LibraryStore

    rng = random.Random(size)
    vectors_rng = np.random.default_rng(size)
    with tempfile.TemporaryDirectory() as folder:
        store = LibraryStore(Path(folder))
        per_document = 1000
        build = time.perf_counter()
        for doc in range(size // per_document):
            path = f"/synthetic/report-{doc:04d}.txt"
            store.queue(path, Path(path).name, None)
            record = store.document(path)
            assert record is not None
            chunks = [
                TextChunk(i, None, 0, 0, 0, _synthetic_text(rng, doc * per_document + i)) for i in range(per_document)
            ]
            vectors = vectors_rng.standard_normal((per_document, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            store.begin_indexing(record.id)
            store.finish_indexing(record.id, name=record.name, format_="text", sha256="-", size=0, mtime_ns=0,
                                  pages=None, chunks=chunks, embeddings=vectors)
        build_s = time.perf_counter() - build
        asks = [f"{' '.join(rng.choices(_WORDS, k=4))}" for _ in range(queries // 2)]
        asks += [f"PN-{rng.randrange(size):06d}" for _ in range(queries - len(asks))]
        hybrid_search(store, embedder, "warm up the query path", 5)
        times = []
        for query in asks:
            start = time.perf_counter()
            hybrid_search(store, embedder, query, 10)
            times.append(time.perf_counter() - start)
        found = sum(
            1 for query in asks if query.startswith("PN-")
            and query.lower() in hybrid_search(store, embedder, query, 1)[0].text.lower()
        )
        store.close()
    times.sort()
    return {
        "build_s": build_s,
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))],
        "exact_found": found / max(1, sum(q.startswith("PN-") for q in asks)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=CORPUS / "pdf" / "GeoTopo-komprimiert.pdf")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=60)
    args = parser.parse_args()
    install_offline_guard()

    from assistant.library.embeddings import Embedder
    from assistant.models.bundled import ModelRegistry

    with tempfile.TemporaryDirectory() as models:
        embedder = Embedder.from_registry(ModelRegistry(Path(models)))
        start = time.perf_counter()
        embedder.load()
        print(f"embedding model loaded in {time.perf_counter() - start:.1f} s")

        result = ingestion(args.file, args.runs, embedder)
        raw_rate, ours_rate = result["chunks"] / result["raw_s"], result["chunks"] / result["ours_s"]
        print(f"\nIngestion of {args.file.name}: {result['pages']} pages, {result['chunks']} passages "
              f"(median of {args.runs})")
        print(f"  raw sentence-transformers encode: {result['raw_s']:.1f} s  {raw_rate:.1f} passages/s")
        print(f"  Edgewise (read+chunk+embed+store): {result['ours_s']:.1f} s  {ours_rate:.1f} passages/s  "
              f"{result['pages'] / result['ours_s']:.2f} pages/s")
        print(f"  ratio (Edgewise / raw): {ours_rate / raw_rate:.2f}")
        print(f"  peak memory so far: {peak_mb():.0f} MB")

        for size in (int(s) for s in args.sizes.split(",") if s):
            latency = search_latency(size, args.queries, embedder)
            print(f"\nSearch at {size:,} passages (synthetic; built in {latency['build_s']:.0f} s): "
                  f"p50 {latency['p50_ms']:.1f} ms, p95 {latency['p95_ms']:.1f} ms over {args.queries} queries "
                  f"(query embedding included); exact part numbers ranked first: {latency['exact_found']:.0%}")
        print(f"\nPeak memory (RSS): {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
