"""The echo measure: a "summary" that copies a real form's printed instructions is measured as copied, one that
says what the form is in its own words is not, and short quotes of names and figures do not count."""

from __future__ import annotations

from pathlib import Path

from assistant.documents import read_document
from assistant.trust.echo import SPAN, copied_share


def test_a_text_copied_from_a_real_form_is_measured_as_an_echo_and_a_restatement_is_not(corpus: Path) -> None:
    form = read_document(corpus / "real" / "160F-2019.pdf").text  # a Luxembourg wage certificate, 2019
    start = form.index("2) Indiquer toutes")
    echoed = "Le certificat indique " + form[start + 3 : start + 400]
    assert copied_share(echoed, form) > 0.9
    restated = ("Ce formulaire 160 est le certificat de rémunération de l'année 2019 que l'employeur remet au "
                "salarié: rémunérations brutes, déductions, exemptions et crédits d'impôt CIS et CIM.")
    assert copied_share(restated, form) == 0.0


def test_runs_shorter_than_the_span_and_case_or_punctuation_changes() -> None:
    source = "The deck load limit is 12 tonnes until the bearings of pier 3 are replaced in March."
    assert copied_share("Limit: 12 tonnes, pier 3.", source) == 0.0  # shorter than SPAN words
    shouting = "THE DECK LOAD LIMIT IS 12 TONNES UNTIL THE BEARINGS of pier 3 are replaced, says the report."
    share = copied_share(shouting, source)
    assert len(shouting.split()) > SPAN and 0.7 < share < 1.0  # "says the report" is not in the source
