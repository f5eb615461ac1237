"""quizapp.engine.schedules without torch: API, vectorisation, errors, known values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.engine import schedules


def test_names() -> None:
    assert schedules.names() == (
        "step", "multistep", "exponential", "cosine", "linear", "constant", "polynomial",
        "onecycle", "cosine_warm_restarts", "warmup_cosine", "warmup_linear",
    )  # fmt: skip


@pytest.mark.parametrize("name", schedules.names())
def test_describe_and_doc(name: str) -> None:
    text = schedules.describe(name)
    assert "η" in text or "lr" in text
    assert isinstance(text, str) and len(text) > 10


@pytest.mark.parametrize(
    ("name", "kwargs", "fragment"),
    [
        ("cosin", {}, "valid: step"),
        ("cosine", {"base_lr": 0.1}, "missing keyword"),
        ("cosine", {"base_lr": 0.1, "T_max": 10, "tmax": 3}, "unknown keyword"),
        ("cosine", {"base_lr": 0.1, "T_max": 0}, "T_max"),
        ("step", {"base_lr": 0.1, "step_size": 0}, "step_size"),
        ("step", {"base_lr": "x", "step_size": 3}, "number"),
        ("step", {"base_lr": -0.1, "step_size": 3}, ">= 0"),
        ("linear", {"base_lr": 0.1, "start_factor": 0.0}, "start_factor"),
        ("constant", {"base_lr": 0.1, "factor": 2.0}, "factor"),
        ("onecycle", {"max_lr": 0.1, "total_steps": 10, "pct_start": 1}, "pct_start"),
        ("onecycle", {"max_lr": 0.1, "total_steps": 10, "anneal_strategy": "exp"}, "anneal"),
        ("multistep", {"base_lr": 0.1, "milestones": [1.5]}, "milestones"),
        ("cosine_warm_restarts", {"base_lr": 0.1, "T_0": 10, "T_mult": 0}, "T_mult"),
    ],
)
def test_bad_input(name: str, kwargs: dict, fragment: str) -> None:
    with pytest.raises(schedules.ScheduleError, match=fragment) as info:
        schedules.get(name, **kwargs)
    assert isinstance(info.value, ValueError)


def test_bad_k() -> None:
    f = schedules.get("exponential", base_lr=0.1, gamma=0.9)
    for k in (-1, 1.5, "3", np.array([0, -2])):
        with pytest.raises(schedules.ScheduleError):
            f(k)


def test_vectorised_equals_scalar() -> None:
    f = schedules.get("cosine", base_lr=0.1, T_max=20, eta_min=0.001)
    ks = np.arange(60)
    vals = f(ks)
    assert vals.dtype == np.float64 and vals.shape == (60,)
    assert [f(int(k)) for k in ks] == vals.tolist()
    np.testing.assert_array_equal(f(np.array([[3, 5], [7, 0]])), [[f(3), f(5)], [f(7), f(0)]])
    assert isinstance(f(3), float)
    np.testing.assert_array_equal(f.values(5), vals[:5])


def test_known_values() -> None:
    assert schedules.get("step", base_lr=1.0, step_size=2, gamma=0.5)(np.arange(6)).tolist() == [
        1.0, 1.0, 0.5, 0.5, 0.25, 0.25,
    ]  # fmt: skip
    ms = schedules.get("multistep", base_lr=1.0, milestones=[2, 4], gamma=0.1)
    assert ms(1) == 1.0 and ms(2) == pytest.approx(0.1) and ms(5) == pytest.approx(0.01)
    cos = schedules.get("cosine", base_lr=0.1, T_max=100)
    assert cos(0) == 0.1 and cos(50) == pytest.approx(0.05, rel=1e-12)
    assert cos(100) == pytest.approx(0.0, abs=1e-15)
    assert cos(150) == pytest.approx(0.05, rel=1e-9)  # torch keeps following the cosine
    lin = schedules.get("linear", base_lr=0.1, start_factor=0.5, total_iters=4)
    assert lin(0) == 0.05 and lin(4) == pytest.approx(0.1) and lin(9) == lin(4)
    const = schedules.get("constant", base_lr=0.1, factor=0.5, total_iters=3)
    assert const(2) == 0.05 and const(3) == pytest.approx(0.1)
    poly = schedules.get("polynomial", base_lr=1.0, total_iters=4, power=2.0)
    assert poly(2) == pytest.approx(0.25) and poly(4) == 0.0 and poly(9) == 0.0
    wr = schedules.get("cosine_warm_restarts", base_lr=0.1, T_0=5)
    assert wr(5) == 0.1 and wr(10) == 0.1
    wc = schedules.get("warmup_cosine", base_lr=1.0, num_warmup_steps=10, num_training_steps=110)
    assert wc(0) == 0.0 and wc(5) == 0.5 and wc(10) == 1.0
    assert wc(60) == pytest.approx(0.5) and wc(110) == pytest.approx(0.0, abs=1e-15)
    wl = schedules.get("warmup_linear", base_lr=1.0, num_warmup_steps=10, num_training_steps=110)
    assert wl(60) == 0.5 and wl(200) == 0.0


def test_onecycle_shape_and_limit() -> None:
    f = schedules.get("onecycle", max_lr=1.0, total_steps=100)
    assert f(0) == pytest.approx(1.0 / 25)
    assert f(29) == pytest.approx(1.0)
    assert f(99) == pytest.approx(1.0 / 25 / 1e4)
    f(100)  # torch allows exactly total_steps steps
    with pytest.raises(schedules.ScheduleError, match="total_steps"):
        f(101)
    with pytest.raises(schedules.ScheduleError):
        f(np.arange(102))


def test_exponential_is_recursive_like_torch() -> None:
    f = schedules.get("exponential", base_lr=0.1, gamma=0.95)
    lr = 0.1
    for k in range(1, 50):
        lr = lr * 0.95
        assert f(k) == lr  # bit-identical to the running product, not 0.1·0.95**k
    assert any(f(k) != 0.1 * 0.95**k for k in range(50))


def test_constant_factor_zero_raises_where_torch_divides_by_zero() -> None:
    f = schedules.get("constant", base_lr=0.1, factor=0.0, total_iters=3)
    assert f(2) == 0.0
    with pytest.raises(schedules.ScheduleError):
        f(3)


def test_cosine_first_half_close_to_closed_form() -> None:
    f = schedules.get("cosine", base_lr=0.1, T_max=40, eta_min=0.01)
    for k in range(41):
        closed = 0.01 + 0.09 * (1 + math.cos(math.pi * k / 40)) / 2
        assert f(k) == pytest.approx(closed, rel=1e-12, abs=1e-16)
