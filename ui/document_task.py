"""What the window works on: a document read off the GUI thread, and the result a summary or translation
produced (for Copy and Save as Markdown). No widgets here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.jobs import CancelToken, ProgressCallback

if TYPE_CHECKING:
    from assistant.documents import Document

SUMMARY, TRANSLATION = "summary", "translation"


@dataclass(frozen=True)
class LoadedDocument:
    """A document read in the worker, with its language already detected there."""

    document: Document
    language_code: str | None
    language_label: str | None


@dataclass
class Result:
    """The text in the result pane and what produced it, for Copy and Save as Markdown."""

    document: Document
    task: str  # SUMMARY or TRANSLATION
    settings: dict[str, str]
    text: str = ""
    stopped: bool = False


def loaded(document: Document) -> LoadedDocument:
    from assistant.text.language import detect_language, language_name

    code = detect_language(document.text)
    return LoadedDocument(document, code, language_name(code) if code else None)


def read_file(
    path: Path, *, progress: ProgressCallback, cancel: CancelToken, data_dir: Path | None = None
) -> LoadedDocument:
    """The job that opens a file: read it and detect its language, in the worker. Scanned pages read by OCR
    are kept in ``data_dir``'s OCR cache, so the same file opened again is not read by OCR again."""
    from assistant.documents import read_document
    from assistant.documents.ocr_cache import ocr_cache_for

    cache = ocr_cache_for(data_dir) if data_dir is not None else None
    return loaded(read_document(path, progress=progress, cancel=cancel, ocr_cache=cache))


def read_text(text: str, *, progress: ProgressCallback, cancel: CancelToken) -> LoadedDocument:
    """The job that turns pasted text into a document."""
    from assistant.documents import document_from_text

    return loaded(document_from_text(text))


def default_save_name(result: Result) -> str:
    """``<stem>-summary.md`` for a summary, ``<stem>-<language code>.md`` for a translation."""
    document = result.document
    stem = document.path.stem if document.path is not None else Path(document.name).stem
    stem = re.sub(r'[\\/:*?"<>|\s]+', "-", stem).strip("-.") or "document"
    suffix = "summary" if result.task == SUMMARY else result.settings.get("target", "translation")
    return f"{stem}-{suffix}.md"
