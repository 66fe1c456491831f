"""Questions to the library and their streamed answers, with clickable citations and a side list of
kept conversations (rename, delete, export to Markdown)."""

from __future__ import annotations

import html
import re
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.job_progress import JobProgress
from ui.job_runner import JobRunner
from ui.passage_viewer import PassageViewer
from ui.trust import HIGHLIGHT, HIGHLIGHT_TEXT, OUTCOME_TOOLTIP, UNSUPPORTED_TOOLTIP, mark_tooltips
from ui.window_state import WindowState
from ui.workspace import Workspace

if TYPE_CHECKING:
    from assistant.library.ask import Answer, Citation
    from assistant.trust.checks import Checked

_CONVERSATIONS_WIDTH = 190

_CITATION = re.compile(r"\[(\d{1,2})\]")
STOPPED_NOTE = " … (stopped)"
#: How a figure or an outcome the passages do not back is written into the transcript's HTML, with its reason as
#: the title (``mark_tooltips`` makes it the tooltip).
_MARK = f'<span title="{{}}" style="background-color:{HIGHLIGHT.name()}; color:{HIGHLIGHT_TEXT.name()}">{{}}</span>'


def _answer_html(text: str, citations: dict[int, Any], exchange: int, checked: bool = False) -> str:
    """Escaped text with every [n] that names a passage turned into a link to it; when ``checked`` (the answer
    is complete), figures and outcomes the cited passages do not back are marked, their reason as the tooltip."""
    def linked(part: str) -> str:
        def link(match: re.Match[str]) -> str:
            number = int(match.group(1))
            return f'<a href="cite:{exchange}-{number}">[{number}]</a>' if number in citations else match.group(0)

        return _CITATION.sub(link, html.escape(part))

    flagged = _unsupported(text, tuple(c.text for c in citations.values())) if checked else ()
    pieces, done = [], 0
    for start, end, reason in flagged:
        marked = _MARK.format(html.escape(reason, quote=True), html.escape(text[start:end]))
        pieces += [linked(text[done:start]), marked]
        done = end
    pieces.append(linked(text[done:]))
    return "".join(pieces).replace("\n", "<br>")


@lru_cache(maxsize=128)
def _checked(text: str, passages: tuple[str, ...]) -> Checked:
    """What an answer states that its passages do not back; kept, since the transcript is re-rendered on every
    streamed token with every earlier answer in it, and the status line names the same flags."""
    from assistant.library.ask import checked_answer

    return checked_answer(text, list(passages))


def _unsupported(text: str, passages: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """(start, end, tooltip) of each figure and outcome of an answer its passages do not back, in text order."""
    checked = _checked(text, passages)
    figures = [(u.figure.start, u.figure.end, UNSUPPORTED_TOOLTIP) for u in checked.figures if u.in_output]
    outcomes = [(o.start, o.end, OUTCOME_TOOLTIP.format(reason=o.reason)) for o in checked.outcomes]
    spans: list[tuple[int, int, str]] = []
    for span in sorted(figures + outcomes):
        if not spans or span[0] >= spans[-1][1]:  # an outcome word never overlaps a figure; kept safe anyway
            spans.append(span)
    return tuple(spans)


def figures_note(text: str, citations: list[Citation]) -> str:
    """'1 figure not found in the cited passages: 9,731 km', '1 outcome the cited passages do not back:
    approved (the source says rejected)', both, or '' when everything is backed."""
    checked = _checked(text, tuple(c.text for c in citations))
    figures = [u.figure.text for u in checked.figures if u.in_output]
    notes = []
    if figures:
        noun = "figure" if len(figures) == 1 else "figures"
        notes.append(f"{len(figures)} {noun} not found in the cited passages: {', '.join(figures)}")
    if checked.outcomes:
        noun = "outcome" if len(checked.outcomes) == 1 else "outcomes"
        listed = ", ".join(f"{o.text} ({o.reason})" for o in checked.outcomes)
        notes.append(f"{len(checked.outcomes)} {noun} the cited passages do not back: {listed}")
    return "; ".join(notes)


class AskBox(QPlainTextEdit):
    """The question box: two lines high, growing with what is typed up to a few lines, then scrolling."""

    MIN_LINES, MAX_LINES = 2, 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTabChangesFocus(True)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())
        self._fit()

    def _fit(self) -> None:
        lines = min(max(int(self.document().documentLayout().documentSize().height()), self.MIN_LINES),
                    self.MAX_LINES)
        margins = self.contentsMargins()
        frame = margins.top() + margins.bottom() + 2 * int(self.document().documentMargin())
        self.setFixedHeight(lines * self.fontMetrics().lineSpacing() + frame)


