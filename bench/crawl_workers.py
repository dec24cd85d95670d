#!/usr/bin/env python3
"""Distributed crawl benchmark: pages/s of one crawl run by 1, 2 and 3 workers on this machine,
and what a crawl costs in Redis memory (for the README's sizing note).

    python bench/crawl_workers.py [--pages 2000] [--workers 1,2,3] [--repeat 1] [--json OUT]

1. Site: `tests/generated_site.py`, N articles in the Pikiran Rakyat layout (every 25th over two
   pages), a sitemap index, served by `tests/site_server.py` in its own process on 127.0.0.1.
2. Redis: a `redis-server` of its own on a free port of 127.0.0.1, no persistence.
3. For each worker count k: a fresh crawl (`FLUSHDB`), `scrapy push`, then k processes of
   `scrapy crawl news -s CRAWLER_REDIS_URL=… -s CRAWLER_FEED_URI=…` with the politeness waits
   off (AutoThrottle, DOWNLOAD_DELAY) and 8 requests at a time per worker. The clock runs from
   the start of the workers until every article is claimed in Redis (polled every 20 ms: the
   claim is taken as the record passes the pipelines), so the workers' start-up is in it and
   their idle wait before closing is not. The embedded crawl (no Redis, one process, same
   settings) is timed from its start to its exit for comparison.
4. Memory: (a) 200,000 request fingerprints added to a dupefilter set as scrapy-redis stores
   them (40-character SHA1 hex), `used_memory` before and after: bytes per URL, URLs per GB;
   (b) after the largest crawl, the crawl's whole footprint (queue, dupefilter, claims, fetched
   and emitted state, body signatures and their LSH bands) per article.

Prints a markdown table; writes JSON (default bench/results/crawl_workers.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.distributed import redis_client  # noqa: E402
from tests.generated_site import build_site  # noqa: E402

HOST = "depok.pikiran-rakyat.com"
DEFAULT_JSON = ROOT / "bench" / "results" / "crawl_workers.json"
SETTINGS = [
    "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "CRAWLER_MONITOR_ENABLED=0",
    "-s", "TELNETCONSOLE_ENABLED=0", "-s", "CRAWLER_IDLE_CLOSE_SECONDS=2",
]  # fmt: skip
SERVE = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from tests.site_server import serve
with serve(Path(sys.argv[1])) as base:
    print(base, flush=True)
    time.sleep(24 * 3600)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis() -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis_client(url)
    for _ in range(200):
        try:
            client.ping()
            return process, url
        except Exception:
            time.sleep(0.05)
    process.kill()
    sys.exit("redis-server did not start")


def start_site(root: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(root), str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def distributed_run(
    url: str, base: str, workers: int, pages: int, articles: int, work: Path
) -> dict[str, Any]:
    client = redis_client(url)
    client.flushdb()
    feeds = work / f"feeds-{workers}"
    shutil.rmtree(feeds, ignore_errors=True)
    spider_args = ["-a", f"site={HOST}", "-a", f"start_url={base}"]
    subprocess.run(
        [sys.executable, "-m", "scrapy", "push", "news", "--redis", url, *spider_args],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    claims = next(k for k in client.keys("crawler:*:requests")).decode().replace(":requests", ":claims")
    started = time.monotonic()
    crawl = [sys.executable, "-m", "scrapy", "crawl", "news", *spider_args, *SETTINGS]
    crawl += ["-s", f"CRAWLER_REDIS_URL={url}", "-s", f"CRAWLER_FEED_URI={feeds}"]
    processes = [
        subprocess.Popen(
            [*crawl, "-s", f"CRAWLER_WORKER_ID=b{n}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(workers)
    ]
    marks: dict[float, float] = {}
    done = None
    while done is None:
        claimed = int(client.hlen(claims))
        now = time.monotonic() - started
        for share in (0.1, 0.9):
            if share not in marks and claimed >= share * articles:
                marks[share] = now
        if claimed >= articles:
            done = now
        elif time.monotonic() - started > 900 or all(p.poll() is not None for p in processes):
            raise RuntimeError(f"{workers} workers: {claimed} of {articles} articles claimed")
        time.sleep(0.02)
    for process in processes:
        process.wait(timeout=120)
    records = sum(len(f.read_text().splitlines()) for f in feeds.rglob("*.jsonl") if ".tmp" not in f.parts)
    return {
        "workers": workers,
        "articles": records,
        "seconds": round(done, 2),
        "pages_per_s": round(pages / done, 1),
        "articles_per_s": round(records / done, 1),
        "steady_articles_per_s": round(0.8 * articles / (marks[0.9] - marks[0.1]), 1),
        "exact": records == articles,
    }


def embedded_run(base: str, pages: int, articles: int, work: Path) -> dict[str, Any]:
    feeds = work / "feeds-embedded"
    shutil.rmtree(feeds, ignore_errors=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"site={HOST}", "-a", f"start_url={base}",
         *SETTINGS, "-s", f"CRAWLER_FEED_URI={feeds}"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.monotonic() - started
    records = sum(len(f.read_text().splitlines()) for f in feeds.rglob("*.jsonl") if ".tmp" not in f.parts)
    return {
        "workers": "embedded",
        "articles": records,
        "seconds": round(seconds, 2),
        "pages_per_s": round(pages / seconds, 1),
        "articles_per_s": round(records / seconds, 1),
        "exact": records == articles,
    }


def dupefilter_memory(url: str, count: int = 200_000) -> dict[str, Any]:
    client = redis_client(url)
    client.flushdb()
    before = int(client.info("memory")["used_memory"])
    pipe = client.pipeline(transaction=False)
    for n in range(count):
        pipe.sadd("crawler:bench:dupefilter", hashlib.sha1(f"https://example.com/{n}".encode()).hexdigest())
        if n % 10_000 == 9_999:
            pipe.execute()
    pipe.execute()
    after = int(client.info("memory")["used_memory"])
    per_url = (after - before) / count
    client.flushdb()
    return {
        "fingerprints": count,
        "bytes": after - before,
        "bytes_per_url": round(per_url, 1),
        "urls_per_gb": int(2**30 / per_url),
    }


def crawl_footprint(url: str, articles: int) -> dict[str, Any]:
    """Memory of the crawl left in Redis after a run, per article, by key."""
    client = redis_client(url)
    by_key = {
        key.decode().rsplit(":", 1)[1]: int(client.memory_usage(key, samples=0) or 0)
        for key in client.keys("crawler:*")
    }
    total = sum(by_key.values())
    return {
        "articles": articles,
        "bytes_by_key": dict(sorted(by_key.items(), key=lambda kv: -kv[1])),
        "bytes_per_article": round(total / articles, 1),
        "articles_per_gb": int(2**30 / (total / articles)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="articles on the generated site")
    parser.add_argument("--workers", default="1,2,3")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-embedded", action="store_true")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="crawl-workers-") as tmp:
        work = Path(tmp)
        site = build_site(work / "site", args.pages)
        articles = len(site["articles"])
        pages = articles + sum(1 for i in range(articles) if i % 25 == 0)  # with the ?page=2 pages
        redis_process, url = start_redis()
        site_process, base = start_site(work / "site")
        runs: list[dict[str, Any]] = []
        try:
            for _ in range(args.repeat):
                if not args.no_embedded:
                    runs.append(embedded_run(base, pages, articles, work))
                for k in counts:
                    server_cpu = cpu_seconds(site_process.pid)
                    run = distributed_run(url, base, k, pages, articles, work)
                    run["site_server_cpu_s"] = round(cpu_seconds(site_process.pid) - server_cpu, 2)
                    runs.append(run)
                    print(json.dumps(run), file=sys.stderr)
            footprint = crawl_footprint(url, articles)
            memory = dupefilter_memory(url)
            redis_version = redis_client(url).info("server")["redis_version"]
        finally:
            site_process.terminate()
            redis_process.terminate()
            site_process.wait(timeout=10)
            redis_process.wait(timeout=10)
    rows = [
        f"| {r['workers']} | {r['articles']} | {r['seconds']:.1f} | {r['pages_per_s']:.0f} | "
        f"{r['articles_per_s']:.0f} | {r.get('steady_articles_per_s', '')} | {'yes' if r['exact'] else 'NO'} |"
        for r in runs
    ]
    print(f"\n{args.pages} articles ({pages} pages), {os.cpu_count()} CPUs, Redis {redis_version}\n")
    print(
        "| workers | articles emitted | seconds | pages/s | articles/s | steady articles/s (10-90%) | each once |"
    )
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(
        f"\nDupefilter: {memory['bytes_per_url']} bytes per URL ({memory['fingerprints']:,} fingerprints), "
        f"{memory['urls_per_gb']:,} URLs per GB of Redis memory.\n"
        f"Whole crawl in Redis: {footprint['bytes_per_article']} bytes per article "
        f"({footprint['articles_per_gb']:,} articles per GB): {footprint['bytes_by_key']}"
    )
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "redis": redis_version},
        "pages": pages,
        "articles": articles,
        "runs": runs,
        "dupefilter_memory": memory,
        "crawl_footprint": footprint,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
