"""The LLM engine: one llama.cpp model, loaded on first use and reused, streaming with prompt-aware cancel.

A 2,000-token prompt takes ~20 s on two cores. The engine feeds the prompt itself, one full batch at a time
(reporting progress between batches), with llama.cpp's abort callback watching the cancel token inside each
batch; then llama-cpp-python's prefix matching skips what is already in the KV cache and generation starts
from there. A cancel thus lands within one step of the compute graph (milliseconds) or one token. Small
slices would do the same without the callback but cost batch efficiency: 32-token slices made the 117-page
prompt 14 % slower than one llama.cpp evaluation of it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import EdgewiseError, ModelLoadError
from assistant.jobs import Cancelled, CancelToken, ProgressCallback, no_progress
from assistant.llm.sampling import Sampling
from assistant.machine import busy_cores, physical_cores
from assistant.models.fit import threads_beside
from assistant.models.memory import MemoryBudget, Usage, free_unless_busy

if TYPE_CHECKING:  # the import itself costs ~0.3 s and loads the shared library
    from llama_cpp import Llama

log = logging.getLogger(__name__)

Message = dict[str, str]

#: Prompt tokens evaluated per llama.cpp call (its batch size), with a progress report between calls.
EVAL_SLICE = 512


class ContextOverflowError(EdgewiseError):
    """A prompt that cannot fit the model's context window (callers should have split it)."""


