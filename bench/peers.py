"""Adapters for the extraction tools a user would pick instead of ours (bench/requirements.txt).

Each adapter is a `Peer`: `make(lang)` imports the library (an ImportError becomes a skip with a
reason) and returns `run` and `record`: `run(html, url)` is the timed call (parse + extract, html already in memory) and
`record(out)` turns its output into a record with the keys crawler.evaluation scores (`body`,
and `title` / `authors` / `published_at` where the tool gives them), untimed.

Inputs: the corpus holds page bytes (as the spider gets them), the generic benchmark UTF-8
decoded text (as its own runners pass it). A tool that takes bytes gets them as they are; a tool
that only takes str gets them decoded as UTF-8 inside the timed call (every corpus page is UTF-8;
the decode is a few microseconds of a 50 KB page).

Settings chosen for each tool (documented defaults unless said):

- trafilatura: `extract(html, url=url, include_comments=False)`; metadata from
  `bare_extraction(..., with_metadata=True)` (untimed, an extra call).
- readability-lxml: `Document(html, url=url).summary(html_partial=True)`; the summary HTML is
  turned into text (block elements on their own lines) inside the timed call; title:
  `short_title()` (untimed).
- newspaper4k: `Article(url, language=LANG, fetch_images=False, follow_meta_refresh=False)`,
  `download(input_html=html)`, `parse()`: text, title, authors, publish_date (generic benchmark:
  without `language=`). No network: images are not fetched, meta refresh not followed;
  `nlp()` is not called.
- goose3: one `Goose({'target_language': LANG, 'use_meta_language': False,
  'enable_image_fetching': False, 'strict': False})` per data set (generic benchmark: without
  the two language keys); `extract(url=url, raw_html=html)`: cleaned_text, title, authors,
  publish_date.
- jusText: `justext(html, get_stoplist(LIST))`, non-boilerplate paragraphs; LIST is
  'Indonesian' for the corpus and 'English' for the generic benchmark.
- boilerpy3: `ArticleExtractor(raise_on_failure=False).get_doc(html)`: content (and its title,
  which is the page's <title> as is, so it is not scored).
- resiliparse: `extract_plain_text(HTMLTree.parse_from_bytes(html, detect_encoding(html)),
  main_content=True, preserve_formatting=True, comments=False, alt_texts=False,
  list_bullets=False)`; str input is parsed with `HTMLTree.parse(html)`.

On the Indonesian corpus the language is set to Indonesian ('id'; jusText: its 'Indonesian' stop
list), as a user crawling those sites would. The generic benchmark is mostly English with some
pages in other languages (Korean, Portuguese, ...): newspaper4k and goose3 keep their defaults
there (language from the page's metadata), jusText, which has no detection, gets 'English'.
"""

from __future__ import annotations

import importlib.metadata
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import lxml.etree
import lxml.html

# newspaper4k warns once that nltk is absent (only its nlp() needs it); goose3 and others log
# per page at WARNING. The benchmark's output is its tables.
logging.getLogger("newspaper").setLevel(logging.ERROR)
logging.getLogger("goose3").setLevel(logging.ERROR)
logging.getLogger("readability").setLevel(logging.ERROR)
logging.getLogger("readability.readability").setLevel(logging.ERROR)


def version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def as_text(html: str | bytes) -> str:
    return html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "br",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "dl",
    ]
)


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one line per block element (so words of adjacent
    paragraphs are not glued together)."""
    if not fragment or not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    text = lxml.etree.tostring(root, method="text", encoding="unicode")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


@dataclass
class Peer:
    """One peer tool, configured for one data set's language."""

    key: str
    """Distribution name (as in bench/requirements.txt)."""
    fields: frozenset[str] = frozenset()
    """Exact fields it gives (scored on the corpus)."""
    make: Callable[[str], tuple[Callable[[str | bytes, str], Any], Callable[[Any], dict]]] | None = None
    """lang ('id', or None for the tool's default) -> (run, record); imports inside, so a missing library is an ImportError."""
    note: str = ""
    skip_reason: str | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        v = version(self.key)
        return f"{self.key} {v}" if v else self.key


# --------------------------------------------------------------------------- adapters


