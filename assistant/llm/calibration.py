"""The first-use calibration: a few seconds with the small model on a fixed text measure how fast this machine
reads a prompt and generates tokens; with the free RAM, ``assistant.models.choice`` picks the default model.

Generation is measured as llama.cpp decoding one token at a time (what each generated token costs, without
sampling, so it never stops early on an end-of-text token and every machine does the same work).
"""

from __future__ import annotations

import logging
import time

from assistant.errors import ModelNotFoundError
from assistant.jobs import CancelToken, Job, ProgressCallback, no_progress
from assistant.llm.engine import LlmEngine
from assistant.machine import available_ram
from assistant.models.bundled import QWEN_15B
from assistant.models.catalogue import Catalogue
from assistant.models.choice import LARGE_CONTEXT, LARGE_LLM, Calibration, Speed, choose_default

log = logging.getLogger(__name__)

#: A fixed text of ordinary report prose: its first PROMPT_TOKENS tokens are read as one prompt, the next
#: GENERATED_TOKENS are decoded one by one.
CALIBRATION_TEXT = (
    "Inspection report. The site visit took place on a dry morning with the contractor's foreman present. "
    "The north retaining wall shows two vertical cracks, each about three millimetres wide, running from the "
    "coping to the footing; the drainage holes behind them are blocked with silt and roots. The access ramp "
    "meets the gradient required for wheelchairs, but its handrail is loose at the lower landing and one "
    "bracket is missing. In the boiler room the pressure relief valve was last tested two years ago, which is "
    "beyond the interval the maintenance plan sets, and the log book has no entry for the spring service. "
    "Fire doors on the second floor close fully and latch; the one beside the stairwell is wedged open with a "
    "rubber stop, which must be removed. Emergency lighting worked on test in every corridor. The roof "
    "membrane is sound apart from a blister near the east gutter, which should be watched at the next visit. "
    "Asbestos survey records are on site and up to date. Actions: clear the wall drains and monitor the cracks "
    "monthly; fix the handrail and replace the bracket within two weeks; test the relief valve and record it; "
    "remove the door wedge at once; inspect the roof blister again in three months. The owner was given a copy "
    "of this report and agreed to the dates. Next inspection: in six months, or sooner if the cracks widen. "
    "Signed by the inspector and countersigned by the owner's representative on the day of the visit."
)
PROMPT_TOKENS = 192
GENERATED_TOKENS = 32


def measure_speed(
    engine: LlmEngine, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
) -> Job[str, Speed]:
    """Load ``engine`` if needed, read the fixed prompt and decode tokens one at a time; yields what it is doing,
    returns the measured speeds. A few seconds on a laptop; cancel is checked between tokens."""
    progress = progress or no_progress
    yield "Loading the model"
    engine.load(progress=progress, cancel=cancel)
    tokens = engine.tokenize(CALIBRATION_TEXT)
    if len(tokens) < PROMPT_TOKENS + GENERATED_TOKENS:
        raise ValueError("the calibration text is shorter than the tokens it must provide")
    prompt, following = tokens[:PROMPT_TOKENS], tokens[PROMPT_TOKENS : PROMPT_TOKENS + GENERATED_TOKENS]
    total = 1 + GENERATED_TOKENS
    message = "Measuring this computer's speed"
    yield message
    progress(0, total, message)
    if cancel is not None:
        cancel.raise_if_cancelled()
    with engine.raw_decoder() as decode:
        start = time.perf_counter()
        decode(prompt)
        prompt_s = time.perf_counter() - start
        progress(1, total, message)
        start = time.perf_counter()
        for done, token in enumerate(following, start=2):
            if cancel is not None:
                cancel.raise_if_cancelled()
            decode([token])
            progress(done, total, message)
        generation_s = time.perf_counter() - start
    return Speed(engine.name, engine.n_threads, PROMPT_TOKENS / prompt_s, GENERATED_TOKENS / generation_s)


def calibrate(
    engine: LlmEngine,
    catalogue: Catalogue,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Job[str, Calibration]:
    """Measure with ``engine`` (the small default model), read the free RAM, choose the default model by the
    rule and store figures and choice in the data folder's settings; returns the calibration."""
    speed = yield from measure_speed(engine, progress=progress, cancel=cancel)
    free_ram = available_ram()
    try:
        large = catalogue.get(LARGE_LLM, with_info=False)
    except ModelNotFoundError:  # its packages are not installed
        large = None
    large_installed = large is not None and large.usable
    info = catalogue.bundled_info(QWEN_15B) if large_installed else None
    large_ram = info.estimated_ram(LARGE_CONTEXT) if info is not None else None
    result = choose_default(speed, free_ram, large_installed=large_installed, large_ram=large_ram)
    catalogue.settings.store_calibration(result.to_json())
    log.info("calibrated: %s (%s)", result.choice, result.reason)
    return result
