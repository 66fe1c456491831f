"""The model's part of an answer: the prompt (the question's best passages, numbered), and the reply read as it
streams. A reply is shown only once it says something: words beyond the question's own, not a bare "[1]", not the
model's "NOT FOUND", and what the question asks for where that can be told (a figure for "how many"). Citation
markers the model writes are taken out of the stream; the answer puts back its own, pointing at the sentence that
backs what was said (see ``assistant.library.ask``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.library.question import QUESTION_WORDS, QuestionTerms, fold, stem
from assistant.library.wanted import gives_wanted
from assistant.llm.engine import Message
from assistant.text.language import detect_language
from resources import prompt

_MARKER = re.compile(r"\s*\[\d{1,2}\]")
_PARTIAL_MARKER = re.compile(r"\s*\[\d{0,2}$")
_WORD_IN_PROGRESS = re.compile(r"\w+$")
#: How closely (difflib's ratio over the folded words) a reply follows its question's words in order to be the
#: question written back (``restates``): 0.87 for a German question restated, 0.58 for a wrong answer made of a
#: question's words.
RESTATED = 0.75
_TOKEN = re.compile(r"\w+", re.UNICODE)
#: How a small model says that the passages do not answer (it is asked to write NOT FOUND).
REFUSAL = re.compile(
    r"\bnot\s+found\b|\bnot\s+(?:mentioned|stated|given|specified|provided|available)\b|"
    r"\b(?:do|does|did)\s*(?:not|n['’]t)\s+(?:say|answer|mention|contain|give|state|provide|specify)\b|"
    r"\bno\s+information\b|\bcannot\s+(?:be\s+)?(?:answer|found|determine)|"
    r"\b(?:ne|n['’])\s*\w+\s+pas\b.*\b(?:passages?|extraits?|documents?)\b|\bintrouvable\b|\baucune\s+information\b",
    re.IGNORECASE,
)
#: Words a reply spends on the passages themselves rather than on the answer.
_FRAME_WORD_TEXT = """passage passages extract extracts text document documents library source sources answer
    question according mentioned states stated says extrait extraits réponse selon"""
_FRAME_WORDS = frozenset(_FRAME_WORD_TEXT.split())


#: Words of its own from which a reply that shares none of them with the quote it was phrased from invents what it
#: says (``invented_words``). Over the 126 questions of benchmarks/ask.py (1.5B, 2026-12-04), of the answers phrased
#: from a quote that stood in the same language, only the invented subject of a roll-call vote ("la reforma de la
#: ley de salud") names three words of its own and none of the quote's; right answers name at most two such words
#: ("Deux ans.", "Additional weekly $40.40") or some of the quote's (README).
INVENTED_WORDS = 3

#: The instructions (resources/prompts/<name>.txt).
SYSTEM_PROMPT = "library_answer_system"
QUESTION_PROMPT = "library_answer_question"


@dataclass(frozen=True)
class Passage:
    """What the model reads for one number: the passage's place and text."""

    number: int
    label: str
    text: str


def build_messages(question: str, passages: Sequence[Passage], history: Sequence[Message] = ()) -> list[Message]:
    extracts = "\n\n".join(f"[{p.number}] ({p.label})\n{p.text}" for p in passages)
    messages: list[Message] = [{"role": "system", "content": prompt(SYSTEM_PROMPT)}]
    messages.extend(history)
    messages.append({"role": "user", "content": prompt(QUESTION_PROMPT).format(
        passages=extracts, question=question)})
    return messages


def new_words(text: str, terms: QuestionTerms, question: str) -> list[str]:
    """Words of ``text`` that its question does not already hold (question, stop and frame words left out)."""
    asked = set(terms.stems) | {stem(w) for w in _TOKEN.findall(question)}
    found = []
    for token in _TOKEN.findall(_MARKER.sub(" ", text)):
        folded = fold(token)
        if folded in QUESTION_WORDS or folded in _FRAME_WORDS or stem(token) in asked:
            continue
        found.append(token)
    return found


