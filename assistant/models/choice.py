"""Which bundled language model serves by default on this machine: the rule, from a short measured
calibration (the small model's prompt and generation speed, and the free RAM), never from a guess.

The 1.5B model keeps more of a document's facts than the 0.5B, at about half its speed (idle, same threads). It
becomes the default only where its predicted time for a 1-2 page summary stays within the target and its memory
fits.
The figures below come from ``benchmarks/model_choice.py`` (both models, the same thread count, one run);
re-measure them there when the summary pipeline changes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from assistant.models.bundled import DEFAULT_LLM, QWEN_15B
from assistant.models.fit import RAM_SHARE

LARGE_LLM = QWEN_15B.name
#: The target for a 1-2 page summary once the model is loaded (issue 13's Targets).
SUMMARY_TARGET_S = 25.0
#: The work of a 1-2 page summary by today's pipeline (one short request per question; benchmarks/model_choice.py
#: on a real page of 800 words, shared/corpus/real/issue11913.pdf, 2 threads, idle): 5 requests, 1,221 prompt
#: tokens of which 782 read (the rest the engine still held from the request before), and 274 written by the
#: 1.5B model (the 0.5B writes 244). The rule is about the 1.5B, so its work is the one counted.
SUMMARY_PROMPT_TOKENS = 782
SUMMARY_GENERATED_TOKENS = 274
#: What a summary takes beyond its tokens (the guard, the checks and the language identifier between requests):
#: measured 12.2 s against 10.8 s of tokens with the 0.5B model, 26.4 s against 24.8 s with the 1.5B.
SUMMARY_OVERHEAD_S = 1.5
#: The 1.5B model's speed as a share of the 0.5B's, same machine and thread count (benchmarks/model_choice.py,
#: 2 threads on the idle 2-core machine, medians of 3 alternating calibration pairs: 0.46 and 0.46, another
#: run 0.47 and 0.48; at 1 thread on a machine loaded by other jobs 0.36 and 0.36: a busy machine undervalues
#: the larger model, and a person's laptop runs one summary at a time, so the idle figures are used).
LARGE_PROMPT_SPEED_RATIO = 0.46
LARGE_GENERATION_SPEED_RATIO = 0.46
#: A library answer once the models are loaded (issue 14's Targets), and its work with the 1.5B model, which
#: checks the quote and phrases the answer (assistant/library/verdict.py): the check reads ~130 prompt tokens
#: (one quote; a second one when the first does not stand), the phrasing ~40 more and writes ~25.
ANSWER_TARGET_S = 10.0
ANSWER_PROMPT_TOKENS = 170
ANSWER_GENERATED_TOKENS = 25
#: ... and the 0.5B's, which cannot check a quote and reads the excerpts around it instead: on the shared questions
#: (benchmarks/ask.py --sets shared, 2 threads, 2026-12-05, a 2-core AMD EPYC whose calibration measured 32 prompt
#: and 14 generated tokens/s) it read a median of 421 prompt tokens and wrote 4 ("NOT FOUND" often). Where the 0.5B
#: would miss the target as well, the answers go to the 1.5B as long as its answer stays within ``ANSWER_LIMIT_S``:
#: on that machine the 1.5B answered 12 of the first 21 shared questions right against the 0.5B's 4 (empty 0
#: against 3; over all 24 answerable shared questions the 0.5B got 7 and refused 11 at the gate), in 36 s against
#: 17 s (medians, both beyond the target), the cited quote on screen in 0.2 s with either (README).
SMALL_ANSWER_PROMPT_TOKENS = 420
SMALL_ANSWER_GENERATED_TOKENS = 4
ANSWER_LIMIT_S = 2 * ANSWER_TARGET_S
#: The context the larger model is loaded with when it is chosen (its RAM estimate is made at this size).
LARGE_CONTEXT = 4096


@dataclass(frozen=True)
class Speed:
    """What the calibration measured with the small model."""

    model: str
    threads: int
    prompt_tps: float  # prompt tokens read per second
    generation_tps: float  # tokens generated per second


@dataclass(frozen=True)
class Calibration:
    """The measured figures, the choice made from them and why; stored in the data folder's settings."""

    speed: Speed
    free_ram: int  # bytes free when measured
    large_ram: int | None  # what the 1.5B model needs at LARGE_CONTEXT (None: not known)
    large_installed: bool
    predicted_small_s: float  # a 1-2 page summary with the small model, predicted from the figures
    predicted_large_s: float  # the same with the 1.5B model
    choice: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Calibration | None:
        """The stored calibration's measured figures with the choice made again by today's rule, or None when there
        is none or it cannot be read (it is then measured again)."""
        if not isinstance(data, dict):
            return None
        try:
            fields = dict(data)
            fields["speed"] = Speed(**fields["speed"])
            stored = cls(**fields)
        except (KeyError, TypeError):
            return None
        # The measured figures are kept; the choice is made again from them by today's rule, so a rule re-measured
        # after the summary pipeline changed applies to data folders calibrated before.
        return choose_default(stored.speed, stored.free_ram, large_installed=stored.large_installed,
                              large_ram=stored.large_ram)


