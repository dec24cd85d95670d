"""Registry-wide checks of the site profiles (`crawler.sites.REGISTRY`): every layout version is
exercised by a fixture page, its selectors compile, its URL patterns tell articles from section,
tag, index and gallery pages, its crawl hosts belong to its domains, its pagination rule is one the
spider knows.

The URL tables below hold, per profile version, pages a crawl meets that are not articles: the
listing and tag pages of the site (most of them seen in the corpus listing pages or in the sites'
menus) and its photo/video galleries. Article URLs are the fixtures' own (and, when the shared
corpus is present, the corpus pages').
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler import extract
from crawler.evaluation import corpus_dir
from crawler.sites import REGISTRY, SiteProfile
from crawler.sites.profile import SELECTOR_KINDS

PAGES = Path(__file__).parent / "fixtures" / "pages"
FIXTURES = sorted(p.stem for p in PAGES.glob("*.html"))
PROFILES = {p.key: p for p in REGISTRY.profiles}
KEYS = sorted(PROFILES)

PAGINATION_RULES = frozenset({"none", "query", "all", "hidden", "next"})


def _path(url: str) -> str:
    """What `SiteProfile.is_article_path` reads: the path and the query."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def fixture_extractors() -> dict[str, tuple[str, str]]:
    """fixture name -> (extractor, url) for every fixture page."""
    found = {}
    for name in FIXTURES:
        meta = json.loads((PAGES / f"{name}.meta.json").read_text(encoding="utf-8"))
        record = extract((PAGES / f"{name}.html").read_bytes(), meta["url"], fetched_at=meta["fetched_at"])
        found[name] = (record["extractor"], meta["url"])
    return found


# --------------------------------------------------------------------------- registry shape


def test_keys_are_unique():
    counts = Counter(p.key for p in REGISTRY.profiles)
    assert not [k for k, n in counts.items() if n > 1], f"duplicate name@version: {counts}"


@pytest.mark.parametrize("key", KEYS)
def test_every_version_has_a_fixture(fixture_extractors, key):
    """Each layout version (not only each name) extracts at least one fixture page."""
    used = {extractor for extractor, _ in fixture_extractors.values()}
    assert key in used, f"{key}: no fixture page is extracted by this layout version"


@pytest.mark.parametrize("key", KEYS)
def test_selectors_compile(key):
    profile = PROFILES[key]
    for kind in SELECTOR_KINDS:
        compiled = profile.compiled(kind)
        assert len(compiled) == len(getattr(profile, kind)), f"{key}: {kind}"
    assert profile.body, f"{key}: no body selector"


@pytest.mark.parametrize("key", KEYS)
def test_pagination_rule_is_known(key):
    profile = PROFILES[key]
    assert profile.pagination in PAGINATION_RULES, f"{key}: pagination {profile.pagination!r}"
    if profile.pagination in ("query", "all"):
        assert profile.page_param, f"{key}: {profile.pagination} pagination needs a page_param"


@pytest.mark.parametrize("key", KEYS)
def test_crawl_hosts_belong_to_the_domains(key):
    profile = PROFILES[key]
    assert profile.crawl_hosts, f"{key}: no host to crawl"
    stray = [h for h in profile.crawl_hosts if not profile.matches_host(h)]
    assert not stray, f"{key}: hosts outside the profile's domains: {stray}"


@pytest.mark.parametrize("network", REGISTRY.networks())
def test_network_hosts_are_matched_by_the_network(network):
    """A network's crawl reaches only hosts some profile of that network extracts."""
    profiles = [p for p in REGISTRY.profiles if p.network == network]
    hosts = {h for p in profiles for h in p.crawl_hosts}
    stray = sorted(h for h in hosts if not any(p.matches_host(h) for p in profiles))
    assert not stray, f"{network}: {stray}"


