"""Scoring a cleaner against the shared corpus of saved pages and expected records.

Pure Python (no Scrapy, no network); imported by the tests and by `bench/extraction.py`.
The rules follow `shared/corpus/README.md` ("How a cleaner is scored"); where the README leaves
a choice open, the choice made here is stated next to the code that makes it.

Body: the measure of the public article-extraction benchmark (scrapinghub/article-extraction-benchmark,
`evaluate.py`):

- Words are `\\w+` runs (Unicode-aware). The text is used **as-is, no case folding**: the benchmark's
  regex carries re.IGNORECASE, but that flag does not change what `\\w+` matches and `findall`
  returns the original text, so its shingles compare case-sensitively. Punctuation is ignored.
- Both texts are cut into word 4-grams, compared as multisets (Counter): tp = sum of min counts,
  fp = extra predicted 4-grams, fn = missing expected ones. Per page precision = tp / (tp + fp),
  recall = tp / (tp + fn).
- Edge cases as the benchmark's `precision_score` / `recall_score`: both texts without n-grams
  -> P = R = 1.0; expected non-empty but nothing extracted -> P = 0.0, R = 0.0; expected empty
  but something extracted -> P = 0.0, R = 0.0.
- Corpus P and R are the means of the per-page values over **all** pages, F1 the harmonic mean
  of the two means (as the corpus README says). One deliberate difference from the benchmark's
  `evaluate.py`: it leaves a page with an empty prediction out of the precision mean; here an
  empty body counts as precision 0, because an empty record is a failure, not an abstention.
- Texts shorter than 4 words (the benchmark would turn them into one shorter "shingle" that can
  only match an identical text): when a non-empty side has fewer than n words, both sides are
  compared as k-grams with k = the shorter non-empty side's word count. A 3-word expected body
  found inside a longer extraction then gets full recall and a small precision, as it should; an
  empty side still has no k-grams, so the empty-text rules above apply unchanged.

Fields: title and dateline equal after whitespace normalisation and case folding (null == null;
a blank string counts as null); authors, editors, sources equal as sets after the same
normalisation (blank names dropped; null counts as []); published_at the same instant to the
minute with the same UTC offset (a date-only truth compares the calendar date only).

Leaks: a page leaks when one of its truth `noise` snippets, whitespace-normalised, occurs in the
whitespace-normalised body. That check is case-sensitive: the snippets are exact page text.
"""

from __future__ import annotations

import json
import math
import os
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = [
    "CorpusPage",
    "CorpusSummary",
    "N",
    "PageScore",
    "body_scores",
    "corpus_dir",
    "generic_bench_dir",
    "leaks",
    "load_corpus",
    "ngram_counts",
    "normalise",
    "same_instant",
    "same_names",
    "same_text",
    "score_page",
    "shared_dir",
    "summarise",
    "tokens",
]

N = 4
"""Word n-gram length of the body measure."""

SHARED_DIR_ENV = "CRAWLER_SHARED_DIR"
"""Environment variable: path of the shared directory (the one holding `corpus/` and `bench/`)."""

EXACT_FIELDS: tuple[str, ...] = (
    "title",
    "published_at",
    "authors",
    "editors",
    "sources",
    "dateline",
)
"""Fields compared exactly; `PageScore.<field>_ok` and `CorpusSummary.<field>_rate` exist for each."""

_WORD_RE = re.compile(r"\w+")
_REPO_ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- body measure


def tokens(text: str | None) -> list[str]:
    """The words of `text`: `\\w+` runs, as written (no case folding)."""
    return _WORD_RE.findall(text or "")


