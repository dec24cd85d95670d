"""Deploying to scrapyd: a real scrapyd on 127.0.0.1 (a free port, everything in a temporary
directory), the project deployed with `scrapyd-deploy` through the `[deploy]` target of
scrapy.cfg (pointed at that port), and a `news` job scheduled against a fixture site: its feed
must hold the site's articles, and the monitor's report must be written.

What scrapyd (1.5, 1.6) accepts: `setting=NAME=VALUE` (repeated) becomes `-s NAME=VALUE` of the
job, and any other field a spider argument (`-a`). A feed is `setting=FEEDS=<JSON dict>`; but
when scrapyd.conf sets `items_dir`, scrapyd's own FEEDS (items_dir/project/spider/job.jl)
replaces it, so this scrapyd leaves `items_dir` empty.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site_server import serve

REPO = Path(__file__).resolve().parent.parent
SITES = REPO / "tests" / "fixtures" / "site"
PR_HOST = "depok.pikiran-rakyat.com"
# what the egg is built from (what a checkout holds, without tests and caches)
PROJECT_FILES = ("crawler", "pyproject.toml", "setup.py", "scrapy.cfg", "requirements.txt", "README.md")

pytest.importorskip("scrapyd", reason="scrapyd is not installed (pip install -r requirements-dev.txt)")
pytest.importorskip(
    "scrapyd_client", reason="scrapyd-client is not installed (pip install -r requirements-dev.txt)"
)
pytest.importorskip("pkg_resources", reason="scrapyd needs pkg_resources (setuptools < 81) to run eggs")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def post_json(url: str, fields: list[tuple[str, str]]) -> dict:
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(url, data=data, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def scrapyd_url(tmp_path: Path) -> Iterator[str]:
    """A scrapyd on 127.0.0.1:<free port>, its eggs, logs and databases under tmp_path."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        "items_dir =\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "max_proc = 1\n"
        "poll_interval = 0.2\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    log = (home / "scrapyd.out").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapyd", "--pidfile", str(home / "scrapyd.pid")],
        cwd=home,  # scrapyd reads ./scrapyd.conf; no scrapy.cfg above it
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its jobs too are stopped with it, by process group
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if get_json(url + "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("scrapyd did not start:\n" + (home / "scrapyd.out").read_text()[-3000:])
            time.sleep(0.2)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        log.close()


def copy_project(project: Path) -> Path:
    """The project's files in `project`: scrapyd-deploy writes build/ and *.egg-info beside
    setup.py, which the checkout is kept free of."""
    project.mkdir()
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / name)
    return project


def deploy(tmp_path: Path, scrapyd_url: str) -> str:
    """`scrapyd-deploy` from a copy of the project whose scrapy.cfg target is this scrapyd.
    Returns the deployed version."""
    project = copy_project(tmp_path / "project")
    config = configparser.ConfigParser()
    config.read(project / "scrapy.cfg")
    assert config["deploy"]["project"] == "crawler"
    config["deploy"]["url"] = scrapyd_url
    with (project / "scrapy.cfg").open("w") as file:
        config.write(file)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    result = subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", "--version", "r1"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == "ok" and answer["spiders"] == 1, answer
    return "r1"


def test_egg_holds_the_schema_and_the_site_profiles(tmp_path):
    project = copy_project(tmp_path / "project")
    egg = tmp_path / "crawler.egg"
    result = subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", "--build-egg", str(egg)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    names = set(zipfile.ZipFile(egg).namelist())
    assert "crawler/schema/article.v1.schema.json" in names
    profiles = {Path(n).stem for n in names if n.startswith("crawler/sites/profiles/") and n.endswith(".py")}
    shipped = {p.stem for p in (REPO / "crawler" / "sites" / "profiles").glob("*.py")}
    assert shipped <= profiles
    entry_points = zipfile.ZipFile(egg).read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]" in entry_points and "settings = crawler.settings" in entry_points


def test_a_scheduled_job_writes_the_feed(tmp_path, scrapyd_url):
    version = deploy(tmp_path, scrapyd_url)
    assert get_json(scrapyd_url + "listspiders.json?project=crawler")["spiders"] == ["news"]
    feed, reports = tmp_path / "out" / "feed.jsonl", tmp_path / "out" / "reports"
    with serve(SITES / "pikiran-rakyat") as site_url:
        answer = post_json(
            scrapyd_url + "schedule.json",
            [
                ("project", "crawler"),
                ("spider", "news"),
                ("_version", version),
                ("site", PR_HOST),
                ("start_url", site_url),
                ("setting", "AUTOTHROTTLE_ENABLED=0"),
                ("setting", "DOWNLOAD_DELAY=0"),
                ("setting", "RETRY_TIMES=0"),
                ("setting", "FEEDS=" + json.dumps({str(feed): {"format": "jsonlines"}})),
                ("setting", f"CRAWLER_REPORT_DIR={reports}"),
            ],
        )
        assert answer["status"] == "ok", answer
        job = answer["jobid"]
        deadline = time.monotonic() + 60
        while True:
            jobs = get_json(scrapyd_url + "listjobs.json?project=crawler")
            if any(j["id"] == job for j in jobs["finished"]):
                break
            assert time.monotonic() < deadline, f"job {job} did not finish in 60 s: {jobs}"
            time.sleep(0.3)
    log = next((tmp_path / "scrapyd" / "logs").rglob(f"{job}.log")).read_text(encoding="utf-8")
    assert feed.exists(), log[-3000:]
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["canonical_url"] for r in records) == [
        f"https://{PR_HOST}/depok/pr-0931002/pemkot-depok-resmikan-taman-baru-di-sawangan",
        f"https://{PR_HOST}/nasional/pr-0931001/banjir-bandang-terjang-tiga-kecamatan-di-depok",
    ]
    assert all(r["extractor"].startswith("pikiran-rakyat@") for r in records)
    assert "monitor: 8 of 8 checks passed" in log
    assert list(reports.glob("news-*.html")) and list(reports.glob("news-*.stats.json"))
