"""Copy brake: a small model asked to answer from a few passages in its own words often copies one of their
sentences whole, and a copied answer is not shown (``writing.summary.guard``), so what it knew is lost. The brake
lets the reply quote a name, a figure or a title (a few words in a row) but, once its last ``RUN`` words are a run
of the passages' words, the word that would carry the copy on loses ``PENALTY`` logits, however the model would
begin to spell it (every token that begins it, of two letters or more): the model then goes on in its own words
unless it is sure of the copy. A figure, a date or a code, and the word that leads to one, are never braked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.trust.echo import words_of

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from llama_cpp import Llama

#: Words in a row copied before the next copied word is braked (the echo measure counts runs of eight).
RUN = 6
#: Logits the word that would continue a copy loses.
PENALTY = 6.0
#: Letters a token must carry of a word to count as beginning it (" r" begins too many words to brake).
MIN_LETTERS = 2
#: A copy is not braked where its next words, this many, hold a figure, a date or a code: the reply copies those
#: exactly, and the word that leads to one ("on" 13 May, "of" $40.40).
LEADS_TO = 2


def _figure(words: Sequence[str]) -> bool:
    return any(ch.isdigit() for word in words for ch in word)


class CopyBrake:
    """A llama.cpp logits processor braking the copy of ``source`` in the tokens after ``start``."""

    def __init__(self, llm: Llama, source: str, start: int, run: int = RUN, penalty: float = PENALTY) -> None:
        words = words_of(source)
        self._following: dict[tuple[str, ...], set[str]] = {}
        for i in range(len(words) - run):
            if _figure(words[i + run : i + run + LEADS_TO]):  # "… approved it on" 13 May: the date is copied
                continue
            self._following.setdefault(tuple(words[i : i + run]), set()).add(words[i + run])
        self._llm, self._start, self._run, self._penalty = llm, start, run, penalty
        self._beginning: dict[str, set[int]] = {}

    def __call__(self, input_ids: npt.NDArray[np.intc], scores: npt.NDArray[np.single]) -> npt.NDArray[np.single]:
        generated = list(input_ids[self._start :])
        if len(generated) < self._run:
            return scores
        text = self._llm.detokenize(generated).decode("utf-8", errors="ignore")
        following = self._following.get(tuple(words_of(text)[-self._run :]))
        for word in following or ():
            for token in self._tokens_beginning(word):
                scores[token] -= self._penalty
        return scores

    def _tokens_beginning(self, word: str) -> set[int]:
        """Tokens that begin ``word`` as the reply would write it (after a space or not, lower case or
        capitalised), carrying ``MIN_LETTERS`` of its letters or all of a shorter word."""
        if word not in self._beginning:
            found: set[int] = set()
            for spelling in {f" {word}", f" {word.capitalize()}", word, word.capitalize()}:
                letters = spelling.lstrip()
                lead = len(spelling) - len(letters)
                for end in range(lead + min(MIN_LETTERS, len(letters)), len(spelling) + 1):
                    tokens = self._llm.tokenize(spelling[:end].encode(), add_bos=False, special=False)
                    if len(tokens) == 1:
                        found.add(tokens[0])
            self._beginning[word] = found
        return self._beginning[word]
