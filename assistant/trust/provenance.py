"""Provenance of generated text: on this device, by which model, from which source, with which settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assistant import __version__

AI_NOTICE = "AI-generated text: check it against the source before acting on it."


@dataclass(frozen=True)
class Provenance:
    task: str  # "summary (brief)", "translation to French" ...
    model_name: str
    model_sha256: str | None
    source_name: str
    source_sha256: str
    settings: dict[str, Any] = field(default_factory=dict)
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    app_version: str = __version__

    def as_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "model": self.model_name,
            "model_sha256": self.model_sha256,
            "source": {"name": self.source_name, "sha256": self.source_sha256},
            "settings": self.settings,
            "created": self.created.isoformat(timespec="seconds"),
            "generator": f"Edgewise {self.app_version}, on this device",
            "notice": AI_NOTICE,
        }

    @property
    def model_hash_prefix(self) -> str | None:
        return self.model_sha256[:12] if self.model_sha256 else None


def json_result(
    text: str,
    provenance: Provenance,
    *,
    mode: str,
    source_path: str | None,
    unsupported: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    """The one object `--json` prints: the text, how it was made, from what, and the figures not backed."""
    record = provenance.as_dict()
    return {
        "text": text,
        "mode": mode,
        "model": provenance.model_name,
        "model_sha256_prefix": provenance.model_hash_prefix,
        "source": {"path": source_path, "name": provenance.source_name, "sha256": provenance.source_sha256},
        "unsupported": unsupported,
        "created": record["created"],
        "task": provenance.task,
        "settings": provenance.settings,
        "generator": record["generator"],
        "notice": AI_NOTICE,
        **extra,
    }


def markdown_document(text: str, provenance: Provenance) -> str:
    """A Markdown file whose first lines say where the text came from."""
    model_hash = f" (sha256 {provenance.model_sha256[:12]}…)" if provenance.model_sha256 else ""
    settings = ", ".join(f"{key} {value}" for key, value in provenance.settings.items())
    when = provenance.created.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"> **Generated on this device** by Edgewise {provenance.app_version}: {provenance.task}",
        f"> with {provenance.model_name}{model_hash}",
        f"> from `{provenance.source_name}` (sha256 {provenance.source_sha256[:16]}…) on {when}.",
    ]
    if settings:
        lines.append(f"> Settings: {settings}.")
    lines.append(f"> {AI_NOTICE}")
    return "\n".join(lines) + "\n\n" + text.strip() + "\n"
