"""detik.com and its regional editions (detikJabar, detikJateng, …)."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

# Channels on their own subdomains; the regional editions (detikJabar, detikJateng, detikJatim,
# detikJogja, detikBali, detikSumut, detikSulsel, detikSumbagsel) are paths of www.detik.com,
# as the corpus listing page detik.com__news-indeks-listing.html (Oct 2024) links them.
_HOSTS = tuple(
    f"{channel}.detik.com"
    for channel in [
        "www",
        "news",
        "finance",
        "sport",
        "hot",
        "inet",
        "oto",
        "travel",
        "food",
        "health",
        "wolipop",
    ]
)
_REGIONS = ("jabar", "jateng", "jatim", "jogja", "bali", "sumut", "sulsel", "sumbagsel")

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="detik",
        version="2015",
        network="detik",
        valid_from=date(2012, 1, 1),
        domains=("detik.com", "*.detik.com"),
        body=("div.text_detail", "div#detikdetailtext"),
        title=("div.jdl h1", "h1"),
        authors=("div.author",),
        date=("div.date",),
        section=("ul.breadcrumb li a",),
        caption=("div.pic_artikel span", "div.pic_artikel"),
        hosts=_HOSTS,
        feeds=("https://rss.detik.com/index.php/detikcom",),
        index_pages=("/indeks",),
        # 'http://inet.detik.com/read/2015/11/05/100026/3062623/323/google-umbar-…'
        article_pattern=r"/read/\d{4}/\d{2}/\d{2}/\d+/\d+/",
        # photo galleries ('/readfoto/2016/02/23/…', corpus page
        # detik.com__finance-readfoto-gardu-induk-pln.html) and video pages
        not_article_pattern=r"/readfoto/|/readvideo/|^/(?:foto|video|tag|indeks|search)(?:/|$)",
        notes="inet.detik.com 2015 page of the corpus; galleries from the corpus readfoto page.",
    ),
    SiteProfile(
        name="detik",
        version="2024",
        network="detik",
        valid_from=date(2020, 1, 1),
        domains=("detik.com", "*.detik.com"),
        body=("div.detail__body-text", "div.detail__body div.itp_bodycontent"),
        title=("h1.detail__title", "article.detail h1", "h1"),
        # 'Afzal Nur Iman - detikJateng': the channel label after the dash is not a name
        authors=("div.detail__author",),
        date=("div.detail__date",),
        tags=(".detail__body-tag a.nav__item", ".detail__body-tag a"),
        # 'detikJateng > Berita': the edition is the section readers see
        section=(".page__breadcrumb a", ".breadcrumb a"),
        caption=("figcaption.detail__media-caption", ".detail__media figcaption"),
        prune=(
            ".parallaxindetail",
            ".staticdetail_container",
            ".noncontent",
            "table.linksisip",
            ".lihatjg",
            "table.pic_artikel_sisip_table",
            ".aevp",
            "[id^='div-gpt-ad']",
            ".sisip_embed_sosmed",
            ".detail__body-tag",
        ),
        hosts=_HOSTS,
        sitemaps=("/sitemap.xml", "/sitemap_news.xml", *(f"/{r}/sitemap_news.xml" for r in _REGIONS)),
        feeds=("https://rss.detik.com/index.php/detikcom",),
        index_pages=("/indeks", *(f"/{r}/indeks" for r in _REGIONS)),
        # '/jateng/berita/d-7612345/banjir-rob-…', '/berita/d-7572578/ciliwung-meluap-…'
        article_pattern=r"/d-\d{6,}/[\w-]*[a-z][\w-]*",
        # photo stories ('/foto-news/d-7571834/…', '/jateng/foto/d-…'), videos, infographics
        not_article_pattern=(
            r"/readfoto/|/(?:foto(?:-[\w]+)?|fotonews|video(?:-[\w]+)?|videonews|infografis|detiktv)/d-\d+"
            r"|^/(?:[\w-]+/)?(?:tag|indeks|search)(?:/|$)"
        ),
        notes="Current (2020-2026) detik layout from public scrapers' selectors and a public "
        "adapter's notes on the live site, not from a saved page: article.detail, "
        "h1.detail__title, div.detail__author 'NAME - detikJateng', div.detail__date "
        "'Senin, 04 Nov 2024 10:15 WIB', figcaption.detail__media-caption 'caption. Foto: "
        "NAME/detikJateng', div.detail__body-text.itp_bodycontent with a bare <strong>City</strong> "
        "lead-in, table.linksisip / .lihatjg 'Baca juga:', .parallaxindetail ADVERTISEMENT / "
        "'SCROLL TO CONTINUE WITH CONTENT', .staticdetail_container, .noncontent, "
        "'[Gambas:Video 20detik]', '(aku/apl)' sign-off, .detail__body-tag a.nav__item tags. "
        "robots.txt names /sitemap.xml; the regional '/jateng/sitemap_news.xml' paths follow "
        "the shape of the desks' '/berita/sitemap_news.xml' (not verified per edition).",
    ),
]
