#!/usr/bin/env python3
"""Extraction benchmark: our `crawler.extract` beside the tools users would pick instead.

    python bench/extraction.py [--rounds N] [--budget S] [--json OUT] [--only corpus|generic] [--per-page]

Tools: ours (profile path), ours on the generic path (corpus only: `registry=ProfileRegistry([])`),
trafilatura, readability-lxml, newspaper4k, goose3, jusText, boilerpy3, resiliparse (adapters and
their settings: bench/peers.py; install with `pip install -r bench/requirements.txt`), and the
floor row "lxml parse (floor)": `lxml.html.fromstring` of the same input alone. A peer that is not
installed, or cannot run on a data set (jusText without a stop list for the language), is
reported as skipped with the reason.

Two tables (markdown):

1. corpus: the Indonesian news corpus (`<shared>/corpus`, see crawler.evaluation.corpus_dir):
   body P/R/F1 (word 4-grams, crawler.evaluation), worst page F1, pages leaking a truth noise
   snippet, the exact-field match rates where a tool gives the field (trafilatura via
   `bare_extraction(with_metadata=True)`, newspaper4k and goose3: title/authors/publish_date,
   readability: short_title; the others: "—"), and timing.
2. generic: the public article-extraction benchmark (`<shared>/bench/article-extraction-benchmark`,
   181 pages, mostly English, with `articleBody` truth): body P/R/F1 and timing.

Then a "targets" section: each speed target, the measured ratio, PASS/MISS.

Timing measures extraction only: the HTML is already in memory (corpus: the page's bytes, as the
spider gets them; generic: the UTF-8-decoded text, as the benchmark's own runners pass it), one
process. Every tool first makes one untimed warm-up pass over all pages (its outputs are the ones
scored), then timed rounds, interleaved across tools (round 1 of every tool, then round 2, ...) so
that a drift of the machine's speed hits all tools alike. Ours and the floor always get `--rounds`
rounds, and so does trafilatura (the targets are stated against it); another peer whose warm-up
pass took longer than `--budget / --rounds` seconds gets fewer (`max(1, budget // warm-up)`,
column "rounds"), to keep a default run near 3 minutes; `--budget 0` gives every tool all rounds. A page's time is the median of its rounds; the table shows the
median and the 95th percentile of those per-page times, pages/s = pages / sum of per-page times,
and the ratio of the tool's total time to ours.

Results go to `--json` (default bench/results/extraction.json). A missing data set is reported and
skipped; the script then exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import json
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# `python bench/extraction.py` puts bench/, not the repository, on sys.path.
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import lxml.etree  # noqa: E402
import lxml.html  # noqa: E402
import peers as peer_tools  # noqa: E402
from report import machine, markdown_table  # noqa: E402

from crawler import extract  # noqa: E402
from crawler.evaluation import (  # noqa: E402
    EXACT_FIELDS,
    PageScore,
    body_scores,
    corpus_dir,
    f1_score,
    generic_bench_dir,
    load_corpus,
    percentile,
    score_page,
    summarise,
)
from crawler.sites.profile import ProfileRegistry  # noqa: E402

# Peers warn per page about things that are not ours to fix (dateutil tz names, bs4 parsers).
warnings.filterwarnings("ignore")

OURS = "ours (crawler.extract)"
OURS_GENERIC = "ours (generic path)"
FLOOR = "lxml parse (floor)"
TRAFILATURA_KEY = "trafilatura"
DEFAULT_JSON = ROOT / "bench" / "results" / "extraction.json"
DEFAULT_BUDGET_S = 6.0
DASH = "—"

FIELD_HEADERS = {
    "title": "title %",
    "published_at": "published_at %",
    "authors": "authors %",
    "editors": "editors %",
    "sources": "sources %",
    "dateline": "dateline %",
}

# Targets (issue "Benchmarks: accuracy and speed side by side with the tools users would pick
# instead"): profile pages >= 3x trafilatura's pages/s and within 3x of the lxml parse floor;
# generic pages no slower than trafilatura.
PROFILE_VS_TRAFILATURA = 3.0
PROFILE_VS_FLOOR = 3.0
GENERIC_VS_TRAFILATURA = 1.0


# --------------------------------------------------------------------------- tools


@dataclass
class Doc:
    """One page to run: its id, the in-memory HTML, its URL and its truth."""

    id: str
    html: bytes | str
    url: str
    truth: dict[str, Any]


@dataclass
class Tool:
    name: str
    run: Callable[[Doc], Any]
    """The timed call."""
    record: Callable[[Doc, Any], dict[str, Any]] | None
    """Turns the timed call's output (plus, if needed, untimed extra calls) into a record; None for
    a timing-only row."""
    fields: frozenset[str] = frozenset()
    """The exact fields this tool gives (the rest are shown as '—')."""
    reference: bool = False
    """Ours, trafilatura and the floor: always timed on all rounds."""
    key: str = ""
    """Peer distribution name ('trafilatura'), '' for ours and the floor."""


@dataclass
class Skipped:
    name: str
    reason: str


_GENERIC_REGISTRY = ProfileRegistry([])


def _ours_run(doc: Doc) -> dict[str, Any]:
    return extract(doc.html, doc.url)


def _ours_generic_run(doc: Doc) -> dict[str, Any]:
    return extract(doc.html, doc.url, registry=_GENERIC_REGISTRY)


def _ours_record(doc: Doc, out: Any) -> dict[str, Any]:
    return out if isinstance(out, dict) else {"body": ""}


def _floor_run(doc: Doc) -> Any:
    try:
        return lxml.html.fromstring(doc.html)
    except ValueError:  # str with an XML encoding declaration: lxml wants bytes then
        return lxml.html.fromstring(doc.html.encode("utf-8") if isinstance(doc.html, str) else doc.html)


def _peer_tools(with_metadata: bool, lang: str | None) -> tuple[list[Tool], list[Skipped]]:
    tools, skipped = [], []
    for peer in peer_tools.peers(with_metadata):
        try:
            run, record = peer.make(lang)
        except ImportError as exc:
            skipped.append(Skipped(peer.name, f"{type(exc).__name__}: {exc}"))
            continue
        except Exception as exc:
            skipped.append(Skipped(peer.name, f"{type(exc).__name__}: {exc}"))
            continue
        tools.append(
            Tool(
                peer.name,
                (lambda doc, run=run: run(doc.html, doc.url)),
                (lambda doc, out, record=record: record(out)),
                peer.fields,
                reference=peer.key == TRAFILATURA_KEY,  # the targets are stated against it
                key=peer.key,
            )
        )
    return tools, skipped


def corpus_tools() -> tuple[list[Tool], list[Skipped]]:
    peers, skipped = _peer_tools(True, "id")
    tools = [
        Tool(OURS, _ours_run, _ours_record, frozenset(EXACT_FIELDS), reference=True),
        Tool(OURS_GENERIC, _ours_generic_run, _ours_record, frozenset(EXACT_FIELDS), reference=True),
        *peers,
        Tool(FLOOR, _floor_run, None, reference=True),
    ]
    return tools, skipped


def generic_tools() -> tuple[list[Tool], list[Skipped]]:
    peers, skipped = _peer_tools(False, None)
    tools = [
        Tool(OURS, _ours_run, _ours_record, reference=True),
        *peers,
        Tool(FLOOR, _floor_run, None, reference=True),
    ]
    return tools, skipped


# --------------------------------------------------------------------------- running


@dataclass
class ToolResult:
    name: str
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    """page id -> exception text, for pages where the tool raised (scored as an empty record)."""
    warmup_s: float = 0.0
    rounds: int = 0
    samples: list[list[float]] = field(default_factory=list)
    """Per page, its timed rounds in milliseconds."""

    @property
    def page_ms(self) -> list[float]:
        """Per page, the median of its timed rounds, in milliseconds."""
        return [statistics.median(s) for s in self.samples if s]

    @property
    def total_ms(self) -> float:
        return sum(self.page_ms)

    def timing(self) -> dict[str, float]:
        page_ms = self.page_ms
        total = sum(page_ms)
        return {
            "rounds": self.rounds,
            "median_ms": statistics.median(page_ms) if page_ms else float("nan"),
            "p95_ms": percentile(page_ms, 95),
            "pages_per_s": len(page_ms) / (total / 1000) if total else float("nan"),
            "total_ms": total,
            "warmup_s": self.warmup_s,
        }


def _call(tool: Tool, doc: Doc, result: ToolResult) -> Any:
    try:
        return tool.run(doc)
    except Exception as exc:
        result.errors[doc.id] = f"{type(exc).__name__}: {exc}"
        return None


def _warm_up(tool: Tool, docs: Sequence[Doc]) -> ToolResult:
    """The untimed pass whose outputs are scored (records are built after the pass, so that
    untimed extra calls do not count in `warmup_s`)."""
    result = ToolResult(tool.name, samples=[[] for _ in docs])
    start = time.perf_counter()
    outs = [_call(tool, doc, result) for doc in docs]
    result.warmup_s = time.perf_counter() - start
    if tool.record is not None:
        for doc, out in zip(docs, outs, strict=True):
            if doc.id in result.errors:
                result.records.append({"body": ""})
                continue
            try:
                result.records.append(tool.record(doc, out))
            except Exception as exc:
                result.errors[doc.id] = f"record: {type(exc).__name__}: {exc}"
                result.records.append({"body": ""})
    return result


def _timed_pass(tool: Tool, docs: Sequence[Doc], result: ToolResult) -> None:
    gc.collect()
    run = tool.run
    for i, doc in enumerate(docs):
        start = time.perf_counter_ns()
        with contextlib.suppress(Exception):  # a failure was already recorded in the warm-up
            run(doc)
        result.samples[i].append((time.perf_counter_ns() - start) / 1e6)


def run_tools(
    tools: Sequence[Tool], docs: Sequence[Doc], rounds: int, budget_s: float, label: str
) -> list[ToolResult]:
    results = []
    for tool in tools:
        result = _warm_up(tool, docs)
        if tool.reference or budget_s <= 0:
            result.rounds = rounds
        else:
            result.rounds = max(1, min(rounds, int(budget_s // max(result.warmup_s, 1e-9))))
        print(
            f"  [{label}] {tool.name}: warm-up {result.warmup_s:.1f} s, {result.rounds} timed round(s)",
            file=sys.stderr,
            flush=True,
        )
        results.append(result)
    for r in range(rounds):
        for tool, result in zip(tools, results, strict=True):
            if r < result.rounds:
                _timed_pass(tool, docs, result)
    return results


# --------------------------------------------------------------------------- formatting


def _f3(x: float) -> str:
    return f"{x:.3f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _ms(x: float) -> str:
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def _timing_cells(result: ToolResult, ours_total: float) -> list[str]:
    t = result.timing()
    ratio = result.total_ms / ours_total if ours_total else float("nan")
    return [
        str(result.rounds),
        _ms(t["median_ms"]),
        _ms(t["p95_ms"]),
        f"{t['pages_per_s']:.0f}",
        f"{ratio:.2f}×",
    ]


TIMING_HEADERS = ["rounds", "median ms/page", "p95 ms/page", "pages/s", "time vs ours"]


def _print_skipped(skipped: Sequence[Skipped]) -> None:
    for s in skipped:
        print(f"\n**Skipped {s.name}**: {s.reason}")


def _print_errors(results: Sequence[ToolResult]) -> None:
    for result in results:
        if result.errors:
            print(f"\n**{result.name} raised on {len(result.errors)} page(s)** (scored as empty):")
            for page_id, err in list(result.errors.items())[:10]:
                print(f"- {page_id}: {_short(' '.join(err.split()), 160)}")


def _short(snippet: str, width: int = 40) -> str:
    return snippet if len(snippet) <= width else snippet[: width - 1] + "…"


# --------------------------------------------------------------------------- corpus


def bench_corpus(directory: Path, rounds: int, budget_s: float, per_page: bool) -> dict[str, Any]:
    pages = load_corpus(directory)
    docs = [Doc(p.id, p.html, p.url, p.truth) for p in pages]
    tools, skipped = corpus_tools()
    results = run_tools(tools, docs, rounds, budget_s, "corpus")
    ours_total = results[0].total_ms

    out: dict[str, Any] = {
        "dir": str(directory),
        "pages": len(docs),
        "tools": {},
        "skipped": {s.name: s.reason for s in skipped},
    }
    rows = []
    scored: dict[str, list[PageScore]] = {}
    for tool, result in zip(tools, results, strict=True):
        entry: dict[str, Any] = {"key": tool.key, "timing": result.timing(), "errors": result.errors}
        if tool.record is None:
            rows.append([tool.name] + [DASH] * (5 + len(EXACT_FIELDS)) + _timing_cells(result, ours_total))
            out["tools"][tool.name] = entry
            continue
        scores = [score_page(doc.truth, rec) for doc, rec in zip(docs, result.records, strict=True)]
        scored[tool.name] = scores
        summary = summarise(scores)
        entry["summary"] = asdict(summary)
        entry["fields"] = sorted(tool.fields)
        entry["pages"] = [
            {
                "id": s.id,
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "leaked": list(s.leaked),
                "failed_fields": [f for f in s.failed_fields() if f in tool.fields],
                "ms": ms,
            }
            for s, ms in zip(scores, result.page_ms, strict=True)
        ]
        out["tools"][tool.name] = entry
        field_cells = [_pct(summary.rate(f)) if f in tool.fields else DASH for f in EXACT_FIELDS]
        rows.append(
            [
                tool.name,
                _f3(summary.precision),
                _f3(summary.recall),
                _f3(summary.f1),
                _f3(summary.min_page_f1),
                f"{summary.leak_pages}/{summary.pages}",
                *field_cells,
                *_timing_cells(result, ours_total),
            ]
        )

    headers = [
        "tool",
        "body P",
        "body R",
        "body F1",
        "min page F1",
        "leak pages",
        *FIELD_HEADERS.values(),
    ]
    print(f"## Indonesian news corpus ({len(docs)} pages, {directory})\n")
    print(markdown_table(headers + TIMING_HEADERS, rows))
    print()
    print(
        "Body: word 4-gram multiset P/R per page, means over pages, F1 of the means (crawler.evaluation). "
        "Fields: exact match rate, for the fields a tool gives (—: it does not). Every corpus page "
        f"matches a site profile: '{OURS}' is the profile path, '{OURS_GENERIC}' the same pages "
        "with no profiles (registry=ProfileRegistry([])). Peers run with language 'id' "
        "(jusText: its 'Indonesian' stop list). trafilatura's date is day-only by default, so it "
        "cannot match a truth that states a time."
    )
    _print_skipped(skipped)
    _print_errors(results)
    if per_page:
        _print_corpus_per_page(docs, scored)
    print()
    return out


def _print_corpus_per_page(docs: Sequence[Doc], scored: dict[str, list[PageScore]]) -> None:
    names = [n for n in scored if n != OURS]
    print("\n### Per page (corpus): body F1\n")
    rows = []
    for i, doc in enumerate(docs):
        rows.append(
            [
                doc.id,
                _f3(scored[OURS][i].f1),
                *(_f3(scored[n][i].f1) for n in names),
                ", ".join(scored[OURS][i].failed_fields()),
            ]
        )
    print(markdown_table(["page", "ours", *names, "ours wrong fields"], rows))
    print("\n### Leaks (corpus)\n")
    for name, scores in scored.items():
        leaked = [(s.id, s.leaked) for s in scores if s.leaked]
        if leaked:
            print(
                f"- {name}: "
                + "; ".join(f"{pid}: {_short(snips[0])}" for pid, snips in leaked[:6])
                + (" …" if len(leaked) > 6 else "")
            )


# --------------------------------------------------------------------------- generic benchmark


def load_generic(directory: Path) -> list[Doc]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    docs = []
    for page_id in sorted(truth):
        path = directory / "html" / f"{page_id}.html.gz"
        with gzip.open(path, "rt", encoding="utf-8") as f:  # as the benchmark's runners read them
            html = f.read()
        url = truth[page_id].get("url") or f"https://example.com/{page_id}"
        docs.append(Doc(page_id, html, url, {"id": page_id, "body": truth[page_id].get("articleBody") or ""}))
    return docs


def bench_generic(directory: Path, rounds: int, budget_s: float, per_page: bool) -> dict[str, Any]:
    docs = load_generic(directory)
    tools, skipped = generic_tools()
    results = run_tools(tools, docs, rounds, budget_s, "generic")
    ours_total = results[0].total_ms

    out: dict[str, Any] = {
        "dir": str(directory),
        "pages": len(docs),
        "tools": {},
        "skipped": {s.name: s.reason for s in skipped},
    }
    rows = []
    f1s: dict[str, list[float]] = {}
    for tool, result in zip(tools, results, strict=True):
        entry: dict[str, Any] = {"key": tool.key, "timing": result.timing(), "errors": result.errors}
        if tool.record is None:
            rows.append([tool.name] + [DASH] * 5 + _timing_cells(result, ours_total))
            out["tools"][tool.name] = entry
            continue
        pr = [
            body_scores(doc.truth["body"], rec.get("body"))
            for doc, rec in zip(docs, result.records, strict=True)
        ]
        page_f1 = [f1_score(p, r) for p, r in pr]
        f1s[tool.name] = page_f1
        precision = statistics.fmean(p for p, _ in pr)
        recall = statistics.fmean(r for _, r in pr)
        empty = sum(1 for rec in result.records if not (rec.get("body") or "").strip())
        entry["summary"] = {
            "pages": len(docs),
            "precision": precision,
            "recall": recall,
            "f1": f1_score(precision, recall),
            "min_page_f1": min(page_f1),
            "empty_bodies": empty,
        }
        entry["pages"] = [
            {"id": doc.id, "precision": p, "recall": r, "f1": f, "ms": ms}
            for doc, (p, r), f, ms in zip(docs, pr, page_f1, result.page_ms, strict=True)
        ]
        out["tools"][tool.name] = entry
        rows.append(
            [
                tool.name,
                _f3(precision),
                _f3(recall),
                _f3(f1_score(precision, recall)),
                _f3(min(page_f1)),
                str(empty),
                *_timing_cells(result, ours_total),
            ]
        )

    print(f"## Generic: article-extraction-benchmark ({len(docs)} pages, {directory})\n")
    print(
        markdown_table(["tool", "body P", "body R", "body F1", "min page F1", "empty bodies", *TIMING_HEADERS], rows)
    )
    print()
    print(
        "Same body measure. Empty bodies count as P=0 (the benchmark's evaluate.py leaves them out of "
        "the precision mean). No page matches a site profile: ours runs its generic path on all of "
        "them. The pages are mostly English, some in other languages: newspaper4k and goose3 take the "
        "language from the page (their default), jusText gets its 'English' stop list."
    )
    _print_skipped(skipped)
    _print_errors(results)
    if per_page:
        names = [n for n in f1s if n != OURS]
        print("\n### Worst 20 pages for ours (generic): body F1\n")
        order = sorted(range(len(docs)), key=lambda i: f1s[OURS][i])[:20]
        print(
            markdown_table(
                ["page", "ours", *names],
                [[docs[i].id[:16], _f3(f1s[OURS][i]), *(_f3(f1s[n][i]) for n in names)] for i in order],
            )
        )
    print()
    return out


# --------------------------------------------------------------------------- targets


def _timing_of(section: dict[str, Any] | None, name: str) -> dict[str, float] | None:
    if not section or name not in section["tools"]:
        return None
    return section["tools"][name]["timing"]


def _traf_name(section: dict[str, Any] | None) -> str | None:
    if not section:
        return None
    return next((n for n, e in section["tools"].items() if e.get("key") == TRAFILATURA_KEY), None)


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each speed target with its measured ratio and verdict (None: not measured this run)."""
    corpus, generic = results.get("corpus"), results.get("generic")
    out: list[dict[str, Any]] = []

    def add(target: str, measured: str, ratio: float | None, ok: bool | None) -> None:
        out.append({"target": target, "measured": measured, "ratio": ratio, "pass": ok})

    ours = _timing_of(corpus, OURS)
    traf = _timing_of(corpus, _traf_name(corpus) or "")
    floor = _timing_of(corpus, FLOOR)
    if ours and traf:
        ratio = ours["pages_per_s"] / traf["pages_per_s"]
        add(
            f"profile pages (corpus): ours >= {PROFILE_VS_TRAFILATURA:g}× trafilatura's pages/s",
            f"{ours['pages_per_s']:.0f} vs {traf['pages_per_s']:.0f} pages/s",
            ratio,
            ratio >= PROFILE_VS_TRAFILATURA,
        )
    if ours and floor:
        ratio = ours["total_ms"] / floor["total_ms"]
        add(
            f"profile pages (corpus): ours within {PROFILE_VS_FLOOR:g}× of the lxml parse floor (time ratio <= {PROFILE_VS_FLOOR:g})",
            f"{ours['pages_per_s']:.0f} vs {floor['pages_per_s']:.0f} pages/s",
            ratio,
            ratio <= PROFILE_VS_FLOOR,
        )
    g_ours = _timing_of(generic, OURS)
    g_traf = _timing_of(generic, _traf_name(generic) or "")
    if g_ours and g_traf:
        ratio = g_ours["pages_per_s"] / g_traf["pages_per_s"]
        add(
            "generic pages (article-extraction-benchmark): ours no slower than trafilatura (pages/s ratio >= 1)",
            f"{g_ours['pages_per_s']:.0f} vs {g_traf['pages_per_s']:.0f} pages/s",
            ratio,
            ratio >= GENERIC_VS_TRAFILATURA,
        )
    c_gen = _timing_of(corpus, OURS_GENERIC)
    if c_gen and traf:
        ratio = c_gen["pages_per_s"] / traf["pages_per_s"]
        add(
            "generic pages (corpus without profiles): ours (generic path) no slower than trafilatura (pages/s ratio >= 1)",
            f"{c_gen['pages_per_s']:.0f} vs {traf['pages_per_s']:.0f} pages/s",
            ratio,
            ratio >= GENERIC_VS_TRAFILATURA,
        )
    return out


