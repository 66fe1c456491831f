"""Reading documents (PDF, Word, OpenDocument, text, Markdown, HTML) into plain text with page numbers."""

from assistant.documents.model import Document, Page
from assistant.documents.reader import (
    FILE_DIALOG_FILTER,
    SUPPORTED_SUFFIXES,
    document_from_text,
    read_document,
)

__all__ = [
    "FILE_DIALOG_FILTER",
    "SUPPORTED_SUFFIXES",
    "Document",
    "Page",
    "document_from_text",
    "read_document",
]
