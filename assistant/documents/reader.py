"""``read_document``: pick the reader by file suffix, check the content matches, and turn every failure
into a document error whose message names the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.documents import messages
from assistant.documents.model import Document, Extracted, Page
from assistant.documents.ocr_cache import OcrCache
from assistant.documents.plain import normalise_line_ends
from assistant.errors import DocumentError
from assistant.jobs import Cancelled, CancelToken, ProgressCallback

#: Suffix (lower case) -> the ``Document.format`` it is read as.
FORMAT_BY_SUFFIX: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".odt": "odt",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pptx": "pptx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".csv": "csv",
    ".tsv": "csv",
    ".eml": "eml",
    ".msg": "msg",
    ".rtf": "rtf",
    ".epub": "epub",
    ".jpg": "image",
    ".jpeg": "image",
    ".png": "image",
    ".tif": "image",
    ".tiff": "image",
    ".webp": "image",
}
#: Suffixes read by OCR (photos and scans): dropped on the window like documents.
IMAGE_SUFFIXES: tuple[str, ...] = tuple(suffix for suffix, kind in FORMAT_BY_SUFFIX.items() if kind == "image")
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(FORMAT_BY_SUFFIX)
FILE_DIALOG_FILTER = (
    "Documents and images (" + " ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES) + ");;"
    "Images (" + " ".join(f"*{suffix}" for suffix in IMAGE_SUFFIXES) + ");;All files (*)"
)
PASTED_TEXT_NAME = "Pasted text"
# PDF readers accept a little junk before the header; so does PDFium.
_PDF_HEADER_WINDOW = 1024
#: Raised whenever a change makes the readers give a document's text differently (version 2: a PDF form's filled-in
#: fields and text boxes, XFA form data, Word content controls and smart tags, slide charts; 3: a PDF's ruled tables
#: row by row with their headings; 4: a PDF's symbol-font bullets and boxes as Unicode, its margin line numbers
#: left out; 5: an Outlook message's 8-bit subject and names in its code page, code page 950 read, a sheet's unit
#: and period line over a wider header a title, and a scan under a short text stamp read by OCR; 6: a web page led by
#: its headline, link texts wrapped in its source on one line, its table cells' lists and dates kept; a PDF's drawn
#: soft hyphens as hyphens, a two-column table of labels without headings row by row, a page drawn from the bottom
#: up (or a block of it) read from the top, labels given before their values read label by value, a scan's text
#: stamp kept above its OCR, a ticked option named by its tooltip said once; a mail's Word field codes left out; 7: a
#: line break inside a slide's paragraph kept, its slide-number box left out; a web page's schema.org date, time and
#: place kept; a letter-spaced PDF page read as words; 8: Word 97-2003 .doc (antiword) and Excel 97-2003 .xls read,
#: an e-mail's .doc attachment too; 9: a PDF page whose font maps its letters to the wrong characters read by OCR, or
#: left without text; 10: a sheet's numbers as its number formats show them, "19.7%" for 0.197; 11: a web table's
#: cell spanning more columns than its table has adds none; 12: a sheet's tables stacked under their captions read
#: apart, a note under a table a line; 13: .csv and .tsv read; 14: a web page's links to documents that name them read
#: as its text): a library reads its documents read by an older version again at its next scan, failures included.
READER_VERSION = 14


def read_document(
    path: str | Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    ocr_cache: OcrCache | None = None,
) -> Document:
    """Read a document or image (see ``FORMAT_BY_SUFFIX``) into a :class:`Document`; scanned pages and images
    are read by OCR, with a progress message per page. Pages kept in ``ocr_cache`` (by the file's content
    hash) are not read by OCR again, and newly read ones are kept there.

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
    sha256 = hashlib.sha256(data).hexdigest()
    cached = ocr_cache.get(sha256) if ocr_cache is not None else {}
    try:
        extracted = _extract(format_, data, name, progress, cancel, cached)
    except (DocumentError, Cancelled):
        raise
    except MemoryError:
        raise  # not a property of the file; the caller should see it for what it is
    except ImportError as error:  # nor is a reader library missing from the installation
        raise messages.reader_missing(name, error.name) from error
    except Exception as error:
        raise messages.corrupt(name) from error
    if extracted.is_blank:
        raise messages.empty(name)
    document = Document(
        path=path,
        name=name,
        format=format_,
        pages=extracted.pages,
        title=extracted.title,
        sha256=sha256,
        encoding=extracted.encoding,
        notes=extracted.notes,
    )
    if ocr_cache is not None and any(page.read_by_ocr and page.number not in cached for page in document.pages):
        ocr_cache.put(sha256, document.ocr_pages)
    return document


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
    cached: dict[int, Page],
) -> Extracted:
    # Format readers import their library on first use: ``import assistant.documents`` stays cheap.
    if format_ == "pdf":
        if b"%PDF-" not in data[:_PDF_HEADER_WINDOW]:
            raise messages.wrong_content(name, "PDF")
        from assistant.documents.pdf import read_pdf

        return read_pdf(data, name, progress=progress, cancel=cancel, cached=cached)
    if format_ == "image":
        from assistant.documents.images import read_image

        kind = Path(name).suffix.lstrip(".").upper()
        return read_image(data, name, kind, progress=progress, cancel=cancel, cached=cached)
    if format_ in ("docx", "odt", "doc"):
        from assistant.documents import office

        return {"docx": office.read_docx, "odt": office.read_odt, "doc": office.read_doc}[format_](data, name)
    def read_attachment(content: bytes, filename: str) -> Extracted:
        return _read_attachment(content, filename, cancel)

    if format_ == "pptx":
        from assistant.documents.slides_sheets import read_pptx

        return read_pptx(data, name, read_attachment)
    if format_ in ("xlsx", "xls", "ods", "csv"):
        from assistant.documents import slides_sheets

        return slides_sheets.READERS[format_](data, name)
    if format_ in ("eml", "msg"):
        from assistant.documents.mail import read_eml, read_msg

        return (read_eml if format_ == "eml" else read_msg)(data, name, read_attachment)
    if format_ in ("rtf", "epub"):
        from assistant.documents.books import read_epub, read_rtf

        return read_rtf(data, name) if format_ == "rtf" else read_epub(data, name)
    if format_ == "html":
        from assistant.documents.web import read_html

        return read_html(data, name)
    from assistant.documents.plain import read_plain

    return read_plain(data, name, markdown=format_ == "markdown")


def _read_attachment(data: bytes, name: str, cancel: CancelToken | None) -> Extracted:
    """An e-mail's attachment or a document embedded in a slide, read like a file of that name; raises
    ``DocumentError``."""
    format_ = FORMAT_BY_SUFFIX.get(Path(name).suffix.lower())
    if format_ is None:
        raise messages.unsupported(name)
    if not data.strip():
        raise messages.empty(name)
    try:
        extracted = _extract(format_, data, name, None, cancel, {})
    except (DocumentError, Cancelled, MemoryError):
        raise
    except ImportError as error:
        raise messages.reader_missing(name, error.name) from error
    except Exception as error:
        raise messages.corrupt(name) from error
    if extracted.is_blank:
        raise messages.empty(name)
    return extracted
