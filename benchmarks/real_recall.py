"""Key-fact recall on real documents nobody here wrote: the shared set (``shared/corpus/real/facts.json``) and
the project's own (``benchmarks/real/facts.json``, when present), per document and per kind, for the model's
text alone and for the summary as shown (with the sentences quoted under it).

Each fact is a Python regex searched case-insensitively in the summary (see the sets' READMEs). Used by
``benchmarks/quality.py``; ``--save`` there keeps every summary for reading.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.request_cost import RequestCost, counting

ROOT = Path(__file__).resolve().parents[1]
SHARED_REAL = ROOT.parent / "shared" / "corpus" / "real"
PROJECT_REAL = ROOT / "benchmarks" / "real"
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class RealDocument:
    name: str
    path: Path
    lang: str
    kind: str
    facts: dict[str, str]  # what the fact is -> regex
    origin: str  # "shared" or "project"


@dataclass
class Scored:
    document: RealDocument
    shown: str  # the summary as shown, without the mode line
    model_text: str  # the model's text alone, without the quotes under it
    seconds: float
    mode: str
    echo: float = 0.0  # share of the model's text copied from the source in runs of 8 words
    requests: int = 1  # 2: the first reply echoed the source and was not shown
    notice: str = ""  # set when the model's text was replaced (or followed) by key points
    flags: list[str] = field(default_factory=list)  # figures and outcomes the checks flag
    cost: RequestCost | None = None  # the requests, prompt and reply tokens it took (not when extractive)

    def hits(self, text: str) -> list[bool]:
        return [bool(re.search(regex, text, re.IGNORECASE)) for regex in self.document.facts.values()]

    @property
    def kept_shown(self) -> int:
        return sum(self.hits(self.shown))

    @property
    def answers_in_language(self) -> tuple[int, int]:
        """Of the model's replies (one per request), how many are written in the document's language."""
        from assistant.text.language import detect_language

        answers = self.cost.answers if self.cost is not None else []
        return sum(detect_language(a) == self.document.lang for a in answers), len(answers)

    @property
    def kept_model(self) -> int:
        return sum(self.hits(self.model_text))

    @property
    def total(self) -> int:
        return len(self.document.facts)


def _locate(folder: Path, name: str, entry: dict) -> Path | None:
    for key in ("file", "path"):
        if isinstance(entry.get(key), str) and (folder / entry[key]).is_file():
            return folder / entry[key]
    if (folder / name).is_file():
        return folder / name
    found = sorted(folder.rglob(Path(name).name))
    return found[0] if found else None


def _entries(facts_file: Path) -> dict[str, dict]:
    data = json.loads(facts_file.read_text(encoding="utf-8"))
    docs = data.get("docs", data.get("documents", {}))
    if isinstance(docs, list):  # a list of entries, each naming its file
        docs = {entry.get("name") or Path(entry["file"]).name: entry for entry in docs}
    return docs


def real_documents(only: list[str] | None = None) -> list[RealDocument]:
    """Both sets' documents (the project's when its facts file exists), restricted to names containing one of
    ``only``'s strings when given."""
    kinds: dict[str, str] = {}
    shared_kinds = PROJECT_REAL / "shared_kinds.json"
    if shared_kinds.is_file():
        loaded = json.loads(shared_kinds.read_text(encoding="utf-8"))
        kinds = loaded.get("kinds", loaded) if isinstance(loaded, dict) else {}
    documents: list[RealDocument] = []
    for origin, folder in (("shared", SHARED_REAL), ("project", PROJECT_REAL)):
        facts_file = folder / "facts.json"
        if not facts_file.is_file():
            continue
        for name, entry in _entries(facts_file).items():
            path = _locate(folder, name, entry)
            if path is None:
                print(f"  (skipping {name}: file not found under {folder})", file=sys.stderr)
                continue
            facts = entry["facts"]
            if isinstance(facts, list):  # [{"fact": ..., "regex": ...}] or [regex, ...]
                facts = {(f.get("fact") or f.get("what") or str(i)) if isinstance(f, dict) else str(i):
                         (f.get("regex") or f.get("pattern")) if isinstance(f, dict) else f
                         for i, f in enumerate(facts)}
            kind = entry.get("kind") or kinds.get(name) or UNCLASSIFIED
            documents.append(RealDocument(name, path, entry.get("lang", "?"), kind, facts, origin))
    if only:
        documents = [d for d in documents if any(part.lower() in d.name.lower() for part in only)]
    return documents


