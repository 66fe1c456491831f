"""E-mail: .eml (the standard library's ``email``) and Outlook .msg (python-oxmsg, MIT).

The mail is its first page (headers, then the body: plain text, else its HTML as text); each attachment
that Edgewise can read is a page of its own ("attachment report.pdf"), read by the same readers as a file
on disk. An attachment that cannot be read is named in the document's notes and the others go on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from assistant.documents import messages
from assistant.documents.model import Extracted, Page, clean_title
from assistant.documents.plain import utf8_if_marked
from assistant.errors import DocumentError

log = logging.getLogger(__name__)

#: Reads one attachment's bytes (its file name picks the reader) into text; raises ``DocumentError``.
AttachmentReader = Callable[[bytes, str], Extracted]
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class _Mail:
    headers: list[tuple[str, str]]
    body: str
    html_body: str | None
    attachments: list[tuple[str, bytes]]


def read_eml(data: bytes, name: str, read_attachment: AttachmentReader) -> Extracted:
    import email
    from email import policy
    from email.message import EmailMessage

    # A mail saved with a byte-order mark (UTF-8 with BOM, UTF-16) would otherwise start with a header that is no
    # header, and be refused as "not an e-mail".
    message = email.message_from_bytes(utf8_if_marked(data), policy=policy.default)
    if not isinstance(message, EmailMessage) or not (message.keys() or message.get_payload()):
        raise messages.wrong_content(name, "e-mail (.eml)")
    if not any(key.lower() in ("from", "to", "subject", "date", "message-id") for key in message):
        raise messages.wrong_content(name, "e-mail (.eml)")
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    attachments = []
    for number, part in enumerate(message.iter_attachments(), start=1):
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            attachments.append((part.get_filename() or f"attachment {number}", payload))
    mail = _Mail(
        headers=[(key, str(message[key])) for key in ("From", "To", "Cc", "Date", "Subject") if message[key]],
        body=plain.get_content() if plain is not None else "",
        html_body=html.get_content() if html is not None else None,
        attachments=attachments,
    )
    return _extracted(mail, name, read_attachment, clean_title(str(message["Subject"] or "")))


def read_msg(data: bytes, name: str, read_attachment: AttachmentReader) -> Extracted:
    import io

    from oxmsg import Message

    if not data.startswith(_OLE_MAGIC):
        raise messages.wrong_content(name, "Outlook e-mail (.msg)")
    _register_windows_code_pages()
    try:
        message = Message.load(io.BytesIO(data))
    except ValueError as error:
        raise messages.wrong_content(name, "Outlook e-mail (.msg)") from error
    encoding = message.properties.body_encoding
    subject = _decoded(_in_code_page(message.properties, _PID_SUBJECT, encoding) or message.subject or "")
    recipients = ", ".join(_person(_decoded(_in_code_page(r.properties, _PID_DISPLAY_NAME, encoding) or r.name or ""),
                                   r.email_address) for r in message.recipients)
    headers = [
        ("From", _decoded(_sender(message, encoding))),
        ("To", recipients),
        ("Date", message.sent_date.isoformat(sep=" ") if message.sent_date else ""),
        ("Subject", subject),
    ]
    mail = _Mail(
        headers=[(key, value) for key, value in headers if value],
        body=message.body or "",
        html_body=message.html_body,
        attachments=[
            (attachment.file_name or f"attachment {number}", attachment.file_bytes)
            for number, attachment in enumerate(message.attachments, start=1)
            if attachment.file_bytes
        ],
    )
    return _extracted(mail, name, read_attachment, clean_title(subject))


#: A Word field code Outlook leaves in a plain-text body before a link's text ('<HYPERLINK\n"mailto:a@b.il"a@b.il>',
#: '[mailto:HYPERLINK "mailto:a@b.com" \\na@b.com]'): the code and its target go, the text shown stays.
_FIELD_CODE = re.compile(r'HYPERLINK\s+"[^"\n]*"(?:\s*\\[a-z])?\s*')
#: A link target or image source as a mail's plain-text body gives it ("Register now <https://…>", "[https://….png]"),
#: or a bare web address, of this many characters or more: a mailing's tracking links, hundreds of characters of
#: tokens each, which no one reads and which filled the model's passages and the key points ("<https://email.
#: awscloud.com/MTEyLVRaTS03NjYAAAGHO5WGuCL2W3SuNN_xWs609…>" led one).
LONG_LINK = 80
_LINK = re.compile(
    r"(?P<open><|\[)?(?P<url>(?P<page>(?P<site>https?://[^/\s<>\[\]?#]+)[^\s<>\[\]?#]*)[^\s<>\[\]]*)(?(open)[>\]])")
#: What ends a sentence after a bare address, not the address: "… see https://support.google.com/answer."
_AFTER_LINK = ".,;:!?)"


def _short_links(body: str) -> str:
    """``body`` with each long link (``LONG_LINK``) shortened to its page without the query ("https://accounts.google.
    com/RecoverAccount?…"), or to its site when the page's own address is long ("<https://email.awscloud.com/…>")."""
    def shortened(match: re.Match[str]) -> str:
        url, page, site, tail = match.group("url"), match.group("page"), match.group("site"), ""
        if not match.group("open"):
            kept = url.rstrip(_AFTER_LINK)
            url, tail = kept, url[len(kept):]
            page = page[: len(kept)]
        if len(url) < LONG_LINK:
            return match.group(0)
        short = f"{page}?…" if len(page) < LONG_LINK and len(page) < len(url) else f"{site}/…"
        closing = {"<": ">", "[": "]"}.get(match.group("open") or "", "")
        return f"{match.group('open') or ''}{short}{closing}{tail}"

    return _LINK.sub(shortened, body)


#: Code page names of Outlook's table (python-oxmsg) that Python knows by another name: a Traditional Chinese
#: message (code page 950) was refused as corrupt ("unknown encoding: windows-950").
_CODE_PAGE_NAMES = {"windows_874": "cp874", "windows_950": "cp950", "dos_720": "cp720", "x_mac_greek": "mac_greek",
                    "x_mac_cyrillic": "mac_cyrillic", "x_mac_ce": "mac_latin2", "x_mac_icelandic": "mac_iceland",
                    "x_mac_turkish": "mac_turkish"}
#: MAPI property ids of the subject, a recipient's and the sender's display name; PtypString8, an 8-bit string.
_PID_SUBJECT = 0x0037
_PID_DISPLAY_NAME = 0x3001
_PID_SENDER_NAME = 0x0C1A
_PTYP_STRING8 = 0x001E
_PID_MESSAGE_CODEPAGE = 0x3FFD
#: What python-oxmsg decodes an 8-bit string in when the properties name no code page.
_DEFAULT_ENCODING = "iso-8859-15"


@lru_cache(maxsize=1)
def _register_windows_code_pages() -> None:
    import codecs

    def search(name: str) -> codecs.CodecInfo | None:
        known = _CODE_PAGE_NAMES.get(name.replace("-", "_").lower())
        return codecs.lookup(known) if known else None

    codecs.register(search)


def _in_code_page(properties: Iterable[Any], pid: int, encoding: str) -> str | None:
    """An 8-bit string property read in the message's code page (``encoding``, that of its body) where its own
    properties name none: python-oxmsg reads it as Latin-9 then, so a Russian recipient "Свиридов" came out
    "Ñâèðèäîâ" and a Chinese subject as mojibake. None when the property is not such a string."""
    found = [prop for prop in properties if prop.pid == pid and prop.ptyp == _PTYP_STRING8]
    if not found or any(prop.pid == _PID_MESSAGE_CODEPAGE for prop in properties):
        return None
    try:
        return str(found[0].value).encode(_DEFAULT_ENCODING).decode(encoding)
    except (UnicodeError, LookupError):
        return None


def _sender(message: Any, encoding: str) -> str:
    """The message's sender, its display name read in the message's code page (``_in_code_page``)."""
    sender = str(message.sender or "")
    name = message.properties.str_prop_value(_PID_SENDER_NAME)
    fixed = _in_code_page(message.properties, _PID_SENDER_NAME, encoding)
    return sender.replace(name, fixed) if name and fixed else sender


def _decoded(value: str) -> str:
    """A header value with its MIME encoded words decoded (RFC 2047): a message saved by Outlook from an Internet
    mail keeps them, "=?UTF-8?B?VWRlbXk=?= <udemy@email.udemy.com>" for "Udemy <udemy@email.udemy.com>". The value
    as it is when it holds none, or one that names an unknown character set."""
    if "=?" not in value:
        return value
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(value)))
    except (UnicodeError, LookupError, ValueError):
        return value


