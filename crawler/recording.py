"""The on-disk format of a recorded response, shared by the record/replay downloader middlewares
(`crawler.middlewares`) and the `fixture` command of the CLI. Pure: no Scrapy import.

A recording directory holds, per response::

    <host>/<key>.body        the body exactly as Scrapy gave it (already decoded from gzip/br:
                             any content type, HTML, XML sitemaps, RSS, robots.txt)
    <host>/<key>.meta.json   {"url", "method", "status", "headers", "fetched_at",
                              "request_fingerprint" (when known)}

`<host>` is the sanitised host (and port) of the URL; `<key>` is a readable slug of the URL's path
and query, cut to 80 characters, then '-' and the first 12 hex digits of the SHA-1 of the request's
identity (canonical URL; plus method and body for anything but GET). So names are stable between a
recording and its replay, readable in a file listing, and unique. Whatever a URL holds ('..',
'/', NUL, a hostile host), the files land inside the directory: both parts are built from a small
safe alphabet, and the final path is checked against the directory.

Only the headers that change how Scrapy or our code treat a response are kept (`KEPT_HEADERS`).
Content-Encoding, Content-Length and Transfer-Encoding are dropped on purpose: the body is stored
decoded, so replaying them would make Scrapy decode it a second time.

Writes are atomic (a temporary file in the same directory, then `os.replace`), body first and meta
last: a reader that finds the meta file finds a whole body beside it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

BODY_SUFFIX = ".body"
META_SUFFIX = ".meta.json"
TMP_SUFFIX = ".tmp"

#: Headers kept in the meta file, in this spelling. Content-Type picks the response class and the
#: encoding; Content-Disposition can pick the class too; Location drives redirects;
#: Last-Modified / ETag say which version of the page this is; Retry-After matters on a 429/503.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Location", "Last-Modified", "ETag", "Retry-After")
_KEPT = {name.lower(): name for name in KEPT_HEADERS}

SLUG_MAX = 80
HOST_MAX = 100
HASH_LEN = 12
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left alone when escaping a URL's path and query: the RFC 3986 unreserved and
# sub-delims, ':' '@' '/' '?', and '%' so that an already escaped URL stays as it is.
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"


class RecordingError(ValueError):
    """A recorded response on disk that cannot be read (corrupt meta file, missing body)."""


@dataclass(frozen=True)
class Recorded:
    """One recorded response. `body` is read from `body_path` when asked for, so that listing a
    large recording does not read every page."""

    url: str
    method: str
    status: int
    headers: dict[str, str]
    """Only `KEPT_HEADERS`, as str (latin-1, as on the wire)."""
    fetched_at: str
    """ISO 8601 in UTC, e.g. '2026-11-24T10:00:00+00:00'."""
    body_path: Path
    request_fingerprint: str | None = None

    @property
    def body(self) -> bytes:
        try:
            return self.body_path.read_bytes()
        except OSError as exc:
            raise RecordingError(f"{self.body_path}: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def canonical_url(url: str) -> str:
    """The URL as a request identity: scheme and host lower-cased (IDNA for a non-ASCII host),
    the default port, user info and fragment dropped (none is sent to the server), path and
    query percent-escaped as Scrapy escapes them. Query order is kept: two orders may be two
    different pages."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    # (a host that is no valid IDNA name stays as written: still a stable identity)
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a port out of range or not a number: keep what was written
        port = None
        host += ":" + parts.netloc.rpartition(":")[2]
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host += f":{port}"
    path = quote(parts.path or "/", safe=_URL_SAFE)
    query = quote(parts.query, safe=_URL_SAFE)
    return urlunsplit((scheme, host, path, query, ""))


def request_identity(url: str, method: str = "GET", body: bytes = b"") -> str:
    """What makes two requests the same fetch: the canonical URL for a GET; method, URL and the
    body's SHA-1 for anything else (a POST search and a GET of the same URL differ)."""
    method = method.upper()
    if method == "GET":
        return canonical_url(url)
    return f"{method} {canonical_url(url)} {hashlib.sha1(body).hexdigest()}"


def host_dir(url: str) -> str:
    """'https://Depok.Pikiran-Rakyat.com:8443/x' -> 'depok.pikiran-rakyat.com_8443': the host and
    a non-default port in [a-z0-9._-], no leading/trailing dot (so never '.' or '..')."""
    netloc = urlsplit(canonical_url(url)).netloc
    name = re.sub(r"[^a-z0-9._-]+", "_", netloc.lower()).strip("._")[:HOST_MAX].strip("._")
    return name or "_nohost"


def slug(text: str, max_len: int = SLUG_MAX) -> str:
    """A readable, filesystem-safe slug: ASCII letters, digits, '.', '_' and '-', lower case,
    runs of anything else as one '-', no leading or trailing punctuation, at most `max_len`."""
    text = re.sub(r"[^a-z0-9._-]+", "-", text.lower(), flags=re.ASCII)
    text = re.sub(r"-{2,}", "-", text).strip("-._")
    return text[:max_len].strip("-._")


