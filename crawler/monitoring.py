"""Run monitoring: checks per site when the spider closes, and a report a person can open.

    scrapy crawl news -a site=depok.pikiran-rakyat.com -s CRAWLER_REPORT_DIR=reports/

`MonitorExtension` (on by default, `CRAWLER_MONITOR_ENABLED`) counts per site what the run
found, turns that into a `RunSummary` when the spider closes, runs the checks below, logs each
failed check at ERROR and counts them in `crawler/monitor/passed` / `crawler/monitor/failed`
(plus one `crawler/monitor/failed/<site>/<check>` key per failure). The project's `crawl`
command (`crawler/commands/crawl.py`) exits 1 when a check failed, so a scheduler notices. A
run stopped by a signal (finish reason `shutdown`) is reported but not judged
(`crawler/monitor/interrupted`): Scrapy's exit status 0 of a graceful stop stays.
With `CRAWLER_REPORT_DIR` set, each run also writes `<spider>-<start>.stats.json` (every stat)
and `<spider>-<start>.html` (per-site counts and coverage, drop reasons, check results, a chart).

The checks, per site (`run_checks`):

* `items`: the run found articles. Articles skipped or dropped because an earlier run already
  emitted them (`crawler/incremental/skipped`, drop reason `already_emitted`) count as found:
  "nothing new since the last run" passes; "no articles at all" fails.
* `coverage/<field>`: share of items with a title, a body of at least 50 words, a
  published_at, authors (`CRAWLER_MONITOR_MIN_COVERAGE`).
* `error_rate`: failed downloads, 5xx responses and callback exceptions per response.
* `fallback_rate`: items whose profile matched the URL but whose selectors found nothing
  (extractor `<profile>@<version>+generic`): the sign that a site changed its layout.
* `drop_rate`: article pages dropped for a reason that means trouble (no story, no title, soft
  404, unparseable, invalid record, missing page, 5xx…) per article page; the expected drops
  (`BENIGN_DROPS`: already emitted, a duplicate URL, out of the since/until window, 404/410 of a
  listed article) do not count.

A rate fails only when the run shows it beyond reasonable doubt: the 95% Wilson interval of the
measured rate (`CRAWLER_MONITOR_CONFIDENCE`) lies wholly on the wrong side of the threshold. Two
articles without a byline are not an alarm (0/2 is compatible with a 50% byline rate); ten
are. `-s CRAWLER_MONITOR_CONFIDENCE=0` compares the measured rates themselves.

Where the per-site numbers come from: the extension sees every response, download, item and
item drop with its URL, so responses, errors, items, coverage, fallbacks, drops by a pipeline and
HTTP drops of article pages are exact per site. The spider counts its other drops
(`crawler/drop/<reason>`) and the incremental skips for the whole run only; `summarize`
gives them to the site they belong to when that is certain (a one-site run, or one site with
unexplained drops) and otherwise keeps them as `unattributed` (see `summarize`).

Spidermon (1.27) was tried and not used: its monitors are unittest cases fixed before the run,
so per-site checks need sub-tests, and its result class silently loses failed sub-tests (the
suite reports OK); its field coverage counts per item type, not per site; it neither puts
results in the stats nor changes the exit code; and it calls the deprecated `Spider.log` on
Scrapy 2.19. The checks here are plain functions over a `RunSummary`, tested in
`tests/test_monitoring.py`.
"""

from __future__ import annotations

import html
import json
import logging
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

