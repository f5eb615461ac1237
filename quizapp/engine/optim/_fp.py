"""Floating-point primitives that reproduce torch's CPU kernels bit for bit.

torch 2.13's CPU kernels (AVX2/AVX512 builds, i.e. every x86-64 CPU with FMA) compute
``add(x, alpha=a)``, ``addcmul`` and ``lerp`` with a *fused* multiply-add: one rounding
for ``a·b + c``. NumPy has no fma ufunc, so :func:`fma` emulates it exactly with
error-free transformations (Veltkamp split, TwoProduct, TwoSum) and a round-to-odd
correction (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums: proved
algorithms using rounding to odd", IEEE TC 2008):

    (p, e) = TwoProduct(a, b)      # a·b = p + e exactly
    (s, r) = TwoSum(p, c)          # p + c = s + r exactly
    u      = RO(r + e)             # round-to-odd keeps the sticky information
    fma    = RN(s + u)             # one correct rounding of a·b + c

Arrays of up to ``_SMALL`` elements (a single drill) run the same operations per element
on Python floats (:func:`_fma1`), which costs microseconds instead of ~30 NumPy calls.

Python-level scalar arithmetic (bias corrections, step sizes) happens in torch as Python
floats, i.e. IEEE doubles and glibc's ``pow``; :func:`pow_` reproduces that, because
NumPy's SIMD ``np.power`` differs from glibc's ``pow`` in the last bit on ~1% of inputs.
"""

from __future__ import annotations

import math
import struct
from typing import Any

import numpy as np

Num = Any  # float | np.ndarray (float64); kept loose because both flow through freely

_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp's splitter for binary64


def _split(x: Num) -> tuple[Num, Num]:
    """Veltkamp split: x = hi + lo exactly, each half fitting in 26 bits."""
    c = _SPLIT * x
    hi = c - (c - x)
    return hi, x - hi


def _is_scalar(x: Num) -> bool:
    return isinstance(x, float | int)


_CHUNK = 16384  # elements per block: keeps the ~10 temporaries of :func:`_fma_kernel` in L2


_LOW51 = (1 << 51) - 1  # mantissa bits below the top one


def round_sum(
    s: np.ndarray,
    r: np.ndarray,
    e: np.ndarray,
    out: np.ndarray,
    u: np.ndarray,
    scratch: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    check_finite: bool = True,
) -> None:
    """out = RN(s + r + e) where s + r is an exact TwoSum and |e| is tiny next to s.

    Computed as RN(s + RN(r + e)). That can only differ from the correctly rounded result
    when s + RN(r + e) lands exactly on a rounding midpoint while r + e was not exact; such
    a u = RN(r + e) is a midpoint offset (±½, ±¼ or ±3⁄2 ulp(s)), whose significand has at
    most two leading bits set. Those rare candidates are redone with u rounded to odd
    (Boldo & Melquiond), which makes the final rounding correct.
    """
    np.add(r, e, out=u)
    np.add(s, u, out=out)
    ui = u.view(np.int64)
    if scratch is None:
        cand = (ui & _LOW51) == 0
        cand &= u != 0
    else:  # preallocated int64 and bool buffers (the cache-blocked bulk path); u = 0 is
        # then a (harmless) candidate too, which saves two passes
        bits, cand, _ = scratch
        np.bitwise_and(ui, _LOW51, out=bits)
        np.equal(bits, 0, out=cand)
    if cand.any():
        idx = np.nonzero(cand)
        ri, ei, ui_ = r[idx], e[idx], u[idx]
        ub = ui_ - ri
        w = (ri - (ui_ - ub)) + (ei - ub)  # r + e = u + w exactly
        bits = ui_.view(np.int64).copy()
        odd_fix = (w != 0) & ((bits & 1) == 0)
        # +1 on the bit pattern grows |u|: step towards the sign of w
        bits += np.where(odd_fix, np.where(np.signbit(w) == np.signbit(ui_), 1, -1), 0)
        out[idx] = s[idx] + bits.view(np.float64)
    if not check_finite:
        return  # the caller checks its final result and redoes non-finite blocks
    bad = ~np.isfinite(out)
    if bad.any():
        # inf/nan/overflow: the hardware fma yields what the plain expression yields
        idx = np.nonzero(bad)
        out[idx] = s[idx]  # s = RN(a·b + c) computed plainly


def _fma_kernel(a: Num, b: np.ndarray, c: Num, out: np.ndarray) -> None:
    """Write RN(a·b + c) into ``out`` (1-d blocks or whole small arrays)."""
    ah, al = _split(a)
    bh, bl = _split(b)
    p = a * b
    # TwoProduct error term: a·b = p + e exactly (barring over/underflow)
    e = ah * bh
    e -= p
    e += ah * bl
    e += al * bh
    e += al * bl
    # TwoSum(p, c) = s + r
    s = p + c
    bb = s - p
    r = p - (s - bb)
    r += c - bb
    round_sum(s, r, e, out, np.empty_like(out))


def fma(a: Num, b: Num, c: Num) -> np.ndarray:
    """Correctly rounded a·b + c (a single rounding), elementwise, as a new float64 ndarray.

    Exact for all finite inputs whose product neither overflows nor falls into the
    subnormal range (where TwoProduct's error term is itself rounded).
    """
    with np.errstate(all="ignore"):
        return _fma(a, b, c)


