"""Telling one article from its copies, without Scrapy.

* `normalize_url`: the key of an article URL. The AMP page, the mobile host, `?page=all`, a
  link with `utm_*` parameters and the plain desktop URL of one story all give the same key.
* `signature` / `near_duplicates`: MinHash over the word 3-gram shingles of the body, compared
  by estimated Jaccard similarity. A wire story (Antara, a network's shared desk) republished
  on another site keeps most of its shingles even with its own lead or closing paragraph.
* `SIGNATURES`: signatures the extraction workers computed ahead, for the dedup pipeline.
* `NearDuplicateIndex`: finds an earlier signature above the threshold without comparing with
  every earlier one: LSH, 32 bands of 4 MinHash values.

Why MinHash and not a 64-bit SimHash (measured on the 30 corpus bodies of 50+ words, each
against edited copies of itself): a copy with its first and last paragraphs replaced keeps a
shingle Jaccard similarity of 0.57 or more (median 0.74; unrelated corpus pairs: at most 0.004)
and all 30 are found here, while its SimHash moves so far that only 3 of 30 are within 3 bits
(16 of 30 within 10). A copy with one word changed is already more than 3 bits away in 9 of 30
cases; the park story of tests/fixtures/site with one closing sentence added is 11 bits away
(MinHash estimate 0.78), and unrelated pages are 20-43 bits apart.
"""

from __future__ import annotations

import re
import zlib
from hashlib import blake2b
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

__all__ = [
    "MIN_WORDS",
    "SIGNATURES",
    "THRESHOLD",
    "NearDuplicateIndex",
    "SignatureMemo",
    "near_duplicates",
    "normalize_url",
    "signature",
    "similarity",
]

# ---------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------

