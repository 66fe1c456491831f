"""The window as a person sees it: every tab, dock and dialog at the common screen sizes and at the window's
minimum size, in the light and the dark palette, with nothing cut off and the Library tab's transcript given the
room. Each state is also written as a screenshot, to a temporary folder, or to the folder named by
``EDGEWISE_SCREENSHOTS`` (``EDGEWISE_SCREENSHOTS=docs/screenshots`` renews the README's pictures).

The widgets are the real ones; only what a model would write (summary, answer, transcript) is scripted.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget

from assistant.jobs import CancelToken, Job, ProgressCallback, no_progress
from assistant.library.ask import SOURCES_HEADING, Answer, Citation
from assistant.speech.transcriber import TranscriptSegment
from ui.main_window import DEFAULT_SIZE, MainWindow
from ui.theme import set_theme
from ui.window_state import WindowState

from .fakes import StreamingWorkspace
from .window_geometry import cut_off

WAIT_MS = 30_000  # generous: returns as soon as the state is reached
SIZES = {"1280x800": QSize(1280, 800), "1366x768": QSize(1366, 768), "1920x1080": QSize(1920, 1080)}
#: The pictures the README shows (light palette, 1280x800); every other state goes to a temporary folder.
README_SHOTS = ("document-1280x800-light", "library-1280x800-light", "transcription-1280x800-light")
TRANSCRIPT_SHARE = 0.40

SUMMARY = (
    "## Summary\n\n",
    "- The pump loses pressure when the seal kit SK-220 wears out; replace it every 2,000 hours.\n",
    "- Check the relief valve at 6 bar before restarting.\n",
    "- Log every replacement in the maintenance book with the date and the hours run.\n",
)
QUESTION = "When do I replace the seal kit of the pump?"
PASSAGES = (
    "Replace the seal kit SK-220 every 2,000 operating hours or when the pressure drops below 2.5 bar.",
    "After a seal replacement, test the relief valve at 6 bar before returning the pump to service.",
)
ANSWER = ("Replace the seal kit SK-220 every 2,000 operating hours, or sooner when the pressure drops below "
          "2.5 bar [1]. After replacing it, test the relief valve at 6 bar before the pump goes back into "
          "service [2].")
SPOKEN = (
    "Site visit at the north pumping station, the second of three this month.",
    "Pump two is loud at start-up and the pressure gauge reads two point one bar.",
    "We replaced the seal kit and the pressure came back to three bar within ten minutes.",
    "Next visit in six weeks; bring a spare relief valve.",
)


class ShowcaseWorkspace(StreamingWorkspace):
    """A real workspace whose summary, answer and transcript are scripted."""

    def __init__(self) -> None:
        super().__init__(deltas=SUMMARY, delay=0)
        self.segments = tuple(
            TranscriptSegment(start=6.0 * i, end=6.0 * i + 5.5, text=text, language="en")
            for i, text in enumerate(SPOKEN)
        )

    def ask(
        self,
        question: str,
        *,
        history: Any = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Job[Answer | str, Answer]:
        (progress or no_progress)(0, 0, "Searching the library …")
        citations = [
            Citation(n, f"/home/inspector/reports/{name}", name, page, page - 1, 0, len(text), text)
            for n, (name, page, text) in enumerate(
                [("pump-maintenance-manual-2024-rev3.pdf", 14, PASSAGES[0]),
                 ("north-station-inspection-notes.docx", 2, PASSAGES[1])], start=1)
        ]
        answer = Answer(question, citations, iter(()))
        yield answer
        text = ANSWER + SOURCES_HEADING + "\n".join(f"[{c.number}] {c.label}" for c in citations)
        yield text
        answer.text = text
        answer.cited = [1, 2]
        return answer


NOTE = (
    "Pump maintenance note, north pumping station\n\n"
    "Pump 2 loses pressure at start-up when the seal kit SK-220 wears out. Replace the seal kit every 2,000 "
    "hours of operation, or sooner when the pressure drops below 2.5 bar.\n\n"
    "Check the relief valve at 6 bar before restarting the pump after any seal replacement.\n\n"
    "Log every replacement in the maintenance book with the date and the hours run. The next inspection is "
    "due in six weeks; bring a spare relief valve.\n"
)


@pytest.fixture
def pump_note(tmp_path: Path) -> Path:
    """The document the scripted summary is of, so the pictures show a summary that holds."""
    path = tmp_path / "pump-maintenance-note-north-station.txt"
    path.write_text(NOTE, encoding="utf-8")
    return path


def _shots_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("EDGEWISE_SCREENSHOTS")
    return Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")


def _sizes(window: QWidget) -> Iterator[tuple[str, QSize]]:
    yield "opening", DEFAULT_SIZE
    yield from SIZES.items()
    yield "minimum", window.minimumSize().expandedTo(window.minimumSizeHint())


def _look(window: QWidget, size: QSize, name: str, folder: Path, readme_only: bool) -> list[str]:
    window.resize(size)
    QApplication.processEvents()
    QApplication.processEvents()
    assert window.size() == size, f"{name}: the window cannot take {size.width()}x{size.height()}"
    if not readme_only or name in README_SHOTS:
        assert window.grab().save(str(folder / f"{name}.png"))
    return [f"{name}: {problem}" for problem in cut_off(window)]


@pytest.fixture(params=["light", "dark"])
def palette(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    qapp.setStyle("Fusion")
    set_theme(qapp, request.param == "dark")
    yield request.param
    set_theme(qapp, None)


@pytest.fixture
def window(qtbot: Any, window_state: WindowState, palette: str) -> Iterator[MainWindow]:
    workspace = ShowcaseWorkspace()
    window = MainWindow(workspace, window_state)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def _states(window: MainWindow, qtbot: Any, document_path: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """Each state of the window a person meets, reached the way a person reaches it."""
    def document() -> None:
        window.tabs.setCurrentIndex(0)
        window.open_path(document_path)
        qtbot.waitUntil(lambda: window.status_text().startswith("Summary ready"), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.trust.dock.list.count() > 1, timeout=WAIT_MS)

    def library() -> None:
        window.tabs.setCurrentWidget(window.library)
        window.library.chat.ask(QUESTION)
        qtbot.waitUntil(lambda: not window.library.chat.is_busy and "Sources" in
                        window.library.chat.transcript_text(), timeout=WAIT_MS)

    def transcription() -> None:
        window.tabs.setCurrentIndex(0)
        window.voice.dock.show()
        view = window.voice.transcription
        with qtbot.waitSignal(view.transcript_finished, timeout=WAIT_MS):
            view.open_path(Path("site-visit-north-pumping-station.m4a"))

    yield "empty", lambda: None
    yield "document", document
    yield "library", library
    yield "transcription", transcription


def test_no_button_or_label_is_cut_off_and_the_transcript_has_room_at_every_size(
    window: MainWindow, qtbot: Any, palette: str, pump_note: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = _shots_folder(tmp_path_factory)
    readme_only = bool(os.environ.get("EDGEWISE_SCREENSHOTS"))
    problems: list[str] = []
    narrow: list[str] = []
    for state, reach in _states(window, qtbot, pump_note):
        reach()
        for label, size in _sizes(window):
            name = f"{state}-{label}-{palette}"
            problems += _look(window, size, name, folder, readme_only)
            if state == "library":
                share = window.library.chat.transcript.width() / window.width()
                if share < TRANSCRIPT_SHARE:
                    narrow.append(f"{name}: the transcript has {share:.0%} of the window's width")
    assert not problems + narrow, "\n".join(problems + narrow)


def test_the_passage_a_citation_opens_fits_its_dialog(
    window: MainWindow, qtbot: Any, palette: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    chat = window.library.chat
    window.tabs.setCurrentWidget(window.library)
    chat.ask(QUESTION)
    qtbot.waitUntil(lambda: not chat.is_busy and "Sources" in chat.transcript_text(), timeout=WAIT_MS)
    viewer = chat.open_citation(1)
    assert viewer is not None
    viewer.show()
    folder = _shots_folder(tmp_path_factory)
    readme_only = bool(os.environ.get("EDGEWISE_SCREENSHOTS"))
    sizes = [("default", viewer.size()), ("minimum", viewer.minimumSize().expandedTo(viewer.minimumSizeHint()))]
    problems = [p for label, size in sizes for p in _look(viewer, size, f"passage-{label}-{palette}", folder,
                                                          readme_only)]
    viewer.close()
    assert not problems, "\n".join(problems)


def test_every_page_of_the_settings_dialog_fits_at_every_size(
    window: MainWindow, qtbot: Any, palette: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = _shots_folder(tmp_path_factory)
    readme_only = bool(os.environ.get("EDGEWISE_SCREENSHOTS"))
    dialog = window.settings_menu.open_dialog()
    problems: list[str] = []
    sizes = [("default", dialog.size()), ("minimum", dialog.minimumSize().expandedTo(dialog.minimumSizeHint()))]
    for row in range(dialog.pages.count()):
        dialog.pages.setCurrentRow(row)
        page = dialog.pages.item(row).text().lower()
        for label, size in sizes:
            problems += _look(dialog, size, f"settings-{page}-{label}-{palette}", folder, readme_only)
    dialog.close()
    assert not problems, "\n".join(problems)
