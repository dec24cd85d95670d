"""Unit tests for crawler.extraction.byline: credit lines -> (role, names)."""

from __future__ import annotations

import pytest

from crawler.extraction.byline import Credits, find_credits, parse_credit_line, split_names, wire_source


def xfail(*values, reason: str):
    return pytest.param(*values, marks=pytest.mark.xfail(strict=True, reason=reason))


# --- parse_credit_line: one labelled line --------------------------------------------------

CREDIT_LINE_ROWS = [
    # role words
    ("Penulis: Adi Surya", ("authors", ["Adi Surya"])),
    ("Reporter : Budi Santoso", ("authors", ["Budi Santoso"])),
    ("Pewarta: Ade Irma Junida", ("authors", ["Ade Irma Junida"])),
    ("Kontributor: Deni Hermawan", ("authors", ["Deni Hermawan"])),
    ("Wartawan: Eko Prasetyo", ("authors", ["Eko Prasetyo"])),
    ("Writer: Jane Doe", ("authors", ["Jane Doe"])),
    ("Editor: Nur Annisa", ("editors", ["Nur Annisa"])),
    ("EDITOR : Nur Annisa", ("editors", ["Nur Annisa"])),
    ("Penyunting: Citra Dewi", ("editors", ["Citra Dewi"])),
    ("Redaktur: Ahmad Dani", ("editors", ["Ahmad Dani"])),
    ("Red: Ahmad Dani", ("editors", ["Ahmad Dani"])),
    ("Editor：Nur Annisa", ("editors", ["Nur Annisa"])),  # full-width colon
    ("Sumber: Reuters", ("sources", ["Reuters"])),
    ("Sumber : ANTARA", ("sources", ["ANTARA"])),
    # 'Oleh X' / 'By X'
    ("Oleh Beryl Santoso", ("authors", ["Beryl Santoso"])),
    ("Oleh: Beryl Santoso", ("authors", ["Beryl Santoso"])),
    ("By John Smith", ("authors", ["John Smith"])),
    # Tribun network
    ("Laporan Wartawan TribunSolo.com, Adi Surya", ("authors", ["Adi Surya"])),
    (
        "Laporan Reporter Tribunnews.com, Budi Santoso & Citra Dewi",
        ("authors", ["Budi Santoso", "Citra Dewi"]),
    ),
    # several names
    ("Editor: Nur Annisa, Budi Santoso", ("editors", ["Nur Annisa", "Budi Santoso"])),
    ("Editor: Nur Annisa & Budi Santoso", ("editors", ["Nur Annisa", "Budi Santoso"])),
    ("Editor: Nur Annisa dan Budi Santoso", ("editors", ["Nur Annisa", "Budi Santoso"])),
    ("Penulis: Adi, Budi, Citra", ("authors", ["Adi", "Budi", "Citra"])),
    # what follows a name on the line is not part of it
    ("Penulis: Budi Santoso - 9 Januari 2022", ("authors", ["Budi Santoso"])),
    ("Penulis: Budi Santoso 9 Januari 2022, 10:00 WIB", ("authors", ["Budi Santoso"])),
    ("Reporter: Budi Santoso (bud)", ("authors", ["Budi Santoso"])),
    ("Penulis: M. Rizky Pratama", ("authors", ["M. Rizky Pratama"])),
    # outlets and user names are not people ...
    ("Penulis: Liputan6.com", ("authors", [])),
    ("Penulis: Tim Redaksi", ("authors", [])),
    ("Editor: Media Indonesia", ("editors", [])),
    ("Editor: prwir", ("editors", [])),
    ("Editor: admin", ("editors", [])),
    # ... but sources keep outlet names
    ("Sumber: Antaranews.com", ("sources", ["Antaranews.com"])),
    ("Sumber: Tribunnews.com, Kompas.com", ("sources", ["Tribunnews.com", "Kompas.com"])),
    # not credit lines
    ("Oleh karena itu, pemerintah menaikkan harga.", None),
    ("oleh sebab itu", None),
    ("Sang editor mengatakan naskah itu sudah selesai.", None),
    ("Editor", None),
    ("Sumber masalah: kurangnya dana", None),
    ("", None),
    ("Editor: " + "Nur Annisa " * 20, None),  # over 160 characters
    pytest.param(
        "Sumber: Reuters/AFP",
        ("sources", ["Reuters", "AFP"])),
    pytest.param(
        "Oleh Kementerian Kesehatan, warga diminta tetap waspada.",
        None),
]


@pytest.mark.parametrize(("text", "expected"), CREDIT_LINE_ROWS)
def test_parse_credit_line(text, expected):
    assert parse_credit_line(text) == expected


# --- find_credits: several labels on one line ----------------------------------------------

