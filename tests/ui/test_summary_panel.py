"""The summary panel: key points before the first token, Fast/Thorough remembered, invented figures highlighted
with a tooltip (with a scripted session for the mechanics, and with the real small model)."""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.documents import document_from_text
from assistant.figures import check_text
from ui.summary_panel import UNSUPPORTED_TOOLTIP, SummaryPanel, unsupported_spans

PROJECT = Path(__file__).resolve().parents[2]
REPORT = PROJECT / "benchmarks" / "data" / "documents" / "inspection-report.txt"

SOURCE = (
    "The load limit for the bridge deck is 12 t until the repairs are complete. "
    "Bearing B-1127 of the bridge must be replaced before 2026-03-01. "
    "The east abutment of the bridge shows a crack 2.5 mm wide at gridline C4. "
    "The inspection of the bridge was done by the team in the morning."
)


class ScriptedSession:
    """Streams a fixed summary, waiting for a go signal so the test can look before the first token."""

    def __init__(self, summary: str) -> None:
        self.summary = summary
        self.go = threading.Event()
        self.calls: list[dict] = []

    def summarize(self, document, length="brief", *, progress=None, cancel=None, thorough=False, report=None):
        self.calls.append({"length": length, "thorough": thorough})
        self.go.wait(10)
        if report is not None:
            report.mode = "single pass"
        yield from self.summary.split(" ")[:1]
        for word in self.summary.split(" ")[1:]:
            yield " " + word
        yield "\n\n" + report.footer()


def test_key_points_appear_before_the_first_token_and_the_invented_figure_is_highlighted(qtbot, ui_settings) -> None:
    session = ScriptedSession("The deck is limited to 12 t and part PN-4417-B must be replaced by 2026-03-01.")
    panel = SummaryPanel(session, ui_settings)
    qtbot.addWidget(panel)
    panel.show_document(document_from_text(SOURCE, name="report.txt"))
    qtbot.waitUntil(lambda: panel.key_points.count() > 0, timeout=5000)
    assert panel.summary.toPlainText() == ""  # the model has not said a word yet
    assert any("12 t" in panel.key_points.item(i).text() for i in range(panel.key_points.count()))
    with qtbot.waitSignal(panel.figures_checked, timeout=10000) as checked:
        session.go.set()
    assert checked.args == [1]
    assert unsupported_spans(panel.summary) == [("PN-4417-B", UNSUPPORTED_TOOLTIP)]
    assert "PN-4417-B" in panel.status.text()
    assert panel.summary.toPlainText().endswith("read in one pass.]")


def test_the_fast_or_thorough_choice_is_passed_on_and_remembered(qtbot, ui_settings) -> None:
    session = ScriptedSession("Limit 12 t.")
    session.go.set()
    panel = SummaryPanel(session, ui_settings)
    qtbot.addWidget(panel)
    assert panel.fast.isChecked()
    panel.thorough.setChecked(True)
    with qtbot.waitSignal(panel.summary_finished, timeout=10000) as finished:
        panel.show_document(document_from_text(SOURCE))
    assert session.calls[-1]["thorough"] is True
    assert finished.args == ["Limit 12 t."]
    assert unsupported_spans(panel.summary) == []
    again = SummaryPanel(session, ui_settings)
    qtbot.addWidget(again)
    assert again.thorough.isChecked()


def test_real_model_summary_has_its_invented_figure_highlighted(qtbot, ui_settings, fast_session) -> None:
    # With the report's reference line on top, SmolLM2-135M invents dates and report numbers.
    document = document_from_text("Reference NB-2026-017 (confidential).\n\n" + REPORT.read_text(encoding="utf-8"),
                                  name="inspection-report.txt")
    panel = SummaryPanel(fast_session, ui_settings)
    qtbot.addWidget(panel)
    first_token_at_key_points: list[int] = []
    panel.key_points_shown.connect(lambda _n: first_token_at_key_points.append(len(panel.summary.toPlainText())))
    with qtbot.waitSignal(panel.summary_finished, timeout=600_000) as finished:
        panel.show_document(document)
    assert first_token_at_key_points == [0]  # key points were on screen before the summary's first token
    flagged = check_text(finished.args[0], document.text)
    assert flagged, f"expected the small model to invent a figure in: {finished.args[0]}"
    assert unsupported_spans(panel.summary) == [(u.figure.text, UNSUPPORTED_TOOLTIP) for u in flagged]
    panel.shutdown()
