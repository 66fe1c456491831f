"""Edit > Settings…: one page per group of the settings declaration (assistant/settings.py); the Models page
adds the catalogue (ui/models_page.py).

Fields are built from the one declaration, so a new setting appears here without code. This module never
imports an engine.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.models.catalogue import Catalogue
from assistant.models.discovery import DiscoveryRoots
from assistant.settings import DECLARATION, ROLE_OF_SETTING, Setting
from ui.models_page import ROLE_KINDS, CalibrateJob, ModelsPage, gib


class SettingsDialog(QDialog):
    """Changes to fields are saved on OK/Apply (refused ones are named and nothing is half-saved); catalogue
    actions (add, remove) happen at once."""

    saved = Signal(list)  # names of the settings that changed

    def __init__(
        self,
        catalogue: Catalogue,
        parent: QWidget | None = None,
        *,
        discovery_roots: DiscoveryRoots | None = None,
        calibrate: CalibrateJob | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._calibrate = calibrate
        self.resize(1260, 640)  # the Models table with its names whole and every column in view
        self.setMinimumSize(880, 520)  # the Models table's columns, the name column shortened
        self.catalogue = catalogue  # the data folder's own, with its settings
        self.settings = self.catalogue.settings
        self._roots = discovery_roots
        self.fields: dict[str, QWidget] = {}

        self.pages = QListWidget()
        self.pages.setFixedWidth(130)
        self.stack = QStackedWidget()
        self.pages.currentRowChanged.connect(self.stack.setCurrentIndex)
        for page in dict.fromkeys(item.page for item in DECLARATION):
            self.pages.addItem(page)
            self.stack.addWidget(self._models_page() if page == "Models" else self._page(page))

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)

        body = QHBoxLayout()
        body.addWidget(self.pages)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.pages.setCurrentRow(0)
        self.load_values()
        self.models.reload_models()

    # -- pages built from the declaration --------------------------------------------------------
    def _page(self, page: str) -> QWidget:
        widget = QWidget()
        form = QFormLayout(widget)
        for item in DECLARATION:
            if item.page == page:
                form.addRow(item.description + ":", self._field(item))
        if page == "Performance":
            self.hardware_label = QLabel("Checking this computer …")
            self.hardware_label.setWordWrap(True)
            form.addRow(self.hardware_label)
        return widget

    def _field(self, item: Setting) -> QWidget:
        field: QWidget
        if item.name in ROLE_KINDS:
            field = QComboBox()
        elif item.choices:
            field = QComboBox()
            for choice in item.choices:
                field.addItem(item.choice_labels.get(choice, choice), choice)
        elif item.type is bool:
            field = QCheckBox()
        elif item.type is int:
            field = QSpinBox()
            field.setRange(item.minimum or 0, item.maximum or 1_000_000)
            field.setSpecialValueText(item.choice_labels.get("0", "Automatic"))
        else:
            field = QLineEdit()
            field.setPlaceholderText("Default")
        field.setObjectName(item.name)
        field.setToolTip(item.description)
        self.fields[item.name] = field
        if item.name == "data_folder":
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(field, 1)
            browse = QPushButton("Browse…")
            browse.clicked.connect(self._browse_data_folder)
            line.addWidget(browse)
            return row
        return field

    def _models_page(self) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        form = QFormLayout()
        for item in DECLARATION:
            if item.page == "Models":
                form.addRow(item.description.split(" (")[0] + ":", self._field(item))
        layout.addLayout(form)
        role_fields = {name: self.fields[name] for name in ROLE_KINDS}
        assert all(isinstance(field, QComboBox) for field in role_fields.values())
        self.models = ModelsPage(
            self.catalogue, role_fields, discovery_roots=self._roots, calibrate=self._calibrate  # type: ignore[arg-type]
        )
        self.models.use_requested.connect(self._use_model)
        self.models.loaded.connect(self._show_hardware)
        layout.addWidget(self.models, 1)
        return widget

    # -- values ---------------------------------------------------------------------------------
    def load_values(self) -> None:
        for item in DECLARATION:
            self._show_value(item, self.settings.get(item.name))

    def _show_value(self, item: Setting, value: Any) -> None:
        field = self.fields[item.name]
        if isinstance(field, QComboBox):
            index = field.findData(value)
            if index < 0 and item.name in ROLE_KINDS:
                field.addItem(value or "Default", value)
                index = field.count() - 1
            field.setCurrentIndex(max(0, index))
        elif isinstance(field, QCheckBox):
            field.setChecked(bool(value))
        elif isinstance(field, QSpinBox):
            field.setValue(int(value))
        elif isinstance(field, QLineEdit):
            field.setText(str(value))

    def value_of(self, name: str) -> Any:
        field = self.fields[name]
        if isinstance(field, QComboBox):
            return field.currentData()
        if isinstance(field, QCheckBox):
            return field.isChecked()
        if isinstance(field, QSpinBox):
            return field.value()
        assert isinstance(field, QLineEdit)
        return field.text().strip()

    def apply(self) -> bool:
        """Validate every field first, then save; on a refusal nothing is saved and the reason is shown."""
        changes = {}
        try:
            for item in DECLARATION:
                value = self.value_of(item.name)
                if value is None or value == self.settings.get(item.name):
                    continue
                changes[item.name] = item.validate(value)
            for name, value in changes.items():
                if name in ROLE_OF_SETTING and value:
                    self.catalogue.use(value, ROLE_OF_SETTING[name])
                else:
                    self.settings.set(name, value)
        except Exception as error:  # noqa: BLE001 - SettingError or a model refused by the catalogue
            self.error.setStyleSheet("color: #c62828;")
            self.error.setText(str(error))
            self.error.show()
            return False
        self.error.hide()
        if changes:
            self.saved.emit(list(changes))
            if "data_folder" in changes:
                self.error.setText("The new data folder is used from the next start of Edgewise.")
                self.error.setStyleSheet("")
                self.error.show()
        return True

    def accept(self) -> None:
        if self.apply():
            self.models.runner.shutdown(500)
            super().accept()

    def reject(self) -> None:
        self.models.runner.shutdown(500)
        super().reject()

    def _browse_data_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Data folder")
        if folder:
            field = self.fields["data_folder"]
            assert isinstance(field, QLineEdit)
            field.setText(folder)

    # -- the Models page's requests --------------------------------------------------------------
    def _use_model(self, setting_name: str, model: str) -> None:
        field = self.fields[setting_name]
        assert isinstance(field, QComboBox)
        field.setCurrentIndex(max(0, field.findData(model)))
        self.apply()
        self.models.reload_models()

    def _show_hardware(self, loaded: dict[str, Any]) -> None:
        if hasattr(self, "hardware_label"):
            gpu = "supported" if loaded["gpu"] else "not available in this build (CPU only)"
            self.hardware_label.setText(
                f"This computer: {loaded['cores']} physical cores, {gib(loaded['free_ram'])} of RAM free. "
                f"GPU offload: {gpu}."
            )

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape and self.models.cancel_add():
            return
        super().keyPressEvent(event)
