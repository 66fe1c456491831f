"""Ruled PDF tables read row by row, each row naming its columns (assistant/documents/pdf_tables.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.documents import read_document
from assistant.documents.pdf_tables import table_lines

from ..conftest import REAL


def test_a_row_of_a_clinical_table_says_which_column_each_frequency_belongs_to(corpus: Path) -> None:
    # A summary of product characteristics: three patient groups as columns, adverse reactions as rows.
    text = read_document(corpus / "real" / "table-curves-example.pdf").pages[0].text
    assert "Thrombocytopenia Uncommon Uncommon Common" not in " ".join(text.split())
    row = next(line for line in text.splitlines() if "Thrombocytopenia" in line)
    assert row == "Thrombocytopenia: VTEp Uncommon; NVAF Uncommon; VTEt Common."
    # The long headings are named by their short names in the rows, spelled out once above them.
    legend = next(line for line in text.splitlines() if line.startswith("Columns: "))
    assert "VTEt: Treatment of DVT and PE, and prevention of recurrent DVT and PE." in legend
    assert text.index(legend) < text.index(row)
    assert "Blood and lymphatic system disorders." in text.splitlines()  # a section row stays a line of its own
    # The text around the table is kept, in its place.
    assert text.index("Table 2: Tabulated adverse reactions") < text.index("Thrombocytopenia")
    assert "for VTEp, NVAF, and VTEt respectively." in text


def test_a_table_on_a_landscape_page_is_found_where_the_page_shows_it() -> None:
    # A contract award notice printed sideways (/Rotate 90): its rows still land in place of the table's text.
    text = read_document(REAL / "Publication_of_award_of_Bids_for_Transport_Sector__August_2016.pdf").pages[0].text
    row = next(line for line in text.splitlines() if line.startswith("Serial No. 1:"))
    assert "Contractor/Suppliers /Consultant Japan Motors Trading Company Limited;" in row
    assert "Contract Amount 902,418.00;" in row and row.endswith("Remarks Completed.")


def test_a_table_with_headings_on_two_rows_is_left_as_pdfium_reads_it() -> None:
    # Port statistics with a heading row of units ("Mill. u$s", "Part." repeated) under the years: no one row
    # of headings to name the columns by, so the rows are not rewritten with the wrong names.
    text = read_document(REAL / "puertos1.pdf").pages[0].text
    assert "pesqueros 663 2.5% 478 1.9% 619 2.1%" in text
    assert "Mill. u$s 663" not in " ".join(text.split())


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        ([["Age", None, "Rate"], ["18-75", "x", "1%"], ["76-80", "y", "0.5%"]], "a merged heading cell"),
        ([["Mill.", "Part.", "Mill."], ["663", "2.5%", "478"], ["232", "0.9%", "241"]], "repeated headings"),
        ([["Name", "Value"], ["a", "1"]], "a single body row"),
        ([["Question", "Answer"], ["Print your name", ""], ["Sign here", ""], ["Date", ""]], "an empty form"),
        ([["Notes", "Ref"], ["word " * 100, "1"], ["x", "2"]], "a paragraph in a box"),
        ([["Name", "Party", "Province"], ["ABDALA, Norma", "Frente Cívico", "Santiago del Estero"],
          ["ALBRIEU, Oscar", "Frente para la Victoria", "Rio Negro"]], "names and places read without headings"),
    ],
)
def test_rows_that_do_not_read_as_one_table_are_not_rewritten(rows: list[list[str | None]], why: str) -> None:
    assert table_lines(rows) == [], why


def test_a_two_column_table_reads_as_heading_and_value() -> None:
    rows = [["Età all'epoca del decesso", "Misura %"], ["18-75", "1,00%"], ["76-80", "0,50%"], [None, None]]
    assert table_lines(rows) == ["Età all'epoca del decesso 18-75: Misura % 1,00%.",
                                 "Età all'epoca del decesso 76-80: Misura % 0,50%."]


def test_a_row_named_by_a_figure_keeps_its_heading_and_a_named_row_does_not() -> None:
    rows = [["Age", "Men", "Women"], ["18-75", "1,00%", "1,20%"], ["81 and over", "0,10%", "0,10%"],
            ["Not known", "2%", "3%"]]
    assert table_lines(rows) == ["Age 18-75: Men 1,00%; Women 1,20%.", "Age 81 and over: Men 0,10%; Women 0,10%.",
                                 "Not known: Men 2%; Women 3%."]


def test_a_long_heading_without_a_short_name_is_kept_whole() -> None:
    rows = [["Item", "Amount paid to the contractor in the year"], ["Roads", "12"], ["Bridges", "7"]]
    assert table_lines(rows) == ["Roads: Amount paid to the contractor in the year 12.",
                                 "Bridges: Amount paid to the contractor in the year 7."]


def test_a_page_without_ruled_lines_is_never_given_to_pdfplumber(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pdfplumber reads a page far more slowly than PDFium: prose pages must not pay for it.
    import pdfplumber

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pdfplumber opened a page without a ruled table")

    monkeypatch.setattr(pdfplumber, "open", refuse)
    for name in ("issue11913.pdf", "scotus-transcript-p1.pdf"):
        assert read_document(corpus / "real" / name).pages[0].text.strip()


def test_a_file_pdfplumber_cannot_open_is_read_as_pdfium_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfplumber

    opened = []

    def broken(*args: object, **kwargs: object) -> None:
        opened.append(args)
        raise ValueError("not a PDF pdfminer can parse")

    monkeypatch.setattr(pdfplumber, "open", broken)
    document = read_document(REAL / "Publication_of_award_of_Bids_for_Transport_Sector__August_2016.pdf")
    assert len(document.pages) == 5 and len(opened) == 1  # five ruled pages, one attempt
    assert "Japan Motors Trading" in " ".join(document.pages[0].text.split())
    assert not any(line.startswith("Serial No. 1:") for line in document.pages[0].text.splitlines())


def test_a_table_of_labels_and_sentences_without_headings_is_read_row_by_row() -> None:
    # A Japanese pension notice (PdfPig's 0000851.pdf, page 4): its first row is a benefit, not a heading row, and
    # naming the others after it gave every benefit the medical rule's text ("死亡弔慰金の給付: 保険診療に係る…").
    rows = [
        ["医 療 給 付",
         "保険診療に係る医療費自己負担額（診療月ごと、病院ごと等）から6,000円を控除した額の90％\n（100円未満切捨て）を給付します。"],
        ["入院見舞金の給付",
         "入院（第三者の行為により発生した交通事故等は除く）したとき、1日につき500円を給付\nします（同一年度内180日限度）。"],
        ["死亡弔慰金の給付", "亡くなられたとき、葬儀を行った方に30,000円を給付します。"],
        ["旅行助成金の支給", "福祉互助会で企画する旅行に参加したとき、１人１旅行につき10,000円を助成します。"],
    ]
    lines = table_lines(rows)
    assert lines[2] == "死亡弔慰金の給付: 亡くなられたとき、葬儀を行った方に30,000円を給付します。"
    assert lines[0].startswith("医 療 給 付: 保険診療に係る") and len(lines) == 4
    assert sum("保険診療" in line for line in lines) == 1


def test_an_invoices_payment_methods_each_say_their_own_terms() -> None:
    # Netpresse's ruled table "CB | Vous pouvez régler … sécurisé." / "Chèque | … n'est plus accepté." has no heading
    # row: read with the card row as headings, the cheque row carried the card's terms, and cheques seemed welcome.
    text = read_document(Path(__file__).resolve().parents[1] / "data" / "formats" / "NetpresseInvoice.pdf").text
    assert "Chèque: Le règlement par chèque n’est plus accepté." in text.splitlines()
    assert next(line for line in text.splitlines() if line.startswith("CB: ")).endswith("totalement sécurisé.")
