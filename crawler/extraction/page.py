"""One walk over a page's body, shared by every field reader.

Reading the title, byline, dates, caption, tags and pagination each used to walk the whole tree;
on a 300 KB page that cost more than parsing it. `PageIndex` walks it once and keeps what the
readers ask for: the elements in order, their class/id strings, where the headline is.
"""

from __future__ import annotations

from functools import cached_property

from lxml.html import HtmlElement

from crawler.extraction.text import normalize_space


class PageIndex:
    """The body's elements in document order, with their lower-cased 'class id' strings."""

    def __init__(self, tree: HtmlElement, title: str | None = None) -> None:
        body = tree.find("body")
        self.body = body if body is not None else tree
        self.elements: list[HtmlElement] = [el for el in self.body.iter() if isinstance(el.tag, str)]
        names = []
        for el in self.elements:
            attrib = el.attrib
            names.append(f"{attrib.get('class', '')} {attrib.get('id', '')}".lower() if attrib else "")
        self.names: list[str] = names
        self.title = title

    @cached_property
    def _classed(self) -> list[tuple[HtmlElement, str]]:
        return [(el, name) for el, name in zip(self.elements, self.names, strict=True) if name.strip()]

    def classed(self) -> list[tuple[HtmlElement, str]]:
        """Elements that have a class or id, with their 'class id' string."""
        return self._classed

    @cached_property
    def headline_position(self) -> int | None:
        """Index of the element showing the headline, if found."""
        if not self.title:
            return None
        folded = self.title.casefold()
        for i, el in enumerate(self.elements):
            # a headline is a heading, or a div with next to no markup inside (republika)
            if (el.tag in ("h1", "h2", "h3") or (el.tag == "div" and len(el) <= 2)) and (
                normalize_space(el.text_content()).casefold() == folded
            ):
                return i
        return None

    @cached_property
    def after_headline(self) -> list[HtmlElement]:
        """Elements after the headline in page order (all of them when it is not found): a
        page's header, logo and trending boxes come before the story."""
        position = self.headline_position
        return self.elements if position is None else self.elements[position + 1 :]

    @cached_property
    def after_headline_named(self) -> list[tuple[HtmlElement, str]]:
        position = self.headline_position
        start = 0 if position is None else position + 1
        return list(zip(self.elements[start:], self.names[start:], strict=True))
