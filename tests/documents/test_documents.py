"""The document reader on real corpus files: text, page numbers, order, titles, and clear errors."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import sys
import zipfile
from pathlib import Path

import lxml.html
import pytest

from assistant.documents import (
    FILE_DIALOG_FILTER,
    SUPPORTED_SUFFIXES,
    Document,
    Page,
    document_from_text,
    read_document,
)
from assistant.documents.pdf import clean_pdf_text
from assistant.errors import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from assistant.jobs import Cancelled, CancelToken

from ..conftest import REAL

# The same folder as the ``corpus`` fixture; parametrized tests need it while being collected.
CORPUS_DIR = Path(__file__).resolve().parents[3] / "shared" / "corpus"

ENCRYPTED_PDF = "libreoffice-writer-password.pdf"
# Objects 79-174 of this upstream file (page tree, fonts, Info, XMP) are overwritten with 1.1 MB of zero
# bytes, and PDFium refuses to open it at all; the pdfminer.six fallback recovers its text by scanning the
# file for objects, but finds only one of the catalogue's four pages.
DAMAGED_PAGE_TREE_PDF = "unreadablemetadata.pdf"
# Pages that survive where the catalogue's count cannot: by file name.
RECOVERED_PAGES = {DAMAGED_PAGE_TREE_PDF: 1}
HTML_PAGES = sorted(path.name for path in (CORPUS_DIR / "html").iterdir() if path.is_dir())


def _catalogue_pages() -> dict[str, int]:
    """Page counts from the upstream catalogue pdf/files.json, by file name."""
    entries = json.loads((CORPUS_DIR / "pdf" / "files.json").read_text("utf-8"))["data"]
    return {Path(entry["path"]).name: entry["pages"] for entry in entries}


def _text_pdfs() -> list[str]:
    return sorted(path.name for path in (CORPUS_DIR / "pdf").glob("*.pdf") if path.name != ENCRYPTED_PDF)


# --- PDF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", _text_pdfs())
def test_pdf_reads_with_the_page_count_of_the_upstream_catalogue(corpus: Path, name: str) -> None:
    path = corpus / "pdf" / name
    document = read_document(path)
    expected_pages = RECOVERED_PAGES.get(name, _catalogue_pages()[name])
    assert document.format == "pdf"
    assert document.page_count == expected_pages
    assert [page.number for page in document.pages] == list(range(1, expected_pages + 1))
    assert len(document.text.split()) >= 3
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert document.name == name and document.path == path


def test_encrypted_pdf_raises_an_error_that_says_password(corpus: Path) -> None:
    with pytest.raises(EncryptedDocumentError) as caught:
        read_document(corpus / "pdf" / ENCRYPTED_PDF)
    message = str(caught.value)
    assert "password" in message
    assert ENCRYPTED_PDF in message
    assert caught.value.__cause__ is not None  # PDFium's own error kept for the log


def test_four_page_pdf_numbers_pages_one_to_four_each_with_its_own_text(corpus: Path) -> None:
    document = read_document(corpus / "pdf" / "pdflatex-4-pages.pdf")
    assert [page.number for page in document.pages] == [1, 2, 3, 4]
    assert all(len(page.text) > 500 for page in document.pages)
    assert len({page.text for page in document.pages}) == 4
    assert document.text == "\n\n".join(page.text for page in document.pages)


def test_two_column_pdf_reads_the_left_column_before_the_right(corpus: Path) -> None:
    first_page = read_document(corpus / "pdf" / "multicolumn.pdf").pages[0].text
    # The left column ends mid-sentence ("Donec nonummy") and the right one carries on ("pellentesque
    # ante."): the sentence only comes out whole if the columns are read one after the other.
    assert "Donec nonummy\npellentesque ante." in first_page
    assert first_page.startswith("Two-Column Document with Lorem Ipsum")


def test_pdf_table_rows_come_out_one_row_a_line(corpus: Path) -> None:
    table_page = read_document(corpus / "pdf" / "multicolumn.pdf").pages[2].text
    assert "Austria 8.9 83,879 Vienna German" in table_page.split("\n")


def test_pdf_words_hyphenated_at_line_ends_are_joined(corpus: Path) -> None:
    text = read_document(corpus / "pdf" / "multicolumn.pdf").text
    # The PDF breaks these as "adip-", "tris-", "rhon-" at column line ends.
    for word in ("adipiscing elit. Ut purus", "morbi tristique senectus", "metus rhoncus sem"):
        assert word in text
    assert "\ufffe" not in text and "\r" not in text


def test_pdf_text_clean_up_joins_only_lowercase_continuations() -> None:
    assert clean_pdf_text("an exam-\r\nple  of\ttext") == "an example of text"
    assert clean_pdf_text("Rhein-\nMain") == "Rhein-\nMain"
    assert clean_pdf_text("taki\ufffemata") == "takimata"
    assert clean_pdf_text("one\n\n\n\n\ntwo \x02") == "one\n\ntwo"


def test_pdf_title_comes_from_metadata(corpus: Path) -> None:
    assert read_document(corpus / "pdf" / "habibi.pdf").title == "habibi"
    assert read_document(corpus / "pdf" / "GeoTopo-komprimiert.pdf").title == "Geometrie und Topologie"


def test_pdf_metadata_failure_does_not_stop_reading(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2

    def broken_metadata(self: object, key: str) -> str:
        raise pypdfium2.PdfiumError("Failed to read metadata")

    monkeypatch.setattr(pypdfium2.PdfDocument, "get_metadata_value", broken_metadata)
    document = read_document(corpus / "pdf" / "habibi.pdf")
    assert document.title is None
    assert "habibi" in document.text


def test_pdf_with_destroyed_page_tree_is_read_by_the_pdfminer_fallback(
    corpus: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.documents.pdf"):
        document = read_document(corpus / "pdf" / DAMAGED_PAGE_TREE_PDF)
    assert "Rotary Potentiometer" in document.text
    assert document.format == "pdf" and [page.number for page in document.pages] == [1]
    assert any("pdfminer.six fallback" in record.getMessage() for record in caplog.records)


def test_pdf_pages_pdfium_fails_to_load_are_read_by_the_pdfminer_fallback(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdfium2

    from assistant.documents import pdf

    def broken_page(document: object, index: int, tables: object) -> str:
        raise pypdfium2.PdfiumError("Failed to load page.")

    monkeypatch.setattr(pdf, "_page_text", broken_page)
    document = read_document(corpus / "pdf" / "pdflatex-4-pages.pdf")
    assert [page.number for page in document.pages] == [1, 2, 3, 4]
    assert all(len(page.text) > 500 for page in document.pages)


def test_pdf_fallback_finding_no_text_keeps_the_corrupt_error(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A scanned page has no text for pdfminer either: that must not become an empty success.
    import pypdfium2

    from assistant.documents import pdf

    def broken_page(document: object, index: int, tables: object) -> str:
        raise pypdfium2.PdfiumError("Failed to load page.")

    monkeypatch.setattr(pdf, "_page_text", broken_page)
    with pytest.raises(CorruptDocumentError, match="^linn.pdf is corrupt or damaged") as caught:
        read_document(corpus / "scanned" / "linn.pdf")
    assert isinstance(caught.value.__cause__, pypdfium2.PdfiumError)


def test_a_reader_library_missing_from_the_installation_is_named_not_blamed_on_the_file(
        corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)  # "import docx" now fails as if python-docx were not installed
    with pytest.raises(DocumentError) as caught:
        read_document(corpus / "docx" / "blk-paras-and-tables.docx")
    assert not isinstance(caught.value, CorruptDocumentError)
    assert str(caught.value).startswith("blk-paras-and-tables.docx cannot be read here: the library that reads "
                                        "this kind of file (docx) is missing from this installation.")
    assert isinstance(caught.value.__cause__, ImportError)


def test_pdf_that_both_engines_fail_on_raises_a_plain_corrupt_error(corpus: Path, tmp_path: Path) -> None:
    # The first 200 bytes of a real PDF: a header and the start of one object, no page, no xref.
    # (invalid.pdf, a header followed by EOF, is the corpus's own case; see the scanned section.)
    path = tmp_path / "cut.pdf"
    path.write_bytes((corpus / "pdf" / "pdflatex-4-pages.pdf").read_bytes()[:200])
    with pytest.raises(
        CorruptDocumentError, match=r"^cut\.pdf is corrupt or damaged and cannot be read\.$"
    ) as caught:
        read_document(path)
    assert caught.value.__cause__ is not None  # PDFium's error, for the log


def test_pdf_reading_reports_progress_per_page_and_stops_when_cancelled(corpus: Path) -> None:
    calls: list[tuple[int, int]] = []
    read_document(corpus / "pdf" / "pdflatex-4-pages.pdf", progress=lambda d, t, m: calls.append((d, t)))
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        read_document(corpus / "pdf" / "GeoTopo-komprimiert.pdf", cancel=token)


# --- scanned PDFs ---------------------------------------------------------------------------------


def test_pdf_of_blank_pages_says_it_has_neither_text_nor_a_scan(tmp_path: Path) -> None:
    # Scanned pages are read by OCR (tests/documents/test_ocr.py); blank pages have nothing to read at all.
    import pypdfium2 as pdfium

    blank = pdfium.PdfDocument.new()
    blank.new_page(595, 842)
    blank.new_page(595, 842)
    path = tmp_path / "blank.pdf"
    blank.save(str(path))
    with pytest.raises(NoTextLayerError, match=r"^blank\.pdf has no text: its pages hold neither text nor a scanned"):
        read_document(path)


def _spy_on_the_pdfminer_fallback(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of the data the pdfminer.six fallback is given, call by call."""
    from assistant.documents import pdf

    given: list[int] = []
    fallback = pdf._pdfminer_pages

    def spy(data: bytes, progress, cancel):
        given.append(len(data))
        return fallback(data, progress, cancel)

    monkeypatch.setattr(pdf, "_pdfminer_pages", spy)
    return given


