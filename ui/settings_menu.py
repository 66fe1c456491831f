"""Hooks the settings into a main window: Edit > Settings… (Ctrl+,), a dropped ``.gguf`` opens the add-model
flow, and saved settings take effect at once (theme, default summary length and translation language;
models and performance settings are read by the Session at its next job)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QMainWindow, QMenu

from assistant.settings import Settings
from ui.settings_dialog import SettingsDialog
from ui.theme import apply_theme


def _select(combo: QComboBox | None, value: str) -> None:
    if combo is not None and (index := combo.findData(value)) >= 0:
        combo.setCurrentIndex(index)


class SettingsMenu(QObject):
    def __init__(self, window: QMainWindow, data_dir: Path) -> None:
        super().__init__(window)
        self.window = window
        self.data_dir = Path(data_dir)
        self.settings = Settings(self.data_dir)
        self.dialog: SettingsDialog | None = None
        self.action = QAction("&Settings…", window)
        self.action.setShortcuts([QKeySequence("Ctrl+,"), QKeySequence(QKeySequence.StandardKey.Preferences)])
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action.setStatusTip("Models, performance, default languages, theme and data folder")
        self.action.triggered.connect(lambda: self.open_dialog())
        window.addAction(self.action)
        self._edit_menu().addSeparator()
        self._edit_menu().addAction(self.action)
        if not self.settings.is_default("theme"):
            apply_theme(self.settings.get("theme"))

    def _edit_menu(self) -> QMenu:
        for action in self.window.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu) and action.text().replace("&", "") == "Edit":
                return menu
        return self.window.menuBar().addMenu("&Edit")

    def open_dialog(self, page: str | None = None) -> SettingsDialog:
        """Show the dialog (one at a time), on ``page`` if given."""
        if self.dialog is None:
            self.dialog = SettingsDialog(self.data_dir, self.window)
            self.dialog.saved.connect(self.apply)
            self.dialog.finished.connect(self._closed)
        if page is not None:
            for row in range(self.dialog.pages.count()):
                if self.dialog.pages.item(row).text() == page:
                    self.dialog.pages.setCurrentRow(row)
        self.dialog.open()
        self.dialog.raise_()
        return self.dialog

    def _closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def open_model(self, path: Path) -> bool:
        """A dropped or opened ``.gguf``: the add-model flow on the Models page. False for any other file."""
        if path.suffix.lower() != ".gguf":
            return False
        dialog = self.open_dialog("Models")
        dialog.models.add_model_file(path)
        return True

    def apply(self, names: list[str]) -> None:
        """Make just-saved settings visible now."""
        if "theme" in names:
            apply_theme(self.settings.get("theme"))
        if "summary.length" in names:
            _select(getattr(self.window, "length_combo", None), self.settings.get("summary.length"))
        if "translate.language" in names:
            _select(getattr(self.window, "language_combo", None), self.settings.get("translate.language"))


def install_settings(window: QMainWindow, data_dir: Path) -> SettingsMenu:
    return SettingsMenu(window, data_dir)
