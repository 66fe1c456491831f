"""A generation that starts over is stopped before the repeat; ordinary text passes through unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistant.llm.repetition import stop_at_repetition

SENTENCE = "Runway 09/27 at Mansa airstrip is closed for resurfacing from 10 March 2026 to 24 March 2026."


def deltas(text: str, size: int = 3) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def test_text_without_a_repeat_passes_through_whole() -> None:
    text = SENTENCE + " Fuel is available in drums only; the fuel bowser FB-7 is out of service."
    assert "".join(stop_at_repetition(iter(deltas(text)))) == text


def test_a_restated_sentence_is_cut_before_the_repeat() -> None:
    text = SENTENCE + "\n\nIn summary, " + SENTENCE.lower() + " More text."
    assert "".join(stop_at_repetition(iter(deltas(text)))) == SENTENCE  # no dangling "In summary,"


def test_the_generation_is_closed_when_the_repeat_is_found() -> None:
    produced: list[str] = []
    closed: list[bool] = []

    def generation():
        try:
            for delta in deltas(SENTENCE + " " + SENTENCE + " " + SENTENCE):
                produced.append(delta)
                yield delta
        finally:
            closed.append(True)

    assert "".join(stop_at_repetition(generation())) == SENTENCE
    assert closed == [True]
    assert len("".join(produced)) < 2 * len(SENTENCE) + 1  # stopped during the first repeat


def test_a_short_phrase_said_twice_is_not_a_loop() -> None:
    text = "The pump must be replaced. The valve must be replaced. The bearing must be replaced by June."
    assert "".join(stop_at_repetition(iter(deltas(text)))) == text


@given(st.lists(st.text(alphabet="abc \n.", max_size=12), max_size=30))
def test_the_output_is_always_a_prefix_of_the_input(parts: list[str]) -> None:
    text = "".join(parts)
    out = "".join(stop_at_repetition(iter(parts), window=3))
    assert text.startswith(out.rstrip()) or out == text


def test_the_first_words_are_not_held_back() -> None:
    stream = stop_at_repetition(iter(["Runway ", "09/27 ", "is ", "closed."]))
    assert next(stream) == "Runway "


def test_text_goes_out_a_sentence_at_a_time_after_the_first_words() -> None:
    first = "The notice closes runway 09/27 at Mansa for resurfacing from 10 March. "
    second = "Aircraft up to 5,700 kg may use the grass strip 04/22, which is 850 m long. "
    third = "Pilots of the Cessna 208B must reduce the take-off weight by 400 kg there. "
    chunks = list(stop_at_repetition(iter(deltas(first + second + third + "Fuel is in drums"))))
    assert "".join(chunks) == first + second + third + "Fuel is in drums"
    assert second.strip() in [chunk.strip() for chunk in chunks]  # the second sentence came whole
    assert chunks[-1].endswith(". Fuel is in drums")  # an unfinished sentence waits for the end


def test_a_heading_the_reply_ends_on_is_dropped() -> None:
    body = ("Bulletin MB-88 covers the borehole pump at station 7, which draws 11.4 A against 9.8 A rated. "
            "Replace the impeller kit 96-160-118 before the end of Q3.")
    assert "".join(stop_at_repetition(iter(deltas(body + "\n\n## Findings\n")))) == body
    with_section = body + "\n\n## Findings\n\nThe pressure fell to 3.2 bar."
    assert "".join(stop_at_repetition(iter(deltas(with_section)))) == with_section


def test_a_heading_left_empty_by_a_cut_repeat_is_dropped_too() -> None:
    body = ("Bulletin MB-88 covers the borehole pump at station 7, which draws 11.4 A against 9.8 A rated. "
            "Replace the impeller kit 96-160-118 before the end of Q3.")
    looping = body + "\n\n## Findings\n\nBulletin MB-88 covers the borehole pump at station 7, which draws more."
    assert "".join(stop_at_repetition(iter(deltas(looping)))) == body
