"""Which passages an answer is drawn from. Search finds candidates by meaning and by words; here each is scored
by its *support* for the question: its embedding similarity plus ``COVERAGE_WEIGHT`` times the share of the
question's content words (weighted by rarity) it holds, so a passage that holds what is asked comes first.
Below ``FLOOR`` a passage does not answer the question; when none reaches it, nothing does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.library.question import QuestionTerms, content_words, fts_term, stem
from assistant.library.search import SearchHit

if TYPE_CHECKING:
    from assistant.library.index import LibraryIndex
    from assistant.library.store import LibraryStore

#: Candidates taken from search before ranking by support.
CANDIDATES = 12
#: Of them, the best passages by the question's words alone that are always among the candidates: fusing the two
#: rankings (``search.hybrid_search``) puts any passage both of them found, however low, before one only the
#: words found, however high, so the passage that alone holds a rare word of the question ("ethanol" in a
#: German leaflet, "CNIG" in Portuguese statutes) was never weighed (benchmarks/ask.py, README).
BY_WORDS = 4
#: Weight of the question's content words against embedding similarity (benchmarks/ask.py: the answering
#: passage ranks first for 15 of the 24 answerable questions with 2.0, 14 with 1.0, 12 by search alone).
COVERAGE_WEIGHT = 2.0
#: Support below which a passage is taken as not answering the question (calibrated on benchmarks/ask.py).
FLOOR = 0.5


@dataclass(frozen=True)
class Ranked:
    hit: SearchHit
    coverage: float
    support: float


def candidates(index: LibraryIndex, query: str) -> list[SearchHit]:
    """The passages search finds for ``query`` to be ranked by support: the ``CANDIDATES`` best of both rankings
    and the ``BY_WORDS`` best by its words alone."""
    return index.search(query, k=CANDIDATES, by_words=BY_WORDS)


def question_terms(store: LibraryStore, question: str) -> QuestionTerms:
    """The question's content stems weighted by their rarity in the library."""
    counts: dict[str, int] = {}
    for word in content_words(question):
        term = fts_term(word)
        key = stem(word)
        if term.endswith("*"):
            counts[key] = store.prefix_counts([key])[key]
        elif not key.isalnum():
            counts[key] = store.phrase_count(key)
        else:
            counts[key] = max(store.passage_counts([key]).values(), default=0)
    return QuestionTerms.of(question, counts, store.passage_total())


def specificity(store: LibraryStore, terms: QuestionTerms) -> float:
    """How much the question names of its own: its words' rarity weights in units of the rarest word's
    (a word that no passage holds), about the number of distinctive words it has."""
    return sum(terms.weights.values()) / math.log(1.0 + store.passage_total()) if store.passage_total() else 0.0


def rank(hits: Sequence[SearchHit], terms: QuestionTerms) -> list[Ranked]:
    """``hits`` by support, best first."""
    ranked = []
    for hit in hits:
        coverage = terms.coverage(hit.text)
        ranked.append(Ranked(hit, coverage, hit.similarity + COVERAGE_WEIGHT * coverage))
    return sorted(ranked, key=lambda r: -r.support)


def answering(ranked: Sequence[Ranked]) -> list[Ranked]:
    return [r for r in ranked if r.support >= FLOOR]


def sentence_score(sentence: str, terms: QuestionTerms) -> float:
    """How well one sentence answers the question, by the question's words it holds."""
    return terms.coverage(sentence)
