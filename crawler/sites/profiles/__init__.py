"""Every site profile, as data: one module per outlet or network, one entry per layout version.

To add an outlet of a known network, add its domain to that network's `domains` (and `hosts`
for crawls). To support a redesign, add a new entry with the same `name`, a new `version` and a
later `valid_from`, and keep the old one so pages saved from the old layout still extract.

`notes` says where each profile's selectors were learnt: a real saved page of
`../shared/corpus/` (checked against its expected record), or public scrapers' selectors and
knowledge of the current layout (said so). Anything a profile misses, the generic steps
(credit lines, dateline, noise words) still catch.
"""

from __future__ import annotations

from crawler.sites.profile import SiteProfile
from crawler.sites.profiles import (
    antara,
    detik,
    jawapos,
    kly,
    kompas,
    media_indonesia,
    okezone,
    pikiran_rakyat,
    republika,
    sindonews,
    suara,
    tribun,
)

PROFILES: list[SiteProfile] = [
    *antara.PROFILES,
    *detik.PROFILES,
    *jawapos.PROFILES,
    *kly.PROFILES,
    *kompas.PROFILES,
    *media_indonesia.PROFILES,
    *okezone.PROFILES,
    *pikiran_rakyat.PROFILES,
    *republika.PROFILES,
    *sindonews.PROFILES,
    *suara.PROFILES,
    *tribun.PROFILES,
]