#: Fields whose coverage is checked, in report order.
COVERAGE_FIELDS = ("title", "body", "published_at", "authors")
#: A body shorter than this does not count as covered (a teaser, a caption, a cut story).
MIN_BODY_WORDS = 50
#: Drop reasons that are part of a healthy run: the article was emitted before (by an earlier run,
#: or in this run under another URL), is outside the since/until window, or is listed in a
#: sitemap but gone from the site.
BENIGN_DROPS = frozenset({"already_emitted", "duplicate_url", "out_of_window", "http_404", "http_410"})
#: The drop reason of an article an earlier run already emitted ("found, nothing new").
ALREADY_EMITTED = "already_emitted"
#: Articles the incremental crawl did not fetch again (whole run).
SKIPPED_STAT = "crawler/incremental/skipped"
DROP_PREFIX = "crawler/drop/"
UNATTRIBUTED = "unattributed"
PASSED_STAT = "crawler/monitor/passed"
FAILED_STAT = "crawler/monitor/failed"
FAILED_PREFIX = FAILED_STAT + "/"
INTERRUPTED_STAT = "crawler/monitor/interrupted"
#: Finish reasons of a run stopped from outside (a signal), whose checks do not decide its verdict.
INTERRUPTED = frozenset({"shutdown"})
RUN = "*"
"""The `site` of a check about the whole run (a run that knew no site at all)."""


# ---------------------------------------------------------------------------------------------
# What a run found
# ---------------------------------------------------------------------------------------------


@dataclass
class SiteCounters:
    """What one site gave in one run."""

    items: int = 0
    """Items emitted (that passed every pipeline)."""
    covered: Counter[str] = field(default_factory=Counter)
    """Items with a non-empty value per field of `COVERAGE_FIELDS` (body: >= 50 words)."""
    fallback: int = 0
    """Items whose profile found nothing, extracted by the generic path instead."""
    responses: int = 0
    """Final responses (after redirects and retries), robots.txt, sitemaps and feeds included."""
    article_pages: int = 0
    """Responses to article requests (the first page of a story)."""
    errors: int = 0
    """5xx responses and callback exceptions."""
    failed_downloads: int = 0
    """Download attempts that got no response at all (timeouts, refused connections, DNS)."""
    drops: Counter[str] = field(default_factory=Counter)
    """Article pages dropped, per reason (`unattributed`: reason known only for the run)."""
    skipped: int = 0
    """Articles not fetched again because an earlier run emitted them."""

    def add_item(self, item: Mapping[str, Any]) -> None:
        """Count one emitted item (a mapping or ItemAdapter of an `ArticleItem`)."""
        self.items += 1
        for name in COVERAGE_FIELDS:
            if _covered(name, item):
                self.covered[name] += 1
        if str(item.get("extractor") or "").endswith("+generic"):
            self.fallback += 1

    @property
    def found(self) -> int:
        """Articles found: new ones and those an earlier run already emitted."""
        return self.items + self.drops.get(ALREADY_EMITTED, 0) + self.skipped

    def problem_drops(self, unattributed_problems: int = 0) -> int:
        """Drops that mean trouble; of the unattributed ones at most `unattributed_problems`."""
        known = sum(
            n for reason, n in self.drops.items() if reason not in BENIGN_DROPS and reason != UNATTRIBUTED
        )
        return known + min(self.drops.get(UNATTRIBUTED, 0), unattributed_problems)


def _covered(name: str, item: Mapping[str, Any]) -> bool:
    value = item.get(name)
    if name == "body":
        words = item.get("word_count")
        if not isinstance(words, int):
            words = len(str(value or "").split())
        return bool(value) and words >= MIN_BODY_WORDS
    return bool(value)


@dataclass
class RunSummary:
    """Per-site counters of one run, plus what the spider counts for the whole run."""

    sites: dict[str, SiteCounters] = field(default_factory=dict)
    drops: Counter[str] = field(default_factory=Counter)
    """Drops of the whole run per reason (`crawler/drop/<reason>`)."""
    skipped: int = 0
    """Articles skipped by the incremental crawl in the whole run (`crawler/incremental/skipped`)."""
    unattributed: Counter[str] = field(default_factory=Counter)
    """Run drops per reason that no site could be given for certain."""

    @property
    def unattributed_problems(self) -> int:
        return sum(n for reason, n in self.unattributed.items() if reason not in BENIGN_DROPS)

    @property
    def unattributed_found(self) -> int:
        """Articles skipped or dropped as already emitted that no site could be given."""
        return self.unattributed.get(ALREADY_EMITTED, 0) + (self.skipped if len(self.sites) > 1 else 0)