class LlmEngine:
    """A GGUF model behind a lock; every public method is safe to call from a worker thread."""

    def __init__(
        self,
        model_path: Path,
        *,
        name: str | None = None,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        seed: int = 7,
        eval_slice: int = EVAL_SLICE,
        n_gpu_layers: int = 0,
        memory_estimate: int | None = None,
    ) -> None:
        """``memory_estimate``: bytes it takes once loaded (GgufInfo.estimated_ram), for the memory budget.
        ``n_threads``: a fixed count; None: one per physical core, fewer for a request that starts while
        other programs keep cores busy (``threads_beside``)."""
        self.model_path = Path(model_path)
        self.name = name or self.model_path.stem
        self.n_ctx = n_ctx
        self.n_threads = n_threads or physical_cores()
        self.fixed_threads = n_threads is not None
        self.seed = seed
        self.eval_slice = eval_slice
        self.n_gpu_layers = n_gpu_layers
        self._llm: Llama | None = None
        self._formatter: Any = None
        self._lock = threading.RLock()
        self._loads = 0
        self._memory_estimate = memory_estimate
        #: held by a job for as long as it needs the model (``with engine.usage:``): never unloaded meanwhile
        self.usage = Usage()
        self.budget: MemoryBudget | None = None  # set when a workspace's budget counts this engine
        #: The last request's prompt tokens, how many of them were reused from the kept prompt (not read
        #: again), and the reply tokens generated: what decides how long a request takes.
        self.last_prompt_tokens = 0
        self.last_prompt_reused = 0
        self.last_reply_tokens = 0

    # -- memory -----------------------------------------------------------------------------
    @property
    def memory_label(self) -> str:
        return f"language model: {self.name}"

    @property
    def memory_estimate(self) -> int:
        if self._memory_estimate is not None:
            return self._memory_estimate
        try:
            return int(self.model_path.stat().st_size * 1.2)  # the weights, and about a context's worth more
        except OSError:
            return 0

    def unload_if_idle(self, now: float, idle_seconds: float) -> bool:
        """Free the model if nobody has used it for ``idle_seconds``; the next job loads it again."""
        return self.usage.unload_if_idle(now, idle_seconds, self._unload_unless_busy)

    def _unload_unless_busy(self) -> bool:
        return free_unless_busy(self._lock, self._llm is not None, self.close)

    # -- loading ----------------------------------------------------------------------------
    @property
    def is_loaded(self) -> bool:
        return self._llm is not None

    @property
    def load_count(self) -> int:
        """How many times the model file was loaded: one however many requests it answered, unless closed."""
        return self._loads

    def load(self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> None:
        """Load the model unless it is loaded. llama.cpp cannot stop a load half-way, so a cancel is honoured
        before it starts and as soon as it ends (the model stays loaded for the next job)."""
        with self._lock:
            self.usage.touch()
            if self._llm is not None:
                return
            if cancel is not None:
                cancel.raise_if_cancelled()
            if self.budget is not None:
                self.budget.make_room(self)
            (progress or no_progress)(0, 0, f"Loading model {self.name} …")
            if not self.model_path.is_file():
                raise ModelLoadError(f"The model file {self.model_path} does not exist.")
            try:
                from llama_cpp import Llama
                from llama_cpp.llama_chat_format import Jinja2ChatFormatter

                llm = Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    n_threads_batch=self.n_threads,
                    n_batch=max(self.eval_slice, 512),
                    seed=self.seed,
                    n_gpu_layers=self.n_gpu_layers,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise ModelLoadError(
                    f"The model {self.name} could not be loaded: {exc}. The file may be damaged or of an "
                    "architecture this version of llama.cpp does not know."
                ) from exc
            template = llm.metadata.get("tokenizer.chat_template")
            if not template:
                raise ModelLoadError(f"The model {self.name} has no chat template; use an instruct model.")
            eos = llm.detokenize([llm.token_eos()], special=True).decode("utf-8", errors="ignore")
            bos = llm.detokenize([llm.token_bos()], special=True).decode("utf-8", errors="ignore")
            self._formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
            self._llm = llm
            self._loads += 1
            log.info("loaded %s (n_ctx=%d, threads=%d)", self.model_path, self.n_ctx, self.n_threads)
        if cancel is not None:
            cancel.raise_if_cancelled()

    def close(self) -> None:
        """Free the model's memory; the next call loads it again."""
        with self._lock:
            if self._llm is not None:
                self._llm.close()
            self._llm = None
            self._formatter = None

    def _model(self) -> Llama:
        self.load()
        assert self._llm is not None
        return self._llm

    # -- tokens -----------------------------------------------------------------------------
    def tokenize(self, text: str) -> list[int]:
        """``text`` as plain tokens (no template, no BOS)."""
        if not text:
            return []
        with self.usage:
            return self._model().tokenize(text.encode("utf-8"), add_bos=False, special=False)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    @contextmanager
    def raw_decoder(self) -> Iterator[Callable[[Sequence[int]], None]]:
        """llama.cpp's decode on an emptied context, for the speed calibration; the context is emptied again
        afterwards, so no later prompt reuses what it read."""
        with self._lock, self.usage:
            llm = self._model()
            llm.reset()
            self._use_threads(llm, self.n_threads)  # measured at full strength, whatever the last request used
            try:
                yield llm.eval
            finally:
                llm.reset()

    def prompt_tokens(self, messages: Sequence[Message]) -> list[int]:
        """The chat prompt, formatted with the template stored in the model, as tokens."""
        with self.usage:
            llm = self._model()
            formatted = self._formatter(messages=list(messages))
            # The template writes BOS itself where the model wants one.
            return llm.tokenize(formatted.prompt.encode("utf-8"), add_bos=False, special=True)

    def fits(self, messages: Sequence[Message], max_tokens: int) -> bool:
        return len(self.prompt_tokens(messages)) + max_tokens <= self.n_ctx

    def detokenize(self, tokens: Sequence[int]) -> str:
        """The text of ``tokens`` with the template's special tokens spelled out: what the model is shown."""
        return self._model().detokenize(list(tokens), special=True).decode("utf-8", errors="replace")

    # -- the prompt kept from the last request -----------------------------------------------
    @property
    def cached_prompt_tokens(self) -> int:
        """How many tokens of the last prompt the model holds; a next prompt that starts with them is read
        from there on. 0 before the model is loaded."""
        with self._lock:
            return self._llm.n_tokens if self._llm is not None else 0

    def forget_prompt(self) -> None:
        """Drop the kept prompt, so the next request reads its prompt whole."""
        with self._lock:
            if self._llm is not None:
                self._llm.reset()

    # -- generation -------------------------------------------------------------------------
    def stream_chat(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
        discourage: Iterable[str] = (),
        own_words: str = "",
    ) -> Iterator[str]:
        """Yield the reply's text as it is generated; raise Cancelled if the token is set.

        ``discourage`` names words the reply should not start (a translation's source words); each loses
        ``sampling.copy_penalty`` logits, so the model takes them only when it is sure of them. ``own_words``:
        a text the reply should not copy more than a few words of in a row (``copying.CopyBrake``).
        """
        with self._lock, self.usage:
            llm = self._model()
            tokens = self._read_prompt(llm, messages, 16, cancel, progress)
            brake = None
            if own_words:
                from llama_cpp import LogitsProcessorList

                from assistant.llm.copying import CopyBrake

                brake = LogitsProcessorList([CopyBrake(llm, own_words, len(tokens))])
            stream = llm.create_completion(
                tokens,
                max_tokens=min(max_tokens or sampling.max_tokens, self.n_ctx - len(tokens)),
                temperature=sampling.temperature,
                top_p=sampling.top_p,
                top_k=sampling.top_k,
                repeat_penalty=sampling.repeat_penalty,
                logit_bias=_bias_against(llm, discourage, sampling.copy_penalty) or None,
                logits_processor=brake,
                seed=self.seed,
                stream=True,
            )
            try:
                for chunk in stream:
                    self.last_reply_tokens += 1  # one chunk per token (a part of a character comes as "")
                    if cancel is not None and cancel.cancelled:
                        raise Cancelled()
                    text = chunk["choices"][0]["text"]  # type: ignore[index]
                    if text:
                        yield text
            finally:
                stream.close()  # type: ignore[union-attr]

    def leaning(
        self,
        messages: Sequence[Message],
        first: Sequence[str],
        second: Sequence[str],
        *,
        cancel: CancelToken | None = None,
    ) -> float:
        """How strongly the model's reply would start with one of the words ``first`` rather than one of
        ``second`` (e.g. "yes" against "no"): log P(first) - log P(second) of the reply's first token, read
        after the prompt without generating anything. Each word counts lower case and capitalised, and with a
        leading space. The prompt stays cached for a next request that starts with it."""
        import numpy as np

        with self._lock, self.usage:
            llm = self._model()
            tokens = self._read_prompt(llm, messages, 1, cancel, None)
            with _abort_when_cancelled(llm, cancel):
                try:
                    llm.eval(tokens[-1:])
                except RuntimeError:
                    if cancel is not None and cancel.cancelled:
                        llm.n_tokens = len(tokens) - 1
                        raise Cancelled() from None
                    raise
            logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).astype(np.float64)
            top = logits.max()
            log_probs = logits - top - np.log(np.exp(logits - top).sum())
            return _word_mass(llm, first, log_probs) - _word_mass(llm, second, log_probs)

    @property
    def threads_in_use(self) -> int:
        """The threads llama.cpp runs the next evaluation with (n_threads while nothing is loaded)."""
        import llama_cpp

        with self._lock:
            return llama_cpp.llama_n_threads(self._llm.ctx) if self._llm is not None else self.n_threads

    def _use_threads(self, llm: Llama, threads: int) -> None:
        import llama_cpp

        if threads != llama_cpp.llama_n_threads(llm.ctx):
            log.info("%s now runs on %d thread(s) of %d", self.name, threads, self.n_threads)
            llama_cpp.llama_set_n_threads(llm.ctx, threads, threads)

    def complete_chat(self, messages: Sequence[Message], sampling: Sampling, **kwargs: Any) -> str:
        return "".join(self.stream_chat(messages, sampling, **kwargs))

    def _read_prompt(self, llm: Llama, messages: Sequence[Message], room: int, cancel: CancelToken | None,
                     progress: ProgressCallback | None) -> list[int]:
        """The request's prompt as tokens, read up to its last token (reusing the kept prefix) on the threads
        the machine leaves; refused when the context has fewer than ``room`` tokens left after it."""
        tokens = self.prompt_tokens(messages)
        if self.n_ctx - len(tokens) < room:
            raise ContextOverflowError(
                f"The request needs {len(tokens)} tokens but the model's context holds {self.n_ctx}."
            )
        if not self.fixed_threads:
            self._use_threads(llm, threads_beside(busy_cores(), self.n_threads))
        self.last_prompt_tokens, self.last_reply_tokens = len(tokens), 0
        self.last_prompt_reused = self._evaluate_prompt(llm, tokens, cancel, progress)
        return tokens

    def _evaluate_prompt(
        self,
        llm: Llama,
        tokens: list[int],
        cancel: CancelToken | None,
        progress: ProgressCallback | None,
    ) -> int:
        """Evaluate all but the last prompt token in slices, reusing the cached common prefix; returns how many
        tokens were reused."""
        cached = 0
        for have, want in zip(llm._input_ids[: llm.n_tokens], tokens[:-1], strict=False):
            if have != want:
                break
            cached += 1
        llm.n_tokens = cached
        todo = len(tokens) - 1
        position = cached
        with _abort_when_cancelled(llm, cancel):
            while position < todo:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                end = min(todo, position + self.eval_slice)
                try:
                    llm.eval(tokens[position:end])
                except RuntimeError:  # llama_decode returned 2: aborted by the callback
                    if cancel is not None and cancel.cancelled:
                        llm.n_tokens = position  # the part-read batch is dropped; the prefix stays cached
                        raise Cancelled() from None
                    raise
                position = end
                if progress is not None:
                    progress(position, todo, "Reading")
        if cancel is not None:
            cancel.raise_if_cancelled()
        return cached


