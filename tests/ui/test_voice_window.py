"""Voice in the real main window: the Voice menu, recordings dropped on the window go to the transcription
panel (documents still go to the summary), and the dictation shortcut explains itself without a text box."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from ui.main_window import MainWindow
from ui.window_state import WindowState

from .conftest import CORPUS


@pytest.fixture
def window(qtbot, fast_session, ui_settings):
    win = MainWindow(fast_session, WindowState(ui_settings))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_voice_menu_offers_transcription_voice_notes_and_dictation(window) -> None:
    menus = {action.text().replace("&", ""): action.menu() for action in window.menuBar().actions()}
    assert "Voice" in menus
    entries = [a.text().split("\t")[0] for a in menus["Voice"].actions() if a.text()]
    assert entries[:4] == ["Transcribe a recording…", "Record a voice note", "Dictate into the text box",
                           "Dictate from file…"]
    assert "Ctrl+Shift+Space" in menus["Voice"].actions()[2].text()


def test_recording_dropped_on_the_window_is_transcribed_in_the_panel(window, qtbot, drop_files) -> None:
    panel = window.voice.transcription
    with qtbot.waitSignal(panel.transcript_finished, timeout=120_000) as blocker:
        assert drop_files(window, [CORPUS / "audio" / "jfk.flac"])
    assert window.voice.dock.isVisible()
    text = " ".join(s.text for s in blocker.args[0])
    assert re.sub(r"[^\w ]", "", text.lower()).startswith("and so my fellow americans")
    assert "English" in panel.header.text()
    assert window.document is None  # it did not go to the document reader


def test_dictation_shortcut_with_no_text_box_focused_says_where_to_click(window, qtbot) -> None:
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10_000)
    assert "text box" in window.banner.text()


def test_a_text_box_of_the_window_gets_a_microphone_button(window) -> None:
    box = QLineEdit(window)
    button = window.voice.attach(box)
    assert button.parent() is box
    assert button.toolTip() in ("No microphone found", "Dictate (Ctrl+Shift+Space)")


def test_jfk_dictated_through_the_audio_source_path_lands_in_the_real_windows_ask_box(window, qtbot) -> None:
    from ui.dictation import DictationButton

    ask_box = window.library.chat.question_edit
    assert ask_box.findChild(DictationButton) is not None, "the ask box has a microphone button"
    controller = window.voice.dictation
    controller.dictate_from_file(ask_box, CORPUS / "audio" / "jfk.flac", realtime=False)
    with qtbot.waitSignal(controller.finished, timeout=120_000):
        pass
    spoken = " ".join(re.sub(r"[^\w\s]", " ", ask_box.toPlainText().lower()).split())
    assert spoken == ("and so my fellow americans ask not what your country can do for you "
                      "ask what you can do for your country")
