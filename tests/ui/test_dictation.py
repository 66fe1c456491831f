"""The dictation widget: a microphone button on any text box, the shortcut, and jfk.flac fed through the
audio-source path (as a microphone would deliver it) into a real text box with the real speech model."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMainWindow, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from ui import dictation
from ui.dictation import (
    NO_MICROPHONE,
    DictationController,
    attach_dictation,
    insert_at_cursor,
    install_dictation_shortcut,
)

from .conftest import CORPUS

JFK = CORPUS / "audio" / "jfk.flac"
SENTENCE = "and so my fellow americans ask not what your country can do for you ask what you can do for your country"


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@pytest.fixture
def window(qtbot, transcriber):
    win = QMainWindow()
    central = QWidget()
    layout = QVBoxLayout(central)
    win.line = QLineEdit()
    win.notes = QPlainTextEdit()
    layout.addWidget(win.line)
    layout.addWidget(win.notes)
    win.setCentralWidget(central)
    win.controller = DictationController(transcriber, win)
    win.buttons = [attach_dictation(win.line, win.controller), attach_dictation(win.notes, win.controller)]
    qtbot.addWidget(win)
    win.show()
    yield win
    win.controller.shutdown()


def test_without_a_microphone_the_button_is_disabled_and_says_so(window, monkeypatch) -> None:
    monkeypatch.setattr(dictation, "microphone_available", lambda: False)
    button = attach_dictation(QLineEdit(window), window.controller)
    assert not button.isEnabled()
    assert button.toolTip() == NO_MICROPHONE


def test_with_a_microphone_the_button_offers_dictation_with_its_shortcut(window, monkeypatch) -> None:
    monkeypatch.setattr(dictation, "microphone_available", lambda: True)
    button = attach_dictation(QTextEdit(window), window.controller)
    assert button.isEnabled()
    assert button.toolTip().startswith("Dictate (") and "Space" in button.toolTip()


def test_button_sits_inside_the_text_box_corner(window) -> None:
    button = window.buttons[1]
    assert button.parent() is window.notes
    assert window.notes.rect().contains(button.geometry())


def test_dictated_text_goes_in_at_the_cursor_with_a_separating_space(qtbot) -> None:
    line = QLineEdit("Findings:")
    qtbot.addWidget(line)
    line.setCursorPosition(len(line.text()))
    insert_at_cursor(line, "pump seal leaking")
    assert line.text() == "Findings: pump seal leaking"
    edit = QTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText("Start  end")
    cursor = edit.textCursor()
    cursor.setPosition(6)
    edit.setTextCursor(cursor)
    insert_at_cursor(edit, "middle")
    assert edit.toPlainText() == "Start middle end"


def test_shortcut_without_a_microphone_explains_instead_of_failing(window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(dictation, "microphone_available", lambda: False)
    install_dictation_shortcut(window, window.controller)
    window.activateWindow()
    window.notes.setFocus()
    qtbot.waitUntil(lambda: window.notes.hasFocus(), timeout=10_000)
    with qtbot.waitSignal(window.controller.failed, timeout=10_000) as blocker:
        qtbot.keyClick(window.notes, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
    assert NO_MICROPHONE in blocker.args[0]
    assert window.notes.toPlainText() == ""


def test_jfk_dictated_through_the_audio_source_path_lands_in_the_text_box(window, qtbot) -> None:
    window.line.setText("Quote:")
    window.line.setCursorPosition(len("Quote:"))
    partials: list[str] = []
    levels: list[float] = []
    window.controller.partial.connect(partials.append)
    window.controller.level.connect(levels.append)
    window.controller.dictate_from_file(window.line, JFK, realtime=True)
    assert window.controller.is_listening
    assert window.controller.panel.isVisible()
    with qtbot.waitSignal(window.controller.finished, timeout=90_000):
        pass
    assert window.line.text().startswith("Quote: And so my fellow Americans")
    assert normalised(window.line.text()) == "quote " + SENTENCE
    assert partials, "partial text is shown while the person speaks"
    assert max(levels) > 0.5
    assert not window.controller.panel.isVisible()
    assert not window.controller.is_listening


def test_cancelled_dictation_inserts_nothing_and_stops_listening(window, qtbot) -> None:
    window.controller.dictate_from_file(window.notes, JFK, realtime=True)
    qtbot.waitUntil(lambda: window.controller.panel.isVisible(), timeout=10_000)
    window.controller.cancel()
    qtbot.waitUntil(lambda: not window.controller.is_listening, timeout=10_000)
    assert window.notes.toPlainText() == ""
    assert not window.controller.panel.isVisible()
