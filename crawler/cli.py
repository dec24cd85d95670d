"""The command line: `python -m crawler extract | golden | fixture | profiles`.

    extract   saved pages -> one JSON record per page (JSON Lines), what the spider would yield
    golden    write, or check, the reviewed expected record beside each fixture page
    fixture   copy a page of a recorded crawl (-s CRAWLER_RECORD_DIR) into the fixtures, with
              its meta file and expected record, for a person to review
    profiles  list the site profiles the extractor knows

Exit status: 0 all went well, 1 some page failed (or `golden --check` found a difference),
2 usage error. Errors are one line each on stderr, `error: PATH: reason`, and a bad page never
stops a batch. Nothing here imports Scrapy: the CLI runs the same pure `extract` as the spider.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from tqdm import tqdm

from crawler import recording
from crawler.extraction import extract
from crawler.extraction.html import NotHtmlError
from crawler.sites import REGISTRY, ProfileRegistry

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

PAGE_SUFFIXES = (".html", ".htm")
META_SUFFIX = ".meta.json"
EXPECTED_SUFFIX = ".expected.json"

PROG = "python -m crawler"


class PageError(Exception):
    """One page could not be turned into a record; the message is the reason shown to the user."""


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------

_MAIN_EPILOG = f"""\
examples:
  {PROG} extract saved/page.html
  {PROG} extract saved/ --output records.jsonl
  {PROG} golden tests/fixtures/pages --check
  {PROG} fixture recorded/ https://depok.pikiran-rakyat.com/nasional/pr-093
  {PROG} profiles

'{PROG} COMMAND --help' tells more about one command."""

_EXTRACT_EPILOG = f"""\
Each PATH is a page or a directory (every *.html / *.htm inside, recursively, sorted).
The URL of a page comes from --url, else from its sibling NAME.meta.json (keys 'url',
'fetched_at'), else from the page's canonical link or og:url. Options win over the meta file.

One record per line (JSON Lines, UTF-8). A page that cannot be read or extracted is reported
on stderr as 'error: PATH: reason' and the batch goes on; the exit status is then 1.

examples:
  {PROG} extract page.html --url https://depok.pikiran-rakyat.com/nasional/pr-093
  {PROG} extract saved/ --output records.jsonl
  {PROG} extract a.html b.html --fetched-at 2026-11-24T10:00:00+00:00 --no-progress"""

_GOLDEN_EPILOG = f"""\
A fixture is NAME.html + NAME.meta.json (keys 'url', 'fetched_at', others free) in DIR; this
command writes its record to NAME.expected.json for a person to review and commit. With
--check nothing is written: each fixture whose record differs from its expected file is listed
with the differing fields, and the exit status is 1.

examples:
  {PROG} golden tests/fixtures/pages
  {PROG} golden tests/fixtures/pages --check"""

DEFAULT_FIXTURES_DIR = Path("tests/fixtures/pages")
HTML_TYPES = ("text/html", "application/xhtml+xml")

_FIXTURE_EPILOG = f"""\
RECORD_DIR is a recording made by a crawl with -s CRAWLER_RECORD_DIR=RECORD_DIR. The recorded
response to URL becomes a fixture in --into: its body as NAME.html, NAME.meta.json (url,
fetched_at, status, headers, and empty 'noise', 'must_contain', 'expected' for you to fill in),
and NAME.expected.json, written as 'golden' writes it. Review the record before committing it.
An existing fixture is left alone unless --force is given.

examples:
  {PROG} fixture recorded/ --list
  {PROG} fixture recorded/ https://depok.pikiran-rakyat.com/nasional/pr-093
  {PROG} fixture recorded/ https://depok.pikiran-rakyat.com/nasional/pr-093 --name pikiran-rakyat-depok-2026"""

