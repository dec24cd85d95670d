"""`extract(html, url)`: one saved page -> one clean record (a plain dict).

The steps, in order:

1. parse the page once (`html.parse_html`) and read its machine metadata (`metadata.py`);
2. pick the site profile for the URL's host (`crawler.sites`) and find the article container
   with its selectors, newest layout version first; if no version finds it, the generic path
   (`generic.py`, trafilatura) stands in and `extractor` says so;
3. prune noise elements in a copy of the container (`cleaning.prune_*`), read its blocks
   (`blocks.py`), then run the block steps of `cleaning.py` in the order of `BLOCK_STEPS`;
4. cut the dateline from the first paragraph;
5. read title, byline, dates, section, tags, image from the profile's selectors, the visible
   page, and metadata, most reliable first;
6. assemble the record of `crawler.items.ArticleItem` (schema version 1).

Nothing here imports Scrapy: the spider, the CLI, the tests and the benchmarks share it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from crawler.extraction import cleaning
from crawler.extraction.blocks import Block, blocks_of
from crawler.extraction.byline import (
    ROLE_FIELDS,
    ROLE_LABEL,
    Credits,
    find_credits,
    looks_like_names,
    split_names,
)
from crawler.extraction.dates import parse_date, parse_date_line, to_offset
from crawler.extraction.generic import generic_blocks
from crawler.extraction.html import NotHtmlError, parse_html
from crawler.extraction.metadata import PageMetadata, read_metadata
from crawler.extraction.page import PageIndex
from crawler.extraction.text import content_hash, fix_mojibake, normalize_space, word_count
from crawler.items import ArticleImage, ArticleItem
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
    canonical = _absolute(meta.canonical_url or meta.og_url, url) or url
    url = url or canonical
    if not url:
        raise ValueError("no URL given and the page states no canonical or og:url")
    canonical = canonical or url
    site = _site(_host(canonical) or _host(url))

    profiles = (
        (registry.for_host(host) if host else [])
        or registry.for_host(_host(url))
        or registry.for_host(_host(canonical))
    )
    profile, containers = _find_containers(tree, profiles)
    removed: Counter = Counter()
    credits = Credits()

    title = _title(tree, profile, meta)
    title = fix_mojibake(title) if title else title
    index = PageIndex(tree, title)
    caption = _caption(tree, profile, index)

    if profile is not None:
        blocks = _container_blocks(containers, profile, removed)
        extractor = profile.key
    else:
        # pages often declare a wrong lang (templates say 'en'): the paragraphs decide
        paragraphs = " ".join(p.text_content() for p in tree.iter("p"))[:30000]
        language = _guess_language(paragraphs) or _guess_language(index.body.text_content()[:30000])
        indonesian = (language or meta.language or "id") in ("id", "ms")
        blocks, _method = generic_blocks(tree, url, removed, indonesian=indonesian)
        extractor = profiles[0].key + FALLBACK_SUFFIX if profiles else EXTRACTOR_GENERIC
    blocks = clean_blocks(blocks, removed, credits, title=title, captions=[caption] if caption else [])

    dateline, blocks = cleaning.cut_dateline(blocks, removed)
    if dateline:
        credits.add("sources", cleaning.dateline_sources(dateline, site))
    body = "\n\n".join(b.text for b in blocks)

    page_credits = _page_credits(tree, profile, index)
    page_credits.merge(credits)
    credits = page_credits
    authors = credits.authors
    if not authors and (profile is None or not profile.authors):
        # an explicit byline: its names are writers even when they also edited the story
        authors = [a for a in _generic_byline(index) if not _is_outlet(a, site, meta.site_name)]
    if not authors:
        # metadata authors are a last resort: sites put the editor or the outlet there
        editors = {e.casefold() for e in credits.editors}
        authors = [
            a
            for a in split_names(", ".join(meta.authors))
            if a.casefold() not in editors and not _is_outlet(a, site, meta.site_name)
        ]

    timezone_offset = profile.timezone if profile else (profiles[0].timezone if profiles else "+07:00")
    published, modified, published_raw = _dates(tree, profile, meta, fetched, timezone_offset, index)
    pagination = _pagination(tree, index, url, profile or (profiles[0] if profiles else None))
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
        sources=[s for s in credits.sources if not _is_own_name(s, site, meta.site_name, dateline)],
        published_at=published,
        modified_at=modified,
        published_at_raw=published_raw,
        dateline=dateline,
        section=_section(tree, profile, meta, title),
        tags=_tags(tree, profile, meta, index),
        language=language,
        image=_image(meta, caption, url),
        page=pagination.page,
        pages=pagination.pages,
        word_count=word_count(body),
        content_hash=content_hash(body),
        fetched_at=fetched.astimezone(timezone.utc).isoformat(timespec="seconds"),
        removed=dict(sorted((k, v) for k, v in removed.items() if v)),
    )
    return asdict(item), pagination


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
    tree: HtmlElement, profiles: list[SiteProfile]
) -> tuple[SiteProfile | None, list[HtmlElement]]:
    """The newest profile version whose body selector finds story text, and its containers."""
    for profile in profiles:
        for selector in profile.compiled("body"):
            found = _top_level(selector(tree))
            words = sum(len(normalize_space(el.text_content()).split()) for el in found)
            if found and words >= _MIN_CONTAINER_WORDS:
                return profile, found
    return None, []


def _container_blocks(containers: list[HtmlElement], profile: SiteProfile, removed: Counter) -> list[Block]:
    blocks: list[Block] = []
    for container in containers:
        work = deepcopy(container)
        cleaning.mark_bold_lead_in(work)
        removed["markup"] += cleaning.prune_markup(work)
        cleaning.prune_selectors(work, profile.compiled("prune"), removed)
        removed["caption"] += cleaning.prune_captions(work)
        cleaning.prune_noise_blocks(work, removed)
        blocks.extend(blocks_of(work))
    return blocks


# ---------------------------------------------------------------------------------------------
# Metadata fields
# ---------------------------------------------------------------------------------------------

_TITLE_SUFFIX = re.compile(r"\s+(?:[-|–—:]{1,2}|::)\s+[^-|–—:]{2,60}$")


def _first_text(tree: HtmlElement, selectors: Iterable[CSSSelector]) -> str | None:
    for selector in selectors:
        for el in selector(tree):
            text = normalize_space(el.text_content())
            if text:
                return text
    return None


_TITLE_PREFIX = re.compile(r"^[\w-]+\.(?:com|co\.id|id|net)\s*[:|–—-]\s+", re.I)


def _strip_site_suffix(title: str) -> str:
    """'Judul - PR Depok' / 'KapanLagi.com: Judul' -> 'Judul'."""
    stripped = _TITLE_PREFIX.sub("", _TITLE_SUFFIX.sub("", title))
    return stripped if len(stripped) >= 10 else title


def _title_key(text: str) -> str:
    """Titles compared without case and punctuation ('IHSG Hari Ini: Sempat' ~ 'IHSG Hari Ini Sempat')."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _title(tree: HtmlElement, profile: SiteProfile | None, meta: PageMetadata) -> str | None:
    """The h1 as shown, preferring the one that agrees with the page's metadata headline."""
    if profile is not None:
        found = _first_text(tree, profile.compiled("title"))
        if found and len(found.split()) >= 2:
            return found
    stated = [
        _title_key(_strip_site_suffix(t)) for t in (meta.title, meta.og_title, meta.html_title) if t
    ]
    headings = [normalize_space(h.text_content()) for h in tree.iter("h1")]
    headings = [h for h in headings if len(h.split()) >= 2]
    for heading in headings:
        key = _title_key(heading)
        if key and any(s.startswith(key) or key.startswith(s) for s in stated if s):
            return heading
    if meta.title:
        return _strip_site_suffix(meta.title)
    if meta.og_title:
        return _strip_site_suffix(meta.og_title)
    if headings:
        return max(headings, key=len)
    return _strip_site_suffix(meta.html_title) if meta.html_title else None


