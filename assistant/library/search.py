"""Hybrid retrieval: nearest passages by embedding and best passages by keyword (FTS5 BM25), fused with
reciprocal rank fusion, so both meaning and exact strings (part numbers, codes, names) are found.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from assistant.library.question import content_words, fold, fts_term
from assistant.library.store import PassageRow

if TYPE_CHECKING:
    from assistant.library.embeddings import Embedder
    from assistant.library.store import LibraryStore

#: The usual RRF constant: damps the head of each list so neither ranking dominates.
RRF_K = 60
#: Candidates taken from each ranking before fusion.
CANDIDATES = 40
#: A query word found in more passages than this is left out of the keyword ranking: BM25 gives it almost
#: no weight, yet scoring every passage that holds it would cost ~1 ms per 100 passages.
MAX_KEYWORD_MATCHES = 2000
#: Cosine similarity above which a passage is taken as being about the question (all-MiniLM-L6-v2).
RELEVANT_SIMILARITY = 0.35


@dataclass(frozen=True)
class SearchHit(PassageRow):
    """One passage found (the store's row): how well it ranks, and whether it is likely about the query."""

    score: float  # fused RRF score: higher is better
    similarity: float  # cosine similarity to the query
    keyword: bool  # every significant query word occurs in the passage

    @property
    def file(self) -> str:
        return self.path

    @property
    def relevant(self) -> bool:
        return self.keyword or self.similarity >= RELEVANT_SIMILARITY

    @property
    def where(self) -> str:
        return f"{self.name}, p. {self.page}" if self.page is not None else self.name

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "page": self.page, "score": round(self.score, 6),
            "similarity": round(self.similarity, 4), "keyword": self.keyword, "text": self.text,
            "start": self.start, "end": self.end,
        }


def query_words(query: str) -> list[str]:
    """Significant words of a query (question words left out); a part number such as "XK-12-B" stays one word."""
    return content_words(query)


def keyword_terms(store: LibraryStore, query: str) -> list[str]:
    """The query's words as FTS5 expressions (a plain word by its stem, as a prefix: "residents" finds
    "resident"), without those so common that they cannot rank anything."""
    terms = {word: fts_term(word) for word in query_words(query)}
    prefixes = {w: t[1:-2] for w, t in terms.items() if t.endswith("*")}
    tokens = {w: re.findall(r"\w+", fold(w)) for w in terms if w not in prefixes}
    counts = store.passage_counts(sorted({t for parts in tokens.values() for t in parts}))
    counts |= store.prefix_counts(sorted(set(prefixes.values())))
    kept = []
    for word, term in terms.items():
        keys = [prefixes[word]] if word in prefixes else tokens[word]
        if min((counts.get(k, 0) for k in keys), default=0) <= MAX_KEYWORD_MATCHES:
            kept.append(term)
    return list(dict.fromkeys(kept))


def hybrid_search(store: LibraryStore, embedder: Embedder, query: str, k: int = 10, *,
                  mode: str = "hybrid", by_words: int = 0) -> list[SearchHit]:
    """The ``k`` best passages for ``query``; ``mode`` "vector" or "keyword" uses one ranking only. Then
    come those of the ``by_words`` best by the query's words alone that are not among them: fusion puts a
    passage both rankings found, however low, before one only the words found, however high."""
    query = query.strip()
    if not query or k <= 0:
        return []
    import numpy as np

    terms = keyword_terms(store, query) if mode in ("hybrid", "keyword") else []
    every_word: list[int] = []
    rankings: list[list[int]] = []
    if mode in ("hybrid", "keyword") and terms:
        every_word = store.keyword_search(" AND ".join(terms), CANDIDATES)
        any_word = store.keyword_search(" OR ".join(terms), CANDIDATES) if len(terms) > 1 else every_word
        rankings.append(list(dict.fromkeys(every_word + any_word))[:CANDIDATES])
    vector = embedder.encode_query(query)
    similarities: dict[int, float] = {}
    if mode in ("hybrid", "vector"):
        nearest = store.vector_search(vector, CANDIDATES)
        similarities = dict(nearest)
        rankings.append([chunk_id for chunk_id, _ in nearest])

    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    best = sorted(fused, key=lambda i: -fused[i])
    by_keyword = rankings[0][:by_words] if terms and by_words > 0 else []
    rows = store.passages(list(dict.fromkeys(best[: k * 2] + by_keyword)))  # spares: a removed file's vectors
    chosen = [i for i in best if i in rows][:k]
    chosen += [i for i in by_keyword if i in rows and i not in chosen]
    missing = [i for i in chosen if i not in similarities]
    for chunk_id, embedding in store.embeddings_of(missing).items():
        similarities[chunk_id] = float(np.dot(np.asarray(embedding, dtype=np.float32), vector))
    exact = set(every_word)
    return [
        SearchHit(**asdict(rows[i]), score=fused[i], similarity=similarities.get(i, 0.0), keyword=i in exact)
        for i in chosen
    ]
