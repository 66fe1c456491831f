"""Guard: the model's text is shown as the summary only when it is a summary. A small model handed a form or a
long notice sometimes copies its first lines, or retells the form's printed instructions, instead of
summarising it. The first ``HOLD_WORDS`` words of each request are held back (a second or two) and measured
(``assistant.trust.echo``): an echo ends that request and the next way of asking is tried; when every way
echoes, the document's key sentences are shown under a one-sentence notice saying why. The whole text is
measured again once it ends, since a model can drift into copying after a good start.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass

from assistant.text.condense import Sentence
from assistant.text.substance import BOILERPLATE, INSTRUCTION, SetAside
from assistant.trust.echo import copied_share, words_of
from assistant.trust.keypoints import select_key_points, starts_a_sentence

#: Words of a reply held back and measured before any of it is shown.
HOLD_WORDS = 40
#: Share of the text copied word for word from the document (runs of 8 words) above which it is an echo.
#: The 0.5B model's echoes on the real set copied 64-97 % (pr12564, issue11913, issue7454); its summaries that
#: quote a long title or a sentence or two stay well under half.
ECHO_SHARE = 0.5
#: Share of the text copied from the form's printed instructions and boilerplate above which it retells the
#: form rather than the case (a summary may quote one instruction in passing; a quarter of it is the form).
FORM_SHARE = 0.25
#: Key sentences shown in place of a text that was not a summary.
KEY_POINTS = 7

ECHO_NOTICE = ("The model copied the document instead of summarising it, so its key sentences are shown "
               "instead:")
FORM_NOTICE = ("The model retold the form's printed instructions instead of its content, so the document's key "
               "sentences are shown instead:")
LATE_ECHO_NOTICE = "The model's text above copies the document word for word; its key sentences are:"


@dataclass
class GuardReport:
    """What the guard did: how many ways of asking were tried, and the notice shown when the model's text was
    not (empty when it was)."""

    attempts: int = 0
    notice: str = ""


def echo_reason(text: str, source: str, form_text: str) -> str:
    """Why ``text`` is not a summary of ``source`` ("echo", "form"), or '' when it is one."""
    if copied_share(text, source) >= ECHO_SHARE:
        return "echo"
    if form_text and copied_share(text, form_text) >= FORM_SHARE:
        return "form"
    return ""


def form_text_of(set_aside: Sequence[SetAside]) -> str:
    """The printed instructions and boilerplate the prepare stage set aside, as one text to measure against."""
    return "\n".join(item.text for item in set_aside if item.reason in (INSTRUCTION, BOILERPLATE))


def guarded(
    attempts: Iterable[Callable[[], Generator[str, None, None]]],
    source: str,
    form_text: str,
    sentences: Sequence[Sentence],
    report: GuardReport,
    on_retry: Callable[[str], None] = lambda _reason: None,
) -> Iterator[str]:
    """The text of the first attempt whose opening words are not an echo of ``source`` nor a retelling of
    ``form_text``, streamed; else the key sentences of ``sentences`` under a notice (``report.notice``)."""
    reason = ""
    for attempt in attempts:
        if report.attempts:
            on_retry(reason)
        report.attempts += 1
        stream = attempt()
        held: list[str] = []
        try:
            for delta in stream:
                held.append(delta)
                if len(words_of("".join(held))) >= HOLD_WORDS:
                    break
            reason = echo_reason("".join(held), source, form_text)
            if reason:
                continue  # the finally clause ends this request
            yield from held
            written = list(held)
            for delta in stream:
                written.append(delta)
                yield delta
        finally:
            stream.close()
        if echo_reason("".join(written), source, form_text):
            report.notice = LATE_ECHO_NOTICE
            yield f"\n\n{LATE_ECHO_NOTICE}\n" + key_point_lines(sentences)
        return
    report.notice = FORM_NOTICE if reason == "form" else ECHO_NOTICE
    yield f"{report.notice}\n" + key_point_lines(sentences)


def key_point_lines(sentences: Sequence[Sentence]) -> str:
    """The key sentences as Markdown bullets with their pages (those that start a sentence, when any do)."""
    readable = [s for s in sentences if starts_a_sentence(s.text)] or list(sentences)
    return "\n".join(f"- {point.line()}" for point in select_key_points(readable, KEY_POINTS))
