"""The one sentence splitter: it does not break inside references, and every user of it cuts text the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.documents import document_from_text, read_document
from assistant.library.chunks import chunk_text
from assistant.text.condense import condensed_sentences
from assistant.text.packing import split_to_fit
from assistant.text.sentences import sentence_spans, split_sentences

from ..conftest import REAL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Return the form (R. 04/2014) to the office. Late forms are refused.",
         ["Return the form (R. 04/2014) to the office.", "Late forms are refused."]),
        ("As required by ch. 48 of the code. Fines apply.", ["As required by ch. 48 of the code.", "Fines apply."]),
        ("The rule is 14 CFR 11.43. The FAA agrees.", ["The rule is 14 CFR 11.43.", "The FAA agrees."]),
        ("Use a pump, e.g. Model 4. Then stop.", ["Use a pump, e.g. Model 4.", "Then stop."]),
        ("Knowles v. Mirzayance, No. 07-1315, was argued. It was heard.",
         ["Knowles v. Mirzayance, No. 07-1315, was argued.", "It was heard."]),
        ("Oct. 24 is a staff day. Nov. 3 is a meeting.", ["Oct. 24 is a staff day.", "Nov. 3 is a meeting."]),
        ("Nach Art. 5 Abs. 2 gilt das. Am 15. März beginnt es.",
         ["Nach Art. 5 Abs. 2 gilt das.", "Am 15. März beginnt es."]),
        ("Inspector J. Moreau checked it. Load is 40 t. Next step follows.",
         ["Inspector J. Moreau checked it.", "Load is 40 t.", "Next step follows."]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("Is it closed? Yes! Reopen on Monday.", ["Is it closed?", "Yes!", "Reopen on Monday."]),
        ("第一句。第二句！第三句", ["第一句。", "第二句！", "第三句"]),
        ("Procurement of 33No. (4X4) Pickups, 4No. (4x2) Pickups. Completed.",
         ["Procurement of 33No. (4X4) Pickups, 4No. (4x2) Pickups.", "Completed."]),
        # A numbered form's items: the next item's number begins it, it does not end the item before.
        ("1. Agency: City of Sydney. 2. Contractor: Reino International, St Leonards NSW 2065 3. Effective Date: "
         "13 May 2013 4. Duration: 15 Weeks",
         ["1. Agency: City of Sydney.", "2. Contractor: Reino International, St Leonards NSW 2065",
          "3. Effective Date: 13 May 2013", "4. Duration: 15 Weeks"]),
        # A German ordinal after its article or preposition, and a German title, end nothing (an unseen newsletter was
        # cut at "Zum 4." and a table's rows ran into each other at "Dipl.-Volksw."); a count at the end still does.
        ("Zum 4. Mal tagt das Forum. Ab dem 10. Tag gilt es. Es waren 4. Dann ging er.",
         ["Zum 4. Mal tagt das Forum.", "Ab dem 10. Tag gilt es.", "Es waren 4.", "Dann ging er."]),
        ("Stefan Derwort, Dipl.-Volksw. Freiburg, leitet es. Art.-Nr. 33721 folgt.",
         ["Stefan Derwort, Dipl.-Volksw. Freiburg, leitet es.", "Art.-Nr. 33721 folgt."]),
        # A registered association ("e. V."), a section, a street, and a form's numbered field ("2b.") end nothing
        # (unseen letterheads and a HUD form were cut there).
        ("Arbeiterwohlfahrt Kreisverband Ulm e. V. Schillerstraße 28/3, Ulm. Es folgt.",
         ["Arbeiterwohlfahrt Kreisverband Ulm e. V. Schillerstraße 28/3, Ulm.", "Es folgt."]),
        ("Units under Sec. 8 Mod Rehab are listed. Hauptstr. 5 is the office. Done.",
         ["Units under Sec. 8 Mod Rehab are listed.", "Hauptstr. 5 is the office.", "Done."]),
        ("2b. Effective date of action: 01/02/2020", ["2b. Effective date of action: 01/02/2020"]),
        # A registration number's "Reg." and a street abbreviated to its letter before its number (an unseen
        # Lithuanian invoice's key point began "No.: 302991474", another "9-101, 08105 Vilniaus").
        ("Fliis Trade, UAB Reg. No.: 302991474 Saltoniškių g. 9-101, Vilnius. Paid.",
         ["Fliis Trade, UAB Reg. No.: 302991474 Saltoniškių g. 9-101, Vilnius.", "Paid."]),
        # A court's case type before its docket number and a law report's series end nothing (an unseen opinion's
        # caption was cut at "Civ.", a citation at "F. Supp."); the cited court and year stay in its parentheses.
        ("Plaintiff, Civ. No. 3:18-cv-16281 v. Johnson. Crim. No. 12-345 too.",
         ["Plaintiff, Civ. No. 3:18-cv-16281 v. Johnson.", "Crim. No. 12-345 too."]),
        ("See Smith v. Jones, 123 F. Supp. 2d 45 (3d Cir. 2008). Next.",
         ["See Smith v. Jones, 123 F. Supp. 2d 45 (3d Cir. 2008).", "Next."]),
        # Outside a list, or out of sequence, a number before a full stop ends its sentence as before.
        ("The vote was 5 to 3. The motion carried. 2. Budget: approved 4. Next item.",
         ["The vote was 5 to 3.", "The motion carried.", "2. Budget: approved 4.", "Next item."]),
    ],
)
def test_sentences_end_at_sentence_ends_and_not_inside_references(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab. !?()ABC12\n。")), max_size=120))
def test_spans_index_the_text_in_order_and_lose_nothing_but_spaces(text: str) -> None:
    spans = sentence_spans(text)
    assert all(end > start and (not index or start >= spans[index - 1][1]) for index, (start, end) in enumerate(spans))
    assert all(text[start:end] == text[start:end].strip() for start, end in spans)
    assert "".join(text[start:end] for start, end in spans).replace(" ", "").replace("\n", "") == "".join(text.split())


def test_a_long_paragraph_is_cut_for_packing_and_for_the_library_at_the_same_sentence_ends() -> None:
    sentence = "Return the form (R. 04/2014) to the office in ch. 48 order, e.g. by post. "
    paragraph = sentence * 30
    packed = split_to_fit(paragraph, 60, lambda text: len(text.split()))
    assert all(piece.endswith("by post.") for piece in packed)
    library = [paragraph[start:end] for start, end in chunk_text(paragraph, limit=400, overlap=0)]
    assert all(piece.endswith("by post.") and piece.startswith("Return") for piece in library)


def test_the_school_newsletters_dates_stay_inside_their_sentences(corpus: Path) -> None:
    sentences = [s.text for s in condensed_sentences(read_document(corpus / "real" / "pr12564.pdf").pages)]
    assert not [s for s in sentences if s.endswith(("Oct.", "Nov."))]
    assert any(s.startswith("Oct. 31 – Halloween Parade") or "Oct. 31 – Halloween Parade" in s for s in sentences)


def test_an_agendas_numbered_items_each_begin_with_their_own_number() -> None:
    # A county board of health's agenda: "8. Legislative Updates – N/A 9." used to end with the next item's number.
    sentences = split_sentences(read_document(REAL / "cuya_health.pdf").text)
    assert "8. Legislative Updates – N/A" in sentences and "9. Committee Reports – N/A" in sentences
    assert not [s for s in sentences if s.rstrip().endswith((" 9.", " 10.", " 13."))]


def test_a_docket_number_stays_with_its_case(corpus: Path) -> None:
    sentences = [s.text for s in condensed_sentences(read_document(corpus / "real" / "scotus-transcript-p1.pdf").pages)]
    assert any("No. 07-1315" in s for s in sentences)
    assert not [s for s in sentences if s.endswith("No.")]


def test_key_sentences_of_a_pasted_notice_never_start_inside_a_reference() -> None:
    document = document_from_text(
        "Operators must file form 8130-3 (R. 04/2014) within 10 days. Fines of up to $5,000 apply under ch. 48. "
        "See No. 07-1315 for the precedent. The notice takes effect on 1 March 2026.",
        name="notice",
    )
    starts = [s.text[:1] for s in condensed_sentences(document.pages)]
    assert starts == ["O", "F", "S", "T"]
