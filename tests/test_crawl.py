"""End to end: `scrapy crawl news` against real HTTP servers on 127.0.0.1 serving the fixture
sites of `tests/fixtures/site/` (see make_site.py), checking the whole JSONL feed.

The expected feeds are golden files beside the sites (`expected/*.jsonl`): every article once,
stitched, cleaned, nothing else. After a deliberate change, regenerate them with
`CRAWLER_UPDATE_GOLDEN=1 python -m pytest tests/test_crawl.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.schema import errors as schema_errors
from tests.site_server import serve

REPO = Path(__file__).resolve().parent.parent
SITES = REPO / "tests" / "fixtures" / "site"
EXPECTED = SITES / "expected"
PR_HOST, TRIBUN_HOST = "depok.pikiran-rakyat.com", "solo.tribunnews.com"
FLOOD = "nasional/pr-0931001/banjir-bandang-terjang-tiga-kecamatan-di-depok"

# The crawl itself, without the waits that make it polite on the internet.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO", "-s", "RETRY_TIMES=0"]


def crawl(tmp_path: Path, *args: str, name: str = "feed") -> tuple[list[dict], str]:
    """Run the spider in its own process; return the feed's records and the log."""
    feed = tmp_path / f"{name}.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", *args, "-O", f"{feed}:jsonlines", *FAST],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    return records, result.stderr


def stats(log: str) -> dict[str, int]:
    """The crawler/* counters of the stats dump at the end of the log."""
    return {k: int(v) for k, v in re.findall(r"'(crawler/[^']+)': (\d+)", log)}


def normalised(records: list[dict], bases: dict[str, str]) -> list[dict]:
    """Records without what differs between runs: the local port and the fetch time."""
    out = []
    for record in records:
        record = dict(record)
        record.pop("fetched_at")
        for placeholder, base in bases.items():
            record["url"] = record["url"].replace(base, placeholder)
        out.append(record)
    return sorted(out, key=lambda r: r["canonical_url"])


