"""Edit > Settings…: one page per group of the settings declaration (assistant/settings.py), plus the Models
page: the catalogue with its metadata and RAM estimate, add/remove/use, and models other apps downloaded.

Fields are built from the one declaration, so a new setting appears here without code. Catalogue reads
(GGUF headers, ~1 s each the first time) and adding a model (validation, optional copy) run through the
generic JobRunner; this module never imports an engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.catalogue import Catalogue, CatalogueEntry
from assistant.discovery import DiscoveryRoots, FoundModel, discover_models
from assistant.settings import DECLARATION, MODEL_ROLES, Setting
from ui.workers import JobRunner

MODEL_COLUMNS = ("Name", "Role", "Architecture", "Parameters", "Quantisation", "Context", "Size", "RAM needed")
ROLE_KINDS = {"model.chat": "llm", "model.translate": "llm", "model.speech": "speech"}


def _gib(size: int | None) -> str:
    return f"{size / 2**30:.2f} GiB" if size else "–"


def _load_models(catalogue: Catalogue, roots: DiscoveryRoots | None) -> dict[str, Any]:
    """Runs on the worker: every entry with its metadata, the RAM fit, and what other apps have."""
    from assistant.model_fit import available_ram, fitted_context, gpu_offload_supported

    entries = catalogue.entries()
    context_setting = catalogue.settings.get("context_size")
    estimates = {}
    for entry in entries:
        if entry.info is not None:
            n_ctx = fitted_context(entry.info, context_setting)
            estimates[entry.name] = (entry.info.estimated_ram(n_ctx), n_ctx)
    known_paths = {entry.path for entry in entries}
    found = [model for model in discover_models(roots) if model.path not in known_paths]
    return {
        "entries": entries,
        "estimates": estimates,
        "free_ram": available_ram(),
        "found": found,
        "roles": catalogue.roles(),
        "gpu": gpu_offload_supported(),
    }


class SettingsDialog(QDialog):
    """Changes to fields are saved on OK/Apply (refused ones are named and nothing is half-saved); catalogue
    actions (add, remove) happen at once."""

    saved = Signal(list)  # names of the settings that changed
    models_changed = Signal()

    def __init__(
        self,
        data_dir: Path,
        parent: QWidget | None = None,
        *,
        discovery_roots: DiscoveryRoots | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.resize(900, 560)
        self.catalogue = Catalogue(data_dir)
        self.settings = self.catalogue.settings
        self._roots = discovery_roots
        self._entries: list[CatalogueEntry] = []
        self._found: list[FoundModel] = []
        self._pending_add: tuple[Path, bool] | None = None
        self.fields: dict[str, QWidget] = {}
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._on_job_finished)
        self.runner.failed.connect(self._on_job_failed)
        self.runner.progress.connect(self._on_job_progress)
        self.runner.running_changed.connect(self._on_running_changed)
        self._job = ""

        self.pages = QListWidget()
        self.pages.setFixedWidth(150)
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
        self.reload_models()

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
            field.setSpecialValueText("Automatic")
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

        self.table = QTableWidget(0, len(MODEL_COLUMNS))
        self.table.setHorizontalHeaderLabels(MODEL_COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add model…")
        self.add_button.clicked.connect(self._choose_model_file)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove_selected)
        self.use_chat_button = QPushButton("Use for summaries")
        self.use_chat_button.clicked.connect(lambda: self._use_selected("model.chat"))
        self.use_translate_button = QPushButton("Use for translation")
        self.use_translate_button.clicked.connect(lambda: self._use_selected("model.translate"))
        self.use_speech_button = QPushButton("Use for speech")
        self.use_speech_button.clicked.connect(lambda: self._use_selected("model.speech"))
        for button in (self.add_button, self.remove_button, self.use_chat_button, self.use_translate_button,
                       self.use_speech_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.found_label = QLabel("Found on this computer (used in place, not copied):")
        layout.addWidget(self.found_label)
        self.found_table = QTableWidget(0, 4)
        self.found_table.setHorizontalHeaderLabels(("App", "Name", "Size", "File"))
        self.found_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.found_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.found_table.verticalHeader().hide()
        self.found_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.found_table.setMaximumHeight(140)
        self.found_table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.found_table)
        self.add_found_button = QPushButton("Add selected")
        self.add_found_button.clicked.connect(self._add_found)
        found_row = QHBoxLayout()
        found_row.addWidget(self.add_found_button)
        found_row.addStretch(1)
        layout.addLayout(found_row)

        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.progress)
        layout.addLayout(status_row)
        self._update_buttons()
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
                if name in MODEL_ROLES.values() and value:
                    role = next(role for role, key in MODEL_ROLES.items() if key == name)
                    self.catalogue.use(value, role)
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
            self.runner.shutdown(500)
            super().accept()

    def reject(self) -> None:
        self.runner.shutdown(500)
        super().reject()

    def _browse_data_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Data folder")
        if folder:
            field = self.fields["data_folder"]
            assert isinstance(field, QLineEdit)
            field.setText(folder)

    # -- models ---------------------------------------------------------------------------------
    def reload_models(self) -> None:
        catalogue, roots = self.catalogue, self._roots
        self._job = "load"
        self.status.setText("Reading the models …")
        self.runner.start(lambda progress, cancel: _load_models(catalogue, roots))

    def selected_entry(self) -> CatalogueEntry | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._entries[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        busy = self.runner.is_running and self._job != "load"
        self.add_button.setEnabled(not busy)
        self.remove_button.setEnabled(bool(entry and entry.source == "user") and not busy)
        self.use_chat_button.setEnabled(bool(entry and entry.kind == "llm" and entry.usable))
        self.use_translate_button.setEnabled(bool(entry and entry.kind == "llm" and entry.usable))
        self.use_speech_button.setEnabled(bool(entry and entry.kind == "speech" and entry.usable))
        self.add_found_button.setEnabled(bool(self.found_table.selectionModel().selectedRows()) and not busy)

    def _show_models(self, loaded: dict[str, Any]) -> None:
        self._entries = loaded["entries"]
        self._found = loaded["found"]
        roles: dict[str, str] = loaded["roles"]
        free = loaded["free_ram"]
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            info = entry.info
            serves = ", ".join(role for role, name in roles.items() if name == entry.name)
            estimate = loaded["estimates"].get(entry.name)
            cells = (
                entry.display_name if entry.state == "ready" else f"{entry.display_name} ({entry.state})",
                serves,
                info.architecture if info else entry.kind,
                info.parameters_label if info else "–",
                info.quantization if info else "–",
                f"{info.context_length:,}" if info else "–",
                _gib(info.size_bytes if info else None),
                f"{_gib(estimate[0])} at {estimate[1]:,} tokens" if estimate else "–",
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 0:
                    cell.setToolTip(f"{entry.name}\n{entry.path or ''}")
                if column == 7 and estimate and estimate[0] > free:
                    cell.setForeground(QBrush(QColor("#c62828")))
                    cell.setToolTip(f"More than the {_gib(free)} of RAM free now: it may be very slow or fail.")
                self.table.setItem(row, column, cell)
        self._fill_role_fields()
        self.found_table.setRowCount(len(self._found))
        for row, found in enumerate(self._found):
            for column, text in enumerate((found.app, found.suggested_name, _gib(found.size_bytes), str(found.path))):
                self.found_table.setItem(row, column, QTableWidgetItem(text))
        self.found_label.setVisible(bool(self._found))
        self.found_table.setVisible(bool(self._found))
        self.add_found_button.setVisible(bool(self._found))
        gpu = "supported" if loaded["gpu"] else "not available in this build (CPU only)"
        if hasattr(self, "hardware_label"):
            from assistant.model_fit import default_threads

            self.hardware_label.setText(
                f"This computer: {default_threads()} physical cores, {_gib(free)} of RAM free. GPU offload: {gpu}."
            )
        self.status.setText(f"{len(self._entries)} models.")
        self._update_buttons()

    def _fill_role_fields(self) -> None:
        for name, kind in ROLE_KINDS.items():
            field = self.fields[name]
            assert isinstance(field, QComboBox)
            keep = field.currentData() if field.count() else self.settings.get(name)
            role = next(role for role, key in MODEL_ROLES.items() if key == name)
            field.blockSignals(True)
            field.clear()
            field.addItem(f"Default ({self.catalogue.default_for(role)})", "")
            for entry in self._entries:
                if entry.kind == kind and entry.usable:
                    field.addItem(entry.display_name, entry.name)
            index = field.findData(keep)
            field.setCurrentIndex(max(0, index))
            field.blockSignals(False)

    def _use_selected(self, setting_name: str) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        field = self.fields[setting_name]
        assert isinstance(field, QComboBox)
        field.setCurrentIndex(max(0, field.findData(entry.name)))
        self.apply()
        self.reload_models()

    def _choose_model_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add a model", str(Path.home()), "GGUF models (*.gguf)")
        if path:
            self.add_model_file(Path(path))

    def ask_copy(self, path: Path) -> bool | None:
        """Keep the file where it is, or copy it into the data folder? None: the user cancelled."""
        box = QMessageBox(self)
        box.setWindowTitle("Add a model")
        box.setText(f"Use {path.name} where it is, or copy it into Edgewise's data folder?")
        box.setInformativeText("Copying keeps the model even if the original is moved or deleted.")
        in_place = box.addButton("Use in place", QMessageBox.ButtonRole.AcceptRole)
        copy = box.addButton("Copy into data folder", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return None if clicked not in (in_place, copy) else clicked is copy

    def add_model_file(self, path: Path, copy: bool | None = None, name: str | None = None) -> None:
        """The add flow (file dialog, a dropped file, or a found model): validate and register on the worker."""
        if copy is None:
            copy = self.ask_copy(path)
            if copy is None:
                return
        catalogue = self.catalogue
        self._job = "add"
        self.status.setText(f"Checking {path.name} …")
        self.runner.start(
            lambda progress, cancel: catalogue.add(path, copy=copy, name=name, progress=progress, cancel=cancel)
        )
        self._update_buttons()

    def _add_found(self) -> None:
        rows = self.found_table.selectionModel().selectedRows()
        if rows:
            found = self._found[rows[0].row()]
            self.add_model_file(found.path, copy=False, name=found.suggested_name)

    def _remove_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.source != "user":
            return
        what = "and delete its copy in the data folder" if entry.copied else "(the file itself stays)"
        answer = QMessageBox.question(self, "Remove model", f"Remove {entry.display_name} {what}?")
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_model(entry.name)

    def remove_model(self, name: str) -> None:
        try:
            self.catalogue.remove(name)
        except Exception as error:  # noqa: BLE001 - an EdgewiseError with a message for the user
            self.status.setText(str(error))
            return
        self.models_changed.emit()
        self.reload_models()

    # -- worker events --------------------------------------------------------------------------
    def _on_job_finished(self, result: object) -> None:
        self.progress.hide()
        if self._job == "load":
            assert isinstance(result, dict)
            self._show_models(result)
        elif self._job == "add":
            assert isinstance(result, CatalogueEntry)
            self.models_changed.emit()
            self.reload_models()
            self.status.setText(f"Added {result.display_name}.")

    def _on_job_failed(self, message: str) -> None:
        self.progress.hide()
        self.status.setText(message)
        self._update_buttons()

    def _on_job_progress(self, done: int, total: int, message: str) -> None:
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * done / total))
            self.progress.show()
        self.status.setText(message)

    def _on_running_changed(self, running: bool) -> None:
        if hasattr(self, "add_button"):
            self._update_buttons()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape and self.runner.is_running and self._job == "add":
            self.runner.cancel()
            self.status.setText("Stopped.")
            return
        super().keyPressEvent(event)
