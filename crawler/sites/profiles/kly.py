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
        article_pattern=r"/read/\d+/",
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
        notes="kapanlagi.com 2015-2016 pages of the corpus.",
    ),
]
