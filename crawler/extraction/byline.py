"""Credit lines: 'Penulis: …', 'Editor: …', 'Reporter: …', 'Sumber: …', 'Oleh …', and sign-offs.

Indonesian outlets state credits as short labelled lines around the story. Turning such a line
into (role, names) is one pure function, used both to harvest credits and, by the cleaner, to
know which paragraphs are credit lines rather than story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.extraction.text import normalize_space

# role word -> record field
ROLE_FIELDS: dict[str, str] = {
    "penulis": "authors",
    "reporter": "authors",
    "pewarta": "authors",
    "wartawan": "authors",
    "kontributor": "authors",
    "koresponden": "authors",
    "oleh": "authors",
    "writer": "authors",
    "author": "authors",
    "by": "authors",
    "laporan wartawan": "authors",
    "laporan reporter": "authors",
    "editor": "editors",
    "penyunting": "editors",
    "redaktur": "editors",
    "penyelaras": "editors",
    "editing": "editors",
    "red": "editors",
    "sumber": "sources",
    "source": "sources",
}

_ROLE_WORDS = "|".join(sorted((re.escape(r) for r in ROLE_FIELDS), key=len, reverse=True))
# 'Editor: Nur Annisa', 'Penulis : X', 'Pewarta: X', 'Editor : X | Y'
CREDIT_LINE = re.compile(rf"^\s*(?P<role>{_ROLE_WORDS})\s*[:：]\s*(?P<value>.{{2,120}})$", re.I)
# 'Oleh Beryl Santoso' / 'Oleh: X' (without colon only before a capitalised name)
BY_LINE = re.compile(r"^\s*(?i:oleh|by)\s*[:：]?\s+(?P<value>[A-Z][^\n]{1,80})$")
# Where a role label starts inside a longer line: 'GAYA | 17 Juni 2021 Reporter : X'
# (a label glued to the name before it, 'Nurul HidayahEditor:', is still a label)
ROLE_LABEL = re.compile(rf"(?:(?<![\w])|(?-i:(?<=[a-z])(?=[A-Z])))(?P<role>{_ROLE_WORDS}|red)\s*[:：]\s*", re.I)
# 'Kontributor Bandung' / 'Wartawan Tribun Jabar': a role and a place, not a name
_ROLE_PREFIX = re.compile(rf"^(?:{_ROLE_WORDS})\b", re.I)
# 'Laporan Wartawan TribunSolo.com, Adi Surya' (Tribun network)
TRIBUN_REPORT = re.compile(
    r"^\s*Laporan\s+(?:Wartawan|Reporter|Kontributor)\s+[\w.]+(?:\s+[\w.]+)?\s*,\s*(?P<value>[^\n]{2,80})$",
    re.I,
)

# Wire services and origins credited in sign-offs like '(Antara)' or '(ANT/Reuters)'.
WIRE_NAMES: dict[str, str] = {
    "antara": "Antara",
    "ant": "Antara",
    "reuters": "Reuters",
    "afp": "AFP",
    "ap": "AP",
    "xinhua": "Xinhua",
    "bbc": "BBC",
    "dpa": "dpa",
    "anadolu": "Anadolu",
    "bernama": "Bernama",
    "prnewswire": "PRNewswire",
}

_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bdan\b|/|\|)\s*", re.I)
# Things that follow a name on the same line and are not part of it.
_NAME_TAIL = re.compile(
    r"\s*(?:[-–—|]\s*.*$|\(\s*[\w.]+\s*\)\s*$|\s+(?:\d{1,2}\s+\w+\s+\d{4}|\d{1,2}[/.-]\d{1,2}).*$|"
    r"\s+(?:on|pada|at)\s+\d.*$|\s*(?:copyright|©).*$)",
    re.I,
)
_OUTLET_NAME = re.compile(
    r"(?:\.(?:com|co\.id|id|net|org|tv)\b|^tim\b|\bredaksi\b|^admin\b|\b(?:media|cyber|network|"
    r"group|newsroom|news|wire|newswire|digital|online|corp|corporation)\b)",
    re.I,
)


@dataclass
class Credits:
    """Names harvested from credit lines, in page order, without duplicates."""

    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, field_name: str, names: list[str]) -> None:
        target: list[str] = getattr(self, field_name)
        seen = {n.casefold() for n in target}
        for name in names:
            if name.casefold() not in seen:
                target.append(name)
                seen.add(name.casefold())

    def merge(self, other: Credits) -> None:
        for name in ("authors", "editors", "sources"):
            self.add(name, getattr(other, name))


def split_names(value: str, *, keep_outlets: bool = False) -> list[str]:
    """'Nur Annisa, Adi Surya dan Budi' -> ['Nur Annisa', 'Adi Surya', 'Budi'].

    Outlet names ('Liputan6.com', 'Tim Redaksi') are not people: they are dropped from
    author/editor lists but kept for sources (`keep_outlets=True`)."""
    value = normalize_space(value)
    if not keep_outlets:
        value = _NAME_TAIL.sub("", value)
    names = []
    # sources: 'Reuters/AFP' are two, 'Instagram/@akun' is one
    parts = re.split(r"\s*(?:,|;|\bdan\b|/(?=[A-Z]))\s*", value) if keep_outlets else _NAME_SPLIT.split(value)
    for part in parts:
        name = normalize_space(part).strip(" .:-–—()")
        if not name or len(name) > 60 or len(name.split()) > 6:
            continue
        if not keep_outlets and (_OUTLET_NAME.search(name) or not re.search(r"[A-Za-z]", name)):
            continue
        # a lone lower-case token is a user name ('prwir'), not a person's name as written
        if not keep_outlets and " " not in name and name.islower():
            continue
        if not keep_outlets and _ROLE_PREFIX.match(name):
            continue
        names.append(name)
    return names


def parse_credit_line(text: str) -> tuple[str, list[str]] | None:
    """('editors', ['Nur Annisa']) for 'Editor: Nur Annisa'; None if `text` is not a credit line."""
    text = normalize_space(text)
    if not text or len(text) > 160:
        return None
    match = TRIBUN_REPORT.match(text)
    if match:
        return "authors", split_names(match["value"])
    match = CREDIT_LINE.match(text)
    if match:
        field_name = ROLE_FIELDS[match["role"].lower()]
        names = split_names(match["value"], keep_outlets=field_name == "sources")
        return field_name, names
    match = BY_LINE.match(text)
    if match and looks_like_names(_NAME_TAIL.sub("", match["value"])):
        return "authors", split_names(match["value"])
    return None


_NAME_PARTICLES = frozenset("bin binti van von de der di al el dan and da dos".split())


def looks_like_names(value: str) -> bool:
    """'Beryl Santoso' or 'A, B dan C' — not 'Kementerian Kesehatan, warga diminta waspada.'"""
    words = re.findall(r"[^\W\d_][\w'.-]*", value)
    if not words or len(words) > 12 or (value.rstrip().endswith((".", "!", "?")) and len(words) > 4):
        return False
    return all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def find_credits(text: str, *, anywhere: bool = False) -> list[tuple[str, list[str]]]:
    """Every labelled credit in one line: 'Redaktur : X Sumber : Y' -> [('editors', [X]),
    ('sources', [Y])]. With `anywhere`, text before the first label is ignored ('GAYA | 17
    Juni 2021 Reporter : X'); otherwise the line must start with a label."""
    text = normalize_space(text)
    if ":" not in text and "：" not in text and not text[:7].lower().startswith(("oleh", "by", "laporan")):
        return []  # every pattern below needs a label's colon or a leading 'Oleh'/'By'/'Laporan'
    labels = list(ROLE_LABEL.finditer(text))
    if not labels or (not anywhere and labels[0].start() > 0):
        whole = parse_credit_line(text)
        return [whole] if whole else []
    found = []
    for i, label in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        value = text[label.end() : end].strip(" |,;-–")
        field_name = ROLE_FIELDS[label["role"].lower()]
        # a label with no person after it ('Editor: PR Wire') is still a credit line
        found.append((field_name, split_names(value, keep_outlets=field_name == "sources")))
    return found


def wire_source(code: str) -> str | None:
    """'ant' -> 'Antara', 'Reuters' -> 'Reuters'; None for reporter initials like 'rka'."""
    return WIRE_NAMES.get(code.strip().lower())
