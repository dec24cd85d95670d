"""Okezone (MNC group)."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

PROFILES: list[SiteProfile] = [
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
        article_pattern=r"/read/\d{4}/\d{2}/\d{2}/",
        notes="okezone.com 2015 and 2017 pages of the corpus.",
    ),
]
