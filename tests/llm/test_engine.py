"""The LLM engine on the real bundled models: lazy load, chat template, streaming, prompt-aware cancel."""

from __future__ import annotations

import pytest

from assistant.jobs import Cancelled, CancelToken
from assistant.llm.engine import EVAL_SLICE, ContextOverflowError
from assistant.llm.sampling import sampling_for

from ..triggers import CancelOnPoll

SAMPLING = sampling_for("summary-brief")


def test_llama_cpp_is_built_without_amx_whose_kernels_crash_in_virtual_machines() -> None:
    # The Makefile compiles llama.cpp for this CPU but without Intel AMX: on a virtualised Sapphire Rapids Xeon,
    # weights repacked for AMX crashed the first decode (a segmentation fault in every model test). A build with
    # AMX says so here on such a CPU; on a CPU without AMX the flag is absent either way.
    import llama_cpp

    assert "AMX_INT8 = 1" not in llama_cpp.llama_print_system_info().decode()


def test_session_does_not_load_a_model_until_first_use(models_data_dir) -> None:
    from assistant.session import Session

    session = Session(models_data_dir)
    assert session.models.loaded("chat") is None
    assert "Qwen2.5" in session.llm_name


def test_prompt_uses_the_chat_template_stored_in_the_model(default_session) -> None:
    engine = default_session.engine()
    tokens = engine.prompt_tokens([{"role": "user", "content": "Hello"}])
    text = engine.detokenize(tokens)
    assert "<|im_start|>user\nHello<|im_end|>" in text
    assert text.rstrip().endswith("<|im_start|>assistant")


def test_reply_streams_in_many_pieces_and_model_is_loaded_once(default_session) -> None:
    engine = default_session.engine()
    engine.load()
    loads = engine.load_count
    messages = [{"role": "user", "content": "Name three colours, separated by commas."}]
    pieces = list(engine.stream_chat(messages, SAMPLING, max_tokens=24))
    assert len(pieces) >= 3 and "".join(pieces).strip()
    list(engine.stream_chat(messages, SAMPLING, max_tokens=4))
    assert engine.load_count == loads and default_session.engine() is engine


def _notes(count: int) -> list[dict[str, str]]:
    notes = " ".join(f"Pier {i}: bearing corrosion graded {i % 4}." for i in range(count))
    return [{"role": "user", "content": notes + "\nWhich pier has the highest number? Answer with its number."}]


def test_a_long_prompt_cancelled_between_batches_reads_no_further_batch(default_session) -> None:
    engine = default_session.engine()
    messages = _notes(200)
    assert len(engine.prompt_tokens(messages)) > 3 * EVAL_SLICE
    engine.load()
    engine.forget_prompt()
    token = CancelToken()
    reports: list[int] = []

    def cancel_after_the_first_batch(done: int, total: int, message: str) -> None:
        reports.append(done)
        token.cancel()

    with pytest.raises(Cancelled):
        list(engine.stream_chat(messages, SAMPLING, max_tokens=8, cancel=token, progress=cancel_after_the_first_batch))
    assert reports == [EVAL_SLICE]
    assert engine.cached_prompt_tokens == EVAL_SLICE  # the batch read stays cached; nothing after the cancel was read


def test_a_prompt_cancelled_inside_a_batch_stops_there_and_leaves_the_engine_answering_as_before(
    fast_session,
) -> None:
    # The abort callback is llama.cpp's, whatever the model: the small one reads the prompt twice much faster.
    engine = fast_session.engine()
    question = _notes(50)
    assert len(engine.prompt_tokens(question)) > EVAL_SLICE  # the cancel lands in the first of two batches
    greedy = sampling_for("translation")
    engine.load()
    engine.forget_prompt()
    before = engine.complete_chat(question, greedy, max_tokens=12)
    engine.forget_prompt()
    # The abort callback is asked between the steps of llama.cpp's compute graph; its 20th question comes
    # long before the first 512-token batch is read.
    token = CancelOnPoll(after=20)
    with pytest.raises(Cancelled):
        list(engine.stream_chat(question, greedy, max_tokens=12, cancel=token))
    assert token.fired
    assert engine.cached_prompt_tokens == 0  # the part-read batch is dropped, not finished: the abort landed inside it
    assert engine.complete_chat(question, greedy, max_tokens=12) == before


