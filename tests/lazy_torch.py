"""torch for the reference tests, imported at its first use rather than at collection.

Importing torch costs ~1.5 s of CPU. Every xdist worker collects every test module, so a
module-level ``pytest.importorskip("torch")`` made each worker pay it, including the
workers that never run a torch test. ``torch`` and ``torch_ref`` (tests/reference/_torch_ref,
which subclasses torch's Optimizer) here are the real modules, loaded on the first attribute
read; ``needs_torch`` skips a module's tests when torch is not installed, as the
importorskip did, and ``uses_torch`` marks them for the run's order."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

import pytest

HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="could not import 'torch'")
#: A test that imports torch: the default run starts with all of them (tests/conftest.py),
#: so that one xdist worker imports torch instead of every worker that meets one.
uses_torch = pytest.mark.torch


class LazyModule:
    """Forwards every public attribute to the module ``name``, which it imports the first
    time one is read (a private name raises AttributeError: pytest reads several of those
    from each module global while it collects, which must not import torch)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:  # noqa: ANN401
        if attr.startswith("_"):  # pytest's collection probes every module global for these
            raise AttributeError(f"{self._name}.{attr} is not forwarded (private)")
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


torch: Any = LazyModule("torch")
torch_ref: Any = LazyModule("tests.reference._torch_ref")
