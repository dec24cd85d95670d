"""Every site profile, as data. One entry per layout version of an outlet or network.

To add an outlet of a known network, add its domain to that network's `domains`. To support a
redesign, add a new entry with the same `name`, a new `version` and a later `valid_from`,
and keep the old one so pages saved from the old layout still extract.

`notes` says where each profile's selectors were learnt: a real saved page of
`../shared/corpus/` (checked against its expected record), or public scrapers' selectors.
Anything a profile misses, the generic steps (credit lines, dateline, noise words) still catch.
"""

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
        name="pikiran-rakyat",
        version="2020",
        network="pikiran-rakyat",
        valid_from=date(2019, 1, 1),
        domains=("pikiran-rakyat.com", "*.pikiran-rakyat.com"),
        body=("article.read__content",),
        title=("h1.read__title",),
        authors=(".read__info__author a", ".read__info__author"),
        date=(".read__info__date",),
        tags=(".tag--article .tag__list a", ".read__tagging a"),
        section=(".breadcrumb__link",),
        caption=(".read__photo .photo__caption", ".photo__caption"),
        prune=(".read__tagging", ".paging", ".read__related"),
        path_pattern=r"/pr-\d+/",
        notes="zonajakarta.pikiran-rakyat.com 2020 page of the corpus; the seed page (2022) "
        "shows the same text order. The network's partner domains are added with issue 3.",
    ),
    SiteProfile(
        name="tribun",
        version="2020",
        network="tribun",
        valid_from=date(2018, 1, 1),
        domains=("tribunnews.com", "*.tribunnews.com"),
        body=("div.side-article.txt-article", "div.txt-article"),
        title=("h1#arttitle", "h1"),
        editors=("div#editor",),
        authors=("div#penulis", "div.penulis"),
        date=("time", "#article time"),
        tags=("h5.tagcloud3 a", ".tagcloud3 a"),
        section=("ul.breadcrumb li a",),
        caption=("#artimg .arial", ".imgfull_div + .cl2 + .arial"),
        prune=("p.baca", ".paging", "#adsbottom"),
        path_pattern=r"/\d{4}/\d{2}/\d{2}/",
        notes="solo.tribunnews.com 2020 page of the corpus.",
    ),
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
        path_pattern=r"/read/\d{4}/\d{2}/\d{2}/",
        notes="kompas.com 2015-2016 pages of the corpus (bola, nasional, megapolitan, internasional).",
    ),
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
        path_pattern=r"/read/\d{4}/\d{2}/\d{2}/",
        notes="inet.detik.com 2015 page of the corpus.",
    ),
    SiteProfile(
        name="kly",
        version="2020",
        network="kly",
        valid_from=date(2016, 1, 1),
        domains=(
            "liputan6.com", "*.liputan6.com", "fimela.com", "*.fimela.com", "bola.com",
            "dream.co.id", "*.dream.co.id", "brilio.net", "otosia.com", "vemale.com",
        ),
        body=("div.article-content-body", "div.read-page__content-body"),
        title=("h1.read-page--header--title", "h1.article-header__title", "h1.read-page--header__title", "h1"),
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
        path_pattern=r"/read/\d+/",
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
    SiteProfile(
        name="antara",
        version="2016",
        network="antara",
        valid_from=date(2012, 1, 1),
        domains=("antaranews.com", "*.antaranews.com"),
        body=("div#content_news",),
        title=("h1",),
        authors=("div.byline",),
        date=("div.date",),
        section=("ul#topnav li.active > a",),
        caption=("div#caption_news",),
        prune=("p.mt10", "div#image_news", "p.date"),
        path_pattern=r"/berita/\d+/",
        notes="antaranews.com 2015-2017 pages of the corpus (also otomotif.antaranews.com).",
    ),
    SiteProfile(
        name="okezone",
        version="2017",
        network="mnc",
        valid_from=date(2014, 1, 1),
        domains=("okezone.com", "*.okezone.com"),
        body=("div#contentx", "div.ctn-desc", "div.read"),
        title=("div.title-detail h1", "div.titles h1", "h1"),
        authors=("div.nmreporter div", "div.title-detail span b", ".reporter b"),
        date=("div.namerep b", "div.title-detail .time", ".namerep"),
        section=("ul.breadcrumb li.bractive a", "ul.breadcrumb a", ".navbar-nav li.active > a"),
        tags=("a.mb-topic", ".tag a"),
        path_pattern=r"/read/\d{4}/\d{2}/\d{2}/",
        notes="okezone.com 2015 and 2017 pages of the corpus.",
    ),
    SiteProfile(
        name="republika",
        version="2017",
        network="republika",
        valid_from=date(2014, 1, 1),
        domains=("republika.co.id", "*.republika.co.id", "ihram.co.id", "*.ihram.co.id"),
        body=("div.artikel", "div.teaser.global-detail", "div.txt_detail"),
        title=("div.wrap-title .h5", "div.wrap-title h1", "h1"),
        date=("div.date-detail",),
        section=("div.breadcome a",),
        tags=("div.tagging a",),
        caption=("div.img-detail .caption",),
        notes="republika.co.id / ihram.co.id 2017 page of the corpus.",
    ),
    SiteProfile(
        name="mediaindonesia",
        version="2026",
        network="media-group",
        valid_from=date(2023, 1, 1),
        domains=("mediaindonesia.com", "*.mediaindonesia.com"),
        body=("div.article",),
        title=("div.post-header h1", "h1"),
        authors=("div.author-2",),
        date=("div.post-header span.datetime", "span.datetime"),
        tags=("ul.related-tags a",),
        section=("ul.mi-breadcrumb a",),
        caption=("figure.main-img figcaption",),
        prune=("div.info-author", "figure", "ul.related-tags", ".related-tags"),
        notes="mediaindonesia.com January 2026 pages of the corpus.",
    ),
]
