"""Shared fixtures: every test runs with its own QUIZAPP_HOME, never the real data dir."""

from __future__ import annotations

import gc
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests import sampling

# Cache bytecode even under PYTHONDONTWRITEBYTECODE (set on our machines): otherwise every
# xdist worker re-runs pytest's assertion rewriting of every test module (~4.5 s of CPU each)
# and every app subprocess compiles quizapp again. Python checks each .pyc against its source.
# tests/bytecode.py (``-p`` in pyproject's addopts) does it earlier, before the installed
# plugins load; this line covers a run without the addopts.
sys.dont_write_bytecode = False

# CI runs are reproducible: hypothesis draws the same examples every time there.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run @pytest.mark.slow sweeps")


#: Snapshot tests compared at both sizes in the default run; the others' 120×40 variant runs
#: with the slow sweeps (CI), their 80×24 one always. A screen with one size only keeps it.
BOTH_SIZES = {"test_home"}
_SIZE = re.compile(r"(?:\[|_)(80x24|120x40)\]?$")


def _large_snapshot_variants(items: list[pytest.Item]) -> list[pytest.Item]:
    """The 120×40 snapshot tests whose screen has an 80×24 test too and is not in BOTH_SIZES."""
    sizes: dict[tuple[str, str], set[str]] = {}
    for item in items:
        match = _SIZE.search(item.name)
        if match and "snap_compare" in getattr(item, "fixturenames", ()):
            key = (str(item.path), item.name[: match.start()])
            sizes.setdefault(key, set()).add(match.group(1))
    large = []
    for item in items:
        match = _SIZE.search(item.name)
        if match is None or match.group(1) != "120x40":
            continue
        base = item.name[: match.start()]
        if base not in BOTH_SIZES and "80x24" in sizes.get((str(item.path), base), set()):
            large.append(item)
    return large


def _runs_slow(config: pytest.Config) -> bool:
    return bool(
        config.getoption("--run-slow")
        or _selects_slow(config.getoption("markexpr") or "")
        or os.environ.get("CI")
        or os.environ.get("QUIZAPP_SLOW")
    )


def _selects_slow(markexpr: str) -> bool:
    """Whether ``-m markexpr`` takes a test marked slow alone: ``slow`` and ``slow or not
    slow`` do, ``not slow`` does not (it once ran every sweep whole, in one process)."""
    if "slow" not in markexpr:
        return False
    try:
        from _pytest.mark.expression import Expression  # pytest's own -m grammar
    except ImportError:  # pragma: no cover - a pytest that moved it: read the word
        return "not slow" not in markexpr
    try:
        return Expression.compile(markexpr).evaluate(lambda name, **_kw: name == "slow")
    except Exception:  # an -m pytest itself refuses: pytest says so, not this hook
        return False


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (pyproject's addopts) runs the default suite in two workers per core: a
    Pilot test spends much of its time in Textual's idle waits (≥ 10 ms after each key
    with tests/tui/conftest.py's 5 ms window; Textual's own is 20 ms), which another
    worker's test fills (on a shared 2-core machine: 4 workers 148 s, 2 workers
    168 s). The full run (CI: the slow sweeps) and ``--snapshot-update`` stay in one process: syrupy
    checks for unused snapshots, and removes them on update, only when it sees every test.
    PYTEST_XDIST_AUTO_NUM_WORKERS or ``-n N`` choose another count."""
    if _runs_slow(config) or config.getoption("--snapshot-update", default=False):
        return 0
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1), 8)  # capped: each worker collects the whole suite (~7 s CPU)


def pytest_configure(config: pytest.Config) -> None:
    """A run that skips the slow sweeps leaves their snapshots unread: syrupy would call
    them unused and fail the run, so there it only warns. The full run (CI) still fails on
    a snapshot no test reads. The full run also draws every hypothesis example
    (tests/sampling.py), the default run a quarter."""
    if not _runs_slow(config) and hasattr(config.option, "warn_unused_snapshots"):
        config.option.warn_unused_snapshots = True
    sampling.FULL = _runs_slow(config)  # before the test modules are imported
    # The youngest generation is collected every 10,000 allocations net, not 700: Textual
    # makes and drops many objects per key, and the collector's passes over them (and the
    # full passes over the imported modules they trigger) were ~6 % of a worker's CPU (~2 %
    # at this threshold). Every cycle is still collected, later; the tests that count live
    # widgets call gc.collect() first (test_removed_widgets, test_flows).
    gc.set_threshold(10_000, 10, 10)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long sweeps (@pytest.mark.slow) run in CI (CI or QUIZAPP_SLOW set) or with --run-slow;
    the default run deselects them (skips them where the command line names single tests),
    and starts with the torch tests. Most screens' 120×40 snapshot is one of the slow
    sweeps."""
    for item in _large_snapshot_variants(items):
        item.add_marker(pytest.mark.slow)
    if _runs_slow(config):
        return
    slow = [item for item in items if "slow" in item.keywords]
    if _names_tests(config) or config.getoption("--snapshot-update", default=False):
        skip = pytest.mark.skip(reason="slow sweep: run with --run-slow or QUIZAPP_SLOW=1")
        for item in slow:
            item.add_marker(skip)
    elif slow:
        chosen = {id(item) for item in slow}
        items[:] = [item for item in items if id(item) not in chosen]
        config.hook.pytest_deselected(items=slow)
    _torch_first(items)


