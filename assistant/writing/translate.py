"""Translation paragraph by paragraph, so any length works and the paragraph structure survives.

Every request shares the same system prompt, so llama.cpp's prefix cache makes the per-paragraph overhead
only the paragraph itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from assistant.documents import Document
from assistant.errors import EdgewiseError, EmptyDocumentError
from assistant.jobs import CancelToken, ProgressCallback, no_progress
from assistant.llm.engine import LlmEngine, Message
from assistant.llm.sampling import Sampling, sampling_for
from assistant.text.condense import paragraphs
from assistant.text.language import TRANSLATION_LANGUAGES, detect_language, language_name
from assistant.text.packing import split_to_fit
from assistant.trust.figures import localised_numbers, spelled_numbers_as_digits
from resources import prompt, resource_path

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Largest piece of source text sent in one request; a longer paragraph is split by sentence.
PIECE_TOKENS = 400


class UnsupportedLanguageError(EdgewiseError):
    pass


@dataclass(frozen=True)
class Unit:
    page: int | None
    text: str


def translation_units(document: Document) -> list[Unit]:
    """Paragraphs in reading order with their page; nothing dropped (unlike summaries)."""
    return [Unit(page.number, paragraph) for page in document.pages for paragraph in paragraphs(page.text)]


def check_target(target: str) -> str:
    code = target.lower().strip()
    if code not in TRANSLATION_LANGUAGES:
        choices = ", ".join(TRANSLATION_LANGUAGES)
        raise UnsupportedLanguageError(f"Edgewise cannot translate into {target!r}. Choose one of: {choices}.")
    return code


def translate_document(
    document: Document,
    engine: LlmEngine,
    target: str,
    *,
    source: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Iterator[str]:
    """Yield the translation as it streams, paragraphs separated by blank lines."""
    target = check_target(target)
    progress = progress or no_progress
    units = translation_units(document)
    if not units:
        raise EmptyDocumentError(f"{document.name} has no text to translate.")
    source = source or detect_language(document.text)
    if source == target:
        raise EdgewiseError(
            f"{document.name} already reads as {language_name(target)}. Choose another language to translate into."
        )
    engine.load(progress=progress, cancel=cancel)
    sampling = sampling_for("translation")
    show_pages = document.page_count is not None and document.page_count > 1
    current_page: int | None = None
    total = len(units)
    for index, unit in enumerate(units):
        progress(index, total, f"Translating paragraph {index + 1} of {total}")
        if show_pages and unit.page != current_page:
            current_page = unit.page
            yield f"*Page {unit.page}*\n\n"
        if not _WORD.search(unit.text):  # figures, codes, separators: nothing to translate
            yield unit.text + "\n\n"
            continue
        pieces = split_to_fit(unit.text, PIECE_TOKENS, engine.count_tokens)
        for number, piece in enumerate(pieces):
            if number:
                yield " "
            yield from _strip_leading(translate_piece(piece, source, target, engine, sampling, cancel))
        yield "\n\n"
    progress(total, total, "Translated")


def translate_piece(piece: str, source: str | None, target: str, engine: LlmEngine, sampling: Sampling,
                    cancel: CancelToken | None) -> Iterator[str]:
    """The model's translation of ``piece`` (text that fits one request) as it streams: its numbers in the
    target's notation, the worked examples before it, source words discouraged, at most about twice its
    length."""
    prepared = prepare_source(piece, source, target)
    budget = min(sampling.max_tokens, 2 * engine.count_tokens(piece) + 48)
    return engine.stream_chat(translation_messages(prepared, source, target), sampling, max_tokens=budget,
                              cancel=cancel, discourage=words_to_translate(prepared))


def prepare_source(text: str, source: str | None, target: str) -> str:
    """The piece as the model reads it: English number words above twelve as digits ('forty-five' -> 45),
    which small models otherwise garble, and English number notation as the target language writes it
    ('1,842 h' -> '1 842 h' and '2.5 mm' -> '2,5 mm' for French, from the Unicode CLDR data in Babel). The
    model copies figures as they stand, and a copied '1,842' reads as one point eight in French; the figure
    check reads both notations the same."""
    if source != "en":
        return text
    text = spelled_numbers_as_digits(text, minimum=13)
    decimal, group = number_symbols(target)
    if (decimal, group) != (".", ","):
        text = localised_numbers(text, decimal, group)
    return text


@cache
def number_symbols(language: str) -> tuple[str, str]:
    """The decimal and grouping symbols of a language: ("," , "\u202f") for French, (",", ".") for German."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(language), get_group_symbol(language)


