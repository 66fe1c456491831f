"""Fixtures for GUI tests: an offscreen Qt, throwaway settings and real drag-and-drop events."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from ui.collector import GuiThreadCollector, collect_on_gui_thread  # noqa: E402
from ui.window_state import WindowState  # noqa: E402

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

DropFiles = Callable[[QWidget, Sequence[Path]], bool]


@pytest.fixture(scope="package", autouse=True)
def gui_thread_collection(qapp: QApplication) -> Iterator[GuiThreadCollector]:
    """Cycles are collected on the GUI thread during the GUI tests, as in the app (``ui.collector``); the
    tests of the core that follow get Python's own collection back."""
    collector = collect_on_gui_thread(qapp)
    yield collector
    collector.stop()


@pytest.fixture
def minimal_pdf() -> Path:
    path = CORPUS / "pdf" / "minimal-document.pdf"
    assert path.is_file(), f"corpus file missing: {path}"
    return path


@pytest.fixture
def own_session(own_data_dir: Path):
    """A Workspace on the fast model with a data folder (settings, library) of its own that reads the shared
    models, for tests that change settings or the library the rest of the run must not see."""
    from assistant.models.bundled import FAST_LLM
    from assistant.workspace import Workspace

    session = Workspace(own_data_dir, llm_name=FAST_LLM, n_ctx=2048)
    yield session
    session.close()


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """Qt settings in a temporary ini file, so tests never touch the person's real window state."""
    return QSettings(str(tmp_path / "edgewise-test.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window_state(ui_settings: QSettings) -> WindowState:
    """The window's memory (geometry, splitters, folders) in that ini file."""
    return WindowState(ui_settings)


def send_drop(widget: QWidget, paths: Sequence[Path]) -> bool:
    """Drag ``paths`` over ``widget`` and drop them, as the window system would; True if the drag
    was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    center = widget.rect().center()
    point = QPointF(center)
    enter = QDragEnterEvent(  # takes an integer QPoint, unlike QDropEvent
        center, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, enter)
    accepted = enter.isAccepted()
    drop = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, drop)
    return accepted


@pytest.fixture
def drop_files() -> DropFiles:
    return send_drop
