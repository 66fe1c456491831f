"""Slides, sheets, e-mail, RTF and EPUB on real files from public repositories (tests/data/README.md), and
the same clear errors for every format: broken, empty and password-protected files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from assistant.documents import FILE_DIALOG_FILTER, SUPPORTED_SUFFIXES, read_document
from assistant.errors import CorruptDocumentError, DocumentError, EmptyDocumentError, EncryptedDocumentError
from assistant.writing.summary.prepare import prepare_document

FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"


def test_slides_are_pages_in_order_with_tables_and_speaker_notes() -> None:
    deck = read_document(FORMATS / "tbl-cell.pptx")
    assert deck.format == "pptx" and deck.page_count == 3
    assert [page.label for page in deck.pages] == ["slide 1", "slide 2", "slide 3"]
    assert deck.pages[2].text.splitlines()[0] == "| a | b | c |"  # a table, as rows with its header
    assert "| g | h | i |" in deck.pages[2].text
    notes = read_document(FORMATS / "sld-notes.pptx")
    assert "Notes: Notes" in notes.pages[0].text
    titled = read_document(FORMATS / "test.pptx")
    assert titled.pages[0].text.startswith("Presentation Title Text")  # the title box reads first


def test_a_slides_chart_gives_its_figures_as_a_table() -> None:
    """A slide holding only a chart was refused as empty: its figures are now a row per category, a column per
    series."""
    chart = read_document(FORMATS / "shp-access-chart.pptx").pages[0].text
    assert chart.splitlines() == [
        "|  | Series 1 | Series 2 | Series 3 |", "| --- | --- | --- | --- |",
        "| Category 1 | 4.3 | 2.4 | 2 |", "| Category 2 | 2.5 | 4.4 | 2 |",
        "| Category 3 | 3.5 | 1.8 | 3 |", "| Category 4 | 4.5 | 2.8 | 5 |"]



def test_a_line_break_inside_a_slide_title_parts_its_words_and_the_slide_number_is_not_text(tmp_path: Path) -> None:
    """A title broken inside its paragraph ("Commission" / "in the 4 yearly review", Apache POI's aptia.pptx) read
    "Commissionin"; the slide-number box's "7" stood as a line of the slide's text."""
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER

    deck = Presentation()
    layout = deck.slide_layouts[1]
    slide = deck.slides.add_slide(layout)
    slide.shapes.title.text = "Role of the Fair Work Commission\vin the 4 yearly review"
    number = next(p for p in layout.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER)
    slide.shapes.clone_placeholder(number)
    box = next(p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER)
    box.text_frame.text = "7"
    deck.save(tmp_path / "review.pptx")
    lines = read_document(tmp_path / "review.pptx").pages[0].text.splitlines()
    assert lines[:2] == ["Role of the Fair Work Commission", "in the 4 yearly review"]
    assert "7" not in lines

def test_excel_sheets_are_tables_with_their_names_and_saved_formula_values() -> None:
    book = read_document(FORMATS / "testEXCEL.xlsx")
    assert book.format == "xlsx" and book.title == "Simple Excel document"
    first = book.pages[0]
    assert first.label == "sheet 1 (Feuil1)"
    lines = first.text.splitlines()
    assert lines[0] == "Sample Excel Worksheet - Numbers and their Squares"  # a title row is not the header
    assert "| Number | Square |" in first.text and "| 15 | 225 |" in first.text  # squares are formulas
    assert [page.name for page in book.pages] == ["Feuil1", "Feuil2", "Feuil3"]


def test_a_sheet_reads_into_rows_that_name_their_columns_for_the_summary() -> None:
    from assistant.text.condense import table_rows

    book = read_document(FORMATS / "testEXCEL.xlsx")
    title, table, note = book.pages[0].text.split("\n\n")
    assert "12: Square 144." in table_rows(table)  # the first column labels the row, the others name their cells
    # The note in one cell under the table is a line after it, not a row.
    assert note == "Written and saved in Microsoft Excel X for Mac Service Release 1."


def test_a_unit_and_period_line_over_a_wider_header_is_a_title_not_the_header(tmp_path: Path) -> None:
    # As Nestlé's half-year segment sheet (unstructured's example-docs) lays it out: its column names were read as
    # the first row under a header of "In millions of CHF" and "January–June 2023".
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Revenue and results"], ["In millions of CHF", None, None, None, None, "January–June 2023"],
                [None, "Sales", "Trading operating profit", "Restructuring costs", "Depreciation", "Impairment"],
                ["Zone NA", 12553, 2632, -44, -337, -29], ["Total", 46293, 7351, -262, -1722, -110]):
        sheet.append(row)
    book.save(tmp_path / "segments.xlsx")
    text = read_document(tmp_path / "segments.xlsx").pages[0].text
    assert text.startswith("Revenue and results\n\nIn millions of CHF, January–June 2023\n\n|  | Sales |")
    # Two cells over a header of two or three columns are the header, as before.
    book = Workbook()
    for row in (["Number", "Square"], [3, 9], [4, 16]):
        book.active.append(row)
    book.save(tmp_path / "squares.xlsx")
    assert read_document(tmp_path / "squares.xlsx").pages[0].text.startswith("| Number | Square |")


def test_opendocument_sheets_read_like_excel_ones() -> None:
    sheet = read_document(FORMATS / "LibreOfficeCalc_ods_1.3.ods")
    assert sheet.format == "ods" and sheet.pages[0].label == "sheet 1 (Sheet1)"
    assert sheet.pages[0].text.splitlines()[0] == "| This | is | an | example | spreadsheet |"


def test_eml_reads_headers_body_and_each_attachment_as_a_page_of_its_own() -> None:
    mail = read_document(FORMATS / "testRFC822_multipart_attachments.eml")
    assert mail.format == "eml" and mail.title == "EML 1"
    body = mail.pages[0]
    assert body.label == "the mail"
    assert body.text.startswith("From: Bugs Bunny <Bugs.Bunny@acme.com>\nTo: Bugs Bunny")
    assert "Subject: EML 1" in body.text and "This is test email for EML1" in body.text
    assert [page.label for page in mail.pages[1:]] == ["attachment Test TxtA.txt", "attachment Test TxtB.txt"]
    assert mail.pages[1].text == "This is Test TXTA File for parser"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_an_eml_saved_with_a_byte_order_mark_reads_as_without_it(tmp_path: Path, encoding: str) -> None:
    """Saved as "UTF-8 with BOM" or as "Unicode" by a Windows program, the same mail was refused as not an e-mail."""
    original = FORMATS / "testRFC822_multipart_attachments.eml"
    marked = tmp_path / f"marked-{encoding}.eml"
    marked.write_bytes(original.read_text(encoding="utf-8").encode(encoding))
    assert [(p.label, p.text) for p in read_document(marked).pages] == [
        (p.label, p.text) for p in read_document(original).pages]


def test_outlook_msg_reads_sender_subject_body_and_readable_attachments() -> None:
    mail = read_document(FORMATS / "testMSG.msg")
    assert mail.format == "msg" and mail.title == "MIME registry use cases"
    assert mail.pages[0].text.startswith('From: "Jukka Zitting" <jukka.zitting@gmail.com>')
    assert "type detection code more" in mail.pages[0].text
    with_files = read_document(FORMATS / "testMSG_att_doc.msg")
    assert with_files.title == "test pièce jointe 1"
    assert [page.label for page in with_files.pages] == ["the mail", "attachment test-unicode.doc",
                                                         "attachment pj1.txt"]
    # The old binary Word attachment is read too (it used to be left out with a note).
    assert "école (00E9)" in with_files.pages[1].text and "euro : € (20AC)" in with_files.pages[1].text
    assert "école" in with_files.pages[2].text and "€" in with_files.pages[2].text
    assert not with_files.notes


def test_outlook_msg_in_another_code_page_reads_its_subject_and_names_in_it() -> None:
    # A Traditional Chinese message (code page 950, which Python calls cp950) was refused as corrupt, and the names
    # and subject of both came out in Latin-9 ("Ñâèðèäîâ" for "Свиридов").
    chinese = read_document(FORMATS / "chinese-traditional.msg")
    assert chinese.title == "Alfresco MSG format testing ( MSG 格式測試 )"
    assert "From: \"Tests Chang@FT (張毓倫)\"" in chinese.pages[0].text
    assert "To: Tests Chang@FT (張毓倫) <tests.chang@fengttt.com>" in chinese.pages[0].text
    russian = read_document(FORMATS / "cyrillic_message.msg").pages[0].text
    assert "To: Свиридов Дмитрий Владимирович <sviridov@niips.ru>" in russian
    assert "Subject: Автоматический ответ" in russian and "Ваше сообщение" in russian


def test_outlook_msg_saved_from_an_internet_mail_decodes_its_header_words() -> None:
    # Outlook keeps an Internet mail's MIME encoded words: the sender showed as "=?UTF-8?B?VWRlbXk=?=".
    receipt = read_document(FORMATS / "bug66335.msg").pages[0].text
    assert receipt.startswith("From: Udemy <udemy@email.udemy.com>\nTo: Simon Wagner <swagner@faw.at>")
    assert "=?" not in receipt.split("\n\n")[0] and "Subject: Deine Bestellbestätigung vom 13-09-2018" in receipt


def test_a_mails_long_tracking_links_are_shown_short(tmp_path: Path) -> None:
    # The receipt's plain body is mostly tracking links of hundreds of characters (they led the key points of a
    # mailing): each is its page without the query, or its site when the page's own address is long.
    receipt = read_document(FORMATS / "bug66335.msg").pages[0].text
    assert "Kurs starten<https://www.udemy.com/join/login-popup/?…>" in receipt and "Gesamtbetrag\n€10.99" in receipt
    assert max(len(link) for link in re.findall(r"https?://[^\s<>\[\]]+", receipt)) < 80
    mail = tmp_path / "notice.eml"
    mail.write_text(
        "From: a@example.com\nSubject: Password changed\n\nRecover it at https://accounts.google.com/RecoverAccount"
        "?fpOnly=1&source=ancpse&Email=someone.somewhere@gmail.com. Help: (https://support.google.com/answer.py?a=1)\n",
        encoding="utf-8")
    body = read_document(mail).text
    assert "Recover it at https://accounts.google.com/RecoverAccount?…. Help:" in body
    assert "(https://support.google.com/answer.py?a=1)" in body  # a short one as written


def test_word_documents_embedded_in_slides_are_read_in_their_place() -> None:
    # The annual meeting's reports are Word documents embedded in its slides; the slides read as their titles alone.
    deck = read_document(FORMATS / "bug62513.pptx")
    membership = deck.pages[12].text
    assert membership.startswith("Membership Report\n\n") and "Alberta | 6 | 4 | 14 | 28" in membership
    assert "CNIA Director of Communication Report" in deck.pages[14].text  # a Word 97-2003 one, through antiword
    assert "Nova Scotia Nursing Informatics Group (NSNIG) met ten times" in deck.pages[16].text
    assert not deck.notes  # the embedded PDF of slide 11 is no document it reads, and no failure


def test_rtf_reads_in_the_code_page_of_its_default_font() -> None:
    czech = read_document(FORMATS / "testRTFWordPadCzechCharacters.rtf")
    assert czech.format == "rtf" and czech.encoding == "cp1250"
    assert czech.text.startswith("Článek týdne\nČást svitku s textem Knihy Izajáš")
    french = read_document(FORMATS / "testRTF.rtf")
    assert french.text == "Test d’indexation Word"


def test_epub_chapters_are_pages_in_spine_order() -> None:
    book = read_document(FORMATS / "testEPUB.epub")
    assert book.format == "epub" and book.title == "An ePub for Tika"
    chapters = [page for page in book.pages if page.text.startswith("Chapter")]
    assert [page.text.splitlines()[0] for page in chapters] == ["Chapter 1", "Chapter 2"]
    assert "This is the text for chapter One" in chapters[0].text
    assert all(page.unit == "chapter" for page in book.pages)


def test_epub_chapters_that_declare_their_encoding_are_read(tmp_path: Path) -> None:
    """EPUB 3 chapters (and Google Docs' EPUB export) start with an XML declaration; they were read as empty."""
    path = tmp_path / "declared.epub"
    with zipfile.ZipFile(FORMATS / "testEPUB.epub") as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith(".html"):
                data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + data
            target.writestr(item, data)
    book = read_document(path)
    assert "This is the text for chapter One" in book.text
    assert [page.text.splitlines()[0] for page in book.pages if page.text.startswith("Chapter")] == [
        "Chapter 1", "Chapter 2"]


def test_a_filled_in_pdf_form_gives_what_was_typed_and_ticked_after_its_printed_labels() -> None:
    """The values of a fillable form live in its fields, not in the page's text: read as a blank form before."""
    form = read_document(FORMATS / "issue17492.pdf")
    text = form.pages[0].text
    assert text.startswith("PDF Form Example")
    answers = text.split("TypeScript JavaScript Java C#", 1)[1].strip().split("\n\n")  # each a paragraph
    assert answers[:4] == ["First name: Lucía", "Last name: Garzas", "Use selection or write country name: Spain",
                           "Select from list: UX Designer"]
    assert "javaScript: ticked" in answers and "java: ticked" in answers
    assert "Education Level:" in answers  # a label the form's author typed as a text box
    # Each answer is a sentence of its own for the summary, not one run-on line of every field.
    assert "Last name: Garzas" in [sentence.text for sentence in prepare_document(form).sentences]
    assert not any(line.lower().startswith(("typescript", "csharp")) for line in answers)  # boxes left empty


def test_a_ticked_option_named_by_its_tooltip_is_said_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A Medicare claim form's radio buttons (CMS-1490S) carry their option as both tooltip and export value, under
    # field names such as "RadioButton6": they read "Male: Male".
    from assistant.documents import pdf_annotations

    monkeypatch.setattr(pdf_annotations, "_value", lambda *args: "Male")
    monkeypatch.setattr(pdf_annotations, "_label", lambda *args: "Male")
    assert pdf_annotations._field(None, None, None) == "☑ Male"
    monkeypatch.setattr(pdf_annotations, "_label", lambda *args: "Sex")
    assert pdf_annotations._field(None, None, None) == "Sex: Male"


def test_text_typed_onto_a_pdf_page_is_read_whichever_viewer_typed_it() -> None:
    """Text boxes added with "Add text" (FreeText annotations) are not in the page's text: this page, which holds
    nothing else, was refused as having no text."""
    page = read_document(FORMATS / "freetexts.pdf").pages[0]
    assert page.text.split("\n\n") == [f"Hello World {word} {viewer}" for word, viewer in (
        ("from", "Acrobat"), ("From", "Firefox"), ("from", "Preview"), ("from", "Edge without Acrobat"),
        ("from", "Foxit"), ("from", "Okular"))]


def _xfa_form(datasets: bytes) -> bytes:
    """A one-page PDF whose form is XFA only, as Adobe LiveCycle writes them: the page shows a notice and the
    values sit in the form's "datasets" packet (the objects written in order, their offsets in the xref)."""
    notice = b"BT /F1 12 Tf 72 720 Td (Please wait...) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R /NeedsRendering true >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R"
        b" /Resources << /Font << /F1 7 0 R >> >> >>",
        b"<< /Fields [] /XFA [(datasets) 5 0 R] >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(datasets), datasets),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(notice), notice),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return pdf + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_an_xfa_only_forms_filled_in_values_are_read(tmp_path: Path) -> None:
    """Government forms made with Adobe LiveCycle keep their values in XFA data; PDFium here shows only the
    form's "Please wait..." notice, so the filled-in form read as that notice alone. The notice goes."""
    datasets = (b'<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><LOVFile><Country>Canada'
                b'</Country></LOVFile><xfa:data><Sponsor><PAFamilyName>Euler</PAFamilyName><PAGivenName>Leonhard'
                b'</PAGivenName><DOBYear>1707</DOBYear><Empty/><Note>Tom &amp; Jerry</Note></Sponsor></xfa:data>'
                b'</xfa:datasets>')
    path = tmp_path / "xfa.pdf"
    path.write_bytes(_xfa_form(datasets))
    assert read_document(path).pages[0].text.split("\n\n") == [
        "PA Family Name: Euler", "PA Given Name: Leonhard", "DOB Year: 1707", "Note: Tom & Jerry"]


def test_a_forms_hidden_helper_fields_are_not_read_as_answers(corpus: Path) -> None:
    """The Luxembourg salary certificate keeps running totals ("TOTREM: 0") in hidden fields of a blank form."""
    blank = read_document(corpus / "real" / "160F-2019.pdf")
    assert "TOTREM" not in blank.text and "minus1" not in blank.text
    assert "CERTIFICAT DE SALAIRE" in blank.text.upper()


def test_a_web_page_is_led_and_named_by_its_headline() -> None:
    # The council meeting's headline is an h1 for screen readers that trafilatura leaves out; its og:title is one word.
    document = read_document(FORMATS / "den_helder_meeting.html")
    assert document.title == "Gemeenteraad 31 augustus 2015 19:30:00"
    assert document.text.startswith("Gemeenteraad 31 augustus 2015 19:30:00\n\n")
    assert "Print deze agenda\n" in document.text  # a link's text wrapped in the source is one line


def test_a_web_pages_headings_that_link_to_their_items_are_kept() -> None:
    # Each agenda item's title is an h3 made of a link to the item's page; trafilatura dropped those without a
    # description under them as navigation.
    lines = read_document(FORMATS / "den_helder_meeting.html").text.splitlines()
    agenda = lines[lines.index("Agenda") + 1 :]
    assert agenda[:5] == ["- Opening.", "- Spreekrecht burgers.", "- Vragenkwartier.", "- Bepalen stemvolgorde.",
                          "- Vaststelling agenda."]
    assert "- Sluiting." in agenda


def test_a_web_tables_cell_spanning_a_thousand_columns_adds_none() -> None:
    # The agenda's last row is one cell of colspan="1000" (a "fill the row" habit): every row had come out as four
    # cells and ninety-six empty ones, and the page read as one paragraph.
    lines = read_document(FORMATS / "den_helder_meeting_print.html").text.splitlines()
    assert "|  | 1 | Opening. | 0 |" in lines
    assert max(line.count("|") for line in lines) == 5


def test_a_web_pages_marked_date_time_and_place_are_kept() -> None:
    # The meeting's schema.org date and place sit in blocks of class "meta", which trafilatura left out, keeping the
    # site's ".gov" banner as the page's text instead.
    text = read_document(FORMATS / "cuya_board_control_detail.html").text
    assert "January 29, 2024 11:00 AM - 12:00 PM" in text
    assert "County Headquarters 2079 East Ninth Street 4th, Cmmt Room B" in text
    assert ".gov means it's official" not in text


def test_a_web_pages_links_to_the_documents_it_lists_are_read_as_its_text() -> None:
    # The housing authority's notice page lists its meeting notice and 21 agenda items, each a link to its PDF;
    # trafilatura left every one out as navigation, and the page read as its three lines of introduction.
    text = read_document(FORMATS / "chi_housing_authority_notice.html").text
    assert "Notice of Committee/Board Meetings - November 20, 2018" in text
    assert "Item 1 - FY2019 Comprensive Budget" in text and "Item 21-Robinson Group IT" in text
    assert "In accordance with the Illinois Open Meetings Act" in text
    assert "Resident Services" not in text  # the site's menus stay out


def test_a_letter_spaced_page_is_read_as_words() -> None:
    # The font gives no glyph widths, so PDFium spaced out every letter: "N O TI C E O F P U B L I C H E A RI N G".
    text = read_document(FORMATS / "PDFBOX-3127-RAU4G6QMOVRYBISJU7R6MOVZCRFUO7P4-VFont.pdf").text
    assert "NOTICE OF PUBLIC HEARING" in text
    assert "Thursday, April 29, 2010 at The Conference and Business" in text
    assert "The telephone\nnumber for the Conference and Business Center is 843-477-2042." in text


def test_a_minus_drawn_as_a_soft_hyphen_is_shown() -> None:
    # The credit note's font maps its minus sign to U+00AD, which no reader shows: the refund read as an amount due.
    text = read_document(FORMATS / "LKR824191.pdf").text
    assert "Tasumisele kuulub -6,39" in text and "Kauplus-ladu" in text
    assert "\u00ad" not in text


def test_a_page_drawn_from_the_bottom_up_is_read_from_the_top() -> None:
    # The invoice drew its address upwards and its numbers away from their labels ("Rechnungsdatum / 30064443
    # Kundennr. / 7. Mai 2014 / 47774"), its items 6 to 1.
    first, second = (page.text.splitlines() for page in read_document(FORMATS / "QualityHosting.pdf").pages)
    assert first[1:5] == ["iViveLabs Ltd.", "93B Sai Yu Chung", "Yuen Long, N.T.", "Hong Kong"]
    assert "Rechnungsnr. 30064443 Kundennr. 47774" in first and "Rechnungsdatum 7. Mai 2014" in first
    items = [line.split()[0] for line in first if "Small Business" in line]
    assert items == ["1", "2", "3", "4", "5", "6"]
    assert second.index("Total EUR 34,73") < second.index("Zahlungsziel 21.05.14")


def test_a_mails_word_field_codes_are_left_out() -> None:
    # Outlook left 'HYPERLINK "mailto:…"' before each address of the thread's plain-text body.
    text = read_document(FORMATS / "email-no-utf8-2008-07-16.062410.eml").text
    assert "HYPERLINK" not in text
    assert "2008/7/11 Tamir Erez <ereztm@post.tau.ac.il>:" in text
    assert "From: Slava [mailto:slavago@gmail.com]" in text


def test_word_97_2003_documents_are_read_with_their_table_rows() -> None:
    # An Indiana Supreme Court decision and a university travel form were refused as "not a supported file type".
    decision = read_document(FORMATS / "word-doc.doc")
    assert decision.format == "doc" and decision.page_count is None
    lines = decision.text.splitlines()
    assert "No. 49S00-0308-DP-392" in lines and "Attorneys for Appellant Attorneys for Appellee" in lines
    assert "\t" not in decision.text


def test_excel_97_2003_sheets_are_tables_with_their_names() -> None:
    book = read_document(FORMATS / "testEXCEL_labels-govdocs-515858.xls")
    assert book.format == "xls" and book.pages[0].label == "sheet 1 (Cabbage and other brassicas)"
    # Its numbers as the sheet shows them: two decimals, thousands separated (the cell holds 88.832 and 6694).
    assert "| Austria | 88.83 | 10.08 | 6,694 |  |" in book.pages[0].text.splitlines()


def test_a_workbook_is_read_without_openpyxls_warnings(corpus: Path) -> None:
    # The K-State worksheet's print header made openpyxl warn "Cannot parse header or footer" on stderr, under the
    # command line's output.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_document(Path(__file__).resolve().parents[2] / "benchmarks" / "real" / "stress024.xlsx")


def test_tables_stacked_on_one_sheet_are_tables_of_their_own_under_their_captions() -> None:
    # The tax-rate sheet stacks three tables (single, married one income, married two incomes), each under its
    # caption row, with notes under the last: they were one table under the first header, the second and third
    # captions and the notes rows of it ("| MARRIED ONE INCOME 2 CHILDREN" was a key point).
    parts = read_document(FORMATS / "AverageTaxRates.xlsx").pages[0].text.split("\n\n")
    captions = ["FULL RATE PRSI, SINGLE", "FULL RATE PRSI, MARRIED ONE INCOME 2 CHILDREN",
                "FULL RATE PRSI, MARRIED 2 INCOMES** 2 CHILDREN"]
    for caption in captions:
        table = parts[parts.index(caption) + 1]
        assert table.startswith("| € |") and "| 40,000 |" in table, caption
    assert parts[0] == "(iii) AVERAGE TAX RATES ON ANNUAL EARNINGS IN % TERMS*"
    assert parts[-1].startswith("** The Married two-Incomes figures assume that the joint income is divided 65%")


def test_a_sheets_note_typed_over_two_rows_is_one_paragraph() -> None:
    # The note under each tax-rate table goes on in the next row's cell ("… includes only the standard" / "employee
    # and personal income tax credits."): its end read as a note of its own.
    parts = read_document(FORMATS / "AverageTaxRates.xlsx").pages[0].text.split("\n\n")
    note = next(part for part in parts if part.startswith("* Average Tax Rates"))
    assert "This measure includes only the standard employee and personal income tax credits." in note
    assert not any(part.startswith("employee and personal") for part in parts)


def test_a_csv_file_is_a_sheet_whatever_its_delimiter(tmp_path: Path) -> None:
    # Exports from inspection and booking systems come as .csv: they were refused as "not a supported file type".
    book = read_document(FORMATS / "testCSV.csv")
    assert book.format == "csv" and book.pages[0].label == "sheet 1"
    title, table, note = book.text.split("\n\n")
    assert title == "Sample CSV File - Numbers and their Squares" and note == "Written and saved in Apache OpenOffice."
    assert table.startswith("| Number | Square |\n| --- | --- |\n| 1 | 1 |") and "| 15 | 225 |" in table
    rows = read_document(FORMATS / "semicolon-delimited.csv").text.splitlines()
    assert rows[0] == "| Lorem, ipsum | dolor sit | amet |" and "| sed, do | eiusmod | tempor incididunt |" in rows
    tabbed = tmp_path / "readings.tsv"
    tabbed.write_text("Pump\tPressure\nP-7\t4.2 bar\n", encoding="utf-8")
    assert read_document(tabbed).text == "| Pump | Pressure |\n| --- | --- |\n| P-7 | 4.2 bar |"
    binary = tmp_path / "export.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CorruptDocumentError, match="does not look like a text file"):
        read_document(binary)


def test_a_sheets_numbers_are_read_as_the_sheet_shows_them(tmp_path: Path) -> None:
    # An unseen workbook of tax rates read 19.7% as 0.197 and 40,000 as 40000: the summary and the library saw
    # fractions where the sheet shows percentages.
    rows = read_document(FORMATS / "AverageTaxRates.xlsx").pages[0].text.splitlines()
    assert any(row.startswith("| 40,000 | 31,503 | 40.6% | 38.4% |") and row.endswith("| 19.7% |") for row in rows)
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["what", "shown"])
    for value, number_format in ((0.07, "0.00%"), (205, '"$"#,##0.00'), (-1234.5, "#,##0.00;(#,##0.00)"),
                                 (1234.5, '_("$"* #,##0.00_);_("$"* (#,##0.00)'), (3.1, "#,##0.00 [$€-407]"),
                                 (2.5, "0"), (0.1 + 0.2, "General"), (0.5, "# ?/?")):
        book.active.append(["value", value])
        book.active.cell(book.active.max_row, 2).number_format = number_format
    book.save(tmp_path / "formats.xlsx")
    lines = read_document(tmp_path / "formats.xlsx").text.splitlines()[2:]
    shown = [line.strip("| ").split(" | ")[1] for line in lines]
    assert shown == ["7%", "$205.00", "(1,234.50)", "$1,234.50", "3.10 €", "3", "0.3", "0.5"], shown


def test_a_doc_or_xls_that_is_really_rtf_docx_or_xlsx_is_read_as_what_it_is(tmp_path: Path, corpus: Path) -> None:
    # Programs save RTF and .docx under a ".doc" name, and .xlsx under ".xls".
    for source, misnamed in ((FORMATS / "testRTF.rtf", "letter.doc"), (corpus / "docx" / "blk-paras-and-tables.docx",
                             "report.doc"), (FORMATS / "testEXCEL.xlsx", "book.xls")):
        (tmp_path / misnamed).write_bytes(source.read_bytes())
        assert read_document(tmp_path / misnamed).text == read_document(source).text, misnamed


def test_a_word_97_2003_document_without_antiword_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(DocumentError, match=r"^word-doc\.doc cannot be read here: .*\(antiword\)"):
        read_document(FORMATS / "word-doc.doc")


def test_a_password_protected_sheet_says_so() -> None:
    with pytest.raises(EncryptedDocumentError, match=r"^testEXCEL_protected_passtika\.xlsx is password protected"):
        read_document(FORMATS / "testEXCEL_protected_passtika.xlsx")


def test_a_drm_encrypted_epub_says_it_is_protected(tmp_path: Path) -> None:
    path = tmp_path / "locked.epub"
    with zipfile.ZipFile(FORMATS / "testEPUB.epub") as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("META-INF/encryption.xml", '<encryption><EncryptedData><CipherReference '
                        'URI="OPS/chapters/chapter1.html"/></EncryptedData></encryption>')
    with pytest.raises(EncryptedDocumentError):
        read_document(path)


@pytest.mark.parametrize(
    "name",
    ["tbl-cell.pptx", "testEXCEL.xlsx", "LibreOfficeCalc_ods_1.3.ods", "testEPUB.epub", "testMSG.msg",
     "testRFC822_multipart_attachments.eml", "testRTF.rtf", "word-doc.doc", "testEXCEL_labels-govdocs-515858.xls"],
)
def test_every_format_says_corrupt_when_cut_short_and_empty_when_empty(tmp_path: Path, name: str) -> None:
    data = (FORMATS / name).read_bytes()
    cut = tmp_path / name
    # Text formats (mail, RTF) have no structure to cut: they get bytes that are not theirs instead.
    garbage = name.endswith((".eml", ".rtf"))
    cut.write_bytes(b"\x00\x01garbage\xff" * 20 if garbage else data[: len(data) // 3])
    with pytest.raises(CorruptDocumentError, match=rf"^{name.replace('.', r'[.]')} is corrupt or damaged"):
        read_document(cut)
    empty = tmp_path / f"empty-{name}"
    empty.write_bytes(b"")
    with pytest.raises(EmptyDocumentError):
        read_document(empty)


def test_the_file_dialogs_offer_the_new_formats_and_images() -> None:
    for suffix in (".pptx", ".xlsx", ".ods", ".eml", ".msg", ".rtf", ".epub", ".jpg", ".png", ".tiff", ".webp", ".doc",
                   ".xls", ".csv", ".tsv"):
        assert suffix in SUPPORTED_SUFFIXES
        assert f"*{suffix}" in FILE_DIALOG_FILTER
