"""What a read document is: its pages of text and where it came from, as plain frozen values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: A word as OCR engines give them: what lies between spaces and line breaks.
_WORD = re.compile(r"\S+")
#: A title the producing software wrote, not the author: the source file's name ("Microsoft Word -
#: 102314.docx", "10811.exe"; the name without its extension and program is kept when it has words), a
#: converter's default ("Acrobat Distiller, Job 2", "ActiveReports Document", "Untitled"), or a bare number.
#: A small model told such a title repeats it as what the document is ("a Microsoft Word - 102314.docx").
_PROGRAM_PREFIX = re.compile(r"^\s*microsoft\s+(?:word|excel|powerpoint)\s*-\s*", re.IGNORECASE)
_FILE_EXTENSION = re.compile(
    r"\.(?:docx?|xlsx?|pptx?|pdf|rtf|txt|odt|ods|wpd|exe|tmp|indd|qxd|pub|html?|tiff?|jpe?g|png)\s*$", re.IGNORECASE)
_SOFTWARE_TITLE = re.compile(
    r"^(?:untitled\b.*|document\s*\d*|acrobat\s+distiller\b.*|activereports\s+document|.*,\s*job\s+\d+|"
    r"print\s*job\s*\d*|slide\s*\d+|sheet\s*\d+)$",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(r"[^\W\d_]{3,}")
#: A title the document's first ``TITLE_PAGES`` pages do not bear out (fewer than ``TITLE_BORNE_OUT`` of its words, of
#: three letters or more, and numbers, in their text) gives way to the file's name when they bear that out. A file's
#: metadata often keeps the title of the document it was made from: a Den Helder decision list of 29 June 2015 titled
#: "Aandachtspuntenlijst raadsvergadering 3 november 2008" (two of its five words in the text; the 0.5B named it so,
#: wrong date included), a Chelsea transport plan titled as a Prescott-Russell trail plan (two of seven). A file name
#: the text does not bear out either ("bug1815476", "issue6127") is worse than such a title: told one, the 0.5B wrote
#: "2015-476" as the form's reference (measured: the model's text 17 -> 16 of 31 facts on four documents, five figures
#: more flagged), so the title stays.
TITLE_PAGES = 2
TITLE_BORNE_OUT = 0.5
_BEARING_WORD = re.compile(r"[^\W_]{3,}|\d+")


def authored_title(title: str | None) -> str | None:
    """``title`` as its author wrote it, without the program and file extension the software added; None
    when the software wrote all of it (a file name without words, a converter's default, a number)."""
    if not title:
        return None
    cleaned = _FILE_EXTENSION.sub("", _PROGRAM_PREFIX.sub("", title)).strip()
    if _SOFTWARE_TITLE.match(cleaned) or not _TITLE_WORD.search(cleaned):
        return None
    return cleaned


@dataclass(frozen=True)
class Page:
    """One page of text; ``number`` is 1-based for PDF (and images, slides, sheets) and None for formats
    without pages. A page read by OCR names the engine and its mean word confidence (0-100)."""

    number: int | None
    text: str
    unit: str = "page"  # "page", "slide", "sheet", "chapter", "mail", "attachment": what ``number`` counts
    name: str | None = None  # a sheet's or an attachment's own name
    ocr_engine: str | None = None
    ocr_confidence: float | None = None
    doubtful_words: tuple[str, ...] = ()  # words the OCR engine was unsure of

    @property
    def read_by_ocr(self) -> bool:
        return self.ocr_engine is not None

    def doubtful_spans(self) -> list[tuple[int, int]]:
        """Where the doubtful words are in ``text`` (start, end): OCR lists them in reading order, so each is
        the next word of the text that spells it (a word spelt like a doubtful one elsewhere is not marked; one
        the text no longer holds is passed over)."""
        words = [(match.group(), match.span()) for match in _WORD.finditer(self.text)]
        spans: list[tuple[int, int]] = []
        position = 0
        for wanted in self.doubtful_words:
            found = next((i for i in range(position, len(words)) if words[i][0] == wanted), None)
            if found is not None:
                spans.append(words[found][1])
                position = found + 1
        return spans

    @property
    def label(self) -> str:
        """How citations and markers name the page: 'page 3', 'slide 2', 'sheet 1 (Readings)',
        'page 3, read by OCR'; empty for a document without pages."""
        if self.number is None:
            return self.name or ""
        if self.unit == "attachment":
            return f"attachment {self.name}"
        if self.unit == "mail":
            return "the mail"
        label = f"{self.unit} {self.number}" + (f" ({self.name})" if self.name else "")
        return label + (", read by OCR" if self.read_by_ocr else "")


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
    notes: tuple[str, ...] = ()  # what the reader wants the person to know (a missing OCR language pack)

    @property
    def text(self) -> str:
        # Blank pages (a PDF's empty back page) would only add runs of empty lines.
        return "\n\n".join(page.text for page in self.pages if page.text)

    @property
    def heading(self) -> str:
        """What a model is told the document is called: its title (``authored_title``), else its file name
        as words ('flight-ops-notice.txt' -> 'flight ops notice', so a small model does not copy the file name); the
        file name too when the text bears it out and not the title (``TITLE_BORNE_OUT``)."""
        stem = self.name.rsplit(".", 1)[0] if "." in self.name else self.name
        name = re.sub(r"[-_.]+", " ", stem).strip() or self.name
        if (title := authored_title(self.title)) and (self.bears_out(title) or not self.bears_out(name)):
            return title
        return name

    def bears_out(self, title: str) -> bool:
        """True when the document's first pages hold enough of ``title``'s words (``TITLE_BORNE_OUT``), or hold no
        text to judge by."""
        words = [word.lower() for word in _BEARING_WORD.findall(title)]
        opening = " ".join(page.text for page in self.pages[:TITLE_PAGES]).lower()
        found = sum(word in opening for word in words)
        return not words or not opening.strip() or found >= TITLE_BORNE_OUT * len(words)

    @property
    def page_count(self) -> int | None:
        return len(self.pages) if self.pages and self.pages[0].number is not None else None

    @property
    def ocr_pages(self) -> tuple[Page, ...]:
        return tuple(page for page in self.pages if page.read_by_ocr)


@dataclass(frozen=True)
class Extracted:
    """What a format reader hands back; ``read_document`` adds the file's identity."""

    pages: tuple[Page, ...]
    title: str | None = None
    encoding: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def is_blank(self) -> bool:
        return not any(page.text.strip() for page in self.pages)


def clean_title(value: object) -> str | None:
    """A title worth showing, or None: metadata titles are often empty or whitespace."""
    if not isinstance(value, str):
        return None
    title = " ".join(value.replace("\x00", "").split())
    return title or None


def ocr_description(document: Document) -> str:
    """'page 3 (Tesseract 5.3.0, mean confidence 91%)': which pages OCR read, for provenance."""
    pages = document.ocr_pages
    if not pages:
        return ""
    numbers = ", ".join(str(page.number) for page in pages)
    engine = pages[0].ocr_engine
    mean = sum(page.ocr_confidence or 0.0 for page in pages) / len(pages)
    unit = pages[0].unit + ("s" if len(pages) > 1 else "")
    return f"{unit} {numbers} ({engine}, mean confidence {mean:.0f}%)"
