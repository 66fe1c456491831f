"""Creates the QApplication (Fusion, light or dark like the system) and runs the Edgewise window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from resources import resource_path
from ui.collector import collect_on_gui_thread
from ui.theme import apply_color_scheme
from ui.workspace import Workspace

ORGANIZATION = "Edgewise"
APPLICATION = "Edgewise"


def create_application(argv: list[str]) -> QApplication:
    """The QApplication Edgewise runs in; reuses an existing one (tests) instead of failing. Reference cycles
    are collected on its thread only (``ui.collector``)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName("edgewise")
    app.setWindowIcon(QIcon(str(resource_path("icons/edgewise.svg"))))
    app.setStyle("Fusion")
    apply_color_scheme(app)
    collect_on_gui_thread(app)
    if not app.property("edgewiseFollowsColorScheme"):  # connect once, even if called again
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_color_scheme(app))
        app.setProperty("edgewiseFollowsColorScheme", True)
    return app


#: Set to 1, the window prints what it opened (``opened: <header>``) or the error it showed instead
#: (``not opened: <message>``) and closes: how a test runs the desktop entry's Exec line as a desktop would.
REPORT_OPENED = "EDGEWISE_REPORT_OPENED"


def run_gui(workspace: Workspace, argv: list[str], *, notices: Sequence[str] = ()) -> int:
    """Show the window on ``workspace`` (opening the documents named in ``argv``, if any) and run until it
    closes.

    ``argv`` holds the arguments after the program name: Qt's own options (``-platform`` …) and document
    paths. The window shows one document at a time: the first is opened, and the status line names the
    others. ``notices`` (the data folder could not be made private, say) show in the window's banner.
    Heavy modules load only when a job first needs them, so the window appears quickly.
    """
    from ui.main_window import MainWindow

    app = create_application([sys.argv[0] if sys.argv and sys.argv[0] else APPLICATION.lower(), *argv])
    window = MainWindow(workspace)
    window.show()
    for notice in notices:
        window.show_error(notice)
    if os.environ.get(REPORT_OPENED) == "1":
        _report_what_opens(app, window)
    documents = [arg for arg in app.arguments()[1:] if arg and not arg.startswith("-")]
    if documents:
        window.open_path(Path(documents[0]))
        if len(documents) > 1:
            rest = ", ".join(Path(document).name for document in documents[1:])
            window.statusBar().showMessage(f"One document at a time: not opened {rest}", 15_000)
    return app.exec()


def _report_what_opens(app: QApplication, window: Any) -> None:
    def report(line: str, code: int) -> None:
        print(line, flush=True)
        window.close()  # cancels the summary the window starts on a new document
        app.exit(code)

    # Queued: the window finishes its own reaction (starting the summary) before it is closed.
    window.document_opened.connect(lambda header: QTimer.singleShot(0, lambda: report(f"opened: {header}", 0)))
    window.banner.shown.connect(lambda message: QTimer.singleShot(0, lambda: report(f"not opened: {message}", 1)))
