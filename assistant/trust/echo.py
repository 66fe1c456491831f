"""Echo measure: how much of a generated text is copied word for word from its source.

A small model handed a form or a long notice sometimes "summarises" it by copying its first lines. Counted
over runs of ``SPAN`` words (case and punctuation ignored): the share of the text's words that sit inside a
run also found, in that order, in the source. A faithful summary quotes a name or a figure, rarely eight
words in a row; an echo does so almost everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Words in a row that count as copied; shorter runs are ordinary quoting of names, titles and figures.
SPAN = 8
_WORD = re.compile(r"\w+(?:[.,]\d+)*", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The text's words, lower case, without punctuation ('3.5' stays one word)."""
    return [word.lower() for word in _WORD.findall(text)]


def runs_of(words: Sequence[str], span: int = SPAN) -> set[tuple[str, ...]]:
    """Every run of ``span`` words in a row, to look copied runs up in."""
    return {tuple(words[i : i + span]) for i in range(len(words) - span + 1)}


def copied_flags(words: Sequence[str], in_source: set[tuple[str, ...]], span: int = SPAN) -> list[bool]:
    """For each of ``words``, whether it sits inside a run of ``span`` words that the source has too."""
    copied = [False] * len(words)
    for start in range(len(words) - span + 1):
        if tuple(words[start : start + span]) in in_source:
            copied[start : start + span] = [True] * span
    return copied


def copied_share(text: str, source: str, span: int = SPAN) -> float:
    """Share (0-1) of ``text``'s words inside a run of ``span`` words that ``source`` has too; 0 for a text
    shorter than ``span`` words."""
    words = words_of(text)
    if len(words) < span:
        return 0.0
    return sum(copied_flags(words, runs_of(words_of(source), span), span)) / len(words)
