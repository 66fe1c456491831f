"""PDF text, page by page, through PDFium (pypdfium2); page numbers are kept for citations. A page set in
columns that PDFium reads straight across is read column by column (``columns.py``). Pages with no
text layer but an image (a scan) are rendered at 300 dpi and read by OCR (``assistant.documents.ocr``).

When PDFium cannot open a file (or its pages) for a reason other than a password, pdfminer.six gets a
second try: it rebuilds a damaged cross-reference table by scanning the file for objects.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.documents import messages
from assistant.documents.columns import column_text, lines_in_order
from assistant.documents.model import Extracted, Page, clean_title
from assistant.documents.pdf_annotations import added_text, xfa_values
from assistant.documents.pdf_tables import TableFinder, with_tables
from assistant.jobs import Cancelled, CancelToken, ProgressCallback

if TYPE_CHECKING:
    import pypdfium2 as pdfium
    from PIL import Image

log = logging.getLogger(__name__)

#: Scans are read at this resolution: Tesseract's best CER on the corpus scans (see benchmarks/ocr.py).
OCR_DPI = 300
#: A page whose text layer holds fewer letters than this (a stamp, a page number) and an image is a scan.
_SCAN_TEXT_CHARACTERS = 20
#: ... and so is one with fewer than this and an image over most of it (``_SCAN_COVER`` of its area): a court's
#: filing stamp printed over a scanned form ("Appeal: 17-2218 Doc: 17 Filed: 10/31/2017 Pg: 1 of 1", 36 letters and
#: digits) left the form unread. On the real documents, the shared corpus and 39 unseen public files, that page is the
#: only one with an image over half of it and 20 to 400 letters and digits.
_STAMP_TEXT_CHARACTERS = 120
_SCAN_COVER = 0.8
#: A page is garbled when this share of its words (``_GARBLED_MIN_WORDS`` or more of two letters or more) mix
#: scripts ("ٱĴǎƶơǎƹŎķຊا") or put a symbol between letters ("W×zô", "X½d²½ô«"): its font maps its glyphs to
#: the wrong characters (an Arabic DTP font read as Latin-1). On the 76 real documents, the shared corpus, the
#: unseen rounds and 110 public sample PDFs (706 pages) such pages reach 0.26 to 0.71, the next 0.094 (a Spanish
#: port's tariff table).
_GARBLED_SHARE = 0.2
_GARBLED_MIN_WORDS = 10
#: A garbled page is read by OCR instead; below this mean confidence OCR could not read it either (the Arabic
#: fact sheet without an Arabic pack: 25 and 38), and the page is left without text, with a note.
_GARBLED_OCR_CONFIDENCE = 60.0
_SYMBOLS = frozenset({"Sm", "So", "Sc", "No", "Pi", "Pf", "Sk", "Co"})
#: Scripts that share a word: Japanese writes kanji, kana and full-width letters together; Greek letters stand in
#: Latin words as units and symbols.
_ONE_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK", "FULLWIDTH": "CJK", "IDEOGRAPHIC": "CJK",
               "GREEK": "LATIN", "MICRO": "LATIN"}
#: Scripts written without spaces between words, whose "words" take Latin letters and symbols in.
_MIXING = frozenset({"CJK", "HANGUL", "CIRCLED", "PARENTHESIZED", "SQUARED"})
#: Apostrophes that elide, read as "'" (no symbol).
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u00b4\u0060\u02bc", "'"))

# PDFium marks a hyphen it found at a line end as U+FFFE and drops the line break after it.
_PDFIUM_LINE_END_HYPHEN = "\ufffe"
_HYPHEN_AT_LINE_END = re.compile("(?:\ufffe\n?|[-\u00ad]\n)(?=(.))")
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufeff]")
_RUNS_OF_SPACES = re.compile("[ \t\u00a0]+")
_MANY_BLANK_LINES = re.compile("\n{3,}")
#: Symbol fonts (Symbol, Wingdings) without a Unicode map extract as Private Use characters U+F020-U+F0FF (the
#: font's own code plus F000), shown as empty boxes: the bullets, arrows and boxes Word lists and forms use most
#: are given their Unicode characters (a box or a tick is then read as one by ``assistant.text.substance``).
#: Others stay as they are: the same code is another glyph in another symbol font.
_SYMBOL_FONT_GLYPHS = str.maketrans({
    "\uf0b7": "•",  # Symbol: bullet
    "\uf0a7": "▪",  # Wingdings: small square bullet
    "\uf076": "❖",  # Wingdings: diamond of four
    "\uf0d8": "➢",  # Wingdings: arrowhead bullet
    "\uf06c": "●",
    "\uf06e": "■",
    "\uf075": "◆",
    "\uf0fc": "✓",
    "\uf0fb": "✗",
    "\uf0fe": "☑",
    "\uf0fd": "☒",
    "\uf0a8": "☐",
    "\uf0e0": "➔",  # Wingdings arrows: dingbats, not the mathematical "→" (a formula to the key points)
    "\uf0e8": "➔",
    "\uf0f0": "⇨",
    "\uf0df": "⬅",
})
#: Pleading paper and transcripts number the lines in the margin ("1" to "28"); PDFium reads the column as a run
#: of bare numbers at the top (or the foot) of the page's text. Ten or more counting up from 1 are that column.
_MARGIN_NUMBERS = 10
_BARE_NUMBER_LINE = re.compile(r"\s*(\d{1,2})\s*")


def read_pdf(
    data: bytes,
    name: str,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    cached: dict[int, Page] | None = None,
) -> Extracted:
    """Read every page's text, scanned pages by OCR (those in ``cached``, by page number, are not read
    again); raises the document errors of ``assistant.errors``."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise messages.encrypted(name) from error
        return _read_with_pdfminer(data, name, error, progress, cancel)
    try:
        pdf.init_forms()  # so that a scan's filled-in form fields are drawn, and read by OCR, too
    except Exception as error:  # forms are a bonus: a broken AcroForm must not cost the pages
        log.info("%s: form fields not drawn: %r", name, error)
    tables = TableFinder(data)
    try:
        pages, title, scans, garbled, filled = _read_with_pdfium(pdf, tables, progress, cancel)
    except (Cancelled, MemoryError):
        pdf.close()
        raise
    except Exception as error:
        pdf.close()
        return _read_with_pdfminer(data, name, error, progress, cancel)
    finally:
        tables.close()
    notes: tuple[str, ...] = ()
    try:
        if scans or garbled:
            pages, notes = _read_scans(pdf, pages, scans, name, progress, cancel, cached or {}, garbled)
        if not filled:  # an XFA-only form shows no fields here, only a "Please wait…" notice
            pages = _with_xfa_values(pdf, pages, name)
    finally:
        pdf.close()
    total = len(pages)
    if progress is not None:
        progress(total, total, "Document read")
    extracted = Extracted(pages=tuple(pages), title=title, notes=notes)
    if not pages:
        raise messages.empty(name)
    if extracted.is_blank:
        if garbled:
            raise messages.unreadable_font(name)
        raise messages.no_text_found(name) if scans else messages.no_text_layer(name)
    return extracted


