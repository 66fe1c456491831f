"""The session honours the model roles and settings: switching models in one session frees the old one,
translation can have its own model, and the RAM estimate matches what a loaded model really takes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.documents import document_from_text
from assistant.llm.sampling import Sampling
from assistant.models.bundled import DEFAULT_LLM, FAST_LLM, SMOLLM2, ModelRegistry, locate_part
from assistant.models.catalogue import Catalogue
from assistant.models.gguf_info import read_gguf_info
from assistant.session import Session

GREEDY = Sampling(temperature=0.0, top_p=1.0, top_k=1, repeat_penalty=1.0, max_tokens=8)
HELLO = [{"role": "user", "content": "Say hello."}]


@pytest.fixture
def qwen_as_user_model(data_dir: Path, models_data_dir: Path) -> str:
    """The bundled Qwen file, registered in a fresh data folder as a model of the user's own (in place)."""
    qwen = ModelRegistry(models_data_dir / "models").path_for(DEFAULT_LLM)
    return Catalogue(data_dir).add(qwen, name="qwen-mine").name


def test_switching_models_in_one_session_frees_the_old_one(data_dir: Path, qwen_as_user_model: str) -> None:
    session = Session(data_dir, n_ctx=1024, n_threads=2)
    try:
        session.models.use(FAST_LLM)
        smol = session.engine()
        assert smol.complete_chat(HELLO, GREEDY)
        assert smol.is_loaded and smol.name == SMOLLM2.display_name

        session.models.use(qwen_as_user_model)
        assert not smol.is_loaded  # freed at the switch, before anything else loads
        qwen = session.engine()
        assert qwen is not smol and qwen.model_path.name.startswith("qwen2.5-coder-0.5b")
        assert qwen.complete_chat(HELLO, GREEDY)
        assert session.models.model_name() == "qwen-mine"
    finally:
        session.close()
    assert Session(data_dir).models.model_name() == "qwen-mine"  # remembered


def test_a_choice_made_elsewhere_takes_effect_at_the_next_job(data_dir: Path, qwen_as_user_model: str) -> None:
    session = Session(data_dir, n_ctx=1024, n_threads=2)
    try:
        Catalogue(data_dir).use(FAST_LLM, "chat")
        first = session.engine()
        assert first.model_path == locate_part(SMOLLM2.parts[0])
        first.load()
        Catalogue(data_dir).use(qwen_as_user_model, "chat")  # e.g. the settings dialog, another object
        second = session.engine()
        assert second is not first and not first.is_loaded
    finally:
        session.close()


def test_translation_uses_its_own_model_and_summaries_keep_theirs(data_dir: Path, qwen_as_user_model: str) -> None:
    session = Session(data_dir, n_ctx=1024, n_threads=2)
    try:
        session.models.use(FAST_LLM, "chat")
        session.models.use(qwen_as_user_model, "translate")
        doc = document_from_text("Good morning. The well is dry.", name="note")
        translated = "".join(session.translate(doc, target="fr"))
        assert translated.strip()
        chat, translate = session.engine(), session.engine(role="translate")
        assert chat is not translate
        assert translate.model_path.name.startswith("qwen2.5-coder-0.5b") and translate.is_loaded
        assert chat.model_path == locate_part(SMOLLM2.parts[0])
        translation = session.provenance(doc, "translation", target="fr")
        assert translation.model_name == "Qwen2.5 Coder 0.5B Instruct AWQ Q4_K_M"
        assert session.provenance(doc, "summary").model_name == SMOLLM2.display_name
    finally:
        session.close()


def test_explicit_constructor_arguments_still_win_over_the_settings(data_dir: Path) -> None:
    Catalogue(data_dir).settings.set("threads", 1)
    Catalogue(data_dir).settings.set("context_size", 2048)
    assert Session(data_dir).n_ctx == 2048
    session = Session(data_dir, llm_name=FAST_LLM, n_ctx=1536, n_threads=2)
    engine = session.engine()
    assert (engine.n_ctx, engine.n_threads, session.models.model_name()) == (1536, 2, FAST_LLM)
    assert Session(data_dir, llm_name=FAST_LLM).engine().n_threads == 1


def test_settings_decide_threads_and_context_when_not_given(data_dir: Path) -> None:
    settings = Catalogue(data_dir).settings
    settings.set("threads", 1)
    settings.set("context_size", 1024)
    engine = Session(data_dir, llm_name=FAST_LLM).engine()
    assert (engine.n_ctx, engine.n_threads) == (1024, 1)
    settings.set("context_size", 0)  # automatic: fitted to free RAM, at most 4,096
    assert Session(data_dir, llm_name=FAST_LLM).engine().n_ctx in (1024, 2048, 4096)


def test_gpu_offload_is_only_asked_for_where_the_build_supports_it(data_dir: Path) -> None:
    import llama_cpp

    engine = Session(data_dir, llm_name=FAST_LLM).engine()
    assert engine.n_gpu_layers == (-1 if llama_cpp.llama_supports_gpu_offload() else 0)
    Catalogue(data_dir).settings.set("gpu_offload", False)
    assert Session(data_dir, llm_name=FAST_LLM).engine().n_gpu_layers == 0


_MEASURE = """
import sys, psutil
from assistant.llm.engine import LlmEngine
process = psutil.Process()
before = process.memory_info().rss
engine = LlmEngine(sys.argv[1], n_ctx=int(sys.argv[2]), n_threads=2)
engine.load()
print(process.memory_info().rss - before)
engine.close()
"""


@pytest.mark.parametrize("model", [FAST_LLM, DEFAULT_LLM])
def test_ram_estimate_is_within_reason_of_the_measured_resident_memory(models_data_dir: Path, model: str) -> None:
    # A fresh process: in this one, memory freed by earlier loads is reused and would hide the model's need.
    path = ModelRegistry(models_data_dir / "models").path_for(model)
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(path), "2048"], capture_output=True, text=True,
                            timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr[-2000:]
    measured = int(result.stdout.strip().splitlines()[-1])
    estimate = read_gguf_info(path).estimated_ram(2048)
    print(f"{model}: estimate {estimate / 2**20:.0f} MiB, measured {measured / 2**20:.0f} MiB")
    assert 0.5 * measured <= estimate <= 1.5 * measured
