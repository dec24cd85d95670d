"""The benchmarks themselves (`bench/`): each runs end to end on a small input and writes the
results that `bench/README.md` quotes.

No figure is judged here (timings on these machines are noise, and the speed targets are the
benchmarks' own business): what is checked is that a run completes, that both crawls fetch
every page of the generated site, and that the extraction benchmark scores our records exactly
as the corpus tests do. A broken benchmark would otherwise go unnoticed until someone needs its
figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict

import pytest

from crawler import extract
from crawler.evaluation import corpus_dir, load_corpus, score_page, summarise
from tests.test_crawl import REPO


def run_bench(script: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_crawl_benchmark_fetches_every_page_in_both_crawls(tmp_path):
    out = tmp_path / "crawl.json"
    pages = 200
    done = run_bench("crawl.py", "--pages", str(pages), "--json", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    size = results["sizes"][str(pages)]
    assert size["site"]["pages"] == pages
    runs = {run["kind"]: run for run in size["runs"]}
    assert set(runs) == {"ours", "bare"}
    for kind, run in runs.items():
        assert run["returncode"] == 0, kind
        assert run["records"] == pages, kind  # every article page, once
        assert run["peak_rss_mb"] > 0 and run["cpu_s"] > 0, kind
    ours = runs["ours"]["stats"]
    assert ours["crawler/articles/emitted"] == pages
    assert ours.get("crawler/summary/unaccounted", 0) == 0
    # the table and the targets the README quotes are computed from these runs
    median = size["median"]
    assert median["ratio"] == pytest.approx(median["ours"]["rate"] / median["bare"]["rate"])
    (target,) = results["targets"]
    assert target["ratio"] == pytest.approx(median["ratio"])
    assert "| **ours / bare** |" in done.stdout


def test_extraction_benchmark_scores_ours_as_the_corpus_tests_do(tmp_path):
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("shared corpus not found: expected ../shared/corpus beside the repository")
    out = tmp_path / "extraction.json"
    done = run_bench(
        "extraction.py", "--only", "corpus", "--rounds", "1", "--budget", "0.01", "--json", str(out)
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    tools = results["corpus"]["tools"]
    ours = tools["ours (crawler.extract)"]
    floor = tools["lxml parse (floor)"]
    assert ours["errors"] == {} and ours["timing"]["rounds"] == 1 and floor["timing"]["total_ms"] > 0
    assert "trafilatura" in " ".join(tools)  # the reference peer is a core dependency

    pages = load_corpus(corpus)
    expected = summarise([score_page(page.truth, extract(page.html, page.url)) for page in pages])
    assert expected.pages == len(pages)
    assert ours["summary"] == pytest.approx(asdict(expected))  # body and every field's rate
    assert {t["target"].split(":")[0] for t in results["targets"]} == {
        "profile pages (corpus)",
        "generic pages (corpus without profiles)",
    }
