"""Reproducible random numbers for drill generation, and deck overrides.

Every random draw is a pure function u(kind, seed, attempt, stream) ∈ [0, 1) computed with the
SplitMix64 finaliser (64-bit integer arithmetic), and log-uniform draws use the C library's
log/exp (not NumPy's SIMD ones, which vary with the CPU), rounded to a few significant digits.
So ``generate(kind, seed)`` is the same on every machine and NumPy version (Generator streams
are not promised stable across releases).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from quizapp.engine.drills.errors import DrillError

if TYPE_CHECKING:
    from quizapp.engine.drills.models import ParamInfo

__all__ = ["Param", "Sampler", "round_sig", "normalise_overrides", "override_problems", "MAX_SEED"]

MAX_SEED = 2**63 - 1
_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB


@cache
def _salt(text: str) -> int:
    """A stable 64-bit salt for a kind or stream name (blake2b, not Python's salted hash)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _mix(x: int) -> int:
    """SplitMix64 finaliser: z ← (z ⊕ z≫30)·M1, z ← (z ⊕ z≫27)·M2, z ⊕ z≫31 (mod 2⁶⁴)."""
    z = (x + _GOLDEN) & _MASK
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


def _mix_array(x: np.ndarray) -> np.ndarray:
    """:func:`_mix` on a uint64 array (NumPy's uint64 arithmetic wraps modulo 2⁶⁴)."""
    z = x + np.uint64(_GOLDEN)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    return z ^ (z >> np.uint64(31))


@dataclass(frozen=True)
class Param:
    """A generator parameter: how it is drawn by default and which values are legal at all.

    type: "float" (uniform or, with log=True, log-uniform, rounded to ``sig`` significant
    digits), "int" (uniform integer), "bool" or "choice" (uniform over ``default``; a deck
    may also pick any of ``limits`` when given: batch 8 is legal, not drawn by default).
    """

    name: str
    label: str
    type: str
    default: tuple[Any, ...]
    limits: tuple[Any, ...] = ()
    log: bool = False
    sig: int = 2
    description: str = ""
    open_low: bool = False  # limit excludes the low end (lr > 0)
    open_high: bool = False  # limit excludes the high end (β < 1)

    def info(self) -> ParamInfo:
        """The public description of this parameter."""
        from quizapp.engine.drills.models import ParamInfo

        return ParamInfo(
            name=self.name,
            label=self.label,
            type=self.type,
            default=list(self.default),
            limits=list(self.limits or self.default),
            description=self.description,
        )

    def _limit_text(self) -> str:
        if self.type in ("bool", "choice"):
            return "one of " + ", ".join(repr(c) for c in self.limits or self.default)
        lo, hi = self.limits
        left = "(" if self.open_low else "["
        right = ")" if self.open_high else "]"
        return (
            f"a number in {left}{lo}, {hi}{right}"
            if self.type == "float"
            else (f"an integer in [{lo}, {hi}]")
        )

    def check_value(self, v: Any) -> str | None:
        """A sentence saying why ``v`` is not a legal value of this parameter, or None."""
        if self.type in ("bool", "choice"):
            if isinstance(v, bool) and self.type == "choice":
                return f"{self.name} must be {self._limit_text()}, not {v!r}"
            return (
                None
                if v in (self.limits or self.default)
                else f"{self.name} must be {self._limit_text()}, not {v!r}"
            )
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            return f"{self.name} must be {self._limit_text()}, not {v!r}"
        if self.type == "int" and float(v) != int(v):
            return f"{self.name} must be {self._limit_text()}, not {v!r}"
        lo, hi = self.limits
        if v < lo or v > hi or (self.open_low and v == lo) or (self.open_high and v == hi):
            return f"{self.name} must be {self._limit_text()}, not {v!r}"
        return None


def override_problems(params: dict[str, Param], overrides: Any) -> list[str]:
    """Human sentences describing what is wrong with ``overrides`` ([] when fine)."""
    if overrides is None:
        return []
    if not isinstance(overrides, dict):
        return ["overrides must be a table of parameter name -> [low, high] or a fixed value"]
    out: list[str] = []
    for name, value in overrides.items():
        p = params.get(name)
        if p is None:
            valid = ", ".join(params) or "(none)"
            out.append(f"unknown parameter {name!r}; this drill accepts: {valid}")
            continue
        if isinstance(value, list | tuple):
            if p.type in ("bool", "choice"):
                if not value:
                    out.append(f"{name} needs at least one value")
                out.extend(msg for v in value if (msg := p.check_value(v)))
                continue
            if len(value) != 2:
                out.append(f"{name} range must be [low, high] (two numbers), got {list(value)!r}")
                continue
            msgs = [msg for v in value if (msg := p.check_value(v))]
            out.extend(msgs)
            if not msgs and value[0] > value[1]:
                out.append(f"{name} range [{value[0]}, {value[1]}] has low > high")
            if not msgs and p.log and value[0] <= 0:
                out.append(f"{name} is drawn log-uniformly; its range must be positive")
        else:
            msg = p.check_value(value)
            if msg:
                out.append(msg)
    return out


def normalise_overrides(params: dict[str, Param], overrides: Any) -> dict[str, Any]:
    """Validate and copy ``overrides``; DrillError listing every problem otherwise."""
    problems = override_problems(params, overrides)
    if problems:
        first = next(iter(overrides)) if isinstance(overrides, dict) and overrides else None
        raise DrillError("; ".join(problems), first)
    return {
        k: (list(v) if isinstance(v, list | tuple) else v) for k, v in (overrides or {}).items()
    }


class Sampler:
    """Draws the parameters of one problem.

    ``attempt`` selects an independent stream, used to redraw a problem that came out
    degenerate. Every method is a pure function of (kind, seed, attempt, stream name).
    """

    def __init__(
        self, kind: str, params: dict[str, Param], seed: int, attempt: int, overrides: dict
    ) -> None:
        self.kind = kind
        self.params = params
        self.overrides = overrides
        self._base = _mix(seed ^ _salt(kind)) ^ _mix((attempt * _GOLDEN + 1) & _MASK)

    def uniform(self, stream: str) -> float:
        """u ∈ [0, 1) for the named stream: (mix(base ⊕ salt(stream)) ≫ 11)·2⁻⁵³."""
        return (_mix(self._base ^ _salt(stream)) >> 11) * 2.0**-53

    def uniforms(self, stream: str, n: int) -> list[float]:
        """n independent u ∈ [0, 1) for the named stream (a gradient history, say):
        uᵢ = (mix(h + (i + 1)·GOLDEN) ≫ 11)·2⁻⁵³ with h = mix(base ⊕ salt(stream))."""
        h = _mix(self._base ^ _salt(stream))
        if n <= 64:  # a short history: Python ints beat NumPy's call overhead
            zs = [_mix((h + i * _GOLDEN) & _MASK) for i in range(1, n + 1)]
            return [(z >> 11) * 2.0**-53 for z in zs]
        i = np.arange(1, n + 1, dtype=np.uint64)
        z = _mix_array(np.uint64(h) + i * np.uint64(_GOLDEN))
        return ((z >> np.uint64(11)).astype(np.float64) * 2.0**-53).tolist()

    def sign(self, stream: str) -> float:
        """±1."""
        return -1.0 if self.uniform(stream) < 0.5 else 1.0

    def fixed(self, name: str) -> bool:
        """True when a deck fixed ``name`` to one value (rather than a range or the default)."""
        return name in self.overrides and not isinstance(self.overrides[name], list)

    def _range(self, name: str, default: tuple[Any, ...] | None = None) -> tuple[Param, Any]:
        p = self.params[name]
        return p, self.overrides.get(name, list(p.default if default is None else default))

    def float(
        self, name: str, stream: str | None = None, default: tuple[float, float] | None = None
    ) -> float:
        """The parameter ``name`` drawn from its (possibly overridden) range: uniform or
        log-uniform, rounded to the parameter's ``sig`` significant digits. ``default``
        replaces the parameter's default range for this draw (one that depends on another
        drawn value), unless a deck overrode it."""
        p, rng = self._range(name, default)
        if not isinstance(rng, list):
            return float(rng)
        lo, hi = float(rng[0]), float(rng[1])
        u = self.uniform(stream or name)
        if p.log and lo > 0:
            x = math.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
        else:
            x = lo + u * (hi - lo)
        return min(max(round_sig(x, p.sig), lo), hi)

    def int(
        self, name: str, stream: str | None = None, default: tuple[int, int] | None = None
    ) -> int:
        """An integer parameter, uniform over its inclusive range (log-uniform with log=True);
        ``default`` as for :meth:`float`."""
        p, rng = self._range(name, default)
        if not isinstance(rng, list):
            return int(rng)
        lo, hi = int(rng[0]), int(rng[1])
        u = self.uniform(stream or name)
        if p.log and lo > 0:
            x = math.floor(math.exp(math.log(lo) + u * (math.log(hi + 1) - math.log(lo))))
        else:
            x = math.floor(lo + u * (hi - lo + 1))
        return int(min(max(x, lo), hi))

    def choice(
        self, name: str, stream: str | None = None, where: Callable[[Any], bool] | None = None
    ) -> Any:
        """One of the allowed values (uniformly); with ``where``, one of those it accepts (a
        batch size at most 16× another, say), or of all of them when it accepts none."""
        p, rng = self._range(name)
        options = rng if isinstance(rng, list) else [rng]
        if where is not None:
            options = [x for x in options if where(x)] or options
        return options[min(int(self.uniform(stream or name) * len(options)), len(options) - 1)]


def round_sig(x: float, sig: int) -> float:
    """``x`` rounded to ``sig`` significant digits, defined as the decimal string
    ``float(f"{x:.{sig}g}")``, so it prints as the short number the learner sees (0.3, not
    0.30000000000000004)."""
    return float(f"{float(x):.{sig}g}")
