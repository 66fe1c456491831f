"""Creates the QApplication (Fusion, light or dark like the system) and runs the Edgewise window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from resources import resource_path
from ui.theme import apply_color_scheme
from ui.workspace import Workspace

ORGANIZATION = "Edgewise"
APPLICATION = "Edgewise"


def create_application(argv: list[str]) -> QApplication:
    """The QApplication Edgewise runs in; reuses an existing one (tests) instead of failing."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName("edgewise")
    app.setWindowIcon(QIcon(str(resource_path("icons/edgewise.svg"))))
    app.setStyle("Fusion")
    apply_color_scheme(app)
    if not app.property("edgewiseFollowsColorScheme"):  # connect once, even if called again
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_color_scheme(app))
        app.setProperty("edgewiseFollowsColorScheme", True)
    return app


def run_gui(workspace: Workspace, argv: list[str]) -> int:
    """Show the window on ``workspace`` (opening the document named in ``argv``, if any) and run until it closes.

    ``argv`` holds the arguments after the program name: Qt's own options (``-platform`` …) and at
    most one document path. Heavy modules load only when a job first needs them, so the window
    appears quickly.
    """
    from ui.main_window import MainWindow

    app = create_application([sys.argv[0] if sys.argv and sys.argv[0] else APPLICATION.lower(), *argv])
    window = MainWindow(workspace)
    window.show()
    documents = [arg for arg in app.arguments()[1:] if arg and not arg.startswith("-")]
    if documents:
        window.open_path(Path(documents[0]))
    return app.exec()
