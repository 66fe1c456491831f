"""What a question asks about: its content words, without the words every question has ("which", "does",
"need", "quel", "a-t-elle") or stop words, each reduced to its stem (Snowball, English then French) so
"residents" finds "resident" and "certificate" finds "certificat", and weighted by how rare it is in the
library. A passage's *coverage* is the share of that weight it holds.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from assistant.text.words import cjk_pairs

#: A word as the keyword index sees it; a part number such as "XK-12-B" stays one word.
WORD = re.compile(r"\w[\w.\-/+#]*\w|\w", re.UNICODE)
_TOKEN = re.compile(r"\w+", re.UNICODE)
#: Stems shorter than this are matched whole: a prefix of three letters matches too much.
MIN_PREFIX = 4

_STOPWORD_TEXT = """
    a an and are as at be by can do does for from has have how i in is it its of on or that the this to was
    were what when where which who why will with you your der die das und ist ein eine le la les de des et
    est un une el los las y en"""
#: Words of the question's frame, not of what it asks about (English, French, German, Spanish, Italian, Dutch):
#: dropped from the keyword side, so "which ... does ... need" does not make a passage about a seal kit miss,
#: nor "bis wann muss man bei einer ..." weigh as much as the words that say what is asked. Words that are
#: also English content words ("war", "come", "dove", "door", "hat", "bin") are left out. Compared
#: folded (lower case, no accents), like the keyword index.
_QUESTION_WORD_TEXT = """
    about any did could should would may might must need needs much many whom whose kind type sort
    happens happen tell me please there their they them he she his her our we us into than then so if not no
    du au aux à ce cet cette ces qui que quoi quel quelle quels quelles lequel laquelle où quand comment
    combien pourquoi est-ce a-t-il a-t-elle sont ont été être avoir fait faire il elle ils elles on se sa son
    ses leur leurs par pour sur dans ne pas plus avec sans entre après selon d'après était
    ab aber alle als am an auch auf aus bei beim bis da dann dass dem den des dies diese dieser dieses durch
    einem einen einer eines er es für gegen hatte hier ihm ihn ihr im ins ja kann kein keine können man mit
    muss müssen nach nicht noch nur ob oder ohne sein seine sich sie sind soll sollen über um unter vom von
    vor wann warum was weil welche welchem welchen welcher welches wem wen wenn wer werden wie wieviel wird
    wo wurde wurden zu zum zur zwischen hoch
    al con cuál cuáles cuándo cuánto cuánta cuántos cuántas del desde donde dónde ella ellos entre esta este
    esto fue ha han hay las le lo los más mi para pero por qué quién quiénes según ser si sin sobre su sus
    también tiene tienen uno ya
    ad ai alla alle allo agli che chi con cosa da dal dalla dei della delle dello di gli hanno lo ma nel
    nella non per perché più qual quale quali quando quanto quanta quanti quante sono sul sulla tra viene
    vengono
    aan als bij dat deze dit een er had heeft het hoe hoeveel hun je kan kunnen maar met moet moeten na naar
    niet nog of om onder ook op over te tot uit van voor waar wanneer wat welk welke wordt worden zijn zal
    zou"""


def fold(word: str) -> str:
    """Lower case without accents, as the keyword index compares words ('remove_diacritics')."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


STOPWORDS = frozenset(fold(w) for w in _STOPWORD_TEXT.split())
QUESTION_WORDS = STOPWORDS | frozenset(fold(w) for w in _QUESTION_WORD_TEXT.split())


@lru_cache(maxsize=1)
def _stemmers() -> tuple:
    import snowballstemmer

    return snowballstemmer.stemmer("english"), snowballstemmer.stemmer("french")


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """The folded word's English stem, then its French one ("certificates" -> "certif", "garanties" -> "garant");
    codes and numbers stay as they are."""
    folded = fold(word)
    if not folded.isalpha():
        return folded
    english, french = _stemmers()
    return str(french.stemWord(english.stemWord(folded)))


def content_words(question: str) -> list[str]:
    """The words a question asks about, in order, once each; all its words if every one is a question word."""
    found = WORD.findall(cjk_pairs(question))
    words = [w for w in found if fold(w) not in QUESTION_WORDS and not _elided_frame(w)]
    return list(dict.fromkeys(words or found))


def is_name(word: str) -> bool:
    """Whether ``word`` reads as a name or a code: capitalised ("Helder", "CNIG") or holding a digit ("SK-77")."""
    return word[:1].isupper() or any(ch.isdigit() for ch in word)


def names(question: str) -> list[str]:
    """The question's content words that read as names or codes (``is_name``), but for its first word (capitalised
    as every sentence's is)."""
    first = question.split(maxsplit=1)[:1]
    return [w for w in content_words(question) if is_name(w) and [w] != first]


def _elided_frame(word: str) -> bool:
    """French elisions of a question word ("qu'il", "l'", "d'") arrive as their own short word."""
    return len(word) == 1 and word.isalpha()


def fts_term(word: str) -> str:
    """The keyword-index expression for one content word: its stem as a prefix for a plain word, the exact
    phrase for a code, a number or a short word."""
    stemmed = stem(word)
    if stemmed.isalpha() and len(stemmed) >= MIN_PREFIX:
        return f'"{stemmed}"*'
    return '"' + word.replace('"', "") + '"'


