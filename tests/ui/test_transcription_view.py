"""The transcription view on the real speech model: drop a recording, watch segments arrive with their
language and times, stop, export, summarise, and keep a voice note in the library."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.speech.transcriber import TranscriptSegment
from ui import transcription_view
from ui.dictation import NO_MICROPHONE
from ui.transcription_view import TranscriptionView
from ui.window_state import WindowState

from .conftest import CORPUS
from .fakes import StreamingWorkspace

JFK = CORPUS / "audio" / "jfk.flac"


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@pytest.fixture
def view(qtbot, own_session, window_state: WindowState):
    widget = TranscriptionView(own_session, window_state)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    yield widget
    widget.shutdown()


def test_dropped_recording_shows_timed_segments_language_and_progress(view, qtbot, drop_files) -> None:
    progress: list[tuple[int, int]] = []
    view.runner.progress.connect(lambda done, total, _m: progress.append((done, total)))
    with qtbot.waitSignal(view.transcript_finished, timeout=120_000) as blocker:
        assert drop_files(view, [JFK])
    segments = blocker.args[0]
    assert normalised(" ".join(s.text for s in segments)).startswith("and so my fellow americans")
    assert view.segment_list.topLevelItemCount() == len(segments)
    assert view.segment_list.topLevelItem(0).text(0).startswith("0:00–")
    assert view.segment_list.topLevelItem(0).text(1) == "English"
    assert view.header.text() == "jfk.flac · English · 0:11"
    assert (11, 11) in progress
    assert all(button.isEnabled() for button in view.export_buttons.values())


def test_non_audio_drops_are_refused_by_the_view(view, drop_files, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert not drop_files(view, [text])
    assert not view.is_running


def test_exported_srt_and_vtt_files_parse(view, qtbot, tmp_path: Path) -> None:
    from assistant.speech.transcripts import parse_cues

    with qtbot.waitSignal(view.transcript_finished, timeout=120_000):
        view.open_path(JFK)
    for fmt in ("srt", "vtt"):
        view.export_to(tmp_path / f"jfk.{fmt}")
        cues = parse_cues((tmp_path / f"jfk.{fmt}").read_text(encoding="utf-8"))
        assert [c.text for c in cues] == [s.text for s in view.segments]
    assert view.status() == "Saved jfk.vtt"


def test_stop_keeps_the_segments_so_far_and_ends_promptly(view, qtbot) -> None:
    view.language_combo.setCurrentIndex(view.language_combo.findData("en"))
    view.open_path(CORPUS / "audio" / "multilingual.mp3")
    qtbot.waitUntil(lambda: len(view.segments) >= 1, timeout=120_000)
    with qtbot.waitSignal(view.runner.cancelled, timeout=10_000):
        view.stop()
    kept = len(view.segments)
    assert view.status() == f"Stopped; {kept} segments kept"
    assert not view.progress.bar.isVisible() and not view.is_running
    # The worker ends at the next segment: within the 30 s window whisper is decoding (a few seconds).
    qtbot.waitUntil(view.runner.is_idle, timeout=90_000)
    assert len(view.segments) == kept < 8


def test_language_choice_is_remembered_in_the_speech_language_setting(qtbot, own_session, window_state) -> None:
    from assistant.settings import Settings
    from assistant.speech.transcriber import Transcriber

    first = TranscriptionView(own_session, window_state)
    qtbot.addWidget(first)
    first.language_combo.setCurrentIndex(first.language_combo.findData("de"))
    second = TranscriptionView(own_session, window_state)
    qtbot.addWidget(second)
    assert second.language == "de"
    # The same setting the CLI and dictation read.
    assert Settings(own_session.data_dir).get("speech.language") == "de"
    assert Transcriber(own_session.data_dir).default_language() == "de"
    second.language_combo.setCurrentIndex(second.language_combo.findData(""))
    assert Settings(own_session.data_dir).get("speech.language") == "auto"


def test_without_a_microphone_voice_notes_say_so(qtbot, window_state, monkeypatch) -> None:
    monkeypatch.setattr(transcription_view, "microphone_available", lambda: False)
    widget = TranscriptionView(StreamingWorkspace(), window_state)
    qtbot.addWidget(widget)
    assert not widget.record_button.isEnabled()
    assert widget.record_button.toolTip() == NO_MICROPHONE


def test_transcript_is_summarised_through_the_summary_pipeline(view, qtbot) -> None:
    with qtbot.waitSignal(view.transcript_finished, timeout=120_000):
        view.open_path(JFK)
    with qtbot.waitSignal(view.follow_up.finished, timeout=120_000):
        view.summarise()
    assert view.summary_view.plain_text().strip()
    assert view.status() == "Summary ready"


def test_voice_note_fed_as_audio_source_is_saved_into_the_workspaces_library(qtbot, own_session, window_state) -> None:
    from assistant.speech.audio import FileAudioSource

    widget = TranscriptionView(own_session, window_state)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.transcript_finished, timeout=120_000):
        widget.transcribe_source(FileAudioSource(JFK), "Voice note pump room")
    with qtbot.waitSignal(widget.follow_up.finished, timeout=120_000):
        widget.save_to_library()
    assert widget.status() == "Saved to the library as Voice-note-pump-room.transcript.txt"
    notes = own_session.data_dir / "voice-notes"
    assert (notes / "Voice-note-pump-room.wav").stat().st_size > 300_000  # the recording, 11 s at 16 kHz
    hits = own_session.library().search("fellow Americans", k=1)  # the one index, not a second copy
    assert hits and hits[0].text.count("[0:0") >= 1
    widget.shutdown()


# ---- with a scripted workspace: no model -------------------------------------------------------------


SEGMENTS = (TranscriptSegment(0.0, 4.0, "The pump in room two loses pressure.", "en"),
            TranscriptSegment(4.0, 9.5, "Replace the seal kit before Friday.", "en"))


@pytest.fixture
def scripted(qtbot, window_state: WindowState):
    workspace = StreamingWorkspace(deltas=("The pump ", "loses pressure. ", "Replace the seal kit."))
    workspace.segments = SEGMENTS
    widget = TranscriptionView(workspace, window_state)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.transcript_finished, timeout=30_000):
        widget.open_path(Path("site walk.wav"))
    yield widget, workspace
    widget.shutdown()


def test_segments_stream_in_as_items_and_the_result_is_the_transcript(scripted) -> None:
    view, _workspace = scripted
    assert view.segments == list(SEGMENTS)
    assert view.segment_list.topLevelItemCount() == 2
    assert view.status() == "Transcribed site walk.wav: 2 segments"
    assert not view.progress.bar.isVisible()


def test_a_stopped_transcript_summary_says_it_stopped_and_keeps_what_was_written(qtbot, scripted) -> None:
    view, workspace = scripted
    workspace.pause_after = 2  # the summary holds after two deltas until it is stopped: a trigger, not a race
    view.summarise()
    qtbot.waitUntil(lambda: view.summary_view.plain_text() == "The pump loses pressure. ", timeout=30_000)
    assert view.status() != "Summary ready" and view.stop_button.isEnabled()

    view.stop()

    assert view.status() == "Stopped; the summary so far is kept"  # not "Summarising the transcript …"
    assert not view.progress.bar.isVisible()
    assert workspace.ended.wait(5) and workspace.completed == 0
    assert "loses pressure" in view.summary_view.toPlainText()
    assert view.summarise_button.isEnabled()
