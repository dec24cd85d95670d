"""The record contract v1 as a JSON Schema, and a checker for records.

`article.v1.schema.json` describes the plain dict that `crawler.extract` returns
(`dataclasses.asdict(ArticleItem)`); `tests/test_schema.py` keeps it in step with
`crawler/items.py`. The file is read with importlib.resources, so it is found from an
installed package (a wheel or a zip) as well as from the source tree.

    >>> from crawler.schema import validate, errors
    >>> validate(record)          # None, or raises RecordInvalid('published_at: ...')
    >>> errors(record)            # every problem, one line each

No Scrapy here: the spider's pipelines, the CLI and the tests share it.

Speed: every crawled record is checked, so a valid record takes the fast path, a validator that
fastjsonschema compiled to Python code from the same file (~20 us a record, against ~200 us for
jsonschema's). Only a record it rejects goes to jsonschema, which names every problem (and has the
last word: the record is invalid only if jsonschema says so). fastjsonschema knows drafts 4 to 7,
not 2020-12, so it is used only while every keyword of the schema is one that means the same in
both (`FAST_KEYWORDS`): a schema that gains another keyword is checked by jsonschema alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

__all__ = ["FAST_KEYWORDS", "SCHEMA", "SCHEMA_FILE", "RecordInvalid", "errors", "validate"]

SCHEMA_FILE = "article.v1.schema.json"

SCHEMA: dict[str, Any] = json.loads(files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))

# Built once: compiling the validator costs more than checking one record.
_VALIDATOR = Draft202012Validator(SCHEMA)

FAST_KEYWORDS = frozenset(
    {
        "$schema", "$id", "title", "description",  # annotations
        "type", "const", "enum", "properties", "required", "additionalProperties", "items",
        "minLength", "maxLength", "pattern", "minimum", "maximum",
    }
)  # fmt: skip
"""Keywords that mean the same in drafts 7 and 2020-12 (for `items`: its one-schema form, the only
one 2020-12 has)."""


def _keywords(schema: Any) -> set[str]:
    """Every keyword used in a schema (not the property names under `properties`)."""
    found: set[str] = set()
    if isinstance(schema, Mapping):
        for key, value in schema.items():
            found.add(key)
            subschemas = value.values() if key == "properties" and isinstance(value, Mapping) else [value]
            for sub in subschemas:
                if isinstance(sub, Mapping):
                    found |= _keywords(sub)
    return found


def _fast_validator(schema: dict[str, Any]) -> Any:
    if not _keywords(schema) <= FAST_KEYWORDS:
        return None
    draft7 = {**schema, "$schema": "http://json-schema.org/draft-07/schema#"}
    # use_default=False: never fill in defaults, the record is only read
    return fastjsonschema.compile(draft7, use_default=False)


_FAST = _fast_validator(SCHEMA)
_FIELD_ORDER = {name: i for i, name in enumerate(SCHEMA["properties"])}
# A message quoting a whole body would drown the problem it names.
_MAX_QUOTE = 80


class RecordInvalid(ValueError):
    """A record breaks the contract. `str()` is one line naming the first field at fault;
    `.errors` holds every problem."""

    def __init__(self, problems: list[str]) -> None:
        self.errors = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


def validate(record: Mapping[str, Any]) -> None:
    """Raise `RecordInvalid` unless `record` follows the contract v1."""
    problems = errors(record)
    if problems:
        raise RecordInvalid(problems)


def errors(record: Mapping[str, Any]) -> list[str]:
    """Every way `record` breaks the contract, as 'field.path: problem' lines in field order
    ([] for a valid record)."""
    if _FAST is not None:
        try:
            _FAST(record)
        except fastjsonschema.JsonSchemaException:
            pass  # jsonschema names the problems
        else:
            return []
    problems = [found for error in _VALIDATOR.iter_errors(record) for found in _describe(error)]
    problems.sort(
        key=lambda p: (_FIELD_ORDER.get(str(p[0][0]) if p[0] else "", len(_FIELD_ORDER)), _dotted(p[0]))
    )
    # jsonschema reports a missing key once per key but on the object: dedupe what _describe named
    return list(dict.fromkeys(f"{_dotted(path) or '(record)'}: {problem}" for path, problem in problems))


def _describe(error: ValidationError) -> Iterable[tuple[list[Any], str]]:
    """(path, problem) per field at fault. Errors about an object's keys ('required',
    'additionalProperties') sit on the object, so name the keys themselves."""
    path = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, Mapping):
        for name in error.validator_value:
            if name not in error.instance:
                yield [*path, name], "missing (a required field)"
        return
    if (
        error.validator == "additionalProperties"
        and error.validator_value is False
        and isinstance(error.instance, Mapping)
    ):
        allowed = error.schema.get("properties", {})
        for name in sorted(str(key) for key in error.instance if key not in allowed):
            yield [*path, name], "not a field of the contract v1"
        return
    message = error.message
    quoted = repr(error.instance)
    if len(quoted) > _MAX_QUOTE:  # keep the problem, shorten the quoted value
        message = message.replace(quoted, quoted[: _MAX_QUOTE - 1] + "…")
    yield path, " ".join(message.split())


def _dotted(path: list[Any]) -> str:
    """['image', 'url'] -> 'image.url'; ['tags', 2] -> 'tags[2]'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
