"""Long documents: the fast default mode (selected passages, one pass) and the thorough map-reduce, each saying
which mode produced the summary and how much of the document it read."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from assistant.documents import Document, read_document
from assistant.models.bundled import DEFAULT_LLM, FAST_LLM
from assistant.session import Session
from assistant.text.condense import Sentence, condensed_sentences
from assistant.writing.summary import questions
from assistant.writing.summary.prepare import prepare_document
from assistant.writing.summary.present import (
    QUOTES,
    QUOTES_HEADING,
    SummaryReport,
    key_sentences_left_out,
    strip_footer,
)
from assistant.writing.summary.select import MODE_FAST, MODE_QUESTIONS, MODE_THOROUGH, select_passages

from ..conftest import REAL
from .fake_engine import DrivenClock


def words(text: str) -> int:
    return len(text.split())


def _first_pages(path: Path, count: int) -> Document:
    document = read_document(path)
    return Document(document.path, document.name, document.format, document.pages[:count], document.title,
                    document.sha256)


@pytest.fixture(scope="module")
def small_session(models_data_dir: Path):
    session = Session(models_data_dir, llm_name=FAST_LLM, n_ctx=1024)
    yield session
    session.close()


def test_selected_passages_fit_the_budget_cover_every_section_and_keep_order() -> None:
    sentences = [
        Sentence(page=1 + i // 10, text=f"Sentence {i} about topic {i % 7} with the load of {i} t and more words.",
                 index=i)
        for i in range(240)
    ]
    chosen = select_passages(sentences, budget=400, count_tokens=words)
    assert chosen == sorted(chosen)
    assert sum(words(sentences[i].text) + 6 for i in chosen) <= 400
    sections = {i * 12 // len(sentences) for i in chosen}
    assert sections == set(range(12))


def test_fast_mode_reads_selected_passages_in_one_pass_and_says_so(small_session, corpus: Path) -> None:
    document = _first_pages(corpus / "pdf" / "GeoTopo-komprimiert.pdf", 8)
    engine = small_session.engine()
    prompt_sizes: list[int] = []
    original = engine.prompt_tokens
    engine.prompt_tokens = lambda messages: prompt_sizes.append(len(original(messages))) or original(messages)
    messages: list[str] = []
    report = SummaryReport()
    try:
        text = "".join(small_session.summarize(document, "detailed", report=report,  # brief: per question
                                               progress=lambda d, t, m: messages.append(m)))
    finally:
        del engine.prompt_tokens
    assert report.mode == MODE_FAST
    assert 0 < report.share_read < 1 and report.passages_read < report.passages_total
    assert len(prompt_sizes) == 1 and prompt_sizes[0] < engine.n_ctx  # one LLM call, within the context
    assert "Selecting the most informative passages" in messages
    assert not any(m.startswith("Summarising part") for m in messages)
    assert text.endswith(report.footer()) and "Fast mode" in report.footer()
    assert f"{report.share_read:.0%}" in report.footer()
    assert strip_footer(text, report).strip() and "Fast mode" not in strip_footer(text, report)


def test_thorough_mode_reads_every_part_and_says_so(thorough_two_pages) -> None:
    report, messages, text = thorough_two_pages.report, thorough_two_pages.messages(), thorough_two_pages.text
    assert report.mode == MODE_THOROUGH and report.share_read == 1.0
    assert any(m.startswith("Summarising part") for m in messages)
    assert text.rstrip().endswith("read in parts and combined.]")


def test_a_brief_summary_on_the_real_model_restates_what_the_time_allows_and_quotes_the_rest(
        small_session, monkeypatch: pytest.MonkeyPatch) -> None:
    # The machine's speed as a controlled trigger: every request takes 10 s on the restating clock, so three are
    # restated (the first three always are) and the fourth would pass the 23 s allowed.
    clock = DrivenClock()
    monkeypatch.setattr(questions, "clock", clock)
    engine = small_session.engine()
    requests: list[str] = []
    stream_chat = engine.stream_chat

    def taking_time(messages, sampling, **kwargs):
        clock.now += 10.0
        requests.append(messages[-1]["content"])
        return stream_chat(messages, sampling, **kwargs)

    monkeypatch.setattr(engine, "stream_chat", taking_time)
    document = read_document(REAL / "sydney_disclosure_contract.pdf")
    passages = questions.passages_in_order(questions.plan_questions(prepare_document(document)))
    report = SummaryReport()
    text = "".join(small_session.summarize(document, "brief", report=report))
    assert questions.RESTATING_SECONDS == 23.0 and len(passages) > 6
    assert len(requests) == 3
    assert all(piece.text in request for piece, request in zip(passages[:3], requests, strict=True))
    assert report.unrestated == len(passages) - 3 and "not restated" in report.footer()
    assert text.endswith(report.footer())
    assert strip_footer(text, report).partition(QUOTES_HEADING)[0].strip()  # the model's three sentences
    assert QUOTES_HEADING in text  # what they leave out is quoted from the source


@pytest.mark.slow
def test_117_page_thesis_is_summarised_in_the_default_mode_with_the_default_model(models_data_dir: Path,
                                                                                  corpus: Path) -> None:
    session = Session(models_data_dir, llm_name=DEFAULT_LLM)
    document = read_document(corpus / "pdf" / "GeoTopo-komprimiert.pdf")
    report = SummaryReport()
    start = time.perf_counter()
    text = "".join(session.summarize(document, "brief", report=report))
    elapsed = time.perf_counter() - start
    session.close()
    assert report.mode == MODE_QUESTIONS and 0 < report.share_read < 0.1  # a few passages per question
    assert len(strip_footer(text, report).split()) >= 20
    print(f"117-page default-mode summary: {elapsed:.1f} s, read {report.share_read:.0%}")


PROTOCOL = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "documents" / "medication-protocol.txt"


def test_figures_the_model_leaves_out_are_quoted_word_for_word_under_the_summary(default_session,
                                                                                   fast_session) -> None:
    # The 0.5B model turns "4 tablets ... twice daily for 3 days" into "two doses" and drops the stock code;
    # whatever it writes, the dose and the code must reach the reader exactly as the protocol gives them.
    document = read_document(PROTOCOL)
    report = SummaryReport()
    body = strip_footer("".join(default_session.summarize(document, "brief", report=report)), report)
    for fact in ("4 tablets", "3 days", "AL-24-120", "8 hours"):
        assert fact in body, (fact, body)
    # The temperature as the figure check reads it: "39°C" is the protocol's "39 °C", unit spacing aside.
    assert re.search(r"\b39 ?°C", body), body
    model_text, _, quotes = body.partition(QUOTES_HEADING)
    sentences = {s.text for s in condensed_sentences(document.pages)}
    assert len(report.quoted) <= QUOTES
    for point in report.quoted:
        assert any(point.text in sentence for sentence in sentences) and f"\u201c{point.text}\u201d" in quotes
        assert key_sentences_left_out(model_text, [point], 1), f"quoted although the summary gives it: {point.text}"
    assert bool(report.quoted) == bool(quotes)

    # Quotes off: the small model leaves out even more of the figures, and still none is quoted.
    plain = SummaryReport()
    text = "".join(fast_session.summarize(document, "brief", report=plain, quote_figures=False))
    assert QUOTES_HEADING not in text and plain.quoted == []
