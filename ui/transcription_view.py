"""Recordings into text: drop an audio file (or record a voice note) and its segments appear with their
times as they are recognised, with the detected language, progress by audio time, Stop, export to
TXT/SRT/VTT/JSON, a summary through the summary pipeline, and saving into the library.

Transcription runs on one JobRunner; the follow-ups (the summary, saving into the library) on another, so a
summary can be written while the next recording is transcribed. Both show in the one progress display.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.speech.audio import AUDIO_SUFFIXES, AudioSource, format_clock
from ui.dictation import NO_MICROPHONE, MicrophoneSource, microphone_available
from ui.drop_zone import dropped_local_files
from ui.elided_label import ElidedLabel
from ui.error_banner import ErrorBanner
from ui.job_progress import JobProgress
from ui.job_runner import JobRunner
from ui.result_view import ResultView
from ui.window_state import WindowState
from ui.workspace import Workspace

if TYPE_CHECKING:
    from assistant.speech.audio import RecordingAudioSource
    from assistant.speech.transcriber import TranscriptSegment

AUDIO_FILTER = "Recordings (" + " ".join(f"*{s}" for s in sorted(AUDIO_SUFFIXES)) + ");;All files (*)"
EXPORT_FILTERS = {
    "srt": "SubRip subtitles (*.srt)",
    "vtt": "WebVTT subtitles (*.vtt)",
    "txt": "Text with time marks (*.txt)",
    "json": "JSON (*.json)",
}


class TranscriptionView(QWidget):
    """One recording at a time; transcription and the follow-up jobs run through ``JobRunner``s."""

    transcript_finished = Signal(list)  # the segments

    def __init__(self, workspace: Workspace, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptionView")
        self.workspace = workspace
        self.state = state
        self.runner = JobRunner(self)  # transcription
        self.follow_up = JobRunner(self)  # summary, saving into the library
        self.segments: list[TranscriptSegment] = []
        self.source_name = ""
        self._total = 0
        self._recording: RecordingAudioSource | None = None  # keeps a voice note's audio for the library
        self._microphone: MicrophoneSource | None = None
        self._build()
        self._connect()
        self.setAcceptDrops(True)
        self._update_actions()

    # ---- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        from assistant.text.language import TRANSLATION_LANGUAGES

        self.banner = ErrorBanner()
        self.open_button = QPushButton("Open recording…")
        self.open_button.setToolTip("Transcribe a WAV, FLAC, MP3, M4A or OGG file (or drop it here)")
        self.record_button = QPushButton("Record voice note")
        self.record_button.setCheckable(True)
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName("Spoken language")
        self.language_combo.addItem("Detect language", "")
        for code, name in TRANSLATION_LANGUAGES.items():
            self.language_combo.addItem(name, code)
        remembered = self.language_combo.findData(self._stored_language())
        self.language_combo.setCurrentIndex(max(0, remembered))
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop transcribing (Esc)")
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.record_button)
        top.addStretch(1)
        top.addWidget(QLabel("Language"))
        top.addWidget(self.language_combo)
        top.addWidget(self.stop_button)

        self.header = ElidedLabel("Drop a recording here, open one, or record a voice note.")
        self.header.setObjectName("transcriptHeader")

        self.segment_list = QTreeWidget()
        self.segment_list.setObjectName("transcriptSegments")
        self.segment_list.setHeaderLabels(["Time", "Language", "Text"])
        self.segment_list.setRootIsDecorated(False)
        self.segment_list.setWordWrap(True)
        self.segment_list.setAlternatingRowColors(True)
        self.segment_list.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.summary_view = ResultView()
        self.summary_view.setPlaceholderText("Summarise the transcript to see its summary here.")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.segment_list)
        splitter.addWidget(self.summary_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.state.keep_splitter(splitter, "transcript")

        self.export_buttons = {fmt: QPushButton(f"Export {fmt.upper()}…") for fmt in ("txt", "srt", "vtt")}
        self.summarise_button = QPushButton("Summarise transcript")
        self.library_button = QPushButton("Save to library")
        self.library_button.setToolTip("Keep the transcript (with its time marks) in the library, to search and cite")
        self.progress = JobProgress()
        bottom = QHBoxLayout()
        for button in self.export_buttons.values():
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.summarise_button)
        bottom.addWidget(self.library_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.progress)

    def _connect(self) -> None:
        self.open_button.clicked.connect(self.choose_file)
        self.record_button.clicked.connect(self._record_clicked)
        self.stop_button.clicked.connect(self.stop)
        self.language_combo.currentIndexChanged.connect(self._store_language)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _checked=False, f=fmt: self.choose_export(f))
        self.summarise_button.clicked.connect(self.summarise)
        self.library_button.clicked.connect(self.save_to_library)
        self.progress.follow(self.runner, lambda done, total: f"{format_clock(done)} of {format_clock(total)}")
        self.progress.follow(self.follow_up)
        self.runner.progress.connect(self._on_progress)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.running_changed.connect(self._update_actions)
        self.follow_up.failed.connect(self._on_failed)
        self.follow_up.running_changed.connect(self._update_actions)

    # ---- state --------------------------------------------------------------------------------
    @property
    def language(self) -> str | None:
        return str(self.language_combo.currentData()) or None

    @property
    def languages(self) -> list[str]:
        from assistant.speech.transcriber import detected_languages

        return detected_languages(self.segments)

    @property
    def is_running(self) -> bool:
        return self.runner.is_running

    def status(self) -> str:
        return self.progress.status()

    def _update_actions(self, *_args: object) -> None:
        busy = self.runner.is_running
        has_text = bool(self.segments) and not busy
        for button in self.export_buttons.values():
            button.setEnabled(has_text)
        self.summarise_button.setEnabled(has_text and not self.follow_up.is_running)
        self.library_button.setEnabled(has_text and not self.follow_up.is_running)
        self.stop_button.setEnabled(busy or self.follow_up.is_running)
        self.open_button.setEnabled(self._microphone is None)
        if microphone_available():
            self.record_button.setEnabled(not busy or self._microphone is not None)
            self.record_button.setToolTip("Record a voice note; press again to stop and transcribe it")
        else:
            self.record_button.setEnabled(False)
            self.record_button.setToolTip(NO_MICROPHONE)

    # ---- the spoken language: one setting (speech.language) shared with dictation and the CLI ---------
    def _stored_language(self) -> str:
        chosen = self.workspace.settings.get("speech.language")
        return "" if chosen == "auto" else chosen

    def _store_language(self, _index: int = 0) -> None:
        self.workspace.settings.set("speech.language", self.language or "auto")

    # ---- transcription ------------------------------------------------------------------------
    def choose_file(self) -> None:
        start = self.state.folder("recording")
        filename, _ = QFileDialog.getOpenFileName(self, "Open a recording", start, AUDIO_FILTER)
        if filename:
            self.state.remember_folder("recording", Path(filename).parent)
            self.open_path(Path(filename))

    def open_path(self, path: Path) -> None:
        """Transcribe the recording at ``path``; segments appear as they are recognised."""
        self._begin(path.name, path)

    def transcribe_source(self, source: AudioSource, name: str) -> None:
        """Transcribe any audio source (a recording in progress, a test feed); its audio is kept for the library."""
        self._begin(name, source)

    def _begin(self, name: str, source: AudioSource | Path) -> None:
        from assistant.speech.audio import RecordingAudioSource

        self.banner.hide()
        self.segments = []
        self.segment_list.clear()
        self.summary_view.set_result("")
        self.source_name = name
        self._recording = None
        self._total = 0
        self.header.setText(f"{name} · listening for the language …")
        if not isinstance(source, Path):
            source = self._recording = RecordingAudioSource(source)
        job = partial(self.workspace.transcribe, source, self.language)
        self.runner.start(job, on_item=self._add_segment, on_finished=self._on_finished)
        self.progress.show_progress(0, 0, "Starting …")

    def stop(self) -> None:
        if self._microphone is not None:
            self._stop_recording()
            return
        self.runner.cancel()
        self.follow_up.cancel()

    def _add_segment(self, segment: TranscriptSegment) -> None:
        from assistant.text.language import language_name

        self.segments.append(segment)
        stamp = f"{format_clock(segment.start)}–{format_clock(segment.end)}"
        item = QTreeWidgetItem([stamp, language_name(segment.language) if segment.language else "", segment.text])
        item.setToolTip(2, segment.text)
        self.segment_list.addTopLevelItem(item)
        self.segment_list.scrollToItem(item)
        self._show_header()

    def _show_header(self) -> None:
        from assistant.text.language import language_name

        parts = [self.source_name]
        if self.languages:
            parts.append(", ".join(language_name(code) for code in self.languages))
        if self._total:
            parts.append(format_clock(self._total))
        self.header.setText(" · ".join(parts))

    def _on_progress(self, _done: int, total: int, _message: str) -> None:
        self._total = total or self._total

    def _on_finished(self, found: list[TranscriptSegment]) -> None:
        self._show_header()
        if not found:
            self.progress.set_status("")
            self.banner.show_error(f"No speech was found in {self.source_name}.")
        else:
            self.progress.set_status(f"Transcribed {self.source_name}: {len(found)} segments")
        self._update_actions()
        self.transcript_finished.emit(list(self.segments))

    def _on_failed(self, message: str) -> None:
        self.progress.set_status("")
        self.banner.show_error(message)
        self._update_actions()

    def _on_cancelled(self) -> None:
        self.progress.set_status(f"Stopped; {len(self.segments)} segments kept")
        self._update_actions()

    # ---- voice notes --------------------------------------------------------------------------
    def _record_clicked(self) -> None:
        if self._microphone is None:
            self.start_recording()
        else:
            self._stop_recording()

    def start_recording(self) -> None:
        from assistant.speech.voice_notes import new_note_name

        try:
            microphone = MicrophoneSource(self)
        except Exception as error:  # noqa: BLE001 - no device: say so
            self.banner.show_error(str(error))
            self.record_button.setChecked(False)
            return
        self._microphone = microphone
        microphone.start()
        self.record_button.setChecked(True)
        self.record_button.setText("Stop and transcribe")
        self.transcribe_source(microphone, new_note_name())
        self.progress.set_status("Recording … press Stop and transcribe when you are done")

    def _stop_recording(self) -> None:
        microphone, self._microphone = self._microphone, None
        if microphone is not None:
            microphone.stop()
        self.record_button.setChecked(False)
        self.record_button.setText("Record voice note")
        self._update_actions()

    # ---- what can be done with a transcript ---------------------------------------------------
    def choose_export(self, fmt: str) -> None:
        start = Path(self.state.folder("transcript"))
        suggested = start / f"{Path(self.source_name).stem or 'transcript'}.{fmt}"
        filename, _ = QFileDialog.getSaveFileName(self, "Export the transcript", str(suggested), EXPORT_FILTERS[fmt])
        if filename:
            path = Path(filename)
            if path.suffix.lower().lstrip(".") not in EXPORT_FILTERS:
                path = path.with_name(path.name + f".{fmt}")
            self.state.remember_folder("transcript", path.parent)
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        from assistant.errors import EdgewiseError
        from assistant.speech.transcripts import save

        try:
            save(self.segments, path, self.source_name)
        except EdgewiseError as error:
            self.banner.show_error(str(error))
            return
        self.progress.set_status(f"Saved {path.name}")

    def summarise(self) -> None:
        from assistant.speech.transcripts import transcript_document

        if not self.segments:
            return
        document = transcript_document(self.segments, self.source_name)
        self.summary_view.begin_stream()
        self.follow_up.start(partial(self.workspace.summarize, document, "brief"),
                             on_item=self.summary_view.append_delta, on_finished=self._on_summary_finished,
                             on_cancelled=self._on_summary_stopped)
        self.progress.set_status("Summarising the transcript …")

    def save_to_library(self) -> None:
        if not self.segments:
            return
        audio = self._recording.recording() if self._recording is not None else None
        job = partial(self.workspace.keep_transcript, list(self.segments), self.source_name, audio=audio)
        self.follow_up.start(job, on_finished=self._on_saved_to_library, on_cancelled=self._on_save_stopped)
        self.progress.set_status("Adding the transcript to the library …")

    def _on_summary_finished(self, _summary: str) -> None:
        self.summary_view.end_stream()
        self.progress.set_status("Summary ready")
        self._update_actions()

    def _on_saved_to_library(self, path: Path) -> None:
        self.progress.set_status(f"Saved to the library as {path.name}")
        self._update_actions()

    def _on_summary_stopped(self) -> None:
        self.summary_view.end_stream()
        self.progress.set_status("Stopped; the summary so far is kept")
        self._update_actions()

    def _on_save_stopped(self) -> None:
        self.progress.set_status("Stopped; the transcript file is kept, its indexing resumes at the next rescan")
        self._update_actions()

    # ---- keys, drops and shutdown -------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A key event, not a shortcut: the window's own Esc (Stop) must not be made ambiguous.
        if event.key() == Qt.Key.Key_Escape and (self.is_running or self.follow_up.is_running):
            self.stop()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        paths = dropped_local_files(event.mimeData())
        if len(paths) == 1 and paths[0].suffix.lower() in AUDIO_SUFFIXES:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_local_files(event.mimeData())
        if len(paths) == 1 and paths[0].suffix.lower() in AUDIO_SUFFIXES:
            event.acceptProposedAction()
            self.open_path(paths[0])
        else:
            event.ignore()

    def shutdown(self) -> None:
        if self._microphone is not None:
            self._stop_recording()
        self.runner.shutdown()
        self.follow_up.shutdown()