# Photo credits after a caption: '//Reuters/Mariya Gordeyeva/', '(ANTARA FOTO/Lalu Ahmad)',
# '(MI/Dede Rosyana)', '(Foto: Dok. Humas)', '/Photo by X from Pexels', ' / Xinhua'
_CAPTION_CREDIT = re.compile(
    r"\s*(?://.*$|\((?:[^()]*/[^()]*|\s*(?:foto|dok|sumber|ist|photo|image|gambar)\b[^)]*)\)\s*$|"
    r"(?<![\w])(?:foto|sumber\s+foto|dok|photo)\s*[:.].*$|\s*/\s*(?:photo|foto|image)\b.*$|"
    r"\s/\s*[A-Z][\w .,/]*/?\s*$|\s*©.*$|"
    # '… Kamis (7/11/2024). ANTARA/Yudha Pratama', '… ANTARA FOTO/NAME/wsj.', '[SuaraJogja.id/NAME]'
    r"(?<=[.!?)\]])\s+(?-i:[A-Z][A-Za-z0-9.]*(?:\s+(?:FOTO|Foto))?)/\S.*$|\s*\[[^\]]*/[^\]]*\]\s*$)",
    re.I,
)


def _clean_caption(text: str) -> str | None:
    text = normalize_space(_CAPTION_CREDIT.sub("", normalize_space(text)))
    return text or None