def print_targets(results: dict[str, Any]) -> None:
    rows_path = []
    corpus, generic = results.get("corpus"), results.get("generic")
    for label, section, name in (
        ("profile path (corpus, all 31 pages match a profile)", corpus, OURS),
        ("generic path (corpus, registry=ProfileRegistry([]))", corpus, OURS_GENERIC),
        ("generic path (article-extraction-benchmark)", generic, OURS),
    ):
        t = _timing_of(section, name)
        if t:
            floor = _timing_of(section, FLOOR)
            traf = _timing_of(section, _traf_name(section) or "")
            rows_path.append(
                [
                    label,
                    _ms(t["median_ms"]),
                    _ms(t["p95_ms"]),
                    f"{t['pages_per_s']:.0f}",
                    f"{t['pages_per_s'] / traf['pages_per_s']:.2f}×" if traf else DASH,
                    f"{t['total_ms'] / floor['total_ms']:.1f}×" if floor else DASH,
                ]
            )
    if rows_path:
        print("## Our speed by path\n")
        print(
            markdown_table(
                [
                    "ours",
                    "median ms/page",
                    "p95 ms/page",
                    "pages/s",
                    "pages/s vs trafilatura",
                    "time vs lxml floor",
                ],
                rows_path,
            )
        )
        print()
    checks = targets(results)
    results["targets"] = checks
    print("## Targets\n")
    if not checks:
        print("No target could be measured in this run.\n")
        return
    print(
        markdown_table(
            ["target", "measured", "ratio", "verdict"],
            [
                [c["target"], c["measured"], f"{c['ratio']:.2f}", "PASS" if c["pass"] else "MISS"]
                for c in checks
            ],
        )
    )
    print()


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed rounds after the warm-up pass (default 3)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET_S,
        help="seconds of timed rounds a peer may take per data set before it gets fewer rounds "
        f"(default {DEFAULT_BUDGET_S:g}; 0: all rounds for every tool)",
    )
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    parser.add_argument("--only", choices=("corpus", "generic"), help="run one of the two benchmarks")
    parser.add_argument("--per-page", action="store_true", help="also print per-page F1 and leaks")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be >= 1")

    started = time.perf_counter()
    versions = {
        dist: peer_tools.version(dist)
        for dist in (
            "lxml",
            "trafilatura",
            "readability-lxml",
            "newspaper4k",
            "goose3",
            "jusText",
            "boilerpy3",
            "resiliparse",
        )
    }
    results: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions,
        "rounds": args.rounds,
        "budget_s": args.budget,
    }
    m = results["machine"]
    print(
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in versions.items() if v)
        + f"; {args.rounds} round(s), budget {args.budget:g} s; load average {m['loadavg_start'][0]:.2f}.\n"
    )

    if args.only in (None, "corpus"):
        directory = corpus_dir()
        if directory is None:
            print(
                "Corpus not found: expected ../shared/corpus beside the repository "
                "(or $CRAWLER_SHARED_DIR/corpus). Skipping the corpus table.\n"
            )
            results["corpus"] = None
        else:
            results["corpus"] = bench_corpus(directory, args.rounds, args.budget, args.per_page)

    if args.only in (None, "generic"):
        directory = generic_bench_dir()
        if directory is None:
            print(
                "Generic benchmark not found: expected ../shared/bench/article-extraction-benchmark "
                "(ground-truth.json, html/*.html.gz). Skipping the generic table.\n"
            )
            results["generic"] = None
        else:
            results["generic"] = bench_generic(directory, args.rounds, args.budget, args.per_page)

    print_targets(results)
    results["machine"]["loadavg_end"] = os.getloadavg()
    print(
        f"Load average (1 min) at start {m['loadavg_start'][0]:.2f}, at end {m['loadavg_end'][0]:.2f} "
        f"on {m['cores']} cores: above ~0.3 something else was running and the timings are noisier."
    )
    results["wall_s"] = time.perf_counter() - started
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {args.json} ({results['wall_s']:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
