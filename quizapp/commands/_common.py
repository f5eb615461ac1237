"""What several commands share: loading the decks (or saying why not) and reading a seed.

Not a command itself (the leading underscore keeps :mod:`quizapp.cli` from registering it).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the loader is imported by the commands that load decks, when they do
    from quizapp.decks.loader import Catalog

__all__ = ["load_catalog_or_report", "parse_seed", "seed_argument"]


def load_catalog_or_report(args: argparse.Namespace) -> Catalog:
    """The shipped, user and ``--content`` decks. Bad deck files are left out and the good
    ones still load; the catalog's one-line notice naming them (and ``quizapp check`` for
    details) goes to stderr."""
    from quizapp.decks import loader

    catalog = loader.load_catalog(args.content)
    if catalog.notice:
        print(f"quizapp: {catalog.notice}", file=sys.stderr)
    return catalog


def parse_seed(text: str) -> int:
    """A seed as typed on the command line (``_`` separators allowed); ValueError with the
    message to show when it is not a whole number in [0, MAX_SEED]."""
    from quizapp.engine.drills.sampling import MAX_SEED

    digits = text.strip().replace("_", "")
    if not re.fullmatch(r"\d+", digits) or int(digits) > MAX_SEED:
        raise ValueError(f"--seed must be a whole number in [0, {MAX_SEED}], not {text!r}")
    return int(digits)


def seed_argument(text: str) -> int:
    """:func:`parse_seed` as an argparse ``type=`` (a bad seed exits 2 with its message)."""
    try:
        return parse_seed(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
