#!/usr/bin/env python3
"""Crawl benchmark: end-to-end throughput and memory of `scrapy crawl news` on a local site,
beside bare Scrapy fetching the same pages.

    python bench/crawl.py [--pages 5000[,50000]] [--repeat N] [--pad-kb KB] [--json OUT] [--jobdir] [--set NAME=VALUE]
                          [--profile cprofile|py-spy]

For each size N in `--pages`:

1. Site: N one-page article pages in the Pikiran Rakyat layout, written to a temporary directory.
   Every page is the fixture `tests/fixtures/site/pikiran-rakyat/depok/pr-0931002/...` (the PR
   layout of tests/fixtures/site/make_site.py) with its path, title, date, paragraphs, caption,
   editor, author and tags varied per page, ~300 words of story each (a dateline, a "Baca Juga"
   line and credit lines stay, so the cleaning steps run; the words are generated, so that
   unrelated stories share almost no word 3-grams, as on a real site). robots.txt names `/sitemap.xml`, a sitemap index of sitemaps with at most
   5,000 URLs each (`lastmod` per URL; URLs on the real host, as real sitemaps are). `--pad-kb`
   adds that many KB of sidebar link lists and inline script outside the article, to bring a page
   nearer the size of a real one (the corpus's PR page is ~80 KB; the fixture ~4 KB).
2. Server: bench/fast_server.py in its own process: the whole site in memory as ready responses,
   HTTP/1.1 keep-alive on one asyncio loop, 127.0.0.1 only. Its ceiling is measured with a bare
   fetch loop (a raw asyncio HTTP client, 32 keep-alive connections, every article page once),
   and so is tests/site_server.py's ThreadingHTTPServer's (first size only) for comparison.
3. Crawls, each in its own process, `--repeat` times, alternating:
   - ours: `scrapy crawl news -a site=depok.pikiran-rakyat.com -a start_url=http://127.0.0.1:PORT/
     -O FEED:jsonlines` with `-s AUTOTHROTTLE_ENABLED=0 -s DOWNLOAD_DELAY=0 -s CONCURRENT_REQUESTS=32
     -s CONCURRENT_REQUESTS_PER_DOMAIN=32 -s ROBOTSTXT_OBEY=True -s LOG_LEVEL=INFO`
     (the project's settings otherwise);
   - bare: `scrapy runspider bench/bare_spider.py` (a SitemapSpider reading the same robots.txt
     and sitemaps, yielding `{url, bytes}` per page: no pipeline, no extraction), run outside the
     project (plain Scrapy defaults) with the same `-s` settings and a feed of its tiny dicts.
   Rate: article records (ours) or article pages (bare) per second of Scrapy's own
   `elapsed_time_seconds` (spider open to close; the process's start-up is not in it; its wall time
   is in the JSON). Peak RSS: `ru_maxrss` of the crawl process (os.wait4; the largest of it and
   the children it waited for), cross-checked by sampling its RSS every 50 ms (psutil). Peak total
   RSS: the crawl process and its children (extraction workers) together, sampled the same way.
   The server's CPU use during each crawl is shown, to show it was not the bottleneck.

Targets: ours >= 70% of bare Scrapy's pages/s; ours' peak RSS at the largest size within 20% of
that at the smallest (needs two sizes, e.g. `--pages 5000,50000`).

`--jobdir` runs both crawls with `-s JOBDIR=<temp>`: Scrapy keeps pending requests in disk queues
instead of memory (a sitemap of 50,000 URLs is otherwise 50,000 Request objects in memory at once).
`--set NAME=VALUE` (repeatable) passes a setting to ours only, e.g. `--set
CRAWLER_EXTRACTION_PROCESSES=0` to extract in the crawl process, `--set CRAWLER_DISCOVERY_PENDING=0`
to request every sitemap entry at once.
`--profile cprofile|py-spy` adds one more crawl of ours (first size) under that profiler and prints
where the time goes (py-spy: sampled, low overhead; `pip install py-spy`).
Results go to `--json` (default bench/results/crawl.json).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

import psutil
import report
from report import markdown_table

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PY = sys.executable
PYSPY = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
HOST = "depok.pikiran-rakyat.com"
FIXTURE = (
    ROOT
    / "tests/fixtures/site/pikiran-rakyat/depok/pr-0931002/pemkot-depok-resmikan-taman-baru-di-sawangan.html"
)
DEFAULT_JSON = ROOT / "bench" / "results" / "crawl.json"
SITEMAP_MAX = 5000
CONCURRENCY = 32
THROUGHPUT_TARGET = 0.70
MEMORY_TARGET = 0.20

CRAWL_SETTINGS = [
    "-s", "AUTOTHROTTLE_ENABLED=0",
    "-s", "DOWNLOAD_DELAY=0",
    "-s", f"CONCURRENT_REQUESTS={CONCURRENCY}",
    "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}",
    "-s", "ROBOTSTXT_OBEY=True",
    "-s", "LOG_LEVEL=INFO",
    "-s", "TELNETCONSOLE_ENABLED=False",
]  # fmt: skip


# --------------------------------------------------------------------------- the site

# Lead sentences of the varied stories (Indonesian local-news register, invented).
SENTENCES = [
    "Pemerintah Kota Depok meresmikan fasilitas baru tersebut pada Rabu pagi di hadapan ratusan warga.",
    "Fasilitas itu dilengkapi jalur lari, area bermain anak, dan kolam retensi yang menampung air hujan.",
    "Kepala dinas terkait menyebut pembangunan menghabiskan anggaran sekitar Rp7 miliar dari APBD tahun ini.",
    "Warga menyambut baik kehadiran fasilitas itu karena kawasan tersebut minim ruang terbuka hijau.",
    "Air Sungai Ciliwung meluap dan merendam ratusan rumah warga dengan ketinggian hingga satu meter.",
    "Petugas telah mengevakuasi lebih dari dua ratus warga ke posko pengungsian di balai kelurahan terdekat.",
    "Sejumlah warga mengaku tidak sempat menyelamatkan barang berharga karena air naik dengan sangat cepat.",
    "Dinas Sosial membuka dapur umum untuk memenuhi kebutuhan makanan para pengungsi selama tiga hari.",
    "Petugas juga membersihkan lumpur yang menutup akses jalan utama menuju permukiman di bantaran sungai.",
    "Wali Kota meminta warga tetap waspada karena hujan diperkirakan masih turun hingga akhir pekan.",
    "Pemerintah kota berjanji mempercepat normalisasi saluran air dan pembangunan tanggul di titik rawan.",
    "Harga cabai rawit di Pasar Kemirimuka turun menjadi Rp40 ribu per kilogram sejak awal pekan.",
    "Para pedagang berharap pasokan dari sentra produksi di Garut dan Cianjur tetap lancar menjelang akhir tahun.",
    "Jadwal perjalanan KRL lintas Depok-Bogor ditambah pada akhir pekan untuk mengurai kepadatan penumpang.",
    "Pengelola stasiun mengimbau penumpang memakai kartu elektronik agar antrean di loket tidak mengular.",
    "Polisi mengatur arus lalu lintas di Jalan Margonda Raya selama kegiatan hari bebas kendaraan bermotor.",
    "Ribuan warga memadati ruas jalan sejak pukul enam pagi untuk berolahraga bersama keluarga.",
    "Dinas Kesehatan mencatat kasus demam berdarah menurun dibandingkan periode yang sama tahun lalu.",
    "Petugas puskesmas berkeliling ke rumah warga untuk memeriksa jentik nyamuk di bak penampungan air.",
    "Sekolah dasar di Kecamatan Beji mulai menerapkan kurikulum baru dengan pelatihan guru selama sepekan.",
    "Komunitas pegiat lingkungan menanam seribu bibit pohon di sepanjang bantaran Kali Pesanggrahan.",
    "Camat setempat berharap kegiatan serupa digelar rutin agar kualitas udara di kota semakin baik.",
    "Dewan Perwakilan Rakyat Daerah menggelar rapat dengar pendapat membahas rencana tata ruang wilayah.",
    "Sejumlah anggota dewan meminta pemerintah memperhatikan nasib pedagang kaki lima yang terdampak penataan.",
]
SUBJECTS = [
    "Pemkot Depok",
    "Warga Beji",
    "BPBD Depok",
    "Dinas Sosial",
    "Polres Metro Depok",
    "DPRD Depok",
    "Pedagang Pasar Kemirimuka",
    "Komunitas Lingkungan",
    "Puskesmas Sukmajaya",
    "PT KAI Commuter",
]
VERBS = [
    "Resmikan",
    "Tinjau",
    "Bahas",
    "Siapkan",
    "Gelar",
    "Tanggapi",
    "Perbaiki",
    "Awasi",
    "Dukung",
    "Tolak",
]
OBJECTS = [
    "Taman Baru",
    "Posko Banjir",
    "Jalur Sepeda",
    "Pasar Tradisional",
    "Dapur Umum",
    "Rencana Tata Ruang",
    "Jadwal KRL",
    "Kampanye Kebersihan",
    "Program Vaksinasi",
    "Penataan PKL",
]
PLACES = [
    "Sawangan",
    "Cimanggis",
    "Pancoran Mas",
    "Sukmajaya",
    "Limo",
    "Cinere",
    "Bojongsari",
    "Tapos",
    "Cilodong",
    "Cipayung",
    "Beji",
]
NAMES = ["Nur Annisa", "Rina Marlina", "Dimas Prasetyo", "Ahmad Fauzi", "Siti Rahmawati", "Budi Santoso"]
MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def page_template() -> Template:
    """The fixture page with its varying parts turned into $placeholders (each must be found)."""
    html = FIXTURE.read_text(encoding="utf-8")
    if "$" in html:
        raise SystemExit(f"{FIXTURE} holds '$': cannot be a string.Template")
    title = "Pemkot Depok Resmikan Taman Baru di Sawangan"
    path = "/depok/pr-0931002/pemkot-depok-resmikan-taman-baru-di-sawangan"
    replacements = [
        (path, "${path}"),
        (title, "${title}"),
        ("2026-11-18T09:30:00+07:00", "${iso}"),
        ("18 November 2026, 09:30 WIB", "${shown_date}"),
        ("Suasana taman kota baru di Sawangan, Depok.", "${caption}"),
        ("Nur Annisa", "${editor}"),
        (
            '<li><h4><a href="/tag/taman-kota">taman kota</a></h4></li><li><h4><a href="/tag/Sawangan">Sawangan</a></h4></li>',
            "${tags}",
        ),
        ("</div>\n<footer", "${pad}</div>\n<footer"),
        # the byline of the fixture's multi-page story (make_site.pr_page's `author`)
        (
            '<div class="read__info">',
            '<div class="read__info"><div class="read__info__author"><a href="/author/1">${author}</a></div>',
        ),
    ]
    for old, new in replacements:
        if old not in html:
            raise SystemExit(f"{FIXTURE}: {old[:60]!r} not found; update bench/crawl.py's template")
        html = html.replace(old, new)
    article = re.search(r'(<article class="read__content clearfix">\n)(.*?)(\s*</article>)', html, re.S)
    if article is None:
        raise SystemExit(f'{FIXTURE}: no <article class="read__content clearfix">')
    html = html[: article.start(2)] + "${paras}" + html[article.end(2) :]
    return Template(html)


def padding(rng: random.Random, kb: int) -> str:
    """~kb KB of what surrounds a real article: link lists (60%) and inline script (40%)."""
    if kb <= 0:
        return ""
    out, size, target = (
        ['<div class="col-bs12-4"><section class="latest mt2"><h3 class="title"><span>Terkini</span></h3>'],
        0,
        kb * 1024,
    )
    while size < target * 0.6:
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} di {rng.choice(PLACES)}"
        item = (
            f'<div class="latest__item"><h2 class="latest__title"><a href="/depok/pr-0{rng.randrange(10**6, 10**7)}/{_slug(title)}" '
            f'class="latest__link">{title}</a></h2><date class="latest__date">{rng.randrange(1, 28)} November 2026</date></div>\n'
        )
        out.append(item)
        size += len(item)
    out.append("</section></div>\n<script>window.dataLayer=window.dataLayer||[];var adSlots=[")
    while size < target:
        chunk = f'{{"slot":"div-gpt-ad-{rng.randrange(10**9)}","sizes":[[300,250],[336,280]],"targeting":{{"kanal":"depok","pos":"{rng.randrange(99)}"}}}},\n'
        out.append(chunk)
        size += len(chunk)
    out.append("];</script>\n")
    return "".join(out)


@dataclass
class Article:
    path: str
    lastmod: str
    html: str


# Words of the generated sentences: stories differ word by word, as real ones do (two unrelated
# articles of one site share almost no word 3-grams; the crawl's near-duplicate step compares
# them), while the lead sentence comes from SENTENCES.
VOCABULARY = [
    "warga",
    "pemerintah",
    "kota",
    "kabupaten",
    "petugas",
    "kepala",
    "dinas",
    "camat",
    "lurah",
    "wali",
    "gubernur",
    "polisi",
    "pedagang",
    "siswa",
    "guru",
    "dokter",
    "perawat",
    "relawan",
    "pengemudi",
    "nelayan",
    "petani",
    "buruh",
    "mahasiswa",
    "pengusaha",
    "komunitas",
    "jalan",
    "pasar",
    "sekolah",
    "rumah",
    "sakit",
    "puskesmas",
    "stasiun",
    "terminal",
    "taman",
    "sungai",
    "jembatan",
    "kantor",
    "balai",
    "masjid",
    "gereja",
    "lapangan",
    "gedung",
    "kawasan",
    "permukiman",
    "perumahan",
    "saluran",
    "tanggul",
    "halte",
    "gang",
    "meresmikan",
    "meninjau",
    "membahas",
    "menyiapkan",
    "menggelar",
    "menanggapi",
    "memperbaiki",
    "mengawasi",
    "mendukung",
    "menolak",
    "membangun",
    "membersihkan",
    "membagikan",
    "mencatat",
    "menyebut",
    "mengatakan",
    "menjelaskan",
    "meminta",
    "berharap",
    "mengimbau",
    "menambah",
    "mengurangi",
    "menutup",
    "membuka",
    "menata",
    "memeriksa",
    "mendata",
    "melayani",
    "anggaran",
    "bantuan",
    "program",
    "kegiatan",
    "layanan",
    "rencana",
    "kebijakan",
    "laporan",
    "data",
    "jumlah",
    "kasus",
    "harga",
    "pasokan",
    "antrean",
    "kepadatan",
    "banjir",
    "hujan",
    "sampah",
    "kemacetan",
    "kebakaran",
    "longsor",
    "vaksinasi",
    "pelatihan",
    "baru",
    "lama",
    "besar",
    "kecil",
    "utama",
    "sementara",
    "darurat",
    "rutin",
    "gratis",
    "murah",
    "mahal",
    "cepat",
    "lambat",
    "aman",
    "rawan",
    "pagi",
    "siang",
    "sore",
    "malam",
    "pekan",
    "bulan",
    "tahun",
    "hari",
    "kemarin",
    "besok",
    "yang",
    "dan",
    "di",
    "ke",
    "dari",
    "untuk",
    "dengan",
    "pada",
    "dalam",
    "oleh",
    "karena",
    "agar",
    "sejak",
    "hingga",
    "selama",
    "setelah",
    "sebelum",
    "itu",
    "ini",
    "tersebut",
    "juga",
    "masih",
    "sudah",
    "belum",
    "akan",
    "telah",
    "tidak",
    "lebih",
    "sekitar",
    "hampir",
    "sejumlah",
    "beberapa",
    "Sawangan",
    "Cimanggis",
    "Sukmajaya",
    "Limo",
    "Cinere",
    "Bojongsari",
    "Tapos",
    "Cilodong",
    "Cipayung",
    "Beji",
    "Margonda",
    "Kemirimuka",
    "Ciliwung",
    "Pesanggrahan",
    "Bogor",
    "Jakarta",
    "Bekasi",
    "Tangerang",
    "Bandung",
    "Garut",
    "Cianjur",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randrange(9, 17))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"{rng.randrange(2, 900)}")
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def article(i: int, template: Template, pad_kb: int) -> Article:
    rng = random.Random(i)
    title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} di {rng.choice(PLACES)}, Laporan ke-{i}"
    section = rng.choice(("depok", "nasional", "jawa-barat"))
    path = f"/{section}/pr-{10_000_000 + i}/{_slug(title)}"
    when = datetime(2026, 11, 20, 23, 0) - timedelta(minutes=7 * i)
    iso = when.strftime("%Y-%m-%dT%H:%M:00+07:00")
    shown = f"{when.day} {MONTHS[when.month - 1]} {when.year}, {when:%H:%M} WIB"
    place = rng.choice(PLACES)
    # ~300 words: a lead from SENTENCES, then 6-10 paragraphs of 2-3 generated sentences
    body = [f"{rng.choice(SENTENCES)} Laporan nomor {i} dihimpun dari keterangan warga {place}."]
    body += [
        " ".join(_sentence(rng) for _ in range(rng.randrange(2, 4))) for _ in range(rng.randrange(6, 11))
    ]
    paras = [f"<strong>PR DEPOK -</strong> {body[0]}", *body[1:3]]
    related = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    paras.append(
        f'<strong>Baca Juga: <a href="/depok/pr-0{rng.randrange(10**6, 10**7)}/{_slug(related)}">{related}</a></strong>'
    )
    paras += body[3:]
    tags = rng.sample(PLACES, 2)
    html = template.substitute(
        path=path,
        title=title,
        iso=iso,
        shown_date=shown,
        caption=f"Suasana di {place}, Depok, pada {shown[:-10]}.",
        editor=rng.choice(NAMES),
        author=rng.choice(NAMES),
        tags="".join(f'<li><h4><a href="/tag/{_slug(t)}">{t}</a></h4></li>' for t in tags),
        paras="\n".join(f"            <p>{p}</p>" for p in paras),
        pad=padding(rng, pad_kb),
    )
    return Article(path, iso, html)


def build_site(root: Path, pages: int, pad_kb: int) -> dict[str, Any]:
    """Write the site; return its shape (pages, sitemaps, bytes)."""
    template = page_template()
    root.mkdir(parents=True, exist_ok=True)
    total_bytes = 0
    paths: list[tuple[str, str]] = []
    for i in range(pages):
        a = article(i, template, pad_kb)
        file = root / f"{a.path.lstrip('/')}.html"
        file.parent.mkdir(parents=True, exist_ok=True)
        data = a.html.encode("utf-8")
        file.write_bytes(data)
        total_bytes += len(data)
        paths.append((a.path, a.lastmod))
    chunks = [paths[k : k + SITEMAP_MAX] for k in range(0, len(paths), SITEMAP_MAX)]
    index_entries = []
    for n, chunk in enumerate(chunks, start=1):
        urls = "".join(f"<url><loc>https://{HOST}{p}</loc><lastmod>{m}</lastmod></url>\n" for p, m in chunk)
        (root / f"sitemap-{n}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n",
            encoding="utf-8",
        )
        index_entries.append(
            f"<sitemap><loc>https://{HOST}/sitemap-{n}.xml</loc><lastmod>{chunk[0][1]}</lastmod></sitemap>\n"
        )
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(index_entries)
        + "</sitemapindex>\n",
        encoding="utf-8",
    )
    (root / "robots.txt").write_text(
        "User-agent: *\nDisallow: /admin/\n\nSitemap: /sitemap.xml\n", encoding="utf-8"
    )
    (root / "index.html").write_text(
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>PR Depok</title></head>'
        "<body><h1>PR Depok</h1></body></html>\n",
        encoding="utf-8",
    )
    return {
        "pages": pages,
        "sitemaps": len(chunks),
        "article_bytes_mean": total_bytes / max(pages, 1),
        "pad_kb": pad_kb,
        "paths": [p for p, _ in paths],
    }


# --------------------------------------------------------------------------- servers


@contextlib.contextmanager
def fast_server(root: Path):
    """bench/fast_server.py in its own process; yields (base URL, psutil.Process)."""
    proc = subprocess.Popen([PY, str(HERE / "fast_server.py"), str(root)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("READY"):
            raise SystemExit(f"fast_server did not start: {line!r}")
        port = int(line.split()[1])
        yield f"http://127.0.0.1:{port}/", psutil.Process(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


THREADING_SERVER = """
import sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from tests.site_server import serve
with serve(Path(sys.argv[1])) as base:
    print("READY", base, flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def threading_server(root: Path):
    """tests/site_server.py (http.server.ThreadingHTTPServer) in its own process."""
    proc = subprocess.Popen(
        [PY, "-c", THREADING_SERVER, str(root), str(ROOT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("READY"):
            raise SystemExit(f"threading server did not start: {line!r}")
        yield line.split()[1], psutil.Process(proc.pid)
    finally:
        with contextlib.suppress(Exception):
            proc.stdin.close()  # type: ignore[union-attr]
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _fetch_all(base: str, paths: list[str], connections: int) -> tuple[int, int]:
    """GET every path once over `connections` keep-alive connections (reconnecting when the
    server closes); returns (responses with status 200, body bytes)."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    queue = list(reversed(paths))
    ok = 0
    nbytes = 0

    async def worker() -> None:
        nonlocal ok, nbytes
        reader = writer = None
        while queue:
            path = queue.pop()
            for _attempt in range(3):
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
                try:
                    head = await reader.readuntil(b"\r\n\r\n")  # type: ignore[union-attr]
                except (asyncio.IncompleteReadError, ConnectionError):
                    writer.close()
                    reader = writer = None
                    continue
                lines = head.decode("latin-1").split("\r\n")
                headers = {
                    k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:] if h)
                }
                if "content-length" in headers:
                    body = await reader.readexactly(int(headers["content-length"]))  # type: ignore[union-attr]
                else:
                    body = await reader.read()  # type: ignore[union-attr]
                ok += lines[0].split(" ")[1] == "200"
                nbytes += len(body)
                if (
                    lines[0].startswith("HTTP/1.0")
                    or headers.get("connection", "").lower() == "close"
                    or "content-length" not in headers
                ):
                    writer.close()
                    reader = writer = None
                break
        if writer is not None:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return ok, nbytes


def fetch_ceiling(base: str, paths: list[str], server: psutil.Process) -> dict[str, Any]:
    """The server's ceiling as a bare fetch loop sees it (the client shares the machine)."""
    cpu0 = server.cpu_times()
    start = time.perf_counter()
    ok, nbytes = asyncio.run(_fetch_all(base, paths, CONCURRENCY))
    elapsed = time.perf_counter() - start
    cpu1 = server.cpu_times()
    server_cpu = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
    return {
        "requests": len(paths),
        "ok": ok,
        "seconds": elapsed,
        "requests_per_s": len(paths) / elapsed,
        "mb_per_s": nbytes / elapsed / 1e6,
        "server_cpu_share": server_cpu / elapsed,
    }


# --------------------------------------------------------------------------- crawls


@dataclass
class CrawlRun:
    kind: str
    pages: int
    records: int = 0
    responses: int = 0
    elapsed_s: float = float("nan")
    wall_s: float = float("nan")
    peak_rss_mb: float = float("nan")
    sampled_peak_rss_mb: float = float("nan")
    sampled_peak_total_rss_mb: float = float("nan")
    """The crawl process and its children (e.g. extraction worker processes) together."""
    cpu_s: float = float("nan")
    server_cpu_share: float = float("nan")
    returncode: int = 0
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.records / self.elapsed_s if self.elapsed_s else float("nan")

    @property
    def cpu_rate(self) -> float:
        """Records per CPU second of the crawl process (start-up included): less sensitive than
        `rate` to other processes competing for the cores."""
        return self.records / self.cpu_s if self.cpu_s else float("nan")


_STAT = re.compile(r"'([\w/.-]+)': ([\d.]+)")


def _stats(log: str) -> dict[str, float]:
    dump = log.rfind("Dumping Scrapy stats")
    if dump < 0:
        return {}
    return {k: float(v) for k, v in _STAT.findall(log[dump:])}


def run_crawl(
    kind: str,
    args: list[str],
    cwd: Path,
    workdir: Path,
    pages: int,
    server: psutil.Process,
    profile_out: Path | None = None,
    profiler: str = "cprofile",
    jobdir: bool = False,
) -> CrawlRun:
    feed = workdir / f"{kind}.jsonl"
    log = workdir / f"{kind}.log"
    for f in (feed, log):
        f.unlink(missing_ok=True)
    prefix = [PY, "-m", "scrapy"]
    if profile_out and profiler == "cprofile":
        prefix = [PY, "-m", "cProfile", "-o", str(profile_out), "-m", "scrapy"]
    elif profile_out:
        prefix = [PYSPY, "record", "-f", "raw", "-r", "100", "-o", str(profile_out), "--", *prefix]
    cmd = [*prefix, *args, "-O", f"{feed}:jsonlines", *CRAWL_SETTINGS, "-s", f"LOG_FILE={log}"]
    if jobdir:  # Scrapy's disk queues: pending requests live on disk, not in memory
        state = workdir / f"{kind}.jobdir"
        shutil.rmtree(state, ignore_errors=True)
        cmd += ["-s", f"JOBDIR={state}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = CrawlRun(kind, pages)
    cpu0 = server.cpu_times()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = total = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, total
        p = psutil.Process(proc.pid)
        while not done.is_set():
            with contextlib.suppress(psutil.Error):
                rss = p.memory_info().rss
                peak = max(peak, rss)
                total = max(total, rss + sum(c.memory_info().rss for c in p.children(recursive=True)))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    run.wall_s = time.perf_counter() - start
    done.set()
    sampler.join()
    reader.join()
    cpu1 = server.cpu_times()
    run.returncode = proc.returncode
    run.peak_rss_mb = usage.ru_maxrss / 1024  # KiB on Linux
    run.sampled_peak_rss_mb = peak / 2**20
    run.sampled_peak_total_rss_mb = total / 2**20
    run.cpu_s = usage.ru_utime + usage.ru_stime
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    stats = _stats(text)
    run.stats = stats
    run.elapsed_s = stats.get("elapsed_time_seconds", float("nan"))
    run.server_cpu_share = ((cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)) / run.wall_s
    run.records = sum(1 for _ in feed.open(encoding="utf-8")) if feed.exists() else 0
    run.responses = int(stats.get("downloader/response_count", 0))
    if proc.returncode != 0:
        err = b"".join(stderr_chunks).decode("utf-8", "replace")
        print(f"  {kind} crawl exited {proc.returncode}:\n{err[-2000:]}\n{text[-2000:]}", file=sys.stderr)
    return run


def ours_args(base: str, extra: list[str] = ()) -> tuple[list[str], Path]:  # type: ignore[assignment]
    """`extra`: NAME=VALUE settings for ours only (--set)."""
    settings = [arg for pair in extra for arg in ("-s", pair)]
    return ["crawl", "news", "-a", f"site={HOST}", "-a", f"start_url={base}", *settings], ROOT


def bare_args(base: str, cwd: Path) -> tuple[list[str], Path]:
    return ["runspider", str(HERE / "bare_spider.py"), "-a", f"start_url={base}", "-a", f"host={HOST}"], cwd


def print_profile(path: Path, top: int = 30) -> list[dict[str, Any]]:
    import pstats

    st = pstats.Stats(str(path))
    total = st.total_tt  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {
                "function": f"{Path(file).name}:{line}({func})",
                "file": file,
                "calls": nc,
                "tottime_s": tt,
                "cumtime_s": ct,
            }
        )
    print(f"\n### cProfile of `scrapy crawl news` (total {total:.1f} s of CPU under the profiler)\n")
    by_cum = sorted(rows, key=lambda r: r["cumtime_s"], reverse=True)
    print("Cumulative (ours and Scrapy's entry points):\n")
    interesting = [
        r
        for r in by_cum
        if "/crawler/" in r["file"]
        or "scrapy/core" in r["file"]
        or "feedexport" in r["file"]
        or "exporters" in r["file"]
    ]
    print(
        markdown_table(
            ["function", "calls", "cum s", "cum % of total"],
            [
                [
                    r["function"],
                    str(r["calls"]),
                    f"{r['cumtime_s']:.2f}",
                    f"{100 * r['cumtime_s'] / total:.0f}%",
                ]
                for r in interesting[:top]
            ],
        )
    )
    print("\nSelf time (tottime):\n")
    by_tot = sorted(rows, key=lambda r: r["tottime_s"], reverse=True)
    print(
        markdown_table(
            ["function", "calls", "self s", "self % of total"],
            [
                [
                    r["function"],
                    str(r["calls"]),
                    f"{r['tottime_s']:.2f}",
                    f"{100 * r['tottime_s'] / total:.0f}%",
                ]
                for r in by_tot[:top]
            ],
        )
    )
    print()
    return by_cum[:60]


# Frames whose inclusive share tells where a crawl's time goes (py-spy profile), in this order.
PYSPY_AREAS = [
    ("extraction: crawler.extraction.core.extract_page", "extract_page", "crawler/extraction/core.py"),
    ("dedup: DedupPipeline.process_item", "process_item", "crawler/pipelines/dedup.py"),
    ("  of which crawler.dedup.signature (MinHash)", "signature", "crawler/dedup.py"),
    ("validation: ValidationPipeline.process_item", "process_item", "crawler/pipelines/validate.py"),
    ("feeds: PartitionedFeedPipeline.process_item", "process_item", "crawler/pipelines/feeds.py"),
    ("incremental: IncrementalPipeline.process_item", "process_item", "crawler/incremental.py"),
    ("Scrapy feed export (-O)", "item_scraped", "scrapy/extensions/feedexport.py"),
    ("discovery: parse_sitemap", "parse_sitemap", "crawler/spiders/news.py"),
    ("ArticleItem.from_record", "from_record", "crawler/items.py"),
]


def print_pyspy(path: Path, top: int = 25) -> list[dict[str, Any]]:
    """Inclusive shares of the areas above and the top self-time frames of a py-spy raw
    (collapsed stacks) profile."""
    total = 0
    inclusive: dict[str, int] = {}
    leaf: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit() or not stack:
            continue
        n = int(count)
        total += n
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";") if f]
        for f in set(frames):
            inclusive[f] = inclusive.get(f, 0) + n
        leaf[frames[-1]] = leaf.get(frames[-1], 0) + n
    if not total:
        print("\n(py-spy recorded no samples)\n")
        return []

    def share(func: str, file: str) -> int:
        total_n = 0
        for frame, n in inclusive.items():
            m = re.match(r"^(.*) \((.*)\)$", frame)
            # py-spy names methods by their qualified name ('DedupPipeline.process_item')
            if m and (m.group(1) == func or m.group(1).endswith("." + func)) and m.group(2).endswith(file):
                total_n += n
        return total_n

    print(f"\n### py-spy profile of `scrapy crawl news` ({total} samples at 100 Hz, active time only)\n")
    rows = [[label, f"{100 * share(func, file) / total:.0f}%"] for label, func, file in PYSPY_AREAS]
    print(markdown_table(["where", "share of the crawl's active samples (inclusive)"], rows))
    ours = sorted(
        ((f, n) for f, n in inclusive.items() if "/crawler/" in f or "(crawler/" in f), key=lambda x: -x[1]
    )[:top]
    print("\nOur functions, inclusive:\n")
    print(markdown_table(["function", "inclusive %"], [[f, f"{100 * n / total:.1f}%"] for f, n in ours]))
    print("\nSelf time (leaf frames):\n")
    leaves = sorted(leaf.items(), key=lambda x: -x[1])[:top]
    print(markdown_table(["frame", "self %"], [[f, f"{100 * n / total:.1f}%"] for f, n in leaves]))
    print()
    return [{"area": label, "share": share(func, file) / total} for label, func, file in PYSPY_AREAS] + [
        {"function": f, "inclusive": n / total} for f, n in ours
    ]


# --------------------------------------------------------------------------- output


def machine() -> dict[str, Any]:
    import scrapy
    import twisted

    return {**report.machine(), "scrapy": scrapy.__version__, "twisted": twisted.__version__}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages",
        default="5000",
        help="article pages per site, comma-separated sizes (default 5000; e.g. 5000,50000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="crawls of each kind per size, alternating (default 1); medians are reported",
    )
    parser.add_argument(
        "--pad-kb",
        type=int,
        default=0,
        help="KB of sidebar/script padding per article page (default 0: ~5.8 KB pages, the fixture plus ~300 words)",
    )
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    parser.add_argument(
        "--profile",
        choices=("cprofile", "py-spy"),
        help="one more crawl of ours (first size) under cProfile or py-spy (pip install py-spy); "
        "prints the hot spots",
    )
    parser.add_argument(
        "--keep-site", action="store_true", help="keep the generated site directories (printed)"
    )
    parser.add_argument(
        "--jobdir",
        action="store_true",
        help="run both crawls with -s JOBDIR=<temp> (Scrapy's disk request queues instead of memory)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy setting for ours only (repeatable), e.g. --set CRAWLER_EXTRACTION_PROCESSES=0",
    )
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.pages.split(",") if x.strip()]
    if not sizes or min(sizes) < 1 or args.repeat < 1:
        parser.error("--pages needs positive sizes and --repeat >= 1")

    started = time.perf_counter()
    results: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": CRAWL_SETTINGS,
        "pad_kb": args.pad_kb,
        "repeat": args.repeat,
        "jobdir": args.jobdir,
        "ours_settings": args.set,
        "sizes": {},
    }
    m = results["machine"]
    print(
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, Scrapy {m['scrapy']}, Twisted {m['twisted']}; {date.today()}; load average {m['loadavg_start'][0]:.2f}.\n"
    )

    profile_text = ""
    ceiling_rows: list[list[str]] = []
    crawl_rows: list[list[str]] = []
    summary: dict[int, dict[str, Any]] = {}
    for n_idx, pages in enumerate(sizes):
        tmp = Path(tempfile.mkdtemp(prefix=f"bench-crawl-{pages}-"))
        site_dir, workdir = tmp / "site", tmp / "work"
        workdir.mkdir()
        t0 = time.perf_counter()
        shape = build_site(site_dir, pages, args.pad_kb)
        paths = shape.pop("paths")
        print(
            f"[{pages}] site: {pages} pages (mean {shape['article_bytes_mean'] / 1024:.1f} KB), {shape['sitemaps']} sitemap(s), built in {time.perf_counter() - t0:.1f} s: {site_dir}",
            file=sys.stderr,
            flush=True,
        )
        entry: dict[str, Any] = {"site": shape, "ceiling": {}, "runs": []}
        if n_idx == 0:
            with threading_server(site_dir) as (base, proc):
                sample = paths[: min(len(paths), 5000)]
                c = fetch_ceiling(base, sample, proc)
                entry["ceiling"]["threading"] = c
                ceiling_rows.append(
                    [
                        "tests/site_server.py (ThreadingHTTPServer, HTTP/1.0)",
                        str(pages),
                        str(c["requests"]),
                        f"{c['requests_per_s']:.0f}",
                        f"{100 * c['server_cpu_share']:.0f}%",
                    ]
                )
                print(
                    f"[{pages}] ThreadingHTTPServer ceiling: {c['requests_per_s']:.0f} req/s",
                    file=sys.stderr,
                    flush=True,
                )
        with fast_server(site_dir) as (base, server):
            c = fetch_ceiling(base, paths, server)
            entry["ceiling"]["fast"] = c
            ceiling_rows.append(
                [
                    "bench/fast_server.py (asyncio, in memory, keep-alive)",
                    str(pages),
                    str(c["requests"]),
                    f"{c['requests_per_s']:.0f}",
                    f"{100 * c['server_cpu_share']:.0f}%",
                ]
            )
            print(
                f"[{pages}] fast_server ceiling: {c['requests_per_s']:.0f} req/s", file=sys.stderr, flush=True
            )
            runs: dict[str, list[CrawlRun]] = {"bare": [], "ours": []}
            for rep in range(args.repeat):
                for kind in ("bare", "ours"):
                    cmd, cwd = bare_args(base, workdir) if kind == "bare" else ours_args(base, args.set)
                    run = run_crawl(kind, cmd, cwd, workdir, pages, server, jobdir=args.jobdir)
                    runs[kind].append(run)
                    entry["runs"].append(
                        asdict(run) | {"rate": run.rate, "cpu_rate": run.cpu_rate, "repeat": rep}
                    )
                    print(
                        f"[{pages}] {kind} #{rep + 1}: {run.records} records in {run.elapsed_s:.1f} s = {run.rate:.0f}/s, peak RSS {run.peak_rss_mb:.0f} MB (with children {run.sampled_peak_total_rss_mb:.0f} MB), server CPU {100 * run.server_cpu_share:.0f}%",
                        file=sys.stderr,
                        flush=True,
                    )
            if args.profile and n_idx == 0:
                prof = workdir / ("ours.prof" if args.profile == "cprofile" else "ours.pyspy.txt")
                cmd, cwd = ours_args(base, args.set)
                run_crawl(
                    "ours-profiled", cmd, cwd, workdir, pages, server, profile_out=prof, profiler=args.profile
                )
                with contextlib.redirect_stdout(io.StringIO()) as buffer:  # printed after the tables
                    if args.profile == "cprofile":
                        results["profile"] = print_profile(prof)
                    else:
                        results["profile"] = print_pyspy(prof)
                profile_text = buffer.getvalue()
                if args.keep_site:
                    shutil.copy(prof, tmp / prof.name)
        med = {}
        for kind, label in (
            ("ours", "scrapy crawl news (ours)"),
            ("bare", "bare Scrapy (bench/bare_spider.py)"),
        ):
            rs = runs[kind]
            med[kind] = {
                "rate": statistics.median(r.rate for r in rs),
                "cpu_rate": statistics.median(r.cpu_rate for r in rs),
                "records": statistics.median(r.records for r in rs),
                "elapsed_s": statistics.median(r.elapsed_s for r in rs),
                "peak_rss_mb": statistics.median(r.peak_rss_mb for r in rs),
                "sampled_peak_rss_mb": statistics.median(r.sampled_peak_rss_mb for r in rs),
                "sampled_peak_total_rss_mb": statistics.median(r.sampled_peak_total_rss_mb for r in rs),
                "cpu_s": statistics.median(r.cpu_s for r in rs),
                "server_cpu_share": statistics.median(r.server_cpu_share for r in rs),
            }
            x = med[kind]
            crawl_rows.append([
                label, str(pages), f"{x['records']:.0f}", f"{x['elapsed_s']:.1f}", f"{x['rate']:.0f}",
                f"{x['cpu_rate']:.0f}", f"{1000 * x['cpu_s'] / max(x['records'], 1):.2f}", f"{x['peak_rss_mb']:.0f}",
                f"{x['sampled_peak_total_rss_mb']:.0f}", f"{100 * x['server_cpu_share']:.0f}%",
            ])  # fmt: skip
        med["ratio"] = med["ours"]["rate"] / med["bare"]["rate"]
        med["cpu_ratio"] = med["ours"]["cpu_rate"] / med["bare"]["cpu_rate"]
        crawl_rows.append([
            "**ours / bare**", str(pages), "", "", f"**{100 * med['ratio']:.0f}%**", f"{100 * med['cpu_ratio']:.0f}%", "",
            f"{med['ours']['peak_rss_mb'] / med['bare']['peak_rss_mb']:.2f}×",
            f"{med['ours']['sampled_peak_total_rss_mb'] / med['bare']['sampled_peak_total_rss_mb']:.2f}×", "",
        ])  # fmt: skip
        entry["median"] = med
        summary[pages] = med
        results["sizes"][str(pages)] = entry
        if args.keep_site:
            print(f"[{pages}] kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print("## Local server ceiling (bare fetch loop: raw asyncio client, 32 connections, each page once)\n")
    print(markdown_table(["server", "site pages", "requests", "requests/s", "server CPU"], ceiling_rows))
    print(
        "\nThe client shares the 2 cores with the server, so these are lower bounds of the server's own ceiling.\n"
    )
    print(
        f"## Crawl throughput and memory (CONCURRENT_REQUESTS={CONCURRENCY}, per domain {CONCURRENCY}, no delay, no AutoThrottle{', JOBDIR (disk queues)' if args.jobdir else ''}; page size {'fixture' if not args.pad_kb else f'fixture + {args.pad_kb} KB'}; median of {args.repeat})\n"
    )
    print(
        markdown_table(
            [
                "crawl",
                "site pages",
                "records",
                "elapsed s",
                "records/s",
                "records/CPU-s",
                "CPU ms/record",
                "peak RSS MB",
                "peak total RSS MB",
                "server CPU",
            ],
            crawl_rows,
        )
    )
    print(
        "\nrecords/s: feed lines per second of Scrapy's elapsed_time_seconds. records/CPU-s and CPU ms/record: "
        "the crawl process's user+sys time (start-up included), less sensitive to other load on the machine. Peak RSS: ru_maxrss of the crawl process. "
        "Peak total RSS: the crawl process and its children (extraction workers) together, sampled every 50 ms. "
        "Server CPU: the server process's CPU time over the crawl's wall time (100% = one core).\n"
    )

    checks = []
    for pages, med in summary.items():
        checks.append({
            "target": f"{pages} pages: ours >= {100 * THROUGHPUT_TARGET:.0f}% of bare Scrapy's pages/s",
            "measured": f"{med['ours']['rate']:.0f} vs {med['bare']['rate']:.0f} pages/s (per CPU second: {med['ours']['cpu_rate']:.0f} vs {med['bare']['cpu_rate']:.0f}, {100 * med['cpu_ratio']:.0f}%)",
            "ratio": med["ratio"],
            "pass": med["ratio"] >= THROUGHPUT_TARGET,
        })  # fmt: skip
    if len(summary) >= 2:
        lo, hi = min(summary), max(summary)
        for kind in ("ours", "bare"):
            a, b = summary[lo][kind]["peak_rss_mb"], summary[hi][kind]["peak_rss_mb"]
            checks.append({
                "target": f"{kind}: peak RSS at {hi} pages within {100 * MEMORY_TARGET:.0f}% of that at {lo}" + (" (informational)" if kind == "bare" else ""),
                "measured": f"{b:.0f} MB vs {a:.0f} MB",
                "ratio": b / a,
                "pass": b / a <= 1 + MEMORY_TARGET,
            })  # fmt: skip
    results["targets"] = checks
    print("## Targets\n")
    print(
        markdown_table(
            ["target", "measured", "ratio", "verdict"],
            [
                [c["target"], c["measured"], f"{c['ratio']:.2f}", "PASS" if c["pass"] else "MISS"]
                for c in checks
            ],
        )
    )
    if len(summary) < 2:
        print("\nMemory target (peak RSS flat from 5,000 to 50,000 pages): run with --pages 5000,50000.")
    if profile_text:
        print(profile_text, end="")
    m["loadavg_end"] = os.getloadavg()
    print(
        f"\nLoad average (1 min) at start {m['loadavg_start'][0]:.2f}, at end {m['loadavg_end'][0]:.2f} "
        f"on {m['cores']} cores: above ~0.3 something else was running and the timings are noisier."
    )
    results["wall_s"] = time.perf_counter() - started
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {args.json} ({results['wall_s']:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
