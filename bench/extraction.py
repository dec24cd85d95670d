#!/usr/bin/env python3
"""Extraction benchmark: our `crawler.extract` vs trafilatura, quality and speed.

    python bench/extraction.py [--rounds N] [--json OUT] [--only corpus|generic] [--per-page]

Two tables (markdown):

1. corpus: the Indonesian news corpus (`<shared>/corpus`, see crawler.evaluation.corpus_dir):
   body P/R/F1 (word 4-grams, crawler.evaluation), worst page F1, pages leaking a truth noise
   snippet, the exact-field match rates, and timing. trafilatura's body is
   `trafilatura.extract(html, url=url, include_comments=False)`; its title/date/author come from
   `trafilatura.bare_extraction(..., with_metadata=True)` (untimed; it has no editors, sources or
   dateline: shown as "—").
2. generic: the public article-extraction benchmark (`<shared>/bench/article-extraction-benchmark`,
   181 English pages with `articleBody` truth): body P/R/F1 and timing.

Timing measures extraction only: the HTML is already in memory (corpus: the page's bytes, as the
spider gets them; generic: the UTF-8-decoded text, as the benchmark's own runners pass it). Every
tool first makes one untimed warm-up pass over all pages (its outputs are the ones scored), then
`--rounds` timed rounds. A page's time is the median of its rounds; the table shows the median and
the 95th percentile of those per-page times, pages/s = pages / sum of per-page times, and the ratio
of the tool's total time to ours. The "lxml parse (floor)" row times `lxml.html.fromstring` alone:
no extractor that parses with lxml can be faster.

Results go to `--json` (default bench/results/extraction.json). A missing data set is reported and
skipped; the script then exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# `python bench/extraction.py` puts bench/, not the repository, on sys.path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import lxml.html
import trafilatura

from crawler import extract
from crawler.evaluation import (
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

OURS = "ours (crawler.extract)"
TRAFILATURA = f"trafilatura {trafilatura.__version__}"
FLOOR = "lxml parse (floor)"
DEFAULT_JSON = ROOT / "bench" / "results" / "extraction.json"
DASH = "—"

FIELD_HEADERS = {
    "title": "title %",
    "published_at": "published_at %",
    "authors": "authors %",
    "editors": "editors %",
    "sources": "sources %",
    "dateline": "dateline %",
}


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


def _ours_run(doc: Doc) -> dict[str, Any]:
    return extract(doc.html, doc.url)


def _traf_run(doc: Doc) -> str | None:
    return trafilatura.extract(doc.html, url=doc.url, include_comments=False)


def _traf_record_body_only(doc: Doc, body: str | None) -> dict[str, Any]:
    return {"body": body or ""}


def _split_authors(author: str | None) -> list[str]:
    return [name.strip() for name in (author or "").split(";") if name.strip()]


def _traf_record_with_metadata(doc: Doc, body: str | None) -> dict[str, Any]:
    meta = trafilatura.bare_extraction(
        doc.html, url=doc.url, with_metadata=True, include_comments=False
    )
    meta = meta.as_dict() if hasattr(meta, "as_dict") else (meta or {})
    return {
        "body": body or "",
        "title": meta.get("title"),
        "authors": _split_authors(meta.get("author")),
        "published_at": meta.get("date"),
    }


def _floor_run(doc: Doc) -> Any:
    try:
        return lxml.html.fromstring(doc.html)
    except ValueError:  # str with an XML encoding declaration: lxml wants bytes then
        return lxml.html.fromstring(
            doc.html.encode("utf-8") if isinstance(doc.html, str) else doc.html
        )


def _ours_record(doc: Doc, out: Any) -> dict[str, Any]:
    return out if isinstance(out, dict) else {"body": ""}


def corpus_tools() -> list[Tool]:
    return [
        Tool(OURS, _ours_run, _ours_record, frozenset(EXACT_FIELDS)),
        Tool(
            TRAFILATURA,
            _traf_run,
            _traf_record_with_metadata,
            frozenset({"title", "published_at", "authors"}),
        ),
        Tool(FLOOR, _floor_run, None),
    ]


def generic_tools() -> list[Tool]:
    return [
        Tool(OURS, _ours_run, _ours_record),
        Tool(TRAFILATURA, _traf_run, _traf_record_body_only),
        Tool(FLOOR, _floor_run, None),
    ]


# --------------------------------------------------------------------------- running


@dataclass
class ToolResult:
    name: str
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    """page id -> exception text, for pages where the tool raised (scored as an empty record)."""
    page_ms: list[float] = field(default_factory=list)
    """Per page, the median of its timed rounds, in milliseconds."""

    @property
    def total_ms(self) -> float:
        return sum(self.page_ms)

    def timing(self) -> dict[str, float]:
        total = self.total_ms
        return {
            "median_ms": statistics.median(self.page_ms) if self.page_ms else float("nan"),
            "p95_ms": percentile(self.page_ms, 95),
            "pages_per_s": len(self.page_ms) / (total / 1000) if total else float("nan"),
            "total_ms": total,
        }


def _call(tool: Tool, doc: Doc, result: ToolResult) -> Any:
    try:
        return tool.run(doc)
    except Exception as exc:  # noqa: BLE001 - a crash on one page must not hide the others' numbers
        result.errors[doc.id] = f"{type(exc).__name__}: {exc}"
        return None


def run_tool(tool: Tool, docs: Sequence[Doc], rounds: int) -> ToolResult:
    result = ToolResult(tool.name)
    # Warm-up pass, untimed; its outputs are what gets scored.
    for doc in docs:
        out = _call(tool, doc, result)
        if tool.record is not None:
            if doc.id in result.errors:
                result.records.append({"body": ""})
            else:
                result.records.append(tool.record(doc, out))
    samples: list[list[float]] = [[] for _ in docs]
    for _ in range(rounds):
        gc.collect()
        for i, doc in enumerate(docs):
            start = time.perf_counter_ns()
            with contextlib.suppress(Exception):  # a failure was already recorded in the warm-up
                tool.run(doc)
            samples[i].append((time.perf_counter_ns() - start) / 1e6)
    result.page_ms = [statistics.median(s) for s in samples]
    return result


# --------------------------------------------------------------------------- formatting


def _f3(x: float) -> str:
    return f"{x:.3f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _ms(x: float) -> str:
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _timing_cells(result: ToolResult, ours_total: float) -> list[str]:
    t = result.timing()
    ratio = result.total_ms / ours_total if ours_total else float("nan")
    return [_ms(t["median_ms"]), _ms(t["p95_ms"]), f"{t['pages_per_s']:.0f}", f"{ratio:.2f}×"]


TIMING_HEADERS = ["median ms/page", "p95 ms/page", "pages/s", "time vs ours"]


# --------------------------------------------------------------------------- corpus


def bench_corpus(directory: Path, rounds: int, per_page: bool) -> dict[str, Any]:
    pages = load_corpus(directory)
    docs = [Doc(p.id, p.html, p.url, p.truth) for p in pages]
    tools = corpus_tools()
    results = [run_tool(tool, docs, rounds) for tool in tools]
    ours_total = results[0].total_ms

    out: dict[str, Any] = {"dir": str(directory), "pages": len(docs), "tools": {}}
    rows = []
    scored: dict[str, list[PageScore]] = {}
    for tool, result in zip(tools, results, strict=True):
        entry: dict[str, Any] = {"timing": result.timing(), "errors": result.errors}
        if tool.record is None:
            rows.append(
                [tool.name] + [DASH] * (5 + len(EXACT_FIELDS)) + _timing_cells(result, ours_total)
            )
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
    print(_table(headers + TIMING_HEADERS, rows))
    print()
    print(
        "Body: word 4-gram multiset P/R per page, means over pages, F1 of the means (crawler.evaluation). "
        "Fields: exact match rate. trafilatura metadata from bare_extraction(with_metadata=True); "
        "its date is day-only by default, so it cannot match a truth that states a time."
    )
    _print_errors(results)
    if per_page:
        _print_corpus_per_page(docs, scored)
    print()
    return out


def _short(snippet: str, width: int = 40) -> str:
    return snippet if len(snippet) <= width else snippet[: width - 1] + "…"


def _print_corpus_per_page(docs: Sequence[Doc], scored: dict[str, list[PageScore]]) -> None:
    ours, traf = scored[OURS], scored[TRAFILATURA]
    print("\n### Per page (corpus)\n")
    rows = []
    for doc, o, t in zip(docs, ours, traf, strict=True):
        rows.append(
            [
                doc.id,
                _f3(o.f1),
                _f3(t.f1),
                "; ".join(_short(s) for s in o.leaked) or "",
                "; ".join(_short(s) for s in t.leaked) or "",
                ", ".join(o.failed_fields()),
            ]
        )
    print(
        _table(
            ["page", "ours F1", "traf F1", "ours leaks", "traf leaks", "ours wrong fields"], rows
        )
    )


def _print_errors(results: Sequence[ToolResult]) -> None:
    for result in results:
        if result.errors:
            print(f"\n**{result.name} raised on {len(result.errors)} page(s)** (scored as empty):")
            for page_id, err in list(result.errors.items())[:10]:
                print(f"- {page_id}: {_short(err, 160)}")


# --------------------------------------------------------------------------- generic benchmark


def load_generic(directory: Path) -> list[Doc]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    docs = []
    for page_id in sorted(truth):
        path = directory / "html" / f"{page_id}.html.gz"
        with gzip.open(path, "rt", encoding="utf-8") as f:  # as the benchmark's runners read them
            html = f.read()
        url = truth[page_id].get("url") or f"https://example.com/{page_id}"
        docs.append(
            Doc(
                page_id, html, url, {"id": page_id, "body": truth[page_id].get("articleBody") or ""}
            )
        )
    return docs


def bench_generic(directory: Path, rounds: int, per_page: bool) -> dict[str, Any]:
    docs = load_generic(directory)
    tools = generic_tools()
    results = [run_tool(tool, docs, rounds) for tool in tools]
    ours_total = results[0].total_ms

    out: dict[str, Any] = {"dir": str(directory), "pages": len(docs), "tools": {}}
    rows = []
    f1s: dict[str, list[float]] = {}
    for tool, result in zip(tools, results, strict=True):
        entry: dict[str, Any] = {"timing": result.timing(), "errors": result.errors}
        if tool.record is None:
            rows.append([tool.name] + [DASH] * 4 + _timing_cells(result, ours_total))
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
                *_timing_cells(result, ours_total),
            ]
        )

    print(f"## Generic: article-extraction-benchmark ({len(docs)} pages, {directory})\n")
    print(_table(["tool", "body P", "body R", "body F1", "min page F1", *TIMING_HEADERS], rows))
    print()
    empties = {
        name: e["summary"]["empty_bodies"] for name, e in out["tools"].items() if "summary" in e
    }
    print(
        "Same body measure. Empty bodies count as P=0 (the benchmark's evaluate.py leaves them out of "
        f"the precision mean). Empty bodies: {', '.join(f'{k}: {v}' for k, v in empties.items())}."
    )
    _print_errors(results)
    if per_page:
        print("\n### Worst 20 pages for ours (generic)\n")
        order = sorted(range(len(docs)), key=lambda i: f1s[OURS][i])[:20]
        print(
            _table(
                ["page", "ours F1", "traf F1"],
                [[docs[i].id[:16], _f3(f1s[OURS][i]), _f3(f1s[TRAFILATURA][i])] for i in order],
            )
        )
    print()
    return out


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed rounds after the warm-up pass (default 3)"
    )
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    parser.add_argument(
        "--only", choices=("corpus", "generic"), help="run one of the two benchmarks"
    )
    parser.add_argument("--per-page", action="store_true", help="also print per-page F1 and leaks")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be >= 1")

    started = time.perf_counter()
    results: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "trafilatura": trafilatura.__version__,
        "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)),
        "rounds": args.rounds,
    }

    if args.only in (None, "corpus"):
        directory = corpus_dir()
        if directory is None:
            print(
                "Corpus not found: expected ../shared/corpus beside the repository "
                "(or $CRAWLER_SHARED_DIR/corpus). Skipping the corpus table.\n"
            )
            results["corpus"] = None
        else:
            results["corpus"] = bench_corpus(directory, args.rounds, args.per_page)

    if args.only in (None, "generic"):
        directory = generic_bench_dir()
        if directory is None:
            print(
                "Generic benchmark not found: expected ../shared/bench/article-extraction-benchmark "
                "(ground-truth.json, html/*.html.gz). Skipping the generic table.\n"
            )
            results["generic"] = None
        else:
            results["generic"] = bench_generic(directory, args.rounds, args.per_page)

    results["wall_s"] = time.perf_counter() - started
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {args.json} ({results['wall_s']:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
