"""The LLM engine on the real bundled models: lazy load, chat template, streaming, prompt-aware cancel."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.jobs import Cancelled, CancelToken
from assistant.llm.engine import ContextOverflowError
from assistant.llm.sampling import sampling_for

SAMPLING = sampling_for("summary-brief")


def test_session_does_not_load_a_model_until_first_use(models_data_dir) -> None:
    from assistant.session import Session

    session = Session(models_data_dir)
    assert session._engine is None
    assert "Qwen2.5" in session.llm_name


def test_prompt_uses_the_chat_template_stored_in_the_model(default_session) -> None:
    engine = default_session.engine()
    tokens = engine.prompt_tokens([{"role": "user", "content": "Hello"}])
    text = engine._llm.detokenize(tokens, special=True).decode()
    assert "<|im_start|>user\nHello<|im_end|>" in text
    assert text.rstrip().endswith("<|im_start|>assistant")


def test_reply_streams_in_many_pieces_and_model_is_loaded_once(default_session) -> None:
    engine = default_session.engine()
    engine.load()
    model = engine._llm
    messages = [{"role": "user", "content": "Name three colours, separated by commas."}]
    pieces = list(engine.stream_chat(messages, SAMPLING, max_tokens=24))
    assert len(pieces) >= 3 and "".join(pieces).strip()
    list(engine.stream_chat(messages, SAMPLING, max_tokens=4))
    assert engine._llm is model and default_session.engine() is engine


def _time_to_stop(engine, messages, cancel_after: float) -> float:
    token = CancelToken()
    outcome: dict[str, float] = {}

    def run() -> None:
        try:
            for _ in engine.stream_chat(messages, SAMPLING, max_tokens=400, cancel=token):
                pass
            outcome["finished"] = time.perf_counter()
        except Cancelled:
            outcome["cancelled"] = time.perf_counter()

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(cancel_after)
    cancelled_at = time.perf_counter()
    token.cancel()
    worker.join(10)
    assert "cancelled" in outcome, f"the job did not stop on cancel: {outcome}"
    return outcome["cancelled"] - cancelled_at


def test_cancel_during_a_long_prompt_stops_within_half_a_second(default_session) -> None:
    engine = default_session.engine()
    long_text = " ".join(f"Inspection note {i}: the bearing at pier {i} shows minor corrosion." for i in range(150))
    messages = [{"role": "user", "content": long_text + "\nSummarise."}]
    assert len(engine.prompt_tokens(messages)) > 1500  # ~15 s of prompt evaluation on two cores
    assert _time_to_stop(engine, messages, cancel_after=1.0) < 0.5


def test_a_prompt_cancelled_inside_a_batch_leaves_the_engine_answering_as_before(default_session) -> None:
    engine = default_session.engine()
    notes = " ".join(f"Pier {i}: bearing corrosion graded {i % 4}." for i in range(120))
    question = [{"role": "user", "content": notes + "\nWhich pier has the highest number? Answer with its number."}]
    greedy = sampling_for("translation")
    engine.load()
    engine._llm.reset()
    before = engine.complete_chat(question, greedy, max_tokens=12)
    # stop half-way through the first 512-token batch: the abort callback, not a batch boundary, ends it
    engine._llm.reset()
    assert _time_to_stop(engine, question, cancel_after=2.0) < 0.5
    assert engine._llm.n_tokens < 512
    assert engine.complete_chat(question, greedy, max_tokens=12) == before


def test_cancel_while_generating_stops_within_half_a_second(default_session) -> None:
    engine = default_session.engine()
    messages = [{"role": "user", "content": "Write a long story about a bridge inspector."}]
    assert _time_to_stop(engine, messages, cancel_after=3.0) < 0.5


def test_prompt_longer_than_the_context_is_refused_not_truncated(fast_session) -> None:
    engine = fast_session.engine()
    messages = [{"role": "user", "content": "word " * 5000}]
    with pytest.raises(ContextOverflowError, match="context"):
        list(engine.stream_chat(messages, SAMPLING))


def test_reply_budget_is_shrunk_to_the_room_left_in_the_context(fast_session) -> None:
    engine = fast_session.engine()
    filler = "word " * (engine.n_ctx - 200)
    messages = [{"role": "user", "content": filler}]
    prompt = len(engine.prompt_tokens(messages))
    assert prompt < engine.n_ctx
    reply = engine.complete_chat(messages, SAMPLING, max_tokens=4000)
    assert engine.count_tokens(reply) <= engine.n_ctx - prompt + 2
