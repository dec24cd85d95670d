"""For tools that still run `setup.py`: scrapyd-deploy builds the scrapyd egg with
`python setup.py bdist_egg` (and writes a setup.py of its own when there is none). Everything,
including the `scrapy` entry point that tells scrapyd the settings module, is in pyproject.toml."""

from setuptools import setup

setup()