def _caption(tree: HtmlElement, profile: SiteProfile | None, index: PageIndex) -> str | None:
    """The lead image's caption, without its photo credit."""
    if profile is not None:
        for selector in profile.compiled("caption"):
            for el in selector(tree):
                work = deepcopy(el)
                for credit in work.xpath(
                    ".//*[contains(@class,'credit') or contains(@class,'copyright') or contains(@class,'author')]"
                ):
                    credit.drop_tree()
                text = _clean_caption(work.text_content())
                if text:
                    return text
    for el in _caption_candidates(index):
        text = _clean_caption(el.text_content())
        if text and len(text.split()) >= 2:
            return text
    return None


_CAPTION_CLASS = re.compile(r"caption|keterangan|imageinfo|image-info|img-info|photo-info|foto-info|wp-caption-text", re.I)


def _caption_candidates(index: PageIndex) -> list[HtmlElement]:
    """Figcaptions and caption-classed elements after the headline, in page order."""
    return [el for el, name in index.after_headline_named if el.tag == "figcaption" or _CAPTION_CLASS.search(name)]


def _image(meta: PageMetadata, caption: str | None, url: str) -> dict | None:
    image_url = _absolute(meta.image_url, url)
    if not image_url and not caption:
        return None
    return asdict(ArticleImage(url=image_url, caption=caption))


def _names_from(tree: HtmlElement, selectors: Iterable[CSSSelector], field_name: str) -> list[str]:
    """Names in the elements a profile's byline selectors point at; when the text labels its
    names ('Penulis: A | Editor: B'), only those of `field_name`."""
    names: list[str] = []
    for selector in selectors:
        for el in selector(tree):
            text = spaced_text(el)
            labelled = find_credits(text, anywhere=True)
            if labelled or ROLE_LABEL.search(text):
                found = [n for f, ns in labelled if f == field_name for n in ns]
            else:
                found = split_names(text)
            names.extend(n for n in found if n.casefold() not in {x.casefold() for x in names})
        if names:
            break
    return names


_CREDIT_TAGS = ("p", "div", "span", "li", "tr", "td", "strong", "b", "em", "small", "address", "section")


_CREDIT_HINT = re.compile(
    r"\b(?:penulis|reporter|pewarta|wartawan|kontributor|koresponden|oleh|writer|author|by|laporan|"
    r"editor|penyunting|redaktur|red|penyelaras|editing|sumber|source)\b",
    re.I,
)


def _credit_candidates(index: PageIndex) -> list[HtmlElement]:
    """Elements that may hold a credit line: those around a text that names a role.
    (Reading the text of every element of a page would cost more than the whole extraction.)"""
    found: dict[HtmlElement, None] = {}
    for el in index.elements:
        for text, owner in ((el.text, el), (el.tail, el.getparent())):
            if not text or owner is None or len(text) > 300 or not _CREDIT_HINT.search(text):
                continue
            for _ in range(3):  # the cell, its row, the row's table body
                if owner is None:
                    break
                if owner.tag in _CREDIT_TAGS:
                    found.setdefault(owner)
                owner = owner.getparent()
    return list(found)


