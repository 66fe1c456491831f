"""What the model reads: not whole passages but the sentences of the best passages that hold most of the
question, each with the sentence before and after it, up to ``CONTEXT_CHARS``. A small model answers short
excerpts better than long passages, and reads them in a fraction of the time. How often the answer is in what
the model reads (benchmarks/ask.py's 96 answerable questions, the excerpts of the passages read, no model):
74 at 800 characters, 76 at 1,200, 79 at 1,600, 82 at 2,400, the same as the three whole passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.library.question import QuestionTerms, word_stems
from assistant.library.rows import headings_of, row_headings
from assistant.library.sentences import SentenceSpan, sentence_spans
from assistant.library.wanted import holds_kind

#: Characters of excerpts the model reads (about 300 tokens of English). The 1.5B on all 113 questions, against
#: 800: right 66 -> 68 of 96, cited and honest as before; the 43 answers that read excerpts take ~126 more prompt
#: tokens and ~1 s more (median). 1,600 gave one more right answer for ~6 s more on those 43 (README).
CONTEXT_CHARS = 1200
#: Weight of the neighbouring sentences' share of the question in a sentence's score (0: the neighbours'
#: words drew the choice to sentences next to the answer, not to it; benchmarks/ask.py).
NEIGHBOUR_WEIGHT = 0.0
#: Share of what a table row's headings add to its score (``rows``: the row read with the lines that name its
#: columns).
HEADING_WEIGHT = 1.0
#: Score taken from each later passage, so that a tie goes to the better passage.
ORDER_PENALTY = 0.05
#: Score added to a sentence that holds what the question asks for (a date for "when", a figure for "how many").
KIND_WEIGHT = 0.6
#: Sentences quoted under an answer: the one chosen and the one after it, where the answer often is (a figure
#: after its label, a table row after its heading, a name after "on behalf of"): benchmarks/ask.py, the quote
#: holds the answer for 34 of 70 questions with two sentences, 28 with one.
QUOTED_SENTENCES = 2
#: A second quote is shown under the first when the answer may be split between two places: its score is within
#: this of the first's (benchmarks/ask.py, all 70 answerable questions without a model: a quote holds the answer
#: for 43 with a margin of 0.2 or more, 40 at 0.1, 34 with one quote; a second quote from the first's passage
#: whatever its score added none). README "Library answers".
SECOND_MARGIN = 0.2
#: Share of a second quote's words already in the first from which it says nothing new (a near-duplicate).
NEAR_DUPLICATE = 0.8
#: Characters a second quote may take: its pair when it fits, else its own sentence when that fits.
SECOND_CHARS = 320


@dataclass(frozen=True)
class ScoredSentence:
    passage: int  # index of the passage among those read
    index: int  # of the sentence in its passage
    span: SentenceSpan
    score: float


def scored_sentences(passages: Sequence[str], terms: QuestionTerms, kind: str = "") -> list[list[ScoredSentence]]:
    """Each passage's sentences with how well they answer the question: its words in the sentence, each
    weighing by its rarity in the library and among these sentences (``QuestionTerms.within``),
    ``NEIGHBOUR_WEIGHT`` times those in the sentences around it, and ``KIND_WEIGHT`` more if the sentence
    holds the ``kind`` of answer asked for (``assistant.library.wanted``)."""
    result = []
    every = [sentence_spans(text) for text in passages]
    terms = terms.within([span.flat for spans in every for span in spans])
    for order, spans in enumerate(every):
        scored = []
        tables = row_headings(passages[order])
        for i, span in enumerate(spans):
            around = " ".join(spans[j].flat for j in (i - 1, i + 1) if 0 <= j < len(spans))
            own = terms.coverage(span.flat)
            headings = headings_of(tables, span.start, span.end)
            if headings:
                own += HEADING_WEIGHT * (terms.coverage(f"{span.flat} {headings}") - own)
            score = own + NEIGHBOUR_WEIGHT * terms.coverage(around) - ORDER_PENALTY * order
            if kind and holds_kind(span.flat, kind):
                score += KIND_WEIGHT
            scored.append(ScoredSentence(order, i, span, score))
        result.append(scored)
    return result


def best(scored: Sequence[Sequence[ScoredSentence]]) -> ScoredSentence | None:
    """The sentence that best answers the question (the first of equals)."""
    return max((s for sentences in scored for s in sentences), key=lambda s: s.score, default=None)


def quoted(scored: Sequence[Sequence[ScoredSentence]], sentence: ScoredSentence, text: str) -> ScoredSentence:
    """``sentence`` of the passage ``text`` widened to the ``QUOTED_SENTENCES`` that are quoted from it."""
    sentences = scored[sentence.passage]
    last = sentences[min(sentence.index + QUOTED_SENTENCES - 1, len(sentences) - 1)]
    start, end = sentence.span.start, max(sentence.span.end, last.span.end)
    return replace(sentence, span=SentenceSpan(start, end, text[start:end]))


def second(scored: Sequence[Sequence[ScoredSentence]], first: ScoredSentence,
           texts: Sequence[str]) -> ScoredSentence | None:
    """The quote shown after ``first`` (already widened by ``quoted``): the best sentence outside it that is not a
    near-duplicate of it, widened like it within ``SECOND_CHARS``, if it is close to ``first`` in score; else
    None. ``texts`` are the passages' texts."""
    said = word_stems(first.span.flat)
    for candidate in _by_score(scored):
        if _clashes(candidate, [first]):
            continue
        shown = quoted(scored, candidate, texts[candidate.passage])
        if len(shown.span.flat) > SECOND_CHARS or _clashes(shown, [first]):
            shown = candidate
        if len(shown.span.flat) > SECOND_CHARS:
            continue
        words = word_stems(shown.span.flat)
        if not words or len(words & said) >= NEAR_DUPLICATE * len(words):
            continue
        if first.span.flat in shown.span.flat:
            # The quote again, from the passage after it (passages overlap), with the sentence after it: shown
            # twice, it says nothing new.
            continue
        return shown if candidate.score >= first.score - SECOND_MARGIN else None
    return None