def _with_xfa_values(pdf: pdfium.PdfDocument, pages: list[Page], name: str) -> list[Page]:
    """``pages`` with an XFA form's filled-in values after the first page's text (the caller asks only when no
    page gave filled-in fields of its own)."""
    if not pages:
        return pages
    try:
        values = xfa_values(pdf)
    except Exception as error:  # a bonus, like the other form data: a broken packet must not cost the pages
        log.info("%s: XFA form data not read: %r", name, error)
        return pages
    if not values:
        return pages
    import pypdfium2.raw as pdfium_c

    first = pages[0]
    # A form drawn by XFA alone ("NeedsRendering") has, as its page, only the notice for viewers that cannot draw
    # it ("Please wait... upgrade to the latest Adobe Reader"), which a summary would otherwise retell.
    shown = "" if pdf.get_formtype() == pdfium_c.FORMTYPE_XFA_FULL else first.text
    return [replace(first, text="\n\n".join(part for part in (shown, *values) if part)), *pages[1:]]


def _read_with_pdfium(
    pdf: pdfium.PdfDocument, tables: TableFinder, progress: ProgressCallback | None, cancel: CancelToken | None
) -> tuple[list[Page], str | None, list[int], list[int], bool]:
    """The text layer of every page, the title, the indices of the pages that look scanned, those whose text layer
    is garbled (``_garbled``), and whether any page had filled-in fields or typed text boxes."""
    total = len(pdf)
    pages, scans, garbled = [], [], []
    filled = False
    for index in range(total):
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is not None:
            progress(index, total, f"Reading page {index + 1} of {total}")
        text, cover, added = _page_text(pdf, index, tables)
        text = clean_pdf_text(text)
        letters = sum(character.isalnum() for character in text)
        if _garbled(text):
            garbled.append(index)  # read by OCR, which sees the glyphs the font draws, not the codes it maps
        elif cover is not None and (letters < _SCAN_TEXT_CHARACTERS or letters < _STAMP_TEXT_CHARACTERS
                                  and cover >= _SCAN_COVER):
            scans.append(index)  # OCR reads the page as drawn, its filled-in fields and text boxes too
        elif added:
            text = "\n\n".join(part for part in (text, *added) if part)  # each its own paragraph: never one sentence
        filled = filled or bool(added)
        pages.append(Page(index + 1, text))
    return pages, _title(pdf), scans, garbled, filled


