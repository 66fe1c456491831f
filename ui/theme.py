"""Light and dark: the dark Fusion palette, the theme chosen in the settings, and following the system's
scheme when none is chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


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


THEME_DARK = {"system": None, "dark": True, "light": False}


def apply_theme(theme: str) -> None:
    """Light, dark, or whatever the system prefers."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        set_theme(app, THEME_DARK.get(theme))
