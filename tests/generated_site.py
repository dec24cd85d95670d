"""A generated Pikiran Rakyat site of N article pages, for crawls bigger than the fixture sites
(tests/test_distributed.py, bench/crawl_workers.py).

    >>> site = build_site(tmp_path / "site", 2000)
    >>> site["articles"]          # the canonical URLs a complete crawl emits, one per article

Every page is `tests/fixtures/site/make_site.py`'s PR layout (`pr_page`) with its path, title,
date, section, paragraphs, editor and tags varied per article; the words of the story are drawn
at random (seeded), so that unrelated stories share almost no word 3-grams, as on a real site.
Every 25th story runs over two pages (?page=2). Discovery: robots.txt names a sitemap index of
sitemaps of at most 500 URLs each; the home page links the 40 latest stories, some through a
tracking-parameter URL (the same article under a second URL: one record, not two).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.fixtures.site.make_site import PR_HOST, pr_page

SITEMAP_MAX = 500
SECTIONS = ["depok", "nasional", "ekonomi", "olahraga", "pendidikan"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]  # fmt: skip
_SYLLABLES = ["ba", "ka", "ta", "ma", "na", "sa", "ra", "la", "pa", "da", "ja", "ga", "wa", "ha",
              "be", "ke", "te", "me", "ne", "se", "re", "le", "pe", "de", "bi", "ki", "ti", "mi",
              "ni", "si", "ri", "li", "pi", "di", "bu", "ku", "tu", "mu", "nu", "su", "ru", "lu",
              "pu", "du", "ju", "gu", "ngan", "nya", "kan", "lah", "an", "in", "ung", "ang"]  # fmt: skip
EDITORS = ["Rina Marlina", "Nur Annisa", "Dimas Prasetyo", "Adi Surya", "Hanang Yuwono"]
WIB_OFFSET = timedelta(hours=7)


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _sentence(rng: random.Random, vocabulary: list[str]) -> str:
    words = [rng.choice(vocabulary) for _ in range(rng.randint(12, 20))]
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, vocabulary: list[str], count: int) -> list[str]:
    return [" ".join(_sentence(rng, vocabulary) for _ in range(2)) for _ in range(count)]


def article_path(i: int) -> str:
    return f"/{SECTIONS[i % len(SECTIONS)]}/pr-{940000 + i}/berita-nomor-{i}-dari-kota-depok"


def build_site(root: Path, pages: int, *, seed: int = 1) -> dict[str, Any]:
    """Write the site under `root`; return {"articles": canonical URLs, "pages": files written}."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    start = datetime(2026, 11, 20, 21, 0, tzinfo=UTC) - WIB_OFFSET
    files: dict[str, str] = {}
    articles, entries = [], []
    for i in range(pages):
        path = article_path(i)
        when = (start - timedelta(minutes=17 * i)).astimezone(UTC) + WIB_OFFSET
        iso = when.replace(tzinfo=None).isoformat(timespec="seconds") + "+07:00"
        date = f"{when.day} {MONTHS[when.month - 1]} {when.year}, {when:%H:%M} WIB"
        title = " ".join(rng.choice(vocabulary) for _ in range(6)).title()
        section = SECTIONS[i % len(SECTIONS)].capitalize()
        count = 2 if i % 25 == 0 else 1
        story = _paragraphs(rng, vocabulary, 3 * count)
        story[0] = f"<strong>PR DEPOK -</strong> {story[0]}"
        for n in range(1, count + 1):
            html = pr_page(
                path=path, title=title, date=date, iso=iso, section=section,
                paragraphs=story[3 * (n - 1) : 3 * n], page=n, pages=count,
                editor=EDITORS[i % len(EDITORS)], tags=[SECTIONS[i % len(SECTIONS)], "Depok"],
            )  # fmt: skip
            files[f"{path.lstrip('/')}.html" if n == 1 else f"{path.lstrip('/')}.page{n}.html"] = html
        articles.append(f"https://{PR_HOST}{path}")
        entries.append((path, iso))
    parts = [entries[i : i + SITEMAP_MAX] for i in range(0, len(entries), SITEMAP_MAX)]
    for n, part in enumerate(parts, start=1):
        files[f"sitemap-{n}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(
                f"<url><loc>https://{PR_HOST}{p}</loc><lastmod>{iso}</lastmod></url>\n" for p, iso in part
            )
            + "</urlset>\n"
        )
    files["sitemap.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(
            f"<sitemap><loc>https://{PR_HOST}/sitemap-{n}.xml</loc></sitemap>\n"
            for n in range(1, len(parts) + 1)
        )
        + "</sitemapindex>\n"
    )
    files["robots.txt"] = "User-agent: *\nDisallow: /admin/\n\nSitemap: /sitemap.xml\n"
    latest = "".join(
        f'<li><a href="{article_path(i)}{"?utm_source=home" if i % 4 == 0 else ""}">Berita {i}</a></li>'
        for i in range(min(40, pages))
    )
    files["index.html"] = (
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>PR Depok</title></head>'
        f'<body><h1>Berita Terbaru</h1><ul class="latest__list">{latest}</ul></body></html>\n'
    )
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return {"articles": articles, "pages": len(files)}
