"""Unit tests for crawler.extraction.cleaning: one table per tree step and per block step.

Every block-step row is (input block texts -> kept texts, blocks counted under the step's rule
name). The negative rows (story text that looks like noise) matter as much as the positive
ones: over-cleaning loses story, under-cleaning leaks boilerplate. Rows marked xfail(strict)
are known bugs or over-cleaning risks; they start passing (and then fail as XPASS) when fixed.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement, fragment_fromstring, tostring

from crawler.extraction import cleaning
from crawler.extraction.blocks import Block, blocks_of
from crawler.extraction.byline import Credits
from crawler.extraction.core import clean_blocks

STORY = "Presiden Joko Widodo meresmikan jalan tol baru di Jawa Tengah pada Senin pagi."
STORY2 = "Tol sepanjang 40 kilometer itu memangkas waktu tempuh Semarang-Solo menjadi satu jam."


def blocks(*texts: str) -> list[Block]:
    return [Block(t) for t in texts]


def texts(bs: list[Block]) -> list[str]:
    return [b.text for b in bs]


def tree(html: str) -> HtmlElement:
    return fragment_fromstring(html, create_parent="div")


def html_of(root: HtmlElement) -> str:
    return tostring(root, encoding="unicode")


def words(n: int, link: bool = False) -> str:
    text = " ".join(f"kata{i}" for i in range(n))
    return f'<a href="/x">{text}</a>' if link else text


def assert_removed(removed: Counter, rule: str, count: int) -> None:
    assert removed[rule] == count
    assert sum(removed.values()) == count, dict(removed)


def xfail(*values, reason: str):
    return pytest.param(*values, marks=pytest.mark.xfail(strict=True, reason=reason))


# =============================================================================================
# Block steps
# =============================================================================================

# --- drop_read_also -------------------------------------------------------------------------

READ_ALSO_ROWS = [
    # noise
    (["Baca Juga: Jokowi Resmikan Tol Trans Jawa", STORY], [STORY], 1),
    (["Baca juga:", STORY], [STORY], 1),
    (["BACA JUGA: Harga Emas Antam Naik Lagi"], [], 1),
    (["Simak juga video berikut ini"], [], 1),
    (["Lihat Juga:"], [], 1),
    (["Baca Selanjutnya"], [], 1),
    (["Berita Terkait"], [], 1),
    (["Baca berita lainnya di sini"], [], 1),
    (["» Baca Juga: Polisi Tangkap Pelaku"], [], 1),
    (['"Baca juga: Polisi Tangkap Pelaku"'], [], 1),
    (["Tonton juga: Detik-detik banjir bandang"], [], 1),
    (["Artikel menarik lainnya"], [], 1),
    (["Jangan lewatkan: Jadwal Timnas Indonesia"], [], 1),
    (["Read also: Stocks fall"], [], 1),
    (["Baca Juga: A", STORY, "Lihat juga: B", STORY2], [STORY, STORY2], 2),
    # story text that starts like a prompt: kept
    (
        ["Bacaan doa ini dibaca setiap pagi oleh umat Muslim."],
        ["Bacaan doa ini dibaca setiap pagi oleh umat Muslim."],
        0,
    ),
    (
        ["Baca tulis menjadi syarat utama masuk sekolah dasar."],
        ["Baca tulis menjadi syarat utama masuk sekolah dasar."],
        0,
    ),
    (["Simak penjelasan lengkapnya berikut ini."], ["Simak penjelasan lengkapnya berikut ini."], 0),
    (["Lihat saja data BPS tahun lalu, inflasi naik."], ["Lihat saja data BPS tahun lalu, inflasi naik."], 0),
    (["Cek fakta: klaim itu keliru."], ["Cek fakta: klaim itu keliru."], 0),
    (["Ia juga membaca berita terkait kasus itu."], ["Ia juga membaca berita terkait kasus itu."], 0),
    (["Berita itu dibantah oleh polisi."], ["Berita itu dibantah oleh polisi."], 0),
    (["Baca: Harga Emas Antam Naik Lagi"], [], 1),
    pytest.param(
        ["Info terkini dari BMKG menyebutkan hujan lebat akan turun di Jakarta hingga Minggu."],
        ["Info terkini dari BMKG menyebutkan hujan lebat akan turun di Jakarta hingga Minggu."],
        0),
]


@pytest.mark.parametrize(("given", "kept", "count"), READ_ALSO_ROWS)
def test_drop_read_also(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_read_also(blocks(*given), removed)) == kept
    assert_removed(removed, "baca_juga", count)


# --- drop_related_links ---------------------------------------------------------------------

HEADLINE = "Jokowi Resmikan Tol Trans Jawa Ruas Semarang-Solo."  # 50 characters


def linked(text: str, ratio: float) -> Block:
    return Block(text, "p", round(len(text) * ratio))


RELATED_ROWS = [
    ([linked(HEADLINE, 1.0)], [], 1),
    ([linked(HEADLINE, 0.8)], [], 1),
    ([linked(HEADLINE, 0.78)], [HEADLINE], 0),
    ([linked(HEADLINE, 0.3)], [HEADLINE], 0),
    ([Block(STORY), linked(HEADLINE, 1.0), Block(STORY2)], [STORY, STORY2], 1),
    ([linked(words(30), 1.0)], [], 1),
    # a 40-word paragraph that is all link is not a related headline: kept
    ([linked(words(40), 1.0)], [words(40)], 0),
    ([linked(words(31), 1.0)], [words(31)], 0),
]


@pytest.mark.parametrize(("given", "kept", "count"), RELATED_ROWS)
def test_drop_related_links(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_related_links(given, removed)) == kept
    assert_removed(removed, "related_link", count)


# --- drop_ad_labels -------------------------------------------------------------------------

AD_ROWS = [
    (["ADVERTISEMENT", STORY], [STORY], 1),
    (["SCROLL TO CONTINUE WITH CONTENT"], [], 1),
    (["Scroll down untuk melanjutkan membaca"], [], 1),
    (["Scroll untuk lanjut"], [], 1),
    (["- Advertisement -"], [], 1),
    (["Iklan"], [], 1),
    (["Konten Bersponsor"], [], 1),
    (["Lanjutkan Membaca"], [], 1),
    (["Perbesar"], [], 1),
    (["ADVERTISEMENT", STORY, "SCROLL TO CONTINUE WITH CONTENT", STORY2], [STORY, STORY2], 2),
    # story sentences that start with an ad word: kept (the whole line must be the label)
    (["Iklan rokok dilarang tayang di televisi."], ["Iklan rokok dilarang tayang di televisi."], 0),
    (
        ["Tutup usia pada umur 80 tahun, ia dimakamkan di Bandung."],
        ["Tutup usia pada umur 80 tahun, ia dimakamkan di Bandung."],
        0,
    ),
    (["Scroll media sosial membuat remaja cemas."], ["Scroll media sosial membuat remaja cemas."], 0),
]


@pytest.mark.parametrize(("given", "kept", "count"), AD_ROWS)
def test_drop_ad_labels(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_ad_labels(blocks(*given), removed)) == kept
    assert_removed(removed, "ad_label", count)


# --- drop_prompts ---------------------------------------------------------------------------

LONG_PROMPT_LIKE = "Ikuti saluran resmi WhatsApp pemerintah, kata Menkominfo. " + " ".join(
    ["Ia menjelaskan bahwa informasi resmi soal vaksinasi akan dikirim lewat kanal itu."] * 4
)

PROMPT_ROWS = [
    (["Dapatkan berita terbaru dan update setiap hari di Google News", STORY], [STORY], 1),
    (["Ikuti saluran WhatsApp Kompas.com untuk update berita terbaru"], [], 1),
    (
        [
            "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com. Mari bergabung di Grup Telegram"
        ],
        [],
        1,
    ),
    (["Simak berita dan artikel lainnya di Google News"], [], 1),
    (["Jangan lupa follow akun Instagram kami."], [], 1),
    (["Copyright © 2023 Kompas.com"], [], 1),
    (["© 2024 detikcom"], [], 1),
    # kept
    (["Ikuti langkah berikut untuk mengurus paspor."], ["Ikuti langkah berikut untuk mengurus paspor."], 0),
    (
        ["Warga diminta mengikuti saluran resmi pemerintah di WhatsApp."],
        ["Warga diminta mengikuti saluran resmi pemerintah di WhatsApp."],
        0,
    ),
    ([LONG_PROMPT_LIKE], [LONG_PROMPT_LIKE], 0),  # 300+ characters: a story paragraph
    pytest.param(
        ["Ikuti perkembangan kasus ini, polisi masih menyelidiki aplikasi pinjol ilegal itu."],
        ["Ikuti perkembangan kasus ini, polisi masih menyelidiki aplikasi pinjol ilegal itu."],
        0),
    pytest.param(
        ["Download aplikasi PeduliLindungi menjadi syarat masuk mal, kata Menkes."],
        ["Download aplikasi PeduliLindungi menjadi syarat masuk mal, kata Menkes."],
        0),
    pytest.param(
        ["Update: korban bertambah menjadi 10 orang menurut berita terbaru BNPB."],
        ["Update: korban bertambah menjadi 10 orang menurut berita terbaru BNPB."],
        0),
]


@pytest.mark.parametrize(("given", "kept", "count"), PROMPT_ROWS)
def test_drop_prompts(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_prompts(blocks(*given), removed)) == kept
    assert_removed(removed, "prompt", count)


# --- drop_pagination ------------------------------------------------------------------------

PAGINATION_ROWS = [
    ([STORY, "Halaman 1 2 3 Selanjutnya"], [STORY], 1),
    (["2 dari 4 halaman"], [], 1),
    (["10 dari 12 halaman"], [], 1),
    (["Halaman selanjutnya"], [], 1),
    (["Selanjutnya"], [], 1),
    (["« Sebelumnya"], [], 1),
    (["1 2 3"], [], 1),
    (["Halaman: 1 2"], [], 1),
    (["Hal. 2"], [], 1),
    (["Next"], [], 1),
    (["Lihat Semua"], [], 1),
    # kept
    (["Selanjutnya, polisi memeriksa tiga saksi."], ["Selanjutnya, polisi memeriksa tiga saksi."], 0),
    (["Halaman 5 laporan itu memuat data korban."], ["Halaman 5 laporan itu memuat data korban."], 0),
    (["2 dari 3 korban selamat."], ["2 dari 3 korban selamat."], 0),
    (["2024"], ["2024"], 0),  # a lone number (a year, a score) is not a pager
]


@pytest.mark.parametrize(("given", "kept", "count"), PAGINATION_ROWS)
def test_drop_pagination(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_pagination(blocks(*given), removed)) == kept
    assert_removed(removed, "pagination", count)


# --- drop_contact_lines / drop_hashtag_lines ------------------------------------------------

CONTACT_ROWS = [
    ([STORY, "KONTAK: info@contoh.co.id"], [STORY], 1),
    (["Narahubung: Budi (0812-3456-7890)"], [], 1),
    (["Media Contact: Jane Doe"], [], 1),
    (["Info lebih lanjut: www.contoh.co.id"], [], 1),
    (["Kontak senjata terjadi di Nduga, Papua."], ["Kontak senjata terjadi di Nduga, Papua."], 0),
    (["Kontak erat pasien wajib isolasi mandiri."], ["Kontak erat pasien wajib isolasi mandiri."], 0),
]


@pytest.mark.parametrize(("given", "kept", "count"), CONTACT_ROWS)
def test_drop_contact_lines(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_contact_lines(blocks(*given), removed)) == kept
    assert_removed(removed, "contact", count)


HASHTAG_LONG = "#Pilpres2024 menjadi trending topic di Twitter sepanjang hari Minggu kemarin."
HASHTAG_ROWS = [
    ([STORY, "#ChangeMaker with FIMELA"], [STORY], 1),
    (["#JanganLupaBahagia"], [], 1),
    ([HASHTAG_LONG], [HASHTAG_LONG], 0),
    (["Tagar #SaveKPK ramai di media sosial."], ["Tagar #SaveKPK ramai di media sosial."], 0),
    pytest.param(
        ["#sudahdivaksin #tetap3m"],
        [],
        1),
]


@pytest.mark.parametrize(("given", "kept", "count"), HASHTAG_ROWS)
def test_drop_hashtag_lines(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_hashtag_lines(blocks(*given), removed)) == kept
    assert_removed(removed, "hashtag", count)


# --- drop_tag_lines / drop_syndication_notes -------------------------------------------------

TAG_LINE_ROWS = [
    ([STORY, "Tags: banjir, Bandung"], [STORY], 1),
    (["Tag: pemilu"], [], 1),
    (["Topik: Pemilu 2024"], [], 1),
    (["Kata kunci: jokowi, tol"], [], 1),
    (["Tags:banjir"], [], 1),
    # a bare heading is the footer step's business; story text with 'topik' is kept
    (["Tags"], ["Tags"], 0),
    (["Topik utama rapat itu: anggaran."], ["Topik utama rapat itu: anggaran."], 0),
    (["Tagar #SaveKPK ramai di media sosial."], ["Tagar #SaveKPK ramai di media sosial."], 0),
]


@pytest.mark.parametrize(("given", "kept", "count"), TAG_LINE_ROWS)
def test_drop_tag_lines(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_tag_lines(blocks(*given), removed)) == kept
    assert_removed(removed, "tags", count)


SYNDICATION_ROWS = [
    # (given, kept, count, sources)
    (
        [STORY, 'Artikel ini telah tayang di Tribunnews.com dengan judul "Jokowi Resmikan Tol"'],
        [STORY],
        1,
        ["Tribunnews.com"],
    ),
    (["Artikel ini telah terbit di SerambiNews.com dengan judul X"], [], 1, ["SerambiNews.com"]),
    (["Artikel ini tayang di Tribun Jateng dengan judul X"], [], 1, ["Tribun Jateng"]),
    (["Tulisan ini dimuat di Kompas.id pada 9 Januari 2022"], [], 1, ["Kompas.id"]),
    (["Artikel itu dibaca jutaan orang."], ["Artikel itu dibaca jutaan orang."], 0, []),
    (["Berita ini telah tayang di Kompas.com, Senin (9/1/2022)"], [], 1, ["Kompas.com"]),
    pytest.param(
        ["Berita ini dimuat di harian Kompas pada 1998 dan memicu protes mahasiswa."],
        ["Berita ini dimuat di harian Kompas pada 1998 dan memicu protes mahasiswa."],
        0,
        []),
]


@pytest.mark.parametrize(("given", "kept", "count", "sources"), SYNDICATION_ROWS)
def test_drop_syndication_notes(given, kept, count, sources):
    removed = Counter()
    credits = Credits()
    assert texts(cleaning.drop_syndication_notes(blocks(*given), removed, credits)) == kept
    assert_removed(removed, "syndication", count)
    assert credits.sources == sources


# --- drop_empty -----------------------------------------------------------------------------

EMPTY_ROWS = [
    (["•", STORY, "---", "—", ""], [STORY], 4),
    (["*", "&", "|"], [], 3),
    (["1", "é", "a"], ["1", "é", "a"], 0),
]


@pytest.mark.parametrize(("given", "kept", "count"), EMPTY_ROWS)
def test_drop_empty(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_empty(blocks(*given), removed)) == kept
    assert_removed(removed, "empty", count)


# --- strip_bullets --------------------------------------------------------------------------

BULLET_ROWS = [
    ("• Perjalanan dinas ke luar negeri", "Perjalanan dinas ke luar negeri"),
    ("- Poin pertama", "Poin pertama"),
    ("► Jokowi resmikan tol", "Jokowi resmikan tol"),
    ("»  Berita lain", "Berita lain"),
    ("•• Dua bullet", "Dua bullet"),
    ("→ “Kami siap,” katanya.", "“Kami siap,” katanya."),
    ("1. Siapkan KTP.", "1. Siapkan KTP."),  # numbering is text
    ('"Kami siap," katanya.', '"Kami siap," katanya.'),
    ("—Kutipan dari buku", "—Kutipan dari buku"),
    pytest.param(
        "-5 derajat Celsius tercatat di Puncak Jaya pagi ini.",
        "-5 derajat Celsius tercatat di Puncak Jaya pagi ini."),
]


@pytest.mark.parametrize(("given", "expected"), BULLET_ROWS)
def test_strip_bullets(given, expected):
    (out,) = cleaning.strip_bullets([Block(given, "li", 0)])
    assert out.text == expected
    assert out.tag == "li"


def test_strip_bullets_keeps_link_chars_within_the_new_text():
    original = Block("• Jokowi", "li", 8)
    (out,) = cleaning.strip_bullets([original])
    assert (out.text, out.link_chars) == ("Jokowi", 6)
    untouched = Block("Jokowi", "p", 3)
    assert cleaning.strip_bullets([untouched])[0] is untouched


# --- drop_photo_credits ---------------------------------------------------------------------

CAPTION = "Presiden Joko Widodo meninjau lokasi banjir di Bekasi, Jawa Barat, Minggu."
PHOTO_ROWS = [
    ([STORY, "(Foto: Dok. Humas)"], (), [STORY], 1),
    (["Foto: Antara/Hafidz Mubarak"], (), [], 1),
    (["Ilustrasi: Shutterstock"], (), [], 1),
    (["Dok. Istimewa"], (), [], 1),
    (["(Foto: Istimewa)"], (), [], 1),
    (["Sumber foto: Instagram @jokowi"], (), [], 1),
    (["Warga berfoto di depan Monas (Foto: Dok. Humas)"], (), [], 1),
    (["(ist)"], (), [], 1),
    # kept
    (["Foto bersama dilakukan usai acara."], (), ["Foto bersama dilakukan usai acara."], 0),
    (["Dokter meminta warga tetap waspada."], (), ["Dokter meminta warga tetap waspada."], 0),
    # a caption repeated in the text
    ([CAPTION, STORY], [CAPTION], [STORY], 1),
    ([CAPTION.upper(), STORY], [CAPTION], [STORY], 1),
    (["Presiden Joko Widodo meninjau lokasi banjir di Bekasi"], [CAPTION], [], 1),  # a cut copy
    (["Presiden Joko Widodo"], [CAPTION], ["Presiden Joko Widodo"], 0),  # too short to tell
    (["Warga antre"], ["Warga antre"], ["Warga antre"], 0),  # captions of 20 chars or less are ignored
    pytest.param(
        ["Jumlah penduduk miskin turun menjadi 25,9 juta orang (Sumber: BPS)"],
        (),
        ["Jumlah penduduk miskin turun menjadi 25,9 juta orang (Sumber: BPS)"],
        0),
    (
        [CAPTION + " Ia juga menyerahkan bantuan kepada warga yang mengungsi."],
        [CAPTION],
        [CAPTION + " Ia juga menyerahkan bantuan kepada warga yang mengungsi."],
        0,
    ),
]


@pytest.mark.parametrize(("given", "captions", "kept", "count"), PHOTO_ROWS)
def test_drop_photo_credits(given, captions, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_photo_credits(blocks(*given), removed, captions)) == kept
    assert_removed(removed, "caption", count)


# --- drop_title_repeats ---------------------------------------------------------------------

TITLE = "Jokowi Resmikan Tol Semarang-Solo"
TITLE_ROWS = [
    ([TITLE, STORY], TITLE, [STORY], 1),
    (["JOKOWI RESMIKAN TOL SEMARANG-SOLO", STORY], TITLE, [STORY], 1),
    ([TITLE + " Hari Ini", STORY], TITLE, [TITLE + " Hari Ini", STORY], 0),
    ([TITLE, STORY], None, [TITLE, STORY], 0),
    ([TITLE, STORY], "", [TITLE, STORY], 0),
]


@pytest.mark.parametrize(("given", "title", "kept", "count"), TITLE_ROWS)
def test_drop_title_repeats(given, title, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_title_repeats(blocks(*given), removed, title)) == kept
    assert_removed(removed, "title", count)


# --- drop_credit_lines ----------------------------------------------------------------------

LONG_EDITOR = "Editor: " + " ".join(
    ["Naskah ini disunting ulang karena ada kesalahan data pada versi pertama."] * 3
)

CREDIT_ROWS = [
    # (text, dropped, authors, editors, sources)
    ("Editor: Nur Annisa", True, [], ["Nur Annisa"], []),
    ("Penulis: Adi Surya | Editor: Budi Santoso", True, ["Adi Surya"], ["Budi Santoso"], []),
    ("Redaktur : Ahmad Dani Sumber : Antara", True, [], ["Ahmad Dani"], ["Antara"]),
    ("Sumber: Reuters", True, [], [], ["Reuters"]),
    ("Sumber: Antaranews.com", True, [], [], ["Antaranews.com"]),
    ("Pewarta: Ade Irma Junida", True, ["Ade Irma Junida"], [], []),
    ("Reporter: Adi Surya (ads)", True, ["Adi Surya"], [], []),
    ("Oleh Beryl Santoso", True, ["Beryl Santoso"], [], []),
    ("Laporan Wartawan TribunSolo.com, Adi Surya", True, ["Adi Surya"], [], []),
    ("Editor: Nur Annisa, Budi dan Citra", True, [], ["Nur Annisa", "Budi", "Citra"], []),
    # a labelled line whose value is no person is still a credit line, and goes
    ("Penulis: Tim Redaksi", True, [], [], []),
    ("Editor: prwir", True, [], [], []),
    # story text mentioning a role word: kept
    ("Sang editor mengatakan naskah itu sudah selesai.", False, [], [], []),
    ("Editor majalah itu, Budi, mengatakan hal tersebut.", False, [], [], []),
    ("Oleh karena itu, pemerintah menaikkan harga BBM.", False, [], [], []),
    ("Oleh sebab itu Presiden meminta maaf.", False, [], [], []),
    ("Sumber masalahnya adalah kurangnya dana.", False, [], [], []),
    (LONG_EDITOR, False, [], [], []),  # over 200 characters: not a credit line
    pytest.param(
        "Oleh Kementerian Kesehatan, warga diminta tetap waspada.",
        False,
        [],
        [],
        []),
]


@pytest.mark.parametrize(("text", "dropped", "authors", "editors", "sources"), CREDIT_ROWS)
def test_drop_credit_lines(text, dropped, authors, editors, sources):
    removed = Counter()
    credits = Credits()
    kept = cleaning.drop_credit_lines(blocks(STORY, text), removed, credits)
    assert texts(kept) == ([STORY] if dropped else [STORY, text])
    assert_removed(removed, "credit_line", int(dropped))
    assert (credits.authors, credits.editors, credits.sources) == (authors, editors, sources)


# --- truncate_at_footer_heading -------------------------------------------------------------

FOOTER_ROWS = [
    (["P1", "P2", "P3", "Tags", "pemilu", "jokowi"], ["P1", "P2", "P3"], 3),
    (["P1", "P2", "Tags:", "pemilu"], ["P1", "P2"], 2),  # at exactly half: cut
    (["P1", "P2", "P3", "Berita Terkait", "Judul lain"], ["P1", "P2", "P3"], 2),
    (["P1", "P2", "Topik Terkait", "x"], ["P1", "P2"], 2),
    (["P1", "P2", "Artikel Pilihan", "x"], ["P1", "P2"], 2),
    (["P1", "P2", "P3", "Komentar"], ["P1", "P2", "P3"], 1),
    # 'Tags' in the first half is not the footer
    (["P1", "Tags", "P3", "P4", "P5", "P6"], ["P1", "Tags", "P3", "P4", "P5", "P6"], 0),
    (["Berita Terkait", "P2", "P3", "P4"], ["Berita Terkait", "P2", "P3", "P4"], 0),
    # a line that starts with a footer word but is more than a heading: kept
    (["P1", "P2", "Tag: pemilu", "P4"], ["P1", "P2", "Tag: pemilu", "P4"], 0),
    (
        ["P1", "P2", "Terkait hal itu, polisi memeriksa saksi.", "P4"],
        ["P1", "P2", "Terkait hal itu, polisi memeriksa saksi.", "P4"],
        0,
    ),
    (["P1", "P2", "Tagar itu viral.", "P4"], ["P1", "P2", "Tagar itu viral.", "P4"], 0),
    ([], [], 0),
]


@pytest.mark.parametrize(("given", "kept", "count"), FOOTER_ROWS)
def test_truncate_at_footer_heading(given, kept, count):
    removed = Counter()
    assert texts(cleaning.truncate_at_footer_heading(blocks(*given), removed)) == kept
    assert_removed(removed, "footer", count)


# --- strip_end_marks ------------------------------------------------------------------------

END_MARK_ROWS = [
    ([STORY, "Cerita berakhir di sini.***"], [STORY, "Cerita berakhir di sini."], 1),
    ([STORY, "***"], [STORY], 1),
    ([STORY, "Cerita berakhir. (***)"], [STORY, "Cerita berakhir."], 1),
    ([STORY, "Cerita berakhir. (*)"], [STORY, "Cerita berakhir."], 1),
    ([STORY, "***", "***"], [STORY], 2),
    ([STORY, "Cerita berakhir ---"], [STORY, "Cerita berakhir"], 1),
    ([STORY, "Cerita berakhir ##"], [STORY, "Cerita berakhir"], 1),
    ([STORY, "Cerita berakhir (-)"], [STORY, "Cerita berakhir"], 1),
    # kept
    (["***", STORY], ["***", STORY], 0),  # only the end of the story is trimmed
    ([STORY, "Skor akhir 2*3."], [STORY, "Skor akhir 2*3."], 0),
    ([STORY, "*"], [STORY, "*"], 0),  # one asterisk is a footnote mark, not an end mark
    ([], [], 0),
]


@pytest.mark.parametrize(("given", "kept", "count"), END_MARK_ROWS)
def test_strip_end_marks(given, kept, count):
    removed = Counter()
    assert texts(cleaning.strip_end_marks(blocks(*given), removed)) == kept
    assert_removed(removed, "end_mark", count)


# --- strip_sign_off -------------------------------------------------------------------------

SIGN_OFF_ROWS = [
    # (given, kept, after_sign_off, sources); sign_off is 1 when kept != given
    ([STORY, "Ia menutup acara itu. (mdk/rka)"], [STORY, "Ia menutup acara itu."], 0, []),
    ([STORY, "Ia menutup acara itu. (kpl/sry)"], [STORY, "Ia menutup acara itu."], 0, []),
    ([STORY, "Ia menutup acara itu. (Dio/Ysl)"], [STORY, "Ia menutup acara itu."], 0, []),
    ([STORY, "Ia menutup acara itu.(mdk/rka)"], [STORY, "Ia menutup acara itu."], 0, []),
    ([STORY, "Ia menutup acara itu. (ant)"], [STORY, "Ia menutup acara itu."], 0, ["Antara"]),
    ([STORY, "Ia menutup acara itu. (Antara)"], [STORY, "Ia menutup acara itu."], 0, ["Antara"]),
    (
        [STORY, "Ia menutup acara itu. (ant/Reuters)"],
        [STORY, "Ia menutup acara itu."],
        0,
        ["Antara", "Reuters"],
    ),
    ([STORY, "Ia menutup acara itu. (ANT/AFP)"], [STORY, "Ia menutup acara itu."], 0, ["Antara", "AFP"]),
    ([STORY, '"Kami siap," katanya. (Ant)'], [STORY, '"Kami siap," katanya.'], 0, ["Antara"]),
    ([STORY, "Ia menutup acara itu.*** (mdk/rka)"], [STORY, "Ia menutup acara itu."], 0, []),
    ([STORY, STORY2, "(mdk/rka)"], [STORY, STORY2], 0, []),
    # the story ends at the sign-off: what follows goes with it
    (
        [STORY, "Ia menutup acara itu. (mdk/rka)", "Dapatkan berita terbaru di Google News"],
        [STORY, "Ia menutup acara itu."],
        1,
        [],
    ),
    ([STORY, STORY2, "(kpl/sry)", "Saksikan video berikut", "Judul video"], [STORY, STORY2], 2, []),
    # '(AS)' that belongs to a sentence is not a sign-off
    ([STORY, "Ia bekerja di Amerika Serikat (AS)."], [STORY, "Ia bekerja di Amerika Serikat (AS)."], 0, []),
    (
        [STORY, "Hubungan Indonesia dan Amerika Serikat (AS)"],
        [STORY, "Hubungan Indonesia dan Amerika Serikat (AS)"],
        0,
        [],
    ),
    ([STORY, "Ia kembali ke Jakarta. (AS)"], [STORY, "Ia kembali ke Jakarta."], 0, []),
    ([STORY, "Korban berinisial AS (45)."], [STORY, "Korban berinisial AS (45)."], 0, []),
    ([STORY, "Kata Budi (45)"], [STORY, "Kata Budi (45)"], 0, []),
    # sign-offs are looked for in the second half only
    (
        ["Ia menutup acara itu. (mdk/rka)", STORY, STORY2, STORY],
        ["Ia menutup acara itu. (mdk/rka)", STORY, STORY2, STORY],
        0,
        [],
    ),
    ([], [], 0, []),
    pytest.param(
        [
            "Cara mengganti bahasa:",
            "Buka aplikasi.",
            "Pilih menu Pengaturan. (Settings)",
            "Pilih Bahasa. (Language)",
            "Simpan perubahan.",
        ],
        [
            "Cara mengganti bahasa:",
            "Buka aplikasi.",
            "Pilih menu Pengaturan. (Settings)",
            "Pilih Bahasa. (Language)",
            "Simpan perubahan.",
        ],
        0,
        []),
]


@pytest.mark.parametrize(("given", "kept", "after", "sources"), SIGN_OFF_ROWS)
def test_strip_sign_off(given, kept, after, sources):
    removed = Counter()
    credits = Credits()
    assert texts(cleaning.strip_sign_off(blocks(*given), removed, credits)) == kept
    signed = int(kept != given)
    assert removed["sign_off"] == signed
    assert removed["after_sign_off"] == after
    assert sum(removed.values()) == signed + after
    assert credits.sources == sources
    assert credits.authors == credits.editors == []


# --- drop_duplicates ------------------------------------------------------------------------

PARAGRAPH = f"{STORY} {STORY2}"  # over 100 characters
NIAT = "Setelah selesai sholat dzuhur, langsung dilanjut sholat ashar dengan bacaan niat:"
DUPLICATE_ROWS = [
    ([PARAGRAPH, STORY2, PARAGRAPH], [PARAGRAPH, STORY2], 1),
    ([PARAGRAPH, PARAGRAPH.upper()], [PARAGRAPH], 1),
    (["Ya.", "Ya.", "Ya."], ["Ya.", "Ya.", "Ya."], 0),
    # a shorter line that recurs (a prayer guide's steps, an interview's question) is the story's own
    ([NIAT, STORY, NIAT], [NIAT, STORY, NIAT], 0),
    ([PARAGRAPH, STORY2], [PARAGRAPH, STORY2], 0),
]


@pytest.mark.parametrize(("given", "kept", "count"), DUPLICATE_ROWS)
def test_drop_duplicates(given, kept, count):
    removed = Counter()
    assert texts(cleaning.drop_duplicates(blocks(*given), removed)) == kept
    assert_removed(removed, "duplicate", count)


# =============================================================================================
# Dateline
# =============================================================================================

DATELINE_ROWS = [
    ("PR DEPOK - Presiden Joko Widodo meresmikan tol.", "PR DEPOK", "Presiden Joko Widodo meresmikan tol."),
    (
        "Liputan6.com, Jakarta - Gemma Chan tampil memukau.",
        "Liputan6.com, Jakarta",
        "Gemma Chan tampil memukau.",
    ),
    (
        "REPUBLIKA.CO.ID, JAKARTA -- Menteri Keuangan mengatakan.",
        "REPUBLIKA.CO.ID, JAKARTA",
        "Menteri Keuangan mengatakan.",
    ),
    (
        "TRIBUNSOLO.COM, JAKARTA --Hingga kini belum ada kabar.",
        "TRIBUNSOLO.COM, JAKARTA",
        "Hingga kini belum ada kabar.",
    ),
    ("Jakarta (ANTARA News) - Presiden mengatakan.", "Jakarta (ANTARA News)", "Presiden mengatakan."),
    (
        "Mataram, NTB (ANTARA News) - Gubernur NTB meminta.",
        "Mataram, NTB (ANTARA News)",
        "Gubernur NTB meminta.",
    ),
    ("KUTA, KOMPAS.com - Wisatawan memadati pantai.", "KUTA, KOMPAS.com", "Wisatawan memadati pantai."),
    ("Merdeka.com - Polisi menangkap pelaku.", "Merdeka.com", "Polisi menangkap pelaku."),
    ("Bisnis.com, JAKARTA - Harga saham naik.", "Bisnis.com, JAKARTA", "Harga saham naik."),
    ("JAKARTA - Harga emas naik.", "JAKARTA", "Harga emas naik."),
    ("Jakarta - Harga emas naik.", "Jakarta", "Harga emas naik."),
    ("Jakarta, CNN Indonesia -- Presiden Joko Widodo.", "Jakarta, CNN Indonesia", "Presiden Joko Widodo."),
    ("Bandung — Hujan deras mengguyur kota.", "Bandung", "Hujan deras mengguyur kota."),
    # a lead-in standing alone (its story starts in the next block)
    (
        "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) --",
        "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire)",
        "",
    ),
    # no dateline
    (
        "Presiden Joko Widodo mengatakan pemerintah siap.",
        None,
        "Presiden Joko Widodo mengatakan pemerintah siap.",
    ),
    ("Jokowi mengatakan - ia siap maju lagi.", None, "Jokowi mengatakan - ia siap maju lagi."),
    ("Harga emas naik hari ini - kata analis.", None, "Harga emas naik hari ini - kata analis."),
    ("Prabowo-Gibran menang pemilu.", None, "Prabowo-Gibran menang pemilu."),
    ("Covid-19 kembali meningkat - kata Menkes.", None, "Covid-19 kembali meningkat - kata Menkes."),
    ("Persija vs Persib - laga sengit di GBK.", None, "Persija vs Persib - laga sengit di GBK."),
    ("", None, ""),
    pytest.param(
        "Jokowi - Ma'ruf Amin unggul di 21 provinsi.",
        None,
        "Jokowi - Ma'ruf Amin unggul di 21 provinsi."),
    pytest.param(
        "Menurut data Kompas.com - yang dihimpun dari BPS - harga beras naik.",
        None,
        "Menurut data Kompas.com - yang dihimpun dari BPS - harga beras naik."),
]


@pytest.mark.parametrize(("first", "dateline", "rest"), DATELINE_ROWS)
def test_split_dateline(first, dateline, rest):
    assert cleaning.split_dateline(first) == (dateline, rest)


DATELINE_SOURCE_ROWS = [
    ("ISTANBUL, 23 Februari 2016 (Antara/PRNewswire)", "antaranews.com", ["PRNewswire"]),
    ("Jakarta (ANTARA News)", "antaranews.com", []),  # the outlet itself is not a source
    ("Jakarta (Antara)", "republika.co.id", ["Antara"]),
    ("Jakarta (Reuters, AFP)", "kompas.com", ["Reuters", "AFP"]),
    ("JAKARTA", "kompas.com", []),
    ("Liputan6.com, Jakarta", "liputan6.com", []),
    pytest.param(
        "Jakarta (Ant)",
        "kompas.com",
        ["Antara"]),
]


@pytest.mark.parametrize(("dateline", "site", "sources"), DATELINE_SOURCE_ROWS)
def test_dateline_sources(dateline, site, sources):
    assert cleaning.dateline_sources(dateline, site) == sources


# =============================================================================================
# Tree steps
# =============================================================================================


def test_prune_markup_drops_non_content_and_keeps_tails():
    root = tree(
        "<p>Harga<script>var x = 1;</script> naik</p><style>p{}</style><!-- iklan -->"
        '<iframe src="x"></iframe><ins class="adsbygoogle"></ins><noscript>aktifkan JS</noscript>'
        "<p>lagi</p>"
    )
    assert cleaning.prune_markup(root) == 5  # comments go uncounted
    # (a removed inline element leaves a space behind, so that words never run together)
    assert re.sub(r">\s+<", "><", html_of(root)) == "<div><p>Harga naik</p><p>lagi</p></div>"


def test_prune_markup_counts_zero_on_clean_tree():
    root = tree("<p>Satu</p><p>Dua <b>tebal</b></p>")
    assert cleaning.prune_markup(root) == 0
    assert texts(blocks_of(root)) == ["Satu", "Dua tebal"]


CAPTION_TREE_ROWS = [
    # (html, surviving block texts)
    ('<p>Cerita</p><figure><img src="a.jpg"><figcaption>Foto: Dok. Humas</figcaption></figure>', ["Cerita"]),
    ("<p>Cerita</p><figcaption>Warga antre di posko</figcaption>", ["Cerita"]),
    (
        '<div class="wp-caption"><img src="a"><p class="wp-caption-text">Warga antre</p></div><p>Cerita</p>',
        ["Cerita"],
    ),
    ('<p>Harga<span class="caption"> (Foto: Ist)</span> naik</p>', ["Harga naik"]),
    ('<div class="keterangan">Presiden berpidato</div><p>Cerita</p>', ["Cerita"]),
    # a story-sized figure (over 80 words) is kept
    (f"<figure><p>{words(90)}</p></figure>", [words(90)]),
    # a heading is never a caption by class
    ('<h2 class="photo-title">Subjudul cerita</h2><p>Cerita</p>', ["Subjudul cerita", "Cerita"]),
]


@pytest.mark.parametrize(("html", "kept"), CAPTION_TREE_ROWS)
def test_prune_captions(html, kept):
    root = tree(html)
    cleaning.prune_captions(root)
    assert texts(blocks_of(root)) == kept


@pytest.mark.parametrize(
    ("html", "count"),
    [
        ("<p>Cerita</p><figcaption>Warga antre di posko</figcaption>", 1),
        pytest.param(
            '<p>Cerita</p><figure><img src="a.jpg"><figcaption>Foto: Dok. Humas</figcaption></figure>',
            1),
    ],
)
def test_prune_captions_count(html, count):
    assert cleaning.prune_captions(tree(html)) == count


STORY_60 = words(60)
NOISE_TREE_ROWS = [
    # (html, surviving block texts, removed counts)
    (
        '<p>Satu</p><div class="related"><a href="/1">Berita satu</a><a href="/2">Berita dua</a></div><p>Dua</p>',
        ["Satu", "Dua"],
        {"related": 1},
    ),
    ('<p>Satu</p><div class="box-terkait"><a href="/1">Link</a></div>', ["Satu"], {"related": 1}),
    ('<p>Satu</p><p class="bacajuga">Baca juga: x</p>', ["Satu"], {"related": 1}),
    ('<p>Satu</p><div class="read__tagging"><a>pemilu</a></div>', ["Satu"], {"tags": 1}),
    ('<p>Satu</p><div id="share-bar">Bagikan</div>', ["Satu"], {"share": 1}),
    ('<p>Satu</p><div class="adsbygoogle">x</div>', ["Satu"], {"ads": 1}),
    ('<p>Harga<span class="ad"> IKLAN </span> naik</p>', ["Harga naik"], {"ads": 1}),
    ('<p>Satu</p><div class="comment-box">x</div>', ["Satu"], {"comments": 1}),
    ('<p>Satu</p><div class="gnews">Ikuti kami</div>', ["Satu"], {"prompts": 1}),
    ('<p>Satu</p><div class="menu-utama">Beranda</div>', ["Satu"], {"navigation": 1}),
    ('<p>Satu</p><ul class="pagination"><li>1</li><li>2</li></ul>', ["Satu"], {"pagination": 1}),
    # a story container named like noise keeps its 60 words
    (f'<div class="paging-content"><p>{STORY_60}</p></div>', [STORY_60], {}),
    (f'<div class="author-and-share"><p>{STORY_60}</p></div>', [STORY_60], {}),
    # ... unless it is mostly links
    (f'<p>Satu</p><div class="related">{words(60, link=True)}</div>', ["Satu"], {"related": 1}),
    # embeds go whatever their length
    (f'<p>Satu</p><blockquote class="twitter-tweet"><p>{STORY_60}</p></blockquote>', ["Satu"], {"embeds": 1}),
    (
        f'<p>Satu</p><blockquote class="instagram-media"><p>{STORY_60}</p></blockquote>',
        ["Satu"],
        {"embeds": 1},
    ),
    # headings are never pruned by class
    ('<h2 class="title-dt-paging">Subjudul cerita</h2><p>Isi</p>', ["Subjudul cerita", "Isi"], {}),
    # class words are whole words: 'headline', 'tagline', 'badge', 'loading' are not noise
    (
        '<div class="headline">Jokowi</div><p class="tagline">Slogan</p><div class="badge">x</div><div class="loading">y</div>',
        ["Jokowi", "Slogan", "x", "y"],
        {},
    ),
    ('<div class="shared-content">x</div><div class="adalah">y</div>', ["x", "y"], {}),
]


@pytest.mark.parametrize(("html", "kept", "counts"), NOISE_TREE_ROWS)
def test_prune_noise_blocks(html, kept, counts):
    root = tree(html)
    removed = Counter()
    cleaning.prune_noise_blocks(root, removed)
    assert texts(blocks_of(root)) == kept
    assert dict(+removed) == counts


def test_prune_noise_blocks_counts_a_nested_box_once():
    root = tree(
        '<p>Satu</p><div class="related"><ul class="related-list">'
        '<li class="related-item"><a href="/1">A</a></li></ul></div>'
    )
    removed = Counter()
    cleaning.prune_noise_blocks(root, removed)
    assert texts(blocks_of(root)) == ["Satu"]
    assert removed == Counter({"related": 1})


def test_prune_noise_blocks_read_more_class():
    """'read-more' as written, not only 'readmore'."""
    root = tree('<p>Satu</p><p class="read-more"><a href="/2">Judul lain</a></p>')
    removed = Counter()
    cleaning.prune_noise_blocks(root, removed)
    assert texts(blocks_of(root)) == ["Satu"]


def test_prune_selectors_counts_site_noise():
    root = tree('<p>Satu</p><div class="promo">Promo</div><p class="baca">Baca</p><p>Dua</p>')
    removed = Counter()
    cleaning.prune_selectors(
        root, [CSSSelector(".promo"), CSSSelector(".baca"), CSSSelector(".none")], removed
    )
    assert texts(blocks_of(root)) == ["Satu", "Dua"]
    assert removed == Counter({"site_noise": 2})


def test_prune_selectors_never_drops_the_root():
    root = tree("<p>Satu</p>")
    removed = Counter()
    cleaning.prune_selectors(root, [CSSSelector("div")], removed)
    assert texts(blocks_of(root)) == ["Satu"]
    assert not +removed


LEAD_IN_ROWS = [
    # (html, marked, first block text)
    (
        "<p><b>Liputan6.com, Jakarta</b> Gemma Chan tampil memukau.</p>",
        True,
        "Liputan6.com, Jakarta - Gemma Chan tampil memukau.",
    ),
    ("<p><strong>Bola.com, Jakarta</strong>Timnas menang.</p>", True, "Bola.com, Jakarta - Timnas menang."),
    # already has its dash
    ("<p><b>Liputan6.com, Jakarta -</b> Gemma Chan.</p>", False, "Liputan6.com, Jakarta - Gemma Chan."),
    ("<p><b>Liputan6.com, Jakarta</b> - Gemma Chan.</p>", False, "Liputan6.com, Jakarta - Gemma Chan."),
    # bold text that is no outlet lead-in
    ("<p><b>Presiden Jokowi</b> meresmikan tol.</p>", False, "Presiden Jokowi meresmikan tol."),
    ("<p><b>JAKARTA</b> Harga emas naik.</p>", False, "JAKARTA Harga emas naik."),
    ("<p>Harga naik.</p>", False, "Harga naik."),
    # a bold outlet name later in the paragraph, or in a later paragraph, is no lead-in
    (
        "<p>Hal itu dikutip dari <b>Kompas.com</b>, Senin (9/1/2022).</p>",
        False,
        "Hal itu dikutip dari Kompas.com, Senin (9/1/2022).",
    ),
    ("<p>Pembuka.</p><p><b>Liputan6.com, Jakarta</b> Gemma.</p>", False, "Pembuka."),
]


@pytest.mark.parametrize(("html", "marked", "first"), LEAD_IN_ROWS)
def test_mark_bold_lead_in(html, marked, first):
    root = tree(html)
    assert cleaning.mark_bold_lead_in(root) is marked
    assert blocks_of(root)[0].text == first


def test_mark_bold_lead_in_feeds_split_dateline():
    root = tree("<p><b>Liputan6.com, Jakarta</b> Gemma Chan tampil memukau.</p>")
    cleaning.mark_bold_lead_in(root)
    assert cleaning.split_dateline(blocks_of(root)[0].text) == (
        "Liputan6.com, Jakarta",
        "Gemma Chan tampil memukau.",
    )


# =============================================================================================
# The steps together (core.clean_blocks)
# =============================================================================================


def test_clean_blocks_runs_the_steps_in_order():
    given = blocks(
        "• " + STORY,
        "Baca Juga: Jokowi Resmikan Tol Lain",
        "ADVERTISEMENT",
        STORY2,
        "Halaman 1 2 Selanjutnya",
        "Editor: Nur Annisa",
        "Tags",
        "pemilu",
    )
    removed = Counter()
    credits = Credits()
    kept = clean_blocks(given, removed, credits)
    assert texts(kept) == [STORY, STORY2]
    assert credits.editors == ["Nur Annisa"]
    # the credit line above 'Tags' is read before the footer is cut
    assert dict(+removed) == {
        "baca_juga": 1,
        "credit_line": 1,
        "footer": 2,
        "ad_label": 1,
        "pagination": 1,
    }


def test_clean_blocks_end_mark_before_sign_off():
    given = blocks(
        STORY, STORY2, "Ia menutup acara itu.*** (ant)", "***", "Dapatkan berita terbaru di Google News"
    )
    removed = Counter()
    credits = Credits()
    kept = clean_blocks(given, removed, credits)
    assert texts(kept) == [STORY, STORY2, "Ia menutup acara itu."]
    assert credits.sources == ["Antara"]
    assert removed["sign_off"] == 1
