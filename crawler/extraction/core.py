"""`extract(html, url)`: one saved page -> one clean record (a plain dict).

The steps, in order:

1. parse the page once (`html.parse_html`) and read its machine metadata (`metadata.py`);
2. pick the site profile for the URL's host (`crawler.sites`) and find the article container
   with its selectors, newest layout version first; if no version finds it, the generic path
   (`generic.py`, trafilatura) stands in and `extractor` says so;
3. prune noise elements in a copy of the container (`cleaning.prune_*`), read its blocks
   (`blocks.py`), then run the block steps of `cleaning.py` (`clean_blocks` below says the order);
4. cut the dateline from the first paragraph;
5. read title, section, tags, image (`fields.py`), byline (`credits.py`), dates
   (`timestamps.py`) and the other pages' links (`pagination.py`) from the profile's selectors,
   the visible page and the metadata, most reliable first;
6. assemble the record of `crawler.items.ArticleItem` (schema version 1).

Nothing here imports Scrapy: the spider, the CLI, the tests and the benchmarks share it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from copy import deepcopy
from datetime import UTC, datetime

from lxml.html import HtmlElement

from crawler.extraction import cleaning
from crawler.extraction.blocks import Block, blocks_of
from crawler.extraction.byline import (
    Credits,
    split_names,
)
from crawler.extraction.credits import generic_byline, is_outlet, is_own_name, page_credits
from crawler.extraction.fields import read_caption, read_image, read_section, read_tags, read_title
from crawler.extraction.generic import generic_blocks
from crawler.extraction.html import NotHtmlError, parse_html
from crawler.extraction.metadata import read_metadata
from crawler.extraction.page import PageIndex
from crawler.extraction.pagination import Pagination, read_pagination
from crawler.extraction.text import content_hash, fix_mojibake, normalize_space, text_of, word_count
from crawler.extraction.timestamps import read_dates
from crawler.extraction.urls import absolute, host_of, site_of
from crawler.items import ArticleItem
from crawler.sites import REGISTRY, SiteProfile
from crawler.sites.profile import ProfileRegistry

__all__ = ["EXTRACTOR_GENERIC", "NotHtmlError", "Pagination", "extract", "extract_page"]

EXTRACTOR_GENERIC = "generic"
FALLBACK_SUFFIX = "+generic"

# A container with less text than this is taken as "the selector found nothing".
_MIN_CONTAINER_WORDS = 15


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    fetched_at: str | datetime | None = None,
    registry: ProfileRegistry = REGISTRY,
    host: str | None = None,
) -> dict:
    """Extract the clean article record of one page.

    `html` is the page as str or bytes; `url` the address it was fetched from (default: the
    page's canonical / og:url). `fetched_at` (ISO string or aware datetime, default now)
    anchors relative dates such as '2 jam lalu'. `host` names the site the page belongs to
    when it was fetched from elsewhere (a mirror, a local server), for the profile lookup.
    Raises `NotHtmlError` for empty or non-HTML input and `ValueError` when no URL is given or
    stated by the page.
    """
    return extract_page(html, url, fetched_at=fetched_at, registry=registry, host=host)[0]


def extract_page(
    html: str | bytes,
    url: str | None = None,
    *,
    fetched_at: str | datetime | None = None,
    registry: ProfileRegistry = REGISTRY,
    host: str | None = None,
) -> tuple[dict, Pagination]:
    """`extract`, plus where the article's other pages are (for the spider)."""
    tree = parse_html(html)
    fetched = _as_datetime(fetched_at)
    meta = read_metadata(tree)
    canonical = absolute(meta.canonical_url or meta.og_url, url) or url
    url = url or canonical
    if not url:
        raise ValueError("no URL given and the page states no canonical or og:url")
    canonical = canonical or url
    site = site_of(host_of(canonical) or host_of(url))

    profiles = (
        (registry.for_host(host) if host else [])
        or registry.for_host(host_of(url))
        or registry.for_host(host_of(canonical))
    )
    index = PageIndex(tree)
    profile, containers = _find_containers(index, profiles)
    removed: Counter = Counter()
    credits = Credits()

    title = read_title(tree, profile, meta, index)
    title = fix_mojibake(title) if title else title
    index.title = title  # before anything asks where the headline is
    caption = read_caption(profile, index)

    if profile is not None:
        blocks = _container_blocks(containers, profile, removed)
        extractor = profile.key
    else:
        # pages often declare a wrong lang (templates say 'en'): the paragraphs decide
        language = _guess_language(_paragraph_text(tree, 30000)) or _guess_language(
            index.body.text_content()[:30000]
        )
        indonesian = (language or meta.language or "id") in ("id", "ms")
        blocks, _method = generic_blocks(tree, url, removed, indonesian=indonesian)
        extractor = profiles[0].key + FALLBACK_SUFFIX if profiles else EXTRACTOR_GENERIC
    blocks = clean_blocks(blocks, removed, credits, title=title, captions=[caption] if caption else [])

    dateline, blocks = cleaning.cut_dateline(blocks, removed)
    if dateline:
        credits.add("sources", cleaning.dateline_sources(dateline, site))
    body = "\n\n".join(b.text for b in blocks)

    stated = page_credits(profile, index)
    stated.merge(credits)
    credits = stated
    authors = credits.authors
    if not authors and (profile is None or not profile.authors):
        # an explicit byline: its names are writers even when they also edited the story
        authors = [a for a in generic_byline(index) if not is_outlet(a, site, meta.site_name)]
    if not authors:
        # metadata authors are a last resort: sites put the editor or the outlet there
        editors = {e.casefold() for e in credits.editors}
        authors = [
            a
            for a in split_names(", ".join(meta.authors))
            if a.casefold() not in editors and not is_outlet(a, site, meta.site_name)
        ]

    timezone_offset = profile.timezone if profile else (profiles[0].timezone if profiles else "+07:00")
    published, modified, published_raw = read_dates(profile, meta, fetched, timezone_offset, index)
    pagination = read_pagination(index, url, profile or (profiles[0] if profiles else None))
    # templates often declare lang="en" on Indonesian pages: the text is the better witness
    language = _guess_language(body) or meta.language

    item = ArticleItem(
        url=url,
        canonical_url=canonical,
        site=site,
        network=profile.network if profile else (profiles[0].network if profiles else None),
        extractor=extractor,
        title=title,
        body=body,
        authors=authors,
        editors=credits.editors,
        sources=[s for s in credits.sources if not is_own_name(s, site, meta.site_name, dateline)],
        published_at=published,
        modified_at=modified,
        published_at_raw=published_raw,
        dateline=dateline,
        section=read_section(index, profile, meta, title),
        tags=read_tags(profile, meta, index),
        language=language,
        image=read_image(meta, caption, url),
        page=pagination.page,
        pages=pagination.pages,
        word_count=word_count(body),
        content_hash=content_hash(body),
        fetched_at=fetched.astimezone(UTC).isoformat(timespec="seconds"),
        removed=dict(sorted((k, v) for k, v in removed.items() if v)),
    )
    # the record's lists and dicts were all made for it just now: a shallow copy is enough
    # (dataclasses.asdict deep-copies every value, a tenth of a small page's extraction)
    return dict(vars(item)), pagination


# ---------------------------------------------------------------------------------------------
# Body
# ---------------------------------------------------------------------------------------------


def clean_blocks(
    blocks: list[Block],
    removed: Counter,
    credits: Credits,
    *,
    title: str | None = None,
    captions: Iterable[str] = (),
) -> list[Block]:
    """Run the block steps in order, until the blocks no longer change (so that cleaning a
    clean body changes nothing: a step can expose work for an earlier one, e.g. a dropped
    pagination line moves a 'Tags' heading into the second half). Order matters: credit lines
    are read before the footer is cut (they often sit just above 'Tags'), end marks before
    sign-offs ('…***')."""
    captions = list(captions)
    for _ in range(_MAX_CLEANING_PASSES):
        cleaned = _clean_blocks_once(blocks, removed, credits, title=title, captions=captions)
        if [b.text for b in cleaned] == [b.text for b in blocks]:
            return cleaned
        blocks = cleaned
    return blocks


_MAX_CLEANING_PASSES = 3


def _clean_blocks_once(
    blocks: list[Block],
    removed: Counter,
    credits: Credits,
    *,
    title: str | None = None,
    captions: Iterable[str] = (),
) -> list[Block]:
    blocks = cleaning.strip_bullets(blocks)
    blocks = cleaning.drop_empty(blocks, removed)
    blocks = cleaning.drop_header_lines(blocks, removed, title)
    blocks = cleaning.drop_title_repeats(blocks, removed, title)
    blocks = cleaning.drop_read_also(blocks, removed)
    blocks = cleaning.drop_credit_lines(blocks, removed, credits)
    blocks = cleaning.truncate_at_footer_heading(blocks, removed)
    blocks = cleaning.drop_related_links(blocks, removed)
    blocks = cleaning.drop_ad_labels(blocks, removed)
    blocks = cleaning.drop_prompts(blocks, removed)
    blocks = cleaning.drop_pagination(blocks, removed)
    blocks = cleaning.drop_contact_lines(blocks, removed)
    blocks = cleaning.drop_tag_lines(blocks, removed)
    blocks = cleaning.drop_syndication_notes(blocks, removed, credits)
    blocks = cleaning.drop_hashtag_lines(blocks, removed)
    blocks = cleaning.drop_photo_credits(blocks, removed, captions)
    blocks = cleaning.drop_duplicates(blocks, removed)
    blocks = cleaning.strip_end_marks(blocks, removed)
    blocks = cleaning.strip_sign_off(blocks, removed, credits)
    blocks = cleaning.strip_end_marks(blocks, removed)
    return blocks


def _top_level(elements: list[HtmlElement]) -> list[HtmlElement]:
    """Drop matches nested inside other matches, so no text is read twice."""
    chosen = set(elements)
    result = []
    for el in elements:
        if not any(anc in chosen for anc in el.iterancestors()):
            result.append(el)
    return result


def _find_containers(
    index: PageIndex, profiles: list[SiteProfile]
) -> tuple[SiteProfile | None, list[HtmlElement]]:
    """The newest profile version whose body selector finds story text, and its containers."""
    for profile in profiles:
        for selector in profile.compiled("body"):
            found = _top_level(index.select(selector))
            if found and _has_words(found, _MIN_CONTAINER_WORDS):
                return profile, found
    return None, []


def _has_words(elements: list[HtmlElement], wanted: int) -> bool:
    """Whether the elements' text has at least `wanted` words, reading no more of it than
    needed: the words of a prefix of a text are never more than those of the whole."""
    total = 0
    for el in elements:
        prefix, length = [], 0
        for chunk in el.itertext():  # text_content() in pieces, in order
            prefix.append(chunk)
            length += len(chunk)
            if length >= 2000:
                break
        words = len(normalize_space("".join(prefix)).split())
        if length >= 2000 and total + words < wanted:
            words = len(normalize_space(el.text_content()).split())  # a prefix was not enough
        total += words
        if total >= wanted:
            return True
    return False


def _container_blocks(containers: list[HtmlElement], profile: SiteProfile, removed: Counter) -> list[Block]:
    blocks: list[Block] = []
    for container in containers:
        work = deepcopy(container)
        cleaning.mark_bold_lead_in(work)
        cleaning.prune_tree(work, removed, profile.compiled("prune"))
        blocks.extend(blocks_of(work))
    return blocks


# ---------------------------------------------------------------------------------------------
# Language, dates of the fetch
# ---------------------------------------------------------------------------------------------


_ID_WORDS = frozenset("yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena".split())
_EN_WORDS = frozenset("the and of to in is that for with was on as by it at from".split())


def _paragraph_text(tree: HtmlElement, limit: int) -> str:
    """The first `limit` characters of the page's paragraphs, joined by spaces."""
    parts, length = [], 0
    for p in tree.iter("p"):
        text = text_of(p)
        parts.append(text)
        length += len(text) + 1
        if length >= limit:
            break
    return " ".join(parts)[:limit]


def _guess_language(body: str) -> str | None:
    # the first 2000 words, counted in C
    counts = Counter(body.casefold().split(maxsplit=2000)[:2000])
    if not counts:
        return None
    id_hits = sum(counts[w] for w in _ID_WORDS)
    en_hits = sum(counts[w] for w in _EN_WORDS)
    if max(id_hits, en_hits) < 3:
        return None
    return "id" if id_hits >= en_hits else "en"


def _as_datetime(value: str | datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC).replace(microsecond=0)
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)