def summarize(observed: Mapping[str, SiteCounters], stats: Mapping[str, Any]) -> RunSummary:
    """Combine the per-site counters the extension observed with the run-wide stats.

    `observed[site].drops` holds the drops seen per site (HTTP errors of article pages, drops by
    pipelines). The spider's other drops (`crawler/drop/<reason>`, minus those) and the
    incremental skips are known for the whole run only. They are given to a site when that is
    certain: in a one-site run, or when one site alone has article pages that are neither an
    item nor a seen drop. Otherwise each site's unexplained pages become `unattributed` drops
    and the reasons stay in `RunSummary.unattributed`.
    """
    run_drops = Counter(
        {
            key.removeprefix(DROP_PREFIX): int(value)
            for key, value in stats.items()
            if key.startswith(DROP_PREFIX)
            and isinstance(value, int)
            and "/" not in key.removeprefix(DROP_PREFIX)
        }
    )
    skipped = int(stats.get(SKIPPED_STAT) or 0)
    sites = {
        host: replace(c, covered=Counter(c.covered), drops=Counter(c.drops)) for host, c in observed.items()
    }
    remaining = Counter(run_drops)
    for counters in sites.values():
        remaining.subtract(counters.drops)
    # what is left: drops the spider counted that no site saw (negatives, drops a site saw that
    # the stats do not have, e.g. a pipeline that counts none, go)
    remaining = +remaining
    unexplained = {host: c.article_pages - c.items - sum(c.drops.values()) for host, c in sites.items()}
    owners = [host for host, n in unexplained.items() if n > 0]
    summary = RunSummary(sites=sites, drops=run_drops, skipped=skipped)
    if len(sites) == 1:
        (only,) = sites.values()
        only.drops.update(remaining)
        only.skipped = skipped
    elif len(owners) == 1:
        sites[owners[0]].drops.update(remaining)
    else:
        for host in owners:
            sites[host].drops[UNATTRIBUTED] = unexplained[host]
        summary.unattributed = remaining
    return summary


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check, for one site (or `*`, the whole run)."""

    name: str
    site: str
    ok: bool
    detail: str


def _default_coverage() -> dict[str, float]:
    return {"title": 0.95, "body": 0.9, "published_at": 0.8, "authors": 0.5}


@dataclass(frozen=True)
class Thresholds:
    """What a run must reach; the defaults are the settings' defaults."""

    min_items: int = 1
    min_coverage: Mapping[str, float] = field(default_factory=_default_coverage)
    max_error_rate: float = 0.1
    max_fallback_rate: float = 0.2
    max_drop_rate: float = 0.5
    confidence: float = 0.95
    """How sure a rate check must be before it fails (0: compare the measured rate itself)."""

    def __post_init__(self) -> None:
        unknown = set(self.min_coverage) - set(COVERAGE_FIELDS)
        if unknown:
            raise ValueError(
                f"coverage of unknown field(s) {sorted(unknown)}; known: {', '.join(COVERAGE_FIELDS)}"
            )
        rates = {
            **self.min_coverage,
            "max_error_rate": self.max_error_rate,
            "max_fallback_rate": self.max_fallback_rate,
            "max_drop_rate": self.max_drop_rate,
        }
        for name, value in rates.items():
            if not 0 <= value <= 1:
                raise ValueError(f"monitor threshold {name} must be a share between 0 and 1, got {value}")
        if not 0 <= self.confidence < 1:
            raise ValueError(f"monitor confidence must be in [0, 1), got {self.confidence}")


def wilson_interval(successes: int, total: int, confidence: float) -> tuple[float, float]:
    """The Wilson score interval of a proportion: where the true rate lies, given the sample.
    Confidence 0 gives the measured rate itself."""
    if total <= 0:
        return 0.0, 1.0
    p = successes / total
    z = NormalDist().inv_cdf(0.5 + confidence / 2) if confidence > 0 else 0.0
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _pct(value: float) -> str:
    return f"{value:.0%}"


