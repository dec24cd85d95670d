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

import re
from collections.abc import Callable
from typing import Any

import cssselect
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash
from lxml import etree
from lxml.cssselect import CSSSelector, LxmlTranslator
from lxml.etree import XPath

_TRANSLATOR = LxmlTranslator()  # what lxml's CSSSelector uses by default
# attribute tests whose value is then part of the attribute's text
_HOLDING_OPERATORS = frozenset({"=", "~=", "|=", "^=", "$=", "*="})


class Selector:
    """One compiled selector; call it on a tree like an lxml `CSSSelector`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.anchored: tuple[tuple[str, Callable[[Any], list[Any]]], ...] | None = None
        self._tag: str | None = None  # a selector that is one tag name ('h1'): iter(tag) finds it
        if text.startswith("xpath:"):
            self._plain = XPath(text.removeprefix("xpath:"))
            return
        self._plain = CSSSelector(text)
        parsed = cssselect.parse(text)
        if len(parsed) == 1 and parsed[0].pseudo_element is None:
            compound = _simple(parsed[0].parsed_tree)
            if compound is not None and compound[0] and not compound[1] and compound[2] is None:
                self._tag = compound[0]
        groups = []
        for group in parsed:
            token = _anchor_token(group.parsed_tree)
            if token is None or group.pseudo_element is not None:
                return
            groups.append((token, _from_anchor(group)))
        self.anchored = tuple(groups)

    def __call__(self, root: Any) -> list[Any]:
        if self._tag is not None:
            return list(root.iter(self._tag))  # descendant-or-self, in page order, in C
        return self._plain(root)

    def __repr__(self) -> str:
        return f"Selector({self.text!r})"


# A compound of a tag and/or classes and/or an id: (tag or None, classes, id or None).
Simple = tuple[str | None, frozenset[str], str | None]
# What XPath's normalize-space() splits a class attribute at (str.split() splits at more)
_XML_SPACE = re.compile("[ \t\n\r]+")


def _simple(tree: Any) -> Simple | None:
    """`tree` as a Simple compound, or None when it has more than tag, classes and id."""
    classes: set[str] = set()
    id_ = None
    while isinstance(tree, (Class, Hash)):
        if isinstance(tree, Class):
            classes.add(tree.class_name)
        elif id_ is None or id_ == tree.id:
            id_ = tree.id
        else:
            return None  # '#a#b' matches nothing; leave it to XPath
        tree = tree.selector
    if not isinstance(tree, Element) or tree.namespace is not None:
        return None
    tag = None if tree.element in (None, "*") else tree.element
    return tag, frozenset(classes), id_


def _matches(el: Any, compound: Simple) -> bool:
    tag, classes, id_ = compound
    if tag is not None and el.tag != tag:
        return False
    if id_ is not None and el.get("id") != id_:
        return False
    if classes:
        value = el.get("class")
        return value is not None and classes <= set(_XML_SPACE.split(value))
    return True


def _from_anchor(group: Any) -> Callable[[Any], list[Any]]:
    """What the selector group finds when its leftmost element is the given one. The common
    shapes ('div.a', 'div.a h1', '.a span.b') are checked in Python, which costs less than
    starting an XPath evaluation; any other goes through XPath."""
    tree = group.parsed_tree
    if not isinstance(tree, CombinedSelector):
        compound = _simple(tree)
        if compound is not None:
            return lambda el: [el] if _matches(el, compound) else []
    elif tree.combinator == " " and not isinstance(tree.selector, CombinedSelector):
        outer, inner = _simple(tree.selector), _simple(tree.subselector)
        if outer is not None and inner is not None:
            kind = inner[0] or etree.Element  # iter(Element): elements only, as '*' is

            def descendants(el: Any) -> list[Any]:
                if not _matches(el, outer):
                    return []
                return [d for d in el.iterdescendants(kind) if _matches(d, inner)]

            return descendants
    return XPath(_TRANSLATOR.selector_to_xpath(group, prefix="self::"))


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
