"""Every record is checked against the shipped JSON Schema (`crawler.schema`) before anything
else sees it: an invalid one is dropped, never written, and counted by reason.

Stats: `crawler/drop/invalid_record` per dropped record, `crawler/invalid/<field>` per field at
fault (e.g. `crawler/invalid/published_at`, `crawler/invalid/image.url`).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.schema import errors

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

_INDEX = re.compile(r"\[\d+\]")


def field_of(problem: str) -> str:
    """The field a `crawler.schema.errors` line names, without list positions:
    'tags[2]: …' -> 'tags', 'image.url: …' -> 'image.url', '(record): …' -> 'record'."""
    path = problem.split(": ", 1)[0]
    return _INDEX.sub("", path).strip("()") or "record"


def _plain(value: Any) -> Any:
    """A dataclass item as a dict, nested dataclasses too, without copying the rest: a quick view
    of the record for the check (ItemAdapter.asdict copies every list and dict, ~4x the time of
    the check itself)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


class ValidationPipeline:
    """Drop records that break the record contract v1."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        problems = errors(_plain(item) if isinstance(item, dict) or dataclasses.is_dataclass(item) else adapter.asdict())
        if problems:  # the exact record, as ItemAdapter converts it, decides
            problems = errors(adapter.asdict())
        if not problems:
            return item
        self.stats.inc_value("crawler/drop/invalid_record")
        for field in dict.fromkeys(field_of(p) for p in problems):
            self.stats.inc_value(f"crawler/invalid/{field}")
        logger.warning("invalid record, not written: %s: %s", adapter.get("url"), "; ".join(problems))
        # the warning above names the problems; Scrapy's own 'Dropped:' line (with the whole
        # record) stays at INFO
        raise DropItem(f"invalid record: {problems[0]}", log_level="INFO")
