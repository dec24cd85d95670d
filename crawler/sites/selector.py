"""A profile's selector, compiled once: CSS (or 'xpath:…') that can also be answered from a
`PageIndex` without a pass over the whole page.

Evaluating a CSS selector with lxml walks every element of the page in libxml2's XPath engine,
about 0.2–0.5 ms on a news page; an extraction asks a dozen of them. But nearly every selector
of a profile starts from a class or an id ('div.read__content p', '#detail .date'). For those,
`anchored` holds, per comma-separated group, that class/id token and the group's XPath with the
leftmost step made relative to the element itself ('self::div[…]/p'): the page index finds the
few elements whose class or id holds the token by a string search, and the XPath runs from each
of them only. The result is the same elements in the same (page) order; a selector with no
class/id to anchor on, or a token found on many elements, is evaluated the plain way.
"""

from __future__ import annotations

from typing import Any

import cssselect
from cssselect.parser import Attrib, Class, CombinedSelector, Hash
from lxml.cssselect import CSSSelector, LxmlTranslator
from lxml.etree import XPath

_TRANSLATOR = LxmlTranslator()  # what lxml's CSSSelector uses by default
# attribute tests whose value is then part of the attribute's text
_HOLDING_OPERATORS = frozenset({"=", "~=", "|=", "^=", "$=", "*="})


class Selector:
    """One compiled selector; call it on a tree like an lxml `CSSSelector`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.anchored: tuple[tuple[str, XPath], ...] | None = None
        if text.startswith("xpath:"):
            self._plain = XPath(text.removeprefix("xpath:"))
            return
        self._plain = CSSSelector(text)
        groups = []
        for group in cssselect.parse(text):
            token = _anchor_token(group.parsed_tree)
            if token is None or group.pseudo_element is not None:
                return
            groups.append((token, XPath(_TRANSLATOR.selector_to_xpath(group, prefix="self::"))))
        self.anchored = tuple(groups)

    def __call__(self, root: Any) -> list[Any]:
        return self._plain(root)

    def __repr__(self) -> str:
        return f"Selector({self.text!r})"


def _anchor_token(tree: Any) -> str | None:
    """A class name or id that the leftmost element of a selector must have, lower-cased (the
    index's class/id strings are), or None."""
    while isinstance(tree, CombinedSelector):
        tree = tree.selector
    # a compound is a chain of .selector links: Class(Hash(Element)), Attrib(Class(...)), …;
    # a :not(...) keeps its own classes in .subselector, which is not followed
    while tree is not None:
        if isinstance(tree, Hash):
            return tree.id.lower()
        if isinstance(tree, Class):
            return tree.class_name.lower()
        if isinstance(tree, Attrib) and tree.attrib in ("class", "id") and tree.operator in _HOLDING_OPERATORS:
            # [class*=breadcrumb], [id=main], …: the value is part of the attribute's text
            value = getattr(tree.value, "value", tree.value)
            if value:
                return str(value).lower()
        tree = getattr(tree, "selector", None)
    return None
