"""A table's rows read with the lines that name their columns, as PDFs give them (real documents)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.documents import read_document
from assistant.documents.tables import is_row, total_row
from assistant.library import excerpts
from assistant.library.chunks import passage_text
from assistant.library.question import QuestionTerms
from assistant.library.rows import headings_of, row_headings
from assistant.library.wanted import wanted_kind

from ..conftest import REAL


def _page(path: Path, index: int) -> str:
    return passage_text(read_document(path).pages[index].text)


def _headings(text: str, row: str) -> str:
    start = text.index(row)
    return headings_of(row_headings(text), start, start + len(row))


def test_a_rows_headings_are_the_lines_above_its_table(corpus: Path) -> None:
    # The statement of changes in equity: the 2021 section's last row under its own headings, not the 2020 section's.
    statement = _page(corpus / "real" / "issue14297.pdf", 0)
    headings = _headings(statement, "Balance at end of year ¥ 175,820 ¥ 202,777")
    assert headings.startswith("2021 Mitsubishi Electric Corp.") and headings.endswith("Total equity")
    # A two-column chart under its title, the instructions above it left out (they end a sentence).
    chart = _page(REAL / "us-007.pdf", 1)
    headings = _headings(chart, "Weekly $ 40.40")
    assert headings.startswith("Amount to Add to Nonresident Alien") and headings.endswith("Add Additional")
    # A police report's two heading lines over rows with empty cells ("***.*").
    report = _page(REAL / "cs-en-us-pbms.pdf", 0)
    assert "Year to Date* 2 Year 7 Year 24 Year 2017 2016 % Chg" in _headings(report, "Burglary 20 29 -31.0")


@pytest.mark.parametrize(("line", "row"), [
    ("Burglary 20 29 -31.0 78 111 -29.7 621 736 -15.6 -14.3 -37.7 -90.2", True),
    ("Murder 0 0 ***.* 0 1 -100.0 6 7 -14.3 -25.0 -14.3 -87.0", True),
    ("Weekly $ 40.40", True),
    ("Exchange differences on translating foreign operations (49,360) 61,880", True),
    ("MITSUBISHI ELECTRIC CORPORATION ANNUAL REPORT 2021", False),  # a year is a heading's
    ("7/10/2017 Through 7/16/2017", False),
    ("than January 31, 2011. After implementing the new 4.2%", False),  # prose wrapped in a column
    ("The pump runs at 2.1 bar, below the 3 bar it should hold.", False),
])
def test_a_row_is_a_label_and_its_figures(line: str, row: bool) -> None:
    assert is_row(line) is row


def test_prose_has_no_rows_with_headings() -> None:
    prose = ("Pump P-3, site visit.\nThe pump runs at 2.1 bar, below the 3 bar it should hold.\nSeal kit SK-77 "
             "ordered from the supplier on 14 March 2024.\nNext visit when the kit arrives.")
    assert row_headings(prose) == []


def test_a_row_read_with_its_headings_is_chosen_for_a_question_its_headings_name() -> None:
    # "What amount is added ... weekly wages": the chart's title names the amount, its row the week. Without the
    # headings, a sentence of the instructions that repeats the question's words was chosen (benchmarks/ask.py, 43).
    chart = _page(REAL / "us-007.pdf", 1)
    question = ("What amount is added to a nonresident alien employee's weekly wages before figuring income tax "
                "withholding?")
    chosen = excerpts.best(excerpts.scored_sentences([chart], QuestionTerms.of(question), wanted_kind(question)))
    assert chosen is not None and chosen.span.flat.startswith("Weekly $ 40.40")


def test_a_row_read_row_by_row_is_read_under_the_legend_of_its_short_column_names(corpus: Path) -> None:
    # The leaflet's ruled table reads "Thrombocytopenia: VTEp Uncommon; NVAF Uncommon; VTEt Common." under one line
    # spelling the short names out; the row alone never says that VTEt is the treatment of DVT and PE, and the
    # checking model leaned against it (benchmarks/ask.py, 9).
    leaflet = _page(corpus / "real" / "table-curves-example.pdf", 0)
    headings = _headings(leaflet, "Thrombocytopenia: VTEp Uncommon; NVAF Uncommon; VTEt Common.")
    assert headings.startswith("Columns: VTEp: Prevention of VTE") and "VTEt: Treatment of DVT and PE" in headings
    assert _headings(leaflet, "Blood and lymphatic system disorders.") == ""  # a section heading names no column
    question = "How frequently is thrombocytopenia seen in patients treated for DVT or pulmonary embolism?"
    chosen = excerpts.best(excerpts.scored_sentences([leaflet], QuestionTerms.of(question), wanted_kind(question)))
    assert chosen is not None and chosen.span.flat.startswith("Thrombocytopenia:")


@pytest.mark.parametrize(("line", "before", "after", "total"), [
    ("TOTAL 274 297 -7.74 1,133 1,270 -10.79 7,394 8,084 -8.54 -2.68 -8.46 -78.43", "", "Transit 17 16 6.2", 1),
    ("pesqueras 895 3.4% 718 2.8% 1,249 2.7% 1,104 2.0%", "Exportaciones totales", "EXPORT. TOTALES 26,610", 2),
    ("Rekeningsbedrag 671,33", "", "", 1),
    ("Total other comprehensive income (loss) (108,750) 214,271", "", "", 1),
    ("Gr. Larceny 201 201 0.0 831 888 -6.4", "", "", 0),  # a row, not the total
    ("fois par mois Jamais Total 60% 25% 5% 7% 3% 244", "", "", 0),  # a column heading over the first row
    ("Diputados Desempate Total 129 0 129", "", "65 0 65", 0),  # the headings of a table read down its columns
    ("The total came to 12 cases, against 9 in 2016.", "", "", 0),  # prose
])
def test_a_total_row_is_a_row_whose_label_names_a_total(line: str, before: str, after: str, total: int) -> None:
    assert total_row(line, before, after) == total