@pytest.mark.parametrize("key", KEYS)
def test_discovery_paths_look_like_paths(key):
    profile = PROFILES[key]
    for value in (*profile.sitemaps, *profile.feeds, *profile.index_pages):
        assert value.startswith(("/", "https://", "http://")), f"{key}: {value!r}"


# --------------------------------------------------------------------------- URL patterns


@pytest.mark.parametrize("key", KEYS)
def test_article_pattern_accepts_its_fixture_urls(fixture_extractors, key):
    profile = PROFILES[key]
    assert profile.article_pattern, f"{key}: no article_pattern"
    urls = [url for extractor, url in fixture_extractors.values() if extractor == key]
    rejected = [url for url in urls if profile.is_article_path(_path(url)) is not True]
    assert not rejected, f"{key}: fixture article URLs not taken for articles: {rejected}"


# Section, tag, topic, index and search pages of each site: never articles.
NOT_ARTICLES: dict[str, tuple[str, ...]] = {
    "pikiran-rakyat": (
        "https://depok.pikiran-rakyat.com/depok",
        "https://zonajakarta.pikiran-rakyat.com/internasional",
        "https://galamedia.pikiran-rakyat.com/tag/Trump",
        "https://www.pikiran-rakyat.com/indeks-berita",
    ),
    "tribun": (
        "https://jogja.tribunnews.com/sleman",
        "https://solo.tribunnews.com/tag/sekolah-tatap-muka",
        "https://solo.tribunnews.com/topic/sekolah-tatap-muka",
        "https://www.tribunnews.com/index-news",
        "https://www.tribunnews.com/index-news/nasional?page=2",
        "https://solo.tribunnews.com/indeks",
    ),
    "kompas": (
        "https://regional.kompas.com/jawa-timur",
        "https://www.kompas.com/tag/longsor",
        "https://indeks.kompas.com/?site=regional&page=2",
        "http://bola.kompas.com/ligainggris",
    ),
    "detik": (
        "https://www.detik.com/jateng/berita",
        "https://www.detik.com/jateng",
        "https://www.detik.com/tag/banjir/",
        "https://www.detik.com/jateng/indeks",
        "https://news.detik.com/indeks/2",
        "http://finance.detik.com/kanal/688/pajak",
    ),
    "kly": (
        "https://www.liputan6.com/regional",
        "https://www.liputan6.com/tag/banjir",
        "http://www.liputan6.com/indeks/2016/02/16",
        "https://www.bola.com/inggris",
        "http://regional.liputan6.com/kategori/bandung",
    ),
    "merdeka": (
        "https://www.merdeka.com/jatim/",
        "https://www.merdeka.com/tag/p/presiden-jokowi/",
        "https://www.merdeka.com/indeks-berita/",
        "https://www.merdeka.com/tag/berita-update",
    ),
    "kapanlagi": (
        "http://www.kapanlagi.com/showbiz/film/indonesia/",
        "http://www.kapanlagi.com/feed/entertainment.xml",
        "http://www.kapanlagi.com/sitemap.html",
    ),
    "antara": (
        "https://jatim.antaranews.com/jawa-timur",
        "https://jatim.antaranews.com/tag/trenggalek",
        "https://www.antaranews.com/terkini",
        "http://www.antaranews.com/rss/nasional",
    ),
    "okezone": (
        "https://news.okezone.com/jatim",
        "https://www.okezone.com/tag/lumajang",
        "https://news.okezone.com/indeks/2026/07/24/10",
        "http://news.okezone.com/topic/1258/sampah",
        "https://news.okezone.com/more/0/14",
    ),
    "republika": (
        "http://www.republika.co.id/kanal/news/nasional",
        "https://www.republika.co.id/tag/banjir",
        "http://www.republika.co.id/index/jurnal-haji/2017/02/17",
    ),
    "mediaindonesia": (
        "https://mediaindonesia.com/ekonomi",
        "https://mediaindonesia.com/tag/ihsg",
        "https://mediaindonesia.com/indeks",
    ),
    "suara": (
        "https://jogja.suara.com/news",
        "https://jogja.suara.com/tag/gunungkidul",
        "https://www.suara.com/indeks?page=2",
        "https://www.suara.com/search?q=banjir",
    ),
    "jawapos": (
        "https://radarjogja.jawapos.com/jogja",
        "https://radarmalang.jawapos.com/tag/unmer?page=2",
        "https://radarmalang.jawapos.com/search?q=unmer&page=2",
        "https://www.jawapos.com/indeks",
    ),
    "sindonews": (
        "https://daerah.sindonews.com/",
        "https://tag.sindonews.com/tag/1322/sragen",
        "https://index.sindonews.com/indeks",
    ),
}