def summarise_all(documents: list[RealDocument], engine, *, length: str = "brief", thorough: bool = False,
                  time_limit: bool = True, log=sys.stderr) -> list[Scored]:
    """Summarise each document as the app does and score it; one line per document on ``log``. Without
    ``time_limit`` a brief summary restates every passage however long that takes (the app stops at
    ``questions.RESTATING_SECONDS``)."""
    from assistant.documents import read_document
    from assistant.trust.checks import check_summary
    from assistant.trust.echo import copied_share
    from assistant.writing.summary.pipeline import summarize_document
    from assistant.writing.summary.present import SummaryReport, checked_part, strip_footer

    results = []
    for document in documents:
        source = read_document(document.path)
        report = SummaryReport()
        start = time.perf_counter()
        with counting(engine) as cost:
            text = "".join(summarize_document(source, engine, length, thorough=thorough, report=report,
                                              **({} if time_limit else {"restating_seconds": None})))
        seconds = time.perf_counter() - start
        shown = strip_footer(text, report).strip()
        above = checked_part(shown)  # what the checks read: the text above the quotes
        model_text = above
        if report.guard.notice:  # the key points under the notice are the source's, not the model's
            model_text = model_text.partition(report.guard.notice)[0]
        model_text = model_text.strip()
        scored = Scored(document, shown, model_text, seconds, report.mode, requests=report.guard.attempts,
                        notice=report.guard.notice, cost=cost)
        scored.echo = copied_share(model_text, source.text)
        checked = check_summary(above, source.text, heading=source.heading)
        scored.flags = [str(flag["text"]) for flag in checked.as_dicts()]
        results.append(scored)
        missed = [fact for fact, hit in zip(document.facts, scored.hits(model_text), strict=True) if not hit]
        print(f"  {document.name} [{document.kind}]: {scored.kept_model}/{scored.total} in the model's text, "
              f"{scored.kept_shown}/{scored.total} as shown; {seconds:.1f} s, {report.mode}; echo {scored.echo:.0%}"
              + (f"; {scored.requests} requests" if scored.requests > 1 else "")
              + ("; key points under a notice" if scored.notice else "")
              + (f"; {report.unrestated} passages not restated (time)" if report.unrestated else "")
              + (f"; flagged {scored.flags}" if scored.flags else "")
              + f"\n      {cost.line()}"
              + ("" if document.lang == "en" else
                 "; in the document's language: {}/{}".format(*scored.answers_in_language))
              + (f"\n      model missed: {missed}" if missed else ""), file=log, flush=True)
    return results


def extract_all(documents: list[RealDocument], log=sys.stderr) -> list[Scored]:
    """The extractive part alone, without any model: the key-sentence block shown when the model's text is
    replaced, and the figures quoted under it, as the app shows them. Scored as shown (no model's text)."""
    from assistant.documents import read_document
    from assistant.writing.summary.guard import key_point_lines
    from assistant.writing.summary.prepare import prepare_document
    from assistant.writing.summary.present import SummaryReport, quotes_under

    results = []
    for document in documents:
        start = time.perf_counter()
        prepared = prepare_document(read_document(document.path))
        block = key_point_lines(prepared.sentences)  # as the guard shows them, then the quotes under them
        shown = block + "".join(quotes_under(block, prepared.sentences, SummaryReport()))
        scored = Scored(document, shown, "", time.perf_counter() - start, "extractive")
        results.append(scored)
        missed = [fact for fact, hit in zip(document.facts, scored.hits(shown), strict=True) if not hit]
        print(f"  {document.name} [{document.kind}]: {scored.kept_shown}/{scored.total} extractive, "
              f"{len(shown.split())} words" + (f"\n      missed: {missed}" if missed else ""), file=log, flush=True)
    return results