# Host labels that name a variant of the same site, not another site.
_VARIANT_HOST_PREFIXES = ("www.", "m.", "amp.")
# Query parameters that track a click or pick a view of the same article (page N of it, all
# pages, the AMP or single-page rendering); everything else may name content and is kept.
_DROPPED_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "igshid", "yclid", "_ga", "_gl",
        "mc_cid", "mc_eid", "ref", "src",
        "page",    # ?page=2, ?page=all (kompas, tribun, pikiran-rakyat)
        "single",  # detik's ?single=1: all pages on one
        "amp",     # ?amp, ?amp=1, ?amp=true
    }
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """The dedup key of an article URL: https, lowercase host without 'www.', 'm.' or 'amp.',
    no 'amp' path segment, no fragment, no trailing slash, no tracking or view parameters
    (utm_*, fbclid, gclid, _ga, ref, src, page, single, amp, outputType=amp), the remaining
    query sorted. Not a URL to fetch: the mobile and AMP hosts are folded into the desktop one
    only as a key."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "http":  # one article, whichever scheme a link used
        scheme = "https"
    host = (parts.hostname or "").rstrip(".")
    changed = True
    while changed:
        changed = False
        for prefix in _VARIANT_HOST_PREFIXES:
            rest = host.removeprefix(prefix)
            if rest != host and "." in rest:
                host, changed = rest, True
    netloc = host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        netloc = f"{host}:{port}"
    segments = [s for s in parts.path.split("/") if s and s.lower() != "amp"]
    path = "/" + "/".join(segments)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _DROPPED_PARAMS
        and not k.lower().startswith("utm_")
        and not (k.lower() == "outputtype" and v.lower() == "amp")
    ]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


# ---------------------------------------------------------------------------------------------
# Near-duplicate bodies
# ---------------------------------------------------------------------------------------------

SHINGLE = 3
"""Words per shingle."""
MIN_WORDS = 50
"""Shorter bodies are not compared: a few shared sentences would decide."""
THRESHOLD = 0.5
"""Estimated Jaccard similarity of the shingle sets from which two bodies are one story. Copies
of a story with their own lead and closing paragraphs score 0.54-0.95 on the corpus; unrelated
corpus pages at most 0.016 (estimate) and 0.004 (exact)."""
MAX_ENTRIES = 5_000
"""Signatures held in memory (about 0.9 KB each, `NearDuplicateIndex`); the oldest go first."""
NUM_PERM = 128
BANDS, ROWS = 32, 4
"""LSH banding of the 128 MinHash values: a pair at Jaccard 0.5 shares a band with
probability 0.87, at 0.6 0.99, at 0.7 0.9998; one at 0.05 only 2e-4 (and is then rejected)."""

_WORD = re.compile(r"\w+")
_PRIME = (1 << 61) - 1
_MASK32 = 0xFFFFFFFF


def _permutations() -> list[tuple[int, int]]:
    """NUM_PERM fixed (a, b) pairs of the hash family (a*x + b) mod p: derived from blake2b,
    so signatures stored by one run compare with those of the next."""
    out = []
    for i in range(NUM_PERM):
        digest = blake2b(f"crawler-minhash-{i}".encode(), digest_size=16).digest()
        a = int.from_bytes(digest[:8], "big") % (_PRIME - 1) + 1
        b = int.from_bytes(digest[8:], "big") % _PRIME
        out.append((a, b))
    return out


_PERMS = _permutations()
_A = np.array([a for a, _ in _PERMS], dtype=np.uint64)
_B = np.array([b for _, b in _PERMS], dtype=np.uint64)


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _shingles(tokens: list[str]) -> set[str]:
    return set(map(" ".join, zip(tokens, tokens[1:], tokens[2:], strict=False)))


def shingles(text: str) -> set[str]:
    """The word 3-grams of `text`, case-folded, punctuation and spacing ignored."""
    return _shingles(words(text))


_P = np.uint64(_PRIME)
_SHIFT61 = np.uint64(61)
_A_ROW, _B_ROW = _A[None, :], _B[None, :]
# Shingles hashed per block: a (block x NUM_PERM) uint64 product is 128 KB, small enough to be
# reused by the allocator; one array for a whole body (hundreds of KB, fresh pages every call)
# cost more than the arithmetic.
_BLOCK = 128


def signature(text: str) -> bytes | None:
    """MinHash signature of the body's shingles: NUM_PERM 32-bit minima, as bytes (for
    storage), or None for a body under MIN_WORDS words."""
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return None
    found = _shingles(tokens)
    # crc32: a stable 32-bit hash of each shingle (the same in every process and run), in C
    hashed = np.fromiter(map(zlib.crc32, map(str.encode, found)), dtype=np.uint64, count=len(found))
    # (a*x + b) mod p for every shingle x and permutation (a, b), with numpy (the product wraps at
    # 2**64 as in datasketch; the family stays a good hash family for MinHash). p = 2**61 - 1 is a
    # Mersenne prime: x mod p = (x & p) + (x >> 61), less p once if that reaches p, which gives
    # the same values as `%` without a division per element.
    minima = None
    for start in range(0, len(hashed), _BLOCK):
        x = hashed[start : start + _BLOCK, None] * _A_ROW
        x += _B_ROW
        reduced = x & _P
        x >>= _SHIFT61
        reduced += x
        reduced[reduced >= _P] -= _P
        least = reduced.min(axis=0)
        minima = least if minima is None else np.minimum(minima, least, out=minima)
    assert minima is not None  # MIN_WORDS >= SHINGLE: at least one shingle
    return (minima & np.uint64(_MASK32)).astype("<u4").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two bodies from their signatures."""
    return int(np.count_nonzero(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4"))) / NUM_PERM


def near_duplicates(a: str, b: str) -> bool:
    """Whether two bodies tell the same story in (nearly) the same words: both at least
    MIN_WORDS words and their estimated Jaccard similarity at least THRESHOLD."""
    first, second = signature(a), signature(b)
    return first is not None and second is not None and similarity(first, second) >= THRESHOLD


class SignatureMemo:
    """Signatures computed ahead of the dedup pipeline, by the body they sign.

    A body's MinHash costs about 0.3 ms, the largest part of what a record costs the crawl
    process. The extraction workers sign each body beside its record, on another core
    (`crawler.extraction_pool`), and `DedupPipeline` takes the signature from here. The key is
    the body itself: a str caches its hash, so the lookup is cheap. A body changed on the way (a
    stitched story) misses and is signed anew. At most `size` entries are kept, the oldest go
    first: a record dropped before the dedup step (by the spider: no story, out of the window;
    by validation; a URL already emitted) never takes its signature."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._by_body: dict[str, bytes | None] = {}

    def __len__(self) -> int:
        return len(self._by_body)

    def __contains__(self, body: str) -> bool:
        return body in self._by_body

    def put(self, body: str, sig: bytes | None) -> None:
        """Keep `sig`, which is `signature(body)` (None for a body too short to compare)."""
        self._by_body[body] = sig
        if len(self._by_body) > self.size:
            del self._by_body[next(iter(self._by_body))]

    def take(self, body: str) -> bytes | None:
        """`signature(body)`: the kept one (forgotten once taken), else computed now."""
        try:
            return self._by_body.pop(body)
        except KeyError:
            return signature(body)


SIGNATURES = SignatureMemo()
"""This process's signatures computed ahead. A signature depends on nothing but the body, so
one memo serves every crawler of the process."""


# ---------------------------------------------------------------------------------------------
# The in-memory index
# ---------------------------------------------------------------------------------------------

# An odd 64-bit multiplier and a salt per band: the same values in two bands are two keys.
_BAND_MULT = np.uint64(int.from_bytes(blake2b(b"crawler-band", digest_size=8).digest(), "big") | 1)
_BAND_SALT = np.array(
    [int.from_bytes(blake2b(f"crawler-band-{i}".encode(), digest_size=8).digest(), "big") for i in range(BANDS)],
    dtype=np.uint64,
)
_BAND_NO = np.arange(BANDS, dtype=np.uint64) << np.uint64(32)
_SHIFT32 = np.uint64(32)
_MERGE_EVERY = 256
"""Entries added before their band keys are merged into the sorted arrays."""


def _low16(sig: bytes) -> np.ndarray:
    """The low 16 bits of each minimum: what the index keeps of a signature. Two different
    minima agree there by chance with probability 2**-16, which moves a similarity estimate by
    less than 0.0001."""
    return np.frombuffer(sig, dtype="<u4").astype(np.uint16)


# Rows or band keys handled at once by the index's bulk steps (bounds their temporaries)
_CHUNK = 16_384


def _band_keys(rows: np.ndarray) -> np.ndarray:
    """The LSH band keys of kept signatures (n x NUM_PERM uint16, C-contiguous): per band, its
    number in the high 32 bits and a 32-bit hash of its ROWS values (read as one 64-bit
    number) in the low ones, so that the keys of one band sort together. n x BANDS uint64."""
    packed = np.ascontiguousarray(rows).view(np.uint64).reshape(-1, BANDS)
    return (((packed + _BAND_SALT) * _BAND_MULT) >> _SHIFT32) | _BAND_NO


def _agreements(rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    """How many of NUM_PERM kept minima each candidate row shares with the query."""
    return np.count_nonzero(rows == query, axis=1)


class NearDuplicateIndex:
    """Signatures of earlier articles, each under a key (the normalised canonical URL) with the
    canonical URL a later copy should point to. A lookup compares only the entries that share
    an LSH band with it, so it costs about the same with ten articles or a month of them.

    Memory, about 0.9 KB an entry (the index held ~4 KB an entry as dicts of Python objects):

    * entries live in a ring of `max_entries` slots (entry number modulo `max_entries`), so the
      oldest goes when the ring comes round; a replaced key leaves its old slot empty until
      then. Each slot keeps the low 16 bits of the 128 minima (256 bytes), the key and the
      original.
    * the band keys of every entry (32 of them) sit in one sorted uint64 array with the slot
      of each (12 bytes a band); the entries added since the last merge are compared in a
      small block, and merged every `_MERGE_EVERY` entries. Keys of entries that are gone stay
      until a merge finds a quarter of them stale: a lookup recognises them, because the slot
      holds another entry (or none) whose band keys differ.
    """

    def __init__(self, threshold: float = THRESHOLD, max_entries: int = MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.threshold = threshold
        self.max_entries = max_entries
        self._ids: dict[str, int] = {}  # key -> number of its entry (also its age: smaller is older)
        self._keys: list[str | None] = []  # slot -> key (None: empty)
        self._originals: list[str] = []  # slot -> original
        self._numbers = np.full(0, -1, dtype=np.int64)  # slot -> entry number (-1: empty)
        self._rows = np.zeros((0, NUM_PERM), dtype=np.uint16)  # slot -> kept minima
        self._added = 0  # entries ever added: the next entry's number
        self._sorted_keys = np.zeros(0, dtype=np.uint64)  # band keys, sorted
        self._sorted_slots = np.zeros(0, dtype=np.uint32)  # the slot of each
        self._recent_keys = np.zeros((_MERGE_EVERY, BANDS), dtype=np.uint64)  # not merged yet
        self._recent_slots = np.zeros(_MERGE_EVERY, dtype=np.uint32)
        self._recent = 0
        self._stale = 0  # band keys in the sorted arrays whose entry is gone
        self._last: tuple[bytes, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, key: str, sig: bytes, original: str) -> None:
        """Add (or replace) the signature of `key`; past `max_entries`, the oldest entries go
        (a wire story is republished within days, and memory must stay flat on long crawls)."""
        if key in self._ids:
            self._remove(key)
        number = self._added
        self._added += 1
        slot = number % self.max_entries
        if slot == len(self._keys):  # the ring is still growing
            self._grow()
        elif self._keys[slot] is not None:  # the ring came round: the oldest entry goes
            self._remove(self._keys[slot])  # type: ignore[arg-type]
        row, keys = self._prepared(sig)
        self._ids[key] = number
        self._keys[slot] = key
        self._originals[slot] = original
        self._numbers[slot] = number
        self._rows[slot] = row
        if self._recent == _MERGE_EVERY:
            self._merge()
        self._recent_keys[self._recent] = keys
        self._recent_slots[self._recent] = slot
        self._recent += 1

    def _prepared(self, sig: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The kept minima and band keys of `sig` (a `find` is followed by the `add` of the same
        signature: computed once)."""
        if self._last is None or self._last[0] != sig:
            row = _low16(sig)
            self._last = (sig, row, _band_keys(row)[0])
        return self._last[1], self._last[2]

    def _grow(self) -> None:
        self._keys.append(None)
        self._originals.append("")
        size = len(self._keys)
        if size > len(self._numbers):  # double the arrays, up to max_entries slots
            capacity = min(self.max_entries, max(64, 2 * len(self._numbers)))
            numbers = np.full(capacity, -1, dtype=np.int64)
            numbers[: len(self._numbers)] = self._numbers
            rows = np.zeros((capacity, NUM_PERM), dtype=np.uint16)
            rows[: len(self._rows)] = self._rows
            self._numbers, self._rows = numbers, rows

    def _remove(self, key: str) -> None:
        slot = self._ids.pop(key) % self.max_entries
        self._keys[slot] = None
        self._originals[slot] = ""
        self._numbers[slot] = -1
        self._stale += BANDS

    def _live(self, slots: np.ndarray, keys: np.ndarray, table: np.ndarray | None = None) -> np.ndarray:
        """Which (slot, band key) pairs belong to the entry that holds the slot now. `table`:
        the band keys of every slot, when many pairs are checked at once."""
        bands = (keys >> _SHIFT32).astype(np.intp)
        if table is None:
            current = _band_keys(self._rows[slots])[np.arange(len(slots)), bands]
        else:
            current = table[slots, bands]
        return (self._numbers[slots] >= 0) & (current == keys)

    def _merge(self) -> None:
        """Move the recent entries' band keys into the sorted arrays (dropping stale keys when a
        quarter of them are)."""
        keys, slots = self._sorted_keys, self._sorted_slots
        table = None
        if self._stale * 4 > len(keys) and len(keys):
            # in chunks: done at once, the temporaries of a full index (a few times the sorted
            # arrays' size) would set the crawl's peak memory
            rows = len(self._keys)
            table = np.empty((rows, BANDS), dtype=np.uint64)
            for start in range(0, rows, _CHUNK):
                table[start : start + _CHUNK] = _band_keys(self._rows[start : start + _CHUNK])
            live = np.empty(len(keys), dtype=bool)
            for start in range(0, len(keys), _CHUNK):
                part = slice(start, start + _CHUNK)
                live[part] = self._live(slots[part].astype(np.intp), keys[part], table)
            keys, slots = keys[live], slots[live]
            self._stale = 0
        recent = self._recent_slots[: self._recent].astype(np.intp)
        new_keys = self._recent_keys[: self._recent]
        # an entry replaced or gone since it was added leaves nothing to merge
        current = _band_keys(self._rows[recent]) if table is None else table[recent]
        live = ((self._numbers[recent] >= 0)[:, None] & (current == new_keys)).ravel()
        new_keys = new_keys.ravel()[live]
        new_slots = np.repeat(self._recent_slots[: self._recent], BANDS)[live]
        order = np.argsort(new_keys, kind="stable")
        new_keys, new_slots = new_keys[order], new_slots[order]
        at = np.searchsorted(keys, new_keys, side="right")
        self._sorted_keys = np.insert(keys, at, new_keys)
        self._sorted_slots = np.insert(slots, at, new_slots)
        self._recent = 0

    def _candidates(self, keys: np.ndarray) -> np.ndarray:
        """Slots of the entries sharing a band key with `keys` (one signature's BANDS keys)."""
        found = []
        size = len(self._sorted_keys)
        if size:
            # each key's run of equal keys in the sorted array: [starts, ends), empty for a miss
            starts = np.searchsorted(self._sorted_keys, keys)
            ends = np.searchsorted(self._sorted_keys, keys, side="right")
            for band in np.flatnonzero(ends > starts):
                start, end = int(starts[band]), int(ends[band])
                slots = self._sorted_slots[start:end].astype(np.intp)
                found.append(slots[self._live(slots, self._sorted_keys[start:end])])
        if self._recent:
            recent = self._recent_keys[: self._recent]
            rows = (recent == keys).any(axis=1)
            if rows.any():
                rows = np.flatnonzero(rows)
                slots = self._recent_slots[rows].astype(np.intp)
                # the entry added then still holds its slot
                live = (self._numbers[slots] >= 0) & (_band_keys(self._rows[slots]) == recent[rows]).all(axis=1)
                found.append(slots[live])
        if not found:
            return np.zeros(0, dtype=np.intp)
        return np.unique(np.concatenate(found))

    def find(self, sig: bytes, *, exclude: str | None = None) -> tuple[str, str, float] | None:
        """The most similar earlier entry at or above the threshold, as (key, original,
        similarity), or None; ties go to the earliest added. `exclude` skips the article's own
        key (its earlier version is not a copy of it)."""
        row, keys = self._prepared(sig)
        slots = self._candidates(keys)
        if exclude is not None and exclude in self._ids:
            slots = slots[slots != self._ids[exclude] % self.max_entries]
        if not len(slots):
            return None
        scores = _agreements(self._rows[slots], row) / NUM_PERM
        good = scores >= self.threshold
        if not good.any():
            return None
        slots, scores = slots[good], scores[good]
        # the highest score, then the earliest added
        best = np.lexsort((self._numbers[slots], -scores))[0]
        slot = int(slots[best])
        return self._keys[slot], self._originals[slot], float(scores[best])  # type: ignore[return-value]


class KeySet:
    """The article keys seen in a run, at 8 bytes a key: a 64-bit hash of each (Python's, SipHash)
    in a sorted array, the newest in a small set. Two keys share a hash with a probability of
    about n**2 / 2**65 (1e-10 for 50,000 keys): memory stays flat on long crawls where a set of
    URLs grew by ~150 bytes an article."""

    _MERGE_AT = 4096

    def __init__(self) -> None:
        self._sorted = np.zeros(0, dtype=np.int64)
        self._recent: set[int] = set()

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def __contains__(self, key: str) -> bool:
        h = hash(key)
        if h in self._recent:
            return True
        at = int(np.searchsorted(self._sorted, h))
        return at < len(self._sorted) and int(self._sorted[at]) == h

    def add(self, key: str) -> bool:
        """Add `key`; False when it was there already."""
        if key in self:
            return False
        self._recent.add(hash(key))
        if len(self._recent) >= self._MERGE_AT:
            recent = np.fromiter(self._recent, dtype=np.int64, count=len(self._recent))
            self._sorted = np.union1d(self._sorted, recent)
            self._recent = set()
        return True