def _read_scans(
    pdf: pdfium.PdfDocument,
    pages: list[Page],
    scans: list[int],
    name: str,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    cached: dict[int, Page],
    garbled: Sequence[int] = (),
) -> tuple[list[Page], tuple[str, ...]]:
    """Pages ``scans`` and ``garbled`` read again by OCR, several at once (one per core), with a progress message
    as each starts and cancel between and within them. A garbled page's text layer is replaced, by OCR's text if
    OCR reads it well (``_GARBLED_OCR_CONFIDENCE``), else by nothing, and a note says which pages."""
    from assistant.documents.ocr import OcrUnavailableError, PageReader, check_engine
    from assistant.documents.ocr_pages import read_pages
    from assistant.documents.page_image import prepare_for_ocr

    pages = list(pages)
    for index in [*scans, *garbled]:
        if index + 1 in cached:
            pages[index] = cached[index + 1]
    numbers = sorted(index + 1 for index in [*scans, *garbled] if index + 1 not in cached)
    unread = {index + 1 for index in garbled if index + 1 not in cached}
    try:
        if numbers:
            check_engine(name)
    except OcrUnavailableError:
        if any(index + 1 in numbers for index in scans):
            raise
        numbers = []  # garbled pages alone: without OCR they are left without text, with the note
    reader = PageReader(prepare_for_ocr)
    read = read_pages(
        numbers, lambda number: _render(pdf, number - 1), reader,
        lambda number, started: f"Reading page {number} of {len(pages)} by OCR ({started} of {len(numbers)})",
        progress=progress, cancel=cancel,
    )
    for number, result in read:
        if isinstance(result, Exception):  # one unreadable page must not cost the others
            log.warning("%s: page %d could not be read by OCR: %r", name, number, result)
        elif number in unread:
            if result.confidence >= _GARBLED_OCR_CONFIDENCE and result.text.strip():
                pages[number - 1] = result.page(number)
                unread.discard(number)
        elif len(result.text.strip()) > len(pages[number - 1].text.strip()):
            # A scan under a short text stamp keeps the stamp's own text, which OCR misreads ("Case 4:08-cv-02214-SBA
            # Document 27 Filed 02/03/09 Page 1 of 2" read as "agéab08-08-G22022EBAS BAD dpocvene 2627 Filed! …").
            layer, scanned = pages[number - 1].text.strip(), result.page(number)
            pages[number - 1] = replace(scanned, text=f"{layer}\n\n{scanned.text}") if layer else scanned
    for number in unread:
        pages[number - 1] = replace(pages[number - 1], text="")
    read_again = sorted(index + 1 for index in garbled if index + 1 not in unread)
    notes = [messages.garbled_pages(name, read_again, by_ocr=True)] if read_again else []
    if unread:
        notes.append(messages.garbled_pages(name, sorted(unread), by_ocr=False))
    return pages, tuple(reader.notes) + tuple(notes)