def says_something(text: str, terms: QuestionTerms, question: str) -> bool:
    """False for an empty reply, one of markers only, one that only restates the question, or one that does not
    give what the question asks for where that can be told (``wanted.gives_wanted``: no figure for "how many")."""
    new = new_words(text, terms, question)
    return bool(new) and gives_wanted(_MARKER.sub(" ", text), question, new)


def restates(text: str, terms: QuestionTerms, question: str) -> bool:
    """Whether a reply only writes its question back: no word of its own (``new_words``), no refusal, and the
    question's words in the question's order (``RESTATED``): "Ein Unternehmen erfährt verbindlich, wie viel TIM ihm
    zuschießt, …" for "Wie schnell erfährt ein Unternehmen verbindlich, wie viel TIM ihm zuschießt, …?", not "GAO
    decided to protest the rejection" (a wrong answer in the question's words) for "What did GAO decide on
    Cybernet's protest against the rejection …?"."""
    said = [fold(w) for w in _TOKEN.findall(_MARKER.sub(" ", text))]
    if not said or is_refusal(text) or new_words(text, terms, question):
        return False
    asked = [fold(w) for w in _TOKEN.findall(question)]
    return SequenceMatcher(None, said, asked, autojunk=False).ratio() >= RESTATED


def invented_words(text: str, source: str, terms: QuestionTerms, question: str) -> list[str]:
    """The words ``text`` names of its own (``new_words`` of three letters or more, not numbers) when it names at
    least ``INVENTED_WORDS`` of them and ``source`` holds none (by stem), in the same language as ``text``: an
    answer phrased from one quote whose subject the quote never names ("the project was about reforming the health
    law" from a roll-call's header) invents it. [] otherwise, and whenever the two languages cannot be told apart
    or differ (a translated answer shares no words with its quote by nature)."""
    own = [w for w in new_words(text, terms, question) if len(w) >= 3 and not w.isdigit()]
    if len(own) < INVENTED_WORDS:
        return []
    held = {stem(w) for w in _TOKEN.findall(source)}
    if any(stem(w) in held for w in own):
        return []
    language = detect_language(text)
    return own if language is not None and language == detect_language(source) else []


def is_refusal(text: str) -> bool:
    return bool(REFUSAL.search(_MARKER.sub(" ", text)))


class ReplyFilter:
    """Passes a reply's deltas on without citation markers, holding them back until the reply says something
    (``says_something``) that is not a refusal, and ending it at its first line break (one short answer is
    asked for; what follows is a small model's drift). ``text`` is the reply as passed on."""

    def __init__(self, terms: QuestionTerms, question: str, *, hold_words: int = 4) -> None:
        self.terms = terms
        self.question = question
        self.hold_words = hold_words
        self.raw = ""
        self.shown = ""
        self.released = False

    @property
    def text(self) -> str:
        return self._clean(final=True)

    def _clean(self, final: bool) -> str:
        clean = _MARKER.sub("", self.raw)
        if not final:
            clean = _PARTIAL_MARKER.sub("", clean)  # "[" or "[1" may be the start of a marker
        clean = clean.strip()
        return clean.split("\n")[0].rstrip() if self.released else clean

    def feed(self, deltas: Iterable[str]) -> Iterator[str]:
        for delta in deltas:
            self.raw += delta
            yield from self._release(final=False)
            if self.released and "\n" in _MARKER.sub("", self.raw).strip():
                break
        yield from self._release(final=True)

    def _release(self, final: bool) -> Iterator[str]:
        if not self.released:
            clean = self._clean(final)
            # Until the reply ends, its last word may be cut by the stream ("… wenn die Prüfung positiv aus" of
            # "ausfällt"): judged whole, a restated question's last word would read as a word of its own.
            judged = clean if final else _WORD_IN_PROGRESS.sub("", clean)
            if is_refusal(clean) or not says_something(judged, self.terms, self.question):
                return
            if len(_TOKEN.findall(judged)) < self.hold_words and not final:
                return
            self.released = True
        body = self._clean(final)
        if body.startswith(self.shown) and len(body) > len(self.shown):
            piece = body[len(self.shown) :]
            self.shown = body
            yield piece