@dataclass(frozen=True)
class QuestionTerms:
    """The question's content stems and their weights (inverse passage frequency in the library); with
    ``alternatives`` (the question put into other languages, ``crossing``) a text holds the question as well as
    it holds the version it holds best."""

    weights: Mapping[str, float]
    alternatives: tuple[QuestionTerms, ...] = ()
    #: What a text's hold on an alternative counts for against its hold on the question itself.
    alternative_weight: float = 1.0
    #: Words that hold a stem as well as it does: the word's cognates in the library's other languages
    #: ("information": "информации", "directors": "direccao"; ``crossing.Cognates``).
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, question: str, passage_counts: Mapping[str, int] | None = None, passages: int = 0) -> QuestionTerms:
        """``passage_counts`` maps each stem to how many passages hold it; without counts every stem weighs 1."""
        weights: dict[str, float] = {}
        for word in content_words(question):
            stemmed = stem(word)
            if not stemmed or stemmed in weights:
                continue
            if passage_counts is None or passages <= 0:
                weights[stemmed] = 1.0
            else:
                weights[stemmed] = math.log(1.0 + passages / (1.0 + passage_counts.get(stemmed, 0)))
        return cls(weights)

    def either(self, alternatives: Iterable[QuestionTerms], weight: float = 1.0) -> QuestionTerms:
        """These terms with ``alternatives``: other versions of the same question, a text's hold on them
        counting ``weight`` times its hold on the question."""
        return replace(self, alternatives=self.alternatives + tuple(alternatives), alternative_weight=weight)

    def with_context(self, context: QuestionTerms, share: float) -> QuestionTerms:
        """These terms with the stems of ``context`` (the question a follow-up follows) they lack, together
        weighing ``share`` of these terms' own weight: a text then holds the follow-up best when it also holds
        what it follows, and its own words still count most."""
        own = sum(self.weights.values())
        added = {s: w for s, w in context.weights.items() if s not in self.weights}
        total = sum(added.values())
        if not own or not total:
            return self
        scale = share * own / total
        return replace(self, weights={**self.weights, **{s: w * scale for s, w in added.items()}})

    def within(self, texts: Sequence[str]) -> QuestionTerms:
        """These terms for choosing among ``texts`` (the sentences of the passages read): each stem's weight
        times how rarely those texts hold it (log(1 + n / (1 + held)) / log(1 + n) of n texts). A word every
        sentence holds (the document's name in its running title, the company the question names) then no
        longer draws the choice to the title; the words that tell one sentence from the next decide it."""
        held = [word_stems(text) for text in texts]
        if not held:
            return self
        scale = math.log(1.0 + len(held))

        def rarer(weights: Mapping[str, float]) -> dict[str, float]:
            return {s: w * math.log(1.0 + len(held) / (1.0 + sum(self._held(stems, s) for stems in held))) / scale
                    for s, w in weights.items()}

        return replace(self, weights=rarer(self.weights),
                       alternatives=tuple(other.within(texts) for other in self.alternatives))

    @property
    def stems(self) -> list[str]:
        """The stems of the question and of its versions, once each."""
        return list(dict.fromkeys([*self.weights, *(w for words in self.synonyms.values() for w in words),
                                   *(s for other in self.alternatives for s in other.stems)]))

    def found_in(self, text: str) -> set[str]:
        """The question's stems that ``text`` holds (as the stem of one of its words, or a prefix of one)."""
        return {s for s in self.stems if _holds(word_stems(text), s)}

    def coverage(self, text: str) -> float:
        """Share (0..1) of the question's weight that ``text`` holds (of the version it holds most)."""
        total = sum(self.weights.values())
        stems = word_stems(text)
        own = sum(w for s, w in self.weights.items() if self._held(stems, s)) / total if total else 0.0
        return max([own, *(self.alternative_weight * other.coverage(text) for other in self.alternatives)])

    def _held(self, stems: Iterable[str], wanted: str) -> bool:
        """Whether ``stems`` (a text's) hold the stem ``wanted`` or one of its ``synonyms``."""
        return _holds(stems, wanted) or any(_holds(stems, other) for other in self.synonyms.get(wanted, ()))


def word_stems(text: str) -> frozenset[str]:
    return _word_stems(text)


@lru_cache(maxsize=4096)
def _word_stems(text: str) -> frozenset[str]:
    stems: set[str] = set()
    text = cjk_pairs(text)
    for token in _TOKEN.findall(text):
        stems.add(stem(token))
        stems.add(fold(token))
    # A code or a number with marks inside ("8311-D-12", "SK-77", "1/23/2021", "11.43") is one word of a
    # question (``WORD``): the text holds it whole too, not only its pieces.
    stems.update(fold(word) for word in WORD.findall(text) if not word.isalnum())
    return frozenset(stems)


def _holds(stems: Iterable[str], wanted: str) -> bool:
    if wanted in stems:
        return True
    if len(wanted) < MIN_PREFIX or not wanted.isalpha():
        return False
    return any(s.startswith(wanted) for s in stems)
