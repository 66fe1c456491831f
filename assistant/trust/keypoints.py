"""Key points: sentences taken from the document itself, with their pages, without any LLM (the Key points panel's
are chosen by ``assistant.writing.summary.fields.key_points``), and those a summary leaves out.

A sentence's centrality is its TF-IDF degree centrality (how much it shares the document's recurring vocabulary),
raised for sentences that carry figures (numbers, codes, dates) and names, since those are what people act on.
Plain numpy keeps it well under a second for a 117-page document; scikit-learn and sentence-transformers would
spend longer than that just being imported.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text.condense import Sentence, is_heading
from assistant.text.words import keywords, word_count
from assistant.trust.figures import Figure, check_text, support_of

_FIGURE = re.compile(r"\d")
_CODE_OR_NAME = re.compile(r"\b(?:[A-Z]{2,}[-\d]|[A-Z][a-z]+ [A-Z][a-z]+|[A-Z]+-?\d)")
#: Vocabulary kept for the similarity matrix: the most frequent content words (rare ones add no centrality).
_VOCABULARY = 4000


@dataclass(frozen=True)
class KeyPoint:
    page: int | None
    text: str
    score: float
    index: int  # position of the sentence in the condensed document

    def as_dict(self) -> dict[str, object]:
        return {"page": self.page, "text": self.text, "score": round(self.score, 4)}

    def line(self, quoted: bool = False) -> str:
        """'text (p. N)', the text in quotation marks when ``quoted``."""
        text = f"\u201c{self.text}\u201d" if quoted else self.text
        return f"{text} (p. {self.page})" if self.page is not None else text


def _readable(sentence: str) -> bool:
    """Prose rather than a heading, a formula, a table row or a caption fragment."""
    if sentence.startswith("#") or is_heading(sentence):
        return False
    words = sentence.split()
    if not 6 <= word_count(sentence) <= 80:
        return False
    letters = sum(ch.isalpha() for ch in sentence)
    return letters >= 0.6 * len(sentence.replace(" ", "")) and _formula_share(words) <= _FORMULA_SHARE


#: Above this share of one-letter or one-symbol words ('X', '=', '∈', '→'), a sentence is a formula.
_FORMULA_SHARE = 0.2


def is_formula(sentence: str) -> bool:
    """A formula rather than prose: a fifth or more of its words are lone letters or symbols ('X', '=', '∈'), one
    of them a sign of mathematics (a form's "D./Dña … de … de …", a caption "Dois – A Direcção" or a judge's
    "DAVID O. CARTER" are none)."""
    words = sentence.split()
    return bool(words) and bool(_MATH.search(sentence)) and _formula_share(words) > _FORMULA_SHARE


def _formula_share(words: Sequence[str]) -> float:
    """Share of words that are a lone letter or symbol, not counting 'a', 'I' and a unit after a number
    ('9.8 A', '12 t')."""
    lone = 0
    for number, word in enumerate(words):
        core = word.strip(".,;:!?()[]{}\"'")
        if not core:  # punctuation alone: '=' or '→' counts, a dash between words does not
            lone += word not in ("-", "–", "—", "&")
        elif len(core) == 1 and not core.isdigit() and core not in ("a", "I"):
            lone += not (number and words[number - 1][-1:].isdigit())  # '9.8 A' is a unit
    return lone / len(words)


def sentence_scores(sentences: Sequence[Sentence]) -> list[float]:
    """A score per sentence: TF-IDF degree centrality, raised for figures, codes and names; 0 for non-prose."""
    import numpy as np

    if not sentences:
        return []
    tokenised = [keywords(s.text) for s in sentences]
    frequency = Counter(word for words in tokenised for word in set(words))
    total = len(sentences)
    # Words in nearly every sentence (articles, the document's title word) tell nothing apart.
    vocabulary = [w for w, df in frequency.most_common() if df >= 2 and df <= 0.5 * total or total < 4][:_VOCABULARY]
    column = {word: i for i, word in enumerate(vocabulary)}
    matrix = np.zeros((total, max(1, len(vocabulary))), dtype=np.float64)
    for row, words in enumerate(tokenised):
        for word, count in Counter(words).items():
            if word in column:
                matrix[row, column[word]] = (1 + math.log(count)) * math.log((1 + total) / (1 + frequency[word]))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1, norms)
    centrality = (matrix @ matrix.sum(axis=0)) - 1.0  # sum of cosine similarities to every other sentence
    centrality = np.clip(centrality, 0, None)
    top = float(centrality.max()) or 1.0
    scores = []
    for sentence, value in zip(sentences, centrality, strict=True):
        if not _readable(sentence.text):
            scores.append(0.0)
            continue
        boost = 1.0 + 0.35 * bool(_FIGURE.search(sentence.text)) + 0.15 * bool(_CODE_OR_NAME.search(sentence.text))
        # Rounded, and summed in float64: in float32 the seventh digit followed the order of the sums (and the
        # process's memory), and pieces tied on everything else swapped from one run to the next.
        scores.append(round(float(value) / top * boost, 9) + 1e-6)
    return scores


#: Relations and operators of mathematics: a sentence with one is a statement about symbols, whose "figures"
#: ('U1', 'x0', '13') are no one's load limit or dose.
_MATH = re.compile(r"[=<>≤≥≠≈∈∉⊂⊆⊃⊇∪∩⇒⇔→↦∀∃∠≅∼∞∑∫]")


#: A number after one of these words numbers a part of the document ('Figure 1.12', 'Definition 23').
_REFERENCE = re.compile(
    r"\b(?:figure|fig|table|tab|abbildung|abb|tabelle|definition|bemerkung|satz|lemma|theorem|aufgabe|exercise|"
    r"section|chapter|kapitel|abschnitt|annex|anhang|appendix)\.?\s*$|§\s*$",
    re.IGNORECASE,
)


def _worth_quoting(figure: Figure, text: str) -> bool:
    """A unit, a code or a date, or a bare number of 10 or more, in ``text``: not 'span 2' or 'aisle 3' alone,
    nor the number of a figure, table or section."""
    if _REFERENCE.search(text[max(0, figure.start - 16) : figure.start]):
        return False
    if figure.kind != "number" or figure.unit:
        return True
    return not any(key.lstrip("-").isdigit() and int(key) < 10 for key in figure.keys)


def points_left_out(text: str, points: Sequence[KeyPoint], limit: int) -> list[KeyPoint]:
    """Up to ``limit`` key points, best first, holding a figure that ``text`` leaves out or states otherwise;
    returned in reading order. A point whose figures an earlier chosen one already gives is not repeated."""
    chosen: list[KeyPoint] = []
    given = text
    support = support_of(given)  # read again only when a chosen point adds to what is given
    for point in sorted(points, key=lambda p: p.score, reverse=True):
        if len(chosen) >= limit:
            break
        if _MATH.search(point.text):
            continue
        if any(_worth_quoting(item.figure, point.text) for item in check_text(point.text, support)):
            chosen.append(point)
            given += "\n" + point.text
            support = support_of(given)
    return sorted(chosen, key=lambda p: p.index)
