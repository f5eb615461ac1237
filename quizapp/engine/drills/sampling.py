"""Reproducible, vectorised random numbers for drill generation, and deck overrides.

Every random draw is a pure function u(kind, seed, attempt, stream) ∈ [0, 1) computed with the
SplitMix64 finaliser on uint64 arrays. So ``generate(kind, seed)`` is the same on every machine
and NumPy version (Generator streams are not promised stable across NumPy releases), and a
batch of seeds is drawn in one NumPy pass: ``generate_many`` and ``generate`` agree exactly.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from quizapp.engine.drills.models import DrillError, ParamInfo

__all__ = ["Param", "Sampler", "round_sig", "normalise_overrides", "override_problems", "MAX_SEED"]

MAX_SEED = 2**63 - 1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@cache
def _salt(text: str) -> np.uint64:
    """A stable 64-bit salt for a kind or stream name (blake2b, not Python's salted hash)."""
    return np.uint64(
        int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
    )


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: z ← (z ⊕ z≫30)·M1, z ← (z ⊕ z≫27)·M2, z ⊕ z≫31 (mod 2⁶⁴)."""
    z = x + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@dataclass(frozen=True)
class Param:
    """A generator parameter: how it is drawn by default and which values are legal at all.

    type: "float" (uniform or, with log=True, log-uniform, rounded to ``sig`` significant
    digits), "int" (uniform integer), "bool" or "choice" (uniform over ``choices``).
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
            return "one of " + ", ".join(repr(c) for c in self.default)
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
                if v in self.default
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
    """Draws the parameters of a batch of problems: one row per seed.

    ``attempt`` selects an independent stream, used to redraw a row that came out degenerate.
    """

    def __init__(
        self,
        kind: str,
        params: dict[str, Param],
        seeds: np.ndarray,
        attempt: np.ndarray | int,
        overrides: dict[str, Any],
    ) -> None:
        self.kind = kind
        self.params = params
        self.seeds = np.asarray(seeds, dtype=np.uint64)
        self.attempt = np.broadcast_to(np.asarray(attempt, dtype=np.uint64), self.seeds.shape)
        self.overrides = overrides
        self.n = self.seeds.shape[0]
        self._base = _mix(self.seeds ^ _salt(kind)) ^ _mix(self.attempt * _GOLDEN + np.uint64(1))

    def uniform(self, stream: str) -> np.ndarray:
        """u ∈ [0, 1) per row for the named stream: (mix(base ⊕ salt(stream)) ≫ 11)·2⁻⁵³."""
        z = _mix(self._base ^ _salt(stream))
        return (z >> np.uint64(11)).astype(np.float64) * (2.0**-53)

    def sign(self, stream: str) -> np.ndarray:
        """±1 per row."""
        return np.where(self.uniform(stream) < 0.5, -1.0, 1.0)

    def _range(self, name: str) -> tuple[Param, Any]:
        p = self.params[name]
        return p, self.overrides.get(name, list(p.default))

    def float(self, name: str, stream: str | None = None) -> np.ndarray:
        """The parameter ``name`` drawn from its (possibly overridden) range, ``sig`` digits."""
        p, rng = self._range(name)
        if not isinstance(rng, list):
            return np.full(self.n, float(rng))
        lo, hi = float(rng[0]), float(rng[1])
        u = self.uniform(stream or name)
        if p.log and lo > 0:
            x = np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo)))
        else:
            x = lo + u * (hi - lo)
        return np.clip(round_sig(x, p.sig), lo, hi)

    def int(self, name: str, stream: str | None = None) -> np.ndarray:
        """An integer parameter, uniform over its inclusive range (log-uniform with log=True)."""
        p, rng = self._range(name)
        if not isinstance(rng, list):
            return np.full(self.n, int(rng), dtype=np.int64)
        lo, hi = int(rng[0]), int(rng[1])
        u = self.uniform(stream or name)
        if p.log and lo > 0:
            x = np.floor(np.exp(np.log(lo) + u * (np.log(hi + 1) - np.log(lo))))
        else:
            x = np.floor(lo + u * (hi - lo + 1))
        return np.clip(x, lo, hi).astype(np.int64)

    def choice(self, name: str, stream: str | None = None) -> np.ndarray:
        """One of the allowed values per row (an object array)."""
        p, rng = self._range(name)
        options = rng if isinstance(rng, list) else [rng]
        idx = np.minimum(
            (self.uniform(stream or name) * len(options)).astype(np.int64), len(options) - 1
        )
        out = np.empty(self.n, dtype=object)
        for i, opt in enumerate(options):
            out[idx == i] = opt
        return out


_POW10 = np.array([float(f"1e{i}") for i in range(23)])  # exact powers of ten


def round_sig(x: np.ndarray, sig: int) -> np.ndarray:
    """Round every entry of x to ``sig`` significant digits, x = 0 → 0.

    Defined as the decimal string of each value, ``float(f"{x:.{sig}g}")``, so that the
    result prints as the short number the learner sees (0.3, not 0.30000000000000004).
    Computed in array passes: with D the ``sig``-digit integer and E the exponent of the
    last kept digit, that string is D·10ᴱ and ``float`` rounds it correctly; so does one IEEE
    operation D / 10⁻ᴱ or D·10ᴱ, since powers of ten up to 10²² are exact floats. D is
    round(|x| / 10ᴱ), where the scaled value is again one rounding away from exact; entries
    for which that could matter (a scaled value within a few ulps of a half-integer, where
    the string's round-half-even could go the other way), non-finite or extreme values,
    fall back to the string itself.
    """
    x = np.asarray(x, dtype=np.float64)
    flat = x.ravel()
    if not 1 <= sig <= 15 or flat.size < 8:
        return _round_sig_str(flat, sig).reshape(x.shape)
    a = np.abs(flat)
    with np.errstate(all="ignore"):
        ok = (a >= 1e-280) & (a < 1e280)
        e = np.floor(np.log10(np.where(ok, a, 1.0))).astype(np.int64) - (sig - 1)
        lo, hi = _POW10[sig - 1], _POW10[sig]
        y = _scaled(a, e)  # |x| / 10ᴱ, one rounding
        e += (y >= hi).astype(np.int64) - (y < lo)  # log10 is off by one at powers of ten
        ok &= np.abs(e) <= 22
        pw = _POW10[np.minimum(np.abs(e), 22)]
        neg_e = e < 0
        y = np.where(neg_e, a * pw, a / pw)
        ok &= (y >= lo) & (y < hi)  # E is right: D has sig digits
        half = np.abs(y - np.floor(y) - 0.5)
        ok &= half > 8 * np.spacing(hi)  # not (nearly) a tie
        d = np.rint(y)
        out = np.where(neg_e, d / pw, d * pw)
    out = np.copysign(out, flat)
    zero = a == 0  # "0" and "-0": the copysign of 0.0 gives both
    out[zero] = flat[zero]
    bad = ~(ok | zero)
    if bad.any():
        out[bad] = _round_sig_str(flat[bad], sig)
    return out.reshape(x.shape)


def _scaled(a: np.ndarray, e: np.ndarray) -> np.ndarray:
    pw = _POW10[np.minimum(np.abs(e), 22)]
    return np.where(e < 0, a * pw, a / pw)


def _round_sig_str(x: np.ndarray, sig: int) -> np.ndarray:
    return np.array([float(f"{v:.{sig}g}") for v in x.tolist()], dtype=np.float64)
