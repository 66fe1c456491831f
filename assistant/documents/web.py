"""Saved web pages: the main text only (no scripts, styles, menus), extracted with trafilatura, led by the page's
headline."""

from __future__ import annotations

import re
from typing import Any

from assistant.documents.model import Extracted, Page, clean_title
from assistant.documents.plain import text_of

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard), and so do we.
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_CONTENT = ("script", "style", "nav", "noscript", "template", "svg")
#: Blocks inside a table cell, read as the cell's text.
_CELL_BLOCKS = ("ul", "ol", "li", "div", "p", "section", "article", "span")
#: A line break inside a run of text is a space on screen ("Print deze\n        agenda"); trafilatura keeps it.
_WRAPPED = re.compile(r"(?<=\S)[ \t]*\n\s*(?=\S)")
_AS_WRITTEN = ("pre", "textarea", "code", "script", "style")
#: A class naming a block as metadata ("meta", "meta-item", "entry-meta"), which trafilatura leaves out.
_META_CLASS = re.compile(r"\S*meta\S*", re.IGNORECASE)
#: A link to a document file, and the words its text must have to be read as content ("Item 1 - FY2019 Budget", not
#: "PDF" or "Download").
_DOCUMENT_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|od[tsp]|rtf|csv|txt)(?:[?#][^/]*)?$", re.IGNORECASE)
_LINK_WORDS = 3
_SPACES = re.compile(r"\s+")
#: schema.org properties that say when and where (an event's, a place's).
_FACT_PROPERTIES = frozenset(("startDate", "endDate", "doorTime", "location", "address", "streetAddress",
                              "addressLocality", "addressRegion", "postalCode"))
#: An h1 is the page's headline when it is most of the page's <title> ("Headline - Site"), not the site's name.
_HEADLINE_SHARE = 0.6
#: The headline counts as shown when it is on one of the text's first lines.
_HEADLINE_LINES = 3
_BLOCKS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "header", "footer", "aside", "main",
)  # fmt: skip


def read_html(data: bytes, name: str) -> Extracted:
    html, encoding = text_of(data, name, declared=_declared_charset(data))
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
    """The page's main text and title. trafilatura leaves a headline out of the text on many pages (a heading
    marked for screen readers only, an article's h1) and takes the page's og:title for its title, a word on some
    ("Vergadering" for the council meeting of 31 August 2015): the headline leads the text and names the page."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return "", None
    _unwrap_source_lines(tree)
    _sane_spans(tree)
    _flatten_cells(tree)
    _keep_marked_facts(tree)
    _unlink_headings(tree)
    _unlink_documents(tree)
    headline = _headline(tree)
    result: Any = trafilatura.bare_extraction(
        tree,
        include_comments=False,
        include_tables=True,
        # Measured on the corpus pages: same text as the default there, and it keeps more of short pages.
        favor_recall=True,
        with_metadata=True,
    )
    if result is None:
        return "", None
    text = "\n".join(line.strip() for line in (result.text or "").split("\n"))
    title = clean_title(result.title)
    if headline and text.strip():
        if headline.casefold() not in (title or "").casefold():
            title = headline
        if not any(headline.casefold() in line.casefold() for line in text.strip().split("\n")[:_HEADLINE_LINES]):
            text = f"{headline}\n\n{text}"
    return text, title


def _unwrap_source_lines(tree: Any) -> None:
    """Line breaks inside runs of text become spaces, as a browser shows them (not in pre, code or a text area)."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text and element.tag not in _AS_WRITTEN:
            element.text = _WRAPPED.sub(" ", element.text)
        parent = element.getparent()
        if element.tail and (parent is None or parent.tag not in _AS_WRITTEN):
            element.tail = _WRAPPED.sub(" ", element.tail)


def _sane_spans(tree: Any) -> None:
    """A cell's column span no wider than its table: a browser draws the columns that only a span of a thousand
    ("fill the row") opens with no width, but trafilatura gave every row a hundred cells, so a council agenda became
    rows of ninety-odd empty cells that made the page one paragraph. A span that is not a number is dropped (span 1)."""
    for table in tree.iter("table"):
        rows = [[cell for cell in row if cell.tag in ("td", "th")] for row in table.iter("tr")]
        width = max((len(cells) for cells in rows), default=0)
        for cells in rows:
            spans = [_span(cell) for cell in cells]
            for index, cell in enumerate(cells):
                fitted = max(1, min(spans[index], width - (sum(spans) - spans[index])))
                if cell.get("colspan") is not None and fitted != spans[index]:
                    cell.set("colspan", str(fitted))


def _span(cell: Any) -> int:
    value = (cell.get("colspan") or "1").strip()
    return int(value) if value.isdecimal() else 1


def _flatten_cells(tree: Any) -> None:
    """Dates and lists inside table cells kept as the cells' text: trafilatura empties a cell that holds a <time> or
    a list (a housing authority's minutes, a table of meetings whose dates and minutes' links came out blank)."""
    from lxml import etree

    etree.strip_tags(tree, "time")
    for cell in list(tree.iter("td", "th")):
        etree.strip_tags(cell, *_CELL_BLOCKS)


def _unlink_headings(tree: Any) -> None:
    """A heading that links to its item's own page read as the heading it is: trafilatura leaves out a heading made
    only of a link as navigation, and a council agenda lost the items without a description under them ("Opening.",
    "Spreekrecht burgers.", "Sluiting."), a list of meetings the year headings over its links."""
    from lxml import etree

    for heading in list(tree.iter("h1", "h2", "h3", "h4", "h5", "h6")):
        etree.strip_tags(heading, "a")


def _unlink_documents(tree: Any) -> None:
    """A link to a document (a PDF, a Word or Excel file …) that names it in a few words read as the text it is:
    trafilatura leaves out a block that is only a link as navigation, and a housing authority's page of meeting notices
    lost its notice and all 21 agenda items, each a link to its PDF ("Item 1 - FY2019 Comprehensive Budget")."""
    for link in list(tree.iter("a")):
        if not _DOCUMENT_LINK.search(link.get("href") or "") or len(link.text_content().split()) < _LINK_WORDS:
            continue
        if any(ancestor.tag in ("td", "th") for ancestor in link.iterancestors()):
            continue  # a table keeps its cells' links
        if link.tail:
            link.tail = _SPACES.sub(" ", link.tail)  # its source's indentation is no text
        link.drop_tag()


def _keep_marked_facts(tree: Any) -> None:
    """What a page marks as its item's facts (schema.org microdata: an event's ``startDate``, ``location``) kept:
    trafilatura drops a block whose class names it "meta" as page furniture, and a county board's meeting page
    lost its date, time and place that way (``class="meta"`` around ``itemprop="startDate"``)."""
    for element in tree.xpath("//*[@itemprop]"):
        if element.get("itemprop") not in _FACT_PROPERTIES:
            continue
        for holder in (element, *element.iterancestors()):
            if holder.get("class") and _META_CLASS.search(holder.get("class")):
                holder.set("class", _META_CLASS.sub("", holder.get("class")).strip())
            if holder is not element and holder.get("itemscope") is not None:
                break  # the item the property belongs to


def _headline(tree: Any) -> str | None:
    """The page's first h1 when it is most of its <title> or og:title (a logo's "BBC" is not), else None."""
    heading = next((text for h1 in tree.iter("h1") if (text := clean_title(h1.text_content()))), None)
    if heading is None:
        return None
    shared = tree.xpath('//meta[@property="og:title"]/@content')
    for name in (clean_title(tree.findtext(".//title")), *map(clean_title, shared)):
        if name and heading.casefold() in name.casefold() and len(heading) >= _HEADLINE_SHARE * len(name):
            return heading
    return None


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
