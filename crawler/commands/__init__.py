"""The project's Scrapy commands (`COMMANDS_MODULE`): `crawl` exits 1 when a monitor check
failed (`crawler/commands/crawl.py`)."""