_PROFILES_EPILOG = f"""\
examples:
  {PROG} profiles"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Turn saved Indonesian news pages into clean article records.",
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub = _command(commands, "extract", "extract article records from saved pages", _EXTRACT_EPILOG)
    sub.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="a saved page or a directory of pages"
    )
    sub.add_argument("--url", type=_http_url, help="URL the page was fetched from (only with a single file)")
    sub.add_argument(
        "--fetched-at",
        type=_iso_datetime,
        metavar="ISO",
        help="fetch time, e.g. 2026-11-24T10:00:00+00:00 (default: meta file, else now)",
    )
    sub.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write the records to FILE (atomically) instead of stdout",
    )
    sub.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    sub.set_defaults(run=cmd_extract, parser=sub)

    sub = _command(commands, "golden", "write or check the expected records of fixture pages", _GOLDEN_EPILOG)
    sub.add_argument("dir", type=Path, metavar="DIR", help="directory of NAME.html + NAME.meta.json fixtures")
    sub.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a record differs from its expected file",
    )
    sub.set_defaults(run=cmd_golden, parser=sub)

    sub = _command(
        commands, "fixture", "turn a recorded page into a fixture with its expected record", _FIXTURE_EPILOG
    )
    sub.add_argument("record_dir", type=Path, metavar="RECORD_DIR", help="directory of a recorded crawl")
    sub.add_argument("url", nargs="?", type=_http_url, metavar="URL", help="the recorded page to copy")
    sub.add_argument("--list", action="store_true", help="list the recorded URLs (status, method, URL)")
    sub.add_argument("--name", type=_fixture_name, help="fixture name (default: a slug of host and path)")
    sub.add_argument(
        "--into",
        type=Path,
        default=DEFAULT_FIXTURES_DIR,
        metavar="DIR",
        help=f"fixtures directory (default: {DEFAULT_FIXTURES_DIR})",
    )
    sub.add_argument("--force", action="store_true", help="overwrite an existing fixture of that name")
    sub.set_defaults(run=cmd_fixture, parser=sub)

    sub = _command(
        commands, "profiles", "list the site profiles (name, version, network, domains)", _PROFILES_EPILOG
    )
    sub.set_defaults(run=cmd_profiles, parser=sub)
    return parser


def _command(commands: Any, name: str, summary: str, epilog: str) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value!r}")
    return value


def _iso_datetime(value: str) -> str:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {value!r}") from None
    return value


def _fixture_name(value: str) -> str:
    if value != recording.slug(value, max_len=200):
        raise argparse.ArgumentTypeError(
            f"not a fixture name (lower-case letters, digits, '.', '_', '-'): {value!r}"
        )
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


# ---------------------------------------------------------------------------------------------
# Reading pages
# ---------------------------------------------------------------------------------------------


def find_pages(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The pages named by `paths`, in order: a file as given (whatever its name), a directory's
    *.html / *.htm recursively and sorted. Also the paths that named no page, with the reason."""
    pages: list[Path] = []
    problems: list[tuple[Path, str]] = []
    for path in paths:
        if not path.is_dir():
            pages.append(path)  # a missing file is reported when it is read, in its turn
            continue
        found = sorted(p for p in path.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())
        if not found:
            problems.append((path, "directory holds no *.html or *.htm page"))
        pages.extend(found)
    return pages, problems


def meta_path(page: Path) -> Path:
    """'dir/NAME.html' -> 'dir/NAME.meta.json'."""
    return page.with_name(
        page.name[: -len(page.suffix)] + META_SUFFIX if page.suffix else page.name + META_SUFFIX
    )


def expected_path(page: Path) -> Path:
    """'dir/NAME.html' -> 'dir/NAME.expected.json'."""
    return page.with_name(page.name[: -len(page.suffix)] + EXPECTED_SUFFIX)


