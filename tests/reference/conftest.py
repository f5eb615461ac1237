"""Fixtures shared by the reference tests (engine vs torch)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.lazy_torch import torch


@pytest.fixture
def torch_sqrt():  # noqa: ANN201
    """torch's float64 sqrt in the engine (MKL's is an ulp low on ~0.8 % of inputs), so a
    comparison can be to the last bit."""
    from quizapp.engine.optim import _fp

    def tsqrt(x):  # noqa: ANN001, ANN202
        if np.ndim(x) == 0:
            return np.sqrt(x)
        return torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64)).sqrt().numpy()

    _fp.set_sqrt(tsqrt)
    yield
    _fp.set_sqrt(None)
