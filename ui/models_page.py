"""The Models page of Settings: the catalogue with its metadata and RAM estimate, add/remove/use, and the
models other apps downloaded.

Catalogue reads (GGUF headers, ~1 s each the first time) and adding a model (validation, optional copy) run
through the generic JobRunner, one at a time (both write the catalogue file), with the one progress display;
this module never imports an engine. Given the workspace's calibration job, the page also shows which default
this computer's measured speed chose and why, and measures again on request (through the same runner). The
role fields ("Use for summaries" and the rest) belong to the dialog's form, which saves them; this page fills
their choices and asks the dialog to use a model through ``use_requested``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.jobs import CancelToken, Job, ProgressCallback
from assistant.models.catalogue import Catalogue, CatalogueEntry
from assistant.models.choice import Calibration, describe
from assistant.models.discovery import DiscoveryRoots, FoundModel, discover_models
from assistant.settings import ROLE_OF_SETTING
from ui.job_progress import JobProgress
from ui.job_runner import JobRunner

MODEL_COLUMNS = ("Name", "Role", "Architecture", "Parameters", "Quantisation", "Context", "Size", "RAM needed")
ROLE_KINDS = {"model.chat": "llm", "model.translate": "llm", "model.answers": "llm", "model.speech": "speech"}
USE_BUTTONS = (("model.chat", "Use for summaries"), ("model.translate", "Use for translation"),
               ("model.answers", "Use for answers"), ("model.speech", "Use for speech"))


#: The workspace's calibration job: ``calibrate(progress=..., cancel=...)``.
CalibrateJob = Callable[..., Job[str, Calibration]]


def gib(size: int | None) -> str:
    return f"{size / 2**30:.2f} GiB" if size else "–"


def _load_models(
    catalogue: Catalogue, roots: DiscoveryRoots | None, *, progress: ProgressCallback, cancel: CancelToken
) -> dict[str, Any]:
    """Runs on the worker: every entry with its metadata, the RAM fit, and what other apps have."""
    from assistant.machine import available_ram
    from assistant.models.fit import default_threads, fitted_context, gpu_offload_supported

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
        "cores": default_threads(),
    }


class ModelsPage(QWidget):
    """Catalogue actions (add, remove) happen at once, not on the dialog's OK."""

    models_changed = Signal()
    use_requested = Signal(str, str)  # role setting ("model.chat"), model name
    loaded = Signal(dict)  # what the last catalogue read found, for the dialog's hardware line

    def __init__(
        self,
        catalogue: Catalogue,
        role_fields: dict[str, QComboBox],
        parent: QWidget | None = None,
        *,
        discovery_roots: DiscoveryRoots | None = None,
        calibrate: CalibrateJob | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self._calibrate = calibrate
        self.role_fields = role_fields
        self._roots = discovery_roots
        self._entries: list[CatalogueEntry] = []
        self._found: list[FoundModel] = []
        self._adding = False  # an add is the running job (a catalogue read is not "busy")
        self._measuring = False
        self.runner = JobRunner(self)
        self.runner.failed.connect(self._on_job_failed)
        self.runner.cancelled.connect(self._on_job_cancelled)
        self.runner.running_changed.connect(lambda _running: self._update_buttons())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = self._table(MODEL_COLUMNS)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add model…")
        self.add_button.clicked.connect(self._choose_model_file)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        self.use_buttons: dict[str, QPushButton] = {}
        for setting, label in USE_BUTTONS:
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, setting=setting: self._use_selected(setting))
            buttons.addWidget(button)
            self.use_buttons[setting] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.calibration_label = QLabel()
        self.calibration_label.setWordWrap(True)
        self.calibration_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.calibrate_button = QPushButton("Measure speed again")
        self.calibrate_button.setToolTip("Measure this computer's speed with the small model (a few seconds) and "
                                         "choose the default model from it; a model you chose stays")
        self.calibrate_button.clicked.connect(self.measure_speed)
        calibration_row = QHBoxLayout()
        calibration_row.addWidget(self.calibration_label, 1)
        calibration_row.addWidget(self.calibrate_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(calibration_row)
        for widget in (self.calibration_label, self.calibrate_button):
            widget.setVisible(calibrate is not None)
        self._show_calibration(self.catalogue.calibration())

        self.found_label = QLabel("Found on this computer (used in place, not copied):")
        layout.addWidget(self.found_label)
        self.found_table = self._table(("App", "Name", "Size", "File"))
        self.found_table.setMaximumHeight(140)
        layout.addWidget(self.found_table)
        self.add_found_button = QPushButton("Add selected")
        self.add_found_button.clicked.connect(self._add_found)
        found_row = QHBoxLayout()
        found_row.addWidget(self.add_found_button)
        found_row.addStretch(1)
        layout.addLayout(found_row)

        self.progress = JobProgress()
        self.progress.follow(self.runner)
        layout.addWidget(self.progress)
        self._update_buttons()

    def _table(self, columns: tuple[str, ...]) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels(columns)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        # Every column as wide as its text but the first, which takes what is left and shortens names in the
        # middle (their whole name is the tooltip), so the last column is never behind the scroll bar.
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.setWordWrap(False)
        table.itemSelectionChanged.connect(self._update_buttons)
        return table

    # -- reading the catalogue -----------------------------------------------------------------------
    @property
    def entries(self) -> list[CatalogueEntry]:
        """The catalogue as the table shows it."""
        return list(self._entries)

    def status(self) -> str:
        return self.progress.status()

    def reload_models(self) -> None:
        self._adding = False
        self.runner.start(partial(_load_models, self.catalogue, self._roots), on_finished=self._show_models)
        self.progress.set_status("Reading the models …")

    def selected_entry(self) -> CatalogueEntry | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._entries[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        busy = self.runner.is_running and self._adding
        self.add_button.setEnabled(not busy)
        self.remove_button.setEnabled(bool(entry and entry.source == "user") and not busy)
        for setting, button in self.use_buttons.items():
            button.setEnabled(bool(entry and entry.kind == ROLE_KINDS[setting] and entry.usable))
        self.add_found_button.setEnabled(bool(self.found_table.selectionModel().selectedRows()) and not busy)
        self.calibrate_button.setEnabled(not busy and not (self.runner.is_running and self._measuring))

    # -- the speed calibration -------------------------------------------------------------------------
    def _show_calibration(self, calibration: Calibration | None) -> None:
        if calibration is None:
            self.calibration_label.setText(
                "Default model: not measured yet. The first summary measures this computer's speed (a few "
                "seconds) to choose between the 0.5B model and the larger 1.5B one."
            )
            return
        lines = describe(calibration)
        self.calibration_label.setText(
            f"Default model chosen from this computer's measured speed: {lines[-1].removeprefix('default: ')}.\n"
            + "\n".join(line[0].upper() + line[1:] + "." for line in lines[:-1])
        )

    def measure_speed(self) -> None:
        """Run the workspace's calibration on the worker; the label and the role fields follow its result."""
        if self._calibrate is None:
            return
        self._adding, self._measuring = False, True
        self.runner.start(self._calibrate, on_finished=self._on_calibrated)
        self.progress.set_status("Measuring this computer's speed …")
        self._update_buttons()

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
                gib(info.size_bytes if info else None),
                f"{gib(estimate[0])} at {estimate[1]:,} tokens" if estimate else "–",
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 0:
                    cell.setToolTip(f"{text}\n{entry.name}\n{entry.path or ''}")
                if column == 7 and estimate and estimate[0] > free:
                    cell.setForeground(QBrush(QColor("#c62828")))
                    cell.setToolTip(f"More than the {gib(free)} of RAM free now: it may be very slow or fail.")
                self.table.setItem(row, column, cell)
        self._fill_role_fields()
        self.found_table.setRowCount(len(self._found))
        for row, found in enumerate(self._found):
            for column, text in enumerate((found.app, found.suggested_name, gib(found.size_bytes), str(found.path))):
                self.found_table.setItem(row, column, QTableWidgetItem(text))
        for widget in (self.found_label, self.found_table, self.add_found_button):
            widget.setVisible(bool(self._found))
        self.progress.set_status(f"{len(self._entries)} models.")
        self._update_buttons()
        self.loaded.emit(loaded)

    def _fill_role_fields(self) -> None:
        """Each role field offers the default and every usable model of its kind, keeping its choice."""
        for name, kind in ROLE_KINDS.items():
            field = self.role_fields[name]
            keep = field.currentData() if field.count() else self.catalogue.settings.get(name)
            role = ROLE_OF_SETTING[name]
            field.blockSignals(True)
            field.clear()
            field.addItem(f"Default ({self.catalogue.default_for(role)})", "")
            for entry in self._entries:
                if entry.kind == kind and entry.usable:
                    field.addItem(entry.display_name, entry.name)
            field.setCurrentIndex(max(0, field.findData(keep)))
            field.blockSignals(False)

    # -- actions ---------------------------------------------------------------------------------------
    def _use_selected(self, setting_name: str) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.use_requested.emit(setting_name, entry.name)

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
        self.runner.start(partial(self.catalogue.add, path, copy=copy, name=name), on_finished=self._on_added)
        self._adding = True
        self.progress.set_status(f"Checking {path.name} …")
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
            self.progress.set_status(str(error))
            return
        self.models_changed.emit()
        self.reload_models()

    def cancel_add(self) -> bool:
        """Stop an add in progress (Escape); False when there is none."""
        if not (self.runner.is_running and self._adding):
            return False
        self.runner.cancel()
        return True

    # -- worker events -----------------------------------------------------------------------------------
    def _on_calibrated(self, calibration: Calibration) -> None:
        self._measuring = False
        self._show_calibration(calibration)
        self.models_changed.emit()
        self.reload_models()
        self.progress.set_status(f"Measured: the default is now {calibration.choice}.")

    def _on_added(self, entry: CatalogueEntry) -> None:
        self._adding = False
        self.models_changed.emit()
        self.reload_models()
        self.progress.set_status(f"Added {entry.display_name}.")

    def _on_job_failed(self, message: str) -> None:
        self._adding = self._measuring = False
        self.progress.set_status(message)
        self._update_buttons()

    def _on_job_cancelled(self) -> None:
        if self._adding:
            self.progress.set_status("Stopped; the model was not added.")
        elif self._measuring:
            self.progress.set_status("Stopped; the default model is unchanged.")
        self._adding = self._measuring = False
        self._update_buttons()