def table(results: list[Scored]) -> str:
    """Per document, per kind and in all: facts kept by the model's text and as shown."""
    lines = ["| document | kind | lang | model's text | as shown | echo | s |", "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.document.name} | {r.document.kind} | {r.document.lang} | {r.kept_model}/{r.total} | "
                     f"{r.kept_shown}/{r.total} | {r.echo:.0%} | {r.seconds:.1f} |")
    by_kind: dict[str, list[Scored]] = defaultdict(list)
    for r in results:
        by_kind[r.document.kind].append(r)
    lines += ["", "| kind | documents | model's text | as shown |", "|---|---|---|---|"]
    for kind, group in sorted(by_kind.items()):
        lines.append(f"| {kind} | {len(group)} | {_share(group, 'kept_model')} | {_share(group, 'kept_shown')} |")
    for origin in ("shared", "project"):
        group = [r for r in results if r.document.origin == origin]
        if group and len(group) != len(results):
            lines.append(f"| ({origin} set) | {len(group)} | {_share(group, 'kept_model')} | "
                         f"{_share(group, 'kept_shown')} |")
    lines.append(f"| **all** | {len(results)} | {_share(results, 'kept_model')} | {_share(results, 'kept_shown')} |")
    echoed = [r.document.name for r in results if r.echo >= 0.5]
    lines.append("")
    lines.append(f"echoed summaries (half or more of the model's text copied in runs of 8 words): "
                 f"{', '.join(echoed) if echoed else 'none'}")
    retried = [r.document.name for r in results if r.requests > 1]
    replaced = [r.document.name for r in results if r.notice]
    lines.append(f"asked again after an echo: {', '.join(retried) if retried else 'none'}; "
                 f"key points under a notice: {', '.join(replaced) if replaced else 'none'}")
    foreign = [r.answers_in_language for r in results if r.document.lang != "en" and r.cost is not None]
    if foreign:
        lines.append(f"replies in the document's language (documents not in English): "
                     f"{sum(k for k, _ in foreign)} of {sum(n for _, n in foreign)}")
    costs = [r.cost for r in results if r.cost is not None]
    if costs:
        lines.append(f"per summary (mean): {sum(len(c.requests) for c in costs) / len(costs):.1f} requests, "
                     f"{sum(c.read for c in costs) / len(costs):.0f} prompt tokens read, "
                     f"{sum(c.reply for c in costs) / len(costs):.0f} reply tokens, "
                     f"~{sum(c.estimate() for c in costs) / len(costs):.1f} s idle (estimated from token counts)")
    return "\n".join(lines)


def _share(group: list[Scored], attribute: str) -> str:
    kept = sum(getattr(r, attribute) for r in group)
    total = sum(r.total for r in group)
    return f"{kept / max(1, total):.0%} ({kept} of {total})"


def totals(results: list[Scored]) -> dict[str, float]:
    total = max(1, sum(r.total for r in results))
    return {
        "real: key-fact recall, as shown": sum(r.kept_shown for r in results) / total,
        "real: key-fact recall, model's text only": sum(r.kept_model for r in results) / total,
        "real: echoed summaries": float(sum(r.echo >= 0.5 for r in results)),
        "real: s / summary": sum(r.seconds for r in results) / max(1, len(results)),
    }


def save(results: list[Scored], path: Path, label: str) -> None:
    """Every summary with its scores, for reading and for comparing variants."""
    record = {
        "label": label,
        "documents": [
            {"name": r.document.name, "kind": r.document.kind, "mode": r.mode, "seconds": round(r.seconds, 2),
             "kept_model": r.kept_model, "kept_shown": r.kept_shown, "total": r.total, "echo": round(r.echo, 3),
             "flags": r.flags, "model_text": r.model_text, "shown": r.shown, "requests": r.requests,
             "notice": r.notice, "cost": r.cost.as_dict() if r.cost is not None else None,
             "answers": r.cost.answers if r.cost is not None else [],
             "missed_by_model": [f for f, hit in zip(r.document.facts, r.hits(r.model_text), strict=True) if not hit]}
            for r in results
        ],
    }
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