def record_key(url: str, method: str = "GET", body: bytes = b"") -> str:
    """'<slug of path+query>-<12 hex>', e.g. 'nasional-pr-093-3f2a9c0d1e4b'; the slug of '/' is
    'index'; a method other than GET leads the slug ('post-cari-q-banjir-...')."""
    parts = urlsplit(canonical_url(url))
    readable = parts.path + ("?" + parts.query if parts.query else "")
    if method.upper() != "GET":
        readable = f"{method} {readable}"
    digest = hashlib.sha1(request_identity(url, method, body).encode("utf-8")).hexdigest()
    return f"{slug(readable) or 'index'}-{digest[:HASH_LEN]}"


def record_paths(directory: Path, url: str, method: str = "GET", body: bytes = b"") -> tuple[Path, Path]:
    """(body path, meta path) of a request's recording. Raises ValueError if, against all
    expectations, they would fall outside `directory`."""
    root = Path(directory)
    key = record_key(url, method, body)
    folder = root / host_dir(url)
    body_path, meta_path = folder / (key + BODY_SUFFIX), folder / (key + META_SUFFIX)
    # The names above cannot hold a separator or be '..'; checked anyway, symlinks resolved,
    # because a recording is written from URLs that the crawled sites chose.
    resolved_root = root.resolve()
    for path in (body_path, meta_path):
        if not path.resolve().is_relative_to(resolved_root):
            raise ValueError(f"recording of {url!r} would be written outside {root}")
    return body_path, meta_path


# ---------------------------------------------------------------------------------------------
# Writing and reading
# ---------------------------------------------------------------------------------------------


def kept_headers(headers: Mapping[Any, Any]) -> dict[str, str]:
    """The `KEPT_HEADERS` of `headers`, names in their usual spelling. A value may be str or
    bytes (taken as latin-1, as on the wire) or a list of them (the last one wins, as for
    Scrapy's `Headers.get`)."""
    kept: dict[str, str] = {}
    for name, value in headers.items():
        key = (name.decode("latin-1") if isinstance(name, bytes) else str(name)).lower()
        if key not in _KEPT:
            continue
        if isinstance(value, list | tuple):
            if not value:
                continue
            value = value[-1]
        kept[_KEPT[key]] = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return {name: kept[name] for name in KEPT_HEADERS if name in kept}


def utc_iso(moment: datetime | str) -> str:
    """An aware datetime or an ISO 8601 string as ISO 8601 in UTC, to the second."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"fetch time without a time zone: {moment.isoformat()}")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def save(
    directory: Path | str,
    url: str,
    method: str,
    status: int,
    headers: Mapping[Any, Any],
    body: bytes,
    fetched_at: datetime | str,
    *,
    request_body: bytes = b"",
    request_fingerprint: str | None = None,
) -> Path:
    """Record one response; returns the meta file's path. `request_body` takes part in the key
    of a non-GET request. An earlier recording of the same request is replaced."""
    if not 100 <= int(status) <= 599:
        raise ValueError(f"not an HTTP status: {status!r}")
    body_path, meta_path = record_paths(Path(directory), url, method, request_body)
    meta: dict[str, Any] = {
        "url": url,
        "method": method.upper(),
        "status": int(status),
        "headers": kept_headers(headers),
        "fetched_at": utc_iso(fetched_at),
    }
    if request_fingerprint:
        meta["request_fingerprint"] = request_fingerprint
    body_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(body_path, bytes(body))
    write_atomic(meta_path, (json.dumps(meta, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return meta_path


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary sibling and `os.replace`: a reader sees the old
    file or the new one, never half of one. The temporary file is removed on failure."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")
    try:
        with open(tmp, "xb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load(directory: Path | str, url: str, method: str = "GET", body: bytes = b"") -> Recorded | None:
    """The recorded response to a request, or None when there is none. Raises RecordingError
    when the recording exists but cannot be read."""
    _, meta_path = record_paths(Path(directory), url, method, body)
    if not meta_path.is_file():
        return None
    recorded = _read(meta_path)
    if request_identity(recorded.url, recorded.method) != request_identity(url, method):
        raise RecordingError(f"{meta_path} records {recorded.url!r}, not {url!r}")
    return recorded


def iter_recorded(directory: Path | str) -> Iterator[Recorded]:
    """Every recorded response in `directory`, by host then key. Temporary files of writes in
    progress are not recordings. Raises RecordingError on a recording that cannot be read."""
    root = Path(directory)
    for meta_path in sorted(root.glob(f"*/*{META_SUFFIX}")):
        if meta_path.name.startswith(".") or not meta_path.is_file():
            continue
        yield _read(meta_path)


def _read(meta_path: Path) -> Recorded:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body_path = meta_path.with_name(meta_path.name[: -len(META_SUFFIX)] + BODY_SUFFIX)
        if not body_path.is_file():
            raise RecordingError(f"{meta_path}: no {body_path.name} beside it")
        return Recorded(
            url=str(meta["url"]),
            method=str(meta.get("method", "GET")),
            status=int(meta["status"]),
            headers={str(k): str(v) for k, v in dict(meta.get("headers") or {}).items()},
            fetched_at=str(meta["fetched_at"]),
            body_path=body_path,
            request_fingerprint=meta.get("request_fingerprint"),
        )
    except RecordingError:
        raise
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise RecordingError(f"{meta_path}: unreadable recording: {exc}") from None
