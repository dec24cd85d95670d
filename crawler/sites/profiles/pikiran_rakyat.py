"""Pikiran Rakyat Media Network: pikiran-rakyat.com, its regional subdomains and partner domains."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

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
        article_pattern=r"/pr-\d+/",
        notes="zonajakarta.pikiran-rakyat.com 2020 page of the corpus; the seed page (2022) "
        "shows the same text order. The network's partner domains are added with issue 3.",
    ),
]
