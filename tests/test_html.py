"""Unit tests for crawler.extraction.html: page bytes -> str -> one lxml tree, or NotHtmlError."""

from __future__ import annotations

import pytest

from crawler.extraction.html import NotHtmlError, decode_html, parse_html

# --- decode_html ------------------------------------------------------------------------------

DECODE_ROWS = [
    # UTF-8 first, whatever the page declares
    ("<p>Harga naik — “kata” Budi</p>".encode(), None, "<p>Harga naik — “kata” Budi</p>"),
    ('<meta charset="windows-1252"><p>café</p>'.encode(), None, '<meta charset="windows-1252"><p>café</p>'),
    # a UTF-8 BOM is dropped
    (b"\xef\xbb\xbf<p>Halo</p>", None, "<p>Halo</p>"),
    # windows-1252 bytes under a wrong utf-8 declaration: the bytes win
    (
        '<meta charset="utf-8"><p>caf\xe9 \u201ckutip\u201d</p>'.encode("cp1252"),
        None,
        '<meta charset="utf-8"><p>café “kutip”</p>',
    ),
    ("<p>caf\xe9</p>".encode("cp1252"), "utf-8", "<p>café</p>"),
    # the declared / meta charset when the bytes are not UTF-8
    ('<meta charset="iso-8859-1"><p>\xe9</p>'.encode("latin-1"), None, '<meta charset="iso-8859-1"><p>é</p>'),
    (
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>caf\xe9</p>',
        None,
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>café</p>',
    ),
    ('<meta charset="shift_jis"><p>あ</p>'.encode("shift_jis"), None, '<meta charset="shift_jis"><p>あ</p>'),
    ("<p>\u3042</p>".encode("euc-jp"), "euc-jp", "<p>\u3042</p>"),
    # an unknown declared charset falls through to cp1252
    ("<p>\xe9</p>".encode("latin-1"), "bogus-charset", "<p>é</p>"),
    # cp1252 never fails: undefined bytes become U+FFFD
    (b"<p>\x81</p>", None, "<p>\ufffd</p>"),
    (b"", None, ""),
]


@pytest.mark.parametrize(("data", "declared", "text"), DECODE_ROWS)
def test_decode_html(data, declared, text):
    assert decode_html(data, declared) == text


def test_decode_html_utf16_bom():
    assert decode_html("<p>Halo</p>".encode("utf-16")) == "<p>Halo</p>"


# --- parse_html -------------------------------------------------------------------------------

NOT_HTML_ROWS = [
    (b"", "empty"),
    ("", "empty"),
    ("   \n\t ", "empty"),
    (b"  \r\n ", "empty"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary"),
    (b"  %PDF-1.7", "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"GIF89a\x01\x00\x01\x00", "binary"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary"),
    (b"PK\x03\x04\x14\x00", "binary"),
    (b"\x1f\x8b\x08\x00", "binary"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "binary"),
    ("<p>a\x00b</p>", "binary"),
    ("<!-- hanya komentar -->", "unparseable"),
    ("<html></html>", "no HTML elements"),
]


@pytest.mark.parametrize(("data", "message"), NOT_HTML_ROWS)
def test_parse_html_rejects(data, message):
    with pytest.raises(NotHtmlError, match=message):
        parse_html(data)


def test_not_html_error_is_a_value_error():
    assert issubclass(NotHtmlError, ValueError)


PARSE_ROWS = [
    ("<html><body><p>Halo dunia</p></body></html>", "Halo dunia"),
    (b"<html><body><p>Halo dunia</p></body></html>", "Halo dunia"),
    (b"\xef\xbb\xbf<html><body><p>Halo dunia</p></body></html>", "Halo dunia"),
    ("\ufeff<html><body><p>Halo dunia</p></body></html>", "Halo dunia"),
    # lxml refuses str with an XML encoding declaration: it is stripped
    ('<?xml version="1.0" encoding="utf-8"?><html><body><p>Halo dunia</p></body></html>', "Halo dunia"),
    (b'<?xml version="1.0" encoding="utf-8"?><html><body><p>Halo dunia</p></body></html>', "Halo dunia"),
    # a fragment without <html> still parses
    ("<p>Halo dunia</p>", "Halo dunia"),
    ("teks tanpa tag", "teks tanpa tag"),
    # windows-1252 bytes with a wrong utf-8 declaration
    ('<html><head><meta charset="utf-8"></head><body><p>caf\xe9</p></body></html>'.encode("cp1252"), "café"),
]


@pytest.mark.parametrize(("data", "text"), PARSE_ROWS)
def test_parse_html(data, text):
    tree = parse_html(data)
    assert tree.tag == "html"
    assert tree.text_content().strip() == text


def test_parse_html_utf16_bom():
    tree = parse_html("<html><body><p>Halo dunia</p></body></html>".encode("utf-16"))
    assert tree.text_content().strip() == "Halo dunia"