def further(scored: Sequence[Sequence[ScoredSentence]], taken: Sequence[ScoredSentence],
            texts: Sequence[str], count: int) -> list[ScoredSentence]:
    """The ``count`` best sentences after those ``taken`` (the quotes shown, as quoted), each widened like a quote
    (``quoted``) and overlapping none of the quotes nor each other, best first."""
    found: list[ScoredSentence] = []
    for candidate in _by_score(scored):
        if len(found) >= count:
            break
        if _clashes(candidate, [*taken, *found]):
            continue
        shown = quoted(scored, candidate, texts[candidate.passage])
        found.append(candidate if _clashes(shown, [*taken, *found]) else shown)
    return found


def _by_score(scored: Sequence[Sequence[ScoredSentence]]) -> list[ScoredSentence]:
    """Every sentence of every passage, best first (equals in reading order)."""
    return sorted((s for sentences in scored for s in sentences), key=lambda s: -s.score)


def _clashes(sentence: ScoredSentence, others: Sequence[ScoredSentence]) -> bool:
    """``sentence`` overlaps one of ``others`` in its passage."""
    return any(other.passage == sentence.passage and _overlaps(sentence.span, other.span) for other in others)


def _overlaps(one: SentenceSpan, other: SentenceSpan) -> bool:
    return one.start < other.end and other.start < one.end


def choose(scored: Sequence[Sequence[ScoredSentence]], budget: int | None = None) -> list[list[ScoredSentence]]:
    """The sentences to read, per passage in reading order: the best ones with their neighbours, while they
    fit in ``budget`` characters (the best one always does)."""
    budget = CONTEXT_CHARS if budget is None else budget
    ranked = _by_score(scored)
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
