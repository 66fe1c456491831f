"""Check: what a generated text (a summary, an answer, a translation) states that its source does not back:
figures (``assistant.trust.figures``) and, for summaries and answers, outcomes (``assistant.trust.outcomes``).
Every caller (the CLI, the window, the benchmarks) checks through here, so a new kind of check reaches all of
them at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.trust.figures import Unsupported, check_text, check_translation, warning_line
from assistant.trust.outcomes import OutcomeFlag, check_outcomes, outcome_warning


@dataclass(frozen=True)
class Checked:
    """The flags raised on one text: figures and outcomes its source does not back."""

    figures: list[Unsupported]
    outcomes: list[OutcomeFlag] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.figures or self.outcomes)

    def warning(self) -> str:
        """The lines for stderr ('' when nothing is flagged)."""
        return "\n".join(line for line in (warning_line(self.figures), outcome_warning(self.outcomes)) if line)

    def as_dicts(self) -> list[dict[str, Any]]:
        """Every flag as one JSON object (``kind`` is "number", "date", "code" or "outcome"), in text order."""
        flags: list[Unsupported | OutcomeFlag] = [*self.figures, *self.outcomes]
        in_text = sorted((f for f in flags if f.in_output), key=_start)
        return [f.as_dict() for f in in_text] + [f.as_dict() for f in flags if not f.in_output]


def _start(flag: Unsupported | OutcomeFlag) -> int:
    return flag.figure.start if isinstance(flag, Unsupported) else flag.start


def check_summary(text: str, source: str | Sequence[str], *, heading: str = "") -> Checked:
    """Check a summary or an answer against its source (a text, or the passages an answer was given): its
    figures (English number words count) and its outcomes. ``heading`` is what the model was told the document
    is called (``Document.heading``): a figure it takes from there ('form 160F') is backed too."""
    joined = source if isinstance(source, str) else "\n\n".join(source)
    joined = f"{heading}\n\n{joined}" if heading else joined
    return Checked(figures=check_text(text, joined, number_words=True), outcomes=check_outcomes(text, source))


def check_translated(source_paragraphs: list[str], translation: str) -> Checked:
    """Check a translation paragraph by paragraph: figures added or altered, and figures of the source lost."""
    return Checked(figures=check_translation(source_paragraphs, translation))
