"""Speech benchmark: `edgewise transcribe` against raw faster-whisper with identical settings, in one run,
and dictation latency (end of speech to final text) for jfk.flac fed in real time like a microphone.

Both transcription sides include loading the model, as a person running the command waits for both.
Usage: .venv/bin/python benchmarks/speech.py [--file AUDIO] [--runs N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.offline import install_offline_guard  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
DATA_DIR = ROOT / ".venv" / "bench-data"  # the speech model is assembled here once and reused


def _edgewise_seconds(path: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for `edgewise transcribe FILE`."""
    from app.cli import main as cli_main

    out = io.StringIO()
    start, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(out):
        code = cli_main(["transcribe", str(path), "--data-dir", str(DATA_DIR)])
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    if code != 0 or not out.getvalue().strip():
        raise RuntimeError(f"edgewise transcribe failed with exit code {code}")
    return elapsed, used


def _raw_seconds(model_dir: Path, path: Path, threads: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) for raw faster-whisper with the settings Edgewise uses."""
    from faster_whisper import WhisperModel

    from assistant.speech.transcriber import FILE_OPTIONS

    start, cpu = time.perf_counter(), time.process_time()
    model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=threads)
    segments, _info = model.transcribe(str(path), **FILE_OPTIONS.whisper_kwargs(None))
    text = " ".join(segment.text.strip() for segment in segments)
    if not text:
        raise RuntimeError("raw faster-whisper returned no text")
    return time.perf_counter() - start, time.process_time() - cpu


def _dictation_latency(path: Path, runs: int) -> tuple[list[float], str]:
    from assistant.jobs import run_job
    from assistant.speech.audio import FileAudioSource
    from assistant.speech.dictation import DictationSession
    from assistant.speech.transcriber import Transcriber

    transcriber = Transcriber(DATA_DIR)
    transcriber.load()  # the GUI keeps the model warm
    latencies, text = [], ""
    for _ in range(runs):
        source = FileAudioSource(path, realtime=True)
        result = run_job(DictationSession(transcriber, None).run(source))  # partials as the GUI shows them
        done = time.monotonic()
        assert source.spoken_until is not None
        # From the moment the last word was "spoken" (not from when the listener got to it): a partial
        # still running at the end of speech counts against the latency.
        latencies.append(done - source.spoken_until)
        text = result.text
    return latencies, text


def _final_pass(path: Path, runs: int) -> tuple[float, float]:
    """(wall s, CPU s) of the final pass alone over the whole utterance, language known: the floor of the
    latency on an idle machine, where CPU s / threads approximates the wall time."""
    from assistant.speech.audio import FileAudioSource, read_all
    from assistant.speech.transcriber import DICTATION_OPTIONS, Transcriber

    transcriber = Transcriber(DATA_DIR)
    audio = read_all(FileAudioSource(path))
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        transcriber.transcribe_array(audio, "en", options=DICTATION_OPTIONS)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", default=str(CORPUS / "audio" / "multilingual.mp3"), help="recording to transcribe")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    install_offline_guard()

    from assistant.machine import physical_cores
    from assistant.speech.audio import FileAudioSource
    from assistant.speech.transcriber import Transcriber

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = Path(args.file)
    duration = FileAudioSource(path).duration or 0.0
    model_dir = Transcriber(DATA_DIR).model_path()
    threads = physical_cores()

    ours, theirs = [], []
    for _ in range(args.runs):  # interleaved, so drift in machine load hits both sides alike
        theirs.append(_raw_seconds(model_dir, path, threads))
        ours.append(_edgewise_seconds(path))
    raw_s, our_s = statistics.median(r[0] for r in theirs), statistics.median(r[0] for r in ours)
    raw_cpu, our_cpu = statistics.median(r[1] for r in theirs), statistics.median(r[1] for r in ours)
    print(f"speech model: whisper-base int8  threads: {threads}  load average: {os.getloadavg()[0]:.1f}")
    print(f"file: {path.name} ({duration:.1f} s of audio)  runs: {args.runs} (model load included on both sides)")
    print(f"{'':28}{'wall s':>10}{'real-time factor':>18}{'CPU s':>10}")
    print(f"{'raw faster-whisper':28}{raw_s:10.2f}{raw_s / duration:18.3f}{raw_cpu:10.2f}")
    print(f"{'edgewise transcribe':28}{our_s:10.2f}{our_s / duration:18.3f}{our_cpu:10.2f}")
    print(f"ratio (Edgewise / raw): wall {our_s / raw_s:.3f}  CPU {our_cpu / raw_cpu:.3f}")

    jfk = CORPUS / "audio" / "jfk.flac"
    latencies, text = _dictation_latency(jfk, args.runs)
    print(f"dictation of {jfk.name} (11 s, fed in real time): final text {statistics.median(latencies):.2f} s "
          f"after the end of speech (median of {len(latencies)}; each: {', '.join(f'{x:.2f}' for x in latencies)})")
    print(f"  final text: {text}")
    wall, cpu = _final_pass(jfk, args.runs)
    print(f"  the final pass alone: {wall:.2f} s wall, {cpu:.2f} CPU s ({cpu / threads:.2f} s on {threads} idle cores)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other work on this machine slows both sides)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
