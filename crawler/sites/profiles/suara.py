"""Suara network (Arkadia Digital Media): suara.com and its regional sites (SuaraJogja.id, …)."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

# The regional sites moved from their own domains (suarajogja.id, suarajabar.id, …) to
# <region>.suara.com; pages still name themselves 'SuaraJogja.id' in titles and datelines.
_REGIONS = [
    "jakarta",
    "bogor",
    "bekaci",
    "jabar",
    "jogja",
    "jateng",
    "surakarta",
    "malang",
    "jatim",
    "bali",
    "lampung",
    "banten",
    "kaltim",
    "kalbar",
    "sulsel",
    "sumut",
    "sumbar",
    "sumsel",
    "batam",
    "riau",
]
_OLD_REGIONAL_DOMAINS = tuple(f"suara{r}.id" for r in _REGIONS)

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="suara",
        version="2024",
        network="suara",
        valid_from=date(2023, 1, 1),
        domains=(
            "suara.com",
            "*.suara.com",
            *_OLD_REGIONAL_DOMAINS,
            *(f"*.{d}" for d in _OLD_REGIONAL_DOMAINS),
        ),
        body=("div.article-content", "article.detail-content", "div.detail-content"),
        title=(".article-image h1", "h1"),
        authors=(".author-trigger a", "a.author-trigger"),
        editors=(".article-editor a", "xpath://*[contains(@class,'editor')]//a"),
        date=(".date-article span", ".date-article", ".article-date"),
        tags=(".article-tags a",),
        section=(".breadcrumb a", "ul.breadcrumb li a"),
        caption=(".article-image figcaption", ".article-image .caption"),
        prune=(
            ".ten-second",
            ".article-read",
            "p.baca-juga",
            "[class*='baca-juga']",
            "#next-article",
            ".next-article",
            "[id*='div-ad']",
            ".placeholder_belt",
            ".placeholder_read_body",
            ".wrap-pagination",
            ".pagination-custom",
            ".article-tags",
            ".google-pref",
            ".kesimpulan",
        ),
        hosts=("www.suara.com", *(f"{r}.suara.com" for r in _REGIONS)),
        # each regional site lists its news in /static/news/<region>-sitemap.xml
        sitemaps=("/sitemap.xml", *(f"/static/news/{r}-sitemap.xml" for r in _REGIONS)),
        index_pages=("/indeks",),
        # '/news/2026/07/24/070859/contoh-judul' and '/read/2024/11/16/184812/geger-remaja-…'
        article_pattern=r"^/[\w-]+/\d{4}/\d{2}/\d{2}/\d{6}/[\w-]+",
        # photo and video stories, listings, author pages; robots.txt forbids /loadmoredetail
        not_article_pattern=r"^/(?:foto|video|tag|indeks|search|author|reporter|loadmoredetail)(?:/|$|\?)",
        pagination="query",
        page_param="page",
        next_page=(".pagination-custom a[rel=next]", ".wrap-pagination a.next"),
        notes="Current suara.com network layout (2023-2026) from public scrapers' selectors and a "
        "public adapter's notes on the live site, not from a saved page: div.article-content "
        "body (earlier article.detail-content), .article-image h1, .author-trigger byline, "
        ".date-article span \"Jum'at, 24 Juli 2026 | 07:08 WIB\", .ten-second 'baca 10 detik' "
        "boxes, .article-read / p.baca-juga 'Baca Juga' links, [id*=div-ad] / .placeholder_belt "
        "ads, #next-article overlay, .article-tags '#tag' links, .pagination-custom ?page=N; "
        "regional sites at <region>.suara.com with /static/news/<region>-sitemap.xml "
        "(a public crawler's list).",
    ),
]
