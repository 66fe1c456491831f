"""The sentences of a passage with their place in it (cut by the one splitter, assistant/text/sentences.py),
and the choices made among them: the sentence that best
answers a question (quoted when the model gives no answer), and the sentence an answer was drawn from (what
its citation points at and highlights).

A "sentence" of a table or a form is a line: a run of text longer than ``LONG_SENTENCE`` with line breaks in
it is split at them, so one row ("Balance at end of year ... 2,870,611") can be chosen and quoted alone; a line
that goes on with the sentence of the one before (prose wrapped in a narrow column: "should only be initiated
or / continued if the neutrophil count is above 1,000") is not cut from it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.library.question import QUESTION_WORDS, QuestionTerms, fold, stem, word_stems
from assistant.text.condense import list_item, list_marks
from assistant.text.sentences import sentence_spans as split_spans

#: Characters above which a sentence with line breaks is taken as table rows or list items.
LONG_SENTENCE = 240
#: A line shorter than this (a column heading, a label) is read together with the line after it.
SHORT_LINE = 40
#: Letters from which an answer's word is looked for at the start or end of words run together (a PDF that lost
#: its spaces: ``backing``).
GLUED_WORD = 5
_PARAGRAPH = re.compile(r"\n\s*\n")
_TOKEN = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d")
#: A line that ends a sentence or a clause (a reference mark such as "[23]" after it).
_ENDED = re.compile(r"[.!?;:]\W*(?:\[\d+\])?\W*$")


@dataclass(frozen=True)
class SentenceSpan:
    """One sentence of a passage: ``start``/``end`` index the passage's text."""

    start: int
    end: int
    text: str

    @property
    def flat(self) -> str:
        return " ".join(self.text.split())


def sentence_spans(text: str) -> list[SentenceSpan]:
    """The passage's sentences (and table lines) in order, as spans of ``text``."""
    spans: list[SentenceSpan] = []
    position = 0
    for paragraph in _PARAGRAPH.split(text):
        base = text.find(paragraph, position)
        position = base + len(paragraph)
        for start, end in split_spans(paragraph):
            piece = paragraph[start:end]
            if len(piece) > LONG_SENTENCE and "\n" in piece:
                spans.extend(_lines(text, base + start, piece))
            else:
                spans.append(SentenceSpan(base + start, base + end, piece))
    return spans


def _lines(text: str, offset: int, piece: str) -> list[SentenceSpan]:
    """``piece`` cut at its line breaks, except after a line shorter than ``SHORT_LINE`` (read with the next) or
    where the next line goes on with the sentence (a wrapped line of prose, ``_continues``)."""
    rows: list[tuple[int, int]] = []
    cursor = 0
    for line in piece.split("\n"):
        line_start = piece.find(line, cursor)
        cursor = line_start + len(line)
        if line.strip():
            rows.append((line_start, cursor))
    listed = list_marks([piece[start:end].strip() for start, end in rows])
    lines: list[SentenceSpan] = []
    start: int | None = None
    for i, (line_start, line_end) in enumerate(rows):
        if start is None:
            start = line_start
        following = piece[rows[i + 1][0] : rows[i + 1][1]] if i + 1 < len(rows) else ""
        if line_end - start >= SHORT_LINE and not _continues(piece[line_start:line_end], following, listed):
            lines.append(SentenceSpan(offset + start, offset + line_end, text[offset + start : offset + line_end]))
            start = None
    if start is not None:
        end = rows[-1][1]
        lines.append(SentenceSpan(offset + start, offset + end, text[offset + start : offset + end]))
    return lines


def _continues(line: str, following: str, listed: set[str]) -> bool:
    """Whether ``following`` goes on with the sentence of ``line`` (prose wrapped at the page's width): it
    starts in lower case after a line that does not end a sentence or clause, and is no list item (Word's
    second-level "o" bullet, ``listed`` marks: ``condense.list_item``)."""
    head = following.lstrip()[:1]
    return (bool(head) and head.islower() and not _ENDED.search(line)
            and list_item(following.strip(), listed) is None)


def _answer_stems(answer: str, terms: QuestionTerms) -> dict[str, tuple[float, str]]:
    """What an answer adds to its question: its own words (stems, each with the word as written, folded) and
    figures, the figures weighing most."""
    weights: dict[str, tuple[float, str]] = {}
    asked = set(terms.stems)
    for token in _TOKEN.findall(answer):
        if fold(token) in QUESTION_WORDS or len(token) < 2 and not token.isdigit():
            continue
        stemmed = stem(token)
        if stemmed in asked:
            continue
        weights[stemmed] = (3.0 if _NUMBER.search(token) else 1.0, fold(token))
    return weights


