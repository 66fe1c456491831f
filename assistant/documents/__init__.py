"""Reading documents (PDF, Word, OpenDocument, text, Markdown, HTML, slides, sheets, e-mail, RTF, EPUB) and
scans and photos (by OCR) into plain text with page numbers."""

from assistant.documents.model import Document, Page
from assistant.documents.reader import (
    FILE_DIALOG_FILTER,
    READER_VERSION,
    SUPPORTED_SUFFIXES,
    document_from_text,
    read_document,
)

__all__ = [
    "FILE_DIALOG_FILTER",
    "READER_VERSION",
    "SUPPORTED_SUFFIXES",
    "Document",
    "Page",
    "document_from_text",
    "read_document",
]
