"""A crawl killed with SIGKILL mid-write leaves only whole feed files, and re-running it with the
same state directory finishes the job with no record lost and none duplicated."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.site_server import serve
from tests.test_crawl import FAST, REPO, SITES

ARTICLES = 60


def _make_site():
    spec = importlib.util.spec_from_file_location("make_site", SITES / "make_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_site(root: Path) -> list[str]:
    """A PR-layout site of ARTICLES one-page stories listed in a news sitemap."""
    make_site = _make_site()
    paths = []
    for n in range(ARTICLES):
        path = f"/depok/pr-09{n:05d}/cerita-warga-depok-nomor-{n}-tentang-banjir"
        paragraphs = [
            f"<strong>PR DEPOK -</strong> Cerita nomor {n}: warga Depok membersihkan lumpur sisa banjir di kampungnya sejak pagi.",
            f"Ketua RT setempat mengatakan sedikitnya {n + 10} rumah terdampak dan warga bergotong royong memperbaiki saluran air.",
            f"Pemerintah kota mengirim {n + 2} truk air bersih dan petugas kesehatan ke lokasi untuk membantu warga yang terdampak.",
        ]
        html = make_site.pr_page(
            path=path, title=f"Cerita Warga Depok Nomor {n} Bersihkan Sisa Banjir", date="19 November 2026, 20:15 WIB",
            iso="2026-11-19T20:15:00+07:00", section="Depok", paragraphs=paragraphs, editor="Nur Annisa",
        )  # fmt: skip
        target = root / f"{path.lstrip('/')}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        paths.append(path)
    (root / "robots.txt").write_text("User-agent: *\nSitemap: /sitemap.xml\n", encoding="utf-8")
    urls = "".join(f"<url><loc>{p}</loc><lastmod>2026-11-19T20:15:00+07:00</lastmod></url>" for p in paths)
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        encoding="utf-8",
    )
    return paths


def published(feeds: Path) -> list[Path]:
    return sorted(p for p in feeds.rglob("*.jsonl") if ".tmp" not in p.parts)


def test_sigkill_mid_write_loses_nothing_on_rerun(tmp_path):
    site, feeds, state = tmp_path / "site", tmp_path / "feeds", tmp_path / "state"
    build_site(site)
    command = [
        sys.executable, "-m", "scrapy", "crawl", "news", "-a", "site=depok.pikiran-rakyat.com",
        *FAST, "-s", f"CRAWLER_FEED_URI={feeds}", "-s", "CRAWLER_FEED_BATCH_ITEMS=5",
        "-s", f"CRAWLER_STATE_DIR={state}", "-s", "CONCURRENT_REQUESTS=2", "-s", "CRAWLER_MONITOR_ENABLED=0",
    ]  # fmt: skip
    with serve(site, delay=0.05) as base:
        first = subprocess.Popen([*command, "-a", f"start_url={base}"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(published(feeds)) < 2 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        files_after_kill = published(feeds)
        assert files_after_kill, "the crawl published nothing before it was killed"
        for file in files_after_kill:  # whole files only: every line parses
            for line in file.read_text(encoding="utf-8").splitlines():
                json.loads(line)
        emitted_before = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files_after_kill)
        assert emitted_before < ARTICLES, "the crawl finished before it could be killed"

        rerun = subprocess.run([*command, "-a", f"start_url={base}"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    canonical = [
        json.loads(line)["canonical_url"] for file in published(feeds) for line in file.read_text(encoding="utf-8").splitlines()
    ]
    assert len(canonical) == len(set(canonical)), "a record was published twice"
    assert len(canonical) == ARTICLES, f"{ARTICLES - len(canonical)} records lost"
