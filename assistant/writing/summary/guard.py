"""Guard: the model's text is shown as the summary only when it is a summary. A small model handed a form or a
long notice sometimes copies its first lines, or retells the form's printed instructions, instead of
summarising it. The reply streams ``HOLD_WORDS`` words behind the model, and the text written so far is
measured (``assistant.trust.echo``) before each part of it is shown. An echo in the first words ends that
request and the next way of asking is tried, its text followed by the document's key sentences under a
notice; when every way echoes, the key sentences are shown alone under a one-sentence notice saying why. An
echo later on ends the text before the words that made it one, under the same kind of notice. The brief
summary's answers are measured one by one as they end (``questions.answer_questions``): an answer that would
make the text a copy is left out, the next questions are still answered, and the key sentences follow under
``LEFT_OUT_NOTICE``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass

from assistant.text.condense import Sentence
from assistant.text.substance import BOILERPLATE, INSTRUCTION, SetAside
from assistant.trust.echo import SPAN, copied_flags, runs_of, words_of
from assistant.writing.summary.fields import BLOCK_POINTS, field_points

#: Words of a reply measured before they are shown (a second or two of generation).
HOLD_WORDS = 40
#: An empty delta from an attempt: the text so far is complete (one answer of the per-question summary has
#: ended), so all of it is measured and shown at once rather than ``HOLD_WORDS`` behind, which on a short
#: document held the first answer back until the second was half written.
ANSWER_END = ""
#: Share of the text copied word for word from the document (runs of 8 words) above which it is an echo.
#: Measured on eight real documents with the 0.5B model: the echoes copied 64-99 % (issue7454 64, issue11913
#: 75, pr12564 97, SSA21 minutes 99: the raw text from its first line), the summaries that quote a sentence
#: or two at most 51 % (row_span_3, Info1708), the others 0 %.
ECHO_SHARE = 0.6
#: Share copied from the form's printed instructions and boilerplate above which the text retells the form
#: rather than the case (a summary may quote one instruction in passing; a quarter of it is the form).
FORM_SHARE = 0.25
#: Key sentences shown in place of a text that was not a summary (at most; their words are limited too).
KEY_POINTS = BLOCK_POINTS

ECHO_NOTICE = ("The model copied the document instead of summarising it, so its key sentences are shown "
               "instead:")
FORM_NOTICE = ("The model retold the form's printed instructions instead of its content, so the document's key "
               "sentences are shown instead:")
RETRY_NOTICE = ("The model's first text copied the document, so the text above is its second try; the "
                "document's key sentences:")
LATE_ECHO_NOTICE = "The model went on by copying the document, so its text ends here. The document's key sentences:"
LEFT_OUT_NOTICE = ("The model copied the document in restating some of its passages, so those are left out. The "
                   "document's key sentences:")


@dataclass
class GuardReport:
    """What the guard did: how many ways of asking were tried, and the notice shown when the model's text was
    replaced or cut (empty when it was not)."""

    attempts: int = 0
    notice: str = ""


class EchoMeter:
    """Measures words of a reply against the document and against its form's printed instructions."""

    def __init__(self, source: str, form_text: str = "") -> None:
        self._source = runs_of(words_of(source))
        self._form = runs_of(words_of(form_text)) if form_text else set()

    def reason(self, words: Sequence[str]) -> str:
        """Why ``words`` are not the model's own: "echo", "form", or '' when they are, or are too few to tell."""
        if len(words) < SPAN:
            return ""
        if sum(copied_flags(words, self._source)) / len(words) >= ECHO_SHARE:
            return "echo"
        if self._form and sum(copied_flags(words, self._form)) / len(words) >= FORM_SHARE:
            return "form"
        return ""


def echo_reason(text: str, source: str, form_text: str) -> str:
    """Why the whole of ``text`` is not a summary of ``source`` ("echo", "form"), or '' when it is one."""
    return EchoMeter(source, form_text).reason(words_of(text))


def form_text_of(set_aside: Sequence[SetAside]) -> str:
    """The printed instructions and boilerplate the prepare stage set aside, as one text to measure against."""
    return "\n".join(item.text for item in set_aside if item.reason in (INSTRUCTION, BOILERPLATE))


def guarded(
    attempts: Iterable[Callable[[], Generator[str, None, None]]],
    meter: EchoMeter,
    sentences: Sequence[Sentence],
    report: GuardReport,
    on_retry: Callable[[str], None] = lambda _reason: None,
) -> Iterator[str]:
    """The text of the first attempt whose opening words are not, by ``meter``, an echo of the document nor a
    retelling of its form, streamed ``HOLD_WORDS`` words behind and cut where the text so far turns into one;
    else the key sentences of ``sentences`` under a notice (``report.notice``)."""
    reason = ""
    for attempt in attempts:
        if report.attempts:
            on_retry(reason)
        report.attempts += 1
        stream = attempt()
        text = ""
        pending: list[tuple[str, int]] = []  # deltas not shown yet, each with the words written once it ends
        shown = False
        reason = ""
        try:
            for delta in stream:
                text += delta
                words = words_of(text)
                pending.append((delta, len(words)))
                start = len(words) if delta == ANSWER_END else len(words) - HOLD_WORDS
                if start < 0:
                    continue
                reason = meter.reason(words)
                if reason:
                    break
                while pending and pending[0][1] <= start:  # a delta HOLD_WORDS behind, or a whole answer: shown
                    if released := pending.pop(0)[0]:
                        yield released
                        shown = True
            else:
                reason = meter.reason(words_of(text))
        finally:
            stream.close()
        if not reason:
            yield from (delta for delta, _ in pending if delta)
            if report.attempts > 1:
                # Measured on four echoing documents: the second reply is the model's own but keeps few facts
                # (0-2 of 8), where the key sentences keep 4-6; so they follow it.
                report.notice = RETRY_NOTICE
                yield f"\n\n{RETRY_NOTICE}\n" + key_point_lines(sentences)
            return
        if shown:
            report.notice = LATE_ECHO_NOTICE
            yield f"\n\n{LATE_ECHO_NOTICE}\n" + key_point_lines(sentences)
            return
    report.notice = FORM_NOTICE if reason == "form" else ECHO_NOTICE
    yield f"{report.notice}\n" + key_point_lines(sentences)


def left_out_lines(sentences: Sequence[Sentence], report: GuardReport) -> str:
    """The key sentences under the notice that some of the answers copied the document and are left out."""
    report.notice = LEFT_OUT_NOTICE
    return f"\n\n{LEFT_OUT_NOTICE}\n" + key_point_lines(sentences)


def key_point_lines(sentences: Sequence[Sentence]) -> str:
    """The key sentences as Markdown bullets with their pages (``fields.field_points``)."""
    return "\n".join(f"- {point.line()}" for point in field_points(sentences, KEY_POINTS))
