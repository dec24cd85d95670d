"""Tribun Network (Kompas Gramedia): tribunnews.com subdomains and the regional Tribun domains."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

# Regional papers of the network that publish on domains of their own (Serambi Indonesia,
# Surya, Sriwijaya Post, Banjarmasin Post, Warta Kota, …) besides the tribunnews.com subdomains.
_REGIONAL_DOMAINS = (
    "tribunjabar.id",
    "tribunjogja.com",
    "tribunjatim.com",
    "tribunjakarta.com",
    "tribunnewsbogor.com",
    "wartakotalive.com",
    "surya.co.id",
    "serambinews.com",
    "tribun-medan.com",
    "tribun-timur.com",
    "tribunmanado.co.id",
    "tribunpontianak.co.id",
    "tribunkaltim.co",
    "tribunbatam.id",
    "tribunpekanbaru.com",
    "tribunjambi.com",
    "tribunsumsel.com",
    "tribunlampung.co.id",
    "sripoku.com",
    "bangkapos.com",
    "posbelitung.co",
    "banjarmasinpost.co.id",
    "pos-kupang.com",
)

_DOMAINS = (
    "tribunnews.com",
    "*.tribunnews.com",
    *_REGIONAL_DOMAINS,
    *(f"*.{d}" for d in _REGIONAL_DOMAINS),
)

# The regional desks under tribunnews.com, as the network menu of the corpus page
# solo.tribunnews.com__protokol-kesehatan-3m-vaksin-terbaik.html (Oct 2020) lists them.
_SUBDOMAIN_HOSTS = tuple(
    f"{desk}.tribunnews.com"
    for desk in [
        "www",
        "aceh",
        "ambon",
        "babel",
        "bali",
        "bangka",
        "banjarmasin",
        "banten",
        "banyumas",
        "batam",
        "belitung",
        "bogor",
        "cirebon",
        "jabar",
        "jakarta",
        "jambi",
        "jateng",
        "jatim",
        "jogja",
        "kaltara",
        "kaltim",
        "kupang",
        "lampung",
        "lombok",
        "madura",
        "makassar",
        "manado",
        "mataram",
        "medan",
        "padang",
        "palembang",
        "palu",
        "pantura",
        "papua",
        "pekanbaru",
        "pontianak",
        "solo",
        "sumsel",
        "surabaya",
        "suryamalang",
        "ternate",
        "wartakota",
    ]
)

_HOSTS = (*_SUBDOMAIN_HOSTS, *(f"www.{d}" for d in _REGIONAL_DOMAINS))

# '/2020/10/09/protokol-kesehatan-…' (regional desks, wire pieces) and, since about 2025 on
# www.tribunnews.com, '/internasional/7858656/trump-bebankan-…' (section, numeric id, slug)
_ARTICLE = r"/\d{4}/\d{2}/\d{2}/[\w-]*[a-z][\w-]*|^/[\w-]+/\d{5,}/[\w-]*[a-z][\w-]*"
# galleries, videos, web stories, listings and author pages look like sections with ids
_NOT_ARTICLE = r"^/(?:images|foto|video|webstories|tag|topic|index-news|indeks|penulis|editor|search)(?:/|$)"

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="tribun",
        version="2020",
        network="tribun",
        valid_from=date(2018, 1, 1),
        domains=_DOMAINS,
        body=("div.side-article.txt-article", "div.txt-article"),
        title=("h1#arttitle", "h1"),
        editors=("div#editor",),
        authors=("div#penulis", "div.penulis"),
        date=("time", "#article time"),
        tags=("h5.tagcloud3 a", ".tagcloud3 a"),
        section=("ul.breadcrumb li a",),
        caption=("#artimg .arial", ".imgfull_div + .cl2 + .arial"),
        prune=("p.baca", ".paging", "#adsbottom"),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml", "/sitemap_news.xml"),
        feeds=("/rss",),
        index_pages=("/indeks",),
        article_pattern=_ARTICLE,
        not_article_pattern=_NOT_ARTICLE,
        pagination="all",
        page_param="page",
        next_page=("xpath://a[normalize-space()='Halaman selanjutnya']",),
        notes="solo.tribunnews.com 2020 page of the corpus (multi-page: 'Halaman selanjutnya', "
        "?page=2; the network also serves the whole story at ?page=all). Hosts: the network "
        "menu of that page; the regional domains from knowledge of the network.",
    ),
    SiteProfile(
        name="tribun",
        version="2024",
        network="tribun",
        valid_from=date(2023, 1, 1),
        domains=_DOMAINS,
        # the story container also carries 'multi-fontsize' (font-size switcher) and
        # 'editcontent' since the 2021-2023 redesign; 'div.side-article.mb5' right after it is
        # the 'Sesuai Minatmu' recommendation box, not story
        body=(
            "div.side-article.txt-article.multi-fontsize",
            "div.txt-article.multi-fontsize",
            "div.txt-article.editcontent",
        ),
        title=("h1#arttitle", "h1.f50", "h1"),
        # one line 'Penulis: <b><a>X</a></b> | Editor: <b><a>Y</a></b>' in h5#penulis, or
        # separate div#penulis / div#editor lines (both seen in public scrapers). Never the
        # whole h5#penulis: a selector's names all go to one role; without these, the
        # labelled-line harvest reads that line role by role.
        authors=(
            "xpath:(//*[@id='penulis']//b)[1]//a",
            "div#penulis a",
        ),
        editors=(
            "xpath:(//*[@id='penulis']//b)[2]//a",
            "div#editor a",
            "div#editor",
        ),
        date=("time[datetime]", "time", ".grey.bdr3 time"),
        tags=("h5.tagcloud3 a", ".tagcloud3 a", ".tag-article a"),
        section=("ul.breadcrumb li a", ".breadcrumb a"),
        caption=("#artimg .arial", "#artimg .caption", ".imgfull_div ~ .arial"),
        prune=(
            "p.baca",
            "blockquote.summary-article",
            ".ads-placeholder",
            ".reserved_box_ads",
            "div[class*='_popIn_recommend']",
            ".paging",
        ),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml", "/sitemap_news.xml"),
        index_pages=("/index-news", "/indeks"),
        article_pattern=_ARTICLE,
        not_article_pattern=_NOT_ARTICLE,
        pagination="all",
        page_param="page",
        next_page=("xpath://a[normalize-space()='Halaman selanjutnya']",),
        notes="Current (2023-2026) Tribun layout from public scrapers' selectors and a public "
        "adapter's notes on the live site (2026), not from a saved page: "
        "div.side-article.txt-article.multi-fontsize(.editcontent) body, h1#arttitle, "
        "h5#penulis / div#penulis and div#editor credits, <time datetime> after 'Tayang:', "
        "blockquote.summary-article 'Ringkasan Berita', p.baca 'Baca juga', .ads-placeholder, "
        "h5.tagcloud3 a.rd2 tags, div.paging 'Halaman 1/2' with ?page=N (the whole story at "
        "?page=all); www.tribunnews.com lists '/index-news' and a sitemap index of "
        "'{section}/sitemap-news.xml' (its /rss links all point to the home page, so no feed).",
    ),
]
