"""crawler: Indonesian regional news pages to clean article records.

`from crawler import extract` gives the pure extraction function; it never imports Scrapy.
The Scrapy project (settings, spiders, pipelines) lives beside it in this package.
"""

from crawler.extraction import extract

__all__ = ["extract"]