def _page_credits(tree: HtmlElement, profile: SiteProfile | None, index: PageIndex) -> Credits:
    """Credits stated by the profile's byline selectors, else by labelled lines anywhere in the
    page ('Editor: Nur Annisa' under the story, 'Penulis : X' in a table row)."""
    credits = Credits()
    if profile is not None:
        credits.add("authors", _names_from(tree, profile.compiled("authors"), "authors"))
        credits.add("editors", _names_from(tree, profile.compiled("editors"), "editors"))
    for el in _credit_candidates(index):
        text = spaced_text(el)
        if len(text) > 200:
            continue
        sibling = _role_label_sibling(el, text)
        if sibling:
            field_name, names = sibling
            if not (profile is not None and getattr(profile, field_name, ()) and getattr(credits, field_name)):
                credits.add(field_name, names)
            continue
        for field_name, names in find_credits(text):
            # a profile's byline selectors, when they found names, are the better witness
            if profile is not None and getattr(profile, field_name, ()) and getattr(credits, field_name):
                continue
            credits.add(field_name, names)
    return credits


_BYLINE_CLASS = re.compile(r"author|byline|penulis|reporter|writer|wartawan|kontributor", re.I)
_BYLINE_SEARCH_LIMIT = 300  # elements after the headline: a byline sits right under it
_NOT_BYLINE = re.compile(r"caption|photo|foto|image|img|comment|komentar|avatar", re.I)


def _generic_byline(index: PageIndex) -> list[str]:
    """Writers named in a byline element near the headline, for pages whose profile (if any)
    has no byline selectors: class 'author'/'byline'/'penulis'/'reporter', itemprop or rel
    'author'. The innermost such element wins ('By <span class=fn>Name</span> on 16 Feb')."""
    candidates = []
    for el, name in index.after_headline_named[:_BYLINE_SEARCH_LIMIT]:
        marked = el.get("itemprop") == "author" or el.get("rel") == "author"
        if not marked and not (name and _BYLINE_CLASS.search(name)):
            continue
        if any(_NOT_BYLINE.search(a.get("class", "")) for a in (el, *el.iterancestors())):
            continue  # a photo credit ('Foto: Facebook') or a share bar, not the writer
        candidates.append(el)
    chosen = [el for el in candidates if not any(c is not el and el in c.iterancestors() for c in candidates)]
    innermost = [el for el in candidates if not any(d in candidates for d in el.iterdescendants())]
    for el in innermost or chosen:
        text = spaced_text(el)
        if not text or len(text) > 80 or _OUTLET_TOKEN.search(text):
            continue
        parent = el.getparent()
        context = spaced_text(parent) if parent is not None else ""
        if len(context) <= 120 and any(f != "authors" for f, _ in find_credits(context, anywhere=True)):
            continue  # the name under an 'Editor :' label
        labelled = find_credits(text, anywhere=True)
        if labelled:
            names = [n for field_name, ns in labelled if field_name == "authors" for n in ns]
        else:
            text = _strip_outlet_tail(re.split(r"\d", text, maxsplit=1)[0])  # cut a glued date
            text = re.sub(r"^(?:oleh|by)\s+", "", text, flags=re.I)
            names = split_names(text) if looks_like_names(text) else []
        if names:
            return names
    return []


_OUTLET_TOKEN = re.compile(r"\b[\w-]+\.(?:com|co\.id|id|net)\b", re.I)


def spaced_text(el: HtmlElement) -> str:
    """Text with a space between text nodes: bylines glue '<a>Name</a><span>03 Jun 2020</span>'."""
    return normalize_space(" ".join(el.itertext()))


def _strip_outlet_tail(text: str) -> str:
    """'Fino Yurio Kristo - detikinet' -> 'Fino Yurio Kristo'."""
    return re.split(r"\s+[-–—|]\s+", text, maxsplit=1)[0]


def _role_label_sibling(el: HtmlElement, text: str) -> tuple[str, list[str]] | None:
    """A role word standing alone ('Editor') labels the name in the element beside it: KLY
    sites print '<span>Yuslianson</span><span>Editor</span>' or '<li>Editor</li><li>Iskandar</li>'."""
    field_name = ROLE_FIELDS.get(text.casefold())
    if field_name is None or field_name == "sources" or text.casefold() in ("oleh", "by", "red"):
        return None
    for sibling in (el.getnext(), el.getprevious()):
        if sibling is None or not isinstance(sibling.tag, str):
            continue
        name = normalize_space(sibling.text_content())
        if name and len(name) <= 60 and looks_like_names(name) and name.casefold() not in ROLE_FIELDS:
            return field_name, split_names(name)
    return None


