"""What the window remembers between runs that is not a preference: its geometry, where its splitters were, which
side panels were shown, how wide the key points were, the folder each file dialog last used, the Fast/Thorough
choice, and whether the passage viewer marks the words OCR was unsure of. All of it is declared here, in one place.

Preferences (summary length, translation language, spoken language, theme, models) are not window state: they
are declared in ``assistant/settings.py`` and kept in the data folder, where ``edgewise config`` changes them too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QAbstractButton, QSplitter, QWidget

#: The file dialogs that remember their folder; the values are the keys used since the first release.
Folder = Literal["open", "save", "recording", "transcript", "library"]
_FOLDER_KEYS: dict[Folder, str] = {
    "open": "paths/open_dir",
    "save": "paths/save_dir",
    "recording": "paths/recording_dir",
    "transcript": "paths/transcript_dir",
    "library": "library/last_folder",
}
_GEOMETRY_KEY = "window/geometry"
_SPLITTER_KEY = "window/splitters/{}"
_THOROUGH_KEY = "summary/thorough"
_DOUBTFUL_WORDS_KEY = "reader/mark_doubtful_words"
#: The side panels a person can hide (the Library tab's conversations, and its documents with their search).
Panel = Literal["conversations", "library documents"]
_PANEL_KEY = "window/panels/{}"
_KEY_POINTS_WIDTH_KEY = "window/key_points_width"
KEY_POINTS_WIDTH = 340  # wide enough for a point of two or three lines with its page


class WindowState:
    """The window's own memory, in Qt's per-user settings (or ``store``, e.g. a test's ini file)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings("Edgewise", "Edgewise")

    # -- geometry and splitters --------------------------------------------------------------------
    def restore_geometry(self, window: QWidget) -> bool:
        geometry = self.store.value(_GEOMETRY_KEY)
        return isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)

    def save_geometry(self, window: QWidget) -> None:
        self.store.setValue(_GEOMETRY_KEY, window.saveGeometry())

    def keep_splitter(self, splitter: QSplitter, name: str) -> None:
        """Put ``splitter`` where it was last left, and remember each move."""
        key = _SPLITTER_KEY.format(name)
        state = self.store.value(key)
        if isinstance(state, QByteArray):
            splitter.restoreState(state)
        splitter.splitterMoved.connect(lambda _pos, _index: self.store.setValue(key, splitter.saveState()))

    def keep_panel(self, toggle: QAbstractButton, name: Panel, panel: QWidget) -> None:
        """Show ``panel`` while the checkable ``toggle`` is checked, as it was last left."""
        key = _PANEL_KEY.format(name)
        toggle.setChecked(bool(self.store.value(key, True, type=bool)))
        panel.setVisible(toggle.isChecked())
        toggle.toggled.connect(panel.setVisible)
        toggle.toggled.connect(lambda shown: self.store.setValue(key, shown))

    @property
    def key_points_width(self) -> int:
        width = self.store.value(_KEY_POINTS_WIDTH_KEY, KEY_POINTS_WIDTH, type=int)
        return width if isinstance(width, int) and width > 0 else KEY_POINTS_WIDTH

    @key_points_width.setter
    def key_points_width(self, width: int) -> None:
        self.store.setValue(_KEY_POINTS_WIDTH_KEY, width)

    # -- file dialogs --------------------------------------------------------------------------------
    def folder(self, purpose: Folder, default: Path | None = None) -> str:
        """The folder the ``purpose`` dialog used last, else ``default`` (the home folder when not given)."""
        value = self.store.value(_FOLDER_KEYS[purpose], "")
        if isinstance(value, str) and value:
            return value
        return str(default if default is not None else Path.home())

    def remember_folder(self, purpose: Folder, folder: Path | str) -> None:
        self.store.setValue(_FOLDER_KEYS[purpose], str(folder))

    # -- the summary mode ------------------------------------------------------------------------------
    @property
    def thorough(self) -> bool:
        return bool(self.store.value(_THOROUGH_KEY, False, type=bool))

    @thorough.setter
    def thorough(self, value: bool) -> None:
        self.store.setValue(_THOROUGH_KEY, value)

    # -- the passage viewer ------------------------------------------------------------------------------
    @property
    def mark_doubtful_words(self) -> bool:
        """Whether a page read by OCR is shown as the text read, its doubtful words marked."""
        return bool(self.store.value(_DOUBTFUL_WORDS_KEY, False, type=bool))

    @mark_doubtful_words.setter
    def mark_doubtful_words(self, value: bool) -> None:
        self.store.setValue(_DOUBTFUL_WORDS_KEY, value)

    def sync(self) -> None:
        self.store.sync()
