"""Turning bytes into one lxml tree, once per page."""

from __future__ import annotations

import contextlib
import re
import threading

import lxml.etree
import lxml.html
from lxml.html import HtmlElement


class NotHtmlError(ValueError):
    """The input is empty or is not an HTML document (e.g. a PDF or an image)."""


class PageTooLargeError(NotHtmlError):
    """The page is larger than any news article (MAX_HTML_BYTES): refused, not parsed."""


# A news article page is well under 2 MB; 8 MB of markup is a data dump or an attack, and
# parsing it would take seconds and hundreds of MB.
MAX_HTML_BYTES = 8 * 1024 * 1024


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# Magic numbers of the binary formats most often served by mistake as text/html.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"RIFF")
_ENCODING_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _html_parser(encoding: str | None) -> lxml.html.HTMLParser:
    """lxml.html's parser, but every element is an HtmlElement chosen in C: lxml.html's own
    lookup calls back into Python for every element the extraction touches (the form-control
    classes it picks are of no use here), which cost about a tenth of an extraction.

    Comments and processing instructions are left out, as trafilatura's own parser does: in
    lxml the text after a comment is the comment's tail, and trafilatura drops a comment with
    its tail ('remove the <!-- link --> duvet' lost the rest of the sentence; on the generic
    benchmark, half of two stories). Without libxml2's table of id attributes (nothing here
    looks an element up by id through libxml2: selectors match @id): a twentieth of a parse."""
    parser = lxml.html.HTMLParser(encoding=encoding, collect_ids=False, remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(
        lxml.etree.ElementDefaultClassLookup(element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment)
    )
    return parser


# per thread: an lxml parser must not be used by two threads at once
_PARSERS = threading.local()


def _parser(encoding: str | None = None) -> lxml.html.HTMLParser:
    """This thread's parser for str input (encoding None) or for bytes in `encoding`."""
    parsers = getattr(_PARSERS, "by_encoding", None)
    if parsers is None:
        parsers = _PARSERS.by_encoding = {}
    parser = parsers.get(encoding)
    if parser is None:
        parser = parsers[encoding] = _html_parser(encoding)
    return parser


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode page bytes. UTF-8 first: pages often declare a charset their bytes do not use
    (saved copies are re-encoded as UTF-8); then the declared charset; then cp1252, which
    decodes any byte and is what 'iso-8859-1' means on the web."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(data[:4096])
    for name in (declared, match.group(1).decode("ascii", "ignore") if match else None):
        if not name:
            continue
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def parse_html(html: str | bytes, max_bytes: int = MAX_HTML_BYTES) -> HtmlElement:
    """Parse a page into an lxml tree; raise NotHtmlError for empty, binary or oversized input."""
    if len(html) > max_bytes:
        raise PageTooLargeError(f"page too large: {len(html) / 1e6:.1f} MB (limit {max_bytes / 1e6:.0f} MB)")
    utf8 = None  # the page's bytes, when they are UTF-8: libxml2 parses those faster than a str
    if isinstance(html, bytes):
        head = html[:1024].lstrip()[:8]
        if any(head.startswith(magic) for magic in _BINARY_MAGIC):
            raise NotHtmlError("binary content, not HTML")
        data = html[3:] if html.startswith(b"\xef\xbb\xbf") else html
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            with contextlib.suppress(UnicodeDecodeError):
                html, utf8 = data.decode("utf-8"), data
        if utf8 is None:
            html = decode_html(html)
    if "\x00" in html[:1024]:
        raise NotHtmlError("binary content, not HTML")
    if _ENCODING_DECLARATION.match(html):
        # lxml refuses str input that carries an XML encoding declaration
        html, utf8 = _ENCODING_DECLARATION.sub("", html, count=1), None
    if not html or html.isspace():
        raise NotHtmlError("empty document")
    if utf8 is None:
        # a str parses faster as its UTF-8 bytes (a str with lone surrogates stays a str)
        with contextlib.suppress(UnicodeEncodeError):
            utf8 = html.encode("utf-8")
    try:
        if utf8 is not None:
            tree = lxml.html.document_fromstring(utf8, parser=_parser("utf-8"))
        else:
            tree = lxml.html.document_fromstring(html, parser=_parser())
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotHtmlError(f"unparseable HTML: {exc}") from exc
    if tree is None or (tree.find(".//*") is None and not (tree.text_content() or "").strip()):
        raise NotHtmlError("no HTML elements")
    return tree