def _is_outlet(name: str, site: str, site_name: str | None = None) -> bool:
    """Whether a credited 'author' is the outlet itself ('PR Depok', 'Kompas.com')."""
    brand = site.split(".")[-3] if site.count(".") >= 2 and site.endswith(".co.id") else site.split(".")[-2]
    folded = name.casefold().replace(" ", "")
    if site_name and folded == site_name.casefold().replace(" ", ""):
        return True
    return folded in {brand, site.casefold(), f"{brand}.com"} or folded.startswith(brand + ".")


def _is_own_name(source: str, site: str, site_name: str | None, dateline: str | None) -> bool:
    """A 'source' that is the outlet itself: its host, its og:site_name, or the outlet named in
    its own dateline ('TRIBUNSOLO.COM, SOLO'). 'Sumber: Tribunnews.com' on solo.tribunnews.com
    credits the national desk and stays a source."""
    folded = source.casefold().replace(" ", "")
    own = {site.casefold(), (site_name or "").casefold().replace(" ", "")}
    if dateline:
        own.update(t.casefold() for t in re.findall(r"[\w-]+\.(?:com|co\.id|id)\b", dateline, re.I))
    return folded in own


_BREADCRUMB_SKIP = frozenset({"home", "beranda", "index", "indeks", "detail"})
# Generic top levels: skipped unless nothing more specific follows them
_BREADCRUMB_GENERIC = frozenset({"news", "berita"})


_BREADCRUMB = CSSSelector("[class*=breadcrumb] a, [class*=breadcrumb] li > span, [id*=breadcrumb] a")


def _section(tree: HtmlElement, profile: SiteProfile | None, meta: PageMetadata, title: str | None) -> str | None:
    """The rubric readers see: the profile's breadcrumb, any breadcrumb, else metadata."""
    selectors = [*profile.compiled("section")] if profile is not None else []
    for selector in [*selectors, _BREADCRUMB]:
        items = [normalize_space(el.text_content()) for el in selector(tree)]
        items = [
            i
            for i in items
            if i and len(i.split()) <= 4 and i.casefold() not in _BREADCRUMB_SKIP and i != title
        ]
        specific = [i for i in items if i.casefold() not in _BREADCRUMB_GENERIC]
        if items:
            return (specific or items)[-1]
    return meta.section


_TAG_CLASS_WORDS = frozenset(
    "tag tags tagging tag-list tags-list tag__list post-tags topik keyword keywords".split()
)
# Buttons and headings that sit among tag links
_NOT_A_TAG = re.compile(
    r"^(?:more\s+tags?|lihat\s+(?:semua|selengkapnya)|selengkapnya|hashtag\s+lainnya|lainnya|more|"
    r"tags?|topik(?:\s+pilihan)?|topics?)\W*$",
    re.I,
)


def _generic_tag_links(index: PageIndex) -> list[HtmlElement]:
    """Links of the first tag-like box after the headline, and of its sibling boxes of the
    same kind (some sites wrap each tag in its own <div class=tagging>)."""
    for el, name in index.after_headline_named:
        if not name:
            continue
        words = cleaning.class_words(el) & _TAG_CLASS_WORDS
        if not words or not any(True for _ in el.iter("a")):
            continue
        boxes = [el]
        parent = el.getparent()
        if parent is not None:
            boxes += [sib for sib in el.itersiblings() if cleaning.class_words(sib) & words]
        return [a for box in boxes for a in box.iter("a")]
    return []


def _tags(tree: HtmlElement, profile: SiteProfile | None, meta: PageMetadata, index: PageIndex) -> list[str]:
    """The tag footer as shown, in page order; explicit article:tag metadata when the page
    shows none (JSON-LD 'keywords' are SEO lists, not tags)."""
    sources = [sel(tree) for sel in profile.compiled("tags")] if profile is not None else []
    sources.append(_generic_tag_links(index))
    for elements in sources:
        tags: list[str] = []
        for el in elements:
            tag = normalize_space(el.text_content()).lstrip("#").strip()
            if tag and len(tag.split()) <= 6 and not _NOT_A_TAG.match(tag) and tag not in tags:
                tags.append(tag)
        if tags:
            return tags
    return list(dict.fromkeys(meta.article_tags))


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_DATE_CLASS = re.compile(r"date|time|tanggal|tgl|publish|posted|waktu|jam|schedule", re.I)