def _render(pdf: pdfium.PdfDocument, index: int) -> Image.Image:
    page = pdf[index]
    try:
        width, height = page.get_size()
        # 300 dpi, but never more than the OCR's largest useful image (a poster-sized page).
        from assistant.documents.page_image import MAX_PIXELS

        scale = min(OCR_DPI / 72, MAX_PIXELS / max(width, height, 1))
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            return bitmap.to_pil()
        finally:
            bitmap.close()
    finally:
        page.close()


def _read_with_pdfminer(
    data: bytes,
    name: str,
    pdfium_error: Exception,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> Extracted:
    """The second try after PDFium failed; no text here still means "corrupt", with PDFium's error as cause.

    Only files PDFium cannot open get here, so a scanned PDF (which PDFium opens) still says it looks
    scanned, and a file pdfminer opens but finds no text in stays corrupt rather than an empty success.
    """
    # pdfminer looks for "startxref" by reading lines backwards from the end, in time that grows with the
    # square of a line's length: a file padded with megabytes of NUL bytes (a failed copy, a disk error)
    # would keep it busy for hours. The padding holds nothing to read, and without a single object there
    # is nothing to rebuild.
    data = data.rstrip(b"\x00")
    if b"obj" not in data:
        log.info("%s: PDFium failed (%s) and the file holds no PDF object", name, pdfium_error)
        raise messages.corrupt(name) from pdfium_error
    try:
        pages = _pdfminer_pages(data, progress, cancel)
    except (Cancelled, MemoryError):
        raise
    except Exception as error:
        log.info("%s: PDFium failed (%s) and pdfminer.six failed too (%r)", name, pdfium_error, error)
        raise messages.corrupt(name) from pdfium_error
    extracted = Extracted(pages=tuple(pages))
    if extracted.is_blank:
        log.info("%s: PDFium failed (%s) and pdfminer.six found no text", name, pdfium_error)
        raise messages.corrupt(name) from pdfium_error
    log.info(
        "%s: PDFium failed (%s); read %d page(s) with the pdfminer.six fallback",
        name,
        pdfium_error,
        len(pages),
    )
    if progress is not None:
        progress(len(pages), len(pages), "Document read")
    return extracted


def _pdfminer_pages(data: bytes, progress: ProgressCallback | None, cancel: CancelToken | None) -> list[Page]:
    # The same pages, in the same order and with the same default layout analysis, as
    # pdfminer.high_level.extract_pages; listed first so progress can give a total.
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    found = list(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))
    resources = PDFResourceManager()
    device = PDFPageAggregator(resources, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, device)
    total = len(found)
    pages = []
    for index, page in enumerate(found):
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is not None:
            progress(index, total, f"Reading page {index + 1} of {total}")
        interpreter.process_page(page)
        boxes = [item.get_text() for item in device.get_result() if isinstance(item, LTTextContainer)]
        pages.append(Page(index + 1, clean_pdf_text("\n".join(boxes))))
    return pages


#: A page is letter-spaced when this share of its lines of ``_SPACED_LINE_WORDS`` words or more are made of single
#: letters at ``_SPACED_SHARE`` or more (English prose: about one word in twenty); within it, a generated space
#: between glyphs closer than ``_LETTER_GAP`` of their height (twice that between digits) parts no words (the notice:
#: most letters 0 to 0.2 apart, words from 0.3).
_SPACED_LINES = 0.3
_SPACED_LINE_WORDS = 8
_SPACED_SHARE = 0.5
_LETTER_GAP = 0.35


