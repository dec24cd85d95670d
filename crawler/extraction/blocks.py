"""From an article container (an lxml element) to the blocks a reader sees as paragraphs.

A block is one <p>, list item, heading, quote, or a run of text between <br>s inside a
container that does not use <p> (old kompas/antara layouts). Each block remembers how much of
its text sits inside links, which tells related-article links from story text.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extraction.text import fix_mojibake, normalize_space

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "thead", "tfoot", "tr", "ul", "caption",
        # trafilatura's output vocabulary, so its body can be read with the same code
        "head", "item", "list", "quote", "row",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "head"})
BREAK_TAGS = frozenset({"br", "lb"})
# Table cells are read as parts of their row: 'Editor' | ': Nur Annisa' is one line.
CELL_TAGS = frozenset({"td", "th", "cell"})


@dataclass
class Block:
    """One paragraph-like unit of text."""

    text: str
    tag: str = "p"
    """Tag of the innermost block element that holds the text ('p', 'h2', 'li', ...)."""
    link_chars: int = 0
    """Characters of `text` that were inside <a> elements."""

    @property
    def link_ratio(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def is_heading(self) -> bool:
        return self.tag in HEADING_TAGS


class _Collector:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.tags: list[str] = ["p"]

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.parts.append(text)
            if in_link:
                self.link_chars += len(normalize_space(text))

    def flush(self) -> None:
        text = fix_mojibake(normalize_space("".join(self.parts)))
        if text:
            self.blocks.append(Block(text, self.tags[-1], min(self.link_chars, len(text))))
        self.parts = []
        self.link_chars = 0


def _walk(el: HtmlElement, out: _Collector, in_link: bool) -> None:
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in BLOCK_TAGS:
            out.flush()
            out.tags.append(tag)
            out.add(child.text, in_link)
            _walk(child, out, in_link)
            out.flush()
            out.tags.pop()
        elif tag in BREAK_TAGS:
            out.flush()
        elif tag in CELL_TAGS:
            out.add(" ", False)
            out.add(child.text, in_link)
            _walk(child, out, in_link)
        elif tag:
            child_in_link = in_link or tag == "a"
            out.add(child.text, child_in_link)
            _walk(child, out, child_in_link)
        # comments and processing instructions contribute only their tail
        out.add(child.tail, in_link)


def blocks_of(container: HtmlElement) -> list[Block]:
    """Read the container's text as a list of blocks, in document order."""
    out = _Collector()
    out.add(container.text, False)
    _walk(container, out, container.tag == "a")
    out.flush()
    return out.blocks
