"""Creates the QApplication (Fusion, light or dark like the system) and runs the Edgewise window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from resources import resource_path

ORGANIZATION = "Edgewise"
APPLICATION = "Edgewise"


def dark_palette() -> QPalette:
    """A dark Fusion palette whose text keeps at least 7:1 contrast with its background."""
    palette = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#202124",
        roles.WindowText: "#e8eaed",
        roles.Base: "#17181a",
        roles.AlternateBase: "#26282c",
        roles.ToolTipBase: "#2d2f33",
        roles.ToolTipText: "#e8eaed",
        roles.PlaceholderText: "#9aa0a6",
        roles.Text: "#e8eaed",
        roles.Button: "#2d2f33",
        roles.ButtonText: "#e8eaed",
        roles.BrightText: "#ffffff",
        roles.Light: "#3c4043",
        roles.Midlight: "#34373b",
        roles.Mid: "#5f6368",
        roles.Dark: "#121314",
        roles.Shadow: "#000000",
        roles.Highlight: "#4c8bf5",
        roles.HighlightedText: "#ffffff",
        roles.Link: "#8ab4f8",
        roles.LinkVisited: "#c58af9",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#6f7378"))
    palette.setColor(disabled, roles.Highlight, QColor("#3c4043"))
    return palette


#: Application property holding the theme chosen in the settings: "light", "dark", or "" to follow the system.
_THEME_PROPERTY = "edgewiseTheme"


def set_theme(app: QApplication, dark: bool | None) -> None:
    """Keep ``app`` dark (True) or light (False) whatever the system does, or follow the system (None)."""
    app.setProperty(_THEME_PROPERTY, "" if dark is None else ("dark" if dark else "light"))
    apply_color_scheme(app)


def apply_color_scheme(app: QApplication) -> None:
    """Give ``app`` the palette of the chosen theme, or of the system's light or dark preference.

    Runs again whenever the system switches scheme; a theme chosen in the settings stays as chosen.
    """
    chosen = app.property(_THEME_PROPERTY)
    system_dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    dark = chosen == "dark" if chosen in ("dark", "light") else system_dark
    app.setPalette(dark_palette() if dark else app.style().standardPalette())


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


def run_gui(data_dir: Path, argv: list[str]) -> int:
    """Show the window (opening the document named in ``argv``, if any) and run until it closes.

    ``argv`` holds the arguments after the program name: Qt's own options (``-platform`` …) and at
    most one document path. Heavy modules load only when a job first needs them, so the window
    appears quickly.
    """
    from assistant.session import Session
    from ui.main_window import MainWindow

    app = create_application([sys.argv[0] if sys.argv and sys.argv[0] else APPLICATION.lower(), *argv])
    window = MainWindow(Session(data_dir))
    window.show()
    documents = [arg for arg in app.arguments()[1:] if arg and not arg.startswith("-")]
    if documents:
        window.open_path(Path(documents[0]))
    return app.exec()