def _page_text(pdf: pdfium.PdfDocument, index: int, tables: TableFinder) -> tuple[str, float | None, list[str]]:
    """The page's text layer (its ruled tables row by row with their headings: ``pdf_tables``), the share of the page
    its largest image covers if it shows an image or drawing (inside forms too; None if it shows none), and what
    people typed on top of it (filled-in fields and text boxes: ``pdf_annotations``), which the text layer lacks."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            raw = str(textpage.get_text_range())
            text = _unspaced(textpage, raw) or column_text(textpage) or _with_tables(textpage, page, index, tables, raw)
        finally:
            textpage.close()
        # Images (a scan) and paths (text drawn as outlines) can be read by OCR; an empty page cannot.
        shown = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH]))
        try:
            added = added_text(pdf, page, text)
        except Exception as error:  # like the forms themselves, a bonus: a broken annotation must not cost the page
            log.info("page %d: form fields and text boxes not read: %r", index + 1, error)
            added = []
        return text, _image_cover(page, shown) if shown else None, added
    finally:
        page.close()


def _unspaced(textpage: pdfium.PdfTextPage, text: str) -> str | None:
    """The text of a letter-spaced page (``_letter_spaced``; ``text`` is PDFium's) without the spaces PDFium put
    between the letters of its words, in PDFium's order; None for any other page. A font that gives no glyph widths
    draws each letter closer than its advance, and PDFium took every gap for a word break ("N O TI C E O F P U B L
    I C H E A RI N G", a Word notice printed in Arial Unicode MS): a space it generated between glyphs closer than
    ``_LETTER_GAP`` of their height goes."""
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    if len(text) != count or not _letter_spaced(text):
        return None
    kept = []
    for index, char in enumerate(text):
        if char == " " and 0 < index < count - 1 and pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1:
            left, right = textpage.get_charbox(index - 1), textpage.get_charbox(index + 1)
            height = max(left[3] - left[1], right[3] - right[1])
            digits = text[index - 1].isdigit() and text[index + 1].isdigit()  # a narrow "1" leaves a wider gap
            if height > 0 and right[0] - left[2] < _LETTER_GAP * height * (2 if digits else 1):
                continue
        kept.append(char)
    return "".join(kept)


def _letter_spaced(text: str) -> bool:
    """Whether a share ``_SPACED_LINES`` of the page's long lines (``_SPACED_LINE_WORDS`` words or more) are mostly
    single letters (not a formula's symbols: "X ∈ T und ∅ ∈ T")."""
    long = [words for line in text.splitlines() if len(words := line.split()) >= _SPACED_LINE_WORDS]
    spaced = [words for words in long if sum(len(w) == 1 and w.isalpha() for w in words) >= _SPACED_SHARE * len(words)]
    return bool(long) and len(spaced) >= max(2, _SPACED_LINES * len(long))


def _garbled(text: str) -> bool:
    """Whether a share ``_GARBLED_SHARE`` of the page's words mix scripts or hold a symbol between letters."""
    words = [word for word in text.split() if sum(character.isalpha() for character in word) >= 2]
    if len(words) < _GARBLED_MIN_WORDS:
        return False
    return sum(map(_garbled_word, words)) >= _GARBLED_SHARE * len(words)


def _garbled_word(word: str) -> bool:
    """Whether ``word`` mixes alphabets (Arabic and Latin letters) or holds a symbol between two letters ("W×zô").
    Chinese, Japanese and Korean words take Latin letters and symbols in ("医療保険EVER等", "ジャパン㈱の"), Greek
    letters stand in Latin words ("μg", "β-Blocker"), and an apostrophe elides ("d’Ivoire", "don´t"): none of them
    counts."""
    word = word.translate(_APOSTROPHES)
    scripts = {_script(character) for character in word if character.isalpha()} - _MIXING
    return len(scripts) > 1 or any(
        left.isalpha() and right.isalpha() and unicodedata.category(middle) in _SYMBOLS
        and not {_script(left), _script(right)} & _MIXING
        for left, middle, right in zip(word, word[1:], word[2:], strict=False)
    )


def _script(letter: str) -> str:
    """A letter's script, as the first word of its Unicode name ("LATIN", "ARABIC", "CJK")."""
    script = unicodedata.name(letter, "?").split()[0]
    return _ONE_SCRIPT.get(script, script)


def _image_cover(page: pdfium.PdfPage, shown: list[pdfium.PdfObject]) -> float:
    """The share of the page's area its largest image covers (0 for drawings alone)."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    largest = 0.0
    for item in shown:
        if item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            left, bottom, right, top = item.get_bounds()
            largest = max(largest, (right - left) * (top - bottom))
    return largest / max(1.0, width * height)


def _with_tables(textpage: pdfium.PdfTextPage, page: pdfium.PdfPage, index: int, tables: TableFinder,
                 text: str) -> str:
    """The page's text (``text``, PDFium's) in PDFium's order, its readable ruled tables as rows that name their
    columns, or else with its labels given before their values read label by value and its blocks drawn upwards read
    down (``lines_in_order``)."""
    try:
        found = tables.tables(page, index)
        rewritten = with_tables(page, textpage, found) if found else None
    except Exception as error:  # a bonus, like the forms: a table pdfplumber cannot read stays as PDFium reads it
        log.info("page %d: tables not read: %r", index + 1, error)
        rewritten = None
    return rewritten if rewritten is not None else lines_in_order(textpage, text)


def _title(pdf: pdfium.PdfDocument) -> str | None:
    # Metadata is optional decoration: a broken Info dictionary must never stop the text.
    try:
        return clean_title(pdf.get_metadata_value("Title"))
    except Exception:
        return None


def clean_pdf_text(raw: str) -> str:
    """Light clean-up: unified line ends, no control characters, words split at line ends re-joined, drawn soft
    hyphens as hyphens (a minus sign in some fonts), symbol-font bullets and boxes as Unicode characters, no column
    of margin line numbers."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _HYPHEN_AT_LINE_END.sub(_join_or_keep_hyphen, text)
    # A soft hyphen left inside a line was drawn: some fonts map their hyphen and minus glyphs to it ("­6,39", a credit
    # note's refund; "Kauplus­ladu"), which no reader shows, so that a negative amount read as a positive one.
    text = text.replace(_PDFIUM_LINE_END_HYPHEN, "-").replace("\u00ad", "-")
    text = _CONTROL_CHARACTERS.sub("", text).translate(_SYMBOL_FONT_GLYPHS)
    lines = _without_margin_numbers([_RUNS_OF_SPACES.sub(" ", line).strip() for line in text.split("\n")])
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _without_margin_numbers(lines: list[str]) -> list[str]:
    """``lines`` without a margin's line numbering: at least ``_MARGIN_NUMBERS`` bare numbers counting up from 1 at
    the start of the page, or making up its last lines (blank lines aside)."""
    head = _bare_numbers(lines, range(len(lines)))
    counted = 0
    while counted < len(head) and head[counted][1] == counted + 1:
        counted += 1
    if counted >= _MARGIN_NUMBERS:
        lines = _without(lines, head[:counted])
    foot = _bare_numbers(lines, reversed(range(len(lines))))[::-1]
    if len(foot) >= _MARGIN_NUMBERS and [number for _, number in foot] == list(range(1, len(foot) + 1)):
        lines = _without(lines, foot)
    return lines


def _bare_numbers(lines: list[str], order: Iterable[int]) -> list[tuple[int, int]]:
    """(index, number) of the lines holding a bare number that come first in ``order``, blank lines skipped."""
    found = []
    for index in order:
        if not lines[index]:
            continue
        match = _BARE_NUMBER_LINE.fullmatch(lines[index])
        if not match:
            break
        found.append((index, int(match.group(1))))
    return found


def _without(lines: list[str], numbered: list[tuple[int, int]]) -> list[str]:
    dropped = {index for index, _ in numbered}
    return [line for index, line in enumerate(lines) if index not in dropped]


def _join_or_keep_hyphen(match: re.Match[str]) -> str:
    # "exam-\nple" is one word; "Rhein-\nMain" or "2019-\n2020" keep their hyphen and line break.
    if match.group(1).islower():
        return ""
    hyphen = match.group(0)
    return "-\n" if hyphen.endswith("\n") else "-"
