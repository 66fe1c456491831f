"""Whether a quote answers its question, asked of a model that can tell. The 0.5B model's "NOT FOUND" refuses
most questions whose quote holds the answer (19 of the 43 such questions of benchmarks/ask.py), and it leans
the same way (yes against no) for a quote that answers and one that does not. Qwen2.5-Coder-1.5B, shown the
question and one quote, leans towards "yes" for quotes that answer and towards "no" for the near-misses of the
questions no document answers; its leaning is read from the first token of the reply, without generating
anything, and compared with a threshold calibrated on the yardstick (see the README's table). A model with no
calibrated threshold is not asked: the answer keeps the older design (the model's own "NOT FOUND").

When a quote stands, the same model phrases one short answer from it; its prompt starts as the question's
check did, so llama.cpp reads only the new instruction.
"""

from __future__ import annotations

from assistant.jobs import CancelToken
from assistant.llm.engine import LlmEngine, Message
from assistant.models.choice import LARGE_LLM
from resources import prompt

#: The instructions (resources/prompts/<name>.txt).
JUDGE_PROMPT = "library_judge"
PHRASE_PROMPT = "library_phrase"
#: The model's default system message, as its chat template writes it when none is given.
SYSTEM = "You are a helpful assistant."
#: Per model (registry name, the GGUF file's stem): the leaning (log-odds of "yes" against "no") from which a
#: quote is taken as answering its question. Swept first on 84 questions of benchmarks/ask.py (README): 0.5 and
#: 0.6 both left 2 of 14 unanswerable questions answered, 0.5 kept 3 more right answers (33 against 30 of 70).
#: Swept again on all 126 with today's quotes (2026-12-04): 0.6 against 0.5 shows 12 wrong answers instead of
#: 18 (two unanswerable questions refused, four wrong stands read the excerpts and found nothing) for one right
#: answer fewer (80 -> 79 of 106); 0.7 loses two more right answers for one more honest refusal.
THRESHOLDS: dict[str, float] = {LARGE_LLM: 0.6}
#: A quote is cut to this many characters for the check (a run-on table row can be long).
QUOTE_CHARS = 700


def threshold_for(engine: LlmEngine) -> float | None:
    """The calibrated leaning for ``engine``'s model, None when it has none (then it is not asked)."""
    return THRESHOLDS.get(engine.model_path.stem)


def _messages(template: str, question: str, sentence: str) -> list[Message]:
    text = prompt(template).format(sentence=" ".join(sentence.split())[:QUOTE_CHARS], question=question.strip())
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]


def judge_messages(question: str, sentence: str) -> list[Message]:
    return _messages(JUDGE_PROMPT, question, sentence)


def phrase_messages(question: str, sentence: str) -> list[Message]:
    return _messages(PHRASE_PROMPT, question, sentence)


def leaning(engine: LlmEngine, question: str, sentence: str, *, cancel: CancelToken | None = None) -> float:
    """How strongly ``engine`` says that ``sentence`` answers ``question`` (log-odds of yes against no)."""
    return engine.leaning(judge_messages(question, sentence), ("yes",), ("no",), cancel=cancel)
