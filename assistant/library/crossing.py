"""Questions asked across languages. The embedding model (all-MiniLM-L6-v2) knows English only and the keyword
side matches words, so a question in one language seldom finds the passage of a document written in another:
"Does the ticket insurance pay out if the organiser calls off the event?" never reached the German
conditions that answer it. When what search finds holds the question weakly (``TRANSLATE_BELOW``) and the
library has documents in other languages, the answering model puts the question into each of them (the
language of the most documents first, at most ``MAX_LANGUAGES``, until a version is held well: ``ENOUGH``) and
search runs again with every version; a passage is then ranked by the version whose words it holds best
(``QuestionTerms.either``). The model checks and phrases the answer from the question as asked.

Before any model, and without one, the question's words are also looked for as their cognates in the documents
written in other languages (``Cognates``): a word of the library that begins like a word of the question once
both are written in Latin letters and spelled alike ("information" and "информационного", "directors" and
"direcção", "practice" and "praktyki", "address" and "адресу") holds it in that version of the question.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.jobs import CancelToken
from assistant.library.question import QuestionTerms, content_words, fold, is_name, names, stem
from assistant.library.search import SearchHit
from assistant.library.store import INDEXED
from assistant.llm.engine import LlmEngine, Message
from assistant.llm.sampling import sampling_for
from assistant.settings import TRANSLATION_LANGUAGES
from assistant.text.language import detect_language
from assistant.text.words import has_cjk
from resources import prompt

if TYPE_CHECKING:
    from assistant.library.store import LibraryStore

#: Support (``passages.rank``) of the best passage found below which the question is put into the library's other
#: languages: every question of benchmarks/ask.py asked over a document in another language stays below it
#: (0.6-1.2), and the questions held well in their own language (most above 1.5) pay no translation (README).
TRANSLATE_BELOW = 1.3
#: What a passage's hold on the question put into another language counts for against a hold on the question as
#: asked (the model's translation is a guess at the words the document uses).
VERSION_WEIGHT = 0.6
#: Other languages a question is put into, those of the most documents first (each costs one short reply).
MAX_LANGUAGES = 3
#: Support of the best passage, once a version has been searched (``passages.rank`` with the versions' discount),
#: from which no further language is tried: on benchmarks/ask.py the 31 weakly-held questions made 53 translations
#: instead of 93, with the same quotes and passages read for every question (0.6: 33, and one quote lost; README).
ENOUGH = 0.8
#: The best passages found for the question as asked whose documents' languages it is put into first.
FOUND = 5
#: A name or code of the question (``question.names``) held by at most this many documents leads to their
#: languages before those of the passages found: "the CNIG's board of directors" to the Portuguese statutes,
#: "Den Helder's executive" to the Dutch council's minutes, where the English passages found first led to
#: French. benchmarks/ask.py, the 46 questions asked in English over a document in another language, with the
#: 1.5B's versions: 7 put first into another language, the right file and page read 31 -> 32, none lost (README).
NAMED_DOCUMENTS = 3
#: A shorter name ("St" of "St Petersburg") is held by documents of any language.
MIN_NAME = 3
#: A document's language is read from its first passages.
SAMPLE_PASSAGES = 3
#: The instruction (resources/prompts/<name>.txt), after the model's default system message.
TRANSLATE_PROMPT = "library_translate_question"
SYSTEM = "You are a helpful assistant."
#: Letters at the start of two words' spellings (``cognate_key``) that must agree for one to stand for the other
#: (a word of the question shorter than this has none).
COGNATE_LETTERS = 5
#: Cognates kept for one word of the question, those of the most passages first.
MAX_COGNATES = 12
#: What a passage's hold on the question's cognates counts for against a hold on the question as asked.
COGNATE_WEIGHT = VERSION_WEIGHT
#: Spellings that differ between languages for one sound, made one (after transliteration into Latin letters).
_SPELLINGS = (("ph", "f"), ("th", "t"), ("qu", "k"), ("ck", "k"), ("c", "k"), ("y", "i"), ("w", "v"), ("x", "ks"))
_DOUBLED = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")
_LABEL = re.compile(r"^\s*(translation|traduction|übersetzung|traducción|traduzione|vertaling)\s*:\s*", re.IGNORECASE)


class DocumentLanguages:
    """The language of each document of a library, read once per content (its sha256) and kept while the
    library is open."""

    def __init__(self, store: LibraryStore) -> None:
        self._store = store
        self._known: dict[int, tuple[str | None, str | None]] = {}  # document id -> (sha256, language)

    def counts(self) -> Counter[str]:
        """How many indexed documents are written in each language."""
        documents = dict(self._store.query("SELECT id, sha256 FROM documents WHERE status = ?", (INDEXED,)))
        unread = {i for i, sha in documents.items() if self._known.get(i, (None, None))[0] != sha}
        if unread:
            rows = self._store.query(
                "SELECT document_id, group_concat(text, ' ') FROM chunks WHERE ordinal < ? GROUP BY document_id",
                (SAMPLE_PASSAGES,))
            for document_id, text in rows:
                if document_id in unread:
                    self._known[document_id] = (documents[document_id], detect_language(text or ""))
        return Counter(language for i, (_sha, language) in self._known.items() if i in documents and language)

    def language_of(self, document_id: int) -> str | None:
        """The language of an indexed document (None if it cannot be told, or the document is not indexed)."""
        if document_id not in self._known:
            self.counts()
        return self._known.get(document_id, (None, None))[1]


def named_languages(question: str, store: LibraryStore, languages: DocumentLanguages,
                    cognates: Mapping[str, Sequence[str]] | None = None) -> list[str | None]:
    """The languages of the few documents (``NAMED_DOCUMENTS``) that hold each name or code of ``question``, in
    the order of its names; then those of a name no document holds as written, looked for as its ``cognates`` (by
    its stem, ``Cognates.of``: "Petersburg" as "Петербурга"). A name of fewer than ``MIN_NAME`` letters ("St")
    is no guide."""
    written: list[str | None] = []
    spelled: list[str | None] = []
    for name in names(question):
        if len(name) < MIN_NAME:
            continue
        documents = store.documents_holding(fold(name))
        found = written
        if not documents:
            documents = set().union(*(store.documents_holding(w) for w in (cognates or {}).get(stem(name), ())))
            found = spelled
        if len(documents) <= NAMED_DOCUMENTS:
            found += [languages.language_of(document) for document in sorted(documents)]
    return written + spelled


def other_languages(question: str, counts: Counter[str], found: Sequence[str | None] = ()) -> list[str]:
    """The languages of the library's documents, other than the question's, that the question is put into: those
    ``found`` for it first (the documents holding its names, ``named_languages``, then those of the passages found
    for it, best first), then those of the most documents, at most ``MAX_LANGUAGES``, each one the model can
    translate into."""
    ordered = [code for code in found if code in counts] + [code for code, _n in counts.most_common()]
    offered = [code for code in dict.fromkeys(ordered) if code in TRANSLATION_LANGUAGES]
    asked = detect_language(question, among=TRANSLATION_LANGUAGES) if offered else None
    return [code for code in offered if code != asked][:MAX_LANGUAGES]


def translation_messages(question: str, language: str) -> list[Message]:
    text = prompt(TRANSLATE_PROMPT).format(language=TRANSLATION_LANGUAGES[language], question=question.strip())
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]


def translated(engine: LlmEngine, question: str, language: str, *, cancel: CancelToken | None = None) -> str:
    """``question`` put into ``language`` by the model (greedy, one line), "" if the reply is empty or the
    question again."""
    budget = 2 * engine.count_tokens(question) + 16
    reply = "".join(engine.stream_chat(translation_messages(question, language), sampling_for("translation"),
                                       max_tokens=budget, cancel=cancel))
    line = next((line for line in reply.splitlines() if line.strip()), "")
    line = _LABEL.sub("", line).strip().strip("\"“”«»'").strip()
    return "" if fold(line) == fold(question.strip()) else line


def merged(hits: Sequence[SearchHit], more: Sequence[SearchHit], weight: float = 1.0) -> list[SearchHit]:
    """``hits`` and then those of ``more`` (found by a version of the question) not among them, their similarity
    to that version counting ``weight`` times; a passage found by both keeps its closer similarity."""
    found = {h.chunk_id: h for h in hits}
    for hit in more:
        key = hit.chunk_id
        hit = replace(hit, similarity=weight * hit.similarity)
        if key not in found or hit.similarity > found[key].similarity:
            found[key] = hit
    return list(found.values())


def cognate_key(word: str) -> str:
    """How ``word`` is spelled, roughly, in Latin letters: transliterated (``anyascii``: "Невский" -> "Nevskii"),
    folded, with the spellings of one sound made one ("c" and "k", "w" and "v", "ph" and "f") and doubled letters
    single ("address" and "adres" agree)."""
    from anyascii import anyascii

    key = _NOT_LETTER.sub("", fold(anyascii(word)))
    for spelled, one in _SPELLINGS:
        key = key.replace(spelled, one)
    return _DOUBLED.sub(r"\1", key)


class Cognates:
    """The words of a library's documents in other languages that begin like a question's words (``cognate_key``,
    ``COGNATE_LETTERS``). The library's words are read once per change of its passages."""

    def __init__(self, store: LibraryStore, languages: DocumentLanguages) -> None:
        self._store = store
        self._languages = languages
        self._read: tuple[int, int] | None = None
        self._by_key: dict[str, list[tuple[str, int]]] = {}

    def _words(self) -> dict[str, list[tuple[str, int]]]:
        """The library's words of at least ``COGNATE_LETTERS`` letters by the start of their key, most passages
        first."""
        (passages, last), = self._store.query("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM chunks")
        if self._read != (passages, last):
            by_key: dict[str, list[tuple[str, int]]] = defaultdict(list)
            for word, count in self._store.vocabulary():
                # A pair of Chinese or Japanese characters (as the index holds them) is spelled in Latin letters as
                # its two syllables: "泰州" as "taizhou".
                if (len(word) >= COGNATE_LETTERS or has_cjk(word)) and word.isalpha():
                    key = cognate_key(word)
                    if len(key) >= COGNATE_LETTERS:
                        by_key[key[:COGNATE_LETTERS]].append((word, count))
            self._by_key = {key: sorted(words, key=lambda w: -w[1]) for key, words in by_key.items()}
            self._read = (passages, last)
        return self._by_key

    def of(self, question: str, asked: str | None) -> dict[str, tuple[str, ...]]:
        """For each word of ``question`` (by its stem) that has them, its cognates: the library's words that begin
        like it, are not the word itself in another form (their stem is not its stem) and are held by a document
        whose language is not ``asked`` (the question's)."""
        words = self._words()
        found: dict[str, tuple[str, ...]] = {}
        for word in content_words(question):
            key = cognate_key(word)
            if len(word) < COGNATE_LETTERS or not word.isalpha() or len(key) < COGNATE_LETTERS:
                continue
            own = stem(word)
            others = [w for w, _count in words.get(key[:COGNATE_LETTERS], [])
                      if not w.startswith(own) and stem(w) != own and _spelled_alike(w, word)
                      and self._elsewhere(w, asked)]
            if others:
                found[own] = tuple(dict.fromkeys(fold(w) for w in others[:MAX_COGNATES]))  # as texts' words are
        return found

    def _elsewhere(self, word: str, asked: str | None) -> bool:
        """Whether a document not written in the language ``asked`` holds ``word``."""
        return any(self._languages.language_of(document) not in (None, asked)
                   for document in self._store.documents_holding(word))


def _spelled_alike(word: str, asked: str) -> bool:
    """Whether the library's ``word`` may stand for the question's word ``asked`` (which begins like it): any word
    of letters; Chinese or Japanese characters only for a name, spelled as its syllables exactly ("泰州" for
    "Taizhou"; not "台中", "taizhong", nor "末内", "monei", for "money", nor "わし" for "Washington")."""
    return not has_cjk(word) or (is_name(asked) and cognate_key(word) == cognate_key(asked))


def with_cognates(terms: QuestionTerms, cognates: dict[str, tuple[str, ...]]) -> QuestionTerms:
    """The question's terms in which each word is held by its cognates too (a version of the question)."""
    return QuestionTerms(terms.weights, synonyms=cognates)