def _names_tests(config: pytest.Config) -> bool:
    """Whether the command line names single tests (``file.py::test``): a slow one named
    is then reported as skipped with the switch that runs it (as in a ``--snapshot-update``
    run, where syrupy sees them as before). Otherwise the default run deselects the slow
    sweeps (~1,500 tests): a skipped test still costs its setup, its report and the
    report's trip to the xdist controller (~1 ms of CPU in one process)."""
    return any("::" in str(arg) for arg in config.args)


def _torch_first(items: list[pytest.Item]) -> None:
    """The tests that import torch (``@pytest.mark.torch``, tests/lazy_torch.py) and run go
    first, together. xdist's worksteal hands each worker a contiguous block of the
    collection and steals from the blocks' ends, so one worker imports torch (~1.5 s of
    CPU) instead of each worker that meets a torch test. Every worker orders the same way."""
    first = [i for i in items if i.get_closest_marker("torch") and "slow" not in i.keywords]
    if first:
        chosen = {id(i) for i in first}
        items[:] = first + [i for i in items if id(i) not in chosen]


@pytest.fixture(scope="session")
def slow_run(pytestconfig: pytest.Config) -> bool:
    """Whether this run includes the slow sweeps (CI): a shared fixture may then draw more."""
    return _runs_slow(pytestconfig)


@pytest.fixture(scope="session")
def _homes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder of every test's QUIZAPP_HOME: in memory (/dev/shm) where the machine has
    it, else pytest's temporary folder. The store commits every answer with an fsync, and
    on a disk each app start and close waits ~70 ms for them (~200 app starts a run); a
    test of what survives a kill needs the page cache, not the platter. QUIZAPP_TEST_HOMES
    names another folder (e.g. a disk one, to watch the fsyncs)."""
    base = os.environ.get("QUIZAPP_TEST_HOMES") or "/dev/shm"
    try:
        homes = Path(tempfile.mkdtemp(prefix="quizapp-homes-", dir=base))
    except OSError:  # no such folder, not writable
        yield tmp_path_factory.mktemp("quizapp-homes")
        return
    try:
        yield homes
    finally:
        shutil.rmtree(homes, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_home(_homes: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # mkdtemp, not tmp_path_factory.mktemp: that lists the whole base directory to number
    # each new one, which is quadratic over a few thousand tests (~6 s of a run)
    home = Path(tempfile.mkdtemp(prefix="home-", dir=_homes))
    monkeypatch.setenv("QUIZAPP_HOME", str(home))
    from quizapp import paths

    paths.set_home(None)
    return home


@pytest.fixture
def quizapp_home(_isolated_home: Path) -> Path:
    return _isolated_home
