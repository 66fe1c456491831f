"""Quality benchmark: key-fact recall on real documents and on the self-written set, invented figures and the
checker, translation chrF, and latency.

Prints one table per model (both bundled instruct models, the large one when installed, any GGUF given on the
command line). Usage:
    .venv/bin/python benchmarks/quality.py [--models NAME ...] [--gguf PATH ...] [--skip real,summaries,
        translation,timing,checker] [--thorough-long]
    .venv/bin/python benchmarks/quality.py --real-only [--docs NAME_PART ...] [--models NAME] [--save FILE.json]
        [--length brief|detailed|bullets]
    .venv/bin/python benchmarks/quality.py --extractive-only [--docs NAME_PART ...]
The real set is shared/corpus/real/facts.json plus benchmarks/real/facts.json when present (real_recall.py);
its table is per document and per kind, for the model's text alone and for the summary as shown.
The 117-page thorough run takes over ten minutes per model, so it only runs with --thorough-long.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.offline import install_offline_guard  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
CORPUS = ROOT.parent / "shared" / "corpus"
LONG = CORPUS / "pdf" / "GeoTopo-komprimiert.pdf"
ONE_PAGE = DATA / "documents" / "inspection-report.txt"


def _norm(text: str) -> str:
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # thousands comma
    text = re.sub(r"(?<=\d)[\u202f\u00a0 ](?=\d{3}\b)", "", text)  # thousands space
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)  # decimal comma
    return re.sub(r"\s+", "", text.lower())


def _document(entry: str):
    from assistant.documents import read_document

    return read_document(CORPUS / entry[len("corpus:") :] if entry.startswith("corpus:") else DATA / entry)


# -- checker on controlled figures -------------------------------------------------------------------
def checker_figures() -> dict[str, float]:
    """Recall on one-digit alterations of every figure in the documents; false flags on faithful restatements."""
    from assistant.trust.figures import check_text, extract_figures

    rng = random.Random(7)
    spec = json.loads((DATA / "summaries.json").read_text(encoding="utf-8"))
    altered = flagged_altered = faithful = flagged_faithful = 0
    for entry in spec["documents"]:
        source = _document(entry["file"]).text
        for figure in extract_figures(source):
            faithful += 1
            restated = figure.text.replace(",", "\u00a0") if re.search(r"\d,\d{3}", figure.text) else figure.text
            restated = restated.replace(" ", "") if figure.kind == "number" else restated
            flagged_faithful += bool(check_text(f"Note: {restated}.", source))
            digits = [i for i, ch in enumerate(figure.text) if ch.isdigit()]
            if not digits:
                continue
            i = rng.choice(digits)
            changed = figure.text[:i] + str((int(figure.text[i]) + rng.randint(1, 9)) % 10) + figure.text[i + 1 :]
            if changed in source:
                continue
            altered += 1
            flagged_altered += bool(check_text(f"Note: {changed}.", source))
    return {
        "figures": faithful,
        "alterations": altered,
        "check recall": flagged_altered / max(1, altered),
        "false flags": flagged_faithful / max(1, faithful),
    }


# -- summaries ---------------------------------------------------------------------------------------
def summaries(engine) -> dict[str, float]:
    """Recall of the written-down key facts in the summary as shown (the model's text and the key sentences
    quoted under it) and in the model's text alone; figures the checker flags; time per summary."""
    from assistant.trust.checks import check_summary
    from assistant.writing.summary.pipeline import summarize_document
    from assistant.writing.summary.present import QUOTES_HEADING, SummaryReport, strip_footer

    spec = json.loads((DATA / "summaries.json").read_text(encoding="utf-8"))
    kept = kept_by_model = total = flagged = quoted = 0
    seconds = 0.0
    for entry in spec["documents"]:
        document = _document(entry["file"])
        report = SummaryReport()
        start = time.perf_counter()
        text = strip_footer("".join(summarize_document(document, engine, "brief", report=report)), report)
        seconds += time.perf_counter() - start
        model_text = text.partition(QUOTES_HEADING)[0]
        hits = [any(_norm(alt) in _norm(text) for alt in fact) for fact in entry["facts"]]
        by_model = [any(_norm(alt) in _norm(model_text) for alt in fact) for fact in entry["facts"]]
        unsupported = check_summary(text, document.text, heading=document.heading).figures
        kept += sum(hits)
        kept_by_model += sum(by_model)
        total += len(hits)
        flagged += len(unsupported)
        quoted += len(report.quoted)
        missed = [fact[0] for fact, hit in zip(entry["facts"], by_model, strict=True) if not hit]
        print(f"  {Path(entry['file']).name}: {sum(hits)}/{len(hits)} facts ({sum(by_model)} in the model's text)"
              + (f", model missed {missed}" if missed else "")
              + (f"; {len(report.quoted)} quoted" if report.quoted else "")
              + (f"; flagged {[u.figure.text for u in unsupported]}" if unsupported else ""), file=sys.stderr)
    count = len(spec["documents"])
    return {"key-fact recall": kept / total, "key-fact recall, model's text only": kept_by_model / total,
            "quoted sentences / summary": quoted / count, "flagged figures / summary": flagged / count,
            "s / summary": seconds / count}


