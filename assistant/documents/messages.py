"""The errors a person sees when a document cannot be read: one plain sentence that names the file."""

from __future__ import annotations

from assistant.errors import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoTextLayerError,
    UnsupportedFormatError,
)

SUPPORTED_DESCRIPTION = (
    "PDF, Word (.docx, .doc), OpenDocument (.odt, .ods), PowerPoint (.pptx), Excel (.xlsx, .xls), CSV (.csv, .tsv), "
    "e-mail (.eml, .msg), RTF, EPUB, text, Markdown and HTML files, and images (JPEG, PNG, TIFF, WebP)"
)


def not_found(name: str) -> DocumentError:
    return DocumentError(f"{name} was not found. It may have been moved, renamed or deleted.")


def not_a_file(name: str) -> DocumentError:
    return DocumentError(f"{name} is a folder, not a document. Choose a file inside it instead.")


def cannot_open(name: str, reason: str) -> DocumentError:
    return DocumentError(f"{name} could not be opened ({reason}).")


def unsupported(name: str) -> UnsupportedFormatError:
    return UnsupportedFormatError(
        f"{name} is not a supported file type. Edgewise reads {SUPPORTED_DESCRIPTION}."
    )


def encrypted(name: str) -> EncryptedDocumentError:
    return EncryptedDocumentError(
        f"{name} is password protected. Remove the password (or open it and save an unprotected copy) "
        "and try again."
    )


def no_text_layer(name: str) -> NoTextLayerError:
    return NoTextLayerError(f"{name} has no text: its pages hold neither text nor a scanned image to read.")


def no_text_found(name: str) -> NoTextLayerError:
    return NoTextLayerError(
        f"{name} looks scanned, but OCR found no text in it: the images are blank, pictures without words, "
        "or too blurred to read."
    )


def unreadable_font(name: str) -> NoTextLayerError:
    return NoTextLayerError(
        f"{name} cannot be read: its fonts map their letters to the wrong characters (often an old font for "
        "Arabic or another script), and OCR could not read its pages either."
    )


def garbled_pages(name: str, numbers: list[int], *, by_ocr: bool) -> str:
    """The note for pages whose font maps its letters to the wrong characters: read by OCR instead, or left out."""
    pages = f"page {numbers[0]}" if len(numbers) == 1 else "pages " + ", ".join(map(str, numbers))
    if by_ocr:
        return f"In {name}, {pages}: the font maps its letters to the wrong characters, so OCR read the page instead."
    return (
        f"In {name}, {pages}: the font maps its letters to the wrong characters and OCR could not read the page "
        "either (perhaps a script whose Tesseract pack is not installed), so it is left without text."
    )


def reader_missing(name: str, library: str | None) -> DocumentError:
    """The library that reads this kind of file is not installed: the installation, not the file, is at fault."""
    part = f" ({library})" if library else ""
    return DocumentError(
        f"{name} cannot be read here: the library that reads this kind of file{part} is missing from this "
        "installation. Install Edgewise again (from its source folder: make setup)."
    )


def corrupt(name: str) -> CorruptDocumentError:
    return CorruptDocumentError(f"{name} is corrupt or damaged and cannot be read.")


def wrong_content(name: str, expected: str) -> CorruptDocumentError:
    return CorruptDocumentError(
        f"{name} is corrupt or damaged and cannot be read: it does not contain {expected} data."
    )


def not_text(name: str) -> CorruptDocumentError:
    return CorruptDocumentError(
        f"{name} is corrupt or damaged and cannot be read: it does not look like a text file."
    )


def empty(name: str) -> EmptyDocumentError:
    return EmptyDocumentError(f"{name} is empty: there is no text to work on.")
