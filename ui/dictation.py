"""Dictation in the GUI: a microphone button for any text box, a level meter with the partial text while
the person speaks, the final text inserted at the cursor, and a window-wide shortcut (Ctrl+Shift+Space).

The microphone is read with QtMultimedia into the core's audio-source interface (a ``QueueAudioSource``),
so "dictate from file" and the tests feed a recording through exactly the same path. The speech model
loads in the background (``DictationController.warm_up``) and stays loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtMultimedia import QAudioFormat, QAudioSource, QMediaDevices
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.speech.audio import AudioSource, FileAudioSource, QueueAudioSource, level, resample
from ui.job_runner import JobRunner

if TYPE_CHECKING:
    from assistant.speech.dictation import DictationResult, DictationUpdate
    from assistant.speech.transcriber import Transcriber

TextBox = QLineEdit | QTextEdit | QPlainTextEdit
DICTATION_SHORTCUT = "Ctrl+Shift+Space"
NO_MICROPHONE = "No microphone found"
MIC_IDLE, MIC_LISTENING = "🎤", "■"


def microphone_available() -> bool:
    return not QMediaDevices.defaultAudioInput().isNull()


def is_text_box(widget: QWidget | None) -> bool:
    return isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)) and not widget.isReadOnly()


def insert_at_cursor(box: TextBox, text: str) -> None:
    """Insert dictated ``text`` where the cursor is, with a space between it and a preceding word."""
    text = text.strip()
    if not text:
        return
    if isinstance(box, QLineEdit):
        before = box.text()[: box.cursorPosition()]
        box.insert((" " if before and not before[-1].isspace() else "") + text)
        return
    cursor = box.textCursor()
    block_text = cursor.block().text()[: cursor.positionInBlock()]
    cursor.insertText((" " if block_text and not block_text[-1].isspace() else "") + text)
    box.setTextCursor(cursor)


class MicrophoneSource(QObject):
    """The default microphone as an audio source: 16 kHz mono float32 chunks into a ``QueueAudioSource``.

    Lives in the GUI thread (Qt delivers the audio there); the chunks are read from the worker thread.
    """

    level = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = "microphone"
        device = QMediaDevices.defaultAudioInput()
        if device.isNull():
            from assistant.speech.audio import AudioError

            raise AudioError("No microphone found. Connect one, or dictate from a file.")
        wanted = QAudioFormat()
        wanted.setSampleRate(16_000)
        wanted.setChannelCount(1)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Float)
        self._format = wanted if device.isFormatSupported(wanted) else device.preferredFormat()
        self._queue = QueueAudioSource(self.name)
        self._audio = QAudioSource(device, self._format, self)
        self._io: Any = None

    @property
    def duration(self) -> float | None:
        return None

    def start(self) -> None:
        self._io = self._audio.start()
        self._io.readyRead.connect(self._read)

    def _read(self) -> None:
        if self._io is None:
            return
        data = bytes(self._io.readAll().data())
        if not data:
            return
        formats = QAudioFormat.SampleFormat
        kind = self._format.sampleFormat()
        samples: np.ndarray
        if kind == formats.Float:
            samples = np.frombuffer(data, dtype=np.float32)
        elif kind == formats.Int16:
            samples = np.frombuffer(data, dtype=np.int16).astype(np.float32) / 32768
        elif kind == formats.Int32:
            samples = np.frombuffer(data, dtype=np.int32).astype(np.float32) / 2**31
        else:
            samples = (np.frombuffer(data, dtype=np.uint8).astype(np.float32) - 128) / 128
        channels = max(1, self._format.channelCount())
        if channels > 1:
            samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
        chunk = resample(samples, self._format.sampleRate())
        self._queue.push(chunk)
        self.level.emit(level(chunk))

    def stop(self) -> None:
        """Stop recording; the session then finishes the text from what was heard."""
        self._read()
        self._audio.stop()
        self._io = None
        self._queue.finish()

    # -- the audio-source interface ------------------------------------------------------------
    def chunks(self) -> Iterator[np.ndarray]:
        return self._queue.chunks()

    def close(self) -> None:
        if not self._queue.finished:
            self.stop()


class DictationPanel(QFrame):
    """A small panel under the text box: a live level meter and the partial text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip)
        self.setObjectName("dictationPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.meter = QProgressBar()
        self.meter.setObjectName("dictationLevel")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.meter.setAccessibleName("Microphone level")
        self.label = QLabel()
        self.label.setObjectName("dictationPartial")
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(280)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.meter)
        layout.addWidget(self.label)

    def show_for(self, box: QWidget, message: str) -> None:
        self.label.setText(message)
        self.meter.setValue(0)
        self.adjustSize()
        self.move(box.mapToGlobal(QPoint(0, box.height() + 2)))
        self.show()

    def set_level(self, value: float) -> None:
        self.meter.setValue(round(value * 100))

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.adjustSize()


