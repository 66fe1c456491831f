"""Controlled triggers for cancel tests: they fire at the same point of a job on any machine, however fast
its CPU or busy its cores, where a sleep before a cancel would land at a different point on each."""

from __future__ import annotations

from assistant.jobs import CancelToken


class CancelOnPoll(CancelToken):
    """Cancels itself the ``after``-th time a job asks whether it is cancelled (through ``cancelled``): the
    LLM engine's abort callback asks between the steps of llama.cpp's compute graph, so a small ``after``
    lands inside the first batch of a prompt. ``polls_after_firing`` counts the questions asked after it
    fired: how far the job went before it noticed."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after
        self.polls = 0
        self.fired = False
        self.polls_after_firing = 0

    @property
    def cancelled(self) -> bool:
        self.polls += 1
        if self.fired:
            self.polls_after_firing += 1
        elif self.polls >= self.after:
            self.fired = True
            self.cancel()
        return super().cancelled
