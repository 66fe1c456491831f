"""The PySide6 GUI of Edgewise; it drives the core in ``assistant`` and never imports an engine."""