def read_page(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PageError(_os_reason(exc)) from None
    if not data:
        raise PageError("empty file")
    return data


def load_meta(page: Path) -> dict[str, Any]:
    """The page's NAME.meta.json, or {} when it has none."""
    path = meta_path(page)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PageError(
            f"unreadable {path.name}: {_os_reason(exc) if isinstance(exc, OSError) else exc}"
        ) from None
    if not isinstance(meta, dict):
        raise PageError(f"{path.name} is not a JSON object")
    return meta


def extract_page(path: Path, *, url: str | None = None, fetched_at: str | None = None) -> dict[str, Any]:
    """The record of one saved page. `url` / `fetched_at` win over the meta file; without a
    URL from either, `extract` takes the page's canonical link. Raises PageError."""
    data = read_page(path)
    meta = load_meta(path)
    return run_extract(data, url or meta.get("url"), fetched_at or meta.get("fetched_at"))


def run_extract(data: bytes, url: str | None, fetched_at: str | None) -> dict[str, Any]:
    try:
        return extract(data, url, fetched_at=fetched_at)
    except NotHtmlError as exc:
        raise PageError(str(exc)) from None  # "binary content, not HTML", "empty document"
    except ValueError as exc:  # no URL given or found; an unreadable fetched_at
        raise PageError(str(exc)) from None
    except Exception as exc:  # a bug met on one page must not end the batch; it is reported
        raise PageError(f"extraction failed: {type(exc).__name__}: {exc}") from exc


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def report(path: Path, reason: str) -> None:
    """One line on stderr; through tqdm so that it does not tear a progress bar."""
    tqdm.write(f"error: {path}: {reason}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# extract
# ---------------------------------------------------------------------------------------------


def json_line(record: dict[str, Any]) -> bytes:
    """One record as one JSON Lines line. U+2028/U+2029/U+0085 are escaped: JSON allows them
    raw, but readers that split on Unicode line breaks (str.splitlines) would cut the line."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
    return (text + "\n").encode("utf-8")


@contextmanager
def open_output(path: Path | None) -> Iterator[BinaryIO]:
    """stdout, or FILE written as FILE.tmp and moved into place at the end, so a reader never
    sees a half-written file. On failure FILE is left as it was and FILE.tmp removed."""
    if path is None:
        sys.stdout.flush()
        yield sys.stdout.buffer
        return
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as out:
            yield out
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def show_progress(count: int, disabled: bool) -> bool:
    """A bar only for a batch, only for a person watching a terminal."""
    return not disabled and count > 1 and sys.stderr.isatty()


def cmd_extract(args: argparse.Namespace) -> int:
    if args.url and (len(args.paths) != 1 or args.paths[0].is_dir()):
        args.parser.error("--url needs a single file PATH; give other pages a NAME.meta.json")
    pages, problems = find_pages(args.paths)
    for path, reason in problems:
        report(path, reason)
    failed = len(problems)
    extractors: Counter[str] = Counter()
    try:
        with open_output(args.output) as out:
            bar = tqdm(
                pages, file=sys.stderr, unit="page", disable=not show_progress(len(pages), args.no_progress)
            )
            for page in bar:  # (a disabled bar is a plain iteration)
                try:
                    record = extract_page(page, url=args.url, fetched_at=args.fetched_at)
                except PageError as exc:
                    report(page, str(exc))
                    failed += 1
                    continue
                out.write(json_line(record))  # one write per record: lines are whole
                out.flush()
                extractors[extractor_kind(record["extractor"])] += 1
    except BrokenPipeError:  # `... | head`: the reader has gone, stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except OSError as exc:
        report(args.output or Path("<stdout>"), _os_reason(exc))
        return EXIT_FAILED
    if len(pages) + len(problems) > 1:
        print(summary_line(extractors, failed), file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def extractor_kind(extractor: str) -> str:
    """'profile', 'generic', or 'fallback' (a profile matched but its selectors found nothing:
    the sign that a site changed its layout)."""
    if extractor.endswith("+generic"):
        return "fallback"
    return "generic" if extractor == "generic" else "profile"


def summary_line(extractors: Counter[str], failed: int) -> str:
    records = sum(extractors.values())
    return (
        f"{_count(records, 'record')}: {extractors['profile']} by a site profile, "
        f"{extractors['generic']} generic, {extractors['fallback']} profile fallback; "
        f"{_count(failed, 'error')}"
    )


# ---------------------------------------------------------------------------------------------
# golden
# ---------------------------------------------------------------------------------------------


def golden_fixtures(directory: Path) -> tuple[list[Path], list[Path]]:
    """(fixture pages, pages without a meta file) of `directory`, sorted, not recursive."""
    pages = sorted(p for p in directory.glob("*.html") if p.is_file())
    return [p for p in pages if meta_path(p).is_file()], [p for p in pages if not meta_path(p).is_file()]


def golden_record(page: Path) -> dict[str, Any]:
    """The record of a fixture: URL and fetch time from its meta file, both required, so the
    record does not depend on the day it is made."""
    meta = load_meta(page)
    for key in ("url", "fetched_at"):
        if not meta.get(key):
            raise PageError(f"{meta_path(page).name} has no {key!r}")
    return run_extract(read_page(page), meta["url"], meta["fetched_at"])


def golden_text(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def differing_fields(expected: dict[str, Any], record: dict[str, Any]) -> list[str]:
    """Fields whose values differ, record order first, then fields only the expected file has."""
    names = list(record) + [k for k in expected if k not in record]
    return [n for n in names if n not in expected or n not in record or expected[n] != record[n]]


_MISSING = object()


def describe_change(expected: Any, got: Any, width: int = 60) -> str:
    """'expected X, got Y', both cut to `width` around the first difference of two strings."""
    if isinstance(expected, str) and isinstance(got, str):
        start = next(
            (i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
            min(len(expected), len(got)),
        )
        start = max(0, start - width // 3)
        expected, got = _window(expected, start, width), _window(got, start, width)
        return f"expected {expected}, got {got}"
    return f"expected {_short(expected, width)}, got {_short(got, width)}"


def _window(text: str, start: int, width: int) -> str:
    cut = text[start : start + width]
    return ("…" if start else "") + repr(cut) + ("…" if start + width < len(text) else "")


def _short(value: Any, width: int) -> str:
    if value is _MISSING:
        return "(no such field)"
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def check_fixture(page: Path, record: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, how it differs) for each field where `record` differs from the page's expected
    file; the file's name in place of a field when the file itself is the problem."""
    path = expected_path(page)
    try:
        expected = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [(path.name, "missing (run without --check to write it)")]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [(path.name, f"unreadable: {exc}")]
    if not isinstance(expected, dict):
        return [(path.name, "not a JSON object")]
    return [
        (name, describe_change(expected.get(name, _MISSING), record.get(name, _MISSING)))
        for name in differing_fields(expected, record)
    ]


def write_expected(page: Path, record: dict[str, Any]) -> bool:
    """Write the page's expected file; False when it already held this very text."""
    path = expected_path(page)
    text = golden_text(record)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def cmd_golden(args: argparse.Namespace) -> int:
    if not args.dir.is_dir():
        args.parser.error(f"not a directory: {args.dir}")
    fixtures, without_meta = golden_fixtures(args.dir)
    counts: Counter[str] = Counter()
    for page in fixtures:
        try:
            record = golden_record(page)
        except PageError as exc:
            report(page, str(exc))
            counts["failed"] += 1
            continue
        if args.check:
            changes = check_fixture(page, record)
            if changes:
                print(f"differs: {page}: {', '.join(name for name, _ in changes)}")
                for name, change in changes:
                    print(f"  {name}: {change}")
            counts["differing" if changes else "unchanged"] += 1
        else:
            try:
                counts["written" if write_expected(page, record) else "unchanged"] += 1
            except OSError as exc:
                report(expected_path(page), _os_reason(exc))
                counts["failed"] += 1
    summary = ", ".join(f"{counts[k]} {k}" for k in ("written", "unchanged", "differing", "failed"))
    skipped = f", {_count(len(without_meta), 'page')} without {META_SUFFIX} skipped" if without_meta else ""
    print(f"golden {args.dir}: {_count(len(fixtures), 'fixture')}: {summary}{skipped}")
    return EXIT_FAILED if counts["failed"] or counts["differing"] else EXIT_OK


# ---------------------------------------------------------------------------------------------
# fixture
# ---------------------------------------------------------------------------------------------


def fixture_name(url: str) -> str:
    """'https://www.Kabar.example/daerah/banjir.html?p=2' -> 'kabar-example-daerah-banjir'."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.removesuffix(".html").removesuffix(".htm")
    return recording.slug(f"{host}/{path}".replace(".", "-")) or "page"


def fixture_meta(recorded: recording.Recorded) -> dict[str, Any]:
    """The meta file of a fixture made from a recorded page, in the key order of the others; the
    statements of truth are left empty for the reviewer."""
    return {
        "url": recorded.url,
        "fetched_at": recorded.fetched_at,
        "status": recorded.status,
        "headers": recorded.headers,
        "modelled_on": f"recorded from {recorded.url} on {recorded.fetched_at[:10]}",
        "noise": [],
        "must_contain": [],
        "expected": {},
    }


def _write_text(path: Path, text: str) -> None:
    recording.write_atomic(path, text.encode("utf-8"))


def cmd_fixture(args: argparse.Namespace) -> int:
    if not args.record_dir.is_dir():
        args.parser.error(f"not a directory: {args.record_dir}")
    if args.list:
        if args.url or args.name:
            args.parser.error("--list takes no URL and no --name")
        return list_recorded(args.record_dir)
    if not args.url:
        args.parser.error("give the URL of a recorded page, or --list")
    if not args.into.is_dir():
        args.parser.error(f"not a directory: {args.into}")
    try:
        recorded = recording.load(args.record_dir, args.url)
    except recording.RecordingError as exc:
        report(args.record_dir, str(exc))
        return EXIT_FAILED
    if recorded is None:
        report(args.record_dir, f"{args.url} is not recorded here (see --list)")
        return EXIT_FAILED
    location = recorded.headers.get("Location")
    if 300 <= recorded.status < 400 and location:
        report(args.record_dir, f"{args.url} is a redirect ({recorded.status}) to {location}")
        return EXIT_FAILED
    content_type = recorded.headers.get("Content-Type", "").partition(";")[0].strip().lower()
    if content_type and content_type not in HTML_TYPES:
        report(args.record_dir, f"{args.url} is {content_type}, not an HTML page")
        return EXIT_FAILED

    page = args.into / f"{args.name or fixture_name(recorded.url)}.html"
    existing = [p for p in (page, meta_path(page), expected_path(page)) if p.exists()]
    if existing and not args.force:
        report(existing[0], "exists; --force to overwrite")
        return EXIT_FAILED
    try:
        body = recorded.body
        # checked before anything is written, so that a page that is no article leaves no trace
        run_extract(body, recorded.url, recorded.fetched_at)
    except (recording.RecordingError, PageError) as exc:
        report(page, f"{args.url}: {exc}")
        return EXIT_FAILED
    try:
        recording.write_atomic(page, body)
        _write_text(meta_path(page), json.dumps(fixture_meta(recorded), indent=2, ensure_ascii=False) + "\n")
        write_expected(page, golden_record(page))  # the code path of `golden`
    except (OSError, PageError) as exc:
        report(page, _os_reason(exc) if isinstance(exc, OSError) else str(exc))
        return EXIT_FAILED
    for path in (page, meta_path(page), expected_path(page)):
        print(path)
    status = "" if recorded.status == 200 else f" (recorded with status {recorded.status})"
    print(
        f"review {expected_path(page).name}{status} field by field, and fill 'noise', 'must_contain' "
        f"and 'expected' in {meta_path(page).name}, before committing the fixture"
    )
    return EXIT_OK


def list_recorded(directory: Path) -> int:
    """One line per recorded response: status, method, URL."""
    try:
        for recorded in recording.iter_recorded(directory):
            print(f"{recorded.status} {recorded.method} {recorded.url}")
    except recording.RecordingError as exc:
        report(directory, str(exc))
        return EXIT_FAILED
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# profiles
# ---------------------------------------------------------------------------------------------


def profile_rows(registry: ProfileRegistry = REGISTRY) -> list[tuple[str, str, str, str]]:
    """(name, version, network, domains) per profile, by name, oldest layout first."""
    profiles = sorted(registry.profiles, key=lambda p: (p.name, p.valid_from or date.min, p.version))
    return [(p.name, p.version, p.network or "-", ", ".join(p.domains)) for p in profiles]


def cmd_profiles(args: argparse.Namespace) -> int:
    rows = [("NAME", "VERSION", "NETWORK", "DOMAINS"), *profile_rows()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)) + "  " + row[3])
    return EXIT_OK