def test_cancel_while_generating_stops_before_the_next_token(default_session) -> None:
    engine = default_session.engine()
    messages = [{"role": "user", "content": "Write a long story about a bridge inspector."}]
    token = CancelToken()
    pieces: list[str] = []
    with pytest.raises(Cancelled):
        for piece in engine.stream_chat(messages, SAMPLING, max_tokens=400, cancel=token):
            pieces.append(piece)
            if len(pieces) == 5:
                token.cancel()
    assert len(pieces) == 5


def test_prompt_longer_than_the_context_is_refused_not_truncated(fast_session) -> None:
    engine = fast_session.engine()
    messages = [{"role": "user", "content": "word " * 5000}]
    with pytest.raises(ContextOverflowError, match="context"):
        list(engine.stream_chat(messages, SAMPLING))


def test_reply_budget_is_shrunk_to_the_room_left_in_the_context(models_data_dir, request) -> None:
    from assistant.models.bundled import FAST_LLM
    from assistant.workspace import Workspace

    # A 512-token window, the prompt filling most of it: a quarter of the prompt the 2,048-token one needed.
    session = Workspace(models_data_dir, llm_name=FAST_LLM, n_ctx=512)
    request.addfinalizer(session.close)
    engine = session.engine()
    notes = " ".join(f"Pier {i}: bearing corrosion graded {i % 4}." for i in range(30))
    # A story is a reply the model would go on with far past the room (a filler of "word word ..." got none).
    messages = [{"role": "user", "content": notes + "\nWrite a long story about the inspector of these piers."}]
    prompt = len(engine.prompt_tokens(messages))
    room = engine.n_ctx - prompt
    assert 16 <= room < 4000
    reply = engine.complete_chat(messages, SAMPLING, max_tokens=4000)
    assert room - 2 <= engine.count_tokens(reply) <= room + 2  # cut at the room left, not before, not after


def test_a_load_cancelled_before_it_starts_does_not_load(tmp_path) -> None:
    from assistant.llm.engine import LlmEngine

    engine = LlmEngine(tmp_path / "absent.gguf")  # loading it would fail: the cancel must come first
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        engine.load(cancel=token)
    assert not engine.is_loaded


def test_an_idle_model_is_unloaded_and_the_next_prompt_loads_it_again_saying_so(fast_session) -> None:
    import time

    engine = fast_session.engine()
    messages = [{"role": "user", "content": "Name three colours, separated by commas."}]
    before = engine.complete_chat(messages, SAMPLING, max_tokens=12)
    now = time.monotonic()
    assert not engine.unload_if_idle(now, 600)  # used a moment ago
    assert engine.unload_if_idle(now + 601, 600) and not engine.is_loaded
    said: list[str] = []
    engine.load(progress=lambda done, total, message: said.append(message))
    assert said == [f"Loading model {engine.name} …"]
    assert engine.complete_chat(messages, SAMPLING, max_tokens=12) == before


def test_a_model_in_use_is_not_unloaded_however_long_the_job_has_run(fast_session) -> None:
    import time

    engine = fast_session.engine()
    stream = engine.stream_chat([{"role": "user", "content": "Count from one to ten."}], SAMPLING, max_tokens=16)
    next(stream)  # the job is half-way: it holds the model
    try:
        assert not engine.unload_if_idle(time.monotonic() + 3600, 600) and engine.is_loaded
    finally:
        stream.close()
    assert engine.unload_if_idle(time.monotonic() + 601, 600) and not engine.is_loaded


