"""quizapp.engine.schedules without torch: API, vectorisation, errors, known values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.engine import schedules


def test_names() -> None:
    assert schedules.names() == (
        "step", "multistep", "exponential", "cosine", "linear", "constant", "polynomial",
        "onecycle", "cosine_warm_restarts", "warmup_cosine", "warmup_linear", "multiplicative",
        "cyclic", "inverse_sqrt", "sequential", "chained",
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


# --- round 2: multiplicative, cyclic, inverse_sqrt, sequential, chained, plateau -------------


@pytest.mark.parametrize(
    ("name", "kwargs", "fragment"),
    [
        ("multiplicative", {"base_lr": 0.1}, "missing keyword"),
        ("multiplicative", {"base_lr": 0.1, "factor": "x"}, "factor"),
        ("cyclic", {"base_lr": 0.1, "max_lr": 1.0, "mode": "saw"}, "mode"),
        ("cyclic", {"base_lr": 0.1, "max_lr": 1.0, "step_size_up": 0}, "step_size_up"),
        ("cyclic", {"base_lr": 0.1, "max_lr": 1.0, "cycle_momentum": False}, "unknown keyword"),
        ("inverse_sqrt", {"base_lr": 0.1, "num_warmup_steps": -1}, "num_warmup_steps"),
        ("inverse_sqrt", {"base_lr": 0.1, "num_warmup_steps": 3, "timescale": 0}, "timescale"),
        ("sequential", {"base_lr": 0.1, "schedulers": [], "milestones": []}, "non-empty"),
        ("sequential", {"base_lr": 0.1, "schedulers": [("step", {"step_size": 2})] * 2,
                        "milestones": []}, "one entry fewer"),
        ("sequential", {"base_lr": 0.1, "schedulers": [("onecycle", {}), ("step", {})],
                        "milestones": [3]}, r"schedulers\[0\] \('onecycle'\) cannot be part"),
        ("chained", {"base_lr": 0.1, "schedulers": [("exponential", {"gamma": 0.9,
                                                                       "base_lr": 0.2})]}, "outer base_lr"),
        ("chained", {"base_lr": 0.1, "schedulers": [("cosine", {})]}, r"schedulers\[0\].*T_max"),
        ("chained", {"base_lr": 0.1, "schedulers": ["step"]}, "pair"),
        ("chained", {"base_lr": 0.1, "schedulers": [("chained", {"schedulers": []})]}, "cannot be part"),
    ],
)  # fmt: skip
def test_new_schedules_bad_input(name: str, kwargs: dict, fragment: str) -> None:
    with pytest.raises(schedules.ScheduleError, match=fragment):
        schedules.get(name, **kwargs)


def test_multiplicative_applies_one_factor_per_step() -> None:
    f = schedules.get("multiplicative", base_lr=0.1, factor=0.9)
    lr = 0.1
    for k in range(1, 20):
        lr *= 0.9
        assert f(k) == lr
    assert f(0) == 0.1


def test_cyclic_modes() -> None:
    tri = schedules.get("cyclic", base_lr=0.1, max_lr=1.0, step_size_up=2)
    assert tri(np.arange(9)).tolist() == pytest.approx(
        [0.1, 0.55, 1.0, 0.55, 0.1, 0.55, 1.0, 0.55, 0.1]
    )
    tri2 = schedules.get("cyclic", base_lr=0.0, max_lr=1.0, step_size_up=2, mode="triangular2")
    assert [tri2(2), tri2(6), tri2(10)] == [1.0, 0.5, 0.25]  # the amplitude halves each cycle
    exp = schedules.get(
        "cyclic", base_lr=0.0, max_lr=1.0, step_size_up=2, mode="exp_range", gamma=0.9
    )
    assert exp(2) == pytest.approx(0.81) and exp(6) == pytest.approx(0.9**6)
    asym = schedules.get("cyclic", base_lr=0.0, max_lr=1.0, step_size_up=1, step_size_down=3)
    assert asym(np.arange(5)).tolist() == pytest.approx([0.0, 1.0, 2 / 3, 1 / 3, 0.0])


def test_inverse_sqrt() -> None:
    f = schedules.get("inverse_sqrt", base_lr=1.0, num_warmup_steps=4)
    assert f(np.arange(5)).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert f(16) == 1.0 / math.sqrt(16 / 4) == 0.5  # timescale defaults to W: η₀·√(W/k)
    g = schedules.get("inverse_sqrt", base_lr=1.0, num_warmup_steps=0)
    assert g(0) == 1.0 and g(30_000) == 0.5  # W = 0: timescale 10 000


def test_sequential_restarts_each_part_at_its_milestone() -> None:
    f = schedules.get(
        "sequential",
        base_lr=1.0,
        schedulers=[("linear", {"start_factor": 0.25, "total_iters": 3}), ("exponential", {"gamma": 0.5})],
        milestones=[3],
    )  # fmt: skip
    assert f(np.arange(6)).tolist() == [0.25, 0.5, 0.75, 1.0, 0.5, 0.25]
    # a part without a closed form restarts from the lr it finds: multiplicative multiplies
    g = schedules.get(
        "sequential",
        base_lr=1.0,
        schedulers=[("exponential", {"gamma": 0.5}), ("multiplicative", {"factor": 0.1})],
        milestones=[2],
    )
    assert g(np.arange(4)).tolist() == pytest.approx([1.0, 0.5, 0.05, 0.005])


def test_chained_multiplies_chainable_parts_and_closed_form_parts_overwrite() -> None:
    f = schedules.get(
        "chained",
        base_lr=1.0,
        schedulers=[("constant", {"factor": 0.5, "total_iters": 2}), ("exponential", {"gamma": 0.5})],
    )  # fmt: skip
    # k=2: constant undoes its factor (×2) and exponential halves: the two compose
    assert f(np.arange(4)).tolist() == [0.5, 0.25, 0.25, 0.125]
    warm = ("warmup_linear", {"num_warmup_steps": 4, "num_training_steps": 8})
    after = schedules.get(
        "chained", base_lr=1.0, schedulers=[("exponential", {"gamma": 0.5}), warm]
    )
    assert after(3) == 0.75  # the warmup recipe overwrites: the exponential decay is lost
    before = schedules.get(
        "chained", base_lr=1.0, schedulers=[warm, ("exponential", {"gamma": 0.5})]
    )
    assert before(3) == 0.375  # only one factor γ survives each step


def test_divide_by_zero_at_a_milestone_is_our_error_and_recoverable() -> None:
    f = schedules.get(
        "sequential",
        base_lr=0.1,
        schedulers=[("step", {"step_size": 2}), ("linear", {"total_iters": 0})],
        milestones=[2],
    )
    assert f(1) == 0.1
    for _ in range(2):
        with pytest.raises(schedules.ScheduleError, match="divides by zero"):
            f(5)
    assert f(1) == 0.1


def test_plateau_reduces_after_patience_and_respects_cooldown_and_min_lr() -> None:
    p = schedules.plateau(base_lr=1.0, patience=2, factor=0.5, cooldown=1, min_lr=0.2)
    lrs = p([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]).tolist()
    # best = 1.0 after step 1; bad epochs 1, 2, 3 > patience → halve; cooldown eats one step
    assert lrs == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2]
    trace = p.trace([3.0, 2.0])
    assert trace[1]["best"] == 2.0 and trace[1]["num_bad_epochs"] == 0
    assert schedules.plateau(base_lr=0.1, mode="max", patience=0)([1.0, 2.0, 1.5]).tolist() == [
        0.1, 0.1, pytest.approx(0.01),
    ]  # fmt: skip


def test_plateau_threshold_rel_and_abs() -> None:
    rel = schedules.plateau(base_lr=1.0, patience=0, threshold=0.1)
    assert rel([1.0, 0.95]).tolist() == [1.0, 0.1]  # 0.95 is not below 1.0·(1 − 0.1)
    absolute = schedules.plateau(base_lr=1.0, patience=0, threshold=0.01, threshold_mode="abs")
    assert absolute([1.0, 0.95]).tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"factor": 1.0}, "factor must be < 1"),
        ({"mode": "lowest"}, "mode"),
        ({"threshold_mode": "pct"}, "threshold_mode"),
        ({"patience": -1}, "patience"),
        ({"min_lr": -1.0}, "min_lr"),
        ({"verbose": True}, "unknown keyword"),
    ],
)
def test_plateau_bad_input(kwargs: dict, fragment: str) -> None:
    with pytest.raises(schedules.ScheduleError, match=fragment):
        schedules.plateau(base_lr=0.1, **kwargs)
    with pytest.raises(schedules.ScheduleError, match="metrics"):
        schedules.plateau(base_lr=0.1)([[1.0, 2.0]])


def _replay_step_by_step(name: str, kw: dict, n: int) -> list[float]:
    """The lrs for k = 0..n from the engine's models, one scheduler.step() at a time."""
    from quizapp.engine.schedule_builders import BUILDERS, complete

    model = BUILDERS[name](complete(name, kw))()
    lrs = [model.construct(kw["base_lr"])]
    for _ in range(n):
        lrs.append(model.step(lrs[-1]))
    return lrs


