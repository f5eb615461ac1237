"""The lab's fast paths give the same numbers as the plain ones: the trajectory loop's
gradient, the memo of finished paths (bounded, least recently used out first)."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.engine import surfaces
from quizapp.engine.trajectory import simulate
from quizapp.study import lab
from quizapp.study.lab import LabSession


@pytest.mark.parametrize("name", surfaces.names())
@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_the_loops_gradient_is_true_grad_bit_for_bit(name: str, scale: float) -> None:
    rng = np.random.default_rng(11)
    xy = rng.standard_normal((64, 2)) * 10.0 ** rng.integers(-3, 4, (64, 2))
    xy[:6] = [[np.inf, 0.0], [np.nan, 1.0], [-0.0, 1.0], [1.0, 1.0], [1e200, -1e200], [0, 0]]
    for kappa in (1.0, 10.0, 37.5):
        s = surfaces.get(name).with_(scale=scale, kappa=kappa)
        want = s.true_grad(xy)
        with np.errstate(all="ignore"):
            got = s.unchecked_grad(xy)
        assert got.shape == want.shape
        nan = np.isnan(want)
        assert np.array_equal(np.isnan(got), nan)
        assert np.array_equal(got.view(np.int64)[~nan], want.view(np.int64)[~nan])  # ±0 too


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_a_memo_hit_is_the_path_computed_afresh() -> None:
    s = LabSession()
    s.apply(steps=300)
    first = {p.run: p for p in s.paths()}
    s.select(5)
    s.change(1, "beta2")  # Adam alone is recomputed; the other six come from the memo
    ready, missing = s.cached()
    assert [r.optimizer for r in missing] == ["adam"]
    again = {p.run: p for p in s.paths()}
    st = s.state
    alone = simulate(st.surface, st.start, list(again), st.steps)
    for path in alone:
        assert np.array_equal(again[path.run].points, path.points)
        assert np.array_equal(again[path.run].losses, path.losses, equal_nan=True)
        if path.run in first:
            assert again[path.run] is first[path.run]  # the memo's own object


def test_the_memo_is_bounded_and_forgets_the_least_recently_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lab, "CACHE_SIZE", 10)
    s = LabSession()
    s.apply(steps=20, racers=["adam"])
    keep = s._key(s.state.racer.run)
    s.paths()
    for i in range(15):
        s.set_start(-2.0 + i / 10, 2.0)
        s.paths()
        s.set_start(-2.0, 2.2)  # look at the first start again: it stays recent
        assert s.cached()[1] == []
    assert len(s._cache) == 10
    assert keep in s._cache
    s.set_start(-2.0 + 0 / 10, 2.0)
    assert s.cached()[1] != []  # the oldest other start was forgotten