class ChatPane(QWidget):
    """Ask the library; each exchange is saved to the workspace's current conversation."""

    busy_changed = Signal(bool)
    answered = Signal(str)

    def __init__(self, workspace: Workspace, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.state = state
        self._store = workspace.conversations
        self.runner = JobRunner(self)
        self._conversation_id: int | None = None
        self._answer: Answer | None = None  # the answer being written: its citations come before its words
        self._streamed = ""
        self._exchanges: list[tuple[str, str, dict[int, Citation]]] = []
        self.viewer: PassageViewer | None = None
        self.conversations_panel = self._build_conversations()
        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.conversations_panel)
        self.splitter.addWidget(self._build_chat())
        self.splitter.setSizes([_CONVERSATIONS_WIDTH, 4 * _CONVERSATIONS_WIDTH])
        state.keep_splitter(self.splitter, "chat")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._build_shortcuts()
        self.runner.failed.connect(self._on_failed)
        self.runner.running_changed.connect(self._on_running_changed)
        self._on_running_changed(False)
        self.reload_conversations()

    # -- construction ----------------------------------------------------------------------------
    def _build_conversations(self) -> QWidget:
        """The kept conversations with New, Rename, Delete and Export."""
        self.conversation_list = QListWidget()
        self.conversation_list.setObjectName("conversationList")
        self.conversation_list.currentItemChanged.connect(self._on_conversation_chosen)
        self.new_button = QPushButton("New")
        self.rename_button = QPushButton("Rename…")
        self.delete_button = QPushButton("Delete")
        self.export_button = QPushButton("Export…")
        self.new_button.clicked.connect(self.new_conversation)
        self.rename_button.clicked.connect(self.rename_conversation)
        self.delete_button.clicked.connect(self.delete_conversation)
        self.export_button.clicked.connect(self.export_conversation)
        self.conversation_list.setWordWrap(True)  # a long title on two lines rather than a sideways scroll
        self.conversation_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side = QWidget()
        side.setObjectName("conversationsPanel")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.conversation_list, 1)
        grid = QGridLayout()  # two by two: the side list stays narrow and every button shows its name
        for i, button in enumerate((self.new_button, self.rename_button, self.delete_button, self.export_button)):
            grid.addWidget(button, i // 2, i % 2)
        side_layout.addLayout(grid)
        return side

    def _build_chat(self) -> QWidget:
        """The transcript of questions and answers, the progress of the one being answered, the ask box."""
        self.transcript = QTextBrowser()
        self.transcript.setObjectName("chatTranscript")
        self.transcript.setOpenLinks(False)
        self.transcript.anchorClicked.connect(self._on_anchor)
        self.question_edit = AskBox()
        self.question_edit.setPlaceholderText("Ask your documents (Ctrl+Return)")
        self.ask_button = QPushButton("Ask")
        self.ask_button.clicked.connect(self.ask)
        self.stop_button = QPushButton("Stop")
        self.stop_button.clicked.connect(self.stop)
        self.progress = JobProgress()
        self.progress.follow(self.runner)
        ask_row = QHBoxLayout()
        ask_row.addWidget(self.question_edit, 1)
        ask_row.addWidget(self.ask_button, 0, Qt.AlignmentFlag.AlignBottom)
        ask_row.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignBottom)
        chat = QWidget()
        chat_layout = QVBoxLayout(chat)
        chat_layout.setContentsMargins(0, 0, 0, 0)
        chat_layout.addWidget(self.transcript, 1)
        chat_layout.addWidget(self.progress)
        chat_layout.addLayout(ask_row)
        return chat

    def _build_shortcuts(self) -> None:
        """Ctrl+Return asks and Esc stops while the pane has the focus."""
        for keys, slot in ((["Ctrl+Return", "Ctrl+Enter"], self.ask), (["Esc"], self.stop)):
            action = QAction(self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    # -- state ---------------------------------------------------------------------------------
    @property
    def is_busy(self) -> bool:
        return self.runner.is_running

    def status(self) -> str:
        return self.progress.status()

    def shutdown(self, timeout_ms: int = 3000) -> None:
        self.runner.shutdown(timeout_ms)

    @property
    def conversation_id(self) -> int | None:
        return self._conversation_id

    def transcript_text(self) -> str:
        return self.transcript.toPlainText()

    def last_citations(self) -> dict[int, Citation]:
        return self._exchanges[-1][2] if self._exchanges else {}

    def last_answer(self) -> str:
        """The text of the last answer shown (so far, while it streams)."""
        return self._exchanges[-1][1] if self._exchanges else ""

    # -- conversations -------------------------------------------------------------------------
    def reload_conversations(self, select: int | None = None) -> None:
        self.conversation_list.blockSignals(True)
        self.conversation_list.clear()
        for conversation in self._store.all():
            item = QListWidgetItem(conversation.title)
            item.setData(Qt.ItemDataRole.UserRole, conversation.id)
            item.setToolTip(f"{conversation.title}\nStarted {conversation.created_at}")
            self.conversation_list.addItem(item)
            if conversation.id == select:
                self.conversation_list.setCurrentItem(item)
        self.conversation_list.blockSignals(False)
        has = self._conversation_id is not None
        for button in (self.rename_button, self.delete_button, self.export_button):
            button.setEnabled(has)

    def _on_conversation_chosen(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is None or self.is_busy:
            return
        self.open_conversation(int(item.data(Qt.ItemDataRole.UserRole)))

    def open_conversation(self, conversation_id: int) -> None:
        self._conversation_id = conversation_id
        self._exchanges = []
        messages = self._store.messages(conversation_id)
        question = ""
        for message in messages:
            if message.role == "user":
                question = message.text
            else:
                self._exchanges.append((question, message.text, {c.number: c for c in message.citations}))
        self._render()
        self.reload_conversations(select=conversation_id)

    def new_conversation(self) -> None:
        self.stop()
        self._conversation_id = None
        self._exchanges = []
        self._render()
        self.conversation_list.clearSelection()
        self.reload_conversations()
        self.question_edit.setFocus()

    def rename_conversation(self, title: str | None = None) -> None:
        if self._conversation_id is None:
            return
        if not title:
            current = self._store.get(self._conversation_id).title
            title, ok = QInputDialog.getText(self, "Rename conversation", "Name:", text=current)
            if not ok:
                return
        self._store.rename(self._conversation_id, title)
        self.reload_conversations(select=self._conversation_id)

    def delete_conversation(self, confirm: bool = True) -> None:
        if self._conversation_id is None:
            return
        if confirm:
            answer = QMessageBox.question(self, "Delete conversation", "Delete this conversation?")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._store.delete(self._conversation_id)
        self.new_conversation()

    def export_conversation(self, path: Path | None = None) -> Path | None:
        if self._conversation_id is None:
            return None
        if path is None:
            title = self._store.get(self._conversation_id).title
            safe = re.sub(r"[^\w\- ]+", "", title).strip() or "conversation"
            chosen, _ = QFileDialog.getSaveFileName(self, "Export conversation", f"{safe}.md", "Markdown (*.md)")
            if not chosen:
                return None
            path = Path(chosen)
        path.write_text(self._store.export_markdown(self._conversation_id), encoding="utf-8")
        self.progress.set_status(f"Exported to {path}")
        return path

    # -- asking --------------------------------------------------------------------------------
    def ask(self, question: str | None = None) -> None:
        question = (question if isinstance(question, str) else self.question_edit.toPlainText()).strip()
        if not question or self.is_busy:
            return
        if self._conversation_id is None:
            self._conversation_id = self._store.create(question).id
        history = self._history()
        self._store.add_message(self._conversation_id, "user", question)
        self.question_edit.clear()
        self._exchanges.append((question, "", {}))
        self._streamed = ""
        self._answer = None
        self.runner.start(partial(self.workspace.ask, question, history=history), on_item=self._on_answer_part,
                          on_finished=self._on_answered, on_cancelled=self._on_stopped)
        self._render()
        self.reload_conversations(select=self._conversation_id)
        self.progress.show_progress(0, 0, "Searching the library …")

    def _history(self) -> list[dict[str, str]]:
        """The last exchange, so a follow-up question has its context (kept short for a small model)."""
        from assistant.library.ask import SOURCES_HEADING

        turns: list[dict[str, str]] = []
        for question, answer, _ in self._exchanges[-1:]:
            body = answer.split(SOURCES_HEADING)[0]
            turns += [{"role": "user", "content": question}, {"role": "assistant", "content": body}]
        return turns

    def stop(self) -> None:
        if self.is_busy:
            self.runner.cancel()

    def _on_answer_part(self, part: Answer | str) -> None:
        if not isinstance(part, str):
            self._answer = part  # the passages it may cite, known before the first word
            return
        self._streamed += part
        citations = {c.number: c for c in self._answer.citations} if self._answer else {}
        question = self._exchanges[-1][0]
        self._exchanges[-1] = (question, self._streamed, citations)
        self._render()

    def _on_answered(self, answer: Answer) -> None:
        text = answer.text or self._streamed
        self._save_answer(text, list(answer.citations))
        self.progress.set_status(figures_note(text, answer.citations))
        self.answered.emit(text)

    def _on_stopped(self) -> None:
        citations = list(self._answer.citations) if self._answer else []
        self._save_answer(self._streamed.rstrip() + STOPPED_NOTE, citations)
        self.progress.set_status("Stopped.")

    def _on_failed(self, message: str) -> None:
        if self._exchanges:
            self._exchanges.pop()
        self._answer = None
        self._render()
        self.progress.set_status(message)

    def _save_answer(self, text: str, citations: list[Citation]) -> None:
        question = self._exchanges[-1][0]
        self._exchanges[-1] = (question, text, {c.number: c for c in citations})
        if self._conversation_id is not None:
            self._store.add_message(self._conversation_id, "assistant", text, citations)
        self._answer = None
        self._render()
        self.reload_conversations(select=self._conversation_id)

    def _on_running_changed(self, running: bool) -> None:
        self.ask_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.busy_changed.emit(running)

    # -- display -------------------------------------------------------------------------------
    def _render(self) -> None:
        parts = []
        for exchange, (question, answer, citations) in enumerate(self._exchanges):
            parts.append(f'<p><b>You:</b> {html.escape(question)}</p>')
            if answer:
                complete = not (self.is_busy and exchange == len(self._exchanges) - 1)
                parts.append(f"<p>{_answer_html(answer, citations, exchange, checked=complete)}</p>")
            else:
                parts.append("<p><i>…</i></p>")
        self.transcript.setHtml("".join(parts) or "<p><i>Ask a question about the documents in your "
                                "library. Answers cite the passages they come from.</i></p>")
        mark_tooltips(self.transcript, UNSUPPORTED_TOOLTIP)
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() != "cite":
            return
        exchange, _, number = url.path().partition("-")
        self.open_citation(int(number), int(exchange))

    def open_citation(self, number: int, exchange: int = -1) -> PassageViewer | None:
        if not self._exchanges:
            return None
        citation = self._exchanges[exchange][2].get(number)
        if citation is None:
            return None
        if self.viewer is None:
            from assistant.documents.ocr_cache import ocr_cache_for

            self.viewer = PassageViewer(self, state=self.state, ocr_cache=ocr_cache_for(self.workspace.data_dir))
        self.viewer.show_citation(citation)
        return self.viewer
