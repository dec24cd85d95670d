"""Dedup (`crawler/dedup.py`, `crawler/pipelines/dedup.py`): one key per article whatever URL
variant reached it, and copies of a wire story linked by `duplicate_of`, within a run, across
runs, and end to end across two sites."""

from __future__ import annotations

import random
import re
import shutil
import tracemalloc

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.dedup import (
    MIN_WORDS,
    KeySet,
    NearDuplicateIndex,
    SignatureMemo,
    near_duplicates,
    normalize_url,
    signature,
    similarity,
)
from crawler.incremental import crawl_run
from crawler.items import ArticleItem
from crawler.pipelines.dedup import DedupPipeline
from tests.site_server import serve
from tests.test_crawl import PR_HOST, SITES, TRIBUN_HOST, crawl, stats

DETIK = "d-7012345/banjir-rendam-ratusan-rumah-di-kudus"
KOMPAS = "read/2024/05/12/153000078/banjir-lahar-dingin-terjang-agam"
TRIBUN = "2024/05/12/warga-gotong-royong-bersihkan-kali"
PR = "pr-0931001/banjir-bandang-terjang-tiga-kecamatan-di-depok"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        # mobile hosts
        (f"https://m.detik.com/news/berita/{DETIK}", f"https://detik.com/news/berita/{DETIK}"),
        (f"https://m.tribunnews.com/{TRIBUN}", f"https://tribunnews.com/{TRIBUN}"),
        # all pages on one: kompas / tribun ?page=all, detik ?single=1; page N of a story
        (f"https://regional.kompas.com/{KOMPAS}?page=all", f"https://regional.kompas.com/{KOMPAS}"),
        (f"https://www.kompas.com/tren/{KOMPAS}?page=all#page2", f"https://kompas.com/tren/{KOMPAS}"),
        (f"https://jogja.tribunnews.com/{TRIBUN}?page=all", f"https://jogja.tribunnews.com/{TRIBUN}"),
        (f"https://jogja.tribunnews.com/{TRIBUN}?page=2", f"https://jogja.tribunnews.com/{TRIBUN}"),
        (f"https://news.detik.com/berita/{DETIK}?single=1", f"https://news.detik.com/berita/{DETIK}"),
        # AMP: host, path prefix, path segment (PR puts it before the pr- id), query
        (f"https://amp.kompas.com/tren/{KOMPAS}", f"https://kompas.com/tren/{KOMPAS}"),
        (f"https://jogja.tribunnews.com/amp/{TRIBUN}", f"https://jogja.tribunnews.com/{TRIBUN}"),
        (
            f"https://depok.pikiran-rakyat.com/nasional/amp/{PR}",
            f"https://depok.pikiran-rakyat.com/nasional/{PR}",
        ),
        (f"https://www.pikiran-rakyat.com/amp/nasional/{PR}", f"https://pikiran-rakyat.com/nasional/{PR}"),
        (f"https://news.detik.com/berita/{DETIK}/amp", f"https://news.detik.com/berita/{DETIK}"),
        (f"https://news.detik.com/berita/{DETIK}?amp=1", f"https://news.detik.com/berita/{DETIK}"),
        (
            "https://www.suara.com/news/2024/05/12/101500/judul?outputType=amp",
            "https://suara.com/news/2024/05/12/101500/judul",
        ),
        # tracking parameters; content parameters stay, sorted
        (
            "https://www.antaranews.com/berita/4101234/judul?utm_source=antaranews&utm_medium=desktop&utm_campaign=related_news",
            "https://antaranews.com/berita/4101234/judul",
        ),
        (
            "https://jatim.antaranews.com/berita/801234/judul?fbclid=IwAR0abc&_ga=2.1",
            "https://jatim.antaranews.com/berita/801234/judul",
        ),
        (
            "https://www.okezone.com/read/2024/05/12/judul?gclid=x&ref=home&src=wa",
            "https://okezone.com/read/2024/05/12/judul",
        ),
        (
            "https://kabar.example/read.php?id=123&cat=5&utm_source=x",
            "https://kabar.example/read.php?cat=5&id=123",
        ),
        # scheme, host case, default port, trailing slash, fragment
        ("http://WWW.Okezone.com:80/read/2024/judul/#comments", "https://okezone.com/read/2024/judul"),
        (
            "https://radarjogja.jawapos.com/jogja/654321/judul/",
            "https://radarjogja.jawapos.com/jogja/654321/judul",
        ),
        ("http://127.0.0.1:8000/a/b/", "https://127.0.0.1:8000/a/b"),
        ("https://m.detik.com/", "https://detik.com/"),
        # not a variant prefix: a host that is nothing but 'm.' plus a TLD stays
        ("https://m.id/berita/1", "https://m.id/berita/1"),
    ],
)
def test_normalize_url(url, key):
    assert normalize_url(url) == key