def _texts_near_title(index: PageIndex) -> list[str]:
    """Short lines right after the headline: where a page without date classes shows its date."""
    if index.headline_position is None:
        return []
    texts = []
    for sibling in index.elements[index.headline_position].itersiblings():
        if isinstance(sibling.tag, str):
            text = normalize_space(sibling.text_content())
            if 6 <= len(text) <= 120:
                texts.append(text)
        if len(texts) >= 3:
            break
    return texts


def _visible_date_texts(tree: HtmlElement, profile: SiteProfile | None, index: PageIndex) -> Iterator[str]:
    """Candidate date lines, most reliable first; lazily, as the first good one usually ends
    the search."""
    if profile is not None:
        for selector in profile.compiled("date"):
            for el in selector(tree):
                yield normalize_space(el.text_content())
    yield from _texts_near_title(index)
    for el in index.elements:
        if el.tag == "time":
            yield normalize_space(el.text_content()) or (el.get("datetime") or "")
    found = 0
    for el, name in index.classed():
        if el.tag in ("script", "style", "a") or not _DATE_CLASS.search(name):
            continue
        text = normalize_space(el.text_content())
        if 6 <= len(text) <= 120:
            yield text
            found += 1
            if found > 20:
                return


def _same_minute(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a).replace(second=0) == datetime.fromisoformat(b).replace(second=0)
    except ValueError:
        return False


_INDONESIAN_OFFSETS = ("+07:00", "+08:00", "+09:00")


def _machine_date(value: str | None, fetched: datetime, offset: str) -> str | None:
    """A metadata timestamp as ISO. A stamp whose offset is neither UTC nor Indonesian
    (merdeka writes its WIB clock as '-07:00') is the local clock mislabelled: relabel it."""
    parsed = parse_date(value, now=fetched, default_offset=offset) if value else None
    if parsed and "T" in parsed and parsed[-6:] not in _INDONESIAN_OFFSETS and parsed[-6:] != "+00:00":
        parsed = parsed[:-6] + offset
    return parsed


def _dates(
    tree: HtmlElement,
    profile: SiteProfile | None,
    meta: PageMetadata,
    fetched: datetime,
    offset: str,
    index: PageIndex,
) -> tuple[str | None, str | None, str | None]:
    """(published_at, modified_at, published_at_raw): what readers see, confirmed by metadata.

    The visible date wins when it disagrees with metadata (sites' metadata is often the
    crawl or update time); metadata gives the seconds and the offset when they agree."""
    visible = None
    visible_modified = None
    for text in _visible_date_texts(tree, profile, index):
        if not text:
            continue
        line = parse_date_line(text, now=fetched, default_offset=offset)
        # a line with a time beats an earlier one with the date alone (a Hijri date header)
        if line.published and (visible is None or ("T" in line.published and "T" not in (visible.published or ""))):
            visible = line
        visible_modified = visible_modified or line.modified
        if visible is not None and "T" in (visible.published or "") and visible_modified:
            break
    machine = _machine_date(meta.published, fetched, offset)
    published = raw = None
    if visible is not None and visible.published:
        published, raw = visible.published, visible.raw
        if machine and "T" in machine:
            if "T" not in published and machine.startswith(published):
                published = to_offset(machine, offset)
            elif "T" in published and _same_minute(published, machine):
                published = to_offset(machine, published[-6:])
    elif machine:
        # parse_date already moved UTC stamps to the outlet's zone; other offsets are as stated
        published, raw = machine, meta.published
    modified = visible_modified
    if modified is None:
        modified = _machine_date(meta.modified, fetched, offset)
        # say the update in the zone the page shows its times in (WITA outlets)
        if modified and published and "T" in modified and "T" in published:
            modified = to_offset(modified, published[-6:])
    return published, _not_before(modified, published), raw


def _not_before(modified: str | None, published: str | None) -> str | None:
    """An update stamped before publication (scheduled posts keep their draft's time) says
    nothing; one in the same minute is the publication itself."""
    if not modified or not published or "T" not in modified or "T" not in published:
        return modified
    try:
        mod, pub = datetime.fromisoformat(modified), datetime.fromisoformat(published)
    except ValueError:
        return modified
    if mod >= pub:
        return modified
    return published if _same_minute(modified, published) else None


# ---------------------------------------------------------------------------------------------
# Pagination, language, URLs
# ---------------------------------------------------------------------------------------------