def check_items(
    site: str, counters: SiteCounters, thresholds: Thresholds, *, unattributed_found: int = 0
) -> CheckResult:
    """The site gave articles: new ones, or ones an earlier run emitted ("nothing new").

    `unattributed_found`: articles skipped or dropped as already emitted somewhere in a
    several-site run, that no site could be given; they let a site with nothing new pass too."""
    wanted = thresholds.min_items
    if counters.items >= wanted:
        return CheckResult("items", site, True, f"{counters.items} items")
    already = counters.found - counters.items
    nothing_new = "nothing new: " if counters.items == 0 else ""
    if counters.found >= wanted:
        return CheckResult(
            "items", site, True, f"{nothing_new}{counters.items} new items, {already} already emitted"
        )
    if counters.found + unattributed_found >= wanted:
        detail = (
            f"{counters.items} new items; {unattributed_found} already emitted in this run, site not known"
        )
        return CheckResult("items", site, True, nothing_new + detail)
    if counters.found == 0:
        return CheckResult(
            "items", site, False, f"no articles found ({counters.article_pages} article pages fetched)"
        )
    return CheckResult(
        "items", site, False, f"{counters.items} new + {already} already emitted items, fewer than {wanted}"
    )


def check_coverage(site: str, counters: SiteCounters, thresholds: Thresholds) -> list[CheckResult]:
    """Each field of `thresholds.min_coverage` is present in enough of the site's items."""
    results = []
    for name in COVERAGE_FIELDS:
        if name not in thresholds.min_coverage:
            continue
        minimum = thresholds.min_coverage[name]
        check = f"coverage/{name}"
        if counters.items == 0:
            results.append(CheckResult(check, site, True, "no items"))
            continue
        have = counters.covered.get(name, 0)
        _, high = wilson_interval(have, counters.items, thresholds.confidence)
        ok = high >= minimum
        detail = f"{have}/{counters.items} = {_pct(have / counters.items)} (min {_pct(minimum)})"
        if ok and have / counters.items < minimum:
            detail += f"; too few items to tell (could be up to {_pct(high)})"
        results.append(CheckResult(check, site, ok, detail))
    return results


def _max_rate_check(
    name: str, site: str, bad: int, total: int, maximum: float, confidence: float, what: str
) -> CheckResult:
    if total == 0:
        return CheckResult(name, site, True, f"no {what}")
    bad = min(bad, total)  # one page can be counted twice (e.g. not_html, then missing_page)
    low, _ = wilson_interval(bad, total, confidence)
    rate = bad / total
    detail = f"{bad}/{total} {what} = {_pct(rate)} (max {_pct(maximum)})"
    ok = low <= maximum
    if ok and rate > maximum:
        detail += f"; too few {what} to tell (could be as low as {_pct(low)})"
    return CheckResult(name, site, ok, detail)


def check_error_rate(site: str, counters: SiteCounters, thresholds: Thresholds) -> CheckResult:
    """Failed downloads, 5xx responses and callback exceptions, per response or failed download."""
    bad = counters.errors + counters.failed_downloads
    attempts = counters.responses + counters.failed_downloads
    return _max_rate_check(
        "error_rate", site, bad, attempts, thresholds.max_error_rate, thresholds.confidence, "requests"
    )


def check_fallback_rate(site: str, counters: SiteCounters, thresholds: Thresholds) -> CheckResult:
    """Items whose profile found nothing (the generic path stood in): a site's new layout."""
    return _max_rate_check(
        "fallback_rate",
        site,
        counters.fallback,
        counters.items,
        thresholds.max_fallback_rate,
        thresholds.confidence,
        "items",
    )


def check_drop_rate(
    site: str, counters: SiteCounters, thresholds: Thresholds, *, unattributed_problems: int = 0
) -> CheckResult:
    """Article pages dropped for a reason that means trouble, per article page."""
    bad = counters.problem_drops(unattributed_problems)
    return _max_rate_check(
        "drop_rate",
        site,
        bad,
        counters.article_pages,
        thresholds.max_drop_rate,
        thresholds.confidence,
        "article pages",
    )


