"""py3langid's model, held like an engine's: loaded on first use, counted in the memory budget, and given back
when idle (assistant/models/memory.py). Its tables (float16 weights for 100,000 features, a byte automaton of
10 million transitions and Python lists around them) stay resident at ~80 MB once loaded: after an idle unload
of the engines, the largest part of what a summary left in the window's process (measured with
benchmarks/idle_memory.py). Loading it again takes a second or two, next to the language model's reload.
"""

from __future__ import annotations

import threading
from typing import Any

from assistant.models.memory import MemoryBudget, Usage, free_unless_busy

#: Resident memory of the model once it has classified a text (measured: 75-90 MB).
MEMORY_ESTIMATE = 85 * 2**20


class LanguageIdentifier:
    """The one py3langid model of this process; ``classify`` from any thread."""

    memory_label = "language identification: py3langid"
    memory_estimate = MEMORY_ESTIMATE

    def __init__(self) -> None:
        self.usage = Usage()
        self.budget: MemoryBudget | None = None  # set when a workspace's budget counts this model
        self._model: Any = None
        self._lock = threading.Lock()  # held while classifying or loading: never freed meanwhile

    @property
    def is_loaded(self) -> bool:
        return self._model is not None

    def classify(self, text: str) -> str:
        """py3langid's code for the language of ``text`` (ISO 639-1 or 639-3, "zxx" for none)."""
        with self.usage, self._lock:
            code, _score = self._loaded().classify(text)
        return str(code)

    def ranked(self, text: str) -> list[str]:
        """py3langid's codes, the likeliest language of ``text`` first."""
        with self.usage, self._lock:
            return [str(code) for code, _score in self._loaded().rank(text)]

    def _loaded(self) -> Any:
        if self._model is None:
            if self.budget is not None:
                self.budget.make_room(self)
            from py3langid.langid import MODEL_FILE
            from py3langid.langid import LanguageIdentifier as Model

            self._model = Model.from_model_file(MODEL_FILE)  # what py3langid.classify loads for itself
        return self._model

    def unload_if_idle(self, now: float, idle_seconds: float) -> bool:
        """Free the model if nobody has used it for ``idle_seconds``; the next ``classify`` loads it again."""
        return self.usage.unload_if_idle(now, idle_seconds, self._unload_unless_busy)

    def _unload_unless_busy(self) -> bool:
        return free_unless_busy(self._lock, self._model is not None, self._free)

    def _free(self) -> None:
        self._model = None


#: Shared by every workspace of the process, as the model would be otherwise.
LANGUAGE_IDENTIFIER = LanguageIdentifier()
