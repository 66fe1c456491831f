"""Edit > Settings… (Ctrl+,): the settings dialog of the data folder, one at a time; a dropped ``.gguf`` opens
its add-model flow. Saved settings take effect at once: the theme here, the rest wherever they are read
(``applied`` names them, e.g. for the window's default summary length; models and performance are read by the
workspace at its next job)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from ui.settings_dialog import SettingsDialog
from ui.theme import apply_theme
from ui.workspace import Workspace


class SettingsMenu(QObject):
    """The Settings action (for the window's Edit menu) and the dialog it opens."""

    applied = Signal(list)  # names of the settings just saved

    def __init__(self, workspace: Workspace, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.dialog: SettingsDialog | None = None
        self.action = QAction("&Settings…", window)
        self.action.setShortcuts([QKeySequence("Ctrl+,"), QKeySequence(QKeySequence.StandardKey.Preferences)])
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action.setStatusTip("Models, performance, default languages, theme and data folder")
        self.action.triggered.connect(lambda: self.open_dialog())
        if not workspace.settings.is_default("theme"):
            apply_theme(workspace.settings.get("theme"))

    def open_dialog(self, page: str | None = None) -> SettingsDialog:
        """Show the dialog (one at a time), on ``page`` if given."""
        if self.dialog is None:
            self.dialog = SettingsDialog(self.workspace.catalogue, self.window, calibrate=self.workspace.calibrate)
            self.dialog.saved.connect(self._apply)
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

    def _apply(self, names: list[str]) -> None:
        if "theme" in names:
            apply_theme(self.workspace.settings.get("theme"))
        self.applied.emit(names)
