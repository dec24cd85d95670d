"""Pure extraction: saved HTML + URL -> one clean record (a plain dict). No Scrapy here."""

from crawler.extraction.core import extract

__all__ = ["extract"]
