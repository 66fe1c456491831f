"""A language model stand-in for the summary's mechanics: what each request was given, nothing learned."""

from __future__ import annotations

from assistant.models.memory import Usage


class FakeEngine:
    """Loads instantly, counts tokens roughly, and holds ``usage`` as the real engines do; a subclass writes
    ``stream_chat``."""

    n_ctx = 4096

    def __init__(self) -> None:
        self.usage = Usage()  # what a job holds while it needs the engine

    def load(self, progress=None, cancel=None) -> None:
        pass

    def count_tokens(self, text: str) -> int:
        return len(text.split()) * 4 // 3 + 1


def passages_of(prompt: str) -> str:
    """The document text a summary prompt carries (between its heading line and the closing "---")."""
    return prompt.partition("\n\n")[2].rpartition("\n\n---\n")[0]


class DrivenClock:
    """The restating time's clock (``questions.clock``), moved on by the requests that take time: a test's controlled
    trigger in place of a machine's speed."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now
