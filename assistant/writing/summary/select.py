"""Select: what the model reads. For a brief summary, the few passages that answer each of its questions
("per question", planned in ``questions``). Otherwise the whole document in one pass when it fits the context
window, else the most informative sentences of every section ("fast", the default), or every part in turn
("thorough", whose notes the generate stage combines)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.jobs import ProgressCallback, no_progress
from assistant.text.condense import Sentence
from assistant.text.packing import Chunk, TokenCounter, pack
from assistant.text.words import word_count
from assistant.writing.summary.prepare import PreparedDocument

MODE_SINGLE = "single pass"
MODE_FAST = "fast"
MODE_THOROUGH = "thorough"
MODE_QUESTIONS = "per question"  # the brief summary: one short answer per question (``questions``)
#: Sections of a long document that each get passages in fast mode, so no part goes unread entirely.
_SECTIONS = 12


@dataclass(frozen=True)
class Budgets:
    """Tokens left for document text in each kind of prompt, once the prompt around it and the reply count."""

    single: int  # the whole document
    excerpts: int  # the selected sentences of a long document
    part: int  # one part of a long document read in thorough mode


@dataclass(frozen=True)
class Reading:
    """What the model reads: one text (single pass, fast) or the parts of a thorough read, and how much of the
    document that is."""

    mode: str
    parts: list[Chunk]
    words_read: int
    words_total: int
    sentences_read: int
    sentences_total: int


def choose_reading(
    prepared: PreparedDocument,
    budgets: Budgets,
    count_tokens: TokenCounter,
    *,
    thorough: bool = False,
    progress: ProgressCallback = no_progress,
) -> Reading:
    """The whole document when it fits ``budgets.single``; else the selected sentences (fast) or every part."""
    words_total = prepared.words
    sentences = prepared.sentences
    whole = pack(prepared.passages, budgets.single, count_tokens)
    if len(whole) == 1:
        return Reading(MODE_SINGLE, whole, words_total, words_total, len(sentences), len(sentences))
    if not thorough:
        progress(0, 0, "Selecting the most informative passages")
        return excerpt_reading(prepared, budgets.excerpts, count_tokens)
    parts = pack(prepared.passages, budgets.part, count_tokens)
    return Reading(MODE_THOROUGH, parts, words_total, words_total, len(sentences), len(sentences))


def excerpt_reading(prepared: PreparedDocument, budget: int, count_tokens: TokenCounter) -> Reading:
    """The most informative sentences of the document that fit ``budget`` tokens, as one fast-mode reading."""
    sentences = prepared.sentences
    chosen = select_passages(sentences, budget, count_tokens)
    excerpt = excerpt_text([sentences[i] for i in chosen])
    pages = [page for i in chosen if (page := sentences[i].page) is not None]
    part = Chunk(excerpt, min(pages) if pages else None, max(pages) if pages else None, 0)
    words_read = sum(word_count(sentences[i].text) for i in chosen)
    return Reading(MODE_FAST, [part], words_read, prepared.words, len(chosen), len(sentences))


def select_passages(sentences: Sequence[Sentence], budget: int, count_tokens: TokenCounter) -> list[int]:
    """Indices (in reading order) of the most informative sentences that fit ``budget`` tokens.

    Every section of the document gets its best sentence first (coverage), then the best remaining ones are
    added by score (centrality, figures, codes, names) while each section stays near its fair share.
    """
    from assistant.trust.keypoints import sentence_scores

    scores = sentence_scores(sentences)
    total = len(sentences)
    sections = max(1, min(_SECTIONS, total))
    section_of = [i * sections // total for i in range(total)]
    # Over-long sentences (run-on tables) are cut so one of them cannot take the whole budget.
    cap = max(32, budget // 8)
    cost = []
    for sentence in sentences:
        tokens = count_tokens(sentence.text) + 6  # + the page marker and separator
        cost.append(tokens if tokens <= cap else cap + 1)
    quota = [budget * 1.6 / sections] * sections
    used = [0.0] * sections
    chosen: set[int] = set()
    spent = 0
    ranked = sorted(range(total), key=lambda i: scores[i], reverse=True)
    for rounds in (1, None):  # first one per section, then fill
        for i in ranked:
            s = section_of[i]
            if i in chosen or cost[i] > cap or spent + cost[i] > budget or scores[i] <= 0:
                continue
            if rounds == 1 and used[s] > 0:
                continue
            if rounds is None and used[s] + cost[i] > quota[s]:
                continue
            chosen.add(i)
            used[s] += cost[i]
            spent += cost[i]
    if spent < budget * 0.9:  # quotas left room: use it, best first, regardless of section
        for i in ranked:
            if i not in chosen and cost[i] <= cap and spent + cost[i] <= budget and scores[i] > 0:
                chosen.add(i)
                spent += cost[i]
    return sorted(chosen)


def excerpt_text(sentences: Sequence[Sentence]) -> str:
    """Selected sentences in reading order, a [p. N] marker where the page changes."""
    lines: list[str] = []
    page: int | None = None
    for sentence in sentences:
        text = sentence.text
        if sentence.page != page and sentence.page is not None:
            page = sentence.page
            text = f"[p. {page}] {text}"
        lines.append(text)
    return "\n".join(lines)