def _trafilatura(lang: str | None):
    import trafilatura

    def run(html, url):
        return html, url, trafilatura.extract(html, url=url, include_comments=False)

    def record(out):
        return {"body": out[2] or ""}

    return run, record


def _trafilatura_meta(lang: str | None):
    import trafilatura

    run, _ = _trafilatura(lang)

    def record(out):
        html, url, body = out
        meta = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
        meta = meta.as_dict() if hasattr(meta, "as_dict") else (meta or {})
        authors = [a.strip() for a in (meta.get("author") or "").split(";") if a.strip()]
        return {
            "body": body or "",
            "title": meta.get("title"),
            "authors": authors,
            "published_at": meta.get("date"),
        }

    return run, record


def _readability(lang: str | None):
    from readability import Document

    def run(html, url):
        doc = Document(html, url=url)
        return doc, fragment_text(doc.summary(html_partial=True))

    def record(out):
        doc, body = out
        try:
            title = doc.short_title()
        except Exception:
            title = None
        return {"body": body, "title": title}

    return run, record


def _newspaper(lang: str | None):
    from newspaper import Article

    options = {"fetch_images": False, "follow_meta_refresh": False}
    if lang:
        options["language"] = lang

    def run(html, url):
        article = Article(url, **options)
        article.download(input_html=as_text(html))
        article.parse()
        return article

    def record(a):
        return {
            "body": a.text or "",
            "title": a.title or None,
            "authors": list(a.authors or []),
            "published_at": iso(a.publish_date),
        }

    return run, record


def _goose(lang: str | None):
    from goose3 import Goose

    config: dict[str, Any] = {"enable_image_fetching": False, "strict": False}
    if lang:
        config.update(target_language=lang, use_meta_language=False)
    goose = Goose(config)

    def run(html, url):
        return goose.extract(url=url, raw_html=as_text(html))

    def record(a):
        return {
            "body": a.cleaned_text or "",
            "title": a.title or None,
            "authors": list(a.authors or []),
            "published_at": iso(a.publish_date),
        }

    return run, record


JUSTEXT_STOPLISTS = {"id": "Indonesian", None: "English"}


def _justext(lang: str | None):
    import justext

    name = JUSTEXT_STOPLISTS[lang]
    if name not in justext.get_stoplists():
        raise ImportError(f"jusText has no {name!r} stop list")
    stoplist = justext.get_stoplist(name)

    def run(html, url):
        paragraphs = justext.justext(html, stoplist)
        return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    def record(body):
        return {"body": body or ""}

    return run, record


def _boilerpy3(lang: str | None):
    from boilerpy3 import extractors

    extractor = extractors.ArticleExtractor(raise_on_failure=False)

    def run(html, url):
        return extractor.get_doc(as_text(html)).content

    def record(body):
        return {"body": body or ""}

    return run, record


def _resiliparse(lang: str | None):
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree

    options = dict(
        main_content=True, preserve_formatting=True, comments=False, alt_texts=False, list_bullets=False
    )

    def run(html, url):
        if isinstance(html, bytes):
            tree = HTMLTree.parse_from_bytes(html, detect_encoding(html))
        else:
            tree = HTMLTree.parse(html)
        return extract_plain_text(tree, **options)

    def record(body):
        return {"body": body or ""}

    return run, record


META = frozenset({"title", "authors", "published_at"})


def peers(with_metadata: bool) -> list[Peer]:
    """The peer tools in table order. `with_metadata`: score their title/authors/date too
    (the corpus); else body only (the generic benchmark)."""
    return [
        Peer(
            "trafilatura",
            META if with_metadata else frozenset(),
            _trafilatura_meta if with_metadata else _trafilatura,
        ),
        Peer("readability-lxml", frozenset({"title"}) if with_metadata else frozenset(), _readability),
        Peer("newspaper4k", META if with_metadata else frozenset(), _newspaper),
        Peer("goose3", META if with_metadata else frozenset(), _goose),
        Peer("jusText", frozenset(), _justext),
        Peer("boilerpy3", frozenset(), _boilerpy3),
        Peer("resiliparse", frozenset(), _resiliparse),
    ]
