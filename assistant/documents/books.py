"""RTF (striprtf, BSD) and EPUB (the standard library's zipfile and lxml).

An EPUB is a zip of XHTML chapters listed, in reading order, by the spine of its package file (found
through ``META-INF/container.xml``); each chapter in the spine is a page ("chapter 3").
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from urllib.parse import unquote

from assistant.documents import messages
from assistant.documents.model import Extracted, Page, clean_title
from assistant.documents.plain import normalise_line_ends
from assistant.documents.web import visible_text

RTF_MAGIC = b"{\\rtf"
_ANSI_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
_DEFAULT_FONT = re.compile(rb"\\deff(\d+)")
# \fcharset of a font -> the code page its \'xx escapes are in (Word and WordPad write these).
_CHARSET_CODE_PAGE = {
    238: "cp1250", 204: "cp1251", 161: "cp1253", 162: "cp1254", 177: "cp1255", 178: "cp1256",
    186: "cp1257", 163: "cp1258", 128: "cp932", 134: "gbk", 136: "big5", 129: "cp949",
}  # fmt: skip
_CONTAINER_NS = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF_NS = "{http://www.idpf.org/2007/opf}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def read_rtf(data: bytes, name: str) -> Extracted:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(RTF_MAGIC):
        raise messages.wrong_content(name, "RTF")
    encoding = _rtf_code_page(data)
    text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    return Extracted(pages=(Page(None, normalise_line_ends(text).strip()),), encoding=encoding)


def _rtf_code_page(data: bytes) -> str:
    """The code page of the default font's \\fcharset, else of \\ansicpg, else Windows-1252."""
    import codecs

    head = data[:20_000]
    candidates = []
    default = _DEFAULT_FONT.search(head)
    if default:
        font = re.search(rb"\\f" + default.group(1) + rb"\\[^;{}]*?\\fcharset(\d+)", head)
        if font:
            candidates.append(_CHARSET_CODE_PAGE.get(int(font.group(1)), ""))
    page = _ANSI_CODE_PAGE.search(head)
    if page:
        candidates.append(f"cp{int(page.group(1))}")
    for candidate in filter(None, candidates):
        try:
            return codecs.lookup(candidate).name
        except LookupError:
            continue
    return "cp1252"


def read_epub(data: bytes, name: str) -> Extracted:
    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise messages.wrong_content(name, "EPUB") from error
    with archive:
        names = set(archive.namelist())
        if "META-INF/container.xml" not in names:
            raise messages.wrong_content(name, "EPUB")
        # No entity expansion and no network: the XML comes from a file someone sent.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        container = etree.fromstring(archive.read("META-INF/container.xml"), parser)
        rootfile = container.find(f".//{_CONTAINER_NS}rootfile")
        if rootfile is None or not rootfile.get("full-path"):
            raise messages.wrong_content(name, "EPUB")
        package_path = rootfile.get("full-path", "")
        package = etree.fromstring(archive.read(package_path), parser)
        base = posixpath.dirname(package_path)
        manifest = {
            item.get("id"): posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
            for item in package.iter(f"{_OPF_NS}item")
        }
        spine = [manifest.get(ref.get("idref")) for ref in package.iter(f"{_OPF_NS}itemref")]
        chapters = [path for path in spine if path and path in names]
        encrypted = _encrypted_paths(archive, names)
        if any(path in encrypted for path in chapters):
            raise messages.encrypted(name)
        pages: list[Page] = []
        for path in chapters:
            text, _title = visible_text(archive.read(path).decode("utf-8", "replace"))
            if text.strip():
                pages.append(Page(len(pages) + 1, text, unit="chapter"))
        title_element = package.find(f".//{_DC_TITLE}")
        title = clean_title(title_element.text if title_element is not None else None)
    return Extracted(pages=tuple(pages), title=title)


def _encrypted_paths(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """Files that DRM encrypts (listed in META-INF/encryption.xml; obfuscated fonts are harmless)."""
    if "META-INF/encryption.xml" not in names:
        return set()
    found = re.findall(rb'URI="([^"]+)"', archive.read("META-INF/encryption.xml"))
    return {posixpath.normpath(unquote(uri.decode("utf-8", "replace"))) for uri in found}
