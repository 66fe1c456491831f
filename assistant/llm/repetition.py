"""Stopping a generation that starts over: small models, once they have said everything, often restate it
("This notice supersedes ... This notice supersedes ..."). A repeat penalty only looks at the last few dozen
tokens, so it cannot catch a whole sentence coming round again.

``stop_at_repetition`` passes a stream of text deltas through a sentence at a time, holding back the last few
words; as soon as a run of ``window`` words repeats a run already written, the stream ends at the last
complete sentence before the repeat (no dangling "This notice") and the generation is closed. Summaries
and answers go through it; translations do not, since a faithful translation repeats whatever its source
repeats.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Words in a run that counts as a restatement. Ten identical words in a row rarely occur twice in a
#: short summary by chance; a model that starts over repeats whole sentences.
WINDOW = 10

_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = "\"'“”‘’()[]*_#.,;:!?-–—"
#: Where a sentence, list item or paragraph ends: after these, a cut leaves no fragment behind.
_BOUNDARY = re.compile(r"[.!?…:;](?=\s)|\n+")
#: A heading the reply ends on, with nothing under it ("…by 15 June.\n\n## Findings"): a small model's false start.
_TRAILING_HEADING = re.compile(r"\s*\n[ \t]*#{1,6}[ \t][^\n]*\s*$")


def _key(word: str) -> str:
    return word.strip(_EDGE_PUNCTUATION).lower()


def _sentence_end(text: str, start: int, end: int) -> int:
    """The offset just after the last sentence boundary in ``text[start:end]``, or ``start`` if there is none."""
    last = start
    for match in _BOUNDARY.finditer(text, start, end):
        last = match.start() if match.group()[0] == "\n" else match.end()  # line breaks go with what follows
    return last


def stop_at_repetition(stream: Iterator[str], window: int = WINDOW) -> Iterator[str]:
    """Yield ``stream``'s text up to where it begins to repeat itself; close the stream then."""
    text = ""
    emitted = 0  # characters of ``text`` already yielded
    scanned = 0  # end of the last complete word
    words: list[tuple[str, int, int]] = []  # (key, start, end) of every complete word seen so far
    seen: set[tuple[str, ...]] = set()
    try:
        for delta in stream:
            text += delta
            # Words are complete once whitespace follows them; the last token may still be growing.
            for match in _WORD.finditer(text, scanned):
                if match.end() == len(text):
                    break
                scanned = match.end()
                key = _key(match.group())
                if not key:
                    continue
                words.append((key, match.start(), match.end()))
                if len(words) < window:
                    continue
                run = tuple(k for k, _, _ in words[-window:])
                if run in seen:
                    cut = words[-window][1]
                    end = _sentence_end(text, emitted, cut) if cut > emitted else emitted
                    tail = _TRAILING_HEADING.sub("", text[emitted:end]).rstrip()
                    if tail:
                        yield tail
                    return
                seen.add(run)
            # Words before the newest (window - 1) can no longer begin a repeat: yield the complete sentences
            # among them. The first ``window`` words go out at once, so the reader sees the reply start
            # without delay; a repeat inside them would be a stutter, which the repeat penalty prevents.
            safe = _sentence_end(text, emitted, words[-window][2]) if len(words) >= window else len(text)
            # A heading goes out only with text under it: a repeat cut right after it would leave it empty.
            if held := _TRAILING_HEADING.search(text, emitted, safe):
                safe = held.start()
            if safe > emitted:
                yield text[emitted:safe]
                emitted = safe
        tail = _TRAILING_HEADING.sub("", text[emitted:])
        if tail:
            yield tail
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
