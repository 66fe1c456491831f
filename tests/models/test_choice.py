"""The default-model rule from controlled figures: what the calibration measured decides, never a guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.models.bundled import DEFAULT_LLM, QWEN_15B, ModelRegistry, ModelStatus
from assistant.models.catalogue import Catalogue
from assistant.models.choice import (
    ANSWER_TARGET_S,
    LARGE_LLM,
    SUMMARY_TARGET_S,
    Calibration,
    Speed,
    answers_choice,
    choose_default,
    describe,
    predicted_answer_s,
    predicted_small_answer_s,
    predicted_summary_s,
)
from assistant.settings import Settings

GIB = 2**30
FAST = Speed(DEFAULT_LLM, 4, prompt_tps=2000.0, generation_tps=150.0)  # a recent laptop's order of magnitude
SLOW = Speed(DEFAULT_LLM, 2, prompt_tps=60.0, generation_tps=8.0)


def test_a_fast_machine_with_room_gets_the_larger_model() -> None:
    calibration = choose_default(FAST, 8 * GIB, large_installed=True, large_ram=2 * GIB)
    assert calibration.choice == LARGE_LLM
    assert calibration.predicted_large_s <= SUMMARY_TARGET_S
    assert "within" in calibration.reason


def test_a_slow_machine_keeps_the_small_model_and_says_how_long_the_large_would_take() -> None:
    calibration = choose_default(SLOW, 8 * GIB, large_installed=True, large_ram=2 * GIB)
    assert calibration.choice == DEFAULT_LLM
    assert calibration.predicted_large_s > SUMMARY_TARGET_S
    assert f"{calibration.predicted_large_s:.0f} s" in calibration.reason


def test_low_free_ram_keeps_the_small_model_however_fast() -> None:
    calibration = choose_default(FAST, 2 * GIB, large_installed=True, large_ram=2 * GIB)
    assert calibration.choice == DEFAULT_LLM
    assert "GiB" in calibration.reason


def test_a_missing_large_model_keeps_the_small_one_and_says_how_to_add_it() -> None:
    calibration = choose_default(FAST, 8 * GIB, large_installed=False, large_ram=None)
    assert calibration.choice == DEFAULT_LLM
    assert "make models-large" in calibration.reason


def test_the_prediction_grows_with_slower_speeds() -> None:
    assert predicted_summary_s(100.0, 10.0) > predicted_summary_s(200.0, 10.0) > predicted_summary_s(200.0, 20.0)


def test_a_calibration_survives_the_settings_file_and_a_damaged_one_reads_as_none(data_dir: Path) -> None:
    calibration = choose_default(FAST, 8 * GIB, large_installed=True, large_ram=2 * GIB)
    Settings(data_dir).store_calibration(calibration.to_json())
    Settings(data_dir).set("theme", "dark")  # saving a preference keeps the calibration
    assert Calibration.from_json(Settings(data_dir).calibration()) == calibration
    assert Settings(data_dir).get("theme") == "dark"
    assert Calibration.from_json({"speed": {"model": "x"}}) is None
    assert Calibration.from_json("nonsense") is None


def test_a_stored_calibration_is_judged_again_by_todays_rule() -> None:
    """A data folder calibrated under an older rule (other constants, another pipeline) gets today's choice from
    its measured figures, without measuring again."""
    today = choose_default(SLOW, 8 * GIB, large_installed=True, large_ram=2 * GIB)
    older = {**today.to_json(), "choice": LARGE_LLM, "predicted_large_s": 1.0, "reason": "an older rule"}
    again = Calibration.from_json(older)
    assert again == today
    assert again is not None and again.choice == DEFAULT_LLM and again.speed == SLOW


def test_describe_gives_the_figures_the_choice_and_why() -> None:
    lines = describe(choose_default(SLOW, 8 * GIB, large_installed=True, large_ram=2 * GIB))
    text = "\n".join(lines)
    for phrase in ("prompt 60 tokens/s", "generation 8.0 tokens/s", "8.0 GiB RAM free", f"default: {DEFAULT_LLM}",
                   "because the 1.5B model would take"):
        assert phrase in text


class RegistryWithoutLarge(ModelRegistry):
    """The bundled registry as on a machine where `make models-large` never ran."""

    def status(self, model):  # type: ignore[no-untyped-def]
        if model is QWEN_15B:
            return ModelStatus(model, None, "not installed", "package(s) not installed")
        return super().status(model)


class RegistryWithLarge(ModelRegistry):
    """The bundled registry as on a machine where `make models-large` ran (the file itself is never read)."""

    def status(self, model):  # type: ignore[no-untyped-def]
        if model is QWEN_15B:
            return ModelStatus(model, self.models_dir / f"{model.name}.gguf", "not assembled")
        return super().status(model)


@pytest.mark.parametrize("user_choice", ["", "smollm2-135m-instruct-q4_1"])
def test_the_catalogue_default_follows_the_calibration_unless_the_user_chose(data_dir: Path, user_choice: str) -> None:
    settings = Settings(data_dir)
    calibration = choose_default(FAST, 8 * GIB, large_installed=True, large_ram=2 * GIB)
    settings.store_calibration(calibration.to_json())
    if user_choice:
        settings.set("model.chat", user_choice)
    with_large = Catalogue(data_dir, RegistryWithLarge(data_dir / "models"), settings)
    assert with_large.model_for("chat") == (user_choice or LARGE_LLM)
    without_large = Catalogue(data_dir, RegistryWithoutLarge(data_dir / "models"), settings)
    assert without_large.model_for("chat") == (user_choice or DEFAULT_LLM)
    assert without_large.model_for("translate") == without_large.model_for("chat")


def test_without_a_calibration_the_default_is_the_small_model(data_dir: Path) -> None:
    assert Catalogue(data_dir, RegistryWithoutLarge(data_dir / "models")).model_for("chat") == DEFAULT_LLM


#: This 2-core machine idle (`edgewise models calibrate`, README): the summaries keep the 0.5B model.
TWO_CORES = Speed(DEFAULT_LLM, 2, prompt_tps=97.0, generation_tps=30.2)


def test_library_answers_get_the_larger_model_where_its_checked_answer_fits_the_target() -> None:
    calibration = choose_default(TWO_CORES, 8 * GIB, large_installed=True, large_ram=2 * GIB)
    assert calibration.choice == DEFAULT_LLM  # too slow for summaries here
    choice, reason = answers_choice(calibration)
    assert choice == LARGE_LLM and predicted_answer_s(calibration) <= ANSWER_TARGET_S and "within" in reason
    assert f"library answers: {LARGE_LLM}" in "\n".join(describe(calibration))
    # Slower still, missing, or without the room: the answers stay with the summaries' model.
    slow = choose_default(SLOW, 8 * GIB, large_installed=True, large_ram=2 * GIB)
    assert answers_choice(slow)[0] == DEFAULT_LLM and predicted_answer_s(slow) > ANSWER_TARGET_S
    assert answers_choice(choose_default(TWO_CORES, 8 * GIB, large_installed=False, large_ram=None))[0] == DEFAULT_LLM
    assert answers_choice(choose_default(TWO_CORES, 2 * GIB, large_installed=True, large_ram=2 * GIB))[0] == DEFAULT_LLM


def test_the_catalogue_gives_library_answers_the_calibrated_model_unless_the_user_chose(data_dir: Path) -> None:
    settings = Settings(data_dir)
    settings.store_calibration(choose_default(TWO_CORES, 8 * GIB, large_installed=True, large_ram=2 * GIB).to_json())
    with_large = Catalogue(data_dir, RegistryWithLarge(data_dir / "models"), settings)
    assert with_large.model_for("chat") == DEFAULT_LLM and with_large.model_for("answers") == LARGE_LLM
    without_large = Catalogue(data_dir, RegistryWithoutLarge(data_dir / "models"), settings)
    assert without_large.model_for("answers") == DEFAULT_LLM
    settings.set("model.answers", "smollm2-135m-instruct-q4_1")
    assert with_large.model_for("answers") == "smollm2-135m-instruct-q4_1"
    assert Catalogue(data_dir / "new", RegistryWithLarge(data_dir / "models")).model_for("answers") == DEFAULT_LLM


@pytest.mark.parametrize(
    ("busy", "most", "cores", "threads"),
    [(0.0, 2, 2, 2), (0.4, 2, 2, 2), (0.6, 2, 2, 1), (1.0, 2, 2, 1), (9.0, 2, 2, 1), (1.0, 8, 8, 7), (0.0, 4, 8, 4)],
)
def test_threads_leave_the_cores_other_programs_keep_busy(busy: float, most: int, cores: int, threads: int) -> None:
    from assistant.models.fit import threads_beside

    assert threads_beside(busy, most, cores) == threads


#: A slower 2-core machine (`edgewise models calibrate` on a 2-core AMD EPYC, 2026-12-05, README).
SLOWER_TWO_CORES = Speed(DEFAULT_LLM, 2, prompt_tps=32.0, generation_tps=14.0)


def test_library_answers_get_the_larger_model_where_the_small_one_would_miss_the_target_too() -> None:
    calibration = choose_default(SLOWER_TWO_CORES, 8 * GIB, large_installed=True, large_ram=2 * GIB)
    assert calibration.choice == DEFAULT_LLM
    assert predicted_answer_s(calibration) > ANSWER_TARGET_S < predicted_small_answer_s(calibration)
    choice, reason = answers_choice(calibration)
    assert choice == LARGE_LLM and "0.5B" in reason and "beyond" in reason
    # Where the small model meets the target, or the large one would take more than twice the target, the answers
    # stay with the summaries' model.
    assert predicted_small_answer_s(choose_default(SLOW, 8 * GIB, large_installed=True, large_ram=2 * GIB)) \
        <= ANSWER_TARGET_S
    crawling = choose_default(Speed(DEFAULT_LLM, 2, prompt_tps=12.0, generation_tps=5.0), 8 * GIB,
                              large_installed=True, large_ram=2 * GIB)
    assert answers_choice(crawling)[0] == DEFAULT_LLM and predicted_answer_s(crawling) > 2 * ANSWER_TARGET_S
