"""Machine-readable metadata of a page: JSON-LD NewsArticle, OpenGraph / article:* meta tags,
<link rel=canonical>, <html lang>.

These are the most reliable sources for dates, canonical URL and section, so they are read
first; the visible byline/date lines (see `byline.py`) confirm or override them in `core.py`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from crawler.extraction.text import normalize_space

ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "blogposting",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "socialmediaposting",
        "webpage",
    }
)

# most specific first, so a node typed ['NewsArticle', 'Article'] is a newsarticle
_TYPE_ORDER = (
    "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "socialmediaposting", "article", "webpage",
)

# JSON-LD in the wild carries raw newlines/tabs inside strings and trailing commas.
_CONTROL_CHARS = re.compile(r"[\x00-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass
class PageMetadata:
    """What the page states about itself in machine-readable form (None/[] when absent)."""

    canonical_url: str | None = None
    og_url: str | None = None
    title: str | None = None
    og_title: str | None = None
    html_title: str | None = None
    description: str | None = None
    site_name: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    """article:tag values, else JSON-LD keywords."""
    article_tags: list[str] = field(default_factory=list)
    """article:tag values only (what the publisher marked as tags)."""
    image_url: str | None = None
    language: str | None = None
    article_type: str | None = None


def _meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """Every <meta> content by its property / name / itemprop, in page order (read once)."""
    tags: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        value = normalize_space(el.get("content") or "")
        if not value:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = el.get(attribute)
            if key:
                tags.setdefault(key, []).append(value)
    return tags


def _meta_content(tags: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        if tags.get(name):
            return tags[name][0]
    return None


def _load_json_ld(text: str) -> Any:
    text = text.strip()
    if text.startswith("<!--"):
        text = text.strip("<!->").strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", _CONTROL_CHARS.sub(" ", text)))
    except ValueError:
        return None


def _walk_json_ld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk_json_ld(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk_json_ld(data["@graph"])
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _walk_json_ld(main)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type") or ()
    if isinstance(value, str):
        value = (value,)
    return {str(v).lower() for v in value if isinstance(v, str)}


def json_ld_articles(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD node of an article type, NewsArticle first."""
    nodes: list[dict[str, Any]] = []
    # iter(tag) filters in C; a '//' XPath walks the page at several times the cost
    for script in (s for s in tree.iter("script") if s.get("type") == "application/ld+json"):
        data = _load_json_ld(script.text or "")
        for node in _walk_json_ld(data):
            if _types(node) & ARTICLE_TYPES:
                nodes.append(node)

    def rank(node: dict[str, Any]) -> int:
        types = _types(node)
        if types & {"newsarticle", "reportagenewsarticle", "analysisnewsarticle"}:
            return 0
        if "webpage" in types:
            return 2
        return 1

    return sorted(nodes, key=rank)


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD author value (string, object or list of either)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        types = _types(value)
        if types and types & {"organization", "newsmediaorganization"}:
            return []
        value = value.get("name")
        return _names(value)
    name = normalize_space(str(value))
    return [name] if name else []


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or value.get("url")
    if value is None:
        return None
    return normalize_space(str(value)) or None


def _keywords(value: Any) -> list[str]:
    """Keywords as tags. Sites stuff this field with labels ('Editor:X'), captions and nested
    lists; only short, label-free entries are tags."""
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        return []
    tags = []
    for item in items:
        if isinstance(item, list):
            tags.extend(_keywords(item))
            continue
        tag = normalize_space(str(item))
        if tag and ":" not in tag and len(tag.split()) <= 5:
            tags.append(tag)
    return tags


def read_metadata(tree: HtmlElement) -> PageMetadata:
    """Collect the page's own metadata; JSON-LD article values win over meta tags."""
    meta = PageMetadata()
    tags = _meta_tags(tree)
    canonical = [
        link.get("href") for link in tree.iter("link") if link.get("rel") == "canonical" and link.get("href") is not None
    ]
    meta.canonical_url = normalize_space(canonical[0]) if canonical else None
    meta.og_url = _meta_content(tags, "og:url")
    meta.og_title = _meta_content(tags, "og:title", "twitter:title")
    titles = list(tree.iter("title"))
    meta.html_title = normalize_space(titles[0].text_content()) if titles else None
    meta.description = _meta_content(tags, "og:description", "description")
    meta.site_name = _meta_content(tags, "og:site_name")
    meta.published = _meta_content(tags,
        "article:published_time",
        "datePublished",
        "og:published_time",
        "pubdate",
        "publishdate",
        "content_PublishedDate",
        "dtk:publishdate",
    )
    meta.modified = _meta_content(tags, "article:modified_time", "dateModified", "og:updated_time")
    meta.section = _meta_content(tags, "article:section")
    meta.tags = meta.article_tags = list(tags.get("article:tag", []))
    meta.image_url = _meta_content(tags, "og:image", "twitter:image")
    author = _meta_content(tags, "author", "article:author", "content_author")
    if author and not author.startswith("http"):
        meta.authors = [author]
    lang = tree.xpath("/html/@lang")
    if lang:
        meta.language = lang[0].strip().split("-")[0].lower() or None
    if not meta.language:
        locale = _meta_content(tags, "og:locale")
        meta.language = locale.split("_")[0].lower() if locale else None

    for node in json_ld_articles(tree):
        meta.article_type = meta.article_type or min(_types(node) & ARTICLE_TYPES, key=_TYPE_ORDER.index)
        meta.title = meta.title or _text(node.get("headline") or node.get("name"))
        meta.published = _text(node.get("datePublished")) or meta.published
        meta.modified = _text(node.get("dateModified")) or meta.modified
        names = _names(node.get("author"))
        if names:
            meta.authors = names
        meta.section = meta.section or _text(node.get("articleSection"))
        meta.tags = meta.tags or _keywords(node.get("keywords"))
        meta.image_url = meta.image_url or _text(node.get("image"))
        if not meta.language and isinstance(node.get("inLanguage"), str):
            meta.language = node["inLanguage"].split("-")[0].lower()
        break
    return meta