def _fma(a: Num, b: Num, c: Num) -> np.ndarray:
    if _is_scalar(a) and _is_scalar(b):
        a, b = b, a
    if _is_scalar(a):
        a = float(a)
        if a in (0.0, 1.0, -1.0):
            # the product is exact, so one rounded add already is the fma
            return np.asarray(np.add(a * np.asarray(b, dtype=np.float64), c), dtype=np.float64)
        shape = np.broadcast_shapes(np.shape(b), np.shape(c))
    else:
        a = np.asarray(a, dtype=np.float64)
        shape = np.broadcast_shapes(a.shape, np.shape(b), np.shape(c))
    out = np.empty(shape, dtype=np.float64)
    size = out.size
    if size == 0:
        return out
    if size <= _SMALL:
        af = a if _is_scalar(a) else _flat(a, shape)
        cf = _flat(c, shape)
        out.reshape(-1)[:] = _fma_small(af, _flat_copy(b, shape), cf, size)
        return out
    if size <= 2 * _CHUNK:
        af = a if _is_scalar(a) else _flat(a, shape)
        _fma_kernel(af, _flat_copy(b, shape), _flat(c, shape), out.reshape(-1))
        return out
    bf = _flat(b, shape)
    cf = _flat(c, shape)
    af = a if _is_scalar(a) else _flat(a, shape)
    of = out.reshape(-1)
    for i in range(0, size, _CHUNK):
        j = min(size, i + _CHUNK)
        ai = af if _is_scalar(af) else af[i:j]
        ci = cf if _is_scalar(cf) else cf[i:j]
        _fma_kernel(ai, bf[i:j], ci, of[i:j])
    return out


_SMALL = 8  # up to this many elements, Python floats beat ~30 NumPy calls (single drills)
_pack_d, _unpack_q = struct.Struct("<d").pack, struct.Struct("<q").unpack
_pack_q, _unpack_d = struct.Struct("<q").pack, struct.Struct("<d").unpack


def _fma_small(af: Num, bf: np.ndarray, cf: Num, n: int) -> list[float]:
    a_list = [af] * n if _is_scalar(af) else af.tolist()
    c_list = [cf] * n if _is_scalar(cf) else cf.tolist()
    return [_fma1(x, y, z) for x, y, z in zip(a_list, bf.tolist(), c_list, strict=True)]


def _fma1(a: float, b: float, c: float) -> float:
    """:func:`_fma_kernel` and :func:`round_sum` for one element, operation by operation in
    Python floats (the same IEEE doubles and roundings as NumPy's float64 arrays)."""
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    p = a * b
    e = ah * bh
    e -= p
    e += ah * bl
    e += al * bh
    e += al * bl
    s = p + c
    bb = s - p
    r = p - (s - bb)
    r += c - bb
    u = r + e
    out = s + u
    ui = _unpack_q(_pack_d(u))[0]
    if (ui & _LOW51) == 0 and u != 0:
        ub = u - r
        w = (r - (u - ub)) + (e - ub)
        if w != 0 and (ui & 1) == 0:
            ui += 1 if (math.copysign(1.0, w) < 0) == (math.copysign(1.0, u) < 0) else -1
        out = s + _unpack_d(_pack_q(ui))[0]
    if not math.isfinite(out):
        out = s
    return out


def _flat_copy(x: Num, shape: tuple[int, ...]) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    return np.array(a if a.shape == shape else np.broadcast_to(a, shape)).reshape(-1)


def _flat(x: Num, shape: tuple[int, ...]) -> Num:
    """A contiguous 1-d float64 view/copy of x broadcast to shape (scalars stay scalars)."""
    if _is_scalar(x):
        return float(x)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        return float(x)
    if x.shape != shape:
        x = np.broadcast_to(x, shape)
    return np.ascontiguousarray(x).reshape(-1)


def lerp(start: Num, end: Num, weight: Num) -> np.ndarray:
    """torch.lerp on CPU: |w| < 0.5 → fma(w, end − start, start), else fma(w − 1, end − start, end)."""
    d = np.subtract(end, start)
    if _is_scalar(weight):
        if abs(weight) < 0.5:
            return fma(float(weight), d, start)
        return fma(float(weight) - 1.0, d, end)
    weight = np.asarray(weight, dtype=np.float64)
    small = np.abs(weight) < 0.5
    coeff = np.where(small, weight, weight - 1.0)
    base = np.where(small, start, end)
    return fma(coeff, d, base)


_vpow = np.frompyfunc(math.pow, 2, 1)


def pow_(base: Num, exp: Num) -> Num:
    """Python's ``base ** exp`` (glibc pow), elementwise when either is an ndarray."""
    if _is_scalar(base) and _is_scalar(exp):
        return float(base) ** float(exp)
    out = _vpow(np.asarray(base, dtype=np.float64), np.asarray(exp, dtype=np.float64))
    return np.asarray(out, dtype=np.float64)


def f32(x: Num) -> Num:
    """Round to float32 and back (torch keeps some scalar state in float32 tensors)."""
    if _is_scalar(x):
        return float(np.float32(x))
    return np.asarray(x, dtype=np.float32).astype(np.float64)


_sqrt_impl = np.sqrt


def sqrt(x: Num) -> np.ndarray:
    """Correctly rounded √x (IEEE). torch's CPU float64 sqrt (MKL vdSqrt) is *not*
    correctly rounded: ~0.8 % of its results are one ulp low, so results that go through a
    square root can differ from torch by an ulp or a few. :func:`set_sqrt` lets the reference
    tests inject torch's own sqrt to prove everything else is bit-identical."""
    return _sqrt_impl(x)


def set_sqrt(fn: object = None) -> None:
    """Swap the square-root implementation (None restores np.sqrt). For tests only."""
    global _sqrt_impl
    _sqrt_impl = np.sqrt if fn is None else fn  # type: ignore[assignment]
