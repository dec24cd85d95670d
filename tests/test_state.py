"""The persistent crawl state (`crawler/state.py`): what earlier runs fetched and emitted, and the
lock that keeps two runs off one state directory."""

from __future__ import annotations

import sqlite3

import pytest

from crawler.state import DirLock, Emitted, SqliteState, StateLocked, newer

URL = "https://depok.pikiran-rakyat.com/nasional/pr-0931001/banjir-bandang-terjang-tiga-kecamatan-di-depok"
LASTMOD = "2026-11-19T20:15:00+07:00"


@pytest.fixture
def state(tmp_path):
    with SqliteState(tmp_path / "state.sqlite3") as opened:
        yield opened


@pytest.mark.parametrize(
    ("candidate", "stored", "expected"),
    [
        ("2026-11-19T20:16:00+07:00", LASTMOD, True),
        ("2026-11-19T13:15:00+00:00", LASTMOD, False),  # the same moment in UTC
        ("2026-11-19T13:16:00Z", LASTMOD, True),
        ("2026-11-20", LASTMOD, True),  # a bare date: midnight UTC
        ("2026-11-19T20:14:59+07:00", LASTMOD, False),
        (None, LASTMOD, False),
        (LASTMOD, None, False),
        ("kemarin", LASTMOD, False),  # unreadable: unknown
    ],
)
def test_newer_compares_moments_not_strings(candidate, stored, expected):
    assert newer(candidate, stored) is expected


def test_a_url_is_fetched_again_only_when_its_lastmod_moves_on(state):
    assert state.should_fetch(URL, LASTMOD)
    state.mark_fetched(URL, LASTMOD)
    assert not state.should_fetch(URL, LASTMOD)
    assert not state.should_fetch(URL, None)  # found on the home page, no date: known
    assert not state.should_fetch(URL, "2026-11-18T10:00:00+07:00")  # an older date
    assert state.should_fetch(URL, "2026-11-21T08:00:00+07:00")
    assert state.should_fetch(URL + "-lain", None)


def test_a_url_fetched_without_a_date_is_fetched_again_once_a_date_is_known(state):
    state.mark_fetched(URL, None)
    assert not state.should_fetch(URL, None)
    assert state.should_fetch(URL, LASTMOD)
    state.mark_fetched(URL, LASTMOD)
    assert not state.should_fetch(URL, LASTMOD)


def test_the_stored_lastmod_only_moves_forward(state):
    state.mark_fetched(URL, "2026-11-21T08:00:00+07:00")
    state.mark_fetched(URL, LASTMOD)  # an older date from another source
    state.mark_fetched(URL, None)
    assert not state.should_fetch(URL, "2026-11-20T08:00:00+07:00")
    assert state.should_fetch(URL, "2026-11-21T08:00:01+07:00")


def test_emitted_articles_remember_their_hash_and_lastmod(state):
    assert state.was_emitted(URL) is None
    state.mark_emitted(URL, "sha1:aaa", LASTMOD)
    assert state.was_emitted(URL) == Emitted("sha1:aaa", LASTMOD)
    state.mark_emitted(URL, "sha1:bbb", "2026-11-21T08:00:00+07:00")  # an update replaces it
    assert state.was_emitted(URL) == Emitted("sha1:bbb", "2026-11-21T08:00:00+07:00")


def test_signatures_round_trip_oldest_first(state):
    state.mark_signature("https://a.example/1", b"\x01" * 512, "https://a.example/1")
    state.mark_signature("https://b.example/2", b"\xff" * 512, "https://a.example/1")
    assert list(state.signatures()) == [
        ("https://a.example/1", b"\x01" * 512, "https://a.example/1"),
        ("https://b.example/2", b"\xff" * 512, "https://a.example/1"),
    ]
    assert list(state.signatures(since="2999-01-01")) == []


def test_state_is_durable_at_close_and_reopens(tmp_path):
    path = tmp_path / "state.sqlite3"
    state = SqliteState(path, batch=1000, interval=3600)  # nothing committed before close
    state.mark_fetched(URL, LASTMOD)
    state.mark_emitted(URL, "sha1:aaa", LASTMOD)
    state.close()
    state.close()  # twice is harmless
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT COUNT(*) FROM fetched").fetchone()[0] == 1
    with SqliteState(path) as reopened:
        assert not reopened.should_fetch(URL, LASTMOD)
        assert reopened.was_emitted(URL) == Emitted("sha1:aaa", LASTMOD)


def test_writes_are_committed_in_batches(tmp_path):
    path = tmp_path / "state.sqlite3"
    with SqliteState(path, batch=3, interval=3600) as state:
        outside = sqlite3.connect(path)
        state.mark_fetched(URL + "1", None)
        state.mark_fetched(URL + "2", None)
        assert outside.execute("SELECT COUNT(*) FROM fetched").fetchone()[0] == 0
        state.mark_fetched(URL + "3", None)
        assert outside.execute("SELECT COUNT(*) FROM fetched").fetchone()[0] == 3
        outside.close()


def test_a_locked_state_directory_refuses_a_second_run(tmp_path):
    with (
        DirLock(tmp_path / "state"),
        pytest.raises(StateLocked, match=r"another crawl holds the lock on .*state$"),
    ):
        DirLock(tmp_path / "state").acquire()
    # released: the next run gets it
    with DirLock(tmp_path / "state") as lock:
        assert (lock.directory / DirLock.FILENAME).exists()
