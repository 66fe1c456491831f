"""What a read document is: its pages of text and where it came from, as plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Page:
    """One page of text; ``number`` is 1-based for PDF and None for formats without pages."""

    number: int | None
    text: str


@dataclass(frozen=True)
class Document:
    """The text of one file (or of pasted text), ready for summaries, translation and search."""

    path: Path | None
    name: str
    format: str
    pages: tuple[Page, ...]
    title: str | None
    sha256: str
    encoding: str | None = None

    @property
    def text(self) -> str:
        # Blank pages (a PDF's empty back page) would only add runs of empty lines.
        return "\n\n".join(page.text for page in self.pages if page.text)

    @property
    def page_count(self) -> int | None:
        return len(self.pages) if self.format == "pdf" else None


@dataclass(frozen=True)
class Extracted:
    """What a format reader hands back; ``read_document`` adds the file's identity."""

    pages: tuple[Page, ...]
    title: str | None = None
    encoding: str | None = None

    @property
    def is_blank(self) -> bool:
        return not any(page.text.strip() for page in self.pages)


def clean_title(value: object) -> str | None:
    """A title worth showing, or None: metadata titles are often empty or whitespace."""
    if not isinstance(value, str):
        return None
    title = " ".join(value.replace("\x00", "").split())
    return title or None