def run_checks(summary: RunSummary, thresholds: Thresholds) -> list[CheckResult]:
    """Every check for every site, in a stable order (sites sorted)."""
    if not summary.sites:
        already = Counter({ALREADY_EMITTED: summary.drops.get(ALREADY_EMITTED, 0)})
        return [check_items(RUN, SiteCounters(skipped=summary.skipped, drops=already), thresholds)]
    results: list[CheckResult] = []
    for site in sorted(summary.sites):
        counters = summary.sites[site]
        results.append(check_items(site, counters, thresholds, unattributed_found=summary.unattributed_found))
        results.extend(check_coverage(site, counters, thresholds))
        results.append(check_error_rate(site, counters, thresholds))
        results.append(check_fallback_rate(site, counters, thresholds))
        results.append(
            check_drop_rate(site, counters, thresholds, unattributed_problems=summary.unattributed_problems)
        )
    return results


def failure_key(result: CheckResult) -> str:
    return f"{FAILED_PREFIX}{result.site}/{result.name}"


def failures_from_stats(stats: Mapping[str, Any]) -> list[str]:
    """'<check> at <site>' for each failed check recorded in a run's stats, sorted."""
    failed = []
    for key, value in stats.items():
        if key.startswith(FAILED_PREFIX) and value:
            site, _, name = key.removeprefix(FAILED_PREFIX).partition("/")
            failed.append(f"{name} at {site}")
    return sorted(failed)


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def json_safe(value: Any) -> Any:
    """Stats as JSON: datetimes in ISO 8601, containers walked, anything else as its str()."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def report_stem(spider_name: str, start_time: Any) -> str:
    """`<spider>-<start time>` (UTC, 20261125T031500Z): the report files' name without suffix."""
    stamp = start_time.strftime("%Y%m%dT%H%M%SZ") if isinstance(start_time, datetime) else "unknown-start"
    return f"{spider_name}-{stamp}"


