"""Kompas.com and its channels (regional, megapolitan, nasional, …)."""

from __future__ import annotations

from datetime import date

from crawler.sites.profile import SiteProfile

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
        article_pattern=r"/read/\d{4}/\d{2}/\d{2}/",
        notes="kompas.com 2015-2016 pages of the corpus (bola, nasional, megapolitan, internasional).",
    ),
]
