"""Prepare: the document as the summary's later stages read it. Layout noise and repeats are removed
(``assistant.text.condense``), printed form instructions, checkbox labels, empty fields and legal boilerplate
are set aside (``assistant.text.substance``: kept for citation, not read as content), every sentence keeps its
page, and the title and language are found once."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.documents import Document
from assistant.errors import EmptyDocumentError
from assistant.text.condense import Passage, Sentence, sentences_of
from assistant.text.language import detect_language
from assistant.text.substance import SetAside, content_passages
from assistant.text.words import word_count


@dataclass(frozen=True)
class PreparedDocument:
    """What the summary is made from: passages and sentences in reading order, each with its page."""

    name: str
    title: str  # the document's title, else its file name as words
    passages: list[Passage]
    sentences: list[Sentence]
    language: str | None
    set_aside: list[SetAside]  # instructions, empty fields, boilerplate: not content, kept for citation

    @property
    def words(self) -> int:
        return sum(word_count(p.text) for p in self.passages)


def prepare_document(document: Document) -> PreparedDocument:
    """The condensed document; raises EmptyDocumentError when nothing is left to summarise."""
    passages, set_aside = content_passages(document.pages)
    if not passages:
        raise EmptyDocumentError(f"{document.name} has no text to summarise.")
    return PreparedDocument(
        name=document.name,
        title=document.heading,
        passages=passages,
        sentences=sentences_of(passages),
        language=detect_language(" ".join(p.text for p in passages)),
        set_aside=set_aside,
    )

