"""The one sentence splitter: summaries, key points, packing into parts and library passages all cut text here.

A full stop, question or exclamation mark ends a sentence when the next word starts with a capital, a digit or
an opening quote or bracket, except where the text is a reference rather than a sentence end: after an
abbreviation ("e.g.", "No. 07-1315", "ch. 48", "Art. 5", "z. B.", "Oct. 24", a count's "33No. (4X4)"), after an
initial ("J. Moreau"), inside parentheses ("(R. 04/2014)"), after a numbered heading ("1. Kapitel"), a German
date ("15. März") or ordinal ("zum 4. Mal") or title ("Dipl.-Ing."). In a numbered list, the next item's number
begins that item ("2. Name: … NSW 2065" | "3. Date …"), it does not end the one before.
Chinese and Japanese full stops end a sentence without a space after them.
"""

from __future__ import annotations

import re

_CANDIDATE = re.compile(
    r"[.!?\u2026]+[\"'\u2019\u201d\u00bb)\]]*(?=\s)\s+(?=[\"'\u201c\u201e\u00ab(\[]?\w)"  # Latin-script ends
    r"|[\u3002\uff01\uff1f][\"'\u2019\u201d\u300d\u300f)\]]*\s*"  # 。！？ need no space after them
)
#: Words before a full stop that do not end a sentence when a capital or a digit follows (lower case, without
#: the stop). Units and words that often end a sentence ("min", "Inc", "est") are left out.
_ABBREVIATED = """
    e.g i.e etc v vs viz cf al approx ca resp fig figs no nos nr ch chap art arts para paras vol vols pp p ed eds
    rev dept tel ref refs dr mr mrs ms messrs prof st jr sr mt av ave blvd a.m p.m u.s d.c u.k e.u n.b op ibid
    incl excl sec secs reg ul civ crim misc supp cir ct
    bzw vgl ggf usw abb abs z.b d.h u.a s.o s.u ziff bspw evtl inkl hrsg idnr
    mme mlle env n.d.l.r
    sra sres sras núm pág págs ud uds dña
    z s d u f
"""
ABBREVIATIONS = frozenset(_ABBREVIATED.split())
#: Abbreviated months: not a sentence end before a day number ("Oct. 24", "Sept. 3").
_MONTH_ABBREVIATIONS = "jan feb mar apr jun jul aug sep sept oct nov dec janv févr fevr avr juil déc dez okt mär"
_MONTHS = frozenset(_MONTH_ABBREVIATIONS.split())
_GERMAN_MONTHS = frozenset(
    ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
     "dezember")
)
#: German words before an ordinal, which is written as its number and a full stop: "zum 4. Mal", "am 3. Tag", "die
#: 2. Lesung".
_GERMAN_BEFORE_ORDINAL = frozenset(
    ("zum", "zur", "am", "im", "vom", "beim", "ab", "bis", "seit", "der", "die", "das", "den", "dem", "des", "ein",
     "eine", "einen"))
#: A German title of two abbreviations joined by a hyphen ("Dipl.-Volksw.", "Dr.-Ing.", "Art.-Nr."), before its stop.
_HYPHENED_TITLE = re.compile(r"[^\W\d_]+\.-[^\W\d_]+")
#: A list item's number at the end of the text before a full stop ("... NSW 2065 3."), and at its start.
_ITEM_END = re.compile(r"\s(\d{1,2})\.[\"'\u2019\u201d)]*\s*$")
_ITEM_START = re.compile(r"\s*(\d{1,2})\.\s")
#: How far back an unclosed parenthesis still holds the text inside it ("(R. 04/2014)", "(see No. 5 below)").
_PARENTHESIS_REACH = 80


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence of ``text``, without the spaces around it."""
    spans: list[tuple[int, int]] = []
    start = 0
    leading = _ITEM_START.match(text)
    item = int(leading.group(1)) if leading else 0  # the list item the text is in ("2. Name ..."), 0 if none
    for match in _CANDIDATE.finditer(text):
        if match.group(0)[0] in ".!?\u2026" and not _ends_sentence(text, start, match):
            continue
        end = match.start() + len(match.group(0).rstrip())
        following = _ITEM_END.search(text, start, end)
        if following is not None and item and int(following.group(1)) == item + 1:
            # "2. Name ... NSW 2065 3. Date on which ...": the "3." begins the next item, it does not end this one
            _add(spans, text, start, following.start())
            start, item = following.start(1), item + 1
            continue
        _add(spans, text, start, end)
        start = match.end()
        leading = _ITEM_START.match(text, start)
        item = int(leading.group(1)) if leading else 0
    _add(spans, text, start, len(text))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (one paragraph or more), stripped, none empty."""
    return [text[start:end] for start, end in sentence_spans(text)]


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


def _ends_sentence(text: str, start: int, match: re.Match[str]) -> bool:
    before = text[start : match.start()]
    after = text[match.end() :]
    following = after.split(None, 1)[0] if after.strip() else ""
    first = following.lstrip("\"'\u201c\u201e\u00ab([")[:1]
    if not (first.isupper() or first.isdigit()):
        return False  # "e.g. the pump", "approx. three"
    if match.group(0)[0] != ".":
        return not _inside_parentheses(before)
    last = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = last.strip("\"'([{\u201c\u201e\u00ab").rstrip(".").lower()
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS or word.lstrip("0123456789") in ABBREVIATIONS:
        return False  # "No. 5", "33No. (4X4) pickups" (a count run together with its abbreviation)
    if len(word) == 1 and word.isalpha() and last.strip("\"'([{").rstrip(".")[-1:].isupper():
        return False  # an initial: "J. Moreau", "(R. 04/2014)"
    if len(word) == 1 and word.isalpha() and re.match(r"[A-Z]\.", following):
        return False  # a spaced abbreviation: "e. V." (a registered association), "i. A."
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
        return False  # dotted abbreviations not listed: "U.S.A.", "i.V."
    if word in _MONTHS and first.isdigit():
        return False  # "Oct. 24"
    if _HYPHENED_TITLE.fullmatch(word):
        return False  # German titles: "Dipl.-Volksw.", "Dr.-Ing."
    if word.endswith("str") and first.isdigit():
        return False  # a German street before its number: "Hauptstr. 5", "Schillerstr. 28"
    if len(word) == 1 and word.isalpha() and word.islower() and first.isdigit():
        return False  # a street abbreviated to its letter before its number: "Saltoniškių g. 9-101", "nám. č. 5"
    if re.fullmatch(r"\d{1,2}[a-z]", word) and before.strip() == last:
        return False  # a form's numbered field: "2b. Name of patient"
    if word.isdigit() and len(word) <= 2:
        numbered_heading = before.strip() == last
        german_date = following.rstrip(".,;:").lower() in _GERMAN_MONTHS
        words = before.split()
        ordinal = len(words) >= 2 and words[-2].lower() in _GERMAN_BEFORE_ORDINAL
        if numbered_heading or german_date or ordinal:
            return False  # "1. Kapitel", "15. März", "zum 4. Mal"
    return not _inside_parentheses(before)


def _inside_parentheses(before: str) -> bool:
    """An opening parenthesis or bracket near the end of ``before`` that is not closed yet."""
    recent = before[-_PARENTHESIS_REACH:]
    depth = 0
    for character in reversed(recent):
        if character in ")]":
            depth += 1
        elif character in "([":
            if depth == 0:
                return True
            depth -= 1
    return False
