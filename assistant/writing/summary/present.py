"""Present: what is shown under and after the model's text. The document's key sentences whose figures the
text leaves out or states otherwise, quoted word for word with their pages (at most ``QUOTES``), so what a
person acts on is there as the source gives it; then a line saying which mode produced the summary and how
much of the document it read. ``SummaryReport`` carries the same facts for the caller."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from assistant.text.condense import Sentence
from assistant.trust.keypoints import KeyPoint, points_left_out, select_key_points
from assistant.writing.summary.guard import GuardReport
from assistant.writing.summary.select import MODE_FAST, MODE_THOROUGH, Reading

#: Key sentences quoted under a summary at most, and how many of the document's key points are considered.
QUOTES = 3
_QUOTE_POOL = 7
QUOTES_HEADING = "Figures the summary leaves out, quoted from the source:"
FOOTER_SEPARATOR = "\n\n"
_MODE_LINE = re.compile(r"\n\n\[(?:Fast|Single pass|Thorough) mode: [^\n]*\]\s*$")


@dataclass
class SummaryReport:
    """What produced a summary: filled in while it streams, complete once the stream ends."""

    mode: str = ""
    words_read: int = 0
    words_total: int = 0
    passages_read: int = 0
    passages_total: int = 0
    quoted: list[KeyPoint] = field(default_factory=list)  # key sentences quoted under the model's text
    guard: GuardReport = field(default_factory=GuardReport)  # echo retries, and the notice when key points replace it

    @property
    def share_read(self) -> float:
        return self.words_read / self.words_total if self.words_total else 0.0

    def record(self, reading: Reading) -> None:
        """Take the mode and coverage of the reading the select stage chose."""
        self.mode, self.words_read, self.words_total = reading.mode, reading.words_read, reading.words_total
        self.passages_read, self.passages_total = reading.sentences_read, reading.sentences_total

    def footer(self) -> str:
        """The line appended to the summary, e.g. 'Fast mode: read 14 % of the document (312 of 2,210 ...)'."""
        if self.mode == MODE_FAST:
            return (
                f"[Fast mode: summarised the {self.passages_read:,} most informative of {self.passages_total:,} "
                f"sentences, {self.share_read:.0%} of the document's text. Use thorough mode to read all of it.]"
            )
        how = "read in parts and combined" if self.mode == MODE_THOROUGH else "read in one pass"
        return f"[{self.mode.capitalize()} mode: the whole document ({self.words_total:,} words) {how}.]"

    def as_dict(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "share_read": round(self.share_read, 4),
            "words_read": self.words_read,
            "words_total": self.words_total,
            "sentences_read": self.passages_read,
            "sentences_total": self.passages_total,
        }


def quotes_under(summary: str, sentences: Sequence[Sentence], report: SummaryReport) -> Iterator[str]:
    """The quoted key sentences whose figures ``summary`` lacks (none: nothing), noted in ``report.quoted``."""
    report.quoted = points_left_out(summary, select_key_points(sentences, _QUOTE_POOL), QUOTES)
    if report.quoted:
        lines = "\n".join(f"- {point.line(quoted=True)}" for point in report.quoted)
        yield f"\n\n{QUOTES_HEADING}\n{lines}"


def split_mode_line(text: str) -> tuple[str, str]:
    """(summary, mode line) of a finished summary's text, when only the text is at hand (e.g. in the GUI)."""
    match = _MODE_LINE.search(text)
    return (text[: match.start()], match.group(0).strip()) if match else (text, "")


def strip_footer(text: str, report: SummaryReport) -> str:
    """The summary without the mode line the stream ends with."""
    footer = FOOTER_SEPARATOR + report.footer()
    return text[: -len(footer)] if report.mode and text.endswith(footer) else text