_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:0 0 1.5em}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td:first-child{white-space:nowrap}
th{background:#f3f3f3}
.fail{background:#fde2e2}.ok{background:#e6f4e6}
.verdict{font-size:1.3em;font-weight:bold}
"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _cell(value: Any) -> str:
    numeric = isinstance(value, (int, float)) or (
        isinstance(value, str) and value.removesuffix("%").isdigit()
    )
    return f'<td class="n">{_e(value)}</td>' if numeric else f"<td>{_e(value)}</td>"


def _table(
    header: Iterable[str], rows: Iterable[Iterable[Any]], row_classes: Iterable[str] | None = None
) -> str:
    classes = list(row_classes) if row_classes is not None else None
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>"]
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes else ""
        out.append(f"<tr{cls}>" + "".join(_cell(c) for c in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def bar_chart_svg(rows: list[tuple[str, int, int, int]]) -> str:
    """Inline SVG: per site, bars of new items, already emitted and dropped article pages."""
    series = (("new items", "#2e7d32"), ("already emitted", "#90a4ae"), ("dropped", "#c62828"))
    label_w, bar_h, gap, chart_w = 220, 14, 10, 420
    top = 24
    height = top + len(rows) * (3 * bar_h + gap) + 10
    largest = max([1, *(max(r[1:]) for r in rows)])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + chart_w + 60}" height="{height}" '
        'role="img" aria-label="items and drops per site" font-family="sans-serif" font-size="12">'
    ]
    for i, (name, colour) in enumerate(series):
        parts.append(f'<rect x="{label_w + i * 130}" y="4" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + i * 130 + 14}" y="13">{_e(name)}</text>')
    y = top
    for site, *values in rows:
        parts.append(f'<text x="0" y="{y + bar_h * 2 - 3}">{_e(site)}</text>')
        for (_name, colour), value in zip(series, values, strict=True):
            width = round(chart_w * value / largest)
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{width}" height="{bar_h - 2}" fill="{colour}"/>'
            )
            parts.append(f'<text x="{label_w + width + 4}" y="{y + bar_h - 4}">{value}</text>')
            y += bar_h
        y += gap
    parts.append("</svg>")
    return "\n".join(parts)


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if isinstance(value, datetime) else str(value or "")


def render_html(title: str, summary: RunSummary, results: list[CheckResult], stats: Mapping[str, Any]) -> str:
    """A self-contained page (no external assets): verdict, per-site table, chart, drop
    reasons, every check."""
    failed = [r for r in results if not r.ok]
    verdict = (
        f"{len(failed)} of {len(results)} checks failed" if failed else f"all {len(results)} checks passed"
    )
    if stats.get("finish_reason") in INTERRUPTED:
        verdict = f"run interrupted, checks not applied ({len(results) - len(failed)} of {len(results)} met)"
    site_rows, chart_rows = [], []
    for site in sorted(summary.sites):
        c = summary.sites[site]
        coverage = [_pct(c.covered.get(f, 0) / c.items) if c.items else "–" for f in COVERAGE_FIELDS]
        dropped = sum(n for reason, n in c.drops.items() if reason != ALREADY_EMITTED)
        already = c.found - c.items
        errors = c.errors + c.failed_downloads
        site_rows.append(
            [site, c.responses, c.article_pages, c.items, already, *coverage, c.fallback, dropped, errors]
        )
        chart_rows.append((site, c.items, already, dropped))
    per_site_drops = [
        [site, reason, n]
        for site in sorted(summary.sites)
        for reason, n in sorted(summary.sites[site].drops.items())
    ]
    run_facts = [
        ["finish reason", stats.get("finish_reason", "")],
        ["start", _when(stats.get("start_time"))],
        ["elapsed (s)", round(float(stats.get("elapsed_time_seconds") or 0), 1)],
        ["items emitted", stats.get("item_scraped_count", 0)],
        ["skipped as already emitted", summary.skipped],
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{_e(title)}</title>",
            f"<style>{_STYLE}</style></head><body>",
            f"<h1>{_e(title)}</h1>",
            f'<p class="verdict {"fail" if failed else "ok"}">{_e(verdict)}</p>',
            _table(["run", ""], run_facts),
            "<h2>Sites</h2>",
            _table(
                [
                    "site",
                    "responses",
                    "article pages",
                    "new items",
                    "already emitted",
                    *(f"{f} coverage" for f in COVERAGE_FIELDS),
                    "fallback",
                    "dropped",
                    "errors",
                ],
                site_rows,
            ),
            bar_chart_svg(chart_rows),
            "<h2>Drop reasons</h2>",
            _table(["site", "reason", "pages"], per_site_drops) if per_site_drops else "<p>No drops.</p>",
            _table(["whole run", "pages"], sorted(summary.drops.items())) if summary.drops else "",
            "<h2>Checks</h2>",
            _table(
                ["site", "check", "result", "detail"],
                [[r.site, r.name, "ok" if r.ok else "FAILED", r.detail] for r in results],
                ["ok" if r.ok else "fail" for r in results],
            ),
            "</body></html>",
            "",
        ]
    )


