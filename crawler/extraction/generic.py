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

from crawler.extraction.blocks import Block, blocks_of
from crawler.extraction.cleaning import prune_captions, prune_markup, prune_noise_blocks

# trafilatura logs every page it discards at WARNING; a page with no story is an ordinary
# outcome for us (counted by the caller), not a warning.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def generic_blocks(tree: HtmlElement, url: str | None, removed: Counter) -> list[Block]:
    """Blocks of the main text as trafilatura finds it in a noise-pruned copy of `tree`."""
    work = deepcopy(tree)
    body = work.body if work.find("body") is not None else work
    removed["markup"] += prune_markup(body)
    removed["caption"] += prune_captions(body)
    prune_noise_blocks(body, removed)
    document = trafilatura.bare_extraction(
        work,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        with_metadata=False,
    )
    if document is None or getattr(document, "body", None) is None:
        return []
    return blocks_of(document.body)
