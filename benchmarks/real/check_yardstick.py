"""Checks the real-document yardstick against the documents themselves; no model runs.

For ``facts.json`` beside this file: every document exists, is readable and under the size cap, has a known kind and
language and 5-8 facts (6-12 from the eleventh round on, as its readers were asked to write), and every fact's regex
matches its own document's text. For ``questions.json``: every file of the library is readable; every answer regex
matches the text of its ``file`` at its ``page`` (reported when it also matches other pages or other files, which
makes a right answer with a wrong citation possible); every unanswerable question's ``absent`` regexes match no file
of the library. ``followups.json``: the same for both turns of every conversation, and each conversation's kind is
known; ``questions_heldout.json``: the same, over the library with its own files; ``questions_fresh.json`` (the
fourth round): the same, over the library with the held-out files and its own; ``questions_fifth.json`` (the fifth
round): the same, over the library with the held-out and fourth-round files and its own; ``questions_sixth.json``
(the sixth round): the same, over the library with the held-out, fourth- and fifth-round files and its own;
``questions_seventh.json`` (the seventh round): the same, over the library with the held-out, fourth-, fifth- and
sixth-round files and its own; ``questions_eighth.json`` (the eighth round), ``questions_ninth.json`` (the ninth),
``questions_tenth.json`` (the tenth), ``questions_eleventh.json`` (the eleventh), ``questions_twelfth.json`` (the
twelfth) and ``questions_thirteenth.json`` (the thirteenth): the same, each over the library
with the files of every earlier round and its own. ``shared_kinds.json`` must give a kind to each document of
../shared/corpus/real/facts.json. Prints one line per check and a summary; exits 1 on any failure.
Usage:
    .venv/bin/python benchmarks/real/check_yardstick.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from assistant.documents import read_document  # noqa: E402
from assistant.documents.model import Document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
FOLLOW_UP_KINDS = ("dependent", "switch", "unanswerable")
KINDS = {
    "form",
    "incident-report",
    "minutes",
    "agenda",
    "notice",
    "judgment",
    "clinical",
    "plan",
    "letter",
    "financial",
    "newsletter",
    "other",
}
MAX_FILE_BYTES = 3 * 1024 * 1024
#: The readers of the eleventh to thirteenth rounds of unseen documents were asked for 6-12 facts a document (earlier
#: rounds 5-8).
MOST_FACTS_FROM_ROUND_11 = 12
MAX_TOTAL_BYTES = 20 * 1024 * 1024
#: The held-out question sets in the order they were added: file, prefix of its questions' labels, name in the
#: summary. Each is checked over the library and the files of every set up to it, so that it can be asked alone
#: (--sets shared,real,tenth) or with the earlier ones
#: (--sets shared,real,heldout,fresh,fifth,sixth,seventh,eighth,ninth,tenth,eleventh,twelfth,thirteenth).
HELD_OUT_SETS = (
    ("questions_heldout.json", "H", "held-out"),
    ("questions_fresh.json", "F", "fourth-round"),
    ("questions_fifth.json", "V", "fifth-round"),
    ("questions_sixth.json", "S", "sixth-round"),
    ("questions_seventh.json", "E", "seventh-round"),
    ("questions_eighth.json", "G", "eighth-round"),
    ("questions_ninth.json", "N", "ninth-round"),
    ("questions_tenth.json", "T", "tenth-round"),
    ("questions_eleventh.json", "L", "eleventh-round"),
    ("questions_twelfth.json", "W", "twelfth-round"),
    ("questions_thirteenth.json", "X", "thirteenth-round"),
)


def library_path(entry: str) -> Path:
    """A ``files`` entry: 'benchmarks/...' is relative to the project root, anything else to shared/corpus."""
    return ROOT / entry if entry.startswith("benchmarks/") else CORPUS / entry


def compile_fact(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


class Report:
    """Collects check results; failures decide the exit code, notes are only shown."""

    def __init__(self) -> None:
        self.passed = 0
        self.failures: list[str] = []
        self.notes: list[str] = []

    def check(self, ok: bool, what: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
            print(f"FAIL  {what}")

    def note(self, what: str) -> None:
        self.notes.append(what)
        print(f"note  {what}")


def check_facts(report: Report, documents: dict[str, Document]) -> tuple[int, int]:
    eleventh = {file for name in ("questions_eleventh.json", "questions_twelfth.json", "questions_thirteenth.json")
                for file in json.loads((HERE / name).read_text(encoding="utf-8"))["files"]}
    spec = json.loads((HERE / "facts.json").read_text(encoding="utf-8"))
    total_bytes = 0
    fact_count = 0
    for name, entry in spec["docs"].items():
        path = HERE / name
        report.check(path.is_file(), f"{name}: file present")
        if not path.is_file():
            continue
        size = path.stat().st_size
        total_bytes += size
        report.check(size <= MAX_FILE_BYTES, f"{name}: {size} bytes, at most {MAX_FILE_BYTES}")
        report.check(entry.get("kind") in KINDS, f"{name}: kind {entry.get('kind')!r} is one of the known kinds")
        report.check(
            bool(entry.get("lang")) and bool(entry.get("source")) and bool(entry.get("what")),
            f"{name}: lang, source and what are given",
        )
        facts = entry["facts"]
        most = MOST_FACTS_FROM_ROUND_11 if f"benchmarks/real/{name}" in eleventh else 8
        report.check(5 <= len(facts) <= most, f"{name}: {len(facts)} facts (5-{most})")
        text = documents[f"benchmarks/real/{name}"].text
        report.check(len(text.strip()) > 200, f"{name}: the reader extracts text ({len(text)} characters)")
        for description, pattern in facts.items():
            fact_count += 1
            report.check(bool(compile_fact(pattern).search(text)), f"{name}: fact '{description}' matches its text")
    report.check(total_bytes <= MAX_TOTAL_BYTES, f"all documents: {total_bytes} bytes, at most {MAX_TOTAL_BYTES}")
    return len(spec["docs"]), fact_count


def check_shared_kinds(report: Report) -> None:
    kinds = json.loads((HERE / "shared_kinds.json").read_text(encoding="utf-8"))
    shared = json.loads((CORPUS / "real" / "facts.json").read_text(encoding="utf-8"))["docs"]
    report.check(set(kinds) == set(shared), "shared_kinds.json names exactly the shared documents")
    for name, kind in kinds.items():
        report.check(kind in KINDS, f"shared {name}: kind {kind!r} is one of the known kinds")


def page_text(document: Document, page: int | None) -> str:
    if page is None:
        return document.text
    return document.pages[page - 1].text if 1 <= page <= len(document.pages) else ""


def check_questions(report: Report, documents: dict[str, Document], files: list[str],
                    questions: list[dict] | None = None, prefix: str = "Q") -> tuple[int, int]:
    if questions is None:
        questions = json.loads((HERE / "questions.json").read_text(encoding="utf-8"))["questions"]
    answerable = unanswerable = 0
    for number, question in enumerate(questions, 1):
        label = f"{prefix}{number} {question['q'][:70]!r}"
        if question["answer"] is None:
            unanswerable += 1
            report.check(bool(question.get("why")), f"{label}: says why no document answers it")
            report.check(bool(question.get("absent")), f"{label}: lists the terms that must be absent")
            for pattern in question.get("absent", []):
                regex = compile_fact(pattern)
                found = [entry for entry in files if regex.search(documents[entry].text)]
                report.check(
                    not found,
                    f"{label}: /{pattern}/ absent from every file" + (f" (found in {found})" if found else ""),
                )
            continue
        answerable += 1
        entry, page = question["file"], question.get("page")
        report.check(entry in files, f"{label}: its file {entry} is in the library")
        if entry not in documents:
            continue
        document = documents[entry]
        if document.page_count is not None:
            report.check(page is not None, f"{label}: gives a page for a paged file")
        regex = compile_fact(question["answer"])
        report.check(bool(regex.search(page_text(document, page))), f"{label}: answer matches {entry} page {page}")
        other_pages = [p.number for p in document.pages if p.number != page and regex.search(p.text)]
        other_files = [other for other in files if other != entry and regex.search(documents[other].text)]
        if other_pages:
            report.note(f"{label}: answer also matches {entry} pages {other_pages}")
        if other_files:
            report.note(f"{label}: answer also matches {other_files}")
    return answerable, unanswerable


def main() -> int:
    report = Report()
    spec = json.loads((HERE / "questions.json").read_text(encoding="utf-8"))
    files: list[str] = spec["files"]
    facts_docs = json.loads((HERE / "facts.json").read_text(encoding="utf-8"))["docs"]
    rounds = [(json.loads((HERE / name).read_text(encoding="utf-8")), prefix, title)
              for name, prefix, title in HELD_OUT_SETS]
    entries = list(dict.fromkeys(files + [f"benchmarks/real/{name}" for name in facts_docs]
                                 + [entry for held_out, _, _ in rounds for entry in held_out["files"]]))
    documents: dict[str, Document] = {}
    for entry in entries:
        path = library_path(entry)
        try:
            documents[entry] = read_document(path)
        except Exception as error:  # noqa: BLE001 - any failure to read is a failed check, reported by name
            report.check(False, f"{entry}: readable ({type(error).__name__}: {error})")
    missing = [entry for entry in entries if entry not in documents]
    if missing:
        print(f"{len(missing)} file(s) unreadable; nothing else checked")
        return 1
    doc_count, fact_count = check_facts(report, documents)
    check_shared_kinds(report)
    answerable, unanswerable = check_questions(report, documents, files)
    conversations = json.loads((HERE / "followups.json").read_text(encoding="utf-8"))["conversations"]
    for kind in {c["kind"] for c in conversations}:
        report.check(kind in FOLLOW_UP_KINDS, f"followups.json: kind {kind!r} is one of {FOLLOW_UP_KINDS}")
    check_questions(report, documents, files, [c["first"] for c in conversations], "first of C")
    followed, unfollowed = check_questions(report, documents, files, [c["then"] for c in conversations], "then of C")
    # Each held-out round's questions, over the library with the files of the rounds up to it (HELD_OUT_SETS).
    round_files = list(files)
    round_counts = []
    for held_out, prefix, title in rounds:
        round_files += [entry for entry in held_out["files"] if entry not in round_files]
        held, unheld = check_questions(report, documents, round_files, held_out["questions"], prefix)
        round_counts.append(f"{held} answerable and {unheld} unanswerable {title} questions")
    print(
        f"\n{doc_count} documents, {fact_count} facts; {answerable} answerable and {unanswerable} unanswerable "
        f"questions over {len(files)} files; {len(conversations)} conversations ({followed} answerable follow-ups, "
        f"{unfollowed} unanswerable); {'; '.join(round_counts)}; "
        f"{report.passed} checks passed, {len(report.failures)} failed, {len(report.notes)} notes"
    )
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
