"""Condensed input and chunking: boilerplate removed, pages kept, every part within its token budget."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.documents import Page, read_document
from assistant.text.condense import Passage, condense, paragraphs
from assistant.text.packing import pack, split_to_fit

from ..conftest import REAL


def words(text: str) -> int:
    return len(text.split())


def _report_pages() -> list[Page]:
    body = [
        "The east abutment shows a crack 2.5 mm wide at gridline C4.",
        "Load limit for the deck is 40 t until repairs are made.",
        "Bearing B-1127 must be replaced before 2026-03-01.",
        "Inspector: J. Moreau, licence EC-44871.",
    ]
    procedure = "All measurements were taken following procedure P-12 and recorded on site."
    return [
        Page(
            n,
            f"ACME Bridge Inspection Report 2026\n{text}\n\n" + (f"{procedure}\n\n" if n <= 2 else "")
            + f"Closing remarks for section {n}.\n\nPage {n} of 4",
        )
        for n, text in enumerate(body, start=1)
    ]


def test_running_headers_footers_and_page_numbers_are_removed() -> None:
    # The running title is kept once, where the document starts: there it says what the document is.
    passages = condense(_report_pages())
    joined = "\n".join(p.text for p in passages)
    assert joined.count("ACME Bridge Inspection Report") == 1
    assert [p.page for p in passages if "ACME Bridge" in p.text] == [1]
    assert "Page 2 of 4" not in joined and "Page 1 of 4" not in joined
    assert "2.5 mm" in joined and "B-1127" in joined and "EC-44871" in joined


def test_a_chapters_running_title_is_removed(corpus: Path) -> None:
    # A 65-page plan prints "Plan directeur de transport actif de la municipalité de Chelsea" and "Rapport
    # final_2021" at the top of 23 pages, fewer than half of them: they ran into the sentences under them.
    joined = "\n".join(p.text for p in condense(read_document(corpus / "real" / "chelsea_pdta.pdf").pages))
    assert "Rapport final_2021" not in joined
    assert joined.count("Plan directeur de transport actif de la municipalité de Chelsea") <= 1
    assert "Vision zéro" in joined  # the plan's own sentences stay


def test_repeated_paragraph_is_kept_once_with_its_first_page() -> None:
    passages = condense(_report_pages())
    repeats = [p for p in passages if p.text.startswith("All measurements")]
    assert len(repeats) == 1 and repeats[0].page == 1


def test_a_note_repeated_under_every_sheets_table_is_kept_once() -> None:
    # The workbook's notes under the table of each of its three sheets said what its figures assume; as a short
    # paragraph met three times the note was dropped everywhere, like a form's footer.
    book = read_document(Path(__file__).parents[1] / "data" / "formats" / "AverageTaxRates.xlsx")
    joined = "\n".join(p.text for p in condense(book.pages))
    assert joined.count("the joint income is divided 65% and 35% between spouses") == 1
    assert joined.count("Total of Income Tax, Levies and PRSI as a proportion of gross income") == 1


def test_a_short_line_repeated_on_every_sheet_is_kept_once_on_the_first() -> None:
    # A bank's rate sheet prints "Indications as of 01/31/2014 at 08:38 AM" over each of its ten sheets: as a short
    # paragraph met ten times it was dropped everywhere, the first sheet's too, and with it the date of the rates.
    book = read_document(Path(__file__).parents[1] / "data" / "formats" / "56278.xlsx")
    passages = condense(book.pages)
    dated = [p.page for p in passages if "Indications as of 01/31/2014 at 08:38 AM" in p.text]
    assert dated == [1]


def test_a_short_paragraph_repeated_after_the_first_page_stays_out() -> None:
    # What repeats only from the second page on is still a footer or a label: kept nowhere.
    pages = [Page(n, f"Section {n} of the inspection found the deck sound and the bearings in order.\n\n"
                     + ("Printed by the county records office" if n > 1 else "")) for n in range(1, 5)]
    joined = "\n".join(p.text for p in condense(pages))
    assert "Printed by the county" not in joined and "Section 1 of the inspection" in joined


def test_a_tables_first_row_that_no_row_says_is_read_as_its_title() -> None:
    from assistant.text.condense import table_rows

    # A sheet's first row is often its title or issuer: a heading is said only before a cell under it, the first
    # column's never, so the issuer over the labels and a title over an empty column were lost.
    table = ("| Bundeskasse Weiden | | Budget 2014-2015 | Total |\n| --- | --- | --- | --- |\n"
             "| Patent fee | 40 € | | 40 € |\n| Trade mark fee | 300 € | | 300 € |")
    lines = table_rows(table)
    assert lines[0] == "Bundeskasse Weiden Budget 2014-2015."
    assert "Patent fee: 40 €; Total 40 €." in lines
    # A column's one-word name is no title ("Description", "12月" over a month no row fills).
    rates = "| Description | Rate | 12月 |\n| --- | --- | --- |\n| Prime | 3.25% | |"
    assert table_rows(rates)[0] == "Prime: Rate 3.25%."


def test_a_balance_sheets_issuer_in_its_first_row_is_read() -> None:
    # A Shanghai dealership's balance sheet (.xls) names its issuer in the first row, over the column of labels.
    book = read_document(Path(__file__).parents[1] / "data" / "formats" / "61287.xls")
    joined = "\n".join(p.text for p in condense(book.pages))
    assert "编制单位：上海大众汽车石汇销售服务有限公司." in joined


def test_every_kept_passage_knows_its_page() -> None:
    passages = condense(_report_pages())
    assert [p.page for p in passages if "Load limit" in p.text] == [2]
    assert all(p.page in (1, 2, 3, 4) for p in passages)


def test_line_end_hyphenation_and_layout_breaks_are_reflowed() -> None:
    assert paragraphs("The inspec-\ntion found\ncorrosion.\n\nSecond   para.") == [
        "The inspection found corrosion.",
        "Second para.",
    ]


def test_hyphen_before_a_capital_is_kept() -> None:
    assert paragraphs("North-\nEast wing") == ["North-\nEast wing".replace("\n", " ")]


def test_real_multipage_pdf_condenses_with_page_numbers(corpus: Path) -> None:
    document = read_document(corpus / "pdf" / "pdflatex-4-pages.pdf")
    passages = condense(document.pages)
    assert {p.page for p in passages} == {1, 2, 3, 4}


def test_pack_respects_budget_and_keeps_page_range() -> None:
    passages = [Passage(page, f"word {page} " * 30) for page in range(1, 11)]
    chunks = pack(passages, budget=100, count=words)
    assert len(chunks) > 1
    assert all(chunk.tokens <= 100 for chunk in chunks)
    assert chunks[0].first_page == 1 and chunks[-1].last_page == 10
    assert sum(words(c.text) for c in chunks) == sum(words(p.text) for p in passages)


def test_overlong_paragraph_is_split_by_sentence() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(100))
    pieces = split_to_fit(text, 50, words)
    assert len(pieces) > 1
    assert all(words(piece) <= 50 for piece in pieces)
    assert " ".join(pieces) == text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("abc .\n"), min_size=1, max_size=400), min_size=1, max_size=12),
       st.integers(min_value=5, max_value=80))
def test_pack_never_exceeds_budget_and_loses_no_words(texts: list[str], budget: int) -> None:
    passages = [Passage(i, t) for i, t in enumerate(texts) if t.split()]
    chunks = pack(passages, budget, words)
    assert all(words(c.text) <= budget for c in chunks)
    assert sum(words(c.text) for c in chunks) == sum(words(p.text) for p in passages)


def test_a_capitals_heading_does_not_hide_the_repeated_sentence_under_it() -> None:
    text = (
        "OPERATIONS NOTICE 2026/44 - FOR INTERNAL USE ONLY\n"
        "This notice supersedes all previous notices on the same subject.\n\n"
        "Runway 09/27 is closed from 10 March 2026.\n\n"
        "This notice supersedes all previous notices on the same subject."
    )
    kept = [passage.text for passage in condense([Page(1, text)])]
    assert kept == [
        "OPERATIONS NOTICE 2026/44 - FOR INTERNAL USE ONLY",
        "This notice supersedes all previous notices on the same subject.",
        "Runway 09/27 is closed from 10 March 2026.",
    ]


def test_capitals_inside_a_sentence_or_a_text_all_in_capitals_still_reflow() -> None:
    assert paragraphs("The bearing was\nINSPECTED BY THE NDT TEAM\nand found sound.") == [
        "The bearing was INSPECTED BY THE NDT TEAM and found sound."
    ]
    assert paragraphs("RWY 09/27 CLSD DUE TO WIP\nACFT UP TO 5700 KG MAY USE\nTHE GRASS STRIP") == [
        "RWY 09/27 CLSD DUE TO WIP ACFT UP TO 5700 KG MAY USE THE GRASS STRIP"
    ]


def test_a_bulleted_list_is_read_item_by_item_not_as_one_run_on_sentence() -> None:
    # Chicago SSA minutes: Word bullets (a symbol font's, read as "•") before each item of business.
    texts = [p.text for p in condense(read_document(REAL / "SSA21_MeetingMinutes_1.29.18.pdf").pages)]
    assert "Minutes from 11/30/17 meeting approved – Z. Maiorca (motion), T. Feinberg (second)" in texts
    assert not any(text.startswith("•") for text in texts)
    assert paragraphs("Agenda:\n• Budget approved\n• Next meeting\non 4 May\nEnd.") == [
        "Agenda:", "Budget approved", "Next meeting on 4 May End."]
    # Word's second level ("o") and dashes are bullets where two lines or more start with them.
    assert "In 2017, the SSA received $3,400 out of $3,400 in TIF Rebates" in texts
    assert paragraphs("Updates\no Decorations stored\no New signs ordered") == [
        "Updates", "Decorations stored", "New signs ordered"]
    assert paragraphs("Ele visitou\no Brasil em 2019.") == ["Ele visitou o Brasil em 2019."]
    assert paragraphs("The pump failed\n- again - on Monday.") == ["The pump failed - again - on Monday."]


def test_a_tables_total_row_is_a_paragraph_of_its_own_with_its_broken_label() -> None:
    table = ("Robbery 16 25 -36.0 85 100\nGr. Larceny 201 201 0.0 831 888\nTOTAL 274 297 -7.74 1,133 1,270\n"
             "Exportaciones totales\npesqueras 895 3.4% 1,249 2.7%\nTransit 17 16 6.2 55 51")
    assert paragraphs(table) == [
        "Robbery 16 25 -36.0 85 100 Gr. Larceny 201 201 0.0 831 888", "TOTAL 274 297 -7.74 1,133 1,270",
        "Exportaciones totales pesqueras 895 3.4% 1,249 2.7%", "Transit 17 16 6.2 55 51"]


def test_a_word_tables_rows_are_paragraphs_of_their_own_not_one_run_on_sentence() -> None:
    # A fax cover's form as antiword gives it: each row "LABEL : | value", the English label on the line under it. Run
    # together, the rows were cut into pieces at their cells, each label away from its value ("M. BERTHOD To Mrs or Mr
    # ORGANISME :").
    fax = ("KATALYSE\n\nDATE : | 12/12/97\nDate\nA L'ATTENTION DE : | M. BERTHOD\nTo Mrs or Mr\n"
           "ORGANISME : | Société APPLICOLOR\nCompany\n\nMonsieur,")
    read = paragraphs(fax)
    assert "A L'ATTENTION DE : | M. BERTHOD To Mrs or Mr" in read and "ORGANISME : | Société APPLICOLOR Company" in read
    assert "DATE : | 12/12/97" in read and read[-1] == "Monsieur,"
    # A budget's workload table (.docx): each row a sentence, so the FY 2009 estimate is a row that can be read.
    budget = read_document(REAL / "018367.docx")
    sentences = [p.text for p in condense(budget.pages)]
    assert "Claims Approved | 1,801 | 2,483 | 1,768 | 2,267 | 1,266 | 997" in sentences
    assert "Claims Denied | 857 | 683 | 460 | 833 | 454 | 408" in sentences