def test_normalize_url_is_idempotent():
    key = normalize_url(f"https://m.tribunnews.com/amp/{TRIBUN}?page=all&utm_source=wa")
    assert normalize_url(key) == key


# A wire story as Antara sends it, and what two regional sites make of it: their own lead or
# closing line around the same paragraphs (datelines and sign-offs are cut by extraction).
WIRE = [
    "Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) memperingatkan potensi hujan lebat disertai angin kencang di sebagian besar wilayah Jawa Barat hingga akhir pekan ini.",
    "Kepala Stasiun Meteorologi Bandung mengatakan masyarakat yang tinggal di daerah rawan longsor dan banjir diminta meningkatkan kewaspadaan, terutama pada sore hingga malam hari.",
    "Menurut dia, suhu muka laut yang hangat di selatan Jawa memicu pertumbuhan awan hujan yang lebih cepat dibandingkan pekan sebelumnya.",
    "BMKG juga meminta pemerintah daerah menyiapkan posko siaga bencana serta memastikan saluran air tidak tersumbat sampah.",
]
LOCAL_LEAD = "Warga Depok diminta bersiap menghadapi cuaca ekstrem dalam beberapa hari ke depan."
LOCAL_END = "Pantau terus informasi cuaca terkini melalui kanal resmi BMKG."
OTHER = [
    "Pemerintah Kota Solo meresmikan pasar tradisional yang baru direnovasi dengan anggaran puluhan miliar rupiah dari APBD.",
    "Wali Kota menyebut pasar tersebut kini memiliki sistem drainase yang lebih baik serta area parkir yang lebih luas bagi pengunjung.",
    "Para pedagang mengaku senang karena kios baru lebih bersih dan terang, meski sebagian masih menunggu pembagian nomor kios.",
    "Dinas Perdagangan berjanji mengawasi harga sewa kios agar tetap terjangkau bagi pedagang kecil yang telah lama berjualan di sana.",
]


