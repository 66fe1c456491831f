"""Check: what a generated text (a summary, an answer, a translation) states that its source does not back.
Today the figures (``assistant.trust.figures``); every caller (the CLI, the window, the benchmarks) checks
through here, so a new kind of check reaches all of them at once."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.trust.figures import Unsupported, check_text, check_translation, warning_line


@dataclass(frozen=True)
class Checked:
    """The flags raised on one text: figures its source does not back."""

    figures: list[Unsupported]

    @property
    def flagged(self) -> bool:
        return bool(self.figures)

    def warning(self) -> str:
        """The lines for stderr ('' when nothing is flagged)."""
        return warning_line(self.figures)


def check_summary(text: str, source: str) -> Checked:
    """Check a summary or an answer (English number words count as figures) against its source text."""
    return Checked(figures=check_text(text, source, number_words=True))


def check_translated(source_paragraphs: list[str], translation: str) -> Checked:
    """Check a translation paragraph by paragraph: figures added or altered, and figures of the source lost."""
    return Checked(figures=check_translation(source_paragraphs, translation))
