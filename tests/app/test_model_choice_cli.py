"""`edgewise doctor` says which model serves by default and why; `edgewise models calibrate` measures again."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.commands.doctor import default_model_lines
from assistant.models.bundled import DEFAULT_LLM, FAST_LLM
from assistant.models.catalogue import Catalogue
from assistant.models.choice import Calibration, Speed, choose_default
from assistant.settings import Settings
from tests.models.test_choice import RegistryWithLarge, RegistryWithoutLarge

SLOW = Speed(DEFAULT_LLM, 2, prompt_tps=60.0, generation_tps=8.0)


def test_doctor_before_any_calibration_says_when_it_runs_and_how_to_add_the_larger_model(data_dir: Path) -> None:
    lines = default_model_lines(Catalogue(data_dir, RegistryWithoutLarge(data_dir / "models")))
    assert lines[0].startswith(f"not measured yet: {DEFAULT_LLM}") and "edgewise models calibrate" in lines[0]
    assert "make models-large" in lines[-1]
    assert not any("make models-large" in line
                   for line in default_model_lines(Catalogue(data_dir, RegistryWithLarge(data_dir / "models"))))


def test_doctor_shows_the_calibration_figures_the_choice_and_the_users_own_choice(data_dir: Path) -> None:
    settings = Settings(data_dir)
    settings.store_calibration(choose_default(SLOW, 8 * 2**30, large_installed=True, large_ram=2**31).to_json())
    text = "\n".join(default_model_lines(Catalogue(data_dir, RegistryWithLarge(data_dir / "models"), settings)))
    for phrase in ("prompt 60 tokens/s", "generation 8.0 tokens/s", "8.0 GiB RAM free", "the 1.5B model needs 2.0 GiB",
                   f"default: {DEFAULT_LLM}, because the 1.5B model would take"):
        assert phrase in text
    settings.set("model.chat", FAST_LLM)
    lines = default_model_lines(Catalogue(data_dir, RegistryWithLarge(data_dir / "models"), settings))
    assert lines[0] == f"{FAST_LLM}: your choice in Settings (it wins over the calibration)"


def test_models_calibrate_measures_prints_and_stores_the_choice(
    own_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "calibrate", "--threads", "1", "--data-dir", str(own_data_dir)]) == 0
    out = capsys.readouterr().out
    stored = Calibration.from_json(Settings(own_data_dir).calibration())
    assert stored is not None and stored.speed.threads == 1
    assert f"Default: {stored.choice}, because" in out and "Measured with" in out
    assert main(["doctor", "--data-dir", str(own_data_dir)]) in (0, 1)
    assert f"default: {stored.choice}, because" in capsys.readouterr().out
