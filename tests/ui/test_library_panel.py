"""The library panel, chat pane and passage viewer driven like a person would, on real models and files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from assistant.library.ask import citations_from, unsupported_figures
from assistant.models.bundled import DEFAULT_LLM, FAST_LLM
from assistant.workspace import Workspace
from ui.library_panel import LibraryPanel
from ui.trust import UNSUPPORTED_TOOLTIP, unsupported_spans
from ui.window_state import WindowState

from .conftest import DropFiles


@pytest.fixture
def reports(tmp_path: Path, corpus: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(corpus / "pdf" / "multicolumn.pdf", folder / "multicolumn.pdf")
    (folder / "pump.txt").write_text("Pump log.\n\nReplace the seal kit ZQ-7731-K when the pump loses pressure.\n",
                                     encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return folder


@pytest.fixture
def make_panel(qtbot, own_data_dir: Path, window_state: WindowState, library_embedder):
    """A library panel on a workspace of its own (an empty library) answering with the model ``llm_name``."""
    made: list[tuple[LibraryPanel, Workspace]] = []

    def make(llm_name: str) -> LibraryPanel:
        workspace = Workspace(own_data_dir, llm_name=llm_name, n_ctx=2048 if llm_name == FAST_LLM else None)
        panel = LibraryPanel(workspace, window_state)
        qtbot.addWidget(panel)
        panel.resize(1200, 800)
        panel.show()
        made.append((panel, workspace))
        return panel

    yield make
    for panel, workspace in made:
        panel.shutdown()
        workspace.close()


def _add_by_drop(qtbot, panel: LibraryPanel, drop_files: DropFiles, folder: Path) -> None:
    with qtbot.waitSignal(panel.documents_changed, timeout=240_000,
                          check_params_cb=lambda: panel.last_report is not None):
        assert drop_files(panel, [folder])


def test_dropping_a_folder_lists_documents_with_status_and_failure_reason_then_search_finds_a_code(
        qtbot, make_panel, drop_files: DropFiles, reports: Path) -> None:
    panel = make_panel(FAST_LLM)
    assert panel.hint.isVisible()
    _add_by_drop(qtbot, panel, drop_files, reports)
    rows = {row["Name"]: row for row in panel.document_rows()}
    assert rows["multicolumn.pdf"]["Status"] == "indexed" and rows["multicolumn.pdf"]["Pages"] == "3"
    assert rows["multicolumn.pdf"]["Type"] == "PDF" and int(rows["multicolumn.pdf"]["Passages"]) > 0
    assert rows["broken.pdf"]["Status"].startswith("failed: ") and "corrupt" in rows["broken.pdf"]["Status"]
    assert rows["pump.txt"]["Status"] == "indexed" and rows["pump.txt"]["Pages"] == ""
    assert not panel.hint.isVisible()

    with qtbot.waitSignal(panel.searched, timeout=60_000):
        qtbot.keyClicks(panel.search_box, "ZQ-7731-K")
    assert panel.results.item(0).text().startswith("pump.txt\n")
    viewer = panel.open_hit(panel.hits[0])
    assert "ZQ-7731-K" in viewer.highlighted_text()


def test_adding_a_folder_then_asking_gives_an_answer_with_a_citation_that_opens_the_pdf_page(
        qtbot, make_panel, drop_files: DropFiles, reports: Path) -> None:
    panel = make_panel(DEFAULT_LLM)  # the default model, as a person gets it
    _add_by_drop(qtbot, panel, drop_files, reports)
    chat = panel.chat
    chat.question_edit.setPlainText("What is the capital of Belgium?")
    with qtbot.waitSignal(chat.answered, timeout=300_000):
        chat.ask_button.click()
    transcript = chat.transcript_text()
    assert "Brussels" in transcript
    assert "Sources:" in transcript and "multicolumn.pdf, p. 3" in transcript
    assert 'href="cite:0-' in chat.transcript.toHtml()
    # Figures of the answer that its passages do not back: marked in the transcript and named in the status.
    flagged = unsupported_figures(chat.last_answer(), [c.text for c in chat.last_citations().values()])
    assert [text for text, _tip in unsupported_spans(chat.transcript)] == [u.figure.text for u in flagged]
    assert chat.status() == (f"{len(flagged)} figure{'s' if len(flagged) > 1 else ''} not found in the cited "
                                  f"passages: {', '.join(u.figure.text for u in flagged)}" if flagged else "")
    number = next(n for n, c in chat.last_citations().items() if c.name == "multicolumn.pdf" and c.page == 3)
    viewer = chat.open_citation(number)
    assert viewer is not None and viewer.pages.currentWidget() is viewer.pdf_view
    qtbot.waitUntil(lambda: viewer.pdf_page == 2, timeout=30_000)
    # The exchange is kept as a conversation.
    assert chat.conversation_list.count() == 1
    assert [m.role for m in panel.workspace.conversations.messages(chat.conversation_id)] == ["user", "assistant"]


def _saved_conversation(panel: LibraryPanel, corpus: Path, answer: str) -> int:
    """A conversation about Belgium saved with ``answer`` citing multicolumn.pdf, then opened; returns its id."""
    index = panel.index()
    index.add([corpus / "pdf" / "multicolumn.pdf"])
    citations = citations_from(index.search("capital of Belgium", k=2))
    store = panel.workspace.conversations
    conversation = store.create("What is the capital of Belgium?")
    store.add_message(conversation.id, "user", "What is the capital of Belgium?")
    store.add_message(conversation.id, "assistant", answer, citations)
    panel.chat.reload_conversations()
    panel.chat.conversation_list.setCurrentRow(0)
    return conversation.id


def test_conversations_can_be_reopened_renamed_exported_and_deleted(
        qtbot, make_panel, tmp_path: Path, corpus: Path) -> None:
    panel = make_panel(FAST_LLM)
    conversation_id = _saved_conversation(panel, corpus, "Brussels [1].")
    chat = panel.chat
    assert chat.conversation_id == conversation_id
    assert "Brussels [1]." in chat.transcript_text()
    chat.rename_conversation("Belgium")
    assert chat.conversation_list.item(0).text() == "Belgium"
    exported = chat.export_conversation(tmp_path / "belgium.md")
    assert exported is not None and exported.read_text(encoding="utf-8").startswith("# Belgium\n")
    chat.delete_conversation(confirm=False)
    assert chat.conversation_list.count() == 0 and chat.conversation_id is None


def test_a_figure_the_cited_passages_do_not_back_is_marked_in_the_answer_with_a_tooltip(
        qtbot, make_panel, corpus: Path) -> None:
    panel = make_panel(FAST_LLM)
    _saved_conversation(panel, corpus, "Brussels [1], 9,731 km from the coast [2].")
    chat = panel.chat
    assert unsupported_spans(chat.transcript) == [("9,731 km", UNSUPPORTED_TOOLTIP)]  # not the [1] and [2]
    assert 'href="cite:0-1"' in chat.transcript.toHtml()


def test_stop_ends_a_streaming_answer_and_keeps_what_was_said(
        qtbot, make_panel, drop_files: DropFiles, reports: Path) -> None:
    panel = make_panel(FAST_LLM)
    _add_by_drop(qtbot, panel, drop_files, reports)
    chat = panel.chat
    with qtbot.waitSignal(chat.runner.item, timeout=300_000, check_params_cb=lambda part: isinstance(part, str)):
        chat.ask("Which seal kit do I need when the pump loses pressure?")
    assert chat.stop_button.isEnabled()
    with qtbot.waitSignal(chat.busy_changed, timeout=30_000):
        chat.stop_button.click()
    assert not chat.is_busy and chat.ask_button.isEnabled()
    assert "(stopped)" in chat.transcript_text()
    saved = panel.workspace.conversations.messages(chat.conversation_id)
    assert saved[-1].role == "assistant" and saved[-1].text.endswith("(stopped)")


def test_main_window_has_a_library_tab_and_file_menu_entry(qtbot, tmp_path: Path, ui_settings: QSettings) -> None:
    from ui.main_window import MainWindow

    workspace = Workspace(tmp_path / "data")
    window = MainWindow(workspace, WindowState(ui_settings))
    qtbot.addWidget(window)
    window.show()
    tabs = window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Document", "Library"]
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File")
    assert "Add to library…" in [a.text() for a in file_menu.actions()]
    qtbot.waitUntil(lambda: not window.library.ingest.is_running, timeout=10_000)  # the start-up rescan
    window.close()
    workspace.close()


def test_the_status_line_names_the_figures_the_cited_passages_do_not_back() -> None:
    from assistant.library.ask import Citation
    from ui.chat_pane import figures_note

    passage = Citation(1, "a.pdf", "a.pdf", 3, 2, 0, 40, "The pump draws 11.4 A at 3.2 bar.")
    assert figures_note("It draws 11.4 A [1] at 4.5 bar and 12 kW.", [passage]) == (
        "2 figures not found in the cited passages: 4.5 bar, 12 kW")
    assert figures_note("It draws 11.4 A [1].", [passage]) == ""


def test_an_outcome_the_cited_passages_do_not_back_is_marked_with_its_reason_and_named_in_the_status_line(
        qtbot) -> None:
    from PySide6.QtWidgets import QTextBrowser

    from assistant.library.ask import Citation
    from ui.chat_pane import _answer_html, figures_note
    from ui.trust import OUTCOME_TOOLTIP, mark_tooltips

    passage = Citation(1, "m.pdf", "m.pdf", 2, 1, 0, 80, "The $5,000 proposed for lighting retrofits was rejected.")
    answer = "The $5,000 proposed for lighting retrofits was approved [1], and 12 lamps were bought."
    view = QTextBrowser()
    qtbot.addWidget(view)
    view.setHtml(_answer_html(answer, {1: passage}, 0, checked=True))
    mark_tooltips(view, UNSUPPORTED_TOOLTIP)
    assert unsupported_spans(view) == [
        ("approved", OUTCOME_TOOLTIP.format(reason="the source says rejected")), ("12", UNSUPPORTED_TOOLTIP)]
    assert figures_note(answer, [passage]) == ("1 figure not found in the cited passages: 12; "
                                               "1 outcome the cited passages do not back: approved (the source "
                                               "says rejected)")
    assert figures_note(answer.replace("approved", "rejected").replace(", and 12 lamps were bought", ""),
                        [passage]) == ""


def _citation_of_sentence(path: Path, words: str):
    """A citation of the passage of ``path`` that holds ``words``, pointing at the sentence holding them."""
    from assistant.documents import read_document
    from assistant.library.ask import Citation
    from assistant.library.chunks import chunk_document
    from assistant.library.sentences import sentence_spans

    for chunk in chunk_document(read_document(path)):
        for span in sentence_spans(chunk.text):
            if words in span.flat:
                page = chunk.page if path.suffix == ".pdf" else None
                return Citation(1, str(path), path.name, page, chunk.page_index, chunk.start, chunk.end, chunk.text,
                                span.start, span.end)
    raise AssertionError(f"{words!r} not in {path.name}")


def test_a_citation_highlights_its_sentence_in_a_text_file_and_finds_it_on_the_pdf_page(qtbot, corpus: Path) -> None:
    from ui.passage_viewer import PassageViewer

    viewer = PassageViewer()
    qtbot.addWidget(viewer)
    text_citation = _citation_of_sentence(corpus / "text" / "sample-french-1.txt", "Louis XIV")
    viewer.show_citation(text_citation)
    assert viewer.pages.currentWidget() is viewer.text_view
    assert " ".join(viewer.highlighted_sentence().split()) == " ".join(text_citation.sentence.split())
    assert len(viewer.highlighted_sentence()) < len(viewer.highlighted_text())

    pdf_citation = _citation_of_sentence(corpus / "real" / "issue11913.pdf", "Counsel for the Plaintiff stated")
    viewer.show_citation(pdf_citation)
    assert viewer.pages.currentWidget() is viewer.pdf_view
    qtbot.waitUntil(lambda: viewer.pdf_sentence is not None, timeout=10_000)
    page, rectangles = viewer.pdf_sentence  # type: ignore[misc]
    assert page == pdf_citation.page - 1 and rectangles

    # A table row, read with its column names the page prints only once, is found by its printed words.
    row_citation = _citation_of_sentence(corpus / "real" / "table-curves-example.pdf", "Thrombocytopenia")
    assert row_citation.sentence.startswith("Thrombocytopenia: VTEp Uncommon;")
    viewer.show_citation(row_citation)
    qtbot.waitUntil(lambda: viewer.pdf_sentence is not None, timeout=10_000)
    assert viewer.sentence_search.searchString() == "Thrombocytopenia"


def test_doubtful_ocr_words_are_marked_on_a_scanned_page_by_a_remembered_toggle_with_a_shortcut(
        qtbot, corpus: Path, data_dir: Path, read_scan, ui_settings: QSettings) -> None:
    from PySide6.QtCore import Qt

    from assistant.documents.ocr_cache import ocr_cache_for
    from assistant.library.ask import Citation
    from ui.passage_viewer import PassageViewer

    scan = corpus / "scanned" / "linn.pdf"
    page = read_scan(scan, into=data_dir).pages[0]  # read by OCR once, kept in the data folder's cache
    assert page.read_by_ocr and len(page.doubtful_words) >= 5
    start = page.text.index("The LinnSequencer is")
    citation = Citation(1, str(scan), scan.name, 1, 0, start, start + 80, page.text[start:start + 80], ocr=True)

    viewer = PassageViewer(state=WindowState(ui_settings), ocr_cache=ocr_cache_for(data_dir))
    qtbot.addWidget(viewer)
    assert viewer.doubtful_action in viewer.view_menu.actions()
    assert viewer.doubtful_action.shortcut().toString() == "Ctrl+Shift+D"
    viewer.show_citation(citation)
    assert viewer.pages.currentWidget() is viewer.pdf_view  # off: the scanned page itself
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow, timeout=30_000)
    qtbot.keyClick(viewer, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert viewer.doubtful_action.isChecked()
    assert viewer.pages.currentWidget() is viewer.text_view and viewer.text_view.toPlainText() == page.text
    assert viewer.doubtful_words() == list(page.doubtful_words)
    assert viewer.highlighted_text() == citation.text  # the passage is still highlighted under the marks

    again = PassageViewer(state=WindowState(ui_settings), ocr_cache=ocr_cache_for(data_dir))  # a later run
    qtbot.addWidget(again)
    assert again.doubtful_action.isChecked()
    again.doubtful_action.trigger()
    again.show_citation(citation)
    assert again.pages.currentWidget() is again.pdf_view and again.doubtful_words() == []
    assert not WindowState(ui_settings).mark_doubtful_words


def test_while_another_process_writes_the_panel_says_it_waits_and_stop_ends_the_wait(
        qtbot, tmp_path: Path, window_state: WindowState, minimal_pdf: Path) -> None:
    import threading

    from assistant.library.index import library_folder
    from assistant.library.writer import LibraryWriter

    data = tmp_path / "data"
    holding, release = threading.Event(), threading.Event()

    def other_writer() -> None:  # another window or `edgewise library add` (its own lock, as a process has)
        with LibraryWriter(library_folder(data)).held():
            holding.set()
            release.wait()

    workspace = Workspace(data)
    panel = LibraryPanel(workspace, window_state)
    qtbot.addWidget(panel)
    panel.show()
    writer = threading.Thread(target=other_writer)
    writer.start()
    try:
        assert holding.wait(30)
        panel.add_paths([minimal_pdf])
        qtbot.waitUntil(lambda: "Waiting for the library" in panel.status(), timeout=30_000)
        assert panel.progress.stop_button is not None and panel.progress.stop_button.isVisible()
        with qtbot.waitSignal(panel.ingest.cancelled, timeout=10_000):
            panel.progress.stop_button.click()
        qtbot.waitUntil(panel.ingest.is_idle, timeout=10_000)  # the wait itself ended, not only the display
        assert panel.document_rows() == []
    finally:
        release.set()
        writer.join()
        panel.shutdown()
        workspace.close()
