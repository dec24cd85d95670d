"""Unit tests for crawler.evaluation: the scoring rules, on tiny inline inputs."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from crawler import evaluation as ev
from crawler.evaluation import (
    PageScore,
    body_scores,
    leaks,
    ngram_counts,
    same_instant,
    same_names,
    same_text,
    score_page,
    summarise,
    tokens,
)

# --------------------------------------------------------------------------- tokens / n-grams


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        (None, []),
        ("Halo, dunia!", ["Halo", "dunia"]),
        ("PR DEPOK - Warga", ["PR", "DEPOK", "Warga"]),  # case kept as written
        ("(23/2/2016) pukul 16.37 WIB", ["23", "2", "2016", "pukul", "16", "37", "WIB"]),
        ("Jum'at  \n\n  ke-2", ["Jum", "at", "ke", "2"]),
        (
            "café naïve São_Paulo",
            ["café", "naïve", "São_Paulo"],
        ),  # \w is Unicode, '_' is a word char
    ],
)
def test_tokens(text, expected):
    assert tokens(text) == expected


def test_ngram_counts_is_a_multiset_of_word_tuples():
    counts = ngram_counts("a b c d a b c d")
    assert counts == Counter(
        {
            ("a", "b", "c", "d"): 2,
            ("b", "c", "d", "a"): 1,
            ("c", "d", "a", "b"): 1,
            ("d", "a", "b", "c"): 1,
        }
    )
    assert ngram_counts("a b c") == Counter()  # fewer than n words: no n-grams
    assert ngram_counts("a b c", n=2) == Counter({("a", "b"): 1, ("b", "c"): 1})
    with pytest.raises(ValueError):
        ngram_counts("a", n=0)


# --------------------------------------------------------------------------- body P/R

STORY = "satu dua tiga empat lima enam tujuh delapan"  # 8 words -> 5 four-grams


@pytest.mark.parametrize(
    ("expected", "got", "precision", "recall"),
    [
        (STORY, STORY, 1.0, 1.0),
        (
            STORY,
            "  satu dua, tiga! empat\n\nlima enam tujuh delapan ",
            1.0,
            1.0,
        ),  # punctuation/space ignored
        ("", "", 1.0, 1.0),  # both empty: perfect (benchmark's precision_score/recall_score)
        (None, None, 1.0, 1.0),
        (STORY, "", 0.0, 0.0),  # nothing extracted
        (STORY, None, 0.0, 0.0),
        ("", STORY, 0.0, 0.0),  # something extracted where nothing was expected
        ("", "dua kata", 0.0, 0.0),  # ... also when it is shorter than 4 words
        # extra boilerplate after the story: 5 of 9 extracted 4-grams are right
        (STORY, STORY + " Baca juga berita lain", 5 / 9, 1.0),
        # only the first half extracted: 2 of the 5 expected 4-grams
        (STORY, "satu dua tiga empat lima", 1.0, 2 / 5),
        # case is not folded: 'Satu' != 'satu' (1 of 5 four-grams differs)
        (STORY, "Satu dua tiga empat lima enam tujuh delapan", 4 / 5, 4 / 5),
        # repeated text is penalised (multiset, not set)
        (STORY, STORY + " " + STORY, 5 / 13, 1.0),
        # short texts compare at the shorter side's length: 3-word truth inside a longer text
        ("tiga empat lima", STORY, 1 / 6, 1.0),
        ("tiga empat lima", "tiga empat lima", 1.0, 1.0),
        ("tiga empat lima", "lima empat tiga", 0.0, 0.0),
        ("Jakarta", "Jakarta", 1.0, 1.0),
    ],
)
def test_body_scores(expected, got, precision, recall):
    p, r = body_scores(expected, got)
    assert p == pytest.approx(precision)
    assert r == pytest.approx(recall)


@pytest.mark.parametrize(
    ("p", "r", "f1"), [(1.0, 1.0, 1.0), (0.0, 0.0, 0.0), (1.0, 0.5, 2 / 3), (0.0, 1.0, 0.0)]
)
def test_f1_score(p, r, f1):
    assert ev.f1_score(p, r) == pytest.approx(f1)


# --------------------------------------------------------------------------- leaks

NOISE = ["Baca Juga: Persib Juara Lagi", "Editor : Aloysius Gonsaga AE", "Foto: Twitter @Persib"]


@pytest.mark.parametrize(
    ("body", "leaked"),
    [
        ("Persib menang.\n\nPemain senang.", []),
        ("Persib menang.\n\nBaca Juga: Persib Juara Lagi\n\nPemain senang.", [NOISE[0]]),
        # whitespace differences do not hide a leak
        ("Persib menang. Baca  Juga:\nPersib\u00a0Juara Lagi", [NOISE[0]]),
        ("Pemain senang. Editor : Aloysius Gonsaga AE Foto: Twitter @Persib", [NOISE[1], NOISE[2]]),
        # a snippet split by punctuation is not the snippet
        ("Baca Juga Persib Juara Lagi", []),
        ("", []),
        (None, []),
    ],
)
def test_leaks(body, leaked):
    assert leaks(body, NOISE) == leaked


def test_leaks_without_noise():
    assert leaks("anything", []) == []
    assert leaks("anything", None) == []
    assert leaks("anything", ["   "]) == []  # a blank snippet never "occurs"


# --------------------------------------------------------------------------- field comparators


@pytest.mark.parametrize(
    ("expected", "got", "ok"),
    [
        ("Samsul Arif Tak Beban", "Samsul Arif Tak Beban", True),
        ("Samsul Arif Tak Beban", "  samsul  arif\ntak BEBAN ", True),
        ("KUTA, KOMPAS.com", "Kuta, Kompas.com", True),
        (None, None, True),
        (None, "", True),  # blank counts as null
        (None, "PR DEPOK", False),
        ("PR DEPOK", None, False),
        ("Samsul Arif Tak Beban", "Samsul Arif Tak Beban - Kompas.com", False),
        ("Straße", "STRASSE", True),  # casefold, not lower()
    ],
)
def test_same_text(expected, got, ok):
    assert same_text(expected, got) is ok


@pytest.mark.parametrize(
    ("expected", "got", "ok"),
    [
        (["Ferril Dennys"], ["Ferril Dennys"], True),
        (["Ferril Dennys"], ["ferril  dennys"], True),
        (["A B", "C D"], ["C D", "A B"], True),  # order does not matter
        (["A B", "C D"], ["A B", "C D", "A B"], True),  # a set: duplicates do not matter
        ([], [], True),
        ([], None, True),
        (None, [" "], True),  # blank names are dropped
        (["A B"], [], False),
        ([], ["Liputan6.com"], False),
        (["A B"], ["A B", "C D"], False),
        (["Ferril Dennys"], "Ferril Dennys", True),  # a bare string is one name
    ],
)
def test_same_names(expected, got, ok):
    assert same_names(expected, got) is ok


@pytest.mark.parametrize(
    ("expected", "got", "ok"),
    [
        ("2022-01-09T16:51:00+07:00", "2022-01-09T16:51:00+07:00", True),
        ("2022-01-09T16:51:00+07:00", "2022-01-09T16:51:59+07:00", True),  # to the minute
        ("2015-11-05T14:56:43+07:00", "2015-11-05T14:56:00+07:00", True),
        ("2022-01-09T16:51:00+07:00", "2022-01-09T16:52:00+07:00", False),
        # the same instant written in another offset is still wrong: the offset must match
        ("2022-01-09T16:51:00+07:00", "2022-01-09T09:51:00+00:00", False),
        ("2022-01-09T16:51:00+07:00", "2022-01-09T09:51:00Z", False),
        # a wrong offset with the same wall-clock time is a different instant
        ("2022-01-09T16:51:00+07:00", "2022-01-09T16:51:00+08:00", False),
        ("2022-01-09T16:51:00+07:00", "2022-01-09T16:51:00", False),  # no offset
        ("2022-01-09T16:51:00+07:00", "2022-01-09", False),  # date only, time expected
        ("2022-01-09T16:51:00+07:00", None, False),
        ("2022-01-09T16:51:00+07:00", "9 Januari 2022, 16:51 WIB", False),  # not ISO
        # a date-only truth compares the date only
        ("2022-01-09", "2022-01-09", True),
        ("2022-01-09", "2022-01-09T23:30:00+07:00", True),
        ("2022-01-09", "2022-01-10T00:30:00+07:00", False),
        (None, None, True),
        (None, "2022-01-09", False),
        (None, "", True),
    ],
)
def test_same_instant(expected, got, ok):
    assert same_instant(expected, got) is ok


# --------------------------------------------------------------------------- page and corpus scores

TRUTH = {
    "id": "site__story",
    "url": "https://example.com/story",
    "title": "Judul Berita",
    "body": STORY,
    "authors": ["Penulis Satu"],
    "editors": ["Editor Dua"],
    "sources": [],
    "published_at": "2022-01-09T16:51:00+07:00",
    "dateline": "PR DEPOK",
    "noise": ["Baca Juga: Berita Lain Hari Ini"],
}

PERFECT = {
    "title": "Judul Berita",
    "body": STORY,
    "authors": ["Penulis Satu"],
    "editors": ["Editor Dua"],
    "sources": [],
    "published_at": "2022-01-09T16:51:00+07:00",
    "dateline": "PR DEPOK",
}


def test_score_page_perfect():
    score = score_page(TRUTH, PERFECT)
    assert score == PageScore(
        id="site__story",
        precision=1.0,
        recall=1.0,
        f1=1.0,
        leaked=(),
        title_ok=True,
        published_ok=True,
        authors_ok=True,
        editors_ok=True,
        sources_ok=True,
        dateline_ok=True,
    )
    assert score.failed_fields() == []


def test_score_page_detects_leak_and_wrong_fields():
    record = dict(
        PERFECT,
        body=STORY + "\n\nBaca Juga: Berita Lain Hari Ini",
        published_at="2022-01-09T16:51:00+08:00",
        authors=[],
    )
    score = score_page(TRUTH, record)
    assert score.leaked == ("Baca Juga: Berita Lain Hari Ini",)
    assert score.recall == 1.0 and score.precision < 1.0
    assert score.failed_fields() == ["published_at", "authors"]


def test_score_page_missing_keys_count_as_empty():
    score = score_page(TRUTH, {"url": TRUTH["url"], "title": None, "body": ""})
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)
    assert not score.title_ok and not score.authors_ok and not score.published_ok
    assert score.sources_ok  # truth has no sources, record has none


def test_summarise_means_and_rates():
    good = score_page(TRUTH, PERFECT)
    bad = score_page(
        TRUTH,
        dict(PERFECT, body="satu dua tiga empat lima Baca Juga: Berita Lain Hari Ini", title=None),
    )
    summary = summarise([good, bad])
    assert summary.pages == 2
    assert summary.precision == pytest.approx((1.0 + bad.precision) / 2)
    assert summary.recall == pytest.approx((1.0 + bad.recall) / 2)
    # F1 of the means, not the mean of page F1s
    assert summary.f1 == pytest.approx(ev.f1_score(summary.precision, summary.recall))
    assert summary.min_page_f1 == pytest.approx(bad.f1)
    assert summary.leak_pages == 1
    assert summary.title_rate == 0.5
    assert summary.rate("title") == 0.5
    assert summary.published_rate == summary.rate("published_at") == 1.0
    assert summary.dateline_rate == 1.0


def test_summarise_empty():
    summary = summarise([])
    assert summary.pages == 0 and summary.f1 == 0.0


def test_percentile():
    assert ev.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert ev.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    assert ev.percentile([7.0], 95) == 7.0


# --------------------------------------------------------------------------- corpus loading


def test_load_corpus_and_dirs(tmp_path, monkeypatch):
    corpus = tmp_path / "shared" / "corpus"
    (corpus / "pages").mkdir(parents=True)
    (corpus / "truth").mkdir()
    (corpus / "pages" / "b__two.html").write_bytes(b"<html><p>dua</p></html>")
    (corpus / "pages" / "a__one.html").write_bytes("<html><p>satu é</p></html>".encode())
    (corpus / "truth" / "b__two.json").write_text(
        json.dumps({"id": "b__two", "url": "https://b/2", "body": "dua"})
    )
    (corpus / "truth" / "a__one.json").write_text(
        json.dumps({"url": "https://a/1", "body": "satu"})
    )

    pages = ev.load_corpus(corpus)
    assert [p.id for p in pages] == ["a__one", "b__two"]
    assert pages[0].url == "https://a/1"
    assert pages[0].truth["id"] == "a__one"  # filled in from the file name
    assert pages[0].html == "<html><p>satu é</p></html>".encode()
    assert pages[1].path == corpus / "pages" / "b__two.html"

    monkeypatch.setenv(ev.SHARED_DIR_ENV, str(tmp_path / "shared"))
    assert ev.corpus_dir() == corpus
    assert ev.generic_bench_dir() is None
    monkeypatch.setenv(ev.SHARED_DIR_ENV, str(tmp_path / "nowhere"))
    assert ev.corpus_dir() is None

    (corpus / "truth" / "c__orphan.json").write_text("{}")
    with pytest.raises(FileNotFoundError, match="c__orphan"):
        ev.load_corpus(corpus)