def backing(answer: str, sentence: str, terms: QuestionTerms) -> float:
    """How much of what ``answer`` says beyond its question ``sentence`` holds (0..1). A word of at least
    ``GLUED_WORD`` letters is held also at the start or end of a run of words the document printed without spaces
    between them ("Two dayslater, Samuelreturned to the ER.")."""
    wanted = _answer_stems(answer, terms)
    total = sum(weight for weight, _word in wanted.values())
    if not total:
        return 0.0
    held = word_stems(sentence)
    tokens = [fold(token) for token in _TOKEN.findall(sentence)]
    return sum(weight for s, (weight, word) in wanted.items() if s in held or _glued(word, tokens)) / total


def _glued(word: str, tokens: Sequence[str]) -> bool:
    """Whether ``word`` begins or ends one of ``tokens`` that runs it together with another word ("dayslater",
    "Samuelreturned"; never inside one: "later" is not in "collateral")."""
    return len(word) >= GLUED_WORD and word.isalpha() and any(
        len(token) > len(word) and (token.startswith(word) or token.endswith(word)) for token in tokens)


def best_backing(answer: str, sentences: Sequence[str], terms: QuestionTerms,
                 prior: Sequence[float]) -> tuple[int, float]:
    """The index of the sentence that backs ``answer`` most (ties go to the higher ``prior``) and its backing."""
    scored = [(backing(answer, s, terms), prior[i], i) for i, s in enumerate(sentences)]
    best = max(scored, default=(0.0, 0.0, -1))
    return best[2], best[0]


def raw_span(raw: str, base: int, passage: str, start: int, end: int) -> tuple[int, int] | None:
    """Where ``passage[start:end]`` is in ``raw``, the text the passage was taken from at offset ``base``:
    the stored passage differs from it only in whitespace, so the n-th other character of one is the n-th
    of the other. None if ``raw`` no longer matches (the file changed since it was indexed)."""
    before = sum(1 for ch in passage[:start] if not ch.isspace())
    inside = sum(1 for ch in passage[start:end] if not ch.isspace())
    seen = 0
    begin: int | None = None
    for position in range(base, len(raw)):
        if raw[position].isspace():
            continue
        if seen == before:
            begin = position
        seen += 1
        if begin is not None and seen == before + inside:
            found = raw[begin : position + 1]
            return (begin, position + 1) if "".join(found.split()) == "".join(passage[start:end].split()) else None
    return None


def printed_run(sentence: str, printed: str) -> str:
    """What to look for on a PDF page to show a cited sentence, as the page's text prints it (its own tabs and
    line breaks, which a PDF search matches literally): the sentence itself when the page prints it, otherwise
    the longest run of its words the page prints, e.g. a table row's cells without the column names the reader
    put before them ("Thrombocytopenia: VTEp Uncommon; ..." is printed "Thrombocytopenia Uncommon ..."), or
    the words around a line-end hyphenation the reader joined. A run is cut from the punctuation at its ends;
    the sentence as it is when no run of at least ``MIN_RUN`` characters is printed (a lone "the" would light
    up anywhere)."""
    words = sentence.split()
    best = ""
    for first in range(len(words)):
        last = first + len(best.split())  # only runs longer than the best so far are worth trying
        while last < len(words):
            found = _printed_words(words[first : last + 1], printed)
            if found is None:
                break
            last += 1
            if len(found) > len(best):
                best = found
        if best and len(best.split()) == len(words):
            break
    return best if len(best) >= MIN_RUN else " ".join(words)


def _printed_words(words: Sequence[str], printed: str) -> str | None:
    """``words`` as ``printed`` has them, whatever whitespace it puts between them; None if it does not."""
    run = list(words)
    run[0], run[-1] = run[0].lstrip(_RUN_PUNCTUATION), run[-1].rstrip(_RUN_PUNCTUATION)
    if not run[0] or not run[-1]:
        return None
    match = re.search(r"\s+".join(map(re.escape, run)), printed)
    return match.group(0) if match else None


#: The shortest run of a sentence's words worth showing on a page in its place.
MIN_RUN = 8
#: Punctuation the reader adds at a run's ends (a row label's colon, a cell's semicolon, the row's full stop).
_RUN_PUNCTUATION = ":;,. "