class DictationController(QObject):
    """Runs one dictation at a time into a text box; shared by every microphone button of a window."""

    started = Signal(QObject)  # the target text box
    partial = Signal(str)
    level = Signal(float)
    finished = Signal(str)
    failed = Signal(str)
    listening_changed = Signal(bool)

    def __init__(self, transcriber: Transcriber, parent: QObject | None = None, *, language: str | None = None) -> None:
        super().__init__(parent)
        self.transcriber = transcriber  # the data folder's one speech model, shared with transcription
        self.language = language
        self._runner = JobRunner(self)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._runner.progress.connect(self._on_progress)
        self._warm_runner = JobRunner(self)
        self._target: TextBox | None = None
        self._source: AudioSource | None = None
        self._listening = False
        self.last_result: DictationResult | None = None
        self.panel = DictationPanel()
        self.partial.connect(self.panel.set_text)
        self.level.connect(self.panel.set_level)

    # -- state ----------------------------------------------------------------------------------
    @property
    def is_busy(self) -> bool:
        return self._runner.is_running

    @property
    def is_listening(self) -> bool:
        return self._listening

    @property
    def target(self) -> TextBox | None:
        return self._target

    def warm_up(self) -> None:
        """Load the speech model in the background so the first dictation does not wait for it."""
        if not self.transcriber.is_loaded and not self._warm_runner.is_running:
            self._warm_runner.start(self.transcriber.load)

    # -- starting and stopping ------------------------------------------------------------------
    def toggle(self, target: QWidget | None) -> None:
        """The shortcut and the button: start listening into ``target``, or stop and finish the text."""
        if self._listening:
            self.stop()
        elif is_text_box(target):
            self.start(target)  # type: ignore[arg-type]

    def start(self, target: TextBox, source: AudioSource | None = None) -> None:
        """Listen to ``source`` (default: the microphone) and insert the final text into ``target``."""
        if self._runner.is_running:
            self._runner.cancel()
        if source is None:
            try:
                microphone = MicrophoneSource(self)
            except Exception as error:  # noqa: BLE001 - no device: a message, not a crash
                self.failed.emit(str(error))
                return
            microphone.level.connect(self.level)
            microphone.start()
            source = microphone
        self._target = target
        self._source = source
        self._set_listening(True)
        self.panel.show_for(target, "Listening … (press again or Ctrl+Shift+Space to stop)")
        self.started.emit(target)
        from assistant.speech.dictation import DictationSession

        # None: the spoken-language setting decides (detect unless the person chose one).
        language = self.language if self.language is not None else self.transcriber.default_language()
        session = DictationSession(self.transcriber, language)
        self._runner.start(partial(session.run, source), on_item=self._on_update, on_finished=self._on_finished)

    def dictate_from_file(self, target: TextBox, path: Path, *, realtime: bool = True) -> None:
        """Feed a recording as if it were spoken into the microphone (debugging, demos, tests)."""
        try:
            source = FileAudioSource(path, realtime=realtime)
        except Exception as error:  # noqa: BLE001 - AudioError: shown to the person
            self.failed.emit(str(error))
            return
        self.start(target, source)

    def stop(self) -> None:
        """The person stopped speaking: close the microphone; the final text follows shortly."""
        if self._source is not None:
            self._source.close()
        self._set_listening(False)
        if self._runner.is_running:
            self.panel.set_text("Finishing the text …")

    def cancel(self) -> None:
        if self._source is not None:
            self._source.close()
        self._runner.cancel()

    def shutdown(self) -> None:
        self.cancel()
        self.panel.hide()
        self._runner.shutdown()
        self._warm_runner.shutdown()

    # -- results --------------------------------------------------------------------------------
    def _set_listening(self, listening: bool) -> None:
        if listening != self._listening:
            self._listening = listening
            self.listening_changed.emit(listening)

    def _on_progress(self, _done: int, _total: int, message: str) -> None:
        if message.startswith("Loading"):
            self.panel.set_text(f"{message} (keep speaking; nothing is lost)")

    def _end(self) -> None:
        self._set_listening(False)
        if isinstance(self._source, MicrophoneSource):
            self._source.close()
            self._source.deleteLater()
        self._source = None
        self.panel.hide()

    def _on_update(self, update: DictationUpdate) -> None:
        from assistant.speech.dictation import InputLevel

        if not isinstance(update, InputLevel):
            self.partial.emit(update.text)
        elif not isinstance(self._source, MicrophoneSource):  # a microphone reports its level itself, at once
            self.level.emit(update.value)

    def _on_finished(self, result: DictationResult) -> None:
        self.last_result = result
        text = result.text
        target = self._target
        self._end()
        if target is not None and text:
            insert_at_cursor(target, text)
        if not text:
            self.failed.emit("No speech was heard. Speak closer to the microphone and try again.")
        self.finished.emit(text)

    def _on_failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def _on_cancelled(self) -> None:
        self._end()


