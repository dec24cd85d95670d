"""Jawa Pos group: the Radar regional papers (radarjogja.jawapos.com, radarmalang.id, …)."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

# Radar papers under jawapos.com and those on domains of their own
_RADAR_SUBDOMAINS = tuple(
    f"{paper}.jawapos.com"
    for paper in [
        "radarjogja",
        "radarsolo",
        "radarsemarang",
        "radarkudus",
        "radartegal",
        "radarbanyumas",
        "radarmagelang",
        "radarmalang",
        "radarsurabaya",
        "radarjember",
        "radarbanyuwangi",
        "radarmadiun",
        "radarkediri",
        "radarbojonegoro",
        "radarmadura",
        "radartulungagung",
        "radarmojokerto",
        "radarbromo",
        "radarbali",
        "radarbogor",
        "radarcirebon",
        "radartasik",
        "radarbekasi",
        "radardepok",
        "radarsukabumi",
        "radarbanten",
        "radarlampung",
        "radarkaltim",
    ]
)
_RADAR_DOMAINS = ("radarmalang.id", "radarbogor.id", "radarcirebon.com", "radartasik.id", "radarsolo.id")

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="jawapos",
        version="2023",
        network="jawapos",
        valid_from=date(2023, 1, 1),
        domains=("jawapos.com", "*.jawapos.com", *_RADAR_DOMAINS, *(f"*.{d}" for d in _RADAR_DOMAINS)),
        # the shared platform's reading layout (the one Pikiran Rakyat's network uses too),
        # then jawapos.com's own Next.js article markup
        body=("article.read__content", "div.read__content", "article.content"),
        title=("h1.read__title", "h1"),
        authors=(
            ".read__info__author a[href*='/author/']",
            ".read__info__author a",
            ".read__info__author",
        ),
        editors=("span.read_contributor", ".read__info__editor"),
        date=(".read__info__date",),
        tags=(".tag__list a", "section.read__tagging a", ".read__tagging a"),
        section=(".breadcrumb__link", ".breadcrumb__wrap a"),
        caption=(".photo__caption", ".read__photo .photo__caption"),
        prune=(
            "strong.read__others",
            "strong.readmore",
            "p.page",
            ".read__tagging",
            ".read__related",
            ".paging",
            ".coverwa",
            ".prads",
            ".latest",
            ".photo",
        ),
        hosts=(*_RADAR_SUBDOMAINS, *(f"www.{d}" for d in _RADAR_DOMAINS), "www.jawapos.com"),
        sitemaps=("/sitemap.xml",),
        index_pages=("/indeks",),
        # '/jogja/2601150069/buntut-tpst-piyungan-…', '/news/653103476/manfaat-daur-ulang-…':
        # rubric, 9-10 digit id, slug
        article_pattern=r"^/[\w-]+/\d{9,10}/[\w-]+",
        not_article_pattern=r"^/(?:tag|search|indeks|foto|video|author|infografis)(?:/|$)",
        pagination="query",
        page_param="page",
        next_page=(".paging__all a.paging__link", "a.paging__link[rel=next]"),
        notes="Radar papers of the Jawa Pos group since their 2023 move to a shared platform, "
        "from public material, not a saved page: URLs '/<rubric>/<9-10 digit id>/<slug>' with "
        "?page=N (public links), images on the same platform host as the Pikiran Rakyat network "
        "(static.promediateknologi.id), and public scrapers' selectors of that reading layout "
        "(article.read__content, h1.read__title, .read__info__author with span.read_contributor "
        "'Editor:', .read__info__date, strong.read__others 'Baca Juga', section.read__tagging, "
        ".paging__link, .coverwa WhatsApp box). jawapos.com itself is a Next.js page "
        "(article.content, <strong class=readmore>Baca Juga</strong>). Radar Malang in 2025-26 "
        "renders through an Inertia data-page blob; where these selectors find nothing the "
        "generic path stands in.",
    ),
]
