"""Words as a reader counts them. Most scripts put spaces between words; Chinese and Japanese do not, so a
sentence of theirs is one "word" to ``str.split`` and every measure in words (how long a readable sentence is,
how long a piece or a summary may be) took a page of it for a few words, and the key sentences of a Japanese call
for proposals were none ("has no sentences to pick key points from"). Here a run of their characters counts a
word per two characters (about the length of a word in either), and is compared and searched as its overlapping
pairs of characters (``cjk_pairs``: "発行業務" holds "発行", "行業", "業務"), as search engines index these
languages (Lucene's CJK bigrams).
"""

from __future__ import annotations

import re

#: Hiragana, katakana, CJK ideographs (and their extension A and compatibility forms), half-width katakana.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_CJK_RUN = re.compile(f"[{_CJK}]+")
#: A word with the spaces after it: two characters of a run of Chinese or Japanese, or a run of anything else
#: up to a space.
_WORD = re.compile(f"[{_CJK}]{{1,2}}\\s*|[^\\s{_CJK}]+\\s*")
#: A word that tells sentences apart (``keywords``): three letters or more, or a pair of Chinese or Japanese
#: characters.
_KEYWORD = re.compile(f"[{_CJK}]{{2}}|[^\\W\\d_]{{3,}}")


def words(text: str) -> list[str]:
    """The words of ``text``, each with the spaces after it, so that ``"".join`` of a run of them is that part of
    the text as written."""
    return _WORD.findall(text.lstrip())


def word_count(text: str) -> int:
    """How many words ``text`` has (``words``)."""
    return len(_WORD.findall(text))


def cjk_pairs(text: str) -> str:
    """``text`` with each run of Chinese or Japanese characters written as its overlapping pairs, apart from each
    other and from the letters and digits around them ("2019年夏号" -> "2019 年夏 夏号"); other text as it is."""
    def pairs(match: re.Match[str]) -> str:
        run = match.group(0)
        return " " + " ".join(run[i : i + 2] for i in range(max(1, len(run) - 1))) + " "

    return _CJK_RUN.sub(pairs, text)


#: Where two lines of Chinese or Japanese meet, a line break is no space between words: their characters, and the
#: ideographic and full-width punctuation around them.
_CJK_EDGE = re.compile(f"[{_CJK}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]")


def joined_lines(lines: list[str]) -> str:
    """The lines of a paragraph as one, a space between them except where Chinese or Japanese runs on from one to
    the next ("誕生日の前" and "日まで" are "誕生日の前日まで", not two words)."""
    parts = lines[:1]
    for before, line in zip(lines, lines[1:], strict=False):
        parts += ["" if _CJK_EDGE.match(before[-1:]) and _CJK_EDGE.match(line[:1]) else " ", line]
    return "".join(parts)


def has_cjk(text: str) -> bool:
    return bool(_CJK_RUN.search(text))


def keywords(text: str) -> list[str]:
    """The words of ``text`` that tell one sentence from another, lower case: words of three letters or more, and
    the pairs of characters of its Chinese or Japanese."""
    return [word.lower() for word in _KEYWORD.findall(cjk_pairs(text))]