@contextmanager
def _abort_when_cancelled(llm: Llama, cancel: CancelToken | None) -> Iterator[None]:
    """llama.cpp asks this callback between the steps of its compute graph whether to stop. It is set only
    while a prompt is read: asked for every step of every generated token, it would slow generation."""
    if cancel is None:
        yield
        return
    import llama_cpp

    callback = llama_cpp.ggml_abort_callback(lambda _data: cancel.cancelled)
    llama_cpp.llama_set_abort_callback(llm._ctx.ctx, callback, None)
    try:
        yield
    finally:
        llama_cpp.llama_set_abort_callback(llm._ctx.ctx, llama_cpp.ggml_abort_callback(), None)


def _bias_against(llm: Llama, words: Iterable[str], penalty: float) -> dict[int, float]:
    """A logit bias of ``-penalty`` on the first token of each word, lower case and capitalised, after a space
    and not. A first token of fewer than four characters that is only the start of a longer word is left
    alone: it begins too many other words."""
    bias: dict[int, float] = {}
    if not penalty:
        return bias
    for tokens in _spellings(llm, words):
        first = llm.detokenize(tokens[:1]).decode("utf-8", errors="ignore").strip()
        if len(tokens) == 1 or len(first) >= 4:
            bias[tokens[0]] = -penalty
    return bias


def _spellings(llm: Llama, words: Iterable[str]) -> Iterator[list[int]]:
    """The tokens of each word as a reply may start it: lower case and capitalised, after a space and not."""
    for word in words:
        for form in {word, word.capitalize()}:
            for spelling in (" " + form, form):
                if tokens := llm.tokenize(spelling.encode("utf-8"), add_bos=False, special=False):
                    yield tokens


def _word_mass(llm: Llama, words: Iterable[str], log_probs: Any) -> float:
    """log of the probability that the next token is the first token of one of ``words`` (as written,
    capitalised, with a leading space or not)."""
    import numpy as np

    ids = {tokens[0] for tokens in _spellings(llm, words)}
    return float(np.logaddexp.reduce([log_probs[i] for i in sorted(ids)])) if ids else float("-inf")
