"""Sampling settings per task, declared in one place so every path uses the same, visible values.

Small models loop on repeated text and drift: a low temperature and a repeat penalty of about 1.15 keep
summaries on the facts; translation is greedy with no penalty, since a faithful translation repeats its source.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sampling:
    temperature: float
    top_p: float
    top_k: int
    repeat_penalty: float
    max_tokens: int
    #: Logits taken from the first token of each source word the caller names (see ``LlmEngine.stream_chat``).
    copy_penalty: float = 0.0


TASK_SAMPLING: dict[str, Sampling] = {
    # Notes on one part of a long document (map step): short, factual.
    "summary-part": Sampling(temperature=0.2, top_p=0.9, top_k=40, repeat_penalty=1.15, max_tokens=220),
    "summary-brief": Sampling(temperature=0.2, top_p=0.9, top_k=40, repeat_penalty=1.15, max_tokens=260),
    # One short answer per question of the per-question summary, from a few passages. The long answers are the
    # lists of figures the facts sit in: at 80 tokens 32 of 63 facts on eight real documents, at 112 35 (the
    # 1-page timing document's answers stay under 80 tokens; the answers that reach the cap cost ~25 more).
    "summary-answer": Sampling(temperature=0.2, top_p=0.9, top_k=40, repeat_penalty=1.15, max_tokens=112),
    "summary-detailed": Sampling(temperature=0.2, top_p=0.9, top_k=40, repeat_penalty=1.15, max_tokens=700),
    "summary-bullets": Sampling(temperature=0.2, top_p=0.9, top_k=40, repeat_penalty=1.15, max_tokens=450),
    # max_tokens for translation is a ceiling; each paragraph gets a budget from its own length.
    # Greedy, with no repeat penalty: the penalty reaches back into the source sentence at the end of the prompt
    # and pushes the model off the very words and figures it should copy (fr chrF +1 without it). Each piece's
    # token budget (twice its length) bounds a loop instead.
    # The copy penalty pushes the model off source words it would otherwise leave untranslated ("Le pump",
    # "les vials"); a word it is sure of, such as a name or "inspection" into French, still wins. Measured on the
    # benchmark's 34 sentences: chrF fr +1.6, es +1.1, de +3.1 (a penalty of 3 gives about the same, 4 less).
    "translation": Sampling(temperature=0.0, top_p=1.0, top_k=1, repeat_penalty=1.0, max_tokens=1024, copy_penalty=2.0),
    # One short answer sentence. Replies longer than 64 tokens were the model copying a passage (2 of 56 replies of
    # benchmarks/ask.py; right, cited and honest unchanged when they are cut there, one answer right by the model's
    # own words fewer: the quotes hold it). Its first line ends it earlier (``ReplyFilter``).
    "library-answer": Sampling(temperature=0.1, top_p=0.9, top_k=40, repeat_penalty=1.1, max_tokens=64),
}


def sampling_for(task: str) -> Sampling:
    return TASK_SAMPLING[task]