def test_a_request_beside_busy_programs_runs_on_the_cores_they_leave_and_writes_the_same(
    fast_session, monkeypatch
) -> None:
    import assistant.llm.engine as engine_module

    engine = fast_session.engine()
    assert not engine.fixed_threads  # the app's engines follow the machine unless a count is set
    messages = [{"role": "user", "content": "The pump needs seal kit SK-77. Which seal kit does the pump need?"}]
    monkeypatch.setattr(engine_module, "busy_cores", lambda: 0.0)
    engine.forget_prompt()
    alone = engine.complete_chat(messages, SAMPLING, max_tokens=24)
    assert engine.threads_in_use == engine.n_threads
    monkeypatch.setattr(engine_module, "busy_cores", lambda: float(engine.n_threads))  # every core taken
    engine.forget_prompt()
    beside = engine.complete_chat(messages, SAMPLING, max_tokens=24)
    assert engine.threads_in_use == 1
    assert beside == alone


def test_a_thread_count_set_by_the_user_is_kept_however_busy_the_machine(models_data_dir, monkeypatch) -> None:
    import assistant.llm.engine as engine_module
    from assistant.models.bundled import FAST_LLM
    from assistant.session import Session

    monkeypatch.setattr(engine_module, "busy_cores", lambda: 64.0)
    session = Session(models_data_dir, llm_name=FAST_LLM, n_ctx=1024, n_threads=2)
    engine = session.engine()
    engine.complete_chat([{"role": "user", "content": "Say yes."}], SAMPLING, max_tokens=2)
    assert engine.fixed_threads and engine.threads_in_use == 2
    session.close()


def test_a_second_library_question_reuses_the_kept_instructions_and_counts_what_it_read(fast_session) -> None:
    from assistant.library.reply import Passage, build_messages

    engine = fast_session.engine()
    engine.forget_prompt()
    first = build_messages("Which seal kit does the pump need?", [Passage(1, "pump.txt", "Seal kit SK-77 ordered.")])
    pieces = list(engine.stream_chat(first, SAMPLING, max_tokens=12))
    assert engine.last_prompt_reused == 0 and engine.last_prompt_tokens == len(engine.prompt_tokens(first))
    assert len([p for p in pieces if p]) <= engine.last_reply_tokens <= 12
    second = build_messages("When is the next inspection due?", [Passage(1, "log.txt", "Next inspection: May.")])
    list(engine.stream_chat(second, SAMPLING, max_tokens=4))
    # The instructions (the system message, first in the prompt) are read once: the second question reads only
    # from where its prompt differs from the first's.
    shared = 0
    for one, other in zip(engine.prompt_tokens(first), engine.prompt_tokens(second), strict=False):
        if one != other:
            break
        shared += 1
    assert shared > len(engine.tokenize(second[0]["content"]))
    assert engine.last_prompt_reused == shared < engine.last_prompt_tokens


def test_the_leaning_between_two_replies_is_read_without_generating_and_its_prompt_stays_cached(
        default_session) -> None:
    engine = default_session.engine()
    engine.forget_prompt()

    def asked(word: str) -> list[dict[str, str]]:
        return [{"role": "user", "content": f"Reply with one word only: the word {word}."}]

    towards_yes = engine.leaning(asked("yes"), ("yes",), ("no",))
    assert engine.last_reply_tokens == 0 and engine.last_prompt_reused == 0
    towards_no = engine.leaning(asked("no"), ("yes",), ("no",))
    assert towards_yes > 0 > towards_no and towards_yes - towards_no > 3.0
    # The second prompt was read only from where it differs from the first.
    assert 0 < engine.last_prompt_reused < engine.last_prompt_tokens
    # The same prompt weighed the other way round gives the opposite leaning.
    assert engine.leaning(asked("no"), ("no",), ("yes",)) == pytest.approx(-towards_no, abs=1e-6)
