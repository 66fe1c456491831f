"""Recordings into text: drop an audio file (or record a voice note) and its segments appear with their
times as they are recognised, with the detected language, progress by audio time, Stop, export to
TXT/SRT/VTT/JSON, a summary through the summary pipeline, and saving into the library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.jobs import CancelToken, ProgressCallback
from assistant.speech.audio import AUDIO_SUFFIXES, format_clock
from ui.dictation import NO_MICROPHONE, MicrophoneSource, _safe, microphone_available
from ui.drop_zone import dropped_local_files
from ui.error_banner import ErrorBanner
from ui.result_view import ResultView
from ui.workers import JobRunner

if TYPE_CHECKING:
    from assistant.session import Session
    from assistant.speech.transcriber import TranscriptSegment

AUDIO_FILTER = "Recordings (" + " ".join(f"*{s}" for s in sorted(AUDIO_SUFFIXES)) + ");;All files (*)"
EXPORT_FILTERS = {
    "srt": "SubRip subtitles (*.srt)",
    "vtt": "WebVTT subtitles (*.vtt)",
    "txt": "Text with time marks (*.txt)",
    "json": "JSON (*.json)",
}


class _SegmentRelay(QObject):
    segment = Signal(object)


class TranscriptionView(QWidget):
    """One recording at a time; transcription and the follow-up jobs run through ``JobRunner``s."""

    transcript_finished = Signal(list)  # the segments

    def __init__(self, session: Session, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptionView")
        self._session = session
        self._settings = settings if settings is not None else QSettings("Edgewise", "Edgewise")
        self._runner = JobRunner(self)  # transcription
        self._follow_up = JobRunner(self)  # summary, saving into the library
        self._relay = _SegmentRelay(self)
        self._relay.segment.connect(self._add_segment)
        self.segments: list[TranscriptSegment] = []
        self.source_name = ""
        self._total = 0
        self._recording: np.ndarray | None = None
        self._microphone: MicrophoneSource | None = None
        self._follow_up_kind = ""  # "summary" or "library"
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

        self.header = QLabel("Drop a recording here, open one, or record a voice note.")
        self.header.setObjectName("transcriptHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("transcriptProgress")
        self.progress_bar.hide()

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

        self.export_buttons = {fmt: QPushButton(f"Export {fmt.upper()}…") for fmt in ("txt", "srt", "vtt")}
        self.summarise_button = QPushButton("Summarise transcript")
        self.library_button = QPushButton("Save to library")
        self.library_button.setToolTip("Keep the transcript (with its time marks) in the library, to search and cite")
        self.status_label = QLabel()
        self.status_label.setObjectName("transcriptStatus")
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
        layout.addWidget(self.progress_bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.status_label)

    def _connect(self) -> None:
        self.open_button.clicked.connect(self.choose_file)
        self.record_button.clicked.connect(self._record_clicked)
        self.stop_button.clicked.connect(self.stop)
        self.language_combo.currentIndexChanged.connect(self._store_language)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _checked=False, f=fmt: self.choose_export(f))
        self.summarise_button.clicked.connect(self.summarise)
        self.library_button.clicked.connect(self.save_to_library)
        self._runner.progress.connect(self._on_progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._runner.running_changed.connect(self._update_actions)
        self._follow_up.text.connect(self._on_summary_text)
        self._follow_up.finished.connect(self._on_follow_up_finished)
        self._follow_up.failed.connect(self._on_failed)
        self._follow_up.progress.connect(lambda _d, _t, message: self.status_label.setText(message))
        self._follow_up.running_changed.connect(self._update_actions)

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
        return self._runner.is_running

    def _update_actions(self, *_args: object) -> None:
        busy = self._runner.is_running
        has_text = bool(self.segments) and not busy
        for button in self.export_buttons.values():
            button.setEnabled(has_text)
        self.summarise_button.setEnabled(has_text and not self._follow_up.is_running)
        self.library_button.setEnabled(has_text and not self._follow_up.is_running)
        self.stop_button.setEnabled(busy or self._follow_up.is_running)
        self.open_button.setEnabled(self._microphone is None)
        if microphone_available():
            self.record_button.setEnabled(not busy or self._microphone is not None)
            self.record_button.setToolTip("Record a voice note; press again to stop and transcribe it")
        else:
            self.record_button.setEnabled(False)
            self.record_button.setToolTip(NO_MICROPHONE)

    # ---- the spoken language: one setting (speech.language) shared with dictation and the CLI ---------
    def _core_settings(self) -> Any:
        from assistant.settings import Settings

        data_dir = getattr(self._session, "data_dir", None)
        return Settings(data_dir) if data_dir is not None else None

    def _stored_language(self) -> str:
        settings = self._core_settings()
        chosen = settings.get("speech.language") if settings is not None else "auto"
        return "" if chosen == "auto" else chosen

    def _store_language(self, _index: int = 0) -> None:
        settings = self._core_settings()
        if settings is not None:
            settings.set("speech.language", self.language or "auto")

    # ---- transcription ------------------------------------------------------------------------
    def choose_file(self) -> None:
        start = str(self._settings.value("paths/recording_dir", str(Path.home())))
        filename, _ = QFileDialog.getOpenFileName(self, "Open a recording", start, AUDIO_FILTER)
        if filename:
            self._settings.setValue("paths/recording_dir", str(Path(filename).parent))
            self.open_path(Path(filename))

    def open_path(self, path: Path) -> None:
        """Transcribe the recording at ``path``; segments appear as they are recognised."""
        self._begin(path.name, path)

    def transcribe_source(self, source: Any, name: str) -> None:
        """Transcribe any audio source (a recording in progress, a test feed)."""
        self._begin(name, source)

    def _begin(self, name: str, source: Any) -> None:
        from assistant.speech.audio import RecordingAudioSource
        from assistant.speech.transcriber import shared_transcriber

        self.banner.hide()
        self.segments = []
        self.segment_list.clear()
        self.summary_view.set_result("")
        self.source_name = name
        self._recording = None
        self._total = 0
        self.header.setText(f"{name} · listening for the language …")
        data_dir = getattr(self._session, "data_dir", None)
        if data_dir is None:
            self.banner.show_error("Transcription needs the data folder with its models; none was given.")
            return
        transcriber = shared_transcriber(data_dir)
        language = self.language
        emit = _safe(self._relay.segment.emit)
        keep = RecordingAudioSource(source) if not isinstance(source, Path) else None

        def job(progress: ProgressCallback, cancel: CancelToken) -> Any:
            found = []
            for segment in transcriber.transcribe(keep or source, language, progress=progress, cancel=cancel):
                found.append(segment)
                emit(segment)
            return (found, keep.recording() if keep is not None else None)

        self._runner.start(job)
        self._show_progress(0, 0, "Starting …")

    def stop(self) -> None:
        if self._microphone is not None:
            self._stop_recording()
            return
        self._runner.cancel()
        self._follow_up.cancel()

    def _add_segment(self, segment: TranscriptSegment) -> None:
        from assistant.text.language import language_name

        if not self._runner.is_running:
            return  # already on its way when Stop was pressed: the transcript ends where it was stopped
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

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self._total = total or self._total
        self._show_progress(done, total, message)

    def _show_progress(self, done: int, total: int, message: str) -> None:
        if total <= 0:
            self.progress_bar.setRange(0, 0)
            self.progress_bar.setTextVisible(False)
        else:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
            self.progress_bar.setFormat(f"{format_clock(done)} of {format_clock(total)}")
            self.progress_bar.setTextVisible(True)
        self.progress_bar.show()
        self.status_label.setText(message)

    def _on_finished(self, result: object) -> None:
        self.progress_bar.hide()
        assert isinstance(result, tuple)
        found: list[TranscriptSegment] = result[0]
        recording: np.ndarray | None = result[1]
        self._recording = recording
        self._show_header()
        if not found:
            self.status_label.setText("")
            self.banner.show_error(f"No speech was found in {self.source_name}.")
        else:
            self.status_label.setText(f"Transcribed {self.source_name}: {len(found)} segments")
        self._update_actions()
        self.transcript_finished.emit(list(self.segments))

    def _on_failed(self, message: str) -> None:
        self.progress_bar.hide()
        self.status_label.setText("")
        self.banner.show_error(message)
        self._update_actions()

    def _on_cancelled(self) -> None:
        self.progress_bar.hide()
        self.status_label.setText(f"Stopped; {len(self.segments)} segments kept")
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
        self.status_label.setText("Recording … press Stop and transcribe when you are done")

    def _stop_recording(self) -> None:
        microphone, self._microphone = self._microphone, None
        if microphone is not None:
            microphone.stop()
        self.record_button.setChecked(False)
        self.record_button.setText("Record voice note")
        self._update_actions()

    # ---- what can be done with a transcript ---------------------------------------------------
    def choose_export(self, fmt: str) -> None:
        start = Path(str(self._settings.value("paths/transcript_dir", "")) or Path.home())
        suggested = start / f"{Path(self.source_name).stem or 'transcript'}.{fmt}"
        filename, _ = QFileDialog.getSaveFileName(self, "Export the transcript", str(suggested), EXPORT_FILTERS[fmt])
        if filename:
            path = Path(filename)
            if path.suffix.lower().lstrip(".") not in EXPORT_FILTERS:
                path = path.with_name(path.name + f".{fmt}")
            self._settings.setValue("paths/transcript_dir", str(path.parent))
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        from assistant.errors import EdgewiseError
        from assistant.speech.transcripts import save

        try:
            save(self.segments, path, self.source_name)
        except EdgewiseError as error:
            self.banner.show_error(str(error))
            return
        self.status_label.setText(f"Saved {path.name}")

    def summarise(self) -> None:
        from assistant.speech.transcripts import transcript_document

        if not self.segments:
            return
        document = transcript_document(self.segments, self.source_name)
        session = self._session
        self._follow_up_kind = "summary"
        self.summary_view.begin_stream()
        self._follow_up.start(lambda progress, cancel: session.summarize(document, "brief", progress=progress,
                                                                         cancel=cancel))
        self.status_label.setText("Summarising the transcript …")

    def save_to_library(self) -> None:
        if not self.segments:
            return
        segments, name, audio = list(self.segments), self.source_name, self._recording
        data_dir = self._session.data_dir

        def job(progress: ProgressCallback, cancel: CancelToken) -> Path:
            from assistant.speech.voice_notes import add_to_library

            return add_to_library(segments, name, data_dir, audio=audio, progress=progress, cancel=cancel)

        self._follow_up_kind = "library"
        self._follow_up.start(job)
        self.status_label.setText("Adding the transcript to the library …")

    def _on_summary_text(self, delta: str) -> None:
        self.summary_view.append_delta(delta)

    def _on_follow_up_finished(self, value: object) -> None:
        if self._follow_up_kind == "summary":
            self.summary_view.end_stream()
            self.status_label.setText("Summary ready")
        else:
            self.status_label.setText(f"Saved to the library as {Path(str(value)).name}")
        self._update_actions()

    # ---- keys, drops and shutdown -------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A key event, not a shortcut: the window's own Esc (Stop) must not be made ambiguous.
        if event.key() == Qt.Key.Key_Escape and (self.is_running or self._follow_up.is_running):
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
        self._runner.shutdown()
        self._follow_up.shutdown()
