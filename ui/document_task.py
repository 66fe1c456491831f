"""What the window works on: a document read off the GUI thread, and the result a summary or translation
produced (for Copy and Save as Markdown). No widgets here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


@dataclass
class RunningTask:
    kind: str  # "load", SUMMARY or TRANSLATION
    result: Result | None = None
    streaming: bool = field(default=False)


def loaded(document: Document) -> LoadedDocument:
    from assistant.text.language import detect_language, language_name

    code = detect_language(document.text)
    return LoadedDocument(document, code, language_name(code) if code else None)


def read_file_job(path: Path, data_dir: Path | None = None) -> Any:
    """Read ``path``; scanned pages read by OCR are kept in the data folder's OCR cache for the next time."""

    def job(progress: ProgressCallback, cancel: CancelToken) -> LoadedDocument:
        from assistant.documents import read_document
        from assistant.documents.ocr_cache import ocr_cache_for

        cache = ocr_cache_for(data_dir) if data_dir is not None else None
        return loaded(read_document(path, progress=progress, cancel=cancel, ocr_cache=cache))

    return job


def text_job(text: str) -> Any:
    def job(progress: ProgressCallback, cancel: CancelToken) -> LoadedDocument:
        from assistant.documents import document_from_text

        return loaded(document_from_text(text))

    return job


def default_save_name(result: Result) -> str:
    """``<stem>-summary.md`` for a summary, ``<stem>-<language code>.md`` for a translation."""
    document = result.document
    stem = document.path.stem if document.path is not None else Path(document.name).stem
    stem = re.sub(r'[\\/:*?"<>|\s]+', "-", stem).strip("-.") or "document"
    suffix = "summary" if result.task == SUMMARY else result.settings.get("target", "translation")
    return f"{stem}-{suffix}.md"
