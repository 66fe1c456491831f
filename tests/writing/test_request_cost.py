"""The benchmark's count of what decides a summary's time (benchmarks/request_cost.py): requests, prompt tokens
read and reused from the previous request, reply tokens; the per-question summary's requests counted on a fake."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.documents import read_document
from assistant.writing.summary.pipeline import summarize_document
from benchmarks.request_cost import IDLE_PROMPT_RATE, IDLE_REPLY_RATE, counting

from .fake_engine import FakeEngine
from .test_summary_questions import REAL


class _KeepingEngine(FakeEngine):
    """Prompt tokens are the prompt's words; like llama.cpp it keeps the last prompt and its reply."""

    def __init__(self) -> None:
        super().__init__()
        self._llm = SimpleNamespace(_input_ids=[], n_tokens=0)

    def prompt_tokens(self, messages) -> list[int]:
        return [hash(word) for message in messages for word in message["content"].split()]

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def stream_chat(self, messages, sampling, **kwargs):
        reply = ["Three", "word", "answer."]
        self._llm._input_ids = self.prompt_tokens(messages) + [hash(word) for word in reply]
        self._llm.n_tokens = len(self._llm._input_ids)
        yield from (" " + word for word in reply)


def test_the_count_has_every_request_its_prompt_tokens_those_reused_and_its_reply_tokens() -> None:
    engine = _KeepingEngine()
    with counting(engine) as cost:
        text = "".join(summarize_document(read_document(REAL / "sydney_disclosure_contract.pdf"), engine, "brief"))
    assert text.count("Three word answer.") == len(cost.requests) == 5  # one request per question
    first, *later = cost.requests
    assert first.reused == 0 and all(0 < r.reused < r.prompt for r in later)  # the shared opening is kept
    assert [r.reply for r in cost.requests] == [3] * 5 and cost.reply == 15
    assert cost.estimate() == cost.read / IDLE_PROMPT_RATE + 15 / IDLE_REPLY_RATE
    assert "stream_chat" not in vars(engine)  # the spy is removed afterwards


def test_a_request_the_reader_stops_early_counts_what_was_written() -> None:
    engine = _KeepingEngine()
    with counting(engine) as cost:
        stream = engine.stream_chat([{"role": "user", "content": "a b c"}], None)
        next(stream)
        stream.close()
    assert [(r.prompt, r.reply) for r in cost.requests] == [(3, 1)]
