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

Near the top of the range the emulation's intermediates would overflow where the hardware
fma's do not: ``134217729·x`` in the split for |x| > 2⁹⁹⁶ (a diverged run's θ ≈ 1e302),
``a·b`` or ``p + c`` when the exact result is finite or only just overflows. Those rare
elements are redone by :func:`_fma_wide`, which scales them (by powers of two, exactly)
so that nothing overflows, then rounds once as above.

Python-level scalar arithmetic (bias corrections, step sizes) happens in torch as Python
floats, i.e. IEEE doubles and glibc's ``pow``; :func:`pow_` reproduces that, because
NumPy's SIMD ``np.power`` differs from glibc's ``pow`` in the last bit on ~1% of inputs.
"""

from __future__ import annotations

import math
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


_LOW51 = (1 << 51) - 1  # mantissa bits below the top one


_SMALL = 24  # up to this many elements the pure-Python fma is faster (~0.35 µs an element)
_MIDPOINT_MANTISSAS = frozenset({0.5, 0.75, -0.5, -0.75})  # frexp of ±2ᵏ, ±1.5·2ᵏ
_TINY = 2.0**-1022  # the smallest normal float
_F64 = np.dtype(np.float64)


def fma(a: Num, b: Num, c: Num) -> np.ndarray:
    """Correctly rounded a·b + c (a single rounding), elementwise, as a new float64 ndarray.

    Exact for all finite inputs, up to and including overflow to ±inf; with an infinite or
    nan factor the result is the plain expression's, and with finite factors and an
    infinite or nan addend it is the addend, as a hardware fma gives. The few
    elements where the error-free transformations are not exact — a product near the
    subnormal range (TwoProduct's error term is itself rounded) — are redone in exact
    integer arithmetic by :func:`_fma_exact`; a zero factor gives p + c, whose sign of
    zero the two-step rounding could lose (−0 + +0 = +0).

    Small arrays (the lab's 2-vectors, a drill's few numbers) are done in Python floats,
    where one operation costs a fraction of a NumPy call; what that path leaves alone
    (broadcasting, large arrays, rare overflows and subnormals) goes to the general NumPy
    path, which is the oracle the tests hold the small path to.
    """
    out = _fma_small(a, b, c)
    return _fma_general(a, b, c) if out is None else out


def _fma_small(a: Num, b: Num, c: Num) -> np.ndarray | None:
    """fma in Python floats for float64 arrays of one shape (≤ _SMALL elements) and Python
    floats, doing exactly the general path's operations element by element; None when the
    operands do not qualify, or some element has an infinite u or is a subnormal candidate."""
    shape = None
    n = 0
    cols: list[Any] = [a, b, c]
    for i in 0, 1, 2:
        x = cols[i]
        if type(x) is float:
            continue
        if type(x) is not np.ndarray or x.dtype != _F64:
            return None
        if shape is None:
            shape = x.shape
            n = x.size
            if n > _SMALL:
                return None
        elif x.shape != shape:
            return None
        cols[i] = x.ravel().tolist()
    if shape is None:
        return None
    la, lb, lc = cols
    if type(lb) is float:
        lb = [lb] * n
    if type(lc) is float:
        lc = [lc] * n
    sp = _SPLIT
    frexp = math.frexp
    mids = _MIDPOINT_MANTISSAS
    out = []
    if type(la) is float:  # the common case (lr, 1 − β, λ): split the scalar once
        x = la
        t = sp * x
        xh = t - (t - x)
        xl = x - xh
        la = [x] * n
    else:
        xh = xl = 0.0
    for x, y, z in zip(la, lb, lc, strict=True):
        if type(a) is not float:
            t = sp * x
            xh = t - (t - x)
            xl = x - xh
        t = sp * y
        yh = t - (t - y)
        yl = y - yh
        p = x * y
        e = xh * yh - p
        e += xh * yl
        e += xl * yh
        e += xl * yl
        s = p + z
        bb = s - p
        r = (p - (s - bb)) + (z - bb)
        u = r + e
        if u - u != 0.0:  # nan or inf: an input that is not finite, or one near overflow
            if x - x == 0.0 and y - y == 0.0:
                if z - z == 0.0:
                    return None  # all finite: the general path redoes it exactly (_fma_wide)
                out.append(z)  # ±inf or nan plus a finite (unrounded) product
                continue
            out.append(s)  # an infinite or nan factor: the plain expression, as the hardware
            continue
        if frexp(u)[0] in mids:  # u = ±2ᵏ or ±1.5·2ᵏ: a round-to-odd candidate
            if -_TINY < u < _TINY:  # subnormal: leave it to the general path
                return None
            ub = u - r
            w = (r - (u - ub)) + (e - ub)  # r + e = u + w exactly
            if w != 0:  # u's last bit is 0: make it odd, towards the sign of w
                u = math.nextafter(u, math.copysign(math.inf, u) if (w < 0) == (u < 0) else 0.0)
        o = s + u
        if o - o != 0.0:  # overflow of finite inputs: leave it to the general path
            return None
        if -_LOW_PRODUCT < p < _LOW_PRODUCT:  # see _settle_tiny
            o = _fma_int(x, y, z)  # exact (a zero factor: p + z, IEEE's sign of zero)
        out.append(o)
    res = np.array(out)
    return res if len(shape) == 1 else res.reshape(shape)


def _fma_general(a: Num, b: Num, c: Num) -> np.ndarray:
    """fma for any operands NumPy broadcasts: TwoProduct, TwoSum, then :func:`_round_sum`."""
    with np.errstate(all="ignore"):
        if type(a) is not float:  # a Python float splits in Python floats (same operations)
            a = np.asarray(a, dtype=np.float64)
        ah, al = _split(a)
        b = np.asarray(b, dtype=np.float64)
        c = np.asarray(c, dtype=np.float64)
        bh, bl = _split(b)
        p = a * b
        s = p + c
        bb = s - p
        if type(p) is not np.ndarray or type(s) is not np.ndarray:  # 0-d: NumPy scalars
            e = ah * bh - p
            e += ah * bl
            e += al * bh
            e += al * bl
            out = _round_sum(s, (p - (s - bb)) + (c - bb), e)
            return _settle_tiny(_settle_non_finite(out, s, a, b, c), s, p, a, b, c)
        # TwoProduct error term: a·b = p + e exactly (barring over/underflow)
        e = ah * bh
        e -= p
        t = ah * bl
        e += t
        np.multiply(al, bh, out=t)
        e += t
        np.multiply(al, bl, out=t)
        e += t
        # TwoSum(p, c) = s + r
        r = s - bb
        np.subtract(p, r, out=r)
        r += c - bb
        out = _settle_non_finite(_round_sum(s, r, e), s, a, b, c)
        return _settle_tiny(out, s, p, a, b, c, np.abs(p, out=t))


_LOW_PRODUCT = 2.0**-960  # below this, TwoProduct's error term may be rounded (underflow)


def _settle_tiny(
    out: np.ndarray, s: Num, p: Num, a: Num, b: Num, c: Num, abs_p: Any = None
) -> np.ndarray:
    """The finite elements whose product ``p`` is below 2⁻⁹⁶⁰: with a zero factor, the plain
    sum s = p + c (exact, with IEEE's sign of zero, which s + u can lose: −0 + +0 = +0);
    else redone exactly by :func:`_fma_exact`. Every other element is already exact: with
    |p| ≥ 2⁻⁹⁶⁰ the error terms are exact, and a zero or subnormal result can only come from
    a cancellation that Sterbenz's lemma makes exact (s = p + c, r = 0), leaving a single
    rounding of s + e."""
    tiny = (np.abs(p) if abs_p is None else abs_p) < _LOW_PRODUCT  # abs_p: |p|, precomputed
    if not np.count_nonzero(tiny):
        return out
    tiny &= np.isfinite(out)
    if not np.count_nonzero(tiny):
        return out
    shape = out.shape
    a, b, c, s = (np.broadcast_to(np.asarray(x, dtype=np.float64), shape) for x in (a, b, c, s))
    zero_factor = tiny & ((a == 0) | (b == 0))
    tiny &= ~zero_factor
    if out.ndim == 0:
        if zero_factor:
            return np.array(s, dtype=np.float64)
        return np.asarray(_fma_exact(a[None], b[None], c[None])[0], dtype=np.float64)
    out[zero_factor] = s[zero_factor]
    if np.count_nonzero(tiny):
        out[tiny] = _fma_exact(a[tiny], b[tiny], c[tiny])
    return out


def _fma_exact(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """:func:`_fma_int` elementwise over finite 1-D operands."""
    return np.array(
        [_fma_int(x, y, z) for x, y, z in zip(a.tolist(), b.tolist(), c.tolist(), strict=True)],
        dtype=np.float64,
    )


def _fma_int(x: float, y: float, z: float) -> float:
    """x·y + z for finite Python floats, rounded once, in integer arithmetic: each float is
    an integer significand times a power of two, so the exact sum is N·2ᴱ, and Python's
    int division N / 2⁻ᴱ rounds correctly (subnormals included). IEEE's signs of zero: an
    exact zero is −0 only from (−0) + (−0); a nonzero sum that underflows keeps its sign."""
    if x == 0.0 or y == 0.0:
        return x * y + z  # exact product: one rounding, IEEE's signed-zero sum
    mx, ex = math.frexp(x)
    my, ey = math.frexp(y)
    n = int(mx * 9007199254740992.0) * int(my * 9007199254740992.0)  # 2⁵³ each
    e = ex + ey - 106
    if z != 0.0:
        mz, ez = math.frexp(z)
        nz, ez = int(mz * 9007199254740992.0), ez - 53
        if ez < e:
            n, e = (n << (e - ez)) + nz, ez
        else:
            n += nz << (ez - e)
    if n == 0:
        return 0.0
    if e >= 0:
        return float(n << e)
    q = n / (1 << -e)
    return q if q != 0.0 else math.copysign(0.0, n)


def _round_sum(s: np.ndarray, r: np.ndarray, e: np.ndarray) -> np.ndarray:
    """RN(s + r + e) where s + r is an exact TwoSum and |e| is tiny next to s.

    Computed as RN(s + RN(r + e)). That can only differ from the correctly rounded result
    when s + RN(r + e) lands exactly on a rounding midpoint while r + e was not exact; such
    a u = RN(r + e) is a midpoint offset (±½, ±¼ or ±3⁄2 ulp(s)), whose significand has at
    most two leading bits set. Those rare candidates are redone with u rounded to odd
    (Boldo & Melquiond), which makes the final rounding correct.
    """
    if e.shape != s.shape:
        e = np.broadcast_to(e, s.shape)
    u = np.add(r, e)
    out = np.add(s, u)
    if out.ndim == 0:
        out = np.asarray(out, dtype=np.float64)
    low = np.bitwise_and(u.view(np.int64), _LOW51)
    # one cheap look for the rare case: a u with no low bits (a round-to-odd candidate, or
    # zero); a non-finite result is left as it is, for the caller to settle
    if np.count_nonzero(low) == low.size:
        return out
    cand = (low == 0) & (u != 0)
    if np.count_nonzero(cand):
        ri, ei, ui = r[cand], e[cand], u[cand]
        ub = ui - ri
        w = (ri - (ui - ub)) + (ei - ub)  # r + e = u + w exactly
        bits = ui.view(np.int64).copy()
        odd_fix = (w != 0) & ((bits & 1) == 0)
        # +1 on the bit pattern grows |u|: step towards the sign of w
        bits += np.where(odd_fix, np.where(np.signbit(w) == np.signbit(ui), 1, -1), 0)
        out[cand] = s[cand] + bits.view(np.float64)
    return out


def _settle_non_finite(out: np.ndarray, s: np.ndarray, a: Num, b: Num, c: Num) -> np.ndarray:
    """The elements of ``out`` that are not finite: with an infinite or nan factor, the
    plain expression ``s`` (what the hardware gives); with finite factors and an infinite or
    nan addend c, c itself (the hardware never rounds the product, so inf − (finite a·b
    beyond the range) is inf, not inf − inf = nan); with finite operands (an intermediate
    overflowed near the top of the range), the exact fma from :func:`_fma_wide`."""
    if not np.count_nonzero(out - out):  # out − out is nan exactly where out is not finite
        return out
    bad = ~np.isfinite(out)
    shape = out.shape
    a, b, c = (np.broadcast_to(np.asarray(x, dtype=np.float64), shape)[bad] for x in (a, b, c))
    factors = np.isfinite(a) & np.isfinite(b)
    finite = factors & np.isfinite(c)
    fixed = np.where(factors, c, np.broadcast_to(s, shape)[bad])
    if np.count_nonzero(finite):
        fixed[finite] = _fma_wide(a[finite], b[finite], c[finite])
    out[bad] = fixed
    return out


_TOP = 2.0**1021  # a product or addend above this may overflow an intermediate
_SPLIT_MAX = 2.0**995  # above this, 134217729·x overflows (Veltkamp's split)
_TINY_ADDEND = 2.0**-1000


def _fma_wide(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Correctly rounded a·b + c for finite 1-D operands near the top of the range, by the
    same TwoProduct, TwoSum and rounding as :func:`_fma_general`, on operands scaled by
    powers of two so that no intermediate overflows (scaling by 2ᵏ is exact and commutes
    with rounding away from the subnormal range):

    - the larger factor x is the one scaled; where |a·b| or |c| exceeds 2¹⁰²¹, x and c are
      divided by 4 and the rounded result multiplied back (×4 overflows exactly when the
      correctly rounded result does); an addend then below 2⁻¹⁰⁰⁰ is far below half an
      ulp of a·b and counts only by its sign, so it becomes ±2⁻¹⁰⁰⁰, which scales exactly;
    - where |x| > 2⁹⁹⁵, TwoProduct splits x·2⁻²⁸ and scales p and e back by 2²⁸;
    - |x·y| still above 2¹⁰²³ after the first step means |a·b| > 2¹⁰²⁵ > |c| + 2¹⁰²⁴: ±inf.
    """
    with np.errstate(all="ignore"):
        swap = np.abs(a) < np.abs(b)
        x = np.where(swap, b, a)
        y = np.where(swap, a, b)
        top = (np.abs(x * y) > _TOP) | (np.abs(c) > _TOP)
        z = np.where(top & (c != 0) & (np.abs(c) < _TINY_ADDEND), np.copysign(_TINY_ADDEND, c), c)
        x = np.where(top, x * 0.25, x)
        z = np.where(top, z * 0.25, z)
        gone = ~(np.abs(x * y) <= 4.0 * _TOP)
        big = np.abs(x) > _SPLIT_MAX
        scale = np.where(big, 2.0**28, 1.0)
        xs = x / scale
        xh, xl = _split(xs)
        yh, yl = _split(y)
        p = xs * y
        e = xh * yh - p
        e += xh * yl
        e += xl * yh
        e += xl * yl
        p *= scale
        e *= scale
        s = p + z
        bb = s - p
        r = (p - (s - bb)) + (z - bb)
        out = _round_sum(s, r, e)
        out = np.where(top, out * 4.0, out)
        return np.where(gone, np.copysign(np.inf, x * y), out)


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
