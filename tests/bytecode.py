"""Loaded first (``-p tests.bytecode`` in pyproject's addopts), before the installed plugins.

Caches bytecode even under PYTHONDONTWRITEBYTECODE (set on our machines). pytest rewrites
the asserts of every installed plugin's modules too (hypothesis, syrupy, xdist,
pytest-asyncio: 111 modules), and writes the rewritten code beside them only when bytecode
is on; tests/conftest.py is read after those plugins are imported, so without this each
process (the xdist controller and every worker) rewrote them all again at every run, about
1.5 s of CPU each. Python checks each cached file against its source."""

from __future__ import annotations

import sys

sys.dont_write_bytecode = False
