"""The JSON Schema of the record contract v1 (`crawler/schema/article.v1.schema.json`).

The schema is written by hand from `crawler/items.py`; the drift tests below fail as soon as a
field, its order or its docstring changes on one side only.
"""

from __future__ import annotations

import ast
import inspect
import re
from copy import deepcopy
from dataclasses import asdict, fields
from importlib.resources import files
from itertools import pairwise
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from crawler import extract
from crawler.extraction.text import content_hash
from crawler.items import FIELD_NAMES, ArticleImage, ArticleItem
from crawler.schema import SCHEMA, SCHEMA_FILE, RecordInvalid, errors, validate

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<title>Jalan Provinsi di Garut Rusak Parah - Kabar Garut</title>
<link rel="canonical" href="https://kabargarut.example/daerah/jalan-provinsi-rusak">
<meta property="og:image" content="/img/jalan.jpg">
</head><body>
<h1>Jalan Provinsi di Garut Rusak Parah</h1>
<div class="tanggal">Senin, 10 Januari 2022, 09:15 WIB</div>
<div class="isi-berita">
<p>GARUT - Warga di Kecamatan Cikajang mengeluhkan jalan provinsi yang rusak parah sejak musim hujan tiba.</p>
<p>Lubang sedalam belasan sentimeter membuat pengendara sepeda motor kerap terjatuh pada malam hari.</p>
<p>Dinas terkait berjanji memperbaiki ruas jalan tersebut sebelum akhir bulan depan.</p>
<p>Editor: Dewi Lestari</p>
</div></body></html>"""


def _docstrings(cls: type) -> dict[str, str]:
    """Attribute docstrings of a dataclass (the string right after each field), whitespace
    collapsed as in the schema's descriptions."""
    (node,) = ast.parse(inspect.getsource(cls)).body
    assert isinstance(node, ast.ClassDef)
    docs: dict[str, str] = {}
    for field_node, after in pairwise(node.body):
        if (
            isinstance(field_node, ast.AnnAssign)
            and isinstance(field_node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[field_node.target.id] = " ".join(after.value.value.split())
    return docs


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    return extract(PAGE, fetched_at="2026-11-24T10:00:00+00:00")


# --------------------------------------------------------------------------- the schema itself


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_ships_inside_the_package() -> None:
    assert files("crawler.schema").joinpath(SCHEMA_FILE).is_file()


def test_schema_fields_are_the_dataclass_fields() -> None:
    assert tuple(SCHEMA["properties"]) == FIELD_NAMES
    assert tuple(SCHEMA["required"]) == FIELD_NAMES
    assert SCHEMA["additionalProperties"] is False


def test_image_fields_are_the_image_dataclass_fields() -> None:
    image = SCHEMA["properties"]["image"]
    names = tuple(f.name for f in fields(ArticleImage))
    assert tuple(image["properties"]) == names
    assert tuple(image["required"]) == names
    assert image["additionalProperties"] is False


@pytest.mark.parametrize(
    ("schema", "cls"),
    [(SCHEMA, ArticleItem), (SCHEMA["properties"]["image"], ArticleImage)],
    ids=["ArticleItem", "ArticleImage"],
)
def test_descriptions_are_the_dataclass_docstrings(schema: dict[str, Any], cls: type) -> None:
    docs = _docstrings(cls)
    described = {name: spec["description"] for name, spec in schema["properties"].items()}
    assert described == docs


def test_nullability_follows_the_annotations() -> None:
    for f in fields(ArticleItem):
        declared = SCHEMA["properties"][f.name].get("type", [])
        nullable = "None" in str(f.type)
        assert ("null" in declared) == nullable, f.name


# --------------------------------------------------------------------------- valid records


def test_extracted_record_validates(record: dict[str, Any]) -> None:
    assert errors(record) == []
    validate(record)
    assert record["title"] == "Jalan Provinsi di Garut Rusak Parah"
    assert record["image"] == {"url": "https://kabargarut.example/img/jalan.jpg", "caption": None}


def test_record_with_every_nullable_field_null_validates() -> None:
    item = ArticleItem(
        url="https://contoh.example/a",
        canonical_url="https://contoh.example/a",
        site="contoh.example",
        network=None,
        extractor="generic",
        title=None,
        body="",
        page=None,
        pages=None,
        content_hash=content_hash(""),
    )
    validate(asdict(item))


@pytest.mark.parametrize(
    "value", ["2022-01-09", "2022-01-09T16:51:00+07:00", "2022-01-09T16:51:00-03:30", None]
)
def test_published_at_formats_accepted(record: dict[str, Any], value: str | None) -> None:
    validate({**record, "published_at": value, "modified_at": value})


# --------------------------------------------------------------------------- invalid records


def _without(name: str):
    def change(r: dict[str, Any]) -> None:
        del r[name]

    return change


def _setting(path: str, value: Any):
    def change(r: dict[str, Any]) -> None:
        target = r
        *parents, last = path.split(".")
        for part in parents:
            target = target[part]
        target[last] = value

    return change


INVALID = [
    # (id, change, field named in the message)
    (
        "published-at-offset-without-colon",
        _setting("published_at", "2022-01-09T16:51:00+0700"),
        "published_at",
    ),
    ("published-at-space-no-offset", _setting("published_at", "2022-01-09 16:51"), "published_at"),
    ("modified-at-zulu", _setting("modified_at", "2022-01-09T16:51:00Z"), "modified_at"),
    ("fetched-at-naive", _setting("fetched_at", "2026-11-24T10:00:00"), "fetched_at"),
    ("missing-field", _without("title"), "title"),
    ("missing-image-field", _setting("image", {"url": None}), "image.caption"),
    ("extra-field", _setting("author", "Budi"), "author"),
    (
        "extra-image-field",
        _setting("image", {"url": None, "caption": None, "credit": "Antara"}),
        "image.credit",
    ),
    ("negative-word-count", _setting("word_count", -1), "word_count"),
    ("bool-word-count", _setting("word_count", True), "word_count"),
    ("negative-page", _setting("page", -2), "page"),
    ("bad-hash", _setting("content_hash", "sha1:XYZ"), "content_hash"),
    ("md5-hash", _setting("content_hash", "md5:" + "0" * 32), "content_hash"),
    ("schema-version-2", _setting("schema_version", 2), "schema_version"),
    ("negative-removed-count", _setting("removed", {"baca_juga": -1}), "removed.baca_juga"),
    ("url-not-http", _setting("url", "ftp://contoh.example/a"), "url"),
    ("empty-tag", _setting("tags", ["Garut", ""]), "tags[1]"),
    ("authors-as-string", _setting("authors", "Budi, Ani"), "authors"),
    ("dash-for-missing-title", _setting("title", ""), "title"),
]


@pytest.mark.parametrize(
    ("change", "field"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_invalid_record_is_rejected_naming_the_field(record: dict[str, Any], change, field: str) -> None:
    bad = deepcopy(record)
    change(bad)
    with pytest.raises(RecordInvalid) as caught:
        validate(bad)
    message = str(caught.value)
    assert message.startswith(f"{field}: "), message
    assert "\n" not in message
    assert isinstance(caught.value, ValueError)


def test_pattern_message_quotes_the_value(record: dict[str, Any]) -> None:
    problems = errors({**record, "published_at": "2022-01-09 16:51"})
    assert len(problems) == 1
    assert re.match(r"published_at: '2022-01-09 16:51' does not match ", problems[0])


def test_errors_lists_every_problem_in_field_order(record: dict[str, Any]) -> None:
    bad = {**record, "word_count": -1, "extra": 1}
    del bad["title"]
    assert [p.split(":")[0] for p in errors(bad)] == ["title", "word_count", "extra"]
    with pytest.raises(RecordInvalid, match=r"^title: missing .*\(and 2 more\)$") as caught:
        validate(bad)
    assert len(caught.value.errors) == 3


def test_message_about_a_huge_value_stays_short(record: dict[str, Any]) -> None:
    (problem,) = errors({**record, "body": ["kata"] * 5000})
    assert problem.startswith("body: ")
    assert problem.endswith("is not of type 'string'")
    assert len(problem) < 200


# --------------------------------------------------------------------------- the fast path


def test_the_shipped_schema_takes_the_fast_path(record: dict[str, Any]) -> None:
    import crawler.schema

    assert crawler.schema._FAST is not None
    assert crawler.schema._FAST(record) == record


@pytest.mark.parametrize("change", [case[1] for case in INVALID], ids=[case[0] for case in INVALID])
def test_the_fast_path_rejects_every_invalid_record(record: dict[str, Any], change) -> None:
    """A record the fast validator lets through is not checked again: it must reject at least
    what jsonschema rejects."""
    import fastjsonschema

    import crawler.schema

    bad = deepcopy(record)
    change(bad)
    with pytest.raises(fastjsonschema.JsonSchemaException):
        crawler.schema._FAST(bad)


def test_a_keyword_the_fast_path_does_not_know_leaves_the_check_to_jsonschema() -> None:
    from crawler.schema import _fast_validator

    assert _fast_validator({"type": "object", "properties": {"type": {"type": "string"}}}) is not None
    assert _fast_validator({"type": "array", "prefixItems": [{"type": "string"}]}) is None
    assert _fast_validator({"type": "object", "properties": {"a": {"$ref": "#/$defs/x"}}}) is None
