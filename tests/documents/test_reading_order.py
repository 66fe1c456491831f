"""Pages set in columns read in their reading order: column after column, not straight across the page."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.documents import read_document
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
