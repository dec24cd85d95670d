"""Signals of the crawler project, besides Scrapy's own (`scrapy.signals`)."""

feed_batch_published = object()
"""A feed batch file became visible to consumers. Arguments: `records`, a list of dicts with the
`url`, `canonical_url` and `content_hash` of each record in it. The incremental state marks those
records emitted only now: a record written to a batch that a crash kept from being published is
emitted again on the next run, never lost."""
