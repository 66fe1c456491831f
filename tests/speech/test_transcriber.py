"""Speech on the real bundled whisper-base and the corpus recordings: transcripts, languages, silence,
exports, streaming decode, dictation and cancel."""

from __future__ import annotations

import re
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.jobs import Cancelled, CancelToken, run_job
from assistant.speech.audio import SAMPLE_RATE, AudioError, FileAudioSource, QueueAudioSource, level, read_all

JFK_SENTENCE = (
    "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
)


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture(scope="session")
def jfk(corpus: Path) -> Path:
    return corpus / "audio" / "jfk.flac"


@pytest.fixture(scope="session")
def jfk_segments(transcriber, jfk):
    return list(transcriber.transcribe(jfk))


# -- audio sources ---------------------------------------------------------------------------------


def test_file_source_decodes_flac_to_16khz_mono_chunks_of_a_tenth_of_a_second(jfk: Path) -> None:
    source = FileAudioSource(jfk)
    chunks = list(source.chunks())
    assert all(c.dtype == np.float32 and c.ndim == 1 for c in chunks)
    assert {len(c) for c in chunks[:-1]} == {SAMPLE_RATE // 10}
    total = sum(len(c) for c in chunks) / SAMPLE_RATE
    assert source.duration == pytest.approx(11.0, abs=0.1)
    assert total == pytest.approx(source.duration, abs=0.1)
    assert max(float(np.abs(c).max()) for c in chunks) > 0.1  # real signal, not zeros


def test_file_source_in_real_time_paces_audio_like_a_microphone(tmp_path: Path) -> None:
    clip = write_wav(tmp_path / "tone.wav", 0.3 * np.sin(np.arange(SAMPLE_RATE) * 2 * np.pi * 440 / SAMPLE_RATE))
    source = FileAudioSource(clip, realtime=True)
    arrivals = [(time.monotonic(), len(chunk)) for chunk in source.chunks()]
    assert sum(n for _, n in arrivals) == SAMPLE_RATE
    assert source.spoken_until is not None
    started = source.spoken_until - 1.0  # one second of audio was "spoken" from the start
    heard = 0
    for arrived, samples in arrivals:  # no chunk comes before the moment its last sample would have been spoken
        heard += samples
        assert arrived >= started + heard / SAMPLE_RATE - 0.001


def test_unreadable_or_missing_audio_raises_a_clear_error(tmp_path: Path, corpus: Path) -> None:
    damaged = tmp_path / "memo.mp3"
    damaged.write_bytes(b"this is not an mp3 file at all" * 10)
    with pytest.raises(AudioError, match="memo.mp3"):
        read_all(FileAudioSource(damaged))
    with pytest.raises(AudioError, match="not found"):
        FileAudioSource(tmp_path / "absent.wav")
    with pytest.raises(AudioError, match="no audio track|could not be read"):
        FileAudioSource(corpus / "pdf" / "minimal-document.pdf")


def test_queue_source_yields_pushed_chunks_until_finished() -> None:
    source = QueueAudioSource()
    source.push(np.ones(160, dtype=np.float32))
    source.push(np.zeros(160, dtype=np.float32))
    source.finish()
    source.push(np.ones(160, dtype=np.float32))  # after the end: ignored
    assert [len(c) for c in source.chunks()] == [160, 160]


def test_level_meter_reads_silence_as_zero_and_loud_audio_near_one() -> None:
    assert level(np.zeros(1600, dtype=np.float32)) == 0.0
    assert level(np.full(1600, 0.9, dtype=np.float32)) > 0.95
    assert 0.2 < level(np.full(1600, 0.01, dtype=np.float32)) < 0.5


# -- transcription ---------------------------------------------------------------------------------


def test_jfk_recording_gives_the_known_sentence_with_timestamps(jfk_segments) -> None:
    text = " ".join(s.text for s in jfk_segments)
    assert normalised(text) == normalised(JFK_SENTENCE)
    assert jfk_segments[0].start < 1.0
    assert 9.0 < jfk_segments[-1].end <= 11.1
    assert all(s.language == "en" for s in jfk_segments)


def test_multilingual_recording_reports_english_then_german(transcriber, corpus: Path) -> None:
    from assistant.speech.transcriber import detected_languages

    segments = list(transcriber.transcribe(corpus / "audio" / "multilingual.mp3"))
    assert set(detected_languages(segments)) == {"en", "de"}
    assert segments[0].language == "en" and "permission" in segments[0].text.lower()
    assert segments[-1].language == "de"
    assert any("Software" in s.text and s.language == "de" for s in segments)


def test_mp3_with_rare_words_transcribes(transcriber, corpus: Path) -> None:
    segments = list(transcriber.transcribe(corpus / "audio" / "hotwords.mp3"))
    text = normalised(" ".join(s.text for s in segments))
    assert "folder" in text and "then you go into your" in text


@pytest.mark.parametrize("kind", ["silence", "low noise"])
def test_silence_or_noise_gives_an_empty_transcript(transcriber, tmp_path: Path, kind: str) -> None:
    noise = np.random.default_rng(3).normal(0, 0.01, SAMPLE_RATE * 8)
    samples = np.zeros(SAMPLE_RATE * 8) if kind == "silence" else noise
    segments = list(transcriber.transcribe(write_wav(tmp_path / "quiet.wav", samples)))
    assert segments == []


def test_progress_counts_audio_seconds_up_to_the_duration(transcriber, jfk: Path) -> None:
    reports: list[tuple[int, int, str]] = []
    list(transcriber.transcribe(jfk, progress=lambda d, t, m: reports.append((d, t, m))))
    timed = [r for r in reports if r[1]]
    assert timed[-1][:2] == (11, 11)
    assert [d for d, _, _ in timed] == sorted(d for d, _, _ in timed)
    assert "0:11" in timed[-1][2]


def test_long_recordings_stream_in_blocks_with_continuous_timestamps(transcriber, jfk, monkeypatch) -> None:
    from assistant.speech import transcriber as speech

    monkeypatch.setattr(speech, "BLOCK_SECONDS", 6.0)
    segments = list(transcriber.transcribe(jfk, "en", options=speech.DICTATION_OPTIONS))
    assert segments[-1].end > 8.0  # the second block's times are offset, not restarted at zero
    words = set(normalised(" ".join(s.text for s in segments)).split())
    assert len(words & set(normalised(JFK_SENTENCE).split())) >= 12


def test_cancel_stops_the_transcription_at_the_next_segment(transcriber, corpus: Path) -> None:
    token = CancelToken()
    received = []
    iterator = transcriber.transcribe(corpus / "audio" / "multilingual.mp3", "en", cancel=token)
    with pytest.raises(Cancelled):
        for segment in iterator:
            received.append(segment)
            assert transcriber.process.request(("streams",)) == ("streams", 1)  # decoding in the speech process
            token.cancel()
    assert len(received) == 1  # not one segment more after the cancel
    # The speech process dropped the recording (it decodes nothing more of it) and serves the next one.
    assert transcriber.process.request(("streams",)) == ("streams", 0)
    assert normalised(" ".join(s.text for s in transcriber.transcribe(corpus / "audio" / "jfk.flac"))) == \
        normalised(JFK_SENTENCE)


def test_repeated_phrases_and_words_are_collapsed() -> None:
    from assistant.speech.transcriber import collapse_repetitions

    assert collapse_repetitions("Thank you. Thank you. Thank you. Thank you. Thank you.") == "Thank you."
    assert collapse_repetitions("the the the the end") == "the end"
    assert collapse_repetitions("ask not what your country can do") == "ask not what your country can do"


# -- exports ---------------------------------------------------------------------------------------


def test_srt_and_vtt_exports_parse_back_to_the_same_segments(jfk_segments) -> None:
    from assistant.speech.transcripts import parse_cues, to_srt, to_vtt

    srt = to_srt(jfk_segments)
    assert srt.startswith("1\n00:00:00,000 --> ")
    vtt = to_vtt(jfk_segments)
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> ")
    for parsed in (parse_cues(srt), parse_cues(vtt)):
        assert [p.text for p in parsed] == [s.text for s in jfk_segments]
        expected = [(pytest.approx(s.start), pytest.approx(s.end)) for s in jfk_segments]
        assert [(p.start, p.end) for p in parsed] == expected


def test_json_export_holds_languages_and_segments(jfk_segments) -> None:
    import json

    from assistant.speech.transcripts import export

    payload = json.loads(export(jfk_segments, "json", "jfk.flac"))
    assert payload["languages"] == ["en"]
    assert payload["source"] == "jfk.flac"
    assert normalised(" ".join(s["text"] for s in payload["segments"])) == normalised(JFK_SENTENCE)


def test_transcript_document_carries_time_marks_for_citations(jfk_segments) -> None:
    from assistant.speech.transcripts import transcript_document

    document = transcript_document(jfk_segments, "jfk.flac")
    lines = document.text.splitlines()
    assert lines[0].startswith("[0:00] And so my fellow Americans")
    assert len(lines) == len(jfk_segments)
    for line, segment in zip(lines, jfk_segments, strict=True):
        assert line == f"[0:{int(segment.start):02d}] {segment.text}"
    assert document.format == "transcript" and len(document.sha256) == 64


# -- dictation -------------------------------------------------------------------------------------


def test_dictation_from_a_file_source_yields_partials_and_levels_then_returns_the_sentence(
    transcriber, jfk: Path
) -> None:
    from assistant.speech.dictation import DictationSession, DictationUpdate, InputLevel, PartialText

    updates: list[DictationUpdate] = []
    session = DictationSession(transcriber, None)
    result = run_job(session.run(FileAudioSource(jfk, realtime=True)), updates.append)
    partials = [update.text for update in updates if isinstance(update, PartialText)]
    levels = [update.value for update in updates if isinstance(update, InputLevel)]
    assert normalised(result.text) == normalised(JFK_SENTENCE)
    # How many partials fit in 11 s depends on the machine; each one shows words of the sentence so far.
    assert partials
    assert set(normalised(partials[0]).split()) <= set(normalised(JFK_SENTENCE).split())
    assert max(levels) > 0.5 and len(levels) >= 100
    assert result.audio_seconds == pytest.approx(11.0, abs=0.1)
    assert result.segments[0].language == "en"


def test_dictation_from_a_live_queue_ends_when_the_microphone_stops(transcriber, jfk: Path) -> None:
    from assistant.speech.dictation import DictationSession

    source = QueueAudioSource()

    def microphone() -> None:
        for chunk in FileAudioSource(jfk).chunks():
            source.push(chunk)
        source.finish()

    feeder = threading.Thread(target=microphone)
    feeder.start()
    result = run_job(DictationSession(transcriber, "en", partials=False).run(source))
    feeder.join()
    assert normalised(result.text) == normalised(JFK_SENTENCE)


def test_a_whisper_folder_chosen_for_speech_is_the_one_loaded(own_data_dir: Path, jfk: Path, tmp_path: Path) -> None:
    from assistant.models.catalogue import Catalogue
    from assistant.speech.transcriber import SPEECH_MODEL, Transcriber

    data_dir = own_data_dir
    transcriber = Transcriber(data_dir)
    bundled = transcriber.model_path()
    # A user's own CTranslate2 whisper folder: here the same files under another name, linked, not copied.
    own = tmp_path / "my-whisper"
    own.mkdir()
    for item in bundled.iterdir():
        (own / item.name).symlink_to(item)
    catalogue = Catalogue(data_dir)
    entry = catalogue.add_speech_folder(own, name="my-whisper")
    assert transcriber.model_name == SPEECH_MODEL
    transcriber.load()
    catalogue.use(entry.name, "speech")
    assert transcriber.model_name == "my-whisper" and transcriber.model_path() == own
    text = " ".join(segment.text for segment in transcriber.transcribe(jfk, "en"))
    assert normalised(text) == normalised(JFK_SENTENCE)
    assert transcriber.loaded_path == own  # the change of setting replaced the loaded model
    catalogue.use(SPEECH_MODEL, "speech")
    assert transcriber.model_path() == bundled
    transcriber.process.stop()


def test_an_idle_speech_model_is_unloaded_with_its_process_and_loads_again_saying_so(
    transcriber, jfk_segments, jfk: Path
) -> None:
    import time

    import psutil

    transcriber.load()
    pid = transcriber.process.pid
    assert pid is not None and psutil.pid_exists(pid)
    assert not transcriber.unload_if_idle(time.monotonic(), 600)  # used a moment ago
    assert transcriber.unload_if_idle(time.monotonic() + 601, 600) and not transcriber.is_loaded
    assert not psutil.pid_exists(pid)  # the process ended: all of its memory went back
    said: list[str] = []
    again = list(transcriber.transcribe(jfk, progress=lambda done, total, message: said.append(message)))
    assert said[0] == "Loading speech model …"
    assert [s.text for s in again] == [s.text for s in jfk_segments]
    assert transcriber.process.pid not in (None, pid)  # a new process


def test_a_transcription_in_the_speech_process_gives_raw_faster_whispers_text_and_loads_no_engine_here(
    models_data_dir: Path, jfk: Path
) -> None:
    import json
    import subprocess
    import sys

    from faster_whisper import WhisperModel

    from assistant.speech.audio import read_all
    from assistant.speech.transcriber import FILE_OPTIONS, Transcriber, collapse_repetitions

    # A fresh interpreter, as the window is: it transcribes through the speech process, then lists what it imported.
    probe = (
        "import json, sys; from pathlib import Path; from assistant.speech.transcriber import Transcriber; "
        f"t = Transcriber(Path({str(models_data_dir)!r})); "
        f"texts = [s.text for s in t.transcribe(Path({str(jfk)!r}))]; "
        "print(json.dumps([texts, sorted({'faster_whisper', 'ctranslate2', 'onnxruntime'} & set(sys.modules))]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=900)
    texts, engines_imported = json.loads(out.stdout.strip().splitlines()[-1])
    assert engines_imported == []
    from assistant.machine import physical_cores

    model = WhisperModel(str(Transcriber(models_data_dir).model_path()), device="cpu", compute_type="int8",
                         cpu_threads=physical_cores())  # as the speech process loads it
    raw, _info = model.transcribe(read_all(FileAudioSource(jfk)), **FILE_OPTIONS.whisper_kwargs(None))
    assert texts == [collapse_repetitions(segment.text.strip()) for segment in raw]
    assert normalised(" ".join(texts)) == normalised(JFK_SENTENCE)


def test_whisper_languages_are_known_without_importing_faster_whisper() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from assistant.speech.transcriber import check_language, whisper_languages; "
        "check_language('de'); print(len(whisper_languages()), 'faster_whisper' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300)
    assert out.stdout.split() == ["100", "False"]
    from assistant.speech.transcriber import UnknownLanguageError, check_language

    with pytest.raises(UnknownLanguageError, match="'zz' is not a language"):
        check_language("zz")


def test_a_speech_model_transcribing_is_not_unloaded(transcriber, jfk: Path) -> None:
    import time

    segments = transcriber.transcribe(jfk)
    next(segments)  # half-way through the recording: the job holds the model
    try:
        assert not transcriber.unload_if_idle(time.monotonic() + 3600, 600) and transcriber.is_loaded
    finally:
        segments.close()
    assert transcriber.unload_if_idle(time.monotonic() + 601, 600)