# -- translation -------------------------------------------------------------------------------------
def translation(engine) -> dict[str, float]:
    import sacrebleu

    from assistant.documents import document_from_text
    from assistant.writing.translate import translate_document

    pairs = json.loads((DATA / "translation_pairs.json").read_text(encoding="utf-8"))["pairs"]
    scores: dict[str, float] = {}
    for target in ("fr", "de", "es"):
        hypotheses = []
        for pair in pairs:
            document = document_from_text(pair["en"], name="sentence")
            out = "".join(translate_document(document, engine, target, source="en"))
            hypotheses.append(" ".join(out.split()))
        scores[f"chrF {target}"] = sacrebleu.corpus_chrf(hypotheses, [[p[target] for p in pairs]]).score
    return scores


# -- latency -----------------------------------------------------------------------------------------
def timing(engine, thorough_long: bool, repeats: int) -> dict[str, float]:
    """Key points, first token and total time per document and mode. First token and the raw engine's
    evaluation of the same prompt alternate ``repeats`` times and the ratio is of their medians: one pair of
    runs on this VM scatters by +-5 %, as much as the overhead being measured."""
    from assistant.documents import read_document
    from assistant.writing.summary.fields import key_points
    from assistant.writing.summary.pipeline import summarize_document
    from benchmarks.request_cost import counting

    results: dict[str, float] = {}
    key_points(read_document(ONE_PAGE))  # numpy import, once
    runs = [("1-page", ONE_PAGE, False), ("117-page fast", LONG, False)]
    if thorough_long:
        runs.append(("117-page thorough", LONG, True))
    for label, path, thorough in runs:
        document = read_document(path)
        start = time.perf_counter()
        key_points(document)
        results[f"{label}: key points s"] = time.perf_counter() - start
        captured: list[list[int]] = []
        original = engine.prompt_tokens

        def spy(messages, original=original, captured=captured):
            tokens = original(messages)
            captured.append(tokens)
            return tokens

        firsts, raws = [], []
        for attempt in range(1 if thorough else repeats):
            engine.forget_prompt()
            engine.prompt_tokens = spy
            start = time.perf_counter()
            first = None
            try:
                with counting(engine) as cost:
                    for _ in summarize_document(document, engine, "brief", thorough=thorough):
                        if first is None:
                            first = time.perf_counter() - start
                            if attempt:  # the total is timed on the first run only
                                break
            finally:
                del engine.prompt_tokens
            if not attempt:
                results[f"{label}: total s"] = time.perf_counter() - start
                print(f"  {label}: {cost.line()}", file=sys.stderr)
            firsts.append(first or 0.0)
            # The raw engine on the final prompt alone: its prompt-evaluation time is the first-token floor.
            llm = engine._llm
            llm.reset()
            raw_start = time.perf_counter()
            llm.eval(captured[-1])
            raws.append(time.perf_counter() - raw_start)
        results[f"{label}: first token s"] = statistics.median(firsts)
        results[f"{label}: raw prompt eval s"] = statistics.median(raws)
        if not thorough:
            results[f"{label}: first token / raw"] = statistics.median(firsts) / statistics.median(raws)
            print(f"  {label}: first token {[round(f, 2) for f in firsts]}, raw {[round(r, 2) for r in raws]}",
                  file=sys.stderr)
    return results


def _real_set(engine, args) -> dict[str, float]:
    from benchmarks.real_recall import real_documents, save, summarise_all, table, totals

    documents = real_documents(args.docs)
    print(f"Real documents ({len(documents)}, {sum(len(d.facts) for d in documents)} facts)", file=sys.stderr)
    results = summarise_all(documents, engine, length=args.length, time_limit=not args.no_time_limit)
    print(table(results))
    if args.save:
        target = Path(args.save)
        slug = re.sub(r"[^a-z0-9.]+", "-", engine.name.lower()).strip("-")
        save(results, target.with_name(f"{target.stem}-{slug}{target.suffix or '.json'}"), engine.name)
    return totals(results)


