"""``read_document``: pick the reader by file suffix, check the content matches, and turn every failure
into a document error whose message names the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.documents import messages
from assistant.documents.model import Document, Extracted, Page
from assistant.documents.plain import normalise_line_ends
from assistant.errors import DocumentError
from assistant.jobs import Cancelled, CancelToken, ProgressCallback

#: Suffix (lower case) -> the ``Document.format`` it is read as.
FORMAT_BY_SUFFIX: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(FORMAT_BY_SUFFIX)
FILE_DIALOG_FILTER = (
    "Documents (" + " ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES) + ");;All files (*)"
)
PASTED_TEXT_NAME = "Pasted text"
# PDF readers accept a little junk before the header; so does PDFium.
_PDF_HEADER_WINDOW = 1024


def read_document(
    path: str | Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Document:
    """Read a PDF, Word, OpenDocument, text, Markdown or HTML file into a :class:`Document`.

    Raises only ``DocumentError`` subclasses (plus ``Cancelled`` when ``cancel`` is set); a library's
    own exception is kept as ``__cause__`` for the log.
    """
    path = Path(path)
    name = path.name or str(path)
    format_ = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if format_ is None:
        raise messages.unsupported(name)
    data = _read_bytes(path, name)
    if not data.strip():
        raise messages.empty(name)
    try:
        extracted = _extract(format_, data, name, progress, cancel)
    except (DocumentError, Cancelled):
        raise
    except MemoryError:
        raise  # not a property of the file; the caller should see it for what it is
    except Exception as error:
        raise messages.corrupt(name) from error
    if extracted.is_blank:
        raise messages.empty(name)
    return Document(
        path=path,
        name=name,
        format=format_,
        pages=extracted.pages,
        title=extracted.title,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=extracted.encoding,
    )


def document_from_text(text: str, name: str = PASTED_TEXT_NAME) -> Document:
    """A document made from text the person pasted or typed; blank text raises ``EmptyDocumentError``."""
    text = normalise_line_ends(text)
    if not text.strip():
        raise messages.empty(name)
    return Document(
        path=None,
        name=name,
        format="text",
        pages=(Page(None, text),),
        title=None,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise messages.not_found(name) from error
    except IsADirectoryError as error:
        raise messages.not_a_file(name) from error
    except OSError as error:
        raise messages.cannot_open(name, error.strerror or type(error).__name__) from error


def _extract(
    format_: str,
    data: bytes,
    name: str,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> Extracted:
    # Format readers import their library on first use: ``import assistant.documents`` stays cheap.
    if format_ == "pdf":
        if b"%PDF-" not in data[:_PDF_HEADER_WINDOW]:
            raise messages.wrong_content(name, "PDF")
        from assistant.documents.pdf import read_pdf

        return read_pdf(data, name, progress=progress, cancel=cancel)
    if format_ == "docx":
        from assistant.documents.office import read_docx

        return read_docx(data, name)
    if format_ == "odt":
        from assistant.documents.office import read_odt

        return read_odt(data, name)
    if format_ == "html":
        from assistant.documents.web import read_html

        return read_html(data, name)
    from assistant.documents.plain import read_plain

    return read_plain(data, name, markdown=format_ == "markdown")
