"""The window's main toolbar: Open, the summary length, Summarize and its Fast/Thorough mode, the target
language and Translate, Stop, Copy and Save."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QWidget

from assistant.settings import setting

#: The summary lengths with their labels, in the order the combo shows them: the setting's own.
LENGTH_LABELS = setting("summary.length").choice_labels


class DocumentToolbar(QToolBar):
    def __init__(self, parent: QWidget, actions: dict[str, QAction], mode_combo: QComboBox) -> None:
        from assistant.text.language import TRANSLATION_LANGUAGES

        super().__init__("Main", parent)
        self.setObjectName("mainToolbar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addAction(actions["open"])
        self.addSeparator()

        self.length_combo = QComboBox()
        self.length_combo.setObjectName("lengthCombo")
        for value, label in LENGTH_LABELS.items():
            self.length_combo.addItem(label, value)
        self.length_combo.setAccessibleName("Summary length")
        self.addWidget(_label("Summary", self.length_combo))
        self.addWidget(self.length_combo)
        self.addAction(actions["summarize"])
        self.addWidget(mode_combo)  # "Fast" or "Thorough" says what it is; its tooltip says more
        self.addSeparator()

        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        for code, name in TRANSLATION_LANGUAGES.items():  # the core's order
            self.language_combo.addItem(name, code)
        self.language_combo.setAccessibleName("Translate to")
        self.language_combo.setMaxVisibleItems(20)
        self.addWidget(_label("Translate to", self.language_combo))
        self.addWidget(self.language_combo)
        self.addAction(actions["translate"])
        self.addSeparator()

        self.addAction(actions["stop"])
        self.addSeparator()
        self.addAction(actions["copy"])
        actions["save"].setIconText("Save…")  # the menu keeps "Save as Markdown…"; the toolbar must fit 900 px
        self.addAction(actions["save"])


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(f"{text} ")
    label.setBuddy(buddy)
    label.setContentsMargins(6, 0, 0, 0)
    return label
