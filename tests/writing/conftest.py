"""A thorough summary of two GeoTopo pages in a 1,024-token window, made once for the tests that read it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.documents import read_document
from assistant.models.bundled import FAST_LLM
from assistant.session import Session
from assistant.writing.summary.present import SummaryReport


@dataclasses.dataclass(frozen=True)
class ThoroughSummary:
    """What one thorough summary produced and asked: its text, report, progress calls and prompt sizes."""

    text: str
    report: SummaryReport
    progress: list[tuple[int, int, str]]
    prompt_sizes: list[int]
    n_ctx: int

    def messages(self) -> list[str]:
        return [message for _, _, message in self.progress]


@pytest.fixture(scope="session")
def thorough_two_pages(models_data_dir: Path, corpus: Path) -> ThoroughSummary:
    """The fast model with a 1,024-token window, where two pages already need map-reduce: read in parts, each
    summarised, the notes combined. Several tests check what this one run did (it takes three requests)."""
    document = read_document(corpus / "pdf" / "GeoTopo-komprimiert.pdf")
    document = dataclasses.replace(document, pages=document.pages[:2])
    session = Session(models_data_dir, llm_name=FAST_LLM, n_ctx=1024)
    try:
        engine = session.engine()
        prompt_sizes: list[int] = []
        original = engine.prompt_tokens

        def spy(messages):
            tokens = original(messages)
            prompt_sizes.append(len(tokens))
            return tokens

        engine.prompt_tokens = spy  # type: ignore[method-assign]
        progress: list[tuple[int, int, str]] = []
        report = SummaryReport()
        text = "".join(session.summarize(document, "brief", thorough=True, report=report,
                                         progress=lambda done, total, message: progress.append((done, total, message))))
        return ThoroughSummary(text, report, progress, prompt_sizes, engine.n_ctx)
    finally:
        session.close()
