"""What decides a summary's time on a given machine: its requests, the prompt tokens llama.cpp reads (those
it still holds from the previous request are not read again) and the reply tokens it writes. A spy on the
engine counts them, and ``estimate`` turns them into seconds with the rates measured on this 2-core machine
idle, so a change can be judged while other jobs load the machine and wall-clock times mean little.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: Tokens per second of the default model on this 2-core machine idle, 2 threads (``edgewise models
#: calibrate``, README "Measured"): prompt evaluation and generation.
IDLE_PROMPT_RATE = 97.0
IDLE_REPLY_RATE = 30.2


@dataclass(frozen=True)
class Request:
    prompt: int  # tokens of the whole prompt
    reused: int  # of which llama.cpp still held the first ones from the previous request
    reply: int  # tokens written
    text: str = ""  # what was written

    @property
    def read(self) -> int:
        return self.prompt - self.reused


@dataclass
class RequestCost:
    requests: list[Request] = field(default_factory=list)

    @property
    def prompt(self) -> int:
        return sum(r.prompt for r in self.requests)

    @property
    def read(self) -> int:
        return sum(r.read for r in self.requests)

    @property
    def reply(self) -> int:
        return sum(r.reply for r in self.requests)

    @property
    def answers(self) -> list[str]:
        return [r.text.strip() for r in self.requests if r.text.strip()]

    def estimate(self) -> float:
        """Seconds the requests take on this machine idle (the model loaded; nothing else counted)."""
        return self.read / IDLE_PROMPT_RATE + self.reply / IDLE_REPLY_RATE

    def line(self) -> str:
        replies = ", ".join(str(r.reply) for r in self.requests)
        return (f"{len(self.requests)} requests, {self.prompt} prompt tokens ({self.prompt - self.read} reused), "
                f"{self.reply} reply tokens ({replies}): ~{self.estimate():.1f} s idle (estimated)")

    def as_dict(self) -> dict[str, object]:
        return {"requests": len(self.requests), "prompt_tokens": self.prompt, "read_tokens": self.read,
                "reply_tokens": self.reply, "replies": [r.reply for r in self.requests],
                "estimated_idle_s": round(self.estimate(), 1)}


@contextmanager
def counting(engine) -> Iterator[RequestCost]:
    """Count every request ``engine.stream_chat`` answers while the block runs (``LlmEngine``'s
    ``last_prompt_tokens``, ``last_prompt_reused``, ``last_reply_tokens`` after each)."""
    cost = RequestCost()
    original = engine.stream_chat

    def spy(messages, sampling, **kwargs):
        written: list[str] = []
        try:
            for delta in original(messages, sampling, **kwargs):
                written.append(delta)
                yield delta
        finally:  # also when the reader stops early (the guard, a repetition); the engine counted the tokens
            cost.requests.append(Request(engine.last_prompt_tokens, engine.last_prompt_reused,
                                         engine.last_reply_tokens, "".join(written)))

    engine.stream_chat = spy
    try:
        yield cost
    finally:
        del engine.stream_chat
