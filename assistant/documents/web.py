"""Saved web pages: the main text only (no scripts, styles, menus), extracted with trafilatura."""

from __future__ import annotations

import re
from typing import Any

from assistant.documents import messages
from assistant.documents.model import Extracted, Page, clean_title
from assistant.documents.plain import decode_text, normalise_line_ends

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard), and so do we.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_CONTENT = ("script", "style", "nav", "noscript", "template", "svg")
_BLOCKS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "header", "footer", "aside", "main",
)  # fmt: skip


def read_html(data: bytes, name: str) -> Extracted:
    decoded = decode_text(data, declared=_declared_charset(data))
    if decoded is None:
        raise messages.not_text(name)
    html, encoding = decoded
    html = normalise_line_ends(html)
    if not html.strip():
        raise messages.empty(name)
    text, title = _main_text(html)
    if not text.strip():
        text, fallback_title = visible_text(html)
        title = title or fallback_title
    return Extracted(pages=(Page(None, text.strip()),), title=title, encoding=encoding)


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    return "cp1252" if label in _WINDOWS_1252_LABELS else label


def _main_text(html: str) -> tuple[str, str | None]:
    import trafilatura

    result: Any = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=True,
        # Measured on the corpus pages: same text as the default there, and it keeps more of short pages.
        favor_recall=True,
        with_metadata=True,
    )
    if result is None:
        return "", None
    return result.text or "", clean_title(result.title)


def visible_text(html: str) -> tuple[str, str | None]:
    """Fallback when trafilatura finds no main text: all visible body text, one block a line."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        # lxml refuses a decoded string that still declares its encoding (every EPUB chapter and saved XHTML page
        # starts with one); the text is decoded already, so the declaration goes.
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (ParserError, ValueError):
        return "", None
    title = clean_title(root.findtext(".//title"))
    body = root.find("body")
    if body is None:
        return "", title
    for element in list(body.iter(*_NOT_CONTENT)):
        element.drop_tree()
    for element in body.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in body.text_content().split("\n"))
    return "\n".join(line for line in lines if line), title
