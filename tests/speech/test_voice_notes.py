"""`edgewise transcribe` end to end, voice notes into the library, and transcripts into the summary pipeline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.cli import main
from tests.speech.test_transcriber import JFK_SENTENCE, normalised


def test_transcribe_command_streams_srt_that_parses(corpus: Path, models_data_dir: Path, capsys) -> None:
    from assistant.speech.transcripts import parse_cues

    code = main(["transcribe", str(corpus / "audio" / "jfk.flac"), "--format", "srt", "--language", "en",
                 "--data-dir", str(models_data_dir)])
    out = capsys.readouterr().out
    assert code == 0
    cues = parse_cues(out)
    assert normalised(" ".join(c.text for c in cues)) == normalised(JFK_SENTENCE)
    assert out.startswith("1\n00:00:00,")


def test_transcribe_command_json_names_the_detected_language(corpus: Path, models_data_dir: Path, capsys) -> None:
    code = main(["transcribe", str(corpus / "audio" / "hotwords.mp3"), "--format", "json",
                 "--data-dir", str(models_data_dir)])
    captured = capsys.readouterr()
    assert code == 0
    payload = json.loads(captured.out)
    assert payload["languages"] == ["en"] and payload["segments"]
    assert "Detected language: English" in captured.err


def test_transcribe_command_reports_a_damaged_file_in_one_line(tmp_path: Path, models_data_dir: Path, capsys) -> None:
    bad = tmp_path / "memo.m4a"
    bad.write_bytes(b"\x00\x01 not audio" * 50)
    code = main(["transcribe", str(bad), "--data-dir", str(models_data_dir)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("edgewise: error: memo.m4a") and err.count("\n") == 1


@pytest.fixture(scope="module")
def jfk_transcript(corpus: Path, transcriber):
    return list(transcriber.transcribe(corpus / "audio" / "jfk.flac", "en"))


def test_voice_note_saved_to_library_is_found_by_search_with_its_time_mark(
    jfk_transcript, models_data_dir: Path, tmp_path: Path
) -> None:
    import numpy as np

    from assistant.library.index import LibraryIndex
    from assistant.speech.voice_notes import add_to_library

    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    # Reuse the already assembled models: the registry only needs the files and their stamps.
    for item in (models_data_dir / "models").iterdir():
        (data / "models" / item.name).symlink_to(item)
    library = LibraryIndex(data)
    try:
        path = add_to_library(jfk_transcript, "site walk-down.m4a", library, audio=np.zeros(1600, dtype=np.float32))
        hits = library.search("what you can do for your country", k=3)
    finally:
        library.close()
    assert path.name == "site-walk-down.transcript.txt" and path.with_name("site-walk-down.wav").is_file()
    assert hits and hits[0].name == path.name
    assert "[0:00] And so my fellow Americans" in hits[0].text
    assert re.search(r"\[0:\d\d\] [^\[]*ask what you can do for your country", hits[0].text)


def test_transcript_summary_runs_through_the_summary_pipeline(jfk_transcript, fast_session) -> None:
    from assistant.speech.transcripts import transcript_document

    document = transcript_document(jfk_transcript, "jfk.flac")
    summary = "".join(fast_session.summarize(document, "brief"))
    assert summary.strip()


def test_transcribe_command_refuses_an_unknown_language_code(corpus: Path, models_data_dir: Path, capsys) -> None:
    code = main(["transcribe", str(corpus / "audio" / "jfk.flac"), "--language", "zz",
                 "--data-dir", str(models_data_dir)])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.startswith("edgewise: error: 'zz' is not a language the speech model knows")


def test_transcribe_command_follows_the_speech_language_setting(corpus: Path, own_data_dir: Path, capsys) -> None:
    data_dir = own_data_dir
    jfk = str(corpus / "audio" / "jfk.flac")
    assert main(["config", "set", "speech.language", "de", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    assert main(["transcribe", jfk, "--format", "json", "--data-dir", str(data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["languages"] == ["de"]  # decoded as German, as set
    assert main(["transcribe", jfk, "--format", "json", "--language", "auto", "--data-dir", str(data_dir)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["languages"] == ["en"]
    assert "Detected language: English" in captured.err
