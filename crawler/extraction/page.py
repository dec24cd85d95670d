"""Where things are on a page, for every field reader: the elements in order, their class/id
strings, the headline, the elements after it, and the profile's selectors answered from them.

Every pass over a page's elements costs about as much as a third of its parse, in Python or in
libxml2's XPath engine alike, and the readers (title, byline, dates, caption, tags, pagination,
each profile selector) used to make one each. `PageIndex` makes one. It keeps every element's
lower-cased 'class id' string, joined into one text with a line per element, so that "the
elements whose class or id holds 'caption'" is a `str.find` over that text (C speed), and a
profile selector anchored on a class or id ('div.read__content p') runs its XPath only from
the few elements that hold that token (`crawler/sites/selector.py`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.text import is_invisible, normalize_space

# A token found on more elements than this is no anchor: evaluating the selector the plain way
# (one pass in C) is then cheaper than starting its XPath from each of them.
_MAX_ANCHORS = 24
# Credit lines, dates and labels are short: longer texts are story paragraphs or scripts.
SHORT_TEXT = 300


class PageIndex:
    """The page's elements in document order, with their lower-cased 'class id' strings.

    `elements` and every position the readers see are the body's; `select` answers a profile
    selector over the whole document, as calling it on the tree would."""

    def __init__(self, tree: HtmlElement, title: str | None = None) -> None:
        self.root = tree
        body = tree.find("body")
        self.body = body if body is not None else tree
        self.title = title
        # comments and processing instructions are not elements: iter(Element) leaves them out
        self._all: list[HtmlElement] = list(tree.iter(etree.Element))
        self._names: list[str] = [
            f"{el.get('class') or ''} {el.get('id') or ''}".lower() if el.attrib else "" for el in self._all
        ]
        self._body_start, self._body_stop = _subtree_range(self._all, self.body)
        self.elements = self._all[self._body_start : self._body_stop]
        self.names = self._names[self._body_start : self._body_stop]

    # -- class/id lookups ---------------------------------------------------------------------

    @cached_property
    def _joined(self) -> tuple[str, list[int]]:
        """All names in one text, a line per element, and where each line starts."""
        starts = []
        offset = 0
        for name in self._names:
            starts.append(offset)
            offset += len(name) + 1
        starts.append(offset)
        return "\n".join(self._names), starts

    def _holding(self, words: Iterable[str], start: int, stop: int) -> list[int]:
        """Document positions in [start, stop) whose name holds one of `words`, in order."""
        text, starts = self._joined
        low, high = starts[start], starts[stop]
        found: set[int] = set()
        for word in words:
            at = text.find(word, low, high)
            while at != -1:
                position = bisect_right(starts, at) - 1
                found.add(position)
                at = text.find(word, starts[position + 1], high)
        return sorted(found)

    def named(self, words: Iterable[str], start: int = 0, stop: int | None = None) -> list[int]:
        """Positions in `elements` from `start` to `stop` whose class or id holds one of
        `words` (lower-case substrings), in page order."""
        count = len(self.elements)
        stop = count if stop is None else min(stop, count)
        if start >= stop:
            return []
        offset = self._body_start
        return [p - offset for p in self._holding(words, start + offset, stop + offset)]

    def classed(self, words: Iterable[str]) -> list[HtmlElement]:
        """The body's elements whose class or id holds one of `words`, in page order."""
        return [self.elements[i] for i in self.named(words)]

    @cached_property
    def _positions(self) -> dict[HtmlElement, int]:
        return {el: i for i, el in enumerate(self._all)}

    def select(self, selector: Any) -> list[Any]:
        """What `selector(tree)` returns, answered from the anchors when it has them."""
        anchored = getattr(selector, "anchored", None)
        if not anchored:
            return selector(self.root)
        results: list[list[Any]] = []
        for token, xpath in anchored:
            anchors = self._holding((token,), 0, len(self._all))
            if len(anchors) > _MAX_ANCHORS:
                return selector(self.root)
            for position in anchors:
                found = xpath(self._all[position])
                if found:
                    results.append(found)
        if len(results) <= 1:
            return results[0] if results else []
        # several anchors or groups: merge into page order, once each
        positions = self._positions
        merged = {el: None for found in results for el in found}
        return sorted(merged, key=lambda el: positions.get(el, -1))

    def first_text(self, selectors: Iterable[Any]) -> str | None:
        for selector in selectors:
            for el in self.select(selector):
                text = normalize_space(el.text_content())
                if text:
                    return text
        return None

    # -- text ---------------------------------------------------------------------------------

    @cached_property
    def _short_texts(self) -> tuple[list[str], list[tuple[HtmlElement, bool]], str | None, list[int]]:
        """The body's texts of at most SHORT_TEXT characters as `elements` go (each element's
        text, then its tail), the element each belongs to and whether it is the tail, and all
        of them joined (lower-cased, NUL between two) with where each starts."""
        texts: list[str] = []
        places: list[tuple[HtmlElement, bool]] = []
        for el in self.elements:
            text, tail = el.text, el.tail
            if text and len(text) <= SHORT_TEXT:
                texts.append(text)
                places.append((el, False))
            if tail and len(tail) <= SHORT_TEXT:
                texts.append(tail)
                places.append((el, True))
        starts = []
        offset = 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + 1
        joined = "\x00".join(texts)
        lowered = joined.lower()
        # lower() can change a length ('İ'): then the offsets cannot be trusted
        return texts, places, lowered if len(lowered) == len(joined) else None, starts

    def short_texts_with_words(
        self, words: Iterable[str], *, whole_word: bool = True
    ) -> list[tuple[str, HtmlElement, bool]]:
        """The body's texts of at most SHORT_TEXT characters that hold one of `words`
        (lower-case), as a whole word unless `whole_word` is false, in the order `elements`
        give them (an element's text, then its tail): (text, element, is_tail)."""
        texts, places, joined, starts = self._short_texts
        if joined is None:  # test each text instead
            edge = r"\b" if whole_word else ""
            pattern = re.compile(edge + "(?:" + "|".join(map(re.escape, words)) + ")" + edge, re.I)
            hits = [i for i, text in enumerate(texts) if pattern.search(text)]
            return [(texts[i], *places[i]) for i in hits]
        found: set[int] = set()
        for word in words:
            at = joined.find(word)
            while at != -1:
                end = at + len(word)
                if not whole_word or (
                    (at == 0 or not _is_word_char(joined[at - 1]))
                    and (end == len(joined) or not _is_word_char(joined[end]))
                ):
                    found.add(bisect_right(starts, at) - 1)
                at = joined.find(word, end)
        return [(texts[i], *places[i]) for i in sorted(found)]

    # -- the headline and what follows it -----------------------------------------------------

    @cached_property
    def headline_position(self) -> int | None:
        """Index (in `elements`) of the element showing the headline, if found."""
        if not self.title:
            return None
        folded = self.title.casefold()

        # casefold() turns a character into at most three and normalize_space never lengthens:
        # a text shorter than a third of the folded title cannot show it
        shortest = len(folded) // 3

        def differs_at_first_letter(text: str) -> bool:
            # most candidates already differ in their first letter: no need to normalise them
            first = text[:64].lstrip()[:1]
            return bool(first) and not is_invisible(first) and not folded.startswith(first.casefold())

        def shows_title(el: HtmlElement) -> bool:
            if len(el) == 0:
                text = el.text or ""
                if len(text) < shortest or differs_at_first_letter(text):
                    return False
                return normalize_space(text).casefold() == folded
            # A div with a child or two may hold the whole story: read its text in pieces and
            # stop once it cannot be the title (casefold() never shortens a text, and the
            # normalised text of a prefix is never longer than that of the whole).
            parts: list[str] = []
            length, checked_first, check_at = 0, False, 2 * len(folded) + 64
            for chunk in el.itertext():
                parts.append(chunk)
                length += len(chunk)
                if not checked_first and length >= 64:
                    if differs_at_first_letter("".join(parts)):
                        return False
                    checked_first = True
                if length > check_at:
                    if len(normalize_space("".join(parts))) > len(folded):
                        return False
                    check_at *= 2  # mostly whitespace so far: look again when twice as long
            text = "".join(parts)
            if len(text) < shortest or (not checked_first and differs_at_first_letter(text)):
                return False
            return normalize_space(text).casefold() == folded

        # a headline is a heading, or a div with next to no markup inside (republika): the
        # first of them in page order. Headings are few, small divs many: find the first
        # heading that shows the title, then look for a div only before it.
        heading = next((el for el in self.body.iter("h1", "h2", "h3") if shows_title(el)), None)
        # divs in page order, up to the heading (iter(tags) filters in C)
        for el in self.body.iter("div", *(() if heading is None else (heading.tag,))):
            if el is heading:
                break
            # len() counts comments too, as it always did here
            if el.tag == "div" and len(el) <= 2 and shows_title(el):
                return self.elements.index(el)
        return None if heading is None else self.elements.index(heading)

    @property
    def headline(self) -> HtmlElement | None:
        position = self.headline_position
        return None if position is None else self.elements[position]

    @property
    def after_headline_start(self) -> int:
        """Where the elements after the headline start (0 when it is not found: then all of
        them count, as a page's header, logo and trending boxes come before the story)."""
        position = self.headline_position
        return 0 if position is None else position + 1

    def after_headline(self, words: Iterable[str], tags: Iterable[str] = ()) -> list[HtmlElement]:
        """Elements after the headline whose class or id holds one of `words`, or whose tag is
        one of `tags`, in page order."""
        start = self.after_headline_start
        chosen = set(self.named(words, start))
        tags = tuple(tags)
        if tags:
            # few such elements: list.index (identity, in C) finds each without a position map
            chosen.update(self.elements.index(el) for el in self.body.iter(*tags))
            chosen = {p for p in chosen if p >= start}
        return [self.elements[i] for i in sorted(chosen)]


def _is_word_char(char: str) -> bool:
    """What the regex \\w matches in a str pattern."""
    return char.isalnum() or char == "_"


def _subtree_range(elements: list[HtmlElement], top: HtmlElement) -> tuple[int, int]:
    """Where `top` and its descendants sit in `elements` (all of a document's, in order)."""
    start = elements.index(top)
    node = top
    while node is not None:
        after = node.getnext()
        while after is not None and not isinstance(after.tag, str):
            after = after.getnext()
        if after is not None:
            return start, elements.index(after, start)
        node = node.getparent()
    return start, len(elements)