def write_report(
    directory: Path,
    stem: str,
    title: str,
    summary: RunSummary,
    results: list[CheckResult],
    stats: Mapping[str, Any],
) -> tuple[Path, Path]:
    """Write `<stem>.stats.json` and `<stem>.html` into `directory`; return both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{stem}.stats.json"
    html_path = directory / f"{stem}.html"
    json_path.write_text(
        json.dumps(json_safe(stats), indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    html_path.write_text(render_html(title, summary, results, stats), encoding="utf-8")
    return json_path, html_path


# ---------------------------------------------------------------------------------------------
# The Scrapy side
# ---------------------------------------------------------------------------------------------


class MonitorExtension:
    """Counts what each site gave, checks it when the spider closes, writes the report.

    Settings (defaults: the class constants):
    `CRAWLER_MONITOR_ENABLED`, `CRAWLER_MONITOR_SPIDERS` (the spiders whose runs are checked:
    those that yield articles; not `scrapy fetch`/`shell`'s default spider or a test's),
    `CRAWLER_MONITOR_MIN_ITEMS`, `CRAWLER_MONITOR_MIN_COVERAGE` (a dict
    merged over the default one, e.g. `-s 'CRAWLER_MONITOR_MIN_COVERAGE={"authors": 0}'`),
    `CRAWLER_MONITOR_MAX_ERROR_RATE`, `CRAWLER_MONITOR_MAX_FALLBACK_RATE`,
    `CRAWLER_MONITOR_MAX_DROP_RATE`, `CRAWLER_MONITOR_CONFIDENCE`, `CRAWLER_REPORT_DIR` (empty:
    no report files; the checks still run).

    A request's site is the spider's target it was sent to (the news spider's `targets`, which
    maps a mirror such as 127.0.0.1:8000 to the site it stands for), else its URL's host.
    """

    ENABLED = True
    SPIDERS = ("news",)
    DEFAULTS = Thresholds()
    REPORT_DIR = ""

    def __init__(self, crawler: Crawler, thresholds: Thresholds, report_dir: Path | None) -> None:
        self.crawler = crawler
        self.thresholds = thresholds
        self.report_dir = report_dir
        self.sites: dict[str, SiteCounters] = {}
        self._hosts: dict[str, str] = {}
        self._downloads: Counter[str] = Counter()
        self._downloaded: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MonitorExtension:
        settings = crawler.settings
        if not settings.getbool("CRAWLER_MONITOR_ENABLED", cls.ENABLED):
            raise NotConfigured
        spider_name = getattr(crawler.spidercls, "name", None)
        if spider_name not in settings.getlist("CRAWLER_MONITOR_SPIDERS", list(cls.SPIDERS)):
            raise NotConfigured  # (no message: Scrapy would log a warning on every such run)
        d = cls.DEFAULTS
        thresholds = Thresholds(
            min_items=settings.getint("CRAWLER_MONITOR_MIN_ITEMS", d.min_items),
            min_coverage={**d.min_coverage, **settings.getdict("CRAWLER_MONITOR_MIN_COVERAGE")},
            max_error_rate=settings.getfloat("CRAWLER_MONITOR_MAX_ERROR_RATE", d.max_error_rate),
            max_fallback_rate=settings.getfloat("CRAWLER_MONITOR_MAX_FALLBACK_RATE", d.max_fallback_rate),
            max_drop_rate=settings.getfloat("CRAWLER_MONITOR_MAX_DROP_RATE", d.max_drop_rate),
            confidence=settings.getfloat("CRAWLER_MONITOR_CONFIDENCE", d.confidence),
        )
        report_dir = settings.get("CRAWLER_REPORT_DIR", cls.REPORT_DIR)
        ext = cls(crawler, thresholds, Path(report_dir).expanduser() if report_dir else None)
        connect = crawler.signals.connect
        connect(ext.spider_opened, signal=signals.spider_opened)
        connect(ext.request_left_downloader, signal=signals.request_left_downloader)
        connect(ext.response_downloaded, signal=signals.response_downloaded)
        connect(ext.response_received, signal=signals.response_received)
        connect(ext.spider_error, signal=signals.spider_error)
        connect(ext.item_scraped, signal=signals.item_scraped)
        connect(ext.item_dropped, signal=signals.item_dropped)
        connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    # -- where a request belongs ------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        for target in getattr(spider, "targets", ()):
            host = getattr(target, "host", None)
            if not host:
                continue
            self.sites.setdefault(host, SiteCounters())
            self._hosts[host] = host
            base = urlsplit(getattr(target, "base", "") or "").netloc
            if base:
                self._hosts.setdefault(base, host)

    def _site(self, request: Request, fallback: str | None = None) -> str:
        first_url = (request.meta.get("redirect_urls") or [request.url])[0]
        netloc = urlsplit(first_url).netloc
        host = urlsplit(first_url).hostname or ""
        site = self._hosts.get(netloc) or self._hosts.get(host) or fallback or host.removeprefix("www.")
        return site or RUN

    def _counters(self, site: str) -> SiteCounters:
        return self.sites.setdefault(site, SiteCounters())

    # -- counting ---------------------------------------------------------------------------

    def request_left_downloader(self, request: Request) -> None:
        self._downloads[self._site(request)] += 1

    def response_downloaded(self, request: Request) -> None:
        self._downloaded[self._site(request)] += 1

    def response_received(self, response: Response, request: Request) -> None:
        counters = self._counters(self._site(request))
        counters.responses += 1
        if response.status >= 500:
            counters.errors += 1
        if request.meta.get("crawler_article"):
            counters.article_pages += 1
            if response.status >= 400:  # the spider drops these as http_<status>
                counters.drops[f"http_{response.status}"] += 1

    def spider_error(self, failure: Failure, response: Response) -> None:
        self._counters(self._site(response.request)).errors += 1  # type: ignore[arg-type]

    def item_scraped(self, item: Any, response: Response) -> None:
        adapter = ItemAdapter(item)
        self._counters(self._item_site(adapter, response)).add_item(adapter)

    def item_dropped(self, item: Any, response: Response, exception: BaseException) -> None:
        site = self._item_site(ItemAdapter(item), response)
        self._counters(site).drops[drop_reason(exception)] += 1

    def _item_site(self, adapter: ItemAdapter, response: Response | None) -> str:
        fallback = adapter.get("site")
        if response is None or response.request is None:
            return fallback or RUN
        return self._site(response.request, fallback)

    # -- the verdict ------------------------------------------------------------------------

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        observed = {site: replace(c) for site, c in self.sites.items()}
        for site in set(self._downloads) | set(self._downloaded):
            failed = self._downloads[site] - self._downloaded[site]  # attempts without a response
            if failed > 0:
                observed[site] = replace(observed.get(site) or SiteCounters(), failed_downloads=failed)
        summary = summarize(observed, stats.get_stats())
        results = run_checks(summary, self.thresholds)
        failed_results = [r for r in results if not r.ok]
        passed = len(results) - len(failed_results)
        if reason in INTERRUPTED:
            # Stopped by a signal (Ctrl-C, systemd stop): a part of a run says nothing of the site,
            # and Scrapy's exit status of a graceful stop stays 0.
            stats.set_value(INTERRUPTED_STAT, 1)
            for result in failed_results:
                logger.warning(
                    "monitor check not met (run interrupted): %s at %s: %s",
                    result.name,
                    result.site,
                    result.detail,
                )
            logger.warning(
                "monitor: run interrupted (%s), checks not applied: %d of %d met",
                reason,
                passed,
                len(results),
            )
        else:
            for result in failed_results:
                logger.error("monitor check failed: %s at %s: %s", result.name, result.site, result.detail)
                stats.set_value(failure_key(result), 1)
            stats.set_value(PASSED_STAT, passed)
            stats.set_value(FAILED_STAT, len(failed_results))
            logger.info("monitor: %d of %d checks passed", passed, len(results))
        if self.report_dir is not None:
            stem = report_stem(spider.name, stats.get_value("start_time"))
            try:
                json_path, html_path = write_report(
                    self.report_dir, stem, f"{spider.name} run {stem}", summary, results, stats.get_stats()
                )
            except OSError as exc:  # the checks ran and are in the stats; the report is extra
                logger.error("could not write the run report to %s: %s", self.report_dir, exc)
                stats.inc_value("crawler/monitor/report_failed")
            else:
                logger.info("run report: %s (stats: %s)", html_path, json_path)


def drop_reason(exception: BaseException) -> str:
    """The reason of a DropItem: its message up to a colon, as a stats-key word
    (`DropItem("already emitted: https://…")` -> `already_emitted`)."""
    text = str(exception).split(":", 1)[0].strip().lower()
    return "_".join(text.split()) or type(exception).__name__
