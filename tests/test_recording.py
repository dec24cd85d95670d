"""The on-disk format of recorded responses (`crawler.recording`): names, hostile URLs, round
trips, atomic writes."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler import recording
from crawler.recording import Recorded, RecordingError

FETCHED_AT = "2026-11-24T10:00:00+00:00"
URL = "https://depok.pikiran-rakyat.com/nasional/pr-093?page=2"


def save(directory: Path, url: str = URL, **overrides: object) -> Path:
    args: dict[str, object] = {
        "method": "GET",
        "status": 200,
        "headers": {"Content-Type": "text/html; charset=utf-8"},
        "body": b"<html>berita</html>",
        "fetched_at": FETCHED_AT,
    }
    args.update(overrides)
    return recording.save(directory, url, **args)  # type: ignore[arg-type]


def all_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://Depok.Pikiran-Rakyat.COM/Nasional/PR-093",
            "https://depok.pikiran-rakyat.com/Nasional/PR-093",
        ),
        ("https://kabar.example:443/a#komentar", "https://kabar.example/a"),
        ("http://kabar.example:80", "http://kabar.example/"),
        ("http://127.0.0.1:8765/a?b=1&a=2", "http://127.0.0.1:8765/a?b=1&a=2"),
        ("https://user:rahasia@kabar.example/a", "https://kabar.example/a"),
        ("https://kabar.example/berita terkini/é", "https://kabar.example/berita%20terkini/%C3%A9"),
        ("https://kabar.example/berita%20terkini/%C3%A9", "https://kabar.example/berita%20terkini/%C3%A9"),
        ("https://bérita.example/", "https://xn--brita-bsa.example/"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert recording.canonical_url(url) == canonical


def test_key_is_a_readable_slug_and_a_hash() -> None:
    key = recording.record_key(URL)
    assert re.fullmatch(r"nasional-pr-093-page-2-[0-9a-f]{12}", key), key
    assert recording.record_key("https://kabar.example/").startswith("index-")
    assert recording.record_key("https://kabar.example/a#x") == recording.record_key(
        "https://KABAR.example/a"
    )


def test_key_tells_requests_apart() -> None:
    keys = {
        recording.record_key(URL),
        recording.record_key(URL.replace("page=2", "page=3")),
        recording.record_key(URL, "POST", b"q=banjir"),
        recording.record_key(URL, "POST", b"q=gempa"),
        recording.record_key(URL, "HEAD"),
    }
    assert len(keys) == 5
    assert recording.record_key(URL, "POST", b"q=banjir").startswith("post-nasional-")


def test_long_paths_are_cut() -> None:
    url = "https://kabar.example/" + "sangat-panjang-" * 40
    key = recording.record_key(url)
    assert len(key) <= recording.SLUG_MAX + 1 + recording.HASH_LEN
    assert key != recording.record_key(url + "x")


HOSTILE_URLS = [
    "http://kabar.example/../../../../etc/passwd",
    "http://kabar.example/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "http://kabar.example/..%2f..%2f..%2fetc%2fpasswd",
    "http://kabar.example/a/%00/b%00.html",
    "http://kabar.example/a\x00b",
    "http://kabar.example//etc/passwd",
    "http://kabar.example/C:\\Windows\\system32",
    "http://../../etc/passwd",
    "http://..:80/x",
    "http://./x",
    "http:///etc/passwd",
    "file:///etc/passwd",
    "http://%2e%2e/x",
    "http://a/b/../../../../x?y=../../z",
    "http://[::1]:8080/../x",
    "http://kabar.example/" + "../" * 200,
    "http://" + "a" * 300 + ".example/",
    "http://kabar.example/.hidden",
    "http://kabar.example/~/.ssh/authorized_keys",
    "..",
    "",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_urls_stay_inside_the_directory(tmp_path: Path, url: str) -> None:
    root = tmp_path / "rec"
    root.mkdir()
    meta = save(root, url)
    files = all_files(tmp_path)
    assert files and all(f.resolve().is_relative_to(root.resolve()) for f in files), files
    assert len(files) == 2  # body + meta, nothing else, no temporary file left
    for f in files:
        assert f.parent.parent == root  # <host>/<key>.*, exactly one level down
        assert not f.name.startswith(".") and not f.parent.name.startswith(".")
        assert "\x00" not in str(f) and len(f.name) < 255
    loaded = recording.load(root, url)
    assert loaded is not None and loaded.url == url and loaded.body == b"<html>berita</html>"
    assert loaded.body_path.with_name(meta.name.replace(".meta.json", ".body")) == loaded.body_path


def test_a_symlinked_host_directory_pointing_outside_is_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "rec", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "kabar.example").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError, match="outside"):
        save(root, "http://kabar.example/a")
    assert all_files(outside) == []


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://Depok.Pikiran-Rakyat.com/x", "depok.pikiran-rakyat.com"),
        ("http://127.0.0.1:8765/x", "127.0.0.1_8765"),
        ("http://[::1]:8080/x", "1_8080"),
        ("http://../x", "_nohost"),
    ],
)
def test_host_dir(url: str, host: str) -> None:
    assert recording.host_dir(url) == host


# --------------------------------------------------------------------------- round trip


def test_round_trip(tmp_path: Path) -> None:
    body = b"\x1f\x8b not text \xff\x00 <html>"
    headers = {
        "content-type": [b"text/html; charset=iso-8859-1"],
        b"Location": b"/lain",
        "ETag": '"abc"',
        "Last-Modified": "Mon, 23 Nov 2026 10:00:00 GMT",
        "Retry-After": "120",
        "Content-Encoding": "gzip",  # the body is stored decoded: this must not come back
        "Content-Length": "999",
        "Transfer-Encoding": "chunked",
        "Set-Cookie": "sesi=rahasia",
        "Server": "nginx",
    }
    meta_path = save(tmp_path, status=503, headers=headers, body=body, request_fingerprint="ab12")
    loaded = recording.load(tmp_path, URL)
    assert loaded == Recorded(
        url=URL,
        method="GET",
        status=503,
        headers={
            "Content-Type": "text/html; charset=iso-8859-1",
            "Location": "/lain",
            "Last-Modified": "Mon, 23 Nov 2026 10:00:00 GMT",
            "ETag": '"abc"',
            "Retry-After": "120",
        },
        fetched_at=FETCHED_AT,
        body_path=meta_path.with_name(meta_path.name.replace(".meta.json", ".body")),
        request_fingerprint="ab12",
    )
    assert loaded.body == body
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert set(meta) == {"url", "method", "status", "headers", "fetched_at", "request_fingerprint"}


def test_load_finds_the_same_request_in_another_spelling(tmp_path: Path) -> None:
    save(tmp_path, "https://Kabar.example:443/berita%20baru#atas")
    assert recording.load(tmp_path, "https://kabar.example/berita baru") is not None
    assert recording.load(tmp_path, "https://kabar.example/berita-baru") is None
    assert recording.load(tmp_path / "nowhere", URL) is None


def test_post_is_keyed_on_its_body(tmp_path: Path) -> None:
    save(tmp_path, method="POST", request_body=b"q=banjir", body=b"hasil banjir")
    assert recording.load(tmp_path, URL) is None
    assert recording.load(tmp_path, URL, "POST", b"q=gempa") is None
    loaded = recording.load(tmp_path, URL, "post", b"q=banjir")
    assert loaded is not None and loaded.method == "POST" and loaded.body == b"hasil banjir"


@pytest.mark.parametrize(
    "moment",
    [
        "2026-11-24T17:00:00+07:00",
        "2026-11-24T10:00:00Z",
        datetime(2026, 11, 24, 10, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 11, 24, 17, 0, tzinfo=timezone(timedelta(hours=7))),
    ],
)
def test_fetch_time_is_stored_in_utc(tmp_path: Path, moment: datetime | str) -> None:
    save(tmp_path, fetched_at=moment)
    loaded = recording.load(tmp_path, URL)
    assert loaded is not None and loaded.fetched_at == FETCHED_AT


def test_naive_fetch_time_and_bad_status_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="time zone"):
        save(tmp_path, fetched_at=datetime(2026, 11, 24, 10, 0))
    with pytest.raises(ValueError, match="status"):
        save(tmp_path, status=1000)
    assert all_files(tmp_path) == []


def test_saving_again_replaces(tmp_path: Path) -> None:
    save(tmp_path, body=b"lama")
    save(tmp_path, body=b"baru", status=404)
    loaded = recording.load(tmp_path, URL)
    assert loaded is not None and (loaded.status, loaded.body) == (404, b"baru")
    assert len(all_files(tmp_path)) == 2


def test_iter_recorded_lists_every_response_and_skips_temporary_files(tmp_path: Path) -> None:
    save(tmp_path, "https://b.example/robots.txt", headers={"Content-Type": "text/plain"})
    save(tmp_path, "https://a.example/sitemap.xml", headers={"Content-Type": "application/xml"})
    save(tmp_path, "https://a.example/")
    (tmp_path / "a.example" / ".x.meta.json.123.tmp").write_text("{", encoding="utf-8")
    (tmp_path / "a.example" / ".half.meta.json").write_text("{", encoding="utf-8")
    urls = [r.url for r in recording.iter_recorded(tmp_path)]
    assert sorted(urls) == [
        "https://a.example/",
        "https://a.example/sitemap.xml",
        "https://b.example/robots.txt",
    ]
    assert urls[-1] == "https://b.example/robots.txt"  # by host


def test_a_corrupt_recording_is_an_error_not_a_miss(tmp_path: Path) -> None:
    meta_path = save(tmp_path)
    meta_path.write_text("{not json", encoding="utf-8")
    with pytest.raises(RecordingError, match="unreadable"):
        recording.load(tmp_path, URL)
    with pytest.raises(RecordingError):
        list(recording.iter_recorded(tmp_path))
    meta_path = save(tmp_path)
    meta_path.with_name(meta_path.name.replace(".meta.json", ".body")).unlink()
    with pytest.raises(RecordingError, match=r"no .*body"):
        recording.load(tmp_path, URL)


# --------------------------------------------------------------------------- atomic writes


def test_write_atomic_leaves_the_old_file_whole_when_a_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.body"
    recording.write_atomic(target, b"lama")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        recording.write_atomic(target, b"baru")
    assert target.read_bytes() == b"lama"
    assert [p.name for p in tmp_path.iterdir()] == ["x.body"]  # the temporary file is gone


def test_save_writes_through_a_temporary_file_and_meta_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spying_replace(src: str, dst: str) -> None:
        assert Path(src).name.startswith(".") and Path(src).name.endswith(".tmp")
        assert Path(src).parent == Path(dst).parent  # same file system: rename is atomic
        replaced.append((Path(src).name, Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spying_replace)
    save(tmp_path)
    assert len(replaced) == 2
    assert replaced[0][1].endswith(".body") and replaced[1][1].endswith(".meta.json")