def matches_golden(name: str, records: list[dict]) -> None:
    path = EXPECTED / f"{name}.jsonl"
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    if os.environ.get("CRAWLER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["canonical_url"] for r in records] == [r["canonical_url"] for r in expected]
    for got, want in zip(records, expected, strict=True):
        differing = {k: (want.get(k), got.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        assert not differing, f"{got['canonical_url']}: (expected, got) per field: {differing}"


def test_profile_crawl_of_two_sites(tmp_path):
    with serve(SITES / "pikiran-rakyat") as pr, serve(SITES / "tribun") as tribun:
        records, log = crawl(tmp_path, "-a", f"site={PR_HOST},{TRIBUN_HOST}", "-a", f"start_url={pr},{tribun}")
    assert not [p for r in records for p in schema_errors(r)]
    records = normalised(records, {"PR/": pr, "TRIBUN/": tribun})
    # every article once, nothing else: the gallery, the 404s, section and tag pages are not items
    assert [r["canonical_url"] for r in records] == [
        f"https://{PR_HOST}/depok/pr-0931002/pemkot-depok-resmikan-taman-baru-di-sawangan",
        f"https://{PR_HOST}/{FLOOD}",
        f"https://{TRIBUN_HOST}/2026/11/18/pedagang-pasar-klewer-tempati-kios-baru",
        f"https://{TRIBUN_HOST}/2026/11/19/warga-solo-gotong-royong-bersihkan-kali-pepe",
    ]
    flood = records[1]
    assert flood["pages"] == 3 and flood["extractor"].startswith("pikiran-rakyat@")
    assert flood["body"].startswith("Banjir bandang menerjang") and flood["body"].endswith("setiap musim hujan.")
    assert "Baca Juga" not in flood["body"] and flood["editors"] == ["Rina Marlina"]
    assert all(r["extractor"].split("@")[0] in ("pikiran-rakyat", "tribun") for r in records)
    counters = stats(log)
    assert counters["crawler/discovery/skipped_url/sitemap"] >= 1  # the photo gallery, by its URL
    assert counters["crawler/drop/no_story"] == 1  # the video page: an article URL, no story
    assert counters["crawler/drop/http_404"] == 2  # listed in the sitemap, gone from the site
    assert counters["crawler/pagination/stitched"] == 2
    matches_golden("profiles", records)


def test_unknown_outlet_crawl_uses_generic_path(tmp_path):
    with serve(SITES / "pikiran-rakyat") as pr:
        records, _log = crawl(tmp_path, "-a", f"url={pr}")
    records = normalised(records, {"PR/": pr})
    assert [r["canonical_url"] for r in records] == [
        f"https://{PR_HOST}/depok/pr-0931002/pemkot-depok-resmikan-taman-baru-di-sawangan",
        f"https://{PR_HOST}/{FLOOD}",
    ]
    assert {r["extractor"] for r in records} == {"generic"}
    flood = records[1]
    assert flood["pages"] == 3 and "Baca Juga" not in flood["body"]
    assert flood["body"].endswith("setiap musim hujan.")
    matches_golden("generic", records)


def test_site_ignoring_page_param_does_not_double_the_story(tmp_path):
    with serve(SITES / "pikiran-rakyat", ignore_page_param=True) as pr:
        records, log = crawl(tmp_path, "-a", f"site={PR_HOST}", "-a", f"start_url={pr}")
    flood = next(r for r in records if r["canonical_url"].endswith(FLOOD))
    assert flood["pages"] == 1
    assert flood["body"].count("Banjir bandang menerjang") == 1
    assert stats(log)["crawler/pagination/repeated_page"] == 1


def test_missing_page_is_an_error_not_a_short_story(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "pikiran-rakyat", site)
    (site / f"{FLOOD}.page3.html").unlink()
    with serve(site, strict_pages=True) as pr:
        records, log = crawl(tmp_path, "-a", f"site={PR_HOST}", "-a", f"start_url={pr}")
    assert not [r for r in records if r["canonical_url"].endswith(FLOOD)]
    assert re.search(r"ERROR: missing page .*page=3 of .*" + re.escape(FLOOD), log)
    assert stats(log)["crawler/pagination/missing_page"] == 1


def test_since_and_until_bound_the_crawl(tmp_path):
    with serve(SITES / "pikiran-rakyat") as pr, serve(SITES / "tribun") as tribun:
        records, log = crawl(
            tmp_path,
            "-a", f"site={PR_HOST},{TRIBUN_HOST}",
            "-a", f"start_url={pr},{tribun}",
            "-a", "since=2026-11-19",
            "-a", "until=2026-11-19T23:59:59+07:00",
        )  # fmt: skip
    assert sorted(r["title"] for r in records) == [
        "Banjir Bandang Terjang Tiga Kecamatan di Depok",
        "Warga Solo Gotong Royong Bersihkan Kali Pepe",
    ]
    assert stats(log)["crawler/discovery/out_of_window"] >= 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give exactly one of"),
        (["-a", "network=nosuchnetwork"], "unknown network"),
        (["-a", "url=javascript:alert(1)"], "needs an http(s) URL"),
    ],
)
def test_bad_arguments_are_clear_errors(tmp_path, args, message):
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", *args, *FAST],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert message in result.stderr


def test_scrapy_list_names_the_spider():
    result = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["news"]


def test_replay_of_a_recorded_crawl_gives_the_same_feed(tmp_path):
    recording = tmp_path / "recording"
    args = ["-a", f"site={PR_HOST}"]
    with serve(SITES / "pikiran-rakyat") as pr:
        live, _ = crawl(tmp_path, *args, "-a", f"start_url={pr}", "-s", f"CRAWLER_RECORD_DIR={recording}", name="live")
    # the server is gone: anything not in the recording would fail
    replayed, log = crawl(tmp_path, *args, "-a", f"start_url={pr}", "-s", f"CRAWLER_REPLAY_DIR={recording}", name="replay")
    assert live, "the live crawl found no articles"
    assert sorted(replayed, key=lambda r: r["url"]) == sorted(live, key=lambda r: r["url"])
    counters = stats(log)
    assert counters["crawler/replay/served"] > len(live)
    assert "crawler/replay/missing" not in counters
