"""Who wrote and edited the story, and who it credits: the profile's byline selectors,
labelled credit lines anywhere in the page ('Editor: Nur Annisa'), a byline near the headline,
and role labels printed beside names. The string parsing itself is in `byline.py`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import overload

from lxml.html import HtmlElement

from crawler.extraction.byline import (
    ROLE_FIELDS,
    ROLE_LABEL,
    Credits,
    find_credits,
    looks_like_names,
    split_names,
)
from crawler.extraction.page import PageIndex
from crawler.extraction.text import normalize_space
from crawler.sites import SiteProfile
from crawler.sites.selector import Selector


def _names_from(index: PageIndex, selectors: Iterable[Selector], field_name: str) -> list[str]:
    """Names in the elements a profile's byline selectors point at; when the text labels its
    names ('Penulis: A | Editor: B'), only those of `field_name`."""
    names: list[str] = []
    for selector in selectors:
        for el in index.select(selector):
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


# words that name a role in a credit line
_CREDIT_WORDS = tuple(
    "penulis reporter pewarta wartawan kontributor koresponden oleh writer author by laporan "
    "editor penyunting redaktur red penyelaras editing sumber source".split()
)


def _credit_candidates(index: PageIndex) -> list[HtmlElement]:
    """Elements that may hold a credit line: those around a text that names a role.
    (Reading the text of every element of a page would cost more than the whole extraction.)"""
    found: dict[HtmlElement, None] = {}
    for _text, el, is_tail in index.short_texts_with_words(_CREDIT_WORDS):
        owner = el.getparent() if is_tail else el  # the text after an element is its parent's
        for _ in range(3):  # the cell, its row, the row's table body
            if owner is None:
                break
            if owner.tag in _CREDIT_TAGS:
                found.setdefault(owner)
            owner = owner.getparent()
    return list(found)


def page_credits(profile: SiteProfile | None, index: PageIndex) -> Credits:
    """Credits stated by the profile's byline selectors, else by labelled lines anywhere in the
    page ('Editor: Nur Annisa' under the story, 'Penulis : X' in a table row)."""
    credits = Credits()
    if profile is not None:
        credits.add("authors", _names_from(index, profile.compiled("authors"), "authors"))
        credits.add("editors", _names_from(index, profile.compiled("editors"), "editors"))
    for el in _credit_candidates(index):
        text = spaced_text(el, limit=200)
        if text is None:
            continue
        sibling = _role_label_sibling(el, text)
        if sibling:
            field_name, names = sibling
            if not (
                profile is not None and getattr(profile, field_name, ()) and getattr(credits, field_name)
            ):
                credits.add(field_name, names)
            continue
        for field_name, names in find_credits(text):
            # a profile's byline selectors, when they found names, are the better witness
            if profile is not None and getattr(profile, field_name, ()) and getattr(credits, field_name):
                continue
            credits.add(field_name, names)
    return credits


# class/id words of a byline element (looked up in the page index's lower-cased names)
_BYLINE_WORDS = ("author", "byline", "penulis", "reporter", "writer", "wartawan", "kontributor")
_BYLINE_SEARCH_LIMIT = 300  # elements after the headline: a byline sits right under it
_NOT_BYLINE = re.compile(r"caption|photo|foto|image|img|comment|komentar|avatar", re.I)


def generic_byline(index: PageIndex) -> list[str]:
    """Writers named in a byline element near the headline, for pages whose profile (if any)
    has no byline selectors: class 'author'/'byline'/'penulis'/'reporter', itemprop or rel
    'author'. The innermost such element wins ('By <span class=fn>Name</span> on 16 Feb')."""
    start = index.after_headline_start
    stop = min(start + _BYLINE_SEARCH_LIMIT, len(index.elements))
    by_name = set(index.named(_BYLINE_WORDS, start, stop))
    candidates = []
    for position in range(start, stop):
        el = index.elements[position]
        # an element without attributes has the name "" and cannot be marked either
        if position not in by_name and not (
            index.names[position] and (el.get("itemprop") == "author" or el.get("rel") == "author")
        ):
            continue
        if any(_NOT_BYLINE.search(a.get("class", "")) for a in (el, *el.iterancestors())):
            continue  # a photo credit ('Foto: Facebook') or a share bar, not the writer
        candidates.append(el)
    chosen = [el for el in candidates if not any(c is not el and el in c.iterancestors() for c in candidates)]
    chosen_set = set(candidates)
    innermost = [el for el in candidates if not any(d in chosen_set for d in el.iterdescendants())]
    for el in innermost or chosen:
        text = spaced_text(el, limit=80)
        if not text or _OUTLET_TOKEN.search(text):
            continue
        parent = el.getparent()
        context = spaced_text(parent, limit=120) if parent is not None else None
        if context is not None and any(f != "authors" for f, _ in find_credits(context, anywhere=True)):
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


@overload
def spaced_text(el: HtmlElement) -> str: ...
@overload
def spaced_text(el: HtmlElement, limit: int) -> str | None: ...


def spaced_text(el: HtmlElement, limit: int | None = None) -> str | None:
    """Text with a space between text nodes: bylines glue '<a>Name</a><span>03 Jun 2020</span>'.
    With `limit`, None for a text longer than that, found without reading all of a long one
    (the normalised text of a prefix is never longer than that of the whole)."""
    if limit is None:
        return normalize_space(" ".join(el.itertext()))
    parts: list[str] = []
    length, check_at = 0, 4 * limit
    for chunk in el.itertext():
        parts.append(chunk)
        length += len(chunk) + 1
        if length > check_at:
            if len(normalize_space(" ".join(parts))) > limit:
                return None
            check_at *= 2  # mostly whitespace so far: look again when twice as long
    text = normalize_space(" ".join(parts))
    return text if len(text) <= limit else None


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


def is_outlet(name: str, site: str, site_name: str | None = None) -> bool:
    """Whether a credited 'author' is the outlet itself ('PR Depok', 'Kompas.com')."""
    brand = site.split(".")[-3] if site.count(".") >= 2 and site.endswith(".co.id") else site.split(".")[-2]
    folded = name.casefold().replace(" ", "")
    if site_name and folded == site_name.casefold().replace(" ", ""):
        return True
    return folded in {brand, site.casefold(), f"{brand}.com"} or folded.startswith(brand + ".")


def is_own_name(source: str, site: str, site_name: str | None, dateline: str | None) -> bool:
    """A 'source' that is the outlet itself: its host, its og:site_name, or the outlet named in
    its own dateline ('TRIBUNSOLO.COM, SOLO'). 'Sumber: Tribunnews.com' on solo.tribunnews.com
    credits the national desk and stays a source."""
    folded = source.casefold().replace(" ", "")
    own = {site.casefold(), (site_name or "").casefold().replace(" ", "")}
    if dateline:
        own.update(t.casefold() for t in re.findall(r"[\w-]+\.(?:com|co\.id|id)\b", dateline, re.I))
    return folded in own