class DictationButton(QToolButton):
    """A microphone button placed in the corner of a text box; click to dictate, click again to stop."""

    def __init__(self, box: TextBox, controller: DictationController) -> None:
        super().__init__(box)
        self.box = box
        self.controller = controller
        self.setObjectName("dictationButton")
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text box keeps the focus and its cursor
        self.setAccessibleName("Dictate")
        self.clicked.connect(self._clicked)
        controller.listening_changed.connect(self._refresh)
        box.installEventFilter(self)
        self._refresh()
        self._place()

    @property
    def available(self) -> bool:
        return microphone_available()

    def _refresh(self, *_args: object) -> None:
        mine = self.controller.target is self.box and self.controller.is_listening
        self.setText(MIC_LISTENING if mine else MIC_IDLE)
        if not self.available:
            self.setEnabled(False)
            self.setToolTip(NO_MICROPHONE)
            return
        self.setEnabled(True)
        shortcut = QKeySequence(DICTATION_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        self.setToolTip(f"Stop and insert the text ({shortcut})" if mine else f"Dictate ({shortcut})")

    def _clicked(self) -> None:
        self.box.setFocus()
        self.controller.toggle(self.box)

    def _place(self) -> None:
        size = self.sizeHint()
        margin = 2
        self.resize(size)
        self.move(self.box.width() - size.width() - margin, self.box.height() - size.height() - margin)
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        elif watched is self.box and event.type() == QEvent.Type.FocusIn and self.available:
            self.controller.warm_up()  # someone is about to type or speak: have the model ready
        return False


def attach_dictation(box: TextBox, controller: DictationController) -> DictationButton:
    """Give ``box`` a microphone button (disabled, saying so, when there is no microphone)."""
    button = DictationButton(box, controller)
    if isinstance(box, QLineEdit):
        box.setTextMargins(0, 0, button.sizeHint().width(), 0)
    return button


def install_dictation_shortcut(window: QWidget, controller: DictationController) -> QShortcut:
    """Ctrl+Shift+Space anywhere in the window: dictate into the focused text box, or stop."""
    shortcut = QShortcut(QKeySequence(DICTATION_SHORTCUT), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)

    def toggle() -> None:
        if controller.is_listening:
            controller.stop()
            return
        focused = QApplication.focusWidget()
        if not is_text_box(focused):
            controller.failed.emit("Click in a text box first, then press the dictation shortcut.")
        elif not microphone_available():
            controller.failed.emit(f"{NO_MICROPHONE}: connect one, or use Dictate from file.")
        else:
            controller.toggle(focused)

    shortcut.activated.connect(toggle)
    return shortcut

