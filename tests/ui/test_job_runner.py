"""The one job runner and the one progress display: any job shape (a generator of typed items with a result,
or a plain call), its handlers, supersede and Stop, and a progress bar that goes away however a job ends."""

from __future__ import annotations

import threading
import time
from functools import partial
from typing import Any

import pytest

from assistant.jobs import Cancelled, CancelToken, Job, ProgressCallback, run_job
from ui.job_progress import JobProgress
from ui.job_runner import JobRunner

WAIT_MS = 30_000  # generous: returns as soon as the state is reached (the machine may be busy)


def counting(limit: int, *, progress: ProgressCallback, cancel: CancelToken) -> Job[int, str]:
    """Yields 1..limit with progress, returns a summary of them: the contract of assistant.jobs."""
    for number in range(1, limit + 1):
        progress(number, limit, f"Counted {number}")
        yield number
    return f"counted to {limit}"


def test_a_generator_jobs_items_and_result_reach_its_typed_handlers_in_the_gui_thread(qtbot: Any) -> None:
    runner = JobRunner()
    items: list[int] = []
    results: list[str] = []
    gui_thread = threading.current_thread()
    threads: list[bool] = []

    def on_item(number: int) -> None:
        threads.append(threading.current_thread() is gui_thread)
        items.append(number)

    with qtbot.waitSignal(runner.finished, timeout=WAIT_MS) as finished:
        runner.start(partial(counting, 3), on_item=on_item, on_finished=results.append)

    assert items == [1, 2, 3] and all(threads)
    assert results == ["counted to 3"] == finished.args  # the generator's return value, not its items
    assert not runner.is_running


def test_a_plain_call_delivers_its_return_value(qtbot: Any) -> None:
    runner = JobRunner()
    results: list[dict[str, int]] = []
    with qtbot.waitSignal(runner.finished, timeout=WAIT_MS):
        runner.start(lambda *, progress, cancel: {"answer": 42}, on_finished=results.append)
    assert results == [{"answer": 42}]


def test_starting_a_new_job_ends_the_running_one_first_and_drops_its_output(qtbot: Any) -> None:
    runner = JobRunner()
    events: list[str] = []
    texts: list[str] = []
    runner.item.connect(texts.append)

    def endless(*, progress: ProgressCallback, cancel: CancelToken) -> Job[str, None]:
        try:
            while True:
                time.sleep(0.005)
                yield "old "
        finally:
            events.append("old job ended")

    def fresh(*, progress: ProgressCallback, cancel: CancelToken) -> Job[str, str]:
        events.append("new job started")
        yield "new"
        return "new"

    runner.start(endless, on_cancelled=lambda: events.append("old job's stop handler"))
    qtbot.waitUntil(lambda: bool(texts), timeout=WAIT_MS)
    with qtbot.waitSignal(runner.finished, timeout=WAIT_MS) as finished:
        runner.start(fresh)

    assert events == ["old job ended", "new job started"]  # never two jobs at once; superseded is not stopped
    assert finished.args == ["new"]
    assert texts[-1] == "new"


def test_stop_calls_the_jobs_own_stop_handler_once_and_drops_what_the_job_still_yields(qtbot: Any) -> None:
    runner = JobRunner()
    stopped: list[str] = []
    items: list[int] = []
    release = threading.Event()

    def held(*, progress: ProgressCallback, cancel: CancelToken) -> Job[int, None]:
        yield 1
        release.wait(WAIT_MS / 1000)
        yield 2  # after Stop: never shown

    runner.start(held, on_item=items.append, on_cancelled=lambda: stopped.append("stopped"))
    qtbot.waitUntil(lambda: items == [1], timeout=WAIT_MS)
    with qtbot.waitSignal(runner.cancelled, timeout=WAIT_MS):
        runner.cancel()
    release.set()
    qtbot.waitUntil(runner.is_idle, timeout=WAIT_MS)
    assert stopped == ["stopped"] and items == [1]


