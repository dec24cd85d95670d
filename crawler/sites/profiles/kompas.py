"""Kompas.com and its channels (regional, megapolitan, nasional, …)."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

# Channels and the regional city desks (surabaya., bandung., … since 2022) of kompas.com
_HOSTS = tuple(
    f"{channel}.kompas.com"
    for channel in [
        "www",
        "regional",
        "megapolitan",
        "nasional",
        "money",
        "bola",
        "tekno",
        "otomotif",
        "lifestyle",
        "health",
        "edukasi",
        "travel",
        "properti",
        "surabaya",
        "bandung",
        "yogyakarta",
        "semarang",
        "denpasar",
        "makassar",
        "medan",
        "palembang",
    ]
)

_ARTICLE = r"/read/(?:xml/)?\d{4}/\d{2}/\d{2}/\d{6,}/[\w.-]+"
# photo stories and videos, tag/topic listings, the index
_NOT_ARTICLE = r"^/(?:image|video|foto|tag|topik|indeks)(?:/|$)"

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="kompas",
        version="2016",
        network="kompas-gramedia",
        valid_from=date(2014, 1, 1),
        domains=("kompas.com", "*.kompas.com"),
        body=("span.kcmread1114", "div.kcm-read-text"),
        title=("h2.kcm-main-title", "div.kcm-read-top h1", "h1.kcm-read-top", "h1"),
        date=("div.kcm-date", ".kcm-read-top .grey", ".kcm-date"),
        section=("h4.breadcrump a", ".breadcrump a"),
        caption=("div.kcm-read-top div.photo", "div.mb1 > div.photo", "div.photo"),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml",),
        index_pages=("https://indeks.kompas.com/",),
        article_pattern=_ARTICLE,
        not_article_pattern=_NOT_ARTICLE,
        notes="kompas.com 2015-2016 pages of the corpus (bola, nasional, megapolitan, internasional); "
        "indeks.kompas.com from the corpus listing page (2016).",
    ),
    SiteProfile(
        name="kompas",
        version="2024",
        network="kompas-gramedia",
        valid_from=date(2019, 1, 1),
        domains=("kompas.com", "*.kompas.com"),
        body=("div.read__content", "div.read__article div.clearfix"),
        title=("h1.read__title", "h1"),
        # 'Penulis' / 'Editor' credit boxes: the name sits in .credit-title-name (writers) and
        # .credit-title-nameEditor (editors); older pages print div.read__credit__item#penulis
        authors=(
            "xpath://*[contains(concat(' ',normalize-space(@class),' '),' credit-title-name ')]//h6",
            "xpath://*[contains(concat(' ',normalize-space(@class),' '),' credit-title-name ')]",
            "div.read__credit__item#penulis a",
            "#penulis a",
        ),
        editors=(".credit-title-nameEditor", "div.read__credit__item#editor a", "#editor a"),
        date=("div.read__time", ".read__time"),
        tags=("ul.tag__article__wrap li a", ".tag__article__item a", ".tag__article__link"),
        section=("ul.breadcrumb__wrap li a", ".breadcrumb__wrap a", ".breadcrumb a"),
        caption=(".cover-photo .photo__caption", ".photo__caption", ".photo__wrap + .photo__caption"),
        prune=(
            "div[class^='inject-baca-juga']",
            "div[class*=' inject-baca-juga']",
            "div[class^='kompasidRec']",
            ".inner-link-baca-juga",
            ".ads-on-body",
            ".ads-partner-wrap",
            ".read__paging",
        ),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml", "/sitemap-news.xml"),
        index_pages=("https://indeks.kompas.com/",),
        article_pattern=_ARTICLE,
        not_article_pattern=_NOT_ARTICLE,
        pagination="all",
        page_param="page",
        next_page=(".paging__link--next",),
        notes="Current read__ layout (about 2019-2026) from public scrapers' selectors and "
        "knowledge of the layout, not from a saved page: div.read__content body (story in "
        "div.clearfix <p>s), h1.read__title, div.read__time 'Kompas.com, 5 November 2024, "
        "15:12 WIB', .credit-title-name / .credit-title-nameEditor credits (earlier "
        "div.read__credit__item#penulis), inject-baca-juga and kompasidRec boxes, 'Simak "
        "breaking news … WhatsApp Channel' prompt, ul.tag__article__wrap tags, .photo__wrap "
        "lead image; scrapers fetch '?page=all' for the whole story. The '/sitemap-news.xml' "
        "path is from memory.",
    ),
]