def body(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def test_a_republished_wire_story_is_a_near_duplicate():
    original = body(*WIRE)
    copies = [
        body(LOCAL_LEAD, *WIRE),
        body(*WIRE, LOCAL_END),
        body(LOCAL_LEAD, *WIRE[:-1], LOCAL_END),  # own lead and end, last paragraph trimmed
        original.upper().replace(", ", " , "),  # case and punctuation do not matter
    ]
    for copy in copies:
        assert near_duplicates(original, copy), copy[:60]
    assert not near_duplicates(original, body(*OTHER))
    # the same topic in other words is another story
    assert not near_duplicates(original, body(*WIRE[:1], *OTHER))


def test_short_bodies_are_not_compared():
    short = " ".join(WIRE[0].split()[: MIN_WORDS - 1])
    assert signature(short) is None
    assert not near_duplicates(short, short)


def test_similarity_separates_copies_from_other_stories():
    wire = signature(body(*WIRE))
    assert similarity(wire, signature(body(LOCAL_LEAD, *WIRE, LOCAL_END))) > 0.6
    assert similarity(wire, signature(body(*OTHER))) < 0.05


def test_signature_memo_gives_back_what_was_computed_ahead_once_then_computes():
    memo = SignatureMemo(size=2)
    wire, other, short = body(*WIRE), body(*OTHER), "terlalu pendek"
    ahead = signature(other)
    memo.put(wire, ahead)  # not wire's own: shows the value comes from the memo
    memo.put(short, None)
    assert memo.take(wire) == ahead
    assert memo.take(wire) == signature(wire)  # taken once, then computed
    assert memo.take(short) is None
    # a body changed on the way (a stitched story) is another key: computed, never a stale one
    memo.put(wire, ahead)
    assert memo.take(wire + " Tambahan.") == signature(wire + " Tambahan.")
    # bounded: the oldest go first
    memo.put(other, b"x")
    memo.put(short, None)
    assert len(memo) == 2 and wire not in memo
    assert memo.take(wire) == signature(wire)
    assert memo.take(other) == b"x"


def test_index_finds_the_earliest_original_and_skips_the_article_itself():
    index = NearDuplicateIndex()
    wire = signature(body(*WIRE))
    index.add("https://antaranews.com/berita/1", wire, "https://www.antaranews.com/berita/1")
    index.add("https://solo.example/2", signature(body(*OTHER)), "https://solo.example/2")
    copy = signature(body(LOCAL_LEAD, *WIRE))
    key, original, score = index.find(copy)
    assert (key, original) == ("https://antaranews.com/berita/1", "https://www.antaranews.com/berita/1")
    assert score >= 0.5
    assert index.find(wire, exclude="https://antaranews.com/berita/1") is None
    index.add("https://antaranews.com/berita/1", signature(body(*OTHER, LOCAL_END)), "x")  # replaced
    assert index.find(copy) is None


def test_index_lookup_compares_only_entries_sharing_a_band(monkeypatch):
    index = NearDuplicateIndex()
    for n in range(100):
        index.add(f"k{n}", signature(body(*OTHER, f"Berita nomor {n} " * 20)), f"k{n}")
    compared = []
    import crawler.dedup

    real = crawler.dedup._agreements
    monkeypatch.setattr(crawler.dedup, "_agreements", lambda rows, query: compared.append(len(rows)) or real(rows, query))
    assert index.find(signature(body(*WIRE))) is None
    assert sum(compared) < 5


def _random_body(rng: random.Random, words: int = 120) -> str:
    return " ".join(f"w{rng.randrange(50_000)}" for _ in range(words))


def _copy_of(rng: random.Random, text: str) -> str:
    """The same story with up to a tenth of its words replaced (Jaccard of the shingles 0.5-1)."""
    tokens = text.split()
    for _ in range(rng.randrange(len(tokens) // 10)):
        tokens[rng.randrange(len(tokens))] = f"x{rng.randrange(50_000)}"
    return " ".join(tokens)


def test_index_answers_like_a_comparison_with_every_entry():
    """Through merges of the band keys, evictions when the ring comes round, replaced keys and
    the purge of stale band keys, a lookup finds what comparing with every live entry finds
    (among those sharing a band; LSH misses a pair at 0.5 with probability 0.13)."""
    rng = random.Random(7)
    index = NearDuplicateIndex(max_entries=700)
    live: dict[str, tuple[bytes, str]] = {}  # key -> (signature, original), oldest first
    added: dict[str, int] = {}
    stories = []
    checked = found_copies = 0
    for n in range(3_000):
        if stories and rng.random() < 0.3:
            text = _copy_of(rng, rng.choice(stories[-900:]))
        else:
            text = _random_body(rng)
            stories.append(text)
        key = f"https://kabar.example/{rng.randrange(2_500)}"  # some keys come back: replaced
        sig = signature(text)
        got = index.find(sig, exclude=key)
        best = max(
            ((similarity(sig, other), -age, k, original) for age, (k, (other, original)) in enumerate(live.items()) if k != key),
            default=None,
        )
        if got is not None:  # whatever is found is a live entry above the threshold, the best
            assert got[0] in live and live[got[0]][1] == got[1]
            assert got[2] >= 0.5 and abs(got[2] - similarity(sig, live[got[0]][0])) < 0.02
            assert best is not None and got[2] >= best[0] - 0.02
            found_copies += 1
        if best is not None and best[0] >= 0.8:  # misses sharing a band with probability 5e-8
            assert got is not None, n
            checked += 1
        live.pop(key, None)
        live[key] = (sig, f"https://www.kabar.example/{n}")
        added[key] = n
        for old in [k for k in live if added[k] <= n - 700]:  # the ring holds the last 700 added
            del live[old]
        index.add(key, sig, live[key][1])
        assert len(index) <= 700
    assert checked > 200 and found_copies > 300
    assert len(index) == sum(1 for k in live if k in index._ids)


def test_index_memory_per_entry_is_under_a_kilobyte():
    rng = random.Random(3)
    sigs = [signature(_random_body(rng)) for _ in range(200)]
    keys = [f"https://depok.pikiran-rakyat.com/depok/pr-{n:07d}/judul-berita-{n}" for n in range(4_000)]
    originals = [key.replace("https://", "https://www.") for key in keys]
    tracemalloc.start()
    try:
        index = NearDuplicateIndex()
        for n, (key, original) in enumerate(zip(keys, originals, strict=True)):
            index.add(key, sigs[n % 200][4:] + n.to_bytes(4, "little"), original)
        used, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the keys and originals themselves are the caller's; the index held ~2.3 KB an entry more
    assert used / len(keys) < 1_000


def test_key_set_remembers_every_key_in_8_bytes():
    keys = KeySet()
    urls = [f"https://kabar.example/berita/{n}" for n in range(10_000)]
    assert all(keys.add(url) for url in urls)
    assert len(keys) == 10_000
    assert all(url in keys for url in urls)
    assert not any(keys.add(url) for url in urls[::7])
    assert "https://kabar.example/berita/10000" not in keys
    assert len(keys) == 10_000


# ---------------------------------------------------------------------------------------------
# The pipeline
# ---------------------------------------------------------------------------------------------


def item(url: str, text: str, canonical: str | None = None) -> ArticleItem:
    return ArticleItem(
        url=url,
        canonical_url=canonical or url,
        site="x",
        network=None,
        extractor="generic",
        title="t",
        body=text,
    )


def pipeline(**settings) -> tuple[DedupPipeline, object]:
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    pipe = DedupPipeline.from_crawler(crawler)
    pipe.open_spider()
    return pipe, crawler


def test_the_same_article_under_two_urls_is_emitted_once():
    pipe, crawler = pipeline()
    first = item(
        "https://m.detik.com/x/d-1/a?utm_source=wa", body(*WIRE), canonical="https://news.detik.com/x/d-1/a"
    )
    pipe.process_item(first)
    with pytest.raises(DropItem, match="duplicate URL"):
        pipe.process_item(
            item(
                "https://news.detik.com/x/d-1/a/amp",
                body(*WIRE),
                canonical="https://news.detik.com/x/d-1/a/amp",
            )
        )
    assert crawler.stats.get_value("crawler/drop/duplicate_url") == 1
    assert first.canonical_url == "https://news.detik.com/x/d-1/a"  # the page's own, not the key


def test_a_copy_on_another_site_points_to_the_first_record():
    pipe, crawler = pipeline()
    original = pipe.process_item(item("https://www.antaranews.com/berita/1", body(*WIRE)))
    copy = pipe.process_item(item("https://depok.example/2", body(LOCAL_LEAD, *WIRE)))
    third = pipe.process_item(item("https://solo.example/3", body(*WIRE, LOCAL_END)))
    other = pipe.process_item(item("https://solo.example/4", body(*OTHER)))
    assert original.duplicate_of is None and other.duplicate_of is None
    assert copy.duplicate_of == third.duplicate_of == "https://www.antaranews.com/berita/1"
    assert crawler.stats.get_value("crawler/dedup/near_duplicate") == 2


def test_tomorrows_copy_points_to_yesterdays_original(tmp_path):
    settings = {"CRAWLER_STATE_DIR": str(tmp_path / "state")}
    yesterday, crawler = pipeline(**settings)
    yesterday.process_item(item("https://www.antaranews.com/berita/1", body(*WIRE)))
    crawl_run(crawler).close()

    today, crawler = pipeline(**settings)
    copy = today.process_item(item("https://depok.example/2", body(LOCAL_LEAD, *WIRE)))
    # the original itself, updated today, is not a copy of its earlier version
    update = today.process_item(item("https://www.antaranews.com/berita/1", body(*WIRE, LOCAL_END)))
    crawl_run(crawler).close()
    assert copy.duplicate_of == "https://www.antaranews.com/berita/1"
    assert update.duplicate_of is None


# ---------------------------------------------------------------------------------------------
# End to end: a wire story on two sites
# ---------------------------------------------------------------------------------------------

TAMAN = f"https://{PR_HOST}/depok/pr-0931002/pemkot-depok-resmikan-taman-baru-di-sawangan"
KLEWER = "2026/11/18/pedagang-pasar-klewer-tempati-kios-baru"


def test_a_story_syndicated_on_two_sites_is_linked_by_duplicate_of(tmp_path):
    """The Tribun site runs the PR Depok story about the new park (its own dateline and closing
    line, no 'Baca Juga'): one record points to the other; nothing else is linked."""
    tribun = tmp_path / "tribun"
    shutil.copytree(SITES / "tribun", tribun)
    pr_page = (
        SITES
        / "pikiran-rakyat"
        / "depok"
        / "pr-0931002"
        / "pemkot-depok-resmikan-taman-baru-di-sawangan.html"
    ).read_text(encoding="utf-8")
    story = [
        p
        for p in re.findall(r"<p>(.*?)</p>", pr_page.split('class="read__content')[1].split("</article>")[0])
        if "Baca Juga" not in p
    ]
    story[0] = story[0].replace("<strong>PR DEPOK -</strong>", "<strong>TRIBUNSOLO.COM, DEPOK -</strong>")
    story.append("Taman tersebut dibuka untuk umum setiap hari mulai pukul 06.00 hingga 18.00 WIB.")
    page = tribun / f"{KLEWER}.html"
    html = page.read_text(encoding="utf-8")
    start, end = html.index('<div class="side-article txt-article">'), html.index('<div id="editor"')
    page.write_text(
        html[:start]
        + '<div class="side-article txt-article">\n'
        + "\n".join(f"<p>{p}</p>" for p in story)
        + "\n</div>\n"
        + html[end:],
        encoding="utf-8",
    )
    with serve(SITES / "pikiran-rakyat") as pr, serve(tribun) as tb:
        records, log = crawl(tmp_path, "-a", f"site={PR_HOST},{TRIBUN_HOST}", "-a", f"start_url={pr},{tb}")
    by_url = {r["canonical_url"]: r for r in records}
    assert len(by_url) == len(records) == 4
    linked = [r for r in records if r["duplicate_of"]]
    assert len(linked) == 1
    pair = {linked[0]["canonical_url"], linked[0]["duplicate_of"]}
    assert pair == {TAMAN, f"https://{TRIBUN_HOST}/{KLEWER}"}
    assert stats(log)["crawler/dedup/near_duplicate"] == 1


def test_index_memory_is_bounded_oldest_go_first():
    index = NearDuplicateIndex(max_entries=3)
    bodies = [" ".join(f"kata{i}x{j}" for j in range(80)) for i in range(5)]
    for i, body in enumerate(bodies):
        index.add(f"k{i}", signature(body), f"https://kabar.example/{i}")
    assert len(index) == 3
    assert index.find(signature(bodies[0])) is None  # evicted
    assert index.find(signature(bodies[4]))[0] == "k4"


def test_the_index_size_is_a_setting():
    pipe, _ = pipeline(CRAWLER_DEDUP_MAX_ENTRIES=2)
    assert pipe.index.max_entries == 2
    for n, text in enumerate([body(*WIRE), body(*OTHER), body(*WIRE[:2], *OTHER[:2])]):
        pipe.process_item(item(f"https://kabar.example/{n}", text))
    assert len(pipe.index) == 2
    # the first (the wire story) is gone: a copy of it is not linked
    assert pipe.process_item(item("https://depok.example/9", body(LOCAL_LEAD, *WIRE))).duplicate_of is None
