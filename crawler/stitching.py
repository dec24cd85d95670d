"""Joining the pages of a multi-page article into one record (pure; no Scrapy).

Pikiran Rakyat and Tribun split a story over `?page=N`; each page is extracted on its own and
the records are stitched here: the bodies in page order, credits from every page (the
'Editor:' line is on the last one), the metadata of page 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from crawler.extraction.text import content_hash, word_count

_UNION_FIELDS = ("authors", "editors", "sources", "tags")


def stitch(records: Sequence[dict]) -> dict:
    """One record from the records of pages 1..N, in order."""
    if not records:
        raise ValueError("nothing to stitch")
    first = records[0]
    if len(records) == 1:
        # the story as fetched: one page (a site that ignored ?page=N gave no more)
        return {**first, "page": 1, "pages": 1}
    merged = dict(first)
    body = "\n\n".join(r["body"] for r in records if r.get("body"))
    merged["body"] = body
    merged["page"] = 1
    merged["pages"] = len(records)
    merged["word_count"] = word_count(body)
    merged["content_hash"] = content_hash(body)
    for name in _UNION_FIELDS:
        values: list[str] = []
        for record in records:
            for value in record.get(name) or []:
                if value not in values:
                    values.append(value)
        merged[name] = values
    # A page without the 'Editor:' line credits its metadata author, who is the editor named
    # on another page (Tribun): a person is an author too only if one page says both.
    editors = set(merged["editors"])
    merged["authors"] = [
        a for a in merged["authors"] if a not in editors or any(a in r["authors"] and a in r["editors"] for r in records)
    ]
    for name in ("modified_at", "section", "image", "published_at", "title"):
        if merged.get(name) is None:
            merged[name] = next((r[name] for r in records if r.get(name) is not None), None)
    removed: Counter[str] = Counter()
    for record in records:
        removed.update(record.get("removed") or {})
    merged["removed"] = dict(sorted(removed.items()))
    return merged


def repeats_earlier_page(record: dict, earlier: Sequence[dict]) -> bool:
    """A 'page N' whose story equals an earlier page's: the site ignored `?page=N` and served
    page 1 again. Stitching it would double the story."""
    return any(record.get("content_hash") == r.get("content_hash") for r in earlier)
