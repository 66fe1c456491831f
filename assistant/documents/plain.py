"""Plain text and Markdown files: detect the encoding, drop a byte-order mark, unify line ends."""

from __future__ import annotations

import codecs

from assistant.documents import messages
from assistant.documents.model import Extracted, Page

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Bytes charset-normalizer guesses the encoding from; the whole file is then decoded with its guess.
_GUESS_SAMPLE = 2**20


def read_plain(data: bytes, name: str, markdown: bool = False) -> Extracted:
    decoded = decode_text(data)
    if decoded is None:
        raise messages.not_text(name)
    text, encoding = decoded
    text = normalise_line_ends(text)
    title = markdown_title(text) if markdown else None
    return Extracted(pages=(Page(None, text),), title=title, encoding=encoding)


def text_of(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """A text-based file's text (``decode_text``, line ends normalised) and its encoding; raises the "not a text
    file" error for binary data and the "empty" one for a blank file (a web page, a CSV file)."""
    decoded = decode_text(data, declared=declared)
    if decoded is None:
        raise messages.not_text(name)
    text, encoding = decoded
    text = normalise_line_ends(text)
    if not text.strip():
        raise messages.empty(name)
    return text, encoding


def utf8_if_marked(data: bytes) -> bytes:
    """``data`` as UTF-8 without its mark when it starts with a Unicode byte-order mark (a text file some Windows
    programs save as "Unicode" or "UTF-8 with BOM"), else unchanged."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoded = _decoded(data, encoding)
            return decoded[0].encode("utf-8") if decoded is not None else data
    return data


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str] | None:
    """``(text, encoding)`` for bytes that hold text, or None for binary data.

    Order of trust: a byte-order mark, then strict UTF-8 (by far the commonest and never a false
    positive on real legacy text), then a charset the file declares, then charset-normalizer's guess.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decoded(data, encoding)
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if declared and (result := _decoded(data, declared)) is not None:
        return result
    from charset_normalizer import from_bytes

    # The guess is made on the first MiB: charset-normalizer's time grows with the input, and on a file of a
    # gigabyte it would run for minutes before saying "binary".
    best = from_bytes(data[:_GUESS_SAMPLE]).best()
    if best is None:
        return None
    if "\x00" in str(best):  # NULs in "text" mean a binary file that happened to decode
        return None
    if len(data) <= _GUESS_SAMPLE:
        return str(best), codecs.lookup(best.encoding).name
    decoded = _decoded(data, best.encoding)
    if decoded is None or "\x00" in decoded[0]:
        return None
    return decoded


def _decoded(data: bytes, encoding: str) -> tuple[str, str] | None:
    try:
        name = codecs.lookup(encoding).name
        return data.decode(name), "utf-8" if name == "utf-8-sig" else name
    except (LookupError, UnicodeDecodeError):
        return None


def normalise_line_ends(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def markdown_title(text: str) -> str | None:
    """The first level-one heading ("# Title") near the top of a Markdown file."""
    for line in text.split("\n")[:20]:
        if line.startswith("# "):
            return line[2:].strip().rstrip("#").strip() or None
    return None
