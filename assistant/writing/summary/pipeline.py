"""A summary of any length, stage by stage: prepare → select → generate → present (the check of figures runs
on the finished text, in ``assistant.trust.checks``). Each stage is a function over plain data in its own
module of this package."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.documents import Document
from assistant.jobs import CancelToken, ProgressCallback, no_progress
from assistant.llm.engine import LlmEngine
from assistant.writing.summary.generate import budgets, check_length, summary_instruction, write_summary
from assistant.writing.summary.prepare import prepare_document
from assistant.writing.summary.present import FOOTER_SEPARATOR, SummaryReport, quotes_under
from assistant.writing.summary.select import choose_reading


def summarize_document(
    document: Document,
    engine: LlmEngine,
    length: str = "brief",
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    thorough: bool = False,
    report: SummaryReport | None = None,
    quote_figures: bool = True,
) -> Iterator[str]:
    """Yield the summary's text as it streams, then the quoted key sentences whose figures it lacks (unless
    ``quote_figures`` is off), ending with the mode line; parts done go to ``progress``."""
    report = report if report is not None else SummaryReport()
    progress = progress or no_progress
    check_length(length)
    prepared = prepare_document(document)
    engine.load(progress=progress, cancel=cancel)
    instruction = summary_instruction(length, prepared.language)
    reading = choose_reading(
        prepared, budgets(engine, prepared.title, instruction, length), engine.count_tokens,
        thorough=thorough, progress=progress,
    )
    report.record(reading)
    written: list[str] = []
    for delta in write_summary(reading, engine, prepared.title, instruction, length, progress, cancel):
        written.append(delta)
        yield delta
    if quote_figures:
        yield from quotes_under("".join(written), prepared.sentences, report)
    yield FOOTER_SEPARATOR + report.footer()
