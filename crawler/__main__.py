"""`python -m crawler ...`: the command line (see `crawler/cli.py`)."""

from crawler.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
