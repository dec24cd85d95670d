"""The command line, run as a real subprocess (`python -m crawler ...`) on tiny inline pages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crawler import cli
from crawler.schema import validate
from crawler.sites import REGISTRY

REPO = Path(__file__).resolve().parents[1]
FETCHED_AT = "2026-11-24T10:00:00+00:00"

BANJIR = {
    "title": "Banjir Rendam Ratusan Rumah di Cileungsi",
    "url": "https://www.kabarbogor.example/daerah/banjir-rendam-cileungsi",
    "paragraphs": [
        "Hujan deras yang mengguyur kawasan Cileungsi sejak sore membuat sungai meluap dan merendam ratusan rumah warga.",
        "Warga mengungsi ke masjid dan balai desa terdekat sambil menunggu air surut — sebagian membawa ternak mereka.",
        "Petugas badan penanggulangan bencana daerah menyiapkan perahu karet untuk mengevakuasi warga lanjut usia.",
    ],
    "editor": "Siti Rahmawati",
}
JALAN = {
    "title": "Jalan Provinsi di Garut Rusak Parah",
    "url": "https://kabargarut.example/daerah/jalan-provinsi-rusak-parah",
    "paragraphs": [
        "Warga di Kecamatan Cikajang mengeluhkan jalan provinsi yang rusak parah sejak musim hujan tiba.",
        "Lubang sedalam belasan sentimeter membuat pengendara sepeda motor kerap terjatuh pada malam hari.",
        "Dinas terkait berjanji memperbaiki ruas jalan tersebut sebelum akhir bulan depan.",
    ],
    "editor": "Dewi Lestari",
}


def page(article: dict[str, Any], *, canonical: bool = True) -> str:
    """An Indonesian-looking article page: h1, a date line, a few <p>, an 'Editor:' line."""
    link = f'<link rel="canonical" href="{article["url"]}">' if canonical else ""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in article["paragraphs"])
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{article["title"]} - Kabar Daerah</title>{link}</head>
<body><header><a href="/">Beranda</a></header>
<h1>{article["title"]}</h1>
<div class="tanggal">Senin, 10 Januari 2022, 09:15 WIB</div>
<div class="isi-berita">
{paragraphs}
<p>Editor: {article["editor"]}</p>
</div>
<footer>Hak cipta dilindungi undang-undang.</footer></body></html>
"""


