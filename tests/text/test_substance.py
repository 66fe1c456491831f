"""Substance first: printed instructions, checkbox labels, empty fields, unticked options and legal boilerplate
are set aside (with their reason and page), so the model reads the case and not the form."""

from __future__ import annotations

from pathlib import Path

from assistant.documents import Page, read_document
from assistant.text.substance import (
    BOILERPLATE,
    EMPTY_FIELD,
    INSTRUCTION,
    OPTIONS,
    UNTICKED,
    content_passages,
    line_role,
    sentence_role,
)

from ..conftest import REAL


def _content(path: Path) -> tuple[str, dict[str, list[str]]]:
    passages, aside = content_passages(read_document(path).pages)
    reasons: dict[str, list[str]] = {}
    for item in aside:
        reasons.setdefault(item.reason, []).append(item.text)
    return " ".join(p.text for p in passages), reasons


def test_a_salary_certificates_printed_instructions_are_set_aside_and_its_sections_kept(corpus: Path) -> None:
    content, aside = _content(corpus / "real" / "160F-2019.pdf")
    assert "Indiquer toutes rémunérations" not in content and "Cocher, si oui ou non" not in content
    assert any(text.startswith("2) Indiquer toutes rémunérations") for text in aside[INSTRUCTION])
    for kept in ("rémunérations brutes", "crédit d'impôt pour salariés bonifié CIS", "désignation de l'employeur"):
        assert kept in content


def test_an_unticked_option_is_set_aside_and_the_ticked_one_kept(corpus: Path) -> None:
    content, aside = _content(corpus / "real" / "issue7454.pdf")
    # Ticked (Wingdings "˛"): the advised contract is suited; not ticked ("®"): no suited contract.
    assert "constitue une solution" in content
    assert "nous n'avons pas de contrat adapté" not in content
    assert any("nous n'avons pas de contrat adapté" in text for text in aside[UNTICKED])
    assert any("données à caractère personnel" in text for text in aside[BOILERPLATE])
    assert "˛" not in content and " ® " not in content


def test_fields_answered_n_a_are_set_aside_with_their_question_and_the_answers_kept() -> None:
    content, aside = _content(REAL / "sydney_disclosure_contract.pdf")
    assert "renegotiation of the contract" not in content and "N/A" not in content
    assert any(text.startswith("8. Description of any provision") and text.endswith("N/A")
               for text in aside[EMPTY_FIELD])
    for kept in ("Duncan Solutions", "$3,148,800.00", "Parking Ticket Machines", "13 May 2013"):
        assert kept in content


def test_a_spanish_forms_footnote_instruction_and_blank_leaders_do_not_reach_the_model() -> None:
    content, aside = _content(REAL / "bug1815476.pdf")
    assert "Indicar en mayúsculas" not in content and "……" not in content
    assert "Escuela Oficial de Idiomas de Salamanca" in content and "expedición del certificado" in content
    assert aside[INSTRUCTION]


def test_yes_no_boxes_and_a_transcripts_review_stamp_are_set_aside(corpus: Path) -> None:
    _content_text, aside = _content(REAL / "PDFBOX-2725-878725.pdf")
    assert "Yes ( ) No ( )" in aside[OPTIONS]
    content, aside = _content(corpus / "real" / "scotus-transcript-p1.pdf")
    assert aside[BOILERPLATE] == ["Official - Subject to Final Review"] and "MIRZAYANCE" in content


def test_a_medicine_leaflets_standard_opening_is_set_aside_and_what_the_medicine_is_for_kept() -> None:
    content, aside = _content(REAL / "11194059_2017-11_de_s.pdf")
    assert any(text.startswith("Lesen Sie die gesamte Packungsbeilage") for text in aside[BOILERPLATE])
    assert "Vielleicht möchten Sie diese später nochmals lesen" not in content
    assert "Dieses Arzneimittel wird zur Behandlung von Krebs angewendet." in content
    for opening in ("Read all of this leaflet carefully before you start taking this medicine because it contains "
                    "important information for you.", "Keep this leaflet.",
                    "Gardez cette notice, vous pourriez avoir besoin de la relire.",
                    "Conserve este prospecto, ya que puede tener que volver a leerlo."):
        assert sentence_role(opening) == BOILERPLATE, opening
    assert sentence_role("Keep the vial in the outer carton to protect it from light.") is None