def test_a_damaged_pdf_padded_with_nul_bytes_is_read_by_the_fallback_without_the_padding(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pdfminer.six reads backwards from the end line by line, in time growing with the square of a line's
    # length: megabytes of padding without a line break kept it busy for minutes (benchmarks/robustness.py).
    original = (corpus / "pdf" / DAMAGED_PAGE_TREE_PDF).read_bytes()
    path = tmp_path / DAMAGED_PAGE_TREE_PDF
    path.write_bytes(original + bytes(8 * 2**20))
    given = _spy_on_the_pdfminer_fallback(monkeypatch)
    document = read_document(path)
    assert "Rotary Potentiometer" in document.text
    assert given == [len(original.rstrip(b"\x00"))]


# The behaviour shows on 64 MiB; the gigabyte (read whole into memory, hashed) is for the full suite.
PADDING_SIZES = [pytest.param(2**26, id="64MiB"), pytest.param(2**30, marks=pytest.mark.heavy, id="gigabyte")]


@pytest.mark.parametrize("size", PADDING_SIZES)
def test_a_pdf_header_followed_by_nothing_but_padding_is_corrupt_without_the_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    path = tmp_path / "padding.pdf"
    with path.open("wb") as out:  # sparse on disk
        out.write(b"%PDF-1.7\n")
        out.truncate(size)
    given = _spy_on_the_pdfminer_fallback(monkeypatch)
    with pytest.raises(CorruptDocumentError, match=r"^padding\.pdf is corrupt"):
        read_document(path)
    assert given == []  # not a single object to rebuild from


def test_pdf_header_followed_by_eof_is_reported_corrupt(corpus: Path) -> None:
    # Neither PDFium nor the pdfminer.six fallback can read it.
    with pytest.raises(
        CorruptDocumentError, match=r"^invalid\.pdf is corrupt or damaged and cannot be read\.$"
    ):
        read_document(corpus / "scanned" / "invalid.pdf")


# --- Word and OpenDocument ------------------------------------------------------------------------


def test_docx_keeps_paragraphs_and_nested_table_text_in_document_order(corpus: Path) -> None:
    document = read_document(corpus / "docx" / "blk-paras-and-tables.docx")
    text = document.text
    in_order = ["Lorem ipsum dolor sit amet", "Text before", "Table", "Between", "Text after", "Donec semper"]
    positions = [text.find(fragment) for fragment in in_order]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    assert document.format == "docx" and document.page_count is None
    assert [page.number for page in document.pages] == [None]


def test_docx_table_row_cells_are_joined_by_a_bar(tmp_path: Path) -> None:
    import docx

    made = docx.Document()
    made.add_paragraph("Prices below.")
    table = made.add_table(rows=2, cols=2)
    for row, (left, right) in zip(table.rows, [("Apples", "2.50"), ("Pears", "3.10")], strict=True):
        row.cells[0].text, row.cells[1].text = left, right
    made.add_paragraph("Prices above.")
    made.core_properties.title = "Fruit prices"
    made.save(str(tmp_path / "prices.docx"))

    document = read_document(tmp_path / "prices.docx")
    assert document.text == "Prices below.\n\nApples | 2.50\nPears | 3.10\n\nPrices above."
    assert document.title == "Fruit prices"


def test_docx_text_inside_content_controls_and_smart_tags_is_read(tmp_path: Path) -> None:
    """A Word form's answers sit in content controls (w:sdt), and older Word wraps places and names in smart tags
    (w:smartTag); python-docx reads neither, so the answers and words inside sentences were lost."""
    import docx
    from docx.oxml import OxmlElement

    def wrapped(tag: str, content_tag: str | None, *children: object) -> object:
        outer = OxmlElement(tag)
        inner = outer
        if content_tag is not None:
            outer.append(OxmlElement("w:sdtPr"))
            inner = OxmlElement(content_tag)
            outer.append(inner)
        for child in children:
            inner.append(child)
        return outer

    def run(text: str) -> object:
        element, words = OxmlElement("w:r"), OxmlElement("w:t")
        words.text = text
        element.append(words)
        return element

    made = docx.Document()
    made.add_paragraph("Site visit report.")
    answered = made.add_paragraph("Inspector: Jane Okafor")
    control = wrapped("w:sdt", "w:sdtContent")
    answered._p.addprevious(control)
    control[1].append(answered._p)  # a block content control holding the paragraph
    dated = made.add_paragraph("Date of visit: ")
    dated._p.append(wrapped("w:sdt", "w:sdtContent", run("12 March 2024")))  # an inline one
    placed = made.add_paragraph("The office is located in ")
    placed._p.append(wrapped("w:smartTag", None, run("Washington, D.C.")))
    placed._p.append(run(" and staffed by attorneys."))
    made.save(str(tmp_path / "form.docx"))

    assert read_document(tmp_path / "form.docx").text == (
        "Site visit report.\n\nInspector: Jane Okafor\n\nDate of visit: 12 March 2024\n\n"
        "The office is located in Washington, D.C. and staffed by attorneys."
    )


def test_a_docx_table_whose_merged_cell_has_no_cell_above_is_still_read(tmp_path: Path) -> None:
    """Word opens a table whose vertically merged cell sits under a row that has no cell at its grid column;
    python-docx cannot place it, and the whole file was refused as corrupt."""
    import copy

    import docx
    from docx.oxml.ns import qn

    made = docx.Document()
    table = made.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "Inspection"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Valve 3", "replaced"
    first_row = table.rows[0]._tr
    first_row.remove(first_row.tc_lst[1])  # the row above ends at the first column
    continued = table.rows[1]._tr.tc_lst[1]
    merge = copy.deepcopy(continued.get_or_add_tcPr())
    merge.append(merge.makeelement(qn("w:vMerge"), {}))
    continued.replace(continued.tcPr, merge)
    made.save(str(tmp_path / "merged.docx"))
    with pytest.raises(ValueError):
        [row.cells for row in docx.Document(str(tmp_path / "merged.docx")).tables[0].rows]

    assert read_document(tmp_path / "merged.docx").text == "Inspection\nValve 3 | replaced"


@pytest.mark.parametrize("name", ["doc-odd-even-hdrs.docx", "hdr-header-footer.docx"])
def test_docx_headers_and_footers_are_not_body_text(corpus: Path, name: str) -> None:
    import docx

    source = docx.Document(str(corpus / "docx" / name))
    margins: set[str] = set()
    for section in source.sections:
        for part in (section.header, section.even_page_header, section.first_page_header,
                     section.footer, section.even_page_footer, section.first_page_footer):  # fmt: skip
            margins.update(p.text.strip() for p in part.paragraphs if p.text.strip())
    assert margins, "the sample should have header text to test against"

    text = read_document(corpus / "docx" / name).text
    assert text.strip()
    for margin_text in margins:
        assert margin_text not in text


def test_odt_form_document_reads_its_paragraphs_in_order(corpus: Path) -> None:
    document = read_document(corpus / "pdf" / "libreoffice-form.odt")
    assert document.format == "odt"
    text = document.text
    positions = [text.find(s) for s in ("Example for a Form", "Gender:", "Nationality:")]
    assert -1 not in positions and positions == sorted(positions)


def test_odt_reads_headings_lists_and_tables_in_order(tmp_path: Path) -> None:
    from odf import dc, table, text
    from odf.opendocument import OpenDocumentText

    made = OpenDocumentText()
    made.meta.addElement(dc.Title(text="Shopping"))
    made.text.addElement(text.H(outlinelevel=1, text="Groceries"))
    item_list = text.List()
    item = text.ListItem()
    item.addElement(text.P(text="Bread"))
    item_list.addElement(item)
    made.text.addElement(item_list)
    grid = table.Table(name="Prices")
    row = table.TableRow()
    for value in ("Milk", "1.20"):
        cell = table.TableCell()
        cell.addElement(text.P(text=value))
        row.addElement(cell)
    grid.addElement(row)
    made.text.addElement(grid)
    made.text.addElement(text.P(text="The end."))
    made.save(str(tmp_path / "shopping.odt"))

    document = read_document(tmp_path / "shopping.odt")
    assert document.text == "Groceries\n\nBread\n\nMilk | 1.20\n\nThe end."
    assert document.title == "Shopping"


def test_password_protected_odt_raises_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "secret.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", '<manifest:encryption-data manifest:checksum="x"/>')
        archive.writestr("content.xml", b"\x8f\x02 encrypted bytes")
    with pytest.raises(EncryptedDocumentError, match="secret.odt is password protected"):
        read_document(path)


