"""Voice in the main window: the Voice menu, the dictation shortcut, and a Transcription dock that receives
dropped or opened recordings. The window places ``menu`` and ``dock`` and shows ``error`` messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QMenu, QWidget

from assistant.speech.audio import is_audio_file
from ui.dictation import (
    DICTATION_SHORTCUT,
    DictationController,
    attach_dictation,
    install_dictation_shortcut,
    is_text_box,
)
from ui.transcription_view import AUDIO_FILTER, TranscriptionView
from ui.window_state import WindowState
from ui.workspace import Workspace

if TYPE_CHECKING:
    from ui.dictation import DictationButton, TextBox


class Voice(QObject):
    """Dictation into any text box of ``window`` and the transcription panel; one speech model for both."""

    error = Signal(str)

    def __init__(self, workspace: Workspace, state: WindowState, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.state = state
        self.dictation = DictationController(workspace.transcriber, self)
        self.shortcut = install_dictation_shortcut(window, self.dictation)
        self.transcription = TranscriptionView(workspace, state)
        self.dock = QDockWidget("Transcription", window)
        self.dock.setObjectName("transcriptionDock")
        self.dock.setWidget(self.transcription)
        self.dock.hide()
        # Dictation listens for the language chosen in the panel (remembered), else detects it.
        self.dictation.language = self.transcription.language
        self.transcription.language_combo.currentIndexChanged.connect(
            lambda _i: setattr(self.dictation, "language", self.transcription.language)
        )
        self._last_box: TextBox | None = None
        self.dictation.failed.connect(self.error)
        QApplication.instance().focusChanged.connect(self._remember_focus)  # type: ignore[union-attr]
        self.menu = self._build_menu()

    def _build_menu(self) -> QMenu:
        menu = QMenu("&Voice", self.window)
        menu.aboutToShow.connect(self.dictation.warm_up)  # the model is warm by the time it is needed
        self.transcribe_action = QAction("Transcribe a recording…", self.window)
        self.transcribe_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.transcribe_action.triggered.connect(self.choose_recording)
        self.record_action = QAction("Record a voice note", self.window)
        self.record_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.record_action.triggered.connect(self.record_note)
        # The key is held by the window-wide shortcut; the menu only names it (two owners would be ambiguous).
        shown = QKeySequence(DICTATION_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        self.dictate_action = QAction(f"Dictate into the text box\t{shown}", self.window)
        self.dictate_action.triggered.connect(lambda: self.shortcut.activated.emit())
        self.dictate_file_action = QAction("Dictate from file…", self.window)
        self.dictate_file_action.setToolTip("Feed a recording into the text box as if it were spoken")
        self.dictate_file_action.triggered.connect(self.choose_dictation_file)
        self.show_action = self.dock.toggleViewAction()
        self.show_action.setText("Show transcription panel")
        for action in (self.transcribe_action, self.record_action, self.dictate_action, self.dictate_file_action):
            menu.addAction(action)
        # Their shortcuts work even while the menu bar is hidden.
        self.window.addActions([self.transcribe_action, self.record_action])
        menu.addSeparator()
        menu.addAction(self.show_action)
        return menu

    # -- hooks for the window -------------------------------------------------------------------
    def open_recording(self, path: Path) -> bool:
        """Transcribe ``path`` in the dock if it is a recording; False for anything else."""
        if not is_audio_file(path):
            return False
        self.dock.show()
        self.dock.raise_()
        self.transcription.open_path(path)
        return True

    def attach(self, box: TextBox) -> DictationButton:
        """A microphone button for a text box of the window (the ask box, notes …)."""
        return attach_dictation(box, self.dictation)

    def shutdown(self) -> None:
        self.dictation.shutdown()
        self.transcription.shutdown()

    # -- actions --------------------------------------------------------------------------------
    def choose_recording(self) -> None:
        self.dock.show()
        self.transcription.choose_file()

    def record_note(self) -> None:
        self.dock.show()
        self.transcription.start_recording()

    def dictation_target(self) -> TextBox | None:
        focused = QApplication.focusWidget()
        if is_text_box(focused):
            return focused  # type: ignore[return-value]
        return self._last_box

    def choose_dictation_file(self) -> None:
        target = self.dictation_target()
        if target is None:
            self.error.emit("Click in a text box first, then choose Dictate from file.")
            return
        start = self.state.folder("recording")
        filename, _ = QFileDialog.getOpenFileName(self.window, "Dictate from a recording", start, AUDIO_FILTER)
        if filename:
            self.dictation.dictate_from_file(target, Path(filename))

    def _remember_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if is_text_box(new) and new is not None and new.window() is self.window:
            self._last_box = new  # type: ignore[assignment]

