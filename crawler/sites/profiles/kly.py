"""KLY (Kapanlagi Youniverse): liputan6.com, fimela.com, merdeka.com, kapanlagi.com and sister sites."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

# Credits whose role label is a sibling element of the name, as liputan6/fimela (KLY) print them.
_KLY_CREDIT = (
    "xpath://li[contains(@class,'credits__item')][.//*[contains(@class,'role')]"
    "[translate(normalize-space(),'EDITOR','editor')='{role}']]//*[contains(@class,'name')]"
)

PROFILES: list[SiteProfile] = [
    SiteProfile(
        name="kly",
        version="2020",
        network="kly",
        valid_from=date(2016, 1, 1),
        domains=(
            "liputan6.com",
            "*.liputan6.com",
            "fimela.com",
            "*.fimela.com",
            "bola.com",
            "dream.co.id",
            "*.dream.co.id",
            "brilio.net",
            "otosia.com",
            "vemale.com",
        ),
        body=("div.article-content-body", "div.read-page__content-body"),
        title=(
            "h1.read-page--header--title",
            "h1.article-header__title",
            "h1.read-page--header__title",
            "h1",
        ),
        authors=(
            _KLY_CREDIT.format(role="author"),
            ".read-page--header--author__name",
            "a.article-header__author-link",
            ".read-page--header__author .fn",
        ),
        editors=(
            _KLY_CREDIT.format(role="editor"),
            "xpath://li[contains(@class,'credits_editor') or @id='credits_editor']/following-sibling::li[1]"
            "//*[contains(@class,'credits__name')]",
        ),
        date=(
            ".read-page--header--author__datetime",
            ".article-header__datetime",
            "time.read-page--header__datetime",
            ".article-header__modified-time",
            ".read-page--header--author__modified-time",
        ),
        tags=(".tags--topics__list a", ".read-page--tags__list a", ".fimela-tags--topics__list a"),
        # the channel (second crumb: Home > Tekno > Telko), as the site labels its pages
        section=(
            "xpath:(//*[@id='breadcrumb' or contains(@class,'breadcrumb')]//li)[2]//a",
            "ul#breadcrumb a",
            ".read-page--header--subtitle",
        ),
        caption=(".read-page--photo-gallery--item__caption", ".article-photo-gallery--item__caption"),
        prune=(".baca-juga", "[class*='photo-gallery--item']", ".article-content-body__item-media"),
        hosts=(
            "www.liputan6.com",
            "surabaya.liputan6.com",
            "www.fimela.com",
            "www.bola.com",
            "www.dream.co.id",
            "www.brilio.net",
            "www.otosia.com",
            "www.vemale.com",
        ),
        sitemaps=("/sitemap.xml",),
        # the channel feeds the 2024 corpus page links (regional desks included)
        feeds=tuple(
            f"https://feed.liputan6.com/rss/{channel}"
            for channel in ("news", "regional", "jatim", "jateng", "surabaya", "bisnis", "tekno")
        ),
        index_pages=("/indeks",),
        # '/bisnis/read/5715195/miliarder-…', '/inggris/read/4573321/…' (bola.com)
        article_pattern=r"/read/\d{6,}/[\w-]+",
        # photo galleries ('/news/read/4541831/foto-kondisi-kapal-selam-…', corpus page
        # liputan6.com__foto-kri-nanggala-402.html), video pages, photo.liputan6.com sections
        not_article_pattern=r"/read/\d+/(?:foto|video)-|^/(?:photo|video|tag|indeks)(?:/|$)",
        # later pages of a long story ride along hidden in the same HTML
        pagination="hidden",
        notes="KLY (Kapanlagi Youniverse) article layout: liputan6.com 2016/2020/2024 and fimela.com "
        "2020 pages of the corpus. merdeka and kapanlagi (same network) have layouts of their own.",
    ),
    SiteProfile(
        name="merdeka",
        version="2021",
        network="kly",
        valid_from=date(2019, 1, 1),
        domains=("merdeka.com", "*.merdeka.com"),
        body=("div.mdk-body-paragraph", "div.body-paragpraph", "div#mdk-body-newsarticle"),
        title=("div.mdk-news-head h1", "div.deskrip-hv h1", "h1"),
        authors=("div.mdk-date-reporter",),
        date=("div.mdk-date-reporter",),
        tags=("ul.tag__list a",),
        section=("div.mdk-date-reporter > span:first-child a",),
        caption=(".mdk-news-img .mdk-news-img-copyright", ".mdk-news-img-caption"),
        prune=("p.dont-display", ".mdk-news-img", ".paging-news"),
        hosts=("www.merdeka.com", "m.merdeka.com", "bandung.merdeka.com", "tabanan.merdeka.com"),
        sitemaps=("/sitemap.xml",),
        feeds=("/feed/",),
        index_pages=("/indeks-berita/",),
        # '/jateng/jadi-penagih-utang-untuk-usaha-catering-….html' (two segments, .html)
        article_pattern=r"^/[\w-]+/[\w-]+\.html$",
        # photo pages ('/foto/artis/1319392/2021…html', corpus page
        # merdeka.com__foto-sarwendah-masak-mie.html), tags, company pages
        not_article_pattern=r"^/(?:foto|video|tag|company|cari|indeks-berita)/",
        pagination="hidden",
        notes="m.merdeka.com 2021 pages of the corpus: the later pages of a story sit in hidden "
        "div.paging-content blocks of the same HTML and are part of the body.",
    ),
    SiteProfile(
        name="kapanlagi",
        version="2015",
        network="kly",
        valid_from=date(2012, 1, 1),
        domains=("kapanlagi.com", "*.kapanlagi.com"),
        body=("div#v6-revb-detailnews", "div.entertainment-detail-news"),
        title=("div#newsdetail-right-new h1", "h1"),
        date=("span.date-post", ".newsdetail-schedule-new", ".date-post"),
        tags=("div.box-content ul li a",),
        section=("a.newsdetail-categorylink",),
        hosts=("www.kapanlagi.com",),
        feeds=("/feed/", "/feed/entertainment.xml"),
        sitemaps=("/sitemap.xml",),
        # '/showbiz/film/indonesia/brandon-salim-…-82f43b.html': slug ends in a hex id
        article_pattern=r"/[\w-]+-[0-9a-f]{6}\.html$",
        not_article_pattern=r"^/(?:foto|video|tag|indeks)/",
        notes="kapanlagi.com 2015-2016 pages of the corpus; feeds from their header links.",
    ),
    SiteProfile(
        name="merdeka",
        version="2024",
        network="kly",
        valid_from=date(2023, 6, 1),
        domains=("merdeka.com", "*.merdeka.com"),
        # the 2023 redesign (Tailwind utility classes, 'mav' templates): the story is the
        # <article> of the page's <main>; container class names are not confirmed publicly
        body=(
            "main article div.article-body",
            "main article div.article-content",
            "main article",
        ),
        title=("main article h1", "h1"),
        authors=(
            "main article [class*='author'] a",
            "main article [class*='reporter'] a",
            "main article [class*='author']",
        ),
        editors=("main article [class*='editor'] a",),
        date=("main article time[datetime]", "main article time"),
        # topic pills (a.item-tag); the one above the headline is a kicker, not a tag
        tags=(
            "xpath://main//article//a[contains(@class,'item-tag')][preceding::h1]",
            "[class*='article-tag'] a",
        ),
        section=("nav[aria-label='breadcrumb'] a", "[class*='breadcrumb'] a"),
        caption=("main article figure figcaption",),
        prune=(
            "[class^='ads']",
            "[class*=' ads']",
            "[id^='div-gpt-ad']",
            "[class*='baca-juga']",
            "[class*='article-tag']",
            "[class*='related']",
        ),
        # no sign of the 2021 hidden paging blocks in the redesign: hidden means junk here
        keep_hidden=False,
        hosts=("www.merdeka.com",),
        sitemaps=("/sitemap.xml",),
        feeds=("/rss",),
        index_pages=("/indeks-berita",),
        # '/peristiwa/diduga-kelelahan-urus-pindah-domisili-…-530717-mvk.html'
        article_pattern=r"^/[\w-]+/[\w-]+-\d+-mvk\.html$",
        # 'VIDEO: …' clips under /peristiwa/video-…-mvk.html, photo and tag pages
        not_article_pattern=r"^/(?:foto|tag|company|cari)/|^/[\w-]+/video-[\w-]+-mvk\.html$",
        notes="merdeka.com after the 2023 redesign, from public material only, not a saved "
        "article page: the URL form '-NNNNNN-mvk.html', the Tailwind 'mav' markup, "
        "<time datetime='2025-05-30 16:29:00'> and a.item-tag links of a public copy of the 2025 "
        "index page, and a public scraper that reads the page's <article> paragraphs, skips "
        "'ADVERTISEMENT' labels and takes meta author / article:published_time and /rss. The "
        "article container's own class names are not confirmed: the selectors lean on "
        "'main article', and the generic steps catch what they miss.",
    ),
]
