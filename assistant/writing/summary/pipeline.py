"""A summary of any length, stage by stage: prepare → select (or, for a brief one, the passages each of its
questions reads) → generate → present (the check of figures runs
on the finished text, in ``assistant.trust.checks``). Each stage is a function over plain data in its own
module of this package."""

from __future__ import annotations

from collections.abc import Generator, Iterator

from assistant.documents import Document
from assistant.jobs import CancelToken, ProgressCallback, no_progress
from assistant.llm.engine import LlmEngine
from assistant.llm.sampling import sampling_for
from assistant.trust.echo import words_of
from assistant.writing.summary.fields import Piece
from assistant.writing.summary.generate import (
    budgets,
    check_length,
    summary_instruction,
    text_budget,
    write_summary,
)
from assistant.writing.summary.guard import EchoMeter, form_text_of, guarded, left_out_lines
from assistant.writing.summary.prepare import prepare_document
from assistant.writing.summary.present import FOOTER_SEPARATOR, SummaryReport, quotes_under
from assistant.writing.summary.questions import RESTATING_SECONDS, QuestionPlan, answer_questions, plan_questions
from assistant.writing.summary.select import choose_reading, excerpt_reading

#: Tokens of the document's densest sentences the second request reads, after the model echoed the first.
RETRY_TOKENS = 1200
#: The retry's request: the task named before the passages, so the model does not read on as their author.
RETRY_TEMPLATE = "summary_retry_passages"
#: Lengths written by restating, one request a passage, the few passages the summary's questions choose
#: (``questions``). On the 81 real documents of benchmarks/quality.py (0.5B) the model's text keeps 426 of 656 key
#: facts this way, 361 when each question was answered over its passages in one request (README).
PER_QUESTION = ("brief",)
RETRY_STATUS = "The model's text was not a summary; asking again on the key passages"


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
    restating_seconds: float | None = RESTATING_SECONDS,
) -> Iterator[str]:
    """Yield the summary's text as it streams, then the quoted key sentences whose figures it lacks (unless
    ``quote_figures`` is off), ending with the mode line; parts done go to ``progress``. A model text that
    copies the document or retells its form is not shown (``guard``): the model is asked once more on the key
    passages, else the key sentences are shown under a notice (``report.guard``); of a brief summary's answers
    only the one that would make the text a copy is left out, the key sentences following the others. A brief
    summary restates its passages within ``restating_seconds`` (None: all of them; ``questions.answer_questions``),
    the footer counting those left."""
    report = report if report is not None else SummaryReport()
    progress = progress or no_progress
    check_length(length)
    prepared = prepare_document(document)
    engine.load(progress=progress, cancel=cancel)
    instruction = summary_instruction(length, prepared.language)
    plan = plan_questions(prepared) if length in PER_QUESTION and not thorough else None
    reading = plan.reading if plan is not None else choose_reading(
        prepared, budgets(engine, prepared.title, instruction, length), engine.count_tokens,
        thorough=thorough, progress=progress,
    )
    report.record(reading)

    meter = EchoMeter(document.text, form_text_of(prepared.set_aside))  # the document's runs, indexed once
    left_out: list[str] = []
    unrestated: list[Piece] = []

    def own_answers(plan: QuestionPlan) -> Generator[str, None, None]:
        # An answer that would make the text a copy is left out and the next question asked (the text used to end
        # there, the later questions never asked); when every answer was left out, their text goes to the guard,
        # which asks again the plainer way.
        kept = yield from answer_questions(plan, engine, prepared.title, prepared.language, progress, cancel,
                                           own_words=lambda answer: not meter.reason(words_of(answer)),
                                           left_out=left_out, seconds=restating_seconds, unrestated=unrestated)
        report.unrestated = len(unrestated)
        if not kept and left_out:
            yield " ".join(left_out)

    def first_way() -> Generator[str, None, None]:
        if plan is not None:
            return own_answers(plan)
        return write_summary(reading, engine, prepared.title, instruction, length, progress, cancel)

    def plainer_way() -> Generator[str, None, None]:
        # The densest sentences only (a form's first lines are what gets copied), with the task stated before
        # them, and questions asked after them, to be answered in the model's own words.
        budget = text_budget(engine, RETRY_TEMPLATE, sampling_for(f"summary-{length}").max_tokens,
                             title=prepared.title, text="", instruction=retry_instruction)
        retry = excerpt_reading(prepared, min(budget, RETRY_TOKENS), engine.count_tokens)
        report.record(retry)
        return write_summary(retry, engine, prepared.title, retry_instruction, length, progress, cancel,
                             template=RETRY_TEMPLATE)

    retry_instruction = summary_instruction(length, prepared.language, retry=True)
    written: list[str] = []
    for delta in guarded(
        (first_way, plainer_way), meter, prepared.sentences,
        report.guard, on_retry=lambda _reason: progress(0, 0, RETRY_STATUS),
    ):
        written.append(delta)
        yield delta
    if left_out and not report.guard.notice:  # some answers were kept, others copied: the key sentences follow
        written.append(left_out_lines(prepared.sentences, report.guard))
        yield written[-1]
    if quote_figures:
        yield from quotes_under("".join(written), prepared.sentences, report)
    yield FOOTER_SEPARATOR + report.footer()