def _ngrams(words: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def ngram_counts(text: str | None, n: int = N) -> Counter[tuple[str, ...]]:
    """Multiset of the word n-grams of `text` (tuples of words). Fewer than n words -> empty."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    return _ngrams(tokens(text), n)


def _precision_recall(tp: int, fp: int, fn: int) -> tuple[float, float]:
    # Same definitions as the benchmark's precision_score / recall_score.
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    precision = 0.0 if tp + fp == 0 else tp / (tp + fp)
    recall = 0.0 if tp + fn == 0 else tp / (tp + fn)
    return precision, recall


def body_scores(expected: str | None, got: str | None, n: int = N) -> tuple[float, float]:
    """(precision, recall) of the extracted body `got` against the `expected` one.

    Word n-grams compared as multisets; see the module docstring for the edge cases.
    """
    exp_words, got_words = tokens(expected), tokens(got)
    # Short texts: compare both sides at the shorter non-empty side's length, so they stay
    # comparable (and a 2-word text is not mistaken for an empty one).
    lengths = [len(words) for words in (exp_words, got_words) if words]
    if lengths:
        n = max(1, min(n, *lengths))
    exp, pred = _ngrams(exp_words, n), _ngrams(got_words, n)
    tp = sum((exp & pred).values())
    fp = sum(pred.values()) - tp
    fn = sum(exp.values()) - tp
    return _precision_recall(tp, fp, fn)


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall; 0.0 when both are 0."""
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


# --------------------------------------------------------------------------- leaks and fields


def normalise(text: str | None) -> str:
    """Whitespace runs (any Unicode whitespace, incl. NBSP) to one space, stripped. None -> ''."""
    return " ".join((text or "").split())


def leaks(body: str | None, noise_snippets: Iterable[str] | None) -> list[str]:
    """The noise snippets (as given) whose whitespace-normalised text occurs in the body."""
    haystack = normalise(body)
    found = []
    for snippet in noise_snippets or ():
        needle = normalise(snippet)
        if needle and needle in haystack:
            found.append(snippet)
    return found


def _fold(text: str | None) -> str | None:
    value = normalise(text).casefold()
    return value or None


def same_text(expected: str | None, got: str | None) -> bool:
    """Equal after whitespace normalisation and case folding; null == null; '' counts as null."""
    return _fold(expected) == _fold(got)


def _name_set(names: Iterable[str] | str | None) -> set[str]:
    if isinstance(names, str):  # a bare string is one name, not a sequence of characters
        names = [names]
    return {folded for name in names or () if (folded := _fold(name)) is not None}


def same_names(expected: Iterable[str] | None, got: Iterable[str] | None) -> bool:
    """Equal as sets of whitespace-normalised, case-folded names; null counts as []."""
    return _name_set(expected) == _name_set(got)


_DATE_ONLY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_datetime(value: str) -> datetime | date | None:
    value = value.strip()
    try:
        if _DATE_ONLY_RE.match(value):
            return date.fromisoformat(value)
        return datetime.fromisoformat(value)  # Python 3.11: accepts 'Z' and most ISO 8601 forms
    except ValueError:
        return None


def same_instant(expected_iso: str | None, got_iso: str | None) -> bool:
    """Same instant to the minute AND the same UTC offset; null == null.

    A date-only expected value ('YYYY-MM-DD') compares the date only (the calendar date `got`
    states, in its own offset). A date-only `got` never matches an expected value with a time.
    Unparseable values never match; two values without offset compare their wall-clock time.
    """
    if not expected_iso or not got_iso:
        return not expected_iso and not got_iso
    exp, got = _parse_datetime(expected_iso), _parse_datetime(got_iso)
    if exp is None or got is None:
        return False
    if not isinstance(exp, datetime):  # date-only truth
        return (got.date() if isinstance(got, datetime) else got) == exp
    if not isinstance(got, datetime):
        return False
    if exp.utcoffset() != got.utcoffset():
        return False
    # Same offset, so "same instant to the minute" == same wall-clock time with seconds dropped.
    return exp.replace(second=0, microsecond=0) == got.replace(second=0, microsecond=0)


# --------------------------------------------------------------------------- corpus


def shared_dir() -> Path | None:
    """The shared directory: $CRAWLER_SHARED_DIR if set, else `../shared` beside the repo; None
    when it does not exist."""
    env = os.environ.get(SHARED_DIR_ENV)
    path = Path(env).expanduser() if env else _REPO_ROOT.parent / "shared"
    return path if path.is_dir() else None


def corpus_dir() -> Path | None:
    """`<shared>/corpus` (pages/, truth/, manifest.tsv) if it exists, else None."""
    shared = shared_dir()
    path = shared / "corpus" if shared else None
    return path if path is not None and (path / "truth").is_dir() else None


def generic_bench_dir() -> Path | None:
    """`<shared>/bench/article-extraction-benchmark` (html/*.html.gz, ground-truth.json), or None."""
    shared = shared_dir()
    path = shared / "bench" / "article-extraction-benchmark" if shared else None
    return path if path is not None and (path / "ground-truth.json").is_file() else None


@dataclass(frozen=True)
class CorpusPage:
    """One saved page with its expected record."""

    id: str
    path: Path
    """The saved HTML (`pages/<id>.html`)."""
    truth: dict[str, Any] = field(repr=False)
    url: str

    @cached_property
    def html(self) -> bytes:
        """The page's bytes, read once."""
        return self.path.read_bytes()


def load_corpus(corpus_dir: Path) -> list[CorpusPage]:
    """Every `truth/<id>.json` that has its `pages/<id>.html`, sorted by id.

    A truth file without its page is an error (the corpus is broken), not something to skip.
    """
    corpus_dir = Path(corpus_dir)
    pages = []
    for truth_path in sorted((corpus_dir / "truth").glob("*.json")):
        page_id = truth_path.stem
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        html_path = corpus_dir / "pages" / f"{page_id}.html"
        if not html_path.is_file():
            raise FileNotFoundError(f"{truth_path} has no page {html_path}")
        truth.setdefault("id", page_id)
        pages.append(
            CorpusPage(id=page_id, path=html_path, truth=truth, url=truth.get("url") or "")
        )
    return pages


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class PageScore:
    """How one extracted record compares with its expected record."""

    id: str
    precision: float
    recall: float
    f1: float
    leaked: tuple[str, ...] = ()
    """The truth `noise` snippets found in the body."""
    title_ok: bool = False
    published_ok: bool = False
    authors_ok: bool = False
    editors_ok: bool = False
    sources_ok: bool = False
    dateline_ok: bool = False

    def field_ok(self, name: str) -> bool:
        """`<name>_ok` for one of EXACT_FIELDS ('published_at' -> published_ok)."""
        return getattr(self, "published_ok" if name == "published_at" else f"{name}_ok")

    def failed_fields(self) -> list[str]:
        return [name for name in EXACT_FIELDS if not self.field_ok(name)]


def score_page(truth: Mapping[str, Any], record: Mapping[str, Any]) -> PageScore:
    """Score one extracted `record` (the dict `extract` returns) against its `truth`.

    Missing record keys count as null / [] / ''.
    """
    precision, recall = body_scores(truth.get("body"), record.get("body"))
    return PageScore(
        id=str(truth.get("id", "")),
        precision=precision,
        recall=recall,
        f1=f1_score(precision, recall),
        leaked=tuple(leaks(record.get("body"), truth.get("noise"))),
        title_ok=same_text(truth.get("title"), record.get("title")),
        published_ok=same_instant(truth.get("published_at"), record.get("published_at")),
        authors_ok=same_names(truth.get("authors"), record.get("authors")),
        editors_ok=same_names(truth.get("editors"), record.get("editors")),
        sources_ok=same_names(truth.get("sources"), record.get("sources")),
        dateline_ok=same_text(truth.get("dateline"), record.get("dateline")),
    )


@dataclass(frozen=True)
class CorpusSummary:
    """Corpus-level scores. Rates are fractions 0..1 of pages whose field matched exactly."""

    pages: int
    precision: float
    """Mean of per-page precision."""
    recall: float
    """Mean of per-page recall."""
    f1: float
    """Harmonic mean of `precision` and `recall` (of the means, not a mean of page F1s)."""
    min_page_f1: float
    leak_pages: int
    """How many pages leak at least one noise snippet."""
    title_rate: float
    published_rate: float
    authors_rate: float
    editors_rate: float
    sources_rate: float
    dateline_rate: float

    def rate(self, name: str) -> float:
        """`<name>_rate` for one of EXACT_FIELDS ('published_at' -> published_rate)."""
        return getattr(self, "published_rate" if name == "published_at" else f"{name}_rate")


def summarise(scores: Sequence[PageScore]) -> CorpusSummary:
    """Means over pages. No pages -> all zeros (nothing was shown to work)."""
    scores = list(scores)
    if not scores:
        return CorpusSummary(0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    precision = statistics.fmean(s.precision for s in scores)
    recall = statistics.fmean(s.recall for s in scores)

    def rate(attr: str) -> float:
        return sum(bool(getattr(s, attr)) for s in scores) / len(scores)

    return CorpusSummary(
        pages=len(scores),
        precision=precision,
        recall=recall,
        f1=f1_score(precision, recall),
        min_page_f1=min(s.f1 for s in scores),
        leak_pages=sum(1 for s in scores if s.leaked),
        title_rate=rate("title_ok"),
        published_rate=rate("published_ok"),
        authors_rate=rate("authors_ok"),
        editors_rate=rate("editors_ok"),
        sources_rate=rate("sources_ok"),
        dateline_rate=rate("dateline_ok"),
    )


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
