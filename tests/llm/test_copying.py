"""The copy brake: a reply may quote a few words of its source in a row, not carry a copy on."""

from __future__ import annotations

import numpy as np

from assistant.llm.copying import CopyBrake
from assistant.llm.sampling import sampling_for
from assistant.trust.echo import copied_share


class _WordModel:
    """One token per word, as the brake sees a model: tokenize, detokenize."""

    def __init__(self, words: list[str]) -> None:
        self.ids = {w: i for i, w in enumerate(dict.fromkeys(words))}

    def tokenize(self, text: bytes, add_bos: bool = False, special: bool = False) -> list[int]:
        # A word of the vocabulary is one token (so is a beginning such as "se" when it is one); any other
        # spelling takes two.
        tokens: list[int] = []
        for word in text.decode().split():
            tokens += [self.ids[word.lower()]] if word.lower() in self.ids else [0, 0]
        return tokens

    def detokenize(self, tokens: list[int]) -> bytes:
        names = {i: w for w, i in self.ids.items()}
        return " ".join(names[t] for t in tokens).encode()


def test_only_the_word_that_would_carry_a_copy_on_loses_logits() -> None:
    source = "the pump needs seal kit 77 before the next inspection"
    model = _WordModel(source.split() + ["a", "new", "ordered", "se"])
    prompt = model.tokenize(b"answer from the passages")
    brake = CopyBrake(model, source, start=len(prompt), run=3, penalty=5.0)  # type: ignore[arg-type]
    scores = np.zeros(len(model.ids), dtype=np.float32)
    # Three words of the source in a row: the fourth ("seal") is braked, nothing else.
    braked = brake(prompt + model.tokenize(b"pump needs"), scores.copy())
    assert not braked.any()  # two words: a name or a figure may be quoted
    braked = brake(prompt + model.tokenize(b"the pump needs"), scores.copy())
    assert braked[model.ids["seal"]] == -5.0 and braked[model.ids["se"]] == -5.0  # however it begins
    assert np.count_nonzero(braked) == 2
    # A figure, a date or a code goes on as copied, and so does the word that leads to one ("kit" 77).
    assert not brake(prompt + model.tokenize(b"needs seal kit"), scores.copy()).any()
    assert not brake(prompt + model.tokenize(b"pump needs seal"), scores.copy()).any()
    # Its own words in between: the copy starts again from nothing.
    assert not brake(prompt + model.tokenize(b"the pump a needs"), scores.copy()).any()


def test_a_reply_braked_from_copying_its_passages_says_them_in_other_words_and_keeps_the_date(
        default_session) -> None:
    engine = default_session.engine()
    passages = ("The contractor shall install and maintain forty parking ticket machines in the town centre before "
                "the end of the financial year, at a cost of 3,148,800 dollars. The council approved the contract "
                "unanimously on 13 May 2013.")
    messages = [{"role": "user", "content": f'Passages from the document "Notice 12":\n\n{passages}\n\n---\nUsing '
                 "only these passages, answer in one or two short sentences of your own: What does it report, "
                 "decide or require?"}]
    sampling = sampling_for("summary-answer")
    copied = "".join(engine.stream_chat(messages, sampling))
    braked = "".join(engine.stream_chat(messages, sampling, own_words=passages))
    assert copied_share(copied, passages) > 0.75, copied  # the 0.5B model copies the passages
    assert copied_share(braked, passages) < copied_share(copied, passages) - 0.15, braked
    assert "13 May 2013" in braked  # the word that leads to a date is not braked, nor the date
