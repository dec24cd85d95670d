"""The validation pipeline (`crawler/pipelines/validate.py`): a record that breaks the shipped
JSON Schema is dropped, never written, and counted by field."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict

import pytest
from scrapy.exceptions import DropItem
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.test import get_crawler

from crawler.items import ArticleImage, ArticleItem
from crawler.pipelines.validate import ValidationPipeline, field_of
from crawler.schema import errors

BODY = "Warga Sawangan menyambut baik taman kota baru yang diresmikan pada Rabu pagi."


def record(**changes) -> ArticleItem:
    item = ArticleItem(
        url="https://depok.pikiran-rakyat.com/depok/pr-0931002/taman",
        canonical_url="https://depok.pikiran-rakyat.com/depok/pr-0931002/taman",
        site="depok.pikiran-rakyat.com",
        network="pikiran-rakyat",
        extractor="pikiran-rakyat@2020",
        title="Pemkot Depok Resmikan Taman Baru",
        body=BODY,
        published_at="2026-11-18T09:30:00+07:00",
        word_count=12,
        content_hash="sha1:" + "a" * 40,
        fetched_at="2026-11-24T10:00:00+00:00",
        image=ArticleImage(url="https://depok.pikiran-rakyat.com/img/1.jpg", caption=None),
    )
    for name, value in changes.items():
        setattr(item, name, value)
    return item


@pytest.fixture
def crawler():
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    return crawler


def test_a_valid_record_passes_untouched(crawler):
    item = record()
    assert not errors(asdict(item))
    assert ValidationPipeline.from_crawler(crawler).process_item(item) is item
    assert crawler.stats.get_value("crawler/drop/invalid_record") is None


def test_an_invalid_record_is_dropped_and_counted_per_field(crawler, caplog):
    pipeline = ValidationPipeline.from_crawler(crawler)
    bad = record(published_at="kemarin sore", tags=["banjir", ""], image=ArticleImage(url="/img/1.jpg"))
    with (
        caplog.at_level(logging.WARNING),
        pytest.raises(DropItem, match=r"^invalid record: published_at: ") as dropped,
    ):
        pipeline.process_item(bad)
    assert dropped.value.log_level == "INFO"  # the WARNING below says it without the whole record
    counters = {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("crawler/")}
    assert counters == {
        "crawler/drop/invalid_record": 1,
        "crawler/invalid/published_at": 1,
        "crawler/invalid/tags": 1,
        "crawler/invalid/image.url": 1,
    }
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert bad.url in warning.getMessage() and "tags[1]" in warning.getMessage()


def test_a_second_invalid_record_adds_up(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    for _ in range(2):
        with pytest.raises(DropItem):
            pipeline.process_item(record(schema_version=2))
    assert crawler.stats.get_value("crawler/drop/invalid_record") == 2
    assert crawler.stats.get_value("crawler/invalid/schema_version") == 2


def test_scrapys_pipeline_chain_stops_an_invalid_record():
    """Through Scrapy's own pipeline manager, with the project's order (validation first): the
    valid record comes out, the invalid one raises DropItem, so no later pipeline and no feed
    (written on `item_scraped`, which a dropped record never gets) sees it."""
    crawler = get_crawler(
        settings_dict={"ITEM_PIPELINES": {"crawler.pipelines.validate.ValidationPipeline": 100}}
    )
    crawler.stats.open_spider()
    manager = ItemPipelineManager.from_crawler(crawler)

    async def run() -> ArticleItem:
        with pytest.raises(DropItem):
            await manager.process_item_async(record(published_at="kemarin sore"))
        return await manager.process_item_async(record())

    assert asyncio.run(run()).published_at == "2026-11-18T09:30:00+07:00"
    assert crawler.stats.get_value("crawler/drop/invalid_record") == 1
    assert crawler.stats.get_value("crawler/invalid/published_at") == 1


@pytest.mark.parametrize(
    ("problem", "field"),
    [
        ("published_at: 'kemarin' does not match '^\\\\d{4}'", "published_at"),
        ("tags[2]: '' should be non-empty", "tags"),
        ("image.url: '/x.jpg' does not match", "image.url"),
        ("(record): [] is not of type 'object'", "record"),
    ],
)
def test_field_of(problem, field):
    assert field_of(problem) == field