WSD = [("linear", {"start_factor": 0.01, "total_iters": 30}), ("linear", {"end_factor": 0.1, "total_iters": 70})]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kw"),
    [
        ("sequential", dict(base_lr=2e-3, schedulers=WSD, milestones=[900])),
        (
            "sequential",
            dict(
                base_lr=0.1,
                schedulers=[
                    ("polynomial", {"total_iters": 9}),
                    ("constant", {"factor": 0.5, "total_iters": 20}),
                    ("exponential", {"gamma": 0.99}),
                ],
                milestones=[400, 700],
            ),
        ),  # fmt: skip
        (
            "sequential",
            dict(
                base_lr=0.1,
                schedulers=[*WSD, ("linear", {"total_iters": 5})],
                milestones=[500, 500],
            ),
        ),  # fmt: skip
        (
            "sequential",
            dict(base_lr=0.1, schedulers=[*WSD, ("step", {"step_size": 7})], milestones=[600, 300]),
        ),  # fmt: skip
        (
            "chained",
            dict(
                base_lr=0.1, schedulers=[WSD[0], ("constant", {"factor": 0.5, "total_iters": 50})]
            ),
        ),  # fmt: skip
        ("linear", dict(base_lr=0.1, start_factor=0.5, total_iters=0)),
        ("constant", dict(base_lr=0.1, factor=0.5, total_iters=0)),
        ("polynomial", dict(base_lr=0.1, total_iters=40, power=3.0)),
    ],
)
def test_idle_steps_are_skipped_with_the_same_values(name: str, kw: dict) -> None:
    """A part past its total_iters leaves the lr as it finds it: the replay counts those
    steps at once; every value, asked for in any order, equals the one-step-at-a-time replay."""
    want = _replay_step_by_step(name, kw, 1000)
    f = schedules.get(name, **kw)
    assert [f(k) for k in (999, 3, 1000, 0, 650)] == [want[k] for k in (999, 3, 1000, 0, 650)]
    assert f(np.arange(1001)).tolist() == want
    g = schedules.get(name, **kw)
    assert [g(k) for k in range(0, 1001, 37)] == want[::37]