def test_lines_and_sentences_are_judged_in_four_languages() -> None:
    assert line_role("Charges filed: N/A") == EMPTY_FIELD
    assert line_role("Yes No Unknown") == OPTIONS and line_role("oui non") == OPTIONS
    assert line_role("Name: John Smith") is None and line_role("Between:") is None
    # "None" answers the field (no fire, no injuries, nothing on second reading): an unseen accident report's
    # "Aircraft Fire: None" was set aside as empty.
    assert line_role("Aircraft Fire: None") is None and line_role("Passenger Injuries: None") is None
    for instruction in ("Check the appropriate box.", "Please complete all sections of this form.",
                        "2) Indiquer toutes les rémunérations.", "Bitte Zutreffendes ankreuzen.",
                        "Marque con una X la casilla.", "Reports that do not include all required information "
                        "will be returned."):
        assert sentence_role(instruction) == INSTRUCTION, instruction
    for content in ("Check valves were replaced on 3 May.", "Date of birth: 12.03.1990.",
                    "Do not use the affected vials.", "Please turn in all collected monies by Wednesday.",
                    "The council approved the demolition unanimously."):
        assert sentence_role(content) is None, content


def test_a_courts_publication_notices_are_boilerplate() -> None:
    # An unseen Supreme Court syllabus gave its first key point to the Reporter's note, not to the case; circuit
    # courts stamp their unpublished orders alike.
    for notice in ("The syllabus constitutes no part of the opinion of the Court but has been prepared by the Reporter "
                   "of Decisions for the convenience of the reader.",
                   "NOTE: Where it is feasible, a syllabus (headnote) will be released, as is being done in connection "
                   "with this case, at the time the opinion is issued.",
                   "This opinion is subject to formal revision before publication in the preliminary print of the "
                   "United States Reports.",
                   "NONPRECEDENTIAL DISPOSITION To be cited only in accordance with Fed. R. App. P. 32.1",
                   "This disposition is not appropriate for publication and is not precedent except as provided by "
                   "Ninth Circuit Rule 36-3."):
        assert sentence_role(notice) == BOILERPLATE, notice
    for content in ("The Compact does not pre-empt the Oklahoma water statutes.",
                    "The court treats the earlier ruling as precedent for this appeal."):
        assert sentence_role(content) is None, content


def test_mail_footers_register_footers_and_a_reports_stamp_are_boilerplate() -> None:
    # Key sentences of unseen public files: an e-mail's virus-scanner line, an invoice's register footer, an analyst
    # note's regulator line, a preliminary accident report's running stamp.
    for footer in ("No virus found in this outgoing message.",
                   "Vorstand: Max Muster | Registergericht Hanau | HRB 13302 | USt-IdNr. DE123",
                   "HSBC Investment Bank plc is registered in England No 976092.",
                   "If you have received this message in error, please delete it.",
                   "Page 1 of 2 WPR23LA102 This information is preliminary and subject to change.",
                   "To unsubscribe, click here.",
                   # an unseen AWS mailing's furniture took four of its seven key points
                   "To view this email as a web page, go to the following address: https://pages.example.com/w",
                   "Don't want to receive emails related to Innovate Every Application Edition?",
                   "Click here to opt out <https://email.example.com/x>.",
                   "Amazon.com is a registered trademark of Amazon.com.",
                   "Si vous ne souhaitez plus recevoir nos informations, cliquez ici."):
        assert sentence_role(footer) == BOILERPLATE, footer
    for content in ("The association is registered at the court of Linz.", "The HR department meets on Monday.",
                    "The inspector viewed the report online.", "Residents receive the e-mails on Monday.",
                    "Preliminary works start on 3 May."):
        assert sentence_role(content) is None, content


def test_a_page_that_is_all_labels_is_still_read() -> None:
    passages, aside = content_passages([Page(1, "Name: N/A\nAddress: N/A\nPhone: N/A")])
    assert passages and not aside


def test_a_workbooks_sheets_keep_what_each_of_them_starts_with() -> None:
    # Sifting lost each page's kind, so a workbook's sheets were taken for pages with running headers: "EXAMPLE 1",
    # "EXAMPLE 2" … over each sheet's table (one header, its number apart) went from the content of every sheet.
    sheets = [Page(n, f"EXAMPLE {n}\n\nSingle person taxed under PAYE\n\n| Income | Gain |\n| --- | --- |\n"
                      f"| {n}0,000 | {n}00 |", unit="sheet", name=f"Example {n}") for n in range(1, 5)]
    passages, _aside = content_passages(sheets)
    assert [p.text for p in passages if p.text.startswith("EXAMPLE")] == [f"EXAMPLE {n}" for n in range(1, 5)]
    assert all(p.page == n for n, p in enumerate((p for p in passages if p.text.startswith("EXAMPLE")), start=1))
