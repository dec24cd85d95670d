"""String helpers shared by the extraction steps."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+")
# zero-width and BOM characters that pages sprinkle into text and that break matching
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalize_space(text: str) -> str:
    """Collapse every whitespace run (incl. NBSP) to one space and trim."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def content_hash(body: str) -> str:
    """'sha1:<hex>' of the normalised, case-folded body: the same story gives the same hash."""
    canonical = normalize_space(unicodedata.normalize("NFKC", body)).casefold()
    return "sha1:" + hashlib.sha1(canonical.encode("utf-8")).hexdigest()