FIND_CREDITS_ROWS = [
    (
        "Penulis: Adi Surya | Editor: Budi Santoso",
        False,
        [("authors", ["Adi Surya"]), ("editors", ["Budi Santoso"])],
    ),
    ("Redaktur : Ahmad Dani Sumber : Antara", False, [("editors", ["Ahmad Dani"]), ("sources", ["Antara"])]),
    (
        "Reporter: Adi Surya Editor: Nur Annisa",
        False,
        [("authors", ["Adi Surya"]), ("editors", ["Nur Annisa"])],
    ),
    ("Sumber: Reuters Editor: Nur Annisa", False, [("sources", ["Reuters"]), ("editors", ["Nur Annisa"])]),
    ("Editor: Nur Annisa", False, [("editors", ["Nur Annisa"])]),
    ("Oleh Beryl Santoso", False, [("authors", ["Beryl Santoso"])]),
    ("Laporan Wartawan TribunSolo.com, Adi Surya", False, [("authors", ["Adi Surya"])]),
    # a label with no person after it is still a credit (so the line is recognised)
    ("Editor: PR Wire", False, [("editors", [])]),
    # text before the first label: only with anywhere=True
    ("GAYA | 17 Juni 2021 Reporter : Budi Santoso", False, []),
    ("GAYA | 17 Juni 2021 Reporter : Budi Santoso", True, [("authors", ["Budi Santoso"])]),
    # story text
    ("Sang editor mengatakan naskah itu sudah selesai.", False, []),
    ("Kata editor: naskah itu bagus.", False, []),
    ("Harga beras naik lagi.", True, []),
]


@pytest.mark.parametrize(("text", "anywhere", "expected"), FIND_CREDITS_ROWS)
def test_find_credits(text, anywhere, expected):
    assert find_credits(text, anywhere=anywhere) == expected


# --- split_names ----------------------------------------------------------------------------

SPLIT_ROWS = [
    ("Nur Annisa, Adi Surya dan Budi", False, ["Nur Annisa", "Adi Surya", "Budi"]),
    ("Nur Annisa & Adi Surya", False, ["Nur Annisa", "Adi Surya"]),
    ("Nur Annisa; Adi Surya", False, ["Nur Annisa", "Adi Surya"]),
    ("Nur Annisa / Adi Surya", False, ["Nur Annisa", "Adi Surya"]),
    ("Nur Annisa | Adi Surya", False, ["Nur Annisa"]),  # '|' opens a tail ('X | 9 Januari 2022')
    ("Jane Doe and John Smith", False, ["Jane Doe", "John Smith"]),
    ("  Nur\u00a0Annisa  ", False, ["Nur Annisa"]),
    # 'dan'/'and' inside a name is no separator
    ("Rizky Rahmadani", False, ["Rizky Rahmadani"]),
    ("Dandi Dandan", False, ["Dandi Dandan"]),
    ("Anda Andan dan Mandan", False, ["Anda Andan", "Mandan"]),
    # outlet names and user names are not people
    ("Liputan6.com", False, []),
    ("Antaranews.com", False, []),
    ("Tim Redaksi", False, []),
    ("Kompas Media", False, []),
    ("CNN Indonesia Newsroom", False, []),
    ("prwir", False, []),
    ("Nur Annisa, liputan6.com, prwir", False, ["Nur Annisa"]),
    ("123", False, []),
    ("", False, []),
    ("Nur Annisa Dwi Rahmawati Kusuma Wardhani Putri", False, []),  # over 6 words: not a name
    # keep_outlets (sources): outlet names stay, and only ',' separates
    ("Antaranews.com", True, ["Antaranews.com"]),
    ("Tim Redaksi", True, ["Tim Redaksi"]),
    ("Reuters, AFP", True, ["Reuters", "AFP"]),
    ("Kompas Gramedia & Partner", True, ["Kompas Gramedia & Partner"]),
]


@pytest.mark.parametrize(("value", "keep_outlets", "expected"), SPLIT_ROWS)
def test_split_names(value, keep_outlets, expected):
    assert split_names(value, keep_outlets=keep_outlets) == expected


# --- wire_source / Credits ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ant", "Antara"),
        ("ANT", "Antara"),
        ("Antara", "Antara"),
        (" antara ", "Antara"),
        ("Reuters", "Reuters"),
        ("afp", "AFP"),
        ("AP", "AP"),
        ("Xinhua", "Xinhua"),
        ("PRNewswire", "PRNewswire"),
        ("rka", None),
        ("mdk", None),
        ("Dio", None),
        ("", None),
    ],
)
def test_wire_source(code, expected):
    assert wire_source(code) == expected


def test_credits_add_keeps_page_order_without_case_duplicates():
    credits = Credits()
    credits.add("authors", ["Budi", "budi", "Citra"])
    credits.add("authors", ["CITRA", "Dewi"])
    assert credits.authors == ["Budi", "Citra", "Dewi"]
    assert credits.editors == credits.sources == []


def test_credits_merge():
    credits = Credits(authors=["Budi"], sources=["Antara"])
    other = Credits(authors=["budi", "Citra"], editors=["Nur Annisa"], sources=["Reuters"])
    credits.merge(other)
    assert credits == Credits(
        authors=["Budi", "Citra"], editors=["Nur Annisa"], sources=["Antara", "Reuters"]
    )
    assert other.authors == ["budi", "Citra"]  # the other collector is left alone


def test_credits_add_rejects_unknown_field():
    with pytest.raises(AttributeError):
        Credits().add("photographers", ["Budi"])
