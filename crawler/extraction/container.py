"""Finding the article container of a page nobody wrote a profile for.

Readability's idea, kept small: every paragraph votes for its parent (and, less, its
grandparent) with a weight that grows with its length and its commas; links do not vote. The
element with the most votes, discounted by its link density, holds the story. Siblings that
vote strongly too (a story split over several <div>s, as KLY sites do) are taken along.

News pages are regular enough that this finds the story on most Indonesian outlets; where it
finds too little, `generic.py` asks trafilatura instead.
"""

from __future__ import annotations

from collections import defaultdict

from lxml.html import HtmlElement

from crawler.extraction.text import normalize_space

_PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "h2", "h3"})
# Elements that hold story text directly, between <br>s (old kompas/antara layouts).
_TEXT_HOLDER_TAGS = frozenset({"div", "span", "td", "section", "article", "font", "center"})
_MIN_PARAGRAPH_CHARS = 25
_MIN_DIRECT_TEXT_CHARS = 100


def _direct_text(el: HtmlElement) -> str:
    """Text of `el` that is not inside a child element (plus tails of inline children)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag in ("b", "strong", "i", "em", "a", "u", "span", "font"):
            parts.append(child.text_content() or "")
        parts.append(child.tail or "")
    return normalize_space("".join(parts))


def _link_chars(el: HtmlElement) -> int:
    return sum(len(normalize_space(a.text_content())) for a in el.iter("a"))


def link_density(el: HtmlElement) -> float:
    text = normalize_space(el.text_content())
    return _link_chars(el) / len(text) if text else 1.0


def _paragraph_weight(text: str, link_chars: int) -> float:
    if len(text) < _MIN_PARAGRAPH_CHARS or link_chars / len(text) > 0.5:
        return 0.0
    return 1.0 + text.count(",") + min(len(text) // 100, 3)


def score_candidates(root: HtmlElement) -> tuple[dict[HtmlElement, float], dict[HtmlElement, float]]:
    """Votes per element (before the link-density discount), and the total paragraph weight
    held anywhere below each element."""
    scores: dict[HtmlElement, float] = defaultdict(float)
    below: dict[HtmlElement, float] = defaultdict(float)
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _PARAGRAPH_TAGS:
            text = normalize_space(el.text_content())
            weight = _paragraph_weight(text, _link_chars(el)) if text else 0.0
            voter = el
        elif tag in _TEXT_HOLDER_TAGS:
            text = _direct_text(el)
            if len(text) < _MIN_DIRECT_TEXT_CHARS:
                continue
            # the holder is itself the container of its <br>-separated paragraphs
            weight = _paragraph_weight(text, 0) * max(1, text.count(". ") // 2)
            scores[el] += weight
            voter = el
        else:
            continue
        if not weight:
            continue
        for ancestor in voter.iterancestors():
            below[ancestor] += weight
        parent = voter.getparent()
        if parent is not None:
            scores[parent] += weight
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] += weight / 2
    return scores, below


_WIDEN_LEVELS = 4
_SECTION_SHARE = 0.1


def _kind(el: HtmlElement) -> tuple[str, str]:
    """Tag and first class: 'item-page' and 'item-page item-page_hidden' are the same kind."""
    classes = (el.get("class") or "").split()
    return (el.tag if isinstance(el.tag, str) else "", classes[0] if classes else "")


def _widen(best: HtmlElement, below: dict[HtmlElement, float]) -> HtmlElement:
    """A story split into sections (KLY sites: one <div class=…__item> per subheading) has
    its paragraphs in sibling elements of the same kind. Climb from the best element while
    some sibling of the same tag and class also holds story text, so every section is read."""
    base = below.get(best, 0.0)
    chosen = current = best
    for _ in range(_WIDEN_LEVELS):
        parent = current.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        kind = _kind(current)
        twins = [
            sib
            for sib in parent
            if sib is not current and _kind(sib) == kind and below.get(sib, 0.0) >= _SECTION_SHARE * base
        ]
        if twins:
            chosen = parent
        current = parent
    return chosen


def find_container(root: HtmlElement) -> list[HtmlElement]:
    """The story's container(s) in document order, or [] when no element stands out."""
    scores, below = score_candidates(root)
    if not scores:
        return []
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:10]
    best, best_score = max(
        ((el, score * (1 - link_density(el))) for el, score in ranked), key=lambda kv: kv[1]
    )
    if best_score < 5:
        return []
    best = _widen(best, below)
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * 0.2)
    chosen = []
    for sibling in parent:
        if sibling is best:
            chosen.append(sibling)
            continue
        if not isinstance(sibling.tag, str):
            continue
        score = scores.get(sibling, 0.0) * (1 - link_density(sibling)) if sibling in scores else 0.0
        if score >= threshold:
            chosen.append(sibling)
    return chosen
