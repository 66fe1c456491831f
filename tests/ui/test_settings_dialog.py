"""The settings dialog: fields from the one declaration saved (or refused), and the Models page on the real
catalogue (bundled SmolLM2 metadata read through the worker, add / use / remove, models found on disk)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QLineEdit, QSpinBox

from assistant.jobs import Cancelled
from assistant.models.bundled import FAST_LLM, SMOLLM2, locate_part
from assistant.models.catalogue import Catalogue
from assistant.models.discovery import DiscoveryRoots
from assistant.settings import DECLARATION, Settings
from ui.settings_dialog import SettingsDialog

LOAD_TIMEOUT = 60_000


@pytest.fixture
def smollm() -> Path:
    path = locate_part(SMOLLM2.parts[0])
    assert path is not None
    return path


@pytest.fixture
def nowhere(tmp_path: Path) -> DiscoveryRoots:
    empty = (tmp_path / "no-apps",)
    return DiscoveryRoots(empty, empty, empty, empty)


@pytest.fixture
def dialog(qtbot, data_dir: Path, nowhere: DiscoveryRoots) -> SettingsDialog:
    dialog = SettingsDialog(Catalogue(data_dir), discovery_roots=nowhere)
    qtbot.addWidget(dialog)
    models = dialog.models
    qtbot.waitUntil(lambda: models.table.rowCount() > 0 and not models.runner.is_running, timeout=LOAD_TIMEOUT)
    yield dialog
    dialog.models.runner.shutdown(5000)


def _row_of(dialog: SettingsDialog, name: str) -> int:
    return next(row for row, entry in enumerate(dialog.models.entries) if entry.name == name)


def test_every_declared_setting_has_a_field(dialog: SettingsDialog) -> None:
    assert set(dialog.fields) == {item.name for item in DECLARATION}
    assert isinstance(dialog.fields["theme"], QComboBox)
    assert isinstance(dialog.fields["threads"], QSpinBox)
    assert isinstance(dialog.fields["gpu_offload"], QCheckBox)
    assert isinstance(dialog.fields["data_folder"], QLineEdit)
    assert [dialog.pages.item(i).text() for i in range(dialog.pages.count())][0] == "Models"


def test_ok_saves_changes_that_a_new_settings_object_reads(qtbot, dialog: SettingsDialog, data_dir: Path) -> None:
    theme = dialog.fields["theme"]
    assert isinstance(theme, QComboBox)
    theme.setCurrentIndex(theme.findData("dark"))
    threads = dialog.fields["threads"]
    assert isinstance(threads, QSpinBox)
    threads.setValue(3)
    length = dialog.fields["summary.length"]
    assert isinstance(length, QComboBox)
    length.setCurrentIndex(length.findData("bullets"))
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert sorted(saved.args[0]) == ["summary.length", "theme", "threads"]
    fresh = Settings(data_dir)
    assert (fresh.get("theme"), fresh.get("threads"), fresh.get("summary.length")) == ("dark", 3, "bullets")


def test_an_invalid_value_is_refused_with_its_reason_and_nothing_is_saved(
    dialog: SettingsDialog, data_dir: Path
) -> None:
    theme = dialog.fields["theme"]
    assert isinstance(theme, QComboBox)
    theme.setCurrentIndex(theme.findData("light"))
    folder = dialog.fields["data_folder"]
    assert isinstance(folder, QLineEdit)
    folder.setText("not/absolute")
    assert dialog.apply() is False
    assert "not an absolute path" in dialog.error.text() and dialog.error.isVisibleTo(dialog)
    assert Settings(data_dir).get("theme") == "system"
    assert not (data_dir / "settings.json").exists()


def test_models_page_shows_the_bundled_model_metadata_and_ram_estimate(dialog: SettingsDialog) -> None:
    row = _row_of(dialog, FAST_LLM)
    cells = [dialog.models.table.item(row, column).text() for column in range(dialog.models.table.columnCount())]
    assert cells[2:6] == ["llama", "135 M", "Q4_1", "8,192"]
    assert cells[6] == "0.09 GiB" and cells[7].endswith("tokens") and cells[7].startswith("0.")
    assert "speech" in dialog.models.table.item(_row_of(dialog, "whisper-base"), 1).text()


def test_model_names_show_in_full_when_the_dialog_opens(qtbot, dialog: SettingsDialog) -> None:
    dialog.show()
    dialog.pages.setCurrentRow(next(r for r in range(dialog.pages.count()) if dialog.pages.item(r).text() == "Models"))
    qtbot.waitExposed(dialog)
    table = dialog.models.table
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            text = table.item(row, column).text()
            assert table.fontMetrics().horizontalAdvance(text) <= table.columnWidth(column), (row, column, text)


def test_use_for_translation_is_remembered(dialog: SettingsDialog, data_dir: Path) -> None:
    dialog.models.table.selectRow(_row_of(dialog, FAST_LLM))
    assert dialog.models.use_buttons["model.translate"].isEnabled() and not dialog.models.remove_button.isEnabled()
    dialog.models.use_buttons["model.translate"].click()
    assert Catalogue(data_dir).model_for("translate") == FAST_LLM


def test_adding_a_model_lists_it_and_remove_forgets_it(
    qtbot, dialog: SettingsDialog, data_dir: Path, smollm: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.gguf"
    mine.symlink_to(smollm)
    with qtbot.waitSignal(dialog.models.models_changed, timeout=LOAD_TIMEOUT):
        dialog.models.add_model_file(mine, copy=False)
    models = dialog.models
    qtbot.waitUntil(lambda: any(e.name == "mine" for e in models.entries) and not models.runner.is_running,
                    timeout=LOAD_TIMEOUT)
    assert dialog.models.table.item(_row_of(dialog, "mine"), 4).text() == "Q4_1"
    dialog.models.table.selectRow(_row_of(dialog, "mine"))
    assert dialog.models.remove_button.isEnabled()
    dialog.models.remove_model("mine")
    qtbot.waitUntil(lambda: not dialog.models.runner.is_running, timeout=LOAD_TIMEOUT)
    assert all(entry.name != "mine" for entry in dialog.models.entries)
    assert mine.exists()


def test_a_garbage_file_is_refused_in_the_status_line(
    qtbot, dialog: SettingsDialog, data_dir: Path, tmp_path: Path
) -> None:
    garbage = tmp_path / "garbage.gguf"
    garbage.write_bytes(b"\0" * 2048)
    with qtbot.waitSignal(dialog.models.runner.failed, timeout=LOAD_TIMEOUT):
        dialog.models.add_model_file(garbage, copy=True)
    assert "not a GGUF model file" in dialog.models.status()
    assert json.loads((data_dir / "catalogue.json").read_text())["models"] == []


def test_models_found_on_disk_are_offered_and_added_in_place(
    qtbot, data_dir: Path, smollm: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "llama.cpp-cache"
    cache.mkdir()
    (cache / "bartowski_SmolLM2-135M-Instruct-Q4_1.gguf").symlink_to(smollm)
    empty = (tmp_path / "none",)
    dialog = SettingsDialog(Catalogue(data_dir), discovery_roots=DiscoveryRoots(empty, empty, empty, (cache,)))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.models.found_table.rowCount() == 1, timeout=LOAD_TIMEOUT)
    assert dialog.models.found_table.item(0, 0).text() == "llama.cpp"
    dialog.models.found_table.selectRow(0)
    with qtbot.waitSignal(dialog.models.models_changed, timeout=LOAD_TIMEOUT):
        dialog.models.add_found_button.click()
    qtbot.waitUntil(lambda: dialog.models.found_table.rowCount() == 0 and not dialog.models.runner.is_running,
                    timeout=LOAD_TIMEOUT)
    assert Catalogue(data_dir).get("bartowski_smollm2-135m-instruct-q4_1").path == cache / (
        "bartowski_SmolLM2-135M-Instruct-Q4_1.gguf"
    )
    dialog.models.runner.shutdown(5000)


def test_importing_the_dialog_imports_no_engine() -> None:
    import subprocess

    engines = ("llama_cpp", "faster_whisper", "chromadb", "torch", "sentence_transformers")
    code = f"import sys, ui.settings_dialog; print([m for m in {engines!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


class HeldCatalogue(Catalogue):
    """Copies a tenth of a model, then waits to be stopped: a trigger, not a race against a fast disk."""

    def add(self, path: Path, *, copy: bool = False, name: str | None = None, progress=None, cancel=None):
        progress(1, 10, f"Copying {path.name}")
        while not cancel.cancelled:
            time.sleep(0.005)
        raise Cancelled()


def test_a_stopped_add_leaves_no_progress_bar_and_says_nothing_was_added(qtbot, data_dir: Path) -> None:
    from PySide6.QtWidgets import QComboBox

    from ui.models_page import ROLE_KINDS, ModelsPage

    page = ModelsPage(HeldCatalogue(data_dir), {name: QComboBox() for name in ROLE_KINDS})
    qtbot.addWidget(page)
    page.show()
    page.add_model_file(data_dir / "big.gguf", copy=True)
    qtbot.waitUntil(lambda: page.progress.bar.isVisible() and page.progress.bar.value() == 1, timeout=LOAD_TIMEOUT)
    assert page.status() == "Copying big.gguf" and not page.add_button.isEnabled()

    assert page.cancel_add()

    assert not page.progress.bar.isVisible()  # it stayed on screen after a stopped add
    assert page.status() == "Stopped; the model was not added."
    assert page.add_button.isEnabled()
    qtbot.waitUntil(page.runner.is_idle, timeout=LOAD_TIMEOUT)