def predicted_summary_s(prompt_tps: float, generation_tps: float) -> float:
    """Seconds for a 1-2 page summary at these speeds (after the model is loaded)."""
    return SUMMARY_PROMPT_TOKENS / prompt_tps + SUMMARY_GENERATED_TOKENS / generation_tps + SUMMARY_OVERHEAD_S


def choose_default(speed: Speed, free_ram: int, *, large_installed: bool, large_ram: int | None) -> Calibration:
    """The rule: the 1.5B model when it is installed, its memory fits the free RAM (with the same margin as
    every other model's fit) and its predicted 1-2 page summary time is within the target; else the 0.5B."""
    small_s = predicted_summary_s(speed.prompt_tps, speed.generation_tps)
    large_s = predicted_summary_s(
        speed.prompt_tps * LARGE_PROMPT_SPEED_RATIO, speed.generation_tps * LARGE_GENERATION_SPEED_RATIO
    )
    target = f"the {SUMMARY_TARGET_S:.0f} s target for a 1-2 page summary"
    if not large_installed:
        choice, reason = DEFAULT_LLM, "the 1.5B model is not installed (add it with `make models-large`)"
    elif large_ram is None:
        choice, reason = DEFAULT_LLM, "the 1.5B model's memory need could not be read"
    elif large_ram > free_ram * RAM_SHARE:
        choice, reason = DEFAULT_LLM, (
            f"the 1.5B model needs about {large_ram / 2**30:.1f} GiB and only {free_ram / 2**30:.1f} GiB was free"
        )
    elif large_s > SUMMARY_TARGET_S:
        choice, reason = DEFAULT_LLM, f"the 1.5B model would take about {large_s:.0f} s, beyond {target}"
    else:
        choice, reason = LARGE_LLM, f"the 1.5B model would take about {large_s:.0f} s, within {target}"
    return Calibration(speed, free_ram, large_ram, large_installed, small_s, large_s, choice, reason)


def predicted_answer_s(calibration: Calibration) -> float:
    """Seconds for a library answer checked and phrased by the 1.5B model at the calibrated speeds."""
    speed = calibration.speed
    return (ANSWER_PROMPT_TOKENS / (speed.prompt_tps * LARGE_PROMPT_SPEED_RATIO)
            + ANSWER_GENERATED_TOKENS / (speed.generation_tps * LARGE_GENERATION_SPEED_RATIO))


def predicted_small_answer_s(calibration: Calibration) -> float:
    """Seconds for a library answer by the 0.5B model (it reads the excerpts) at the calibrated speeds."""
    speed = calibration.speed
    return SMALL_ANSWER_PROMPT_TOKENS / speed.prompt_tps + SMALL_ANSWER_GENERATED_TOKENS / speed.generation_tps


def answers_choice(calibration: Calibration) -> tuple[str, str]:
    """The model for library answers and why: the 1.5B model, which can tell a quote that answers from one that
    does not (the 0.5B cannot), when it is installed, fits the free RAM and its predicted answer is within the
    target, or within ``ANSWER_LIMIT_S`` where the 0.5B's would miss the target too; else the model that writes
    summaries (the calibration's ``choice``)."""
    seconds = predicted_answer_s(calibration)
    target = f"the {ANSWER_TARGET_S:.0f} s target for an answer"
    if not calibration.large_installed:
        return calibration.choice, "the 1.5B model is not installed"
    if calibration.large_ram is None or calibration.large_ram > calibration.free_ram * RAM_SHARE:
        return calibration.choice, "the 1.5B model does not fit the free RAM"
    if seconds <= ANSWER_TARGET_S:
        return LARGE_LLM, f"the 1.5B model would take about {seconds:.0f} s, within {target}"
    small = predicted_small_answer_s(calibration)
    if small > ANSWER_TARGET_S and seconds <= ANSWER_LIMIT_S:
        return LARGE_LLM, (f"the 0.5B model would take about {small:.0f} s too, beyond {target}, and the 1.5B, at "
                           f"about {seconds:.0f} s, answers right more often")
    return calibration.choice, f"the 1.5B model would take about {seconds:.0f} s, beyond {target}"


def describe(calibration: Calibration) -> list[str]:
    """The calibration in a few lines for a person (`edgewise doctor`, `edgewise models calibrate`, the window)."""
    speed = calibration.speed
    large_ram = f"{calibration.large_ram / 2**30:.1f} GiB" if calibration.large_ram else "unknown"
    return [
        f"measured with {speed.model} on {speed.threads} thread(s): prompt {speed.prompt_tps:.0f} tokens/s, "
        f"generation {speed.generation_tps:.1f} tokens/s; {calibration.free_ram / 2**30:.1f} GiB RAM free "
        f"(the 1.5B model needs {large_ram})",
        f"predicted 1-2 page summary: {calibration.predicted_small_s:.0f} s with the 0.5B model, "
        f"{calibration.predicted_large_s:.0f} s with the 1.5B (target {SUMMARY_TARGET_S:.0f} s)",
        f"default: {calibration.choice}, because {calibration.reason}",
        "library answers: {}, because {}".format(*answers_choice(calibration)),
    ]
