"""Republika network: republika.co.id and ihram.co.id."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

PROFILES: list[SiteProfile] = [
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
        hosts=(
            "www.republika.co.id",
            "news.republika.co.id",
            "nasional.republika.co.id",
            "khazanah.republika.co.id",
            "ekonomi.republika.co.id",
            "internasional.republika.co.id",
            "bola.republika.co.id",
            "www.ihram.co.id",
        ),
        sitemaps=("/sitemap.xml",),
        feeds=("/rss/",),
        index_pages=("/index",),
        # '/berita/nasional/hukum/15/11/05/nxc0ha330-kpk-…' (2015-2017: channel path, date,
        # 9-character id) and '/berita/s3abcd1234/judul-…' (id, slug) of later years
        article_pattern=r"^/berita/(?:[\w-]+/)*\d{2}/\d{2}/\d{2}/[a-z0-9]{9}-[\w-]+|^/berita/[a-z0-9]{9,12}/[\w-]+",
        # 'In Picture' photo pages (corpus page republika.co.id__inpicture-kpk-pejabat-ma.html)
        not_article_pattern=r"/inpicture/|^/(?:kanal|tag|indeks|index|foto|video)(?:/|$)",
        notes="republika.co.id / ihram.co.id 2017 page of the corpus; URL forms from the corpus "
        "RSS file (2016) and photo page; the later id/slug URL form from memory.",
    ),
]