# Photo galleries and video pages whose URLs look like (or are) article URLs.
GALLERIES: dict[str, tuple[str, ...]] = {
    "pikiran-rakyat@2020": (
        "https://zonajakarta.pikiran-rakyat.com/image/pr-18801234/foto-banjir-di-kemang",
    ),
    "tribun@2020": ("https://www.tribunnews.com/images/regional/view/4123456/banjir-rob-di-semarang",),
    "tribun@2024": (
        "https://www.tribunnews.com/images/regional/view/4123456/banjir-rob-di-semarang",
        "https://www.tribunnews.com/video/2024/11/12/detik-detik-jembatan-putus",
    ),
    "kompas@2016": ("https://www.kompas.com/image/2016/02/23/16374618/foto-banjir",),
    "kompas@2024": ("https://www.kompas.com/image/2024/11/05/151230478/foto-longsor-pacet",),
    # corpus page detik.com__finance-readfoto-gardu-induk-pln.html
    "detik@2015": (
        "http://finance.detik.com/readfoto/2016/02/23/153201/3149106/461/1/gardu-induk-milenium-pln-resmi-beroperasi",
    ),
    # photo story linked from the corpus listing page detik.com__news-indeks-listing.html
    "detik@2024": (
        "https://news.detik.com/foto-news/d-7571834/kontras-beri-catatan-kritis-jelang-ulang-tahun-ke-79-tni",
        "https://www.detik.com/jateng/foto/d-7612001/potret-banjir-rob-di-kaligawe",
        "http://finance.detik.com/readfoto/2016/02/23/153201/3149106/461/1/gardu-induk-milenium-pln-resmi-beroperasi",
    ),
    # corpus page liputan6.com__foto-kri-nanggala-402.html and a bola.com photo story
    "kly@2020": (
        "https://www.liputan6.com/news/read/4541831/foto-kondisi-kapal-selam-kri-nanggala-402-yang-tenggelam-di-perairan-bali",
        "https://www.bola.com/inggris/read/4572169/foto-liga-inggris-5-pemain-termuda-di-premier-league-20202021",
    ),
    # corpus page merdeka.com__foto-sarwendah-masak-mie.html
    "merdeka@2021": (
        "https://www.merdeka.com/foto/artis/1319392/20210617095450-potret-seru-sarwendah-masak-mie-instan-porsi-besar-setelah-matang-langsung-diserbu-001-astri-agustina.html",
    ),
    "merdeka@2024": (
        "https://www.merdeka.com/foto/artis/1319392/20210617095450-potret-seru-sarwendah-masak-mie-instan-porsi-besar-setelah-matang-langsung-diserbu-001-astri-agustina.html",
        "https://www.merdeka.com/peristiwa/video-kdm-kembali-senyum-usai-ngamuk-ke-suporter-persikas-tak-masalah-jadi-gorengan-politik-419585-mvk.html",
    ),
    "kapanlagi@2015": (
        "https://www.kapanlagi.com/foto/berita-foto/indonesia/dian-sastrowardoyo-di-festival-film.html",
    ),
    "antara@2016": ("https://www.antaranews.com/foto/432101/kirab-budaya-di-trenggalek",),
    "antara@2024": (
        "https://www.antaranews.com/foto/4432101/kirab-pusaka-hari-jadi-trenggalek",
        "https://jatim.antaranews.com/video/845300/kirab-pusaka-trenggalek",
    ),
    "okezone@2017": ("http://news.okezone.com/foto/2017/02/17/1/123456/banjir-di-jakarta",),
    "okezone@2024": ("https://news.okezone.com/foto/2024/11/08/1/123456/puting-beliung-di-lumajang",),
    # corpus page republika.co.id__inpicture-kpk-pejabat-ma.html
    "republika@2017": (
        "http://www.republika.co.id/berita/inpicture/nasional-inpicture/16/02/23/o2zwha283-kpk-periksa-pejabat-mahkamah-agung-yang-tertangkap-ott",
    ),
    "mediaindonesia@2026": ("https://mediaindonesia.com/foto/12345/banjir-rob-di-pesisir-jakarta",),
    "suara@2024": ("https://www.suara.com/foto/2024/11/07/101010/potret-petani-tanam-padi-gogo",),
    "jawapos@2023": ("https://radarjogja.jawapos.com/foto/655214400/potret-kali-code-meluap",),
    "sindonews@2024": (
        "https://infografis.sindonews.com/photo/14035/mengenal-7-jenis-sampah-plastik-yang-bisa-didaur-ulang-1645814962",
    ),
}

