"""Pages set in columns read in their reading order: column after column, not straight across the page."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.documents import read_document
from assistant.documents.pdf import clean_pdf_text
from assistant.text.condense import condense

from ..conftest import REAL


def _flat(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.text for p in condense(read_document(path).pages)))


def test_a_two_column_notice_that_pdfium_reads_across_is_read_column_by_column() -> None:
    text = _flat(REAL / "us-007.pdf")
    assert "Employers should implement the 2011 withholding tables as soon as possible, but not later than " \
           "January 31, 2011." in text
    assert "For 2011, the employee tax rate for social security is 4.2%. The employer tax rate for social " \
           "security remains unchanged at 6.2%." in text
    # The right column's first paragraph follows the left column, not line by line inside it.
    assert text.index("Attached are early release copies") > text.index("There is no wage base limit for Medicare")


def test_a_three_column_federal_register_page_keeps_its_reading_order() -> None:
    text = _flat(REAL / "pr-00530-ml-lines.pdf")
    assert "DATES: The FAA must receive comments on this proposed AD by September 21, 2020." in text
    assert "SUMMARY: The FAA proposes to supersede Airworthiness Directive (AD) 2018–23–51, which applies to all " \
           "The Boeing Company Model 737–8 and" in text
    assert text.index("SUMMARY: The FAA proposes") < text.index("DATES: The FAA must receive") < text.index(
        "ADDRESSES: You may send comments")


def test_tables_and_single_column_pages_are_read_as_pdfium_reads_them(corpus: Path) -> None:
    import pypdfium2 as pdfium

    from assistant.documents.columns import column_text

    for path in (corpus / "real" / "senate-expenditures.pdf", corpus / "real" / "issue14297.pdf",
                 REAL / "argentina_diputados_voting_record.pdf", corpus / "pdf" / "multicolumn.pdf"):
        pdf = pdfium.PdfDocument(path)
        try:
            assert all(column_text(pdf[i].get_textpage()) is None for i in range(len(pdf))), path.name
        finally:
            pdf.close()


def test_margin_line_numbers_of_pleading_paper_are_not_read_as_text(corpus: Path) -> None:
    # A court order on pleading paper (lines numbered 1-28 in the margin) and a transcript (1-25): PDFium reads the
    # numbers as a column of bare lines; the page's text starts with what the page says.
    order = read_document(REAL / "gov.uscourts.cacd.652774.40.0.pdf")
    assert [page.text.split("\n")[0] for page in order.pages[:2]] == ["ORDER", "-2-"]
    assert "\n27\n28\n" not in "\n".join(page.text for page in order.pages)
    transcript = read_document(corpus / "real" / "scotus-transcript-p1.pdf").pages[0].text
    assert transcript.startswith("Official - Subject to Final Review\nIN THE SUPREME COURT OF THE UNITED STATES")


def test_numbers_that_do_not_count_a_margin_stay() -> None:
    # A chart's axis in the middle of a page, a short numbered column, a count that does not start at 1.
    axis = "Abbildung 2\n" + "\n".join(map(str, range(1, 15))) + "\nx\ny"
    assert clean_pdf_text(axis) == axis
    short = "\n".join(map(str, range(1, 10))) + "\nText"
    assert clean_pdf_text(short) == short
    later = "\n".join(map(str, range(2, 30))) + "\nText"
    assert clean_pdf_text(later) == later


def test_symbol_font_bullets_and_arrows_are_read_as_unicode() -> None:
    # French council minutes whose Word bullets (Symbol) and arrows (Wingdings) come out as Private Use characters.
    text = "\n".join(page.text for page in read_document(REAL / "CR_reunion_20210604.pdf").pages)
    assert not any("\ue000" <= character <= "\uf8ff" for character in text)
    assert "• Mouvement de -8’355,59€" in text
    assert "Proposition initial d’attribution du conseil municipal ➔ 230€" in text


def test_labels_given_before_their_values_are_read_label_by_value() -> None:
    # An Estonian invoice draws its four labels, then their four values: "Kuupäev: / Tähtaeg: / Makseviis: / Arve
    # viivis: / 17.04.2026 / 24.04.2026 / Ülekanne / 0.2% päevas" left the reader to pair them by position.
    lines = read_document(Path(__file__).resolve().parents[1] / "data" / "formats" / "Arve.nr.1615.17.04.2026.pdf"
                          ).pages[0].text.splitlines()
    start = lines.index("Kuupäev: 17.04.2026")
    assert lines[start : start + 4] == [
        "Kuupäev: 17.04.2026", "Tähtaeg: 24.04.2026", "Makseviis: Ülekanne", "Arve viivis: 0.2% päevas"]
    # Two blocks set side by side are no labels and values: the seller's address stays apart from its telephone.
    assert "Meeltemaitsed OÜ" in lines and not any(line.startswith("Meeltemaitsed OÜ Telefon") for line in lines)


def test_a_block_drawn_from_the_bottom_up_is_read_from_the_top() -> None:
    # Free's bill draws its customer's address upwards ("69100 VILLEURBANNE / 35 RUE du logiciel libre / de Lattre
    # Alexis"), the rest of the page downwards.
    lines = read_document(Path(__file__).resolve().parents[1] / "data" / "formats" / "free_fiber.pdf"
                          ).pages[0].text.splitlines()
    assert lines[:3] == ["de Lattre Alexis", "35 RUE du logiciel libre", "69100 VILLEURBANNE"]
    assert lines.index("Adresse email de contact") == 3  # the page's own order goes on after it


class _Placed:
    """A text whose line n stands at ``places[n]`` (left, top): ``get_charbox`` as PDFium's text page gives it."""

    def __init__(self, text: str, places: list[tuple[float, float]]) -> None:
        self.starts = [match.start() for match in re.finditer(r"[^\r\n]+", text)]
        self.places = places

    def get_charbox(self, index: int) -> tuple[float, float, float, float]:
        left, top = self.places[max(n for n, start in enumerate(self.starts) if start <= index)]
        return left, top - 10.0, left + 100.0, top


def test_a_page_of_thousands_of_short_names_is_read_in_a_few_steps_a_line(monkeypatch) -> None:
    # A Forest Service map's page (PdfPig's benchmark fseprd1102849.pdf) holds 8,644 lines of a few words each: every
    # line was tried as the start of a run of labels of every size, hours of work for one page. Each line's test
    # (``_has_digit``) now runs a fixed number of times, and a run of labels among the names is still read label by
    # value.
    from assistant.documents import columns

    calls = 0
    has_digit = columns._has_digit

    def counted(text: str) -> bool:
        nonlocal calls
        calls += 1
        if calls > 20_000:
            raise AssertionError("each line's test ran again and again")
        return has_digit(text)

    monkeypatch.setattr(columns, "_has_digit", counted)
    names = [f"Creek {chr(65 + n % 26)}{chr(65 + n // 26 % 26)}" for n in range(1_500)]
    lines = [*names[:700], "Road:", "Season:", "Vehicles:", "Forest Road 12", "06/16-11/30", "All", *names[700:]]
    places = [(50.0, 9000.0 - 12.0 * n) for n in range(len(lines))]
    for n in range(3):  # each value to the right of its label, on the label's line
        places[703 + n] = (200.0, places[700 + n][1])
    text = "\r\n".join(lines)
    read = columns.lines_in_order(_Placed(text, places), text).split("\r\n")
    assert calls <= 2 * len(lines)
    assert read[700:703] == ["Road: Forest Road 12", "Season: 06/16-11/30", "Vehicles: All"]
    assert read[:700] == names[:700] and read[703:] == names[700:]
