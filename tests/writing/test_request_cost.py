"""The benchmark's count of what decides a summary's time (benchmarks/request_cost.py): requests, prompt tokens
read and reused from the previous request, reply tokens; the per-question summary's requests counted on a fake."""

from __future__ import annotations

from assistant.documents import read_document
from assistant.writing.summary.pipeline import summarize_document
from benchmarks.request_cost import IDLE_PROMPT_RATE, IDLE_REPLY_RATE, counting

from .fake_engine import FakeEngine
from .test_summary_questions import REAL


class _KeepingEngine(FakeEngine):
    """Tokens are words; like the real engine it keeps the last prompt and its reply, reads only what a new
    prompt does not share with them, and counts its last request's tokens."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[str] = []
        self.last_prompt_tokens = self.last_prompt_reused = self.last_reply_tokens = 0

    def stream_chat(self, messages, sampling, **kwargs):
        prompt = [word for message in messages for word in message["content"].split()]
        reused = 0
        while reused < min(len(self.kept), len(prompt)) and self.kept[reused] == prompt[reused]:
            reused += 1
        self.last_prompt_tokens, self.last_prompt_reused, self.last_reply_tokens = len(prompt), reused, 0
        self.kept = prompt
        for word in ["Three", "word", "answer."]:
            self.last_reply_tokens += 1
            self.kept.append(word)
            yield " " + word


def test_the_count_has_every_request_its_prompt_tokens_those_reused_and_its_reply_tokens() -> None:
    engine = _KeepingEngine()
    with counting(engine) as cost:
        text = "".join(summarize_document(read_document(REAL / "sydney_disclosure_contract.pdf"), engine, "brief"))
    count = len(cost.requests)
    assert text.count("Three word answer.") == count > 5  # one request per passage the questions read
    first, *later = cost.requests
    assert first.reused == 0 and all(0 < r.reused < r.prompt for r in later)  # the shared opening is kept
    assert cost.read == cost.prompt - sum(r.reused for r in later)
    assert [r.reply for r in cost.requests] == [3] * count and cost.reply == 3 * count
    assert cost.estimate() == cost.read / IDLE_PROMPT_RATE + 3 * count / IDLE_REPLY_RATE
    assert "stream_chat" not in vars(engine)  # the spy is removed afterwards


def test_a_request_the_reader_stops_early_counts_what_was_written() -> None:
    engine = _KeepingEngine()
    with counting(engine) as cost:
        stream = engine.stream_chat([{"role": "user", "content": "a b c"}], None)
        next(stream)
        stream.close()
    assert [(r.prompt, r.reply) for r in cost.requests] == [(3, 1)]