def _extractive(args) -> int:
    from benchmarks.real_recall import extract_all, real_documents, table

    documents = real_documents(args.docs)
    print(f"Real documents ({len(documents)}, {sum(len(d.facts) for d in documents)} facts), extractive part "
          "alone", file=sys.stderr)
    results = extract_all(documents)
    print(table(results))
    words = [len(r.shown.split()) for r in results]
    print(f"words shown: median {statistics.median(words):.0f}, max {max(words)}")
    return 0


def main() -> int:
    install_offline_guard()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", nargs="*", help="registry names (default: both bundled instruct models, and "
                        "the 1.5B one when installed)")
    parser.add_argument("--gguf", nargs="*", default=[], help="extra GGUF files to measure")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip")
    parser.add_argument("--thorough-long", action="store_true", help="also time the 117-page thorough run")
    parser.add_argument("--repeats", type=int, default=3, help="first-token and raw-evaluation runs per document")
    parser.add_argument("--seed", type=int, default=7, help="sampling seed (the app's is 7): run-to-run spread")
    parser.add_argument("--data-dir", default=str(Path.home() / ".cache" / "edgewise-bench"))
    parser.add_argument("--threads", type=int, help="llama.cpp threads (default: one per physical core); runs "
                        "compared with each other need the same count")
    parser.add_argument("--real-only", action="store_true", help="only the real-document recall (short loops)")
    parser.add_argument("--no-time-limit", action="store_true", help="real documents: a brief summary restates all "
                        "its passages, however long they take (the app stops within questions.RESTATING_SECONDS): "
                        "the design's recall whatever the machine's speed")
    parser.add_argument("--length", default="brief", choices=("brief", "detailed", "bullets"),
                        help="summary length of the real-document run (brief, the app's default, is answered per "
                        "question; detailed and bullets read the text in one request, or in parts when long)")
    parser.add_argument("--docs", nargs="*", help="only the real documents whose name contains one of these")
    parser.add_argument("--save", metavar="FILE", help="write every real-document summary and its scores as JSON "
                        "(one file per model: the model's name is added before the extension)")
    parser.add_argument("--extractive-only", action="store_true", help="no model: the real-document recall of "
                        "the key sentences and quoted figures alone (seconds for all documents)")
    args = parser.parse_args()
    if args.extractive_only:
        return _extractive(args)
    skip = set(filter(None, args.skip.split(",")))
    if args.real_only:
        skip |= {"summaries", "translation", "timing", "checker"}

    from assistant.llm.engine import LlmEngine
    from assistant.models.bundled import DEFAULT_LLM, FAST_LLM, ModelRegistry, model_by_name

    if "checker" not in skip:
        print("Figure checker (every figure of the 10 documents, restated and altered by one digit)")
        for key, value in checker_figures().items():
            print(f"  {key:<28} {value:.3f}" if isinstance(value, float) else f"  {key:<28} {value}")

    registry = ModelRegistry(Path(args.data_dir) / "models")
    names = args.models or [DEFAULT_LLM, FAST_LLM, "qwen2.5-coder-1.5b-instruct-q4_k_m"]
    engines = []
    for name in names:
        model = model_by_name(name)
        if registry.status(model).state == "not installed":
            print(f"(skipping {model.display_name}: not installed)")
            continue
        engines.append(LlmEngine(registry.path_for(name), name=model.display_name, seed=args.seed,
                                 n_threads=args.threads))
    engines += [LlmEngine(Path(path), seed=args.seed, n_threads=args.threads) for path in args.gguf]

    for engine in engines:
        engine.load()
        print(f"\n{engine.name} (n_ctx {engine.n_ctx}, {engine.n_threads} threads)")
        table: dict[str, float] = {}
        if "real" not in skip:
            table |= _real_set(engine, args)
        if "summaries" not in skip:
            table |= summaries(engine)
        if "translation" not in skip:
            table |= translation(engine)
        if "timing" not in skip:
            table |= timing(engine, args.thorough_long, args.repeats)
        print(f"  {'measure':<38} value")
        for key, value in table.items():
            shown = f"{value:.0%}" if "key-fact recall" in key else f"{value:.2f}"
            print(f"  {key:<38} {shown}")
        engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