_PAGING_CLASS = re.compile(r"paging|pagination|pager|halaman", re.I)
_ACTIVE_CLASS = re.compile(r"active|current|selected", re.I)
_NEXT_TEXT = re.compile(r"^\W*(?:halaman\s+)?(?:selanjutnya|berikutnya|next)\W*$|^[›»>]+$", re.I)


@dataclass
class Pagination:
    """Where the other pages of a multi-page article are (for the spider's stitching)."""

    page: int | None = 1
    pages: int | None = 1
    page_urls: dict[int, str] = field(default_factory=dict)
    """Page number -> URL, from the numbered pagination bar (same article only)."""
    next_url: str | None = None
    """The 'Halaman selanjutnya' / rel=next link, when it stays within the article."""


def _same_article(link: str, url: str) -> bool:
    """A page of the same story: same host, and a path equal to or extending the article's
    ('…/slug?page=2', '…/slug/2')."""
    a, b = urlsplit(link), urlsplit(url)
    if a.netloc != b.netloc:
        return False
    base = b.path.rstrip("/")
    return a.path.rstrip("/") == base or a.path.startswith(base + "/")


def _pagination(tree: HtmlElement, index: PageIndex, url: str, profile: SiteProfile | None) -> Pagination:
    """Page numbers and links from a numbered pagination bar or a next-page link."""
    query_page = parse_qs(urlsplit(url).query).get(profile.page_param if profile else "page", [None])[0]
    result = Pagination(page=int(query_page) if query_page and query_page.isdigit() else 1)
    bars = [(el, name) for el, name in index.classed() if "pag" in name or "halaman" in name]
    for bar, name in bars:
        if not _PAGING_CLASS.search(name):
            continue
        numbers = [int(t) for t in (normalize_space(a.text_content()) for a in bar.iter("a", "span", "li")) if t.isdigit()]
        if len(numbers) < 2 or max(numbers) > 100:
            continue
        for el in bar.iter():
            if isinstance(el.tag, str) and _ACTIVE_CLASS.search(el.get("class", "")):
                text = normalize_space(el.text_content())
                if text.isdigit():
                    result.page = int(text)
                    break
        result.pages = max(numbers)
        for anchor in bar.iter("a"):
            text = normalize_space(anchor.text_content())
            link = _absolute(anchor.get("href"), url)
            if link and _same_article(link, url):
                if text.isdigit():
                    result.page_urls.setdefault(int(text), link)
                elif _NEXT_TEXT.match(text) and result.next_url is None:
                    result.next_url = link
        break
    if result.next_url is None:
        result.next_url = _next_link(tree, url, profile)
    return result


def _next_link(tree: HtmlElement, url: str, profile: SiteProfile | None) -> str | None:
    candidates = [*tree.xpath("//link[@rel='next']/@href"), *tree.xpath("//a[@rel='next']/@href")]
    if profile is not None:
        for selector in profile.compiled("next_page"):
            candidates.extend(el.get("href") for el in selector(tree) if el.get("href"))
    candidates.extend(
        a.get("href") for a in tree.iter("a") if a.get("href") and _NEXT_TEXT.match(normalize_space(a.text_content()))
    )
    for href in candidates:
        link = _absolute(href, url)
        if link and link != url and _same_article(link, url):
            return link
    return None


_ID_WORDS = frozenset("yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena".split())
_EN_WORDS = frozenset("the and of to in is that for with was on as by it at from".split())


def _guess_language(body: str) -> str | None:
    words = [w.casefold() for w in body.split()[:2000]]
    if not words:
        return None
    id_hits = sum(w in _ID_WORDS for w in words)
    en_hits = sum(w in _EN_WORDS for w in words)
    if max(id_hits, en_hits) < 3:
        return None
    return "id" if id_hits >= en_hits else "en"


def _host(url: str | None) -> str:
    if not url:
        return ""
    return (urlsplit(url).hostname or "").lower()


def _site(host: str) -> str:
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix):]
    return host


def _absolute(link: str | None, base: str | None) -> str | None:
    if not link:
        return None
    link = link.strip()
    if base:
        link = urljoin(base, link)
    return link if link.startswith(("http://", "https://")) else None


def _as_datetime(value: str | datetime | None) -> datetime:
    if value is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