# --- text and Markdown ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "script"),
    [
        ("sample-french-1.txt", "cp1252", "é"),
        ("sample-arabic-1.txt", "cp1256", "\u0627"),  # Arabic alef
        ("sample-russian-2.txt", "utf-8", "\u0433"),  # Cyrillic ge
        ("sample-spanish.txt", "utf-8", "ó"),
        ("sample-english.bom.txt", "utf-8", "About 2 months ago"),
    ],
)
def test_text_file_decodes_to_its_own_script(corpus: Path, name: str, encoding: str, script: str) -> None:
    document = read_document(corpus / "text" / name)
    assert script in document.text
    assert document.encoding == encoding
    assert "\ufeff" not in document.text
    assert "\r" not in document.text
    assert "\ufffd" not in document.text  # nothing decoded as a replacement character
    assert document.format == "text"


def test_french_text_in_cp1252_keeps_its_accented_capitals(corpus: Path) -> None:
    assert read_document(corpus / "text" / "sample-french-1.txt").text.startswith(
        "JEAN-BAPTISTE POQUELIN MOLIÈRE\nNÉ LE 15 JANVIER 1622"
    )


def test_utf16_text_with_byte_order_mark_decodes(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Grüße aus Köln\r\nZweite Zeile".encode("utf-16"))
    document = read_document(path)
    assert document.text == "Grüße aus Köln\nZweite Zeile"
    assert document.encoding == "utf-16"


def test_markdown_keeps_its_markup_and_takes_the_title_from_the_first_heading(tmp_path: Path) -> None:
    source = "# Meeting notes\n\n- **Budget** approved\n- [link](https://example.org)\n"
    path = tmp_path / "notes.md"
    path.write_text(source, "utf-8")
    document = read_document(path)
    assert document.format == "markdown"
    assert document.text == source
    assert document.title == "Meeting notes"


def test_binary_data_in_a_text_file_is_reported_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(CorruptDocumentError, match="image.txt"):
        read_document(path)


def _spy_on_charset_guessing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import charset_normalizer

    given: list[int] = []
    guess = charset_normalizer.from_bytes

    def spy(data: bytes, *args, **kwargs):
        given.append(len(data))
        return guess(data, *args, **kwargs)

    monkeypatch.setattr(charset_normalizer, "from_bytes", spy)
    return given


@pytest.mark.parametrize("size", PADDING_SIZES)
def test_a_huge_text_file_of_nul_bytes_is_refused_from_its_first_mebibyte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:  # sparse on disk
        out.write(b"Not much text, then a gigabyte of nothing.\n")
        out.truncate(size)
    given = _spy_on_charset_guessing(monkeypatch)
    with pytest.raises(CorruptDocumentError, match="does not look like a text file"):
        read_document(path)
    assert given == [2**20]  # the whole gigabyte made charset-normalizer run for minutes


def test_a_long_legacy_text_is_decoded_whole_with_the_encoding_guessed_from_its_start(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = (corpus / "text" / "sample-french-1.txt").read_bytes()
    data = sample * (2 * 2**20 // len(sample) + 1) + "FIN DU DOCUMENT: Molière".encode("cp1252")
    path = tmp_path / "long.txt"
    path.write_bytes(data)
    given = _spy_on_charset_guessing(monkeypatch)
    document = read_document(path)
    assert document.encoding == "cp1252" and given == [2**20]
    assert document.text.startswith("JEAN-BAPTISTE POQUELIN MOLIÈRE")
    assert document.text.endswith("FIN DU DOCUMENT: Molière")


# --- HTML -----------------------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"\w+", text) if len(word) > 1}


@pytest.mark.parametrize("page", HTML_PAGES)
def test_html_main_text_has_the_words_of_the_expected_extract(corpus: Path, page: str) -> None:
    folder = corpus / "html" / page
    expected = _words(lxml.html.fromstring((folder / "expected.html").read_text("utf-8")).text_content())
    text = read_document(folder / "source.html").text
    found = expected & _words(text)
    assert len(found) / len(expected) >= 0.8, f"only {len(found)} of {len(expected)} expected words"
    # What a page's chrome would leave behind: scripts, style sheets, markup.
    assert "function(" not in text
    assert "<script" not in text and "<style" not in text
    assert re.search(r"[\w.#-]+\s*\{[^}]*:[^}]*\}", text) is None, "CSS rules in the text"


@pytest.mark.parametrize("page", HTML_PAGES)
def test_html_title_matches_the_expected_metadata(corpus: Path, page: str) -> None:
    folder = corpus / "html" / page
    expected = json.loads((folder / "expected-metadata.json").read_text("utf-8"))["title"]
    title = read_document(folder / "source.html").title
    # Sites append their own name ("Mozilla - Wikipedia"); the article title must be there.
    assert title and len(title) >= 5
    assert title in expected


def test_html_table_cells_keep_their_lists_and_dates(corpus: Path) -> None:
    # trafilatura empties a cell that holds a list or a <time> (Wikipedia's infobox: Mozilla's two divisions).
    text = read_document(corpus / "html" / "wikipedia" / "source.html").text
    assert "| Divisions | Mozilla Corporation Mozilla Foundation |" in text


def test_html_uses_the_declared_charset(tmp_path: Path) -> None:
    path = tmp_path / "café.html"
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Le café</title></head>'
        "<body><article><p>Un café crème, s'il vous plaît, et une tarte à la crème brûlée.</p>"
        "</article></body></html>"
    )
    path.write_bytes(html.encode("cp1252"))
    document = read_document(path)
    assert "café crème" in document.text
    assert document.encoding == "cp1252"


def test_html_falls_back_to_body_text_without_scripts_or_menus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    path = tmp_path / "page.htm"
    path.write_text(
        "<html><head><title>Notice</title><style>p { color: red; }</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/about'>About us</a></nav>"
        "<script>var x = function() { return 1; };</script>"
        "<h1>Water outage</h1><p>The water will be off on Tuesday.</p></body></html>",
        "utf-8",
    )
    document = read_document(path)
    assert document.text == "Water outage\nThe water will be off on Tuesday."
    assert document.title == "Notice"


# --- errors every format shares -------------------------------------------------------------------


def test_unknown_suffix_raises_unsupported_format_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.xyz"
    path.write_text("some text", "utf-8")
    with pytest.raises(UnsupportedFormatError) as caught:
        read_document(path)
    assert str(caught.value).startswith("notes.xyz is not a supported file type.")
    assert "PDF" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "content"), [("empty.txt", b""), ("blank.md", b" \n\t\r\n"), ("empty.pdf", b"")]
)
def test_zero_byte_or_whitespace_file_raises_empty_document(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(EmptyDocumentError, match=f"^{re.escape(name)} is empty: there is no text to work on"):
        read_document(path)


def test_missing_file_raises_document_error_saying_not_found(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="report.pdf was not found") as caught:
        read_document(tmp_path / "report.pdf")
    assert type(caught.value) is DocumentError


def test_folder_instead_of_file_raises_document_error(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(DocumentError, match="folder.txt is a folder"):
        read_document(tmp_path / "folder.txt")


def test_pdf_suffix_on_random_bytes_raises_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(bytes(range(7, 256)) * 40)
    with pytest.raises(CorruptDocumentError, match="^broken.pdf is corrupt or damaged"):
        read_document(path)


def test_truncated_pdf_raises_corrupt_with_the_library_error_as_cause(corpus: Path, tmp_path: Path) -> None:
    original = (corpus / "pdf" / "pdflatex-4-pages.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(original[: len(original) // 2])
    with pytest.raises(CorruptDocumentError, match="^truncated.pdf is corrupt or damaged") as caught:
        read_document(path)
    assert caught.value.__cause__ is not None


def test_docx_suffix_on_a_zip_that_is_not_a_word_file_raises_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    with pytest.raises(CorruptDocumentError, match="^letter.docx is corrupt or damaged") as caught:
        read_document(path)
    assert caught.value.__cause__ is not None


def test_unexpected_library_exception_is_wrapped_as_corrupt(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.documents import pdf

    def explode(*args: object) -> str:
        raise IndexError("list index out of range")

    # Both engines fail: PDFium on a page, then the pdfminer.six fallback.
    monkeypatch.setattr(pdf, "_page_text", explode)
    monkeypatch.setattr(pdf, "_pdfminer_pages", explode)
    with pytest.raises(CorruptDocumentError, match="minimal-document.pdf") as caught:
        read_document(corpus / "pdf" / "minimal-document.pdf")
    assert isinstance(caught.value.__cause__, IndexError)


def test_upper_case_suffix_is_read_like_lower_case(corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "REPORT.PDF"
    shutil.copy(corpus / "pdf" / "minimal-document.pdf", copy)
    assert read_document(copy).format == "pdf"


def test_file_dialog_filter_lists_every_supported_suffix() -> None:
    assert {".pdf", ".docx", ".odt", ".txt", ".text", ".md", ".markdown", ".html", ".htm"} <= set(
        SUPPORTED_SUFFIXES
    )
    documents_filter, images_filter, all_files = FILE_DIALOG_FILTER.split(";;")
    assert all_files == "All files (*)" and images_filter.startswith("Images (*.jpg")
    for suffix in SUPPORTED_SUFFIXES:
        assert f"*{suffix}" in documents_filter.split("(")[1].rstrip(")").split()


# --- pasted text ----------------------------------------------------------------------------------


def test_pasted_text_becomes_a_one_page_document_hashed_as_utf8() -> None:
    document = document_from_text("Première ligne\r\nDeuxième ligne")
    assert document == Document(
        path=None,
        name="Pasted text",
        format="text",
        pages=(Page(None, "Première ligne\nDeuxième ligne"),),
        title=None,
        sha256=hashlib.sha256("Première ligne\nDeuxième ligne".encode()).hexdigest(),
    )
    assert document.page_count is None


def test_blank_pasted_text_raises_empty_document() -> None:
    with pytest.raises(EmptyDocumentError, match="^Pasted text is empty"):
        document_from_text(" \n\t ")


def test_doubtful_ocr_words_are_found_in_reading_order_and_a_lookalike_elsewhere_is_not() -> None:
    page = Page(1, "Received: 3 units.\nThe units were Received on 3 May.", ocr_engine="Tesseract 5.3.0",
                ocr_confidence=80.0, doubtful_words=("units.", "missing", "Received", "3"))
    assert [page.text[start:end] for start, end in page.doubtful_spans()] == ["units.", "Received", "3"]
    assert page.doubtful_spans()[1][0] == page.text.index("Received on")  # not the first "Received:"
    assert Page(1, "No OCR here.").doubtful_spans() == []


def test_a_title_the_producing_software_wrote_is_not_what_the_model_is_told_the_document_is(corpus: Path) -> None:
    # The newsletter's PDF metadata title is the Word file it was printed from; the 0.5B model answered "This
    # document is a Microsoft Word - 102314.docx". The file's own name is used instead, as for no title.
    newsletter = read_document(corpus / "real" / "pr12564.pdf")
    assert newsletter.title == "Microsoft Word - 102314.docx" and newsletter.heading == "pr12564"
    notice = read_document(REAL / "Publication_of_award_of_Bids_for_Transport_Sector__August_2016.pdf")
    assert notice.heading == "Publishing of award of Bids for Transport Sector -August 2016"  # its words kept
    bulletin = read_document(REAL / "Info1708_destiller.pdf")  # "Acrobat Distiller, Job 2"
    assert bulletin.heading == "Info1708 destiller"

    def heading(title: str) -> str:
        return Document(path=Path("pump-notes.pdf"), name="pump-notes.pdf", format="pdf", pages=(), title=title,
                        sha256="").heading

    assert [heading(t) for t in ("5", "ActiveReports Document", "Untitled", "10811.exe")] == ["pump notes"] * 4
    for authored in ("Losing the Cabin", "B-292600 Cybernet Systems Corporation", "Report 2024.2 on pumps"):
        assert heading(authored) == authored


def test_a_title_the_document_does_not_bear_out_is_not_what_the_model_is_told_the_document_is(corpus: Path) -> None:
    # The Chelsea transport plan's metadata keeps the title of the plan it was made from (a Prescott-Russell trail
    # plan); two of its seven words are in the text. Its file name, which the text bears out, is used instead.
    plan = read_document(corpus / "real" / "chelsea_pdta.pdf")
    assert "Prescott" in (plan.title or "") and plan.heading == "chelsea pdta"
    agenda = read_document(REAL / "cuya_health.pdf")  # "CUYAHOGA COUNTY BOARD OF HEALTH", on its first page
    assert agenda.heading == "CUYAHOGA COUNTY BOARD OF HEALTH"

    def heading(title: str, name: str) -> str:
        minutes = "Decision list of the council meeting of 29 June 2015. The bylaw is adopted."
        return Document(path=Path(name), name=name, format="pdf", pages=(Page(1, minutes),), title=title,
                        sha256="").heading

    stale = "Agenda of the council meeting of 3 November 2008"  # 3 of its 7 words in the text
    assert heading(stale, "decision-list-29-june-2015.pdf") == "decision list 29 june 2015"
    assert heading(stale, "bug1815476.pdf") == stale  # a file name the text does not bear out either
    assert heading("Council meeting 29 June 2015", "decision-list-29-june-2015.pdf") == "Council meeting 29 June 2015"
