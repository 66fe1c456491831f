"""Shows a cited passage where it is: a PDF at its page (QtPdf), other formats as text with the passage
highlighted and scrolled into view. When the citation names the sentence an answer draws on, that sentence is
highlighted (in the PDF, through QtPdf's search, which matches across its line breaks), and stands out in the
passage shown above the page. A page read by OCR can be shown as the text read, with the words OCR was unsure of
marked (View ▸ Mark doubtful OCR words, Ctrl+Shift+D; remembered)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QDesktopServices, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from assistant.documents.ocr_cache import OcrCache
    from assistant.library.ask import Citation
    from ui.window_state import WindowState

PASSAGE_COLOUR = QColor(255, 240, 170)
SENTENCE_COLOUR = QColor(255, 200, 60)
DOUBTFUL_COLOUR = QColor(200, 30, 30)
DOUBTFUL_TOOLTIP = "OCR was unsure of this word: check it against the page."


class PassageViewer(QDialog):
    """One dialog reused for every citation clicked; Esc closes it."""

    def __init__(
        self, parent: QWidget | None = None, *, state: WindowState | None = None, ocr_cache: OcrCache | None = None
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.ocr_cache = ocr_cache  # the data folder's: a page read by OCR is shown without reading it again
        self.setWindowTitle("Passage")
        self.resize(820, 720)
        self.setMinimumSize(520, 400)  # the passage stays readable beside its file name and page
        self.citation: Citation | None = None
        self.header = QLabel()
        self.header.setObjectName("passageHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.passage = QTextBrowser()
        self.passage.setObjectName("passageText")
        self.passage.setMaximumHeight(160)

        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.sentence_search = QPdfSearchModel(self)
        self.sentence_search.setDocument(self.pdf_document)
        self.sentence_search.rowsInserted.connect(self._on_sentence_found)
        self.pdf_view.setSearchModel(self.sentence_search)
        #: The sentence highlighted in the PDF: (0-based page, its rectangles in page points), once found.
        self.pdf_sentence: tuple[int, list] | None = None
        self._sentence_span: tuple[int, int] | None = None
        self.text_view = QTextBrowser()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.pdf_view)
        self.pages.addWidget(self.text_view)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.passage)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = QPushButton("Open file")
        self.open_button.clicked.connect(self.open_file)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.doubtful_action = QAction("Mark doubtful OCR words", self)
        self.doubtful_action.setCheckable(True)
        self.doubtful_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.doubtful_action.setToolTip(
            "On a page read by OCR, show the text read and mark the words OCR was unsure of (Ctrl+Shift+D)"
        )
        self.doubtful_action.setChecked(state is not None and state.mark_doubtful_words)
        self.doubtful_action.toggled.connect(self._doubtful_toggled)
        self.addAction(self.doubtful_action)  # the shortcut works wherever the focus is in the viewer
        self.view_menu = QMenu("View", self)
        self.view_menu.addAction(self.doubtful_action)
        self.view_button = QPushButton("View")
        self.view_button.setMenu(self.view_menu)
        buttons.addButton(self.view_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    def show_citation(self, citation: Citation) -> None:
        self.citation = citation
        where = f"page {citation.page}" if citation.page is not None else "passage"
        self.header.setText(f"[{citation.number}] {citation.name} — {where}\n{citation.file}")
        self._show_passage(citation)
        self.show()
        self.raise_()
        path = Path(citation.file)
        if citation.ocr and self.doubtful_action.isChecked():
            self._show_text(path, citation)  # the words OCR read, to be checked against the page
            self.pages.setCurrentWidget(self.text_view)
        elif path.suffix.lower() == ".pdf" and self._show_pdf(path, citation):
            self.pages.setCurrentWidget(self.pdf_view)
        else:
            self._show_text(path, citation)
            self.pages.setCurrentWidget(self.text_view)

    @property
    def pdf_page(self) -> int:
        """The 0-based page the PDF view shows."""
        return self.pdf_view.pageNavigator().currentPage()

    def _show_pdf(self, path: Path, citation: Citation) -> bool:
        self.pdf_document.close()
        if self.pdf_document.load(str(path)) != QPdfDocument.Error.None_:
            return False
        page = max(0, min((citation.page or 1) - 1, self.pdf_document.pageCount() - 1))
        self.pdf_sentence = None
        self._jump(page)
        # The view lays the pages out once it is visible, which can scroll it back; jump again then.
        QTimer.singleShot(0, lambda: self._jump(page))
        self.sentence_search.setSearchString(self._printed_sentence(citation.sentence, page))
        return True

    def _printed_sentence(self, sentence: str, page: int) -> str:
        """The sentence as the PDF page prints it, or the longest run of its words it prints (a table row read
        with its column names, a joined hyphenation): what the search can find and highlight."""
        from assistant.library.sentences import printed_run

        return printed_run(sentence, self.pdf_document.getAllText(page).text())

    def _on_sentence_found(self, *_args: object) -> None:
        """Highlight the match of the cited sentence on the cited page (the search runs page by page)."""
        if self.pdf_sentence is not None or self.citation is None or self.citation.page is None:
            return
        wanted = self.citation.page - 1
        for row in range(self.sentence_search.rowCount(QModelIndex())):
            link = self.sentence_search.resultAtIndex(row)
            if link.page() == wanted:
                self.pdf_sentence = (wanted, list(link.rectangles()))
                self.pdf_view.setCurrentSearchResultIndex(row)
                self.pdf_view.pageNavigator().jump(link)
                return

    def _jump(self, page: int) -> None:
        if page < self.pdf_document.pageCount():
            self.pdf_view.pageNavigator().jump(page, QPointF(0, 0), self.pdf_view.zoomFactor())

    def _show_text(self, path: Path, citation: Citation) -> None:
        from assistant.documents import read_document
        from assistant.errors import DocumentError

        try:
            document = read_document(path, ocr_cache=self.ocr_cache)
            page = document.pages[citation.page_index]
        except (DocumentError, IndexError):
            # The file moved or changed since it was indexed: the stored passage is all we can show.
            self.text_view.setPlainText(citation.text)
            return
        text = page.text
        self.text_view.setPlainText(text)
        _highlight(self.text_view, citation.start, citation.end, PASSAGE_COLOUR)
        if self.doubtful_action.isChecked():
            for start, end in page.doubtful_spans():
                _mark_doubtful(self.text_view, start, end)
        first = citation.start
        self._sentence_span = None
        if citation.sentence_start is not None and citation.sentence_end is not None:
            from assistant.library.sentences import raw_span

            self._sentence_span = raw_span(text, citation.start, citation.text, citation.sentence_start,
                                           citation.sentence_end)
            if self._sentence_span is not None:
                _highlight(self.text_view, *self._sentence_span, SENTENCE_COLOUR)
                first = self._sentence_span[0]
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(min(first, len(text)))
        self.text_view.setTextCursor(cursor)
        self.text_view.ensureCursorVisible()

    def _show_passage(self, citation: Citation) -> None:
        self.passage.setPlainText(citation.text)
        if citation.sentence_start is not None and citation.sentence_end is not None:
            _highlight(self.passage, citation.sentence_start, citation.sentence_end, SENTENCE_COLOUR)

    def highlighted_text(self) -> str:
        """The passage as highlighted in the text view (for formats without pages)."""
        if self.citation is None:
            return ""
        return self.text_view.toPlainText()[self.citation.start : self.citation.end]

    def highlighted_sentence(self) -> str:
        """The cited sentence as highlighted in the text view (for formats without pages), or ''."""
        if self._sentence_span is None:
            return ""
        return self.text_view.toPlainText()[self._sentence_span[0] : self._sentence_span[1]]

    def doubtful_words(self) -> list[str]:
        """The words marked as doubtful in the text view, in reading order."""
        marked = []
        block = self.text_view.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.charFormat().toolTip() == DOUBTFUL_TOOLTIP:
                    marked.append(fragment.text())
                iterator += 1
            block = block.next()
        return marked

    def _doubtful_toggled(self, marked: bool) -> None:
        if self.state is not None:
            self.state.mark_doubtful_words = marked
        if self.citation is not None and self.citation.ocr and self.isVisible():
            self.show_citation(self.citation)

    def open_file(self) -> None:
        if self.citation is not None:
            from PySide6.QtCore import QUrl

            QDesktopServices.openUrl(QUrl.fromLocalFile(self.citation.file))


def _highlight(view: QTextBrowser, start: int, end: int, colour: QColor) -> None:
    length = len(view.toPlainText())
    cursor = QTextCursor(view.document())
    cursor.setPosition(min(start, length))
    cursor.setPosition(min(end, length), QTextCursor.MoveMode.KeepAnchor)
    highlight = QTextCharFormat()
    highlight.setBackground(colour)
    highlight.setForeground(QColor(0, 0, 0))
    cursor.mergeCharFormat(highlight)


def _mark_doubtful(view: QTextBrowser, start: int, end: int) -> None:
    """A wavy red underline (over any highlight) with the reason as its tooltip."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    doubtful = QTextCharFormat()
    doubtful.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    doubtful.setUnderlineColor(DOUBTFUL_COLOUR)
    doubtful.setToolTip(DOUBTFUL_TOOLTIP)
    cursor.mergeCharFormat(doubtful)
