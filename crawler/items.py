"""The record contract, version 1: one clean news article.

`ArticleItem` is what the spider yields and what every feed line holds. The same contract is
shipped as a JSON Schema (`crawler/schema/article.v1.schema.json`); `crawler.schema.validate`
checks a record against it. `extract()` returns the plain-dict form of this class
(`dataclasses.asdict`), so code that never imports Scrapy sees the same fields.

This module must not import Scrapy: Scrapy accepts dataclass items through itemadapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SCHEMA_VERSION = 1


@dataclass
class ArticleImage:
    """The article's lead image."""

    url: str | None = None
    """Absolute URL of the image (og:image / JSON-LD image / first figure), or null."""

    caption: str | None = None
    """Caption shown under the lead image, without the photo credit, or null."""


@dataclass
class ArticleItem:
    """One news article as a clean record. Missing values are null or [], never '-' or ''."""

    url: str
    """The URL the page was fetched from (after redirects)."""

    canonical_url: str
    """The article's canonical URL: <link rel=canonical>, og:url, else `url`; page 1 of a
    multi-page article."""

    site: str
    """Host of `canonical_url` without a leading 'www.' or 'm.', e.g. 'depok.pikiran-rakyat.com'."""

    network: str | None
    """Media network the site belongs to, e.g. 'pikiran-rakyat', 'tribun', 'kly'; null if none."""

    extractor: str
    """What produced the body: '<profile>@<version>' (e.g. 'pikiran-rakyat@2020'), 'generic', or
    '<profile>@<version>+generic' when the profile matched the URL but its selectors found
    nothing and the generic path stood in."""

    title: str | None
    """Headline as shown in the page's h1, whitespace-normalised, without a ' - SiteName' suffix."""

    body: str
    """The story text only: paragraphs joined by one blank line ('\\n\\n'), whitespace inside a
    paragraph collapsed to single spaces. No dateline, captions, 'Baca Juga' links, byline,
    editor/source lines, tags or pagination."""

    authors: list[str] = field(default_factory=list)
    """Writers/reporters/contributors credited, names only (no role words, no outlet names,
    no sign-off initials)."""

    editors: list[str] = field(default_factory=list)
    """Editors credited ('Editor:', 'Penyunting:'), names only."""

    sources: list[str] = field(default_factory=list)
    """Credited origin other than the outlet itself, e.g. 'Reuters', 'Antara' ('Sumber: Reuters')."""

    published_at: str | None = None
    """Publication time, ISO 8601 with offset (WIB +07:00, WITA +08:00, WIT +09:00), e.g.
    '2022-01-09T16:51:00+07:00'; a date alone ('2022-01-09') when the page gives no time;
    null when the page states none."""

    modified_at: str | None = None
    """Last update ('Diperbarui', dateModified), same format as `published_at`, or null."""

    published_at_raw: str | None = None
    """The publication date exactly as the page showed it, e.g. '9 Januari 2022, 16:51 WIB'."""

    dateline: str | None = None
    """The lead-in cut from the start of the body, without its dash, e.g. 'PR DEPOK',
    'Liputan6.com, Jakarta', 'Jakarta (ANTARA News)'; null when the story has none."""

    section: str | None = None
    """Rubric/category the page shows (breadcrumb, article:section), e.g. 'Internasional'."""

    tags: list[str] = field(default_factory=list)
    """Tag/topic footer entries in page order."""

    language: str | None = None
    """ISO 639-1 language of the page ('id' for Indonesian), from <html lang> or metadata."""

    image: ArticleImage | None = None
    """Lead image {url, caption}, or null."""

    page: int | None = 1
    """Which page of a multi-page article this record's body came from (1 when stitched or
    single-page); null if unknown."""

    pages: int | None = 1
    """How many pages the article has (the body holds all of them after stitching); null if
    unknown."""

    word_count: int = 0
    """Number of words (\\w+ runs) in `body`."""

    content_hash: str = ""
    """'sha1:<hex>' of the whitespace-normalised, case-folded body: equal stories, equal hash."""

    fetched_at: str | None = None
    """When the page was fetched, ISO 8601 UTC ('2026-11-24T10:00:00+00:00')."""

    removed: dict[str, int] = field(default_factory=dict)
    """Audit trail: how many blocks each cleaning rule removed, e.g. {'baca_juga': 3}."""

    duplicate_of: str | None = None
    """`canonical_url` of an earlier record with the same or a nearly identical story (a wire
    story republished on another site), or null. Set by the crawl's dedup step; `extract` alone
    always gives null."""

    schema_version: int = SCHEMA_VERSION
    """Version of this record contract (1)."""

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ArticleItem:
        """Build an item from the plain dict that `crawler.extract` returns."""
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in record.items() if k in known}
        if isinstance(data.get("image"), dict):
            data["image"] = ArticleImage(**data["image"])
        return cls(**data)


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ArticleItem))