#: An initial or a title before a word: "E. coli", "Dr. Okafor" (the word is a name, not a sentence's start).
_ABBREVIATION = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Prof|St|Mt)\.\s*$")


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence: only spaces before it, or a '.', '!', '?' or ':'."""
    end = start
    while end and text[end - 1].isspace():
        end -= 1
    return end == 0 or text[end - 1] in ".!?:"


def words_to_translate(text: str) -> set[str]:
    """The source words a translation should not carry over as they are, lower-cased: words of three letters
    or more, except names (capitalised inside a sentence), acronyms and codes ("NOTAM", "V-12") and words
    with an inner capital ("kWh"). The engine discourages them; it does not forbid them."""
    words: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group()
        if len(word) < 3 or any(character.isupper() for character in word[1:]):
            continue
        start = match.start()
        if _ABBREVIATION.search(text, max(0, start - 12), start):
            continue
        if word[0].isupper() and not _starts_sentence(text, start):
            continue  # a name
        if text[match.end() : match.end() + 1] in "-/" and text[match.end() + 1 : match.end() + 2].isalnum():
            continue  # part of a code or compound such as "pre-2020"
        words.add(word.lower())
    return words


def translation_messages(text: str, source: str | None, target: str) -> list[Message]:
    """The chat for one piece: the instruction in the user turn, after worked examples when there are some.

    The instruction goes in the user turn, beside the text: small models follow it far better there than in
    the system prompt alone, and better still when it is written in the target language. Worked examples of
    the same language pair come first as earlier turns; they are the same for every piece, so the prefix
    cache reads them once per document.
    """
    system, user = _instruction(source, target)
    messages: list[Message] = [{"role": "system", "content": system}]
    for example, translation in worked_examples(source, target):
        messages.append({"role": "user", "content": user.format(text=example)})
        messages.append({"role": "assistant", "content": translation})
    messages.append({"role": "user", "content": user.format(text=text)})
    return messages


def _instruction(source: str | None, target: str) -> tuple[str, str]:
    """(system prompt, user template with {text}) for translating into ``target``."""
    languages = {"source": f"{language_name(source)} " if source else "", "target": TRANSLATION_LANGUAGES[target]}
    system = prompt("translate_system").format(**languages)
    native = _resource_json("prompts/translate_native.json").get(target)
    return system, native if isinstance(native, str) else prompt("translate_user").format(text="{text}", **languages)


@cache
def _resource_json(relative: str) -> dict:
    return json.loads(resource_path(relative).read_text(encoding="utf-8"))


def worked_examples(source: str | None, target: str) -> list[tuple[str, str]]:
    """(source, translation) pairs shown before the request, for the language pairs that have them."""
    spec = _resource_json("prompts/translate_examples.json")
    if source != spec["source"]:
        return []
    return [(example[source], example[target]) for example in spec["examples"] if target in example]


def _strip_leading(stream: Iterator[str]) -> Iterator[str]:
    """Drop the whitespace a model puts before its reply and the line breaks inside it, so paragraphs align."""
    started = False
    for delta in stream:
        if not started:
            delta = delta.lstrip()
            if not delta:
                continue
            started = True
        # One unit is one paragraph (its lines were re-flowed): a line break the model adds is not a
        # paragraph of ours, and a blank line would break the paragraph-by-paragraph figure check.
        yield delta.replace("\n", " ")
