"""The settings in the real main window: Edit > Settings… (Ctrl+,), a dropped .gguf goes to the add-model flow,
and saved defaults (summary length, translation language) reach the toolbar at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from assistant.models.bundled import SMOLLM2, locate_part
from assistant.models.catalogue import Catalogue
from assistant.workspace import Workspace
from ui.main_window import MainWindow
from ui.models_page import ModelsPage
from ui.settings_dialog import SettingsDialog
from ui.window_state import WindowState

WAIT_MS = 60_000


@pytest.fixture
def window(qtbot: Any, data_dir: Path, ui_settings: QSettings) -> MainWindow:
    workspace = Workspace(data_dir)
    window = MainWindow(workspace, WindowState(ui_settings))
    qtbot.addWidget(window)
    window.show()
    yield window
    dialog = window.settings_menu.dialog
    if dialog is not None:
        dialog.models.runner.shutdown(5000)
    workspace.close()


def test_edit_menu_has_settings_with_ctrl_comma(window: MainWindow) -> None:
    action = window.settings_menu.action
    assert "Ctrl+," in [shortcut.toString() for shortcut in action.shortcuts()]
    edit = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit")
    assert action in edit.actions()
    action.trigger()
    dialog = window.settings_menu.dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()


def test_saved_defaults_reach_the_toolbar(qtbot: Any, window: MainWindow) -> None:
    window.settings_menu.action.trigger()
    dialog = window.settings_menu.dialog
    assert dialog is not None
    length, language = dialog.fields["summary.length"], dialog.fields["translate.language"]
    length.setCurrentIndex(length.findData("detailed"))  # type: ignore[attr-defined]
    language.setCurrentIndex(language.findData("sw"))  # type: ignore[attr-defined]
    dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    assert window.summary_length == "detailed" and window.target_language == "sw"
    assert window.workspace.settings.get("summary.length") == "detailed"  # one store, the dialog's and the CLI's


def test_dropping_a_gguf_on_the_window_adds_the_model(
    qtbot: Any, window: MainWindow, drop_files: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    smollm = locate_part(SMOLLM2.parts[0])
    assert smollm is not None
    dropped = tmp_path / "my-chat-model.gguf"
    dropped.symlink_to(smollm)
    asked: list[Path] = []
    monkeypatch.setattr(ModelsPage, "ask_copy", lambda self, path: asked.append(path) or False)
    assert drop_files(window.drop_zone, [dropped])
    qtbot.waitUntil(lambda: window.settings_menu.dialog is not None, timeout=WAIT_MS)
    dialog = window.settings_menu.dialog
    assert dialog is not None and dialog.pages.currentItem().text() == "Models"
    qtbot.waitUntil(lambda: any(e.name == "my-chat-model" for e in dialog.models.entries), timeout=WAIT_MS)
    assert asked == [dropped]
    assert Catalogue(data_dir).get("my-chat-model").path == dropped


def test_a_refused_gguf_drop_says_why_and_adds_nothing(
    qtbot: Any, window: MainWindow, drop_files: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    monkeypatch.setattr(ModelsPage, "ask_copy", lambda self, path: True)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: pytest.fail("no modal box expected"))
    drop_files(window.drop_zone, [bad])
    qtbot.waitUntil(lambda: window.settings_menu.dialog is not None, timeout=WAIT_MS)
    dialog = window.settings_menu.dialog
    assert dialog is not None
    models = dialog.models
    qtbot.waitUntil(lambda: "broken.gguf" in models.status() and not models.runner.is_running, timeout=WAIT_MS)
    assert "could not be read" in models.status() or "incomplete" in models.status()
    assert all(entry.source == "bundled" for entry in Catalogue(data_dir).entries(with_info=False))


def test_a_chosen_theme_stays_when_the_system_switches_scheme(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from ui.theme import apply_color_scheme, dark_palette

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.settings_menu.action.trigger()
    dialog = window.settings_menu.dialog
    assert dialog is not None
    theme = dialog.fields["theme"]
    try:
        theme.setCurrentIndex(theme.findData("dark"))  # type: ignore[attr-defined]
        dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
        window_colour = app.palette().color(QPalette.ColorRole.Window)
        assert window_colour == dark_palette().color(QPalette.ColorRole.Window)
        apply_color_scheme(app)  # what the system's colorSchemeChanged signal runs (light here, offscreen)
        assert app.palette().color(QPalette.ColorRole.Window) == window_colour
        theme.setCurrentIndex(theme.findData("system"))  # type: ignore[attr-defined]
        dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
        assert app.palette().color(QPalette.ColorRole.Window) != window_colour  # offscreen's system is light
    finally:
        from ui.theme import set_theme

        set_theme(app, None)