def test_runner_reports_cancelled_when_the_job_raises_cancelled(qtbot: Any) -> None:
    runner = JobRunner()
    failures: list[str] = []
    runner.failed.connect(failures.append)

    def cancelled_job(*, progress: ProgressCallback, cancel: CancelToken) -> None:
        raise Cancelled()

    with qtbot.waitSignal(runner.cancelled, timeout=WAIT_MS):
        runner.start(cancelled_job)
    assert failures == []


def test_an_error_raised_by_a_job_reaches_failed_as_one_sentence_not_a_swallowed_exception(qtbot: Any) -> None:
    runner = JobRunner()

    def broken(*, progress: ProgressCallback, cancel: CancelToken) -> Job[int, None]:
        yield 1
        raise KeyError("segment")

    with qtbot.waitSignal(runner.failed, timeout=WAIT_MS) as failed:
        runner.start(broken)
    assert failed.args == ["Something went wrong: 'segment'"]


def test_run_job_runs_a_job_in_this_thread_and_returns_its_result() -> None:
    seen: list[int] = []
    assert run_job(counting(2, progress=lambda *_: None, cancel=CancelToken()), seen.append) == "counted to 2"
    assert seen == [1, 2]


# ---- the one progress display ---------------------------------------------------------------------------


@pytest.fixture
def progress(qtbot: Any) -> JobProgress:
    widget = JobProgress(stop_button=True)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_progress_is_busy_until_the_amount_is_known_then_counts(qtbot: Any, progress: JobProgress) -> None:
    runner = JobRunner()
    progress.follow(runner)
    gate = threading.Event()

    def job(*, progress: ProgressCallback, cancel: CancelToken) -> None:
        progress(0, 0, "Loading model …")
        gate.wait(WAIT_MS / 1000)
        progress(3, 12, "Summarising part 3 of 12")
        gate.clear()
        gate.wait(WAIT_MS / 1000)

    runner.start(job)
    qtbot.waitUntil(lambda: progress.status() == "Loading model …", timeout=WAIT_MS)
    assert progress.bar.isVisible() and (progress.bar.minimum(), progress.bar.maximum()) == (0, 0)
    assert progress.stop_button is not None and progress.stop_button.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: progress.bar.maximum() == 12, timeout=WAIT_MS)
    assert progress.bar.value() == 3 and progress.status() == "Summarising part 3 of 12"
    gate.set()
    qtbot.waitUntil(lambda: not progress.bar.isVisible(), timeout=WAIT_MS)
    assert not progress.stop_button.isVisible()


@pytest.mark.parametrize("ending", ["stop", "failure"])
def test_the_progress_bar_goes_away_when_the_job_is_stopped_or_fails(
    qtbot: Any, progress: JobProgress, ending: str
) -> None:
    runner = JobRunner()
    progress.follow(runner)
    reached = threading.Event()

    def job(*, progress: ProgressCallback, cancel: CancelToken) -> None:
        progress(10, 100, "Copying model.gguf")
        reached.set()
        while not cancel.cancelled:
            time.sleep(0.005)
            if ending == "failure":
                raise OSError("disk full")
        raise Cancelled()

    runner.start(job)
    qtbot.waitUntil(lambda: progress.bar.value() == 10, timeout=WAIT_MS)
    if ending == "stop":
        assert progress.stop_button is not None
        progress.stop_button.click()
    qtbot.waitUntil(lambda: not progress.bar.isVisible(), timeout=WAIT_MS)
    assert not runner.is_running


def test_a_runner_that_was_shut_down_starts_nothing(qtbot: Any) -> None:
    runner = JobRunner()
    ran: list[str] = []
    runner.shutdown(100)

    runner.start(lambda *, progress, cancel: ran.append("ran"))

    assert ran == [] and runner.is_idle() and not runner.is_running