_NOT_ARTICLE_CASES = [(key, url) for key in KEYS for url in NOT_ARTICLES.get(PROFILES[key].name, ())]


def test_every_name_has_non_article_urls():
    missing = sorted({p.name for p in REGISTRY.profiles} - set(NOT_ARTICLES))
    assert not missing, f"add section/tag/index URLs for: {missing}"


@pytest.mark.parametrize(("key", "url"), _NOT_ARTICLE_CASES)
def test_listing_pages_are_not_articles(key, url):
    assert PROFILES[key].is_article_path(_path(url)) is False, f"{key} takes {url} for an article"


def test_every_version_has_gallery_urls():
    missing = sorted(set(KEYS) - set(GALLERIES))
    assert not missing, f"add gallery URLs for: {missing}"


@pytest.mark.parametrize(("key", "url"), [(k, u) for k in KEYS for u in GALLERIES.get(k, ())])
def test_not_article_pattern_catches_galleries(key, url):
    profile: SiteProfile = PROFILES[key]
    assert profile.not_article_pattern, f"{key}: no not_article_pattern"
    assert profile.is_article_path(_path(url)) is False, f"{key} takes the gallery {url} for an article"


# --------------------------------------------------------------------------- the shared corpus


def _manifest() -> list[dict[str, str]]:
    corpus = corpus_dir()
    if corpus is None or not (corpus / "manifest.tsv").exists():
        pytest.skip("shared corpus not found (set CRAWLER_SHARED_DIR)")
    with (corpus / "manifest.tsv").open(encoding="utf-8") as f:
        return [row for row in csv.DictReader(f, delimiter="\t") if row.get("url")]


def test_corpus_articles_are_articles():
    """Every saved article page of the corpus is an article to some version of its profile."""
    rejected = []
    for row in _manifest():
        if not row["file"].startswith("pages/"):
            continue
        profiles = REGISTRY.for_host(urlsplit(row["url"]).hostname or "")
        if profiles and not any(p.is_article_path(_path(row["url"])) for p in profiles):
            rejected.append(row["url"])
    assert not rejected, f"corpus articles no profile version takes for articles: {rejected}"


def test_corpus_listings_and_galleries_are_not_articles():
    """The corpus's home, index, category and gallery pages are articles to no profile version."""
    accepted = []
    for row in _manifest():
        if not row["file"].startswith("other/"):
            continue
        for profile in REGISTRY.for_host(urlsplit(row["url"]).hostname or ""):
            if profile.is_article_path(_path(row["url"])):
                accepted.append(f"{profile.key}: {row['url']}")
    assert not accepted, f"non-article corpus pages taken for articles: {accepted}"
