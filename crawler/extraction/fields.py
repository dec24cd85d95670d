"""Title, lead image caption, section and tags: from the profile's selectors, then the
visible page, then the page's metadata, most reliable first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import asdict

from lxml.html import HtmlElement

from crawler.extraction import cleaning
from crawler.extraction.metadata import PageMetadata
from crawler.extraction.page import PageIndex
from crawler.extraction.text import normalize_space
from crawler.extraction.urls import absolute
from crawler.items import ArticleImage
from crawler.sites import SiteProfile
from crawler.sites.selector import Selector

_TITLE_SUFFIX = re.compile(r"\s+(?:[-|–—:]{1,2}|::)\s+[^-|–—:]{2,60}$")


_TITLE_PREFIX = re.compile(r"^[\w-]+\.(?:com|co\.id|id|net)\s*[:|–—-]\s+", re.I)


def _strip_site_suffix(title: str) -> str:
    """'Judul - PR Depok' / 'KapanLagi.com: Judul' -> 'Judul'."""
    stripped = _TITLE_PREFIX.sub("", _TITLE_SUFFIX.sub("", title))
    return stripped if len(stripped) >= 10 else title


def _title_key(text: str) -> str:
    """Titles compared without case and punctuation ('IHSG Hari Ini: Sempat' ~ 'IHSG Hari Ini Sempat')."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def read_title(tree: HtmlElement, profile: SiteProfile | None, meta: PageMetadata, index: PageIndex) -> str | None:
    """The h1 as shown, preferring the one that agrees with the page's metadata headline."""
    if profile is not None:
        found = index.first_text(profile.compiled("title"))
        if found and len(found.split()) >= 2:
            return found
    stated = [_title_key(_strip_site_suffix(t)) for t in (meta.title, meta.og_title, meta.html_title) if t]
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


def read_caption(profile: SiteProfile | None, index: PageIndex) -> str | None:
    """The lead image's caption, without its photo credit."""
    if profile is not None:
        for selector in profile.compiled("caption"):
            for el in index.select(selector):
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


_CAPTION_CLASS = ("caption", "keterangan", "imageinfo", "image-info", "img-info", "photo-info", "foto-info")


def _caption_candidates(index: PageIndex) -> list[HtmlElement]:
    """Figcaptions and caption-classed elements after the headline, in page order."""
    return index.after_headline(_CAPTION_CLASS, tags=("figcaption",))


def read_image(meta: PageMetadata, caption: str | None, url: str) -> dict | None:
    image_url = absolute(meta.image_url, url)
    if not image_url and not caption:
        return None
    return asdict(ArticleImage(url=image_url, caption=caption))


_BREADCRUMB_SKIP = frozenset({"home", "beranda", "index", "indeks", "detail"})


# Generic top levels: skipped unless nothing more specific follows them
_BREADCRUMB_GENERIC = frozenset({"news", "berita"})


_BREADCRUMB = Selector("[class*=breadcrumb] a, [class*=breadcrumb] li > span, [id*=breadcrumb] a")


def read_section(
    index: PageIndex, profile: SiteProfile | None, meta: PageMetadata, title: str | None
) -> str | None:
    """The rubric readers see: the profile's breadcrumb, any breadcrumb, else metadata."""
    selectors = [*profile.compiled("section")] if profile is not None else []
    for selector in [*selectors, _BREADCRUMB]:
        items = [normalize_space(el.text_content()) for el in index.select(selector)]
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


# a pre-filter for class_words & _TAG_CLASS_WORDS
_TAG_LIKE = ("tag", "topik", "keyword")


def _generic_tag_links(index: PageIndex) -> list[HtmlElement]:
    """Links of the first tag-like box after the headline, and of its sibling boxes of the
    same kind (some sites wrap each tag in its own <div class=tagging>)."""
    for el in index.after_headline(_TAG_LIKE):
        words = cleaning.class_words(el) & _TAG_CLASS_WORDS
        if not words or not any(True for _ in el.iter("a")):
            continue
        boxes = [el]
        parent = el.getparent()
        if parent is not None:
            boxes += [sib for sib in el.itersiblings() if cleaning.class_words(sib) & words]
        return [a for box in boxes for a in box.iter("a")]
    return []


def _tag_sources(profile: SiteProfile | None, index: PageIndex) -> Iterator[list[HtmlElement]]:
    """Tag links, most reliable first, lazily: the profile's selectors, then a tag-like box."""
    if profile is not None:
        for selector in profile.compiled("tags"):
            yield index.select(selector)
    yield _generic_tag_links(index)


def read_tags(profile: SiteProfile | None, meta: PageMetadata, index: PageIndex) -> list[str]:
    """The tag footer as shown, in page order; explicit article:tag metadata when the page
    shows none (JSON-LD 'keywords' are SEO lists, not tags)."""
    for elements in _tag_sources(profile, index):
        tags: list[str] = []
        for el in elements:
            tag = normalize_space(el.text_content()).lstrip("#").strip()
            if tag and len(tag.split()) <= 6 and not _NOT_A_TAG.match(tag) and tag not in tags:
                tags.append(tag)
        if tags:
            return tags
    return list(dict.fromkeys(meta.article_tags))