def _person(display: str | None, address: str | None) -> str:
    if display and address and display != address:
        return f"{display} <{address}>"
    return display or address or ""


def _extracted(mail: _Mail, name: str, read_attachment: AttachmentReader, title: str | None) -> Extracted:
    body = _short_links(_FIELD_CODE.sub("", mail.body.replace("\r\n", "\n"))).strip()
    if not body and mail.html_body:
        try:
            body = read_attachment(mail.html_body.encode("utf-8"), "body.html").pages[0].text
        except DocumentError:
            body = ""
    header_lines = "\n".join(f"{key}: {' '.join(value.split())}" for key, value in mail.headers)
    pages = [Page(1, f"{header_lines}\n\n{body}".strip(), unit="mail")]
    notes = []
    for filename, payload in mail.attachments:
        text, problem = _attachment_text(payload, filename, read_attachment)
        if problem:
            notes.append(f"Attachment {filename} of {name} was not read: {problem}")
            continue
        pages.append(Page(len(pages) + 1, text, unit="attachment", name=filename))
    return Extracted(pages=tuple(pages), title=title, notes=tuple(notes))


def _attachment_text(payload: bytes, filename: str, read_attachment: AttachmentReader) -> tuple[str, str | None]:
    try:
        extracted = read_attachment(payload, PurePath(filename).name or "attachment")
    except DocumentError as error:
        return "", str(error)
    return "\n\n".join(_marked(extracted.pages)), None


def _marked(pages: Iterable[Page]) -> Iterable[str]:
    """An attachment's pages, each after its marker when it has several ('[page 2]')."""
    pages = [page for page in pages if page.text.strip()]
    for page in pages:
        yield f"[{page.label}]\n{page.text}" if len(pages) > 1 and page.label else page.text