def body_of(article: dict[str, Any]) -> str:
    return "\n\n".join(article["paragraphs"])


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def records(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Two good pages (one in a subdirectory), an empty file and a PDF saved as .html."""
    (tmp_path / "a-banjir.html").write_text(page(BANJIR), encoding="utf-8")
    (tmp_path / "kabupaten").mkdir()
    (tmp_path / "kabupaten" / "b-jalan.htm").write_text(page(JALAN), encoding="utf-8")
    (tmp_path / "c-kosong.html").write_bytes(b"")
    (tmp_path / "d-laporan.html").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    )
    (tmp_path / "notes.txt").write_text("not a page", encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------- extract


def test_single_file_prints_one_record(tmp_path: Path) -> None:
    path = tmp_path / "banjir.html"
    path.write_text(page(BANJIR), encoding="utf-8")
    result = run("extract", path, "--fetched-at", FETCHED_AT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1
    assert "—" in result.stdout  # UTF-8, not \u2014 escapes
    (record,) = records(result.stdout)
    assert record["title"] == BANJIR["title"]
    assert record["body"] == body_of(BANJIR)
    assert record["editors"] == [BANJIR["editor"]]
    assert record["url"] == record["canonical_url"] == BANJIR["url"]
    assert record["fetched_at"] == FETCHED_AT
    validate(record)


def test_url_option_gives_the_url(tmp_path: Path) -> None:
    path = tmp_path / "banjir.html"
    path.write_text(page(BANJIR, canonical=False), encoding="utf-8")
    result = run("extract", path, "--url", BANJIR["url"])
    assert result.returncode == 0, result.stderr
    assert records(result.stdout)[0]["url"] == BANJIR["url"]


def test_meta_file_gives_url_and_fetch_time(tmp_path: Path) -> None:
    path = tmp_path / "banjir.html"
    path.write_text(page(BANJIR, canonical=False), encoding="utf-8")
    meta = {"url": BANJIR["url"], "fetched_at": FETCHED_AT}
    (tmp_path / "banjir.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    result = run("extract", path)
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    assert (record["url"], record["fetched_at"]) == (BANJIR["url"], FETCHED_AT)


def test_page_without_any_url_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "tanpa-url.html"
    path.write_text(page(BANJIR, canonical=False), encoding="utf-8")
    result = run("extract", path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}: ")
    assert "URL" in result.stderr


def test_batch_goes_on_past_broken_files(batch: Path) -> None:
    result = run("extract", batch, batch / "hilang.html", "--no-progress")
    assert result.returncode == 1
    assert [r["title"] for r in records(result.stdout)] == [BANJIR["title"], JALAN["title"]]
    *errors, summary = result.stderr.splitlines()
    assert summary == "2 records: 0 by a site profile, 2 generic, 0 profile fallback; 3 errors"
    assert len(errors) == 3, errors
    for line, name in zip(errors, ["c-kosong.html", "d-laporan.html", "hilang.html"], strict=True):
        assert line.startswith("error: ") and f"{name}: " in line, line
    assert "empty" in errors[0]
    assert "binary" in errors[1]
    assert "no such file" in errors[2]


def test_two_good_files_succeed_in_order(tmp_path: Path) -> None:
    first, second = tmp_path / "z.html", tmp_path / "a.html"
    first.write_text(page(JALAN), encoding="utf-8")
    second.write_text(page(BANJIR), encoding="utf-8")
    result = run("extract", first, second)
    assert result.returncode == 0, result.stderr
    assert [r["title"] for r in records(result.stdout)] == [JALAN["title"], BANJIR["title"]]


@pytest.mark.parametrize(
    "paths", [("a-banjir.html", "kabupaten/b-jalan.htm"), (".",)], ids=["two-files", "directory"]
)
def test_url_option_needs_a_single_file(batch: Path, paths: tuple[str, ...]) -> None:
    result = run("extract", *(batch / p for p in paths), "--url", BANJIR["url"])
    assert result.returncode == 2
    assert result.stdout == ""
    assert "--url" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("extract",),
        ("extract", "x.html", "--fetched-at", "kemarin"),
        ("extract", "x.html", "--url", "kompas.com/a"),
        ("nonsense",),
        (),
    ],
    ids=["no-path", "bad-fetched-at", "bad-url", "unknown-command", "no-command"],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_output_file_is_written_whole(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "hasil" / "records.jsonl"
    out.parent.mkdir()
    out.write_text("old content\n", encoding="utf-8")
    result = run("extract", batch / "a-banjir.html", batch / "kabupaten", "--output", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert [r["title"] for r in records(out.read_text(encoding="utf-8"))] == [BANJIR["title"], JALAN["title"]]
    assert sorted(p.name for p in out.parent.iterdir()) == ["records.jsonl"]  # no records.jsonl.tmp


def test_output_file_holds_the_good_records_of_a_failing_batch(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    result = run("extract", batch, "-o", out)
    assert result.returncode == 1
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert not out.with_name("records.jsonl.tmp").exists()


# --------------------------------------------------------------------------- golden


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    directory = tmp_path / "pages"
    directory.mkdir()
    for name, article in (("banjir", BANJIR), ("jalan", JALAN)):
        (directory / f"{name}.html").write_text(page(article), encoding="utf-8")
        meta = {"url": article["url"], "fetched_at": FETCHED_AT, "notes": "inline test page"}
        (directory / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (directory / "draft.html").write_text(page(BANJIR), encoding="utf-8")  # no meta: not a fixture
    return directory


def test_golden_writes_then_check_passes_then_fails_on_an_edit(fixtures: Path) -> None:
    result = run("golden", fixtures)
    assert result.returncode == 0, result.stderr
    assert "2 written" in result.stdout
    expected = fixtures / "banjir.expected.json"
    text = expected.read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n "url": ')
    record = json.loads(text)
    assert record["title"] == BANJIR["title"]
    assert record["body"] == body_of(BANJIR)
    assert record["fetched_at"] == FETCHED_AT
    assert list(record) == list(json.loads((fixtures / "jalan.expected.json").read_text(encoding="utf-8")))
    assert not (fixtures / "draft.expected.json").exists()

    again = run("golden", fixtures)
    assert again.returncode == 0 and "0 written, 2 unchanged" in again.stdout

    check = run("golden", fixtures, "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "2 unchanged, 0 differing" in check.stdout

    record["title"] = "Banjir Besar di Cileungsi"
    expected.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    edited = expected.read_text(encoding="utf-8")
    check = run("golden", fixtures, "--check")
    assert check.returncode == 1
    assert f"differs: {fixtures / 'banjir.html'}: title\n" in check.stdout
    assert "Banjir Besar di Cileungsi" in check.stdout
    assert "jalan" not in check.stdout.split("golden ")[0]
    assert "1 unchanged, 1 differing" in check.stdout
    assert expected.read_text(encoding="utf-8") == edited  # --check writes nothing


def test_golden_check_without_expected_files_fails(fixtures: Path) -> None:
    result = run("golden", fixtures, "--check")
    assert result.returncode == 1
    assert "banjir.expected.json" in result.stdout
    assert not list(fixtures.glob("*.expected.json"))


def test_golden_fixture_whose_meta_lacks_fetched_at_fails(fixtures: Path) -> None:
    (fixtures / "jalan.meta.json").write_text(json.dumps({"url": JALAN["url"]}), encoding="utf-8")
    result = run("golden", fixtures)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {fixtures / 'jalan.html'}: ")
    assert "fetched_at" in result.stderr
    assert (fixtures / "banjir.expected.json").exists()


# --------------------------------------------------------------------------- profiles, help


def test_profiles_lists_the_registry() -> None:
    result = run("profiles")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["NAME", "VERSION", "NETWORK", "DOMAINS"]
    assert len(lines) == len(REGISTRY.profiles) + 1
    for profile in REGISTRY.profiles:
        assert any(
            line.split()[:2] == [profile.name, profile.version] and profile.domains[0] in line
            for line in lines
        )


@pytest.mark.parametrize(
    "command", [(), ("extract",), ("golden",), ("profiles",)], ids=["main", "extract", "golden", "profiles"]
)
def test_help_has_examples(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage: python -m crawler" in result.stdout
    assert "examples:" in result.stdout


def test_cli_does_not_import_scrapy() -> None:
    code = "import sys, crawler.cli; print('scrapy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


# --------------------------------------------------------------------------- small functions


def test_json_line_escapes_unicode_line_breaks() -> None:
    line = cli.json_line({"title": "Satu\u2028dua\u2029tiga\x85empat — é"})
    text = line.decode("utf-8")
    assert text.endswith("\n") and len(text.splitlines()) == 1
    assert json.loads(text) == {"title": "Satu\u2028dua\u2029tiga\x85empat — é"}


def test_progress_only_for_a_batch_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    assert cli.show_progress(2, disabled=False)
    assert not cli.show_progress(1, disabled=False)
    assert not cli.show_progress(2, disabled=True)
    monkeypatch.undo()
    assert not cli.show_progress(2, disabled=False)  # pytest's captured stderr is no tty


def test_find_pages_recurses_sorted_and_keeps_explicit_files(batch: Path) -> None:
    pages, problems = cli.find_pages([batch / "notes.txt", batch])
    names = [p.relative_to(batch).as_posix() for p in pages]
    assert names == ["notes.txt", "a-banjir.html", "c-kosong.html", "d-laporan.html", "kabupaten/b-jalan.htm"]
    assert problems == []
    empty = batch / "kosong"
    empty.mkdir()
    assert cli.find_pages([empty]) == ([], [(empty, "directory holds no *.html or *.htm page")])


def test_sibling_file_names() -> None:
    assert cli.meta_path(Path("d/berita.html")) == Path("d/berita.meta.json")
    assert cli.meta_path(Path("d/berita.htm")) == Path("d/berita.meta.json")
    assert cli.expected_path(Path("d/berita.html")) == Path("d/berita.expected.json")
