"""String helpers shared by the extraction steps."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import ftfy
from ftfy.badness import is_bad

_SPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+")
# zero-width and BOM characters that pages sprinkle into text and that break matching
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalize_space(text: str) -> str:
    """Collapse every whitespace run (incl. NBSP) to one space and trim."""
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    # str.split() splits at exactly what the regex \s matches (str.isspace), at twice the speed
    return " ".join(text.split())


def is_invisible(char: str) -> bool:
    """A zero-width or soft-hyphen character, which normalize_space drops."""
    return _INVISIBLE.match(char) is not None


def text_of(el) -> str:
    """`el.text_content()`, without its XPath call for the common element with no children."""
    return (el.text or "") if len(el) == 0 else el.text_content()


def word_count(text: str) -> int:
    return len(WORD.findall(text))


# The cleaning steps ask a block's word count again and again (each step, each pass over the
# blocks): a bounded cache keyed by the text (whose hash str keeps) answers the repeats.
words_in = lru_cache(maxsize=1024)(word_count)


def content_hash(body: str) -> str:
    """'sha1:<hex>' of the normalised, case-folded body: the same story gives the same hash."""
    canonical = normalize_space(unicodedata.normalize("NFKC", body)).casefold()
    return "sha1:" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()


# Only the encoding repairs: quotes, ligatures, widths and normalisation stay as the page has them.
_MOJIBAKE_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as cp1252 somewhere upstream ('CaÃ±a' -> 'Caña'),
    and leave text that shows no sign of it untouched."""
    if not text or not _MOJIBAKE_HINT.search(text) or not is_bad(text):
        return text
    return ftfy.fix_text(text, _MOJIBAKE_ONLY)


# Lead bytes of UTF-8 sequences read as cp1252: a cheap gate before ftfy's own check.
_MOJIBAKE_HINT = re.compile("[ÃÂâÅÄÐÑ]")
