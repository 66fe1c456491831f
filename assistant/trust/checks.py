"""Check: what a generated text (a summary, an answer, a translation) states that its source does not back:
figures (``assistant.trust.figures``) and, for summaries and answers, outcomes (``assistant.trust.outcomes``).
Every caller (the CLI, the window, the benchmarks) checks through here, so a new kind of check reaches all of
them at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.trust.figures import Unsupported, check_text, check_translation, warning_line
from assistant.trust.outcomes import OutcomeFlag, check_outcomes, outcome_warning

if TYPE_CHECKING:
    from assistant.documents.model import Document, Page


@dataclass(frozen=True)
class Checked:
    """The flags raised on one text: figures and outcomes its source does not back."""

    figures: list[Unsupported]
    outcomes: list[OutcomeFlag] = field(default_factory=list)
    #: 'Page 3 was read by OCR; check the figure against the page.' when a figure is flagged in a text whose
    #: source has pages read by OCR (a misread digit looks just like an invented figure); else ''.
    ocr_note: str = ""

    @property
    def flagged(self) -> bool:
        return bool(self.figures or self.outcomes)

    def warning(self) -> str:
        """The lines for stderr ('' when nothing is flagged)."""
        lines = (warning_line(self.figures), self.ocr_note, outcome_warning(self.outcomes))
        return "\n".join(line for line in lines if line)

    def as_dicts(self) -> list[dict[str, Any]]:
        """Every flag as one JSON object (``kind`` is "number", "date", "code" or "outcome"), in text order;
        a flagged figure from a source with OCR'd pages carries the ``ocr_note``."""
        flags: list[Unsupported | OutcomeFlag] = [*self.figures, *self.outcomes]
        in_text = sorted((f for f in flags if f.in_output), key=_start)
        return [self._as_dict(f) for f in in_text] + [self._as_dict(f) for f in flags if not f.in_output]

    def _as_dict(self, flag: Unsupported | OutcomeFlag) -> dict[str, Any]:
        found = flag.as_dict()
        if self.ocr_note and isinstance(flag, Unsupported) and flag.in_output:
            found["ocr_note"] = self.ocr_note
        return found


def _start(flag: Unsupported | OutcomeFlag) -> int:
    return flag.figure.start if isinstance(flag, Unsupported) else flag.start


def check_summary(text: str, source: str | Sequence[str], *, heading: str = "") -> Checked:
    """Check a summary or an answer against its source (a text, or the passages an answer was given): its
    figures (English number words count) and its outcomes. ``heading`` is what the model was told the document
    is called (``Document.heading``): a figure it takes from there ('form 160F') is backed too."""
    joined = source if isinstance(source, str) else "\n\n".join(source)
    joined = f"{heading}\n\n{joined}" if heading else joined
    return Checked(figures=check_text(text, joined, number_words=True), outcomes=check_outcomes(text, source))


def check_document_summary(text: str, document: Document) -> Checked:
    """``check_summary`` against a whole document, saying when its source figures passed through OCR."""
    checked = check_summary(text, document.text, heading=document.heading)
    flagged = [u for u in checked.figures if u.in_output]
    if not flagged or not document.ocr_pages:
        return checked
    return Checked(checked.figures, checked.outcomes, ocr_note=ocr_note(document.ocr_pages, len(flagged)))


def ocr_note(pages: Sequence[Page], figures: int) -> str:
    """'Page 3 was read by OCR; check the figure against the page.' (or 'Pages 2 and 5 were …', 'Pages 1, 2,
    3 and 9 more were …' for a long scan)."""
    figure = "the figures" if figures > 1 else "the figure"
    numbers = [str(page.number) for page in pages if page.number is not None]
    if not numbers:
        return f"The document was read by OCR; check {figure} against it."
    unit = pages[0].unit
    several = len(numbers) > 1
    if len(numbers) > 4:
        numbers = [*numbers[:3], f"{len(numbers) - 3} more"]
    listed = numbers[0] if not several else ", ".join(numbers[:-1]) + " and " + numbers[-1]
    units, verb = (unit + "s", "were") if several else (unit, "was")
    return f"{units.capitalize()} {listed} {verb} read by OCR; check {figure} against the {units}."


def check_translated(source_paragraphs: list[str], translation: str) -> Checked:
    """Check a translation paragraph by paragraph: figures added or altered, and figures of the source lost."""
    return Checked(figures=check_translation(source_paragraphs, translation))
