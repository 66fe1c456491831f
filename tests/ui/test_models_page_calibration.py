"""The Models page shows which default this computer's measured speed chose and measures again on request,
on the worker through the job runner (a fake calibration job with controlled figures stands in for the engine)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QComboBox

from assistant.jobs import Cancelled
from assistant.models.bundled import DEFAULT_LLM
from assistant.models.catalogue import Catalogue
from assistant.models.choice import Speed, choose_default
from ui.models_page import ROLE_KINDS, ModelsPage

TIMEOUT = 60_000  # the catalogue read after a measurement, on a busy machine
SLOW = Speed(DEFAULT_LLM, 2, prompt_tps=60.0, generation_tps=8.0)


def _page(qtbot, catalogue: Catalogue, calibrate=None) -> ModelsPage:  # type: ignore[no-untyped-def]
    page = ModelsPage(catalogue, {name: QComboBox() for name in ROLE_KINDS}, calibrate=calibrate)
    qtbot.addWidget(page)
    page.show()
    return page


def test_measuring_again_runs_off_the_gui_thread_and_shows_the_new_choice_and_why(qtbot, data_dir: Path) -> None:
    catalogue = Catalogue(data_dir)
    threads: list[bool] = []

    def calibrate(*, progress, cancel):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        progress(1, 2, "Measuring this computer's speed")
        yield "Measuring this computer's speed"
        result = choose_default(SLOW, 8 * 2**30, large_installed=True, large_ram=2**31)
        catalogue.settings.store_calibration(result.to_json())
        return result

    page = _page(qtbot, catalogue, calibrate)
    assert "not measured yet" in page.calibration_label.text() and page.calibrate_button.isVisible()
    page.calibrate_button.click()
    qtbot.waitUntil(lambda: page.status().startswith("Measured"), timeout=TIMEOUT)
    assert threads == [False]
    assert page.status() == f"Measured: the default is now {DEFAULT_LLM}."
    text = page.calibration_label.text()
    assert f"{DEFAULT_LLM}, because the 1.5B model would take" in text and "prompt 60 tokens/s" in text
    qtbot.waitUntil(page.runner.is_idle, timeout=TIMEOUT)
    assert page.calibrate_button.isEnabled()
    assert _page(qtbot, Catalogue(data_dir), calibrate).calibration_label.text() == text  # read back when reopened
    page.runner.shutdown(5000)


def test_a_stopped_measurement_says_the_default_is_unchanged(qtbot, data_dir: Path) -> None:
    started = threading.Event()

    def calibrate(*, progress, cancel):  # type: ignore[no-untyped-def]
        started.set()
        while not cancel.cancelled:
            yield "Measuring"
        raise Cancelled()

    page = _page(qtbot, Catalogue(data_dir), calibrate)
    page.calibrate_button.click()
    qtbot.waitUntil(started.is_set, timeout=TIMEOUT)
    assert not page.calibrate_button.isEnabled()
    page.runner.cancel()
    assert page.status() == "Stopped; the default model is unchanged."
    assert page.calibrate_button.isEnabled() and "not measured yet" in page.calibration_label.text()
    qtbot.waitUntil(page.runner.is_idle, timeout=TIMEOUT)


def test_without_a_calibration_job_the_page_shows_no_button(qtbot, data_dir: Path) -> None:
    page = _page(qtbot, Catalogue(data_dir))
    assert page.calibrate_button.isHidden() and page.calibration_label.isHidden()
