"""The generic path: pages of outlets without a profile, or whose profile found nothing.

trafilatura finds the main text; before it runs, the Indonesian noise that it is known to keep
(captions, 'Baca Juga' boxes, related lists, share bars) is pruned from a copy of the tree, and
after it the block steps of `cleaning.py` run as for profiled pages.
"""

from __future__ import annotations

import logging
from collections import Counter
from copy import deepcopy

import trafilatura
from lxml.html import HtmlElement

from crawler.extraction.blocks import BLOCK_TAGS, Block, blocks_of
from crawler.extraction.cleaning import mark_bold_lead_in, prune_tree
from crawler.extraction.container import find_container
from crawler.extraction.text import WORD, normalize_space

# trafilatura logs every page it discards at WARNING; a page with no story is an ordinary
# outcome for us (counted by the caller), not a warning.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


# Below this many words, the container found by paragraph votes is not trusted.
_MIN_CONTAINER_WORDS = 40


def generic_blocks(
    tree: HtmlElement, url: str | None, removed: Counter, *, indonesian: bool = True
) -> tuple[list[Block], str]:
    """Blocks of the main text of a noise-pruned copy of `tree`, and which method found them:
    'container' (paragraph votes, `container.py`) or 'trafilatura'.

    Pages in other languages go to trafilatura directly: its heuristics are tuned on such
    pages, while the paragraph votes and noise words here are tuned on Indonesian news."""
    if not indonesian:
        # tables too, as trafilatura does by default: standings, results, schedules are the story
        # there (generic benchmark F1 0.966 -> 0.969). The Indonesian path leaves them out as
        # before: its corpus pages give no evidence either way.
        return _trafilatura_blocks(tree, url, fast=True, shared=True, tables=True), "trafilatura"
    work = deepcopy(tree)
    body = work.body if work.find("body") is not None else work
    prune_tree(body, removed)
    containers = find_container(body)
    if containers:
        blocks = []
        for container in containers:
            mark_bold_lead_in(container)
            blocks.extend(blocks_of(container))
        if sum(len(WORD.findall(b.text)) for b in blocks) >= _MIN_CONTAINER_WORDS:
            return blocks, "container"
    blocks = _trafilatura_blocks(work, url, fast=False)
    if _is_listing(blocks, tree):
        removed["listing"] += len(blocks)
        return [], "trafilatura"
    return blocks, "trafilatura"


def _is_listing(blocks: list[Block], tree: HtmlElement) -> bool:
    """trafilatura reads a list of headlines as text; when most of what it found is the text of
    the page's own links, the page is an index or section page, not a story."""
    text = " ".join(block.text for block in blocks).casefold()
    if not text:
        return False
    link_texts = {normalize_space(a.text_content()).casefold() for a in tree.iter("a")}
    linked = sum(len(t) for t in link_texts if len(t) > 10 and t in text)
    return linked / len(text) > 0.5


def _trafilatura_blocks(
    work: HtmlElement, url: str | None, *, fast: bool, shared: bool = False, tables: bool = False
) -> list[Block]:
    """trafilatura's main text of `work`. A `shared` tree (the caller's own, read again after
    this) is left as it was: trafilatura copies the tree it is given before it changes it, so
    only the spaces added below need undoing, which is cheaper than copying a whole page."""
    # trafilatura joins the text around an element it drops; where minified markup has no
    # whitespace at block edges, that would glue two words into one that the page never shows
    # (table cells too: it drops a <td> found outside a table, text and all)
    spaced = list(work.iter(*BLOCK_TAGS, "td", "th"))
    tails = [el.tail for el in spaced] if shared else []
    for el in spaced:
        el.tail = " " + (el.tail or "")
    try:
        document = trafilatura.bare_extraction(
            work,
            url=url,
            # Its readability/jusText fallbacks double the time and gain nothing on the generic
            # benchmark (F1 0.962 fast vs 0.960), but they rescue Indonesian pages that the
            # paragraph votes could not read (corpus with profiles off: 0.999 vs 0.964).
            fast=fast,
            include_comments=False,
            include_tables=tables,
            include_images=False,
            with_metadata=False,
        )
    finally:
        for el, tail in zip(spaced, tails, strict=False):
            el.tail = tail
    if document is None or getattr(document, "body", None) is None:
        return []
    return blocks_of(document.body)
