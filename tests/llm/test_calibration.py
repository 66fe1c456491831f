"""The first-use calibration: measured once with the small model, stored, never re-run on its own, and never
in the way of a model someone chose (the suite's fixtures included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.jobs import Cancelled, CancelToken, run_job
from assistant.models.bundled import DEFAULT_LLM, FAST_LLM
from assistant.models.choice import Calibration, Speed
from assistant.workspace import Workspace

SLOW = Speed(DEFAULT_LLM, 2, prompt_tps=50.0, generation_tps=5.0)


@pytest.fixture
def counted_measurements(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Replaces the measurement (not the rule, the storing or the engines) with one that returns slow
    figures and counts its runs."""
    runs: list[int] = []

    def measure(engine, *, progress=None, cancel=None):  # type: ignore[no-untyped-def]
        runs.append(1)
        yield "Measuring"
        return SLOW

    monkeypatch.setattr("assistant.llm.calibration.measure_speed", measure)
    return runs


def test_the_suites_sessions_pin_their_model_and_never_calibrate(default_session, fast_session) -> None:
    for session, name in ((default_session, DEFAULT_LLM), (fast_session, FAST_LLM)):
        assert session.models.pinned == {"chat": name, "translate": name, "answers": name}
        assert not session.models.calibrate_at_first_use and not session.models.needs_calibration()
        assert session.models.model_name("chat") == name


def test_the_first_job_calibrates_once_and_the_choice_is_stored(
    own_data_dir: Path, counted_measurements: list[int]
) -> None:
    workspace = Workspace(own_data_dir, calibrate=True)
    assert workspace.models.needs_calibration()
    workspace.engine()
    workspace.engine("translate")
    Workspace(own_data_dir, calibrate=True).engine()  # the next start reads it from the settings
    assert counted_measurements == [1]
    stored = workspace.catalogue.calibration()
    assert stored is not None and stored.speed == SLOW and stored.choice == DEFAULT_LLM
    assert workspace.models.model_name() == DEFAULT_LLM


def test_a_model_chosen_in_settings_or_on_the_command_line_is_never_calibrated_over(
    own_data_dir: Path, counted_measurements: list[int]
) -> None:
    assert not Workspace(own_data_dir, calibrate=True, llm_name=FAST_LLM).models.needs_calibration()
    chosen = Workspace(own_data_dir, calibrate=True)
    chosen.settings.set("model.chat", FAST_LLM)
    assert not chosen.models.needs_calibration()
    chosen.engine()
    assert counted_measurements == []
    run_job(chosen.calibrate())  # measured again on request: the figures change, the user's choice stays
    assert counted_measurements == [1] and chosen.models.model_name() == FAST_LLM


def test_a_script_or_test_session_keeps_the_plain_default(own_data_dir: Path, counted_measurements: list[int]) -> None:
    workspace = Workspace(own_data_dir)
    assert not workspace.models.needs_calibration()
    workspace.engine()
    assert counted_measurements == [] and workspace.models.model_name() == DEFAULT_LLM


def test_the_real_calibration_measures_positive_figures_and_stores_a_choice(own_data_dir: Path) -> None:
    workspace = Workspace(own_data_dir, n_threads=1)
    reported: list[tuple[int, int]] = []
    items = []
    try:
        job = workspace.calibrate(progress=lambda done, total, _message: reported.append((done, total)))
        result: Calibration = run_job(job, items.append)
    finally:
        workspace.close()
    assert result.speed.prompt_tps > 0 and result.speed.generation_tps > 0 and result.free_ram > 0
    assert result.speed.threads == 1 and result.predicted_large_s > result.predicted_small_s > 0
    assert workspace.catalogue.calibration() == result
    assert result.choice in (DEFAULT_LLM, "qwen2.5-coder-1.5b-instruct-q4_k_m")
    assert items and reported[-1][0] == reported[-1][1] > 1


def test_cancel_at_the_third_measured_token_stops_the_calibration_and_stores_nothing(own_data_dir: Path) -> None:
    workspace = Workspace(own_data_dir, n_threads=1)
    cancel = CancelToken()
    measured: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("Measuring"):
            measured.append(done)
            if done == 3:
                cancel.cancel()

    try:
        with pytest.raises(Cancelled):
            run_job(workspace.calibrate(progress=progress, cancel=cancel))
    finally:
        workspace.close()
    assert measured == [0, 1, 2, 3]
    assert workspace.catalogue.calibration() is None


def test_installing_the_larger_model_later_calibrates_once_more(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.models.choice import LARGE_LLM, choose_default

    workspace = Workspace(data_dir, calibrate=True)
    catalogue = workspace.catalogue
    catalogue.settings.store_calibration(
        choose_default(SLOW, 8 * 2**30, large_installed=False, large_ram=None).to_json()
    )
    monkeypatch.setattr(catalogue, "usable", lambda name: name != LARGE_LLM)
    assert not workspace.models.needs_calibration()  # still without it: measured once is enough
    monkeypatch.setattr(catalogue, "usable", lambda name: True)  # `make models-large` ran since
    assert workspace.models.needs_calibration()
    catalogue.settings.store_calibration(
        choose_default(SLOW, 8 * 2**30, large_installed=True, large_ram=2**31).to_json()
    )
    assert not workspace.models.needs_calibration()
