"""What the model reads: not whole passages but the sentences of the best passages that hold most of the
question, each with the sentence before and after it, up to ``CONTEXT_CHARS``. A small model answers short
excerpts better than long passages, and reads them in a fraction of the time (benchmarks/ask.py: the
answering sentence is in 16 of 24 excerpts of 800 characters, 18 of 1,200; 20 of the three whole passages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.library.question import QuestionTerms
from assistant.library.sentences import SentenceSpan, sentence_spans

#: Characters of excerpts the model reads (about 250 tokens of English).
CONTEXT_CHARS = 800
#: Weight of the neighbouring sentences' share of the question in a sentence's score.
NEIGHBOUR_WEIGHT = 0.5
#: Score taken from each later passage, so that a tie goes to the better passage.
ORDER_PENALTY = 0.05


@dataclass(frozen=True)
class ScoredSentence:
    passage: int  # index of the passage among those read
    index: int  # of the sentence in its passage
    span: SentenceSpan
    score: float


def scored_sentences(passages: Sequence[str], terms: QuestionTerms) -> list[list[ScoredSentence]]:
    """Each passage's sentences with how well they answer the question (its words in the sentence, and
    half as much in the sentences around it)."""
    result = []
    for order, text in enumerate(passages):
        spans = sentence_spans(text)
        scored = []
        for i, span in enumerate(spans):
            around = " ".join(spans[j].flat for j in (i - 1, i + 1) if 0 <= j < len(spans))
            score = terms.coverage(span.flat) + NEIGHBOUR_WEIGHT * terms.coverage(around) - ORDER_PENALTY * order
            scored.append(ScoredSentence(order, i, span, score))
        result.append(scored)
    return result


def choose(scored: Sequence[Sequence[ScoredSentence]], budget: int | None = None) -> list[list[ScoredSentence]]:
    """The sentences to read, per passage in reading order: the best ones with their neighbours, while they
    fit in ``budget`` characters (the best one always does)."""
    budget = CONTEXT_CHARS if budget is None else budget
    ranked = sorted((s for sentences in scored for s in sentences), key=lambda s: -s.score)
    chosen: set[tuple[int, int]] = set()
    used = 0
    for best in ranked:
        sentences = scored[best.passage]
        new = [j for j in (best.index - 1, best.index, best.index + 1)
               if 0 <= j < len(sentences) and (best.passage, j) not in chosen]
        cost = sum(len(sentences[j].span.flat) + 1 for j in new)
        if used and used + cost > budget:
            continue
        chosen.update((best.passage, j) for j in new)
        used += cost
    return [[s for j, s in enumerate(sentences) if (p, j) in chosen] for p, sentences in enumerate(scored)]


def excerpt_text(text: str, sentences: Sequence[ScoredSentence]) -> str:
    """The chosen sentences of one passage (``text``) as the model reads them: a table row stays on its own
    line, and "…" marks sentences left out."""
    parts: list[str] = []
    previous: ScoredSentence | None = None
    for sentence in sentences:
        if previous is not None:
            if sentence.index > previous.index + 1:
                parts.append(" … ")
            else:
                parts.append("\n" if "\n" in text[previous.span.end : sentence.span.start] else " ")
        parts.append(sentence.span.flat)
        previous = sentence
    return "".join(parts)
