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
        notes="republika.co.id / ihram.co.id 2017 page of the corpus.",
    ),
]
