"""Cache-blocked, multi-threaded Adam step for large parameter arrays.

Computes exactly what :class:`quizapp.engine.optim.adam.Adam` computes (same operations,
same emulated fused multiply-adds, so bit-identical results) but block by block with
preallocated temporaries, so the ~80 elementwise passes run in cache instead of streaming
4M-element arrays through memory each time, and two blocks run at once (NumPy releases the
GIL inside its loops). Used only on the fast path: scalar hyperparameters, no trace, no
mistakes, no amsgrad, ≥ ``MIN_SIZE`` elements.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from quizapp.engine.optim import _fp

MIN_SIZE = 1 << 17
BLOCK = 1 << 15
_S = 134217729.0  # Veltkamp splitter 2**27 + 1
_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)))
    return _POOL


class _Buffers:
    def __init__(self, n: int) -> None:
        self.f = [np.empty(n) for _ in range(10)]
        self.b = [np.empty(n, dtype=bool) for _ in range(3)]
        self.i = np.empty(n, dtype=np.int64)

    def view(self, k: int) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
        return [x[:k] for x in self.f], [x[:k] for x in self.b], self.i[:k]


def _split_into(x: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> None:
    np.multiply(x, _S, out=hi)
    np.subtract(hi, x, out=lo)
    np.subtract(hi, lo, out=hi)
    np.subtract(x, hi, out=lo)


def _fma_into(a, b, c, out, f, bo, ib):  # noqa: ANN001
    """out = RN(a·b + c); a is a Python float or an array; uses temporaries f[0..6], bo, ib.

    Same algorithm as :func:`_fp._fma_kernel` (TwoProduct, TwoSum, :func:`_fp.round_sum`).
    ``b`` may alias f[6] (it is read before f[6] is first written); ``c`` must not alias
    any temporary or ``out``."""
    t0, t1, t2, t3, t4, t5, t6 = f[:7]
    if isinstance(a, float):
        c_ = _S * a
        ah = c_ - (c_ - a)
        al = a - ah
        _split_into(b, t2, t3)
        np.multiply(b, a, out=t4)  # p
        np.multiply(t2, ah, out=t5)
        t5 -= t4
        np.multiply(t3, ah, out=t6)
        t5 += t6
        np.multiply(t2, al, out=t6)
        t5 += t6
        np.multiply(t3, al, out=t6)
        t5 += t6  # e
    else:
        _split_into(a, t0, t1)
        _split_into(b, t2, t3)
        np.multiply(a, b, out=t4)
        np.multiply(t0, t2, out=t5)
        t5 -= t4
        np.multiply(t0, t3, out=t6)
        t5 += t6
        np.multiply(t1, t2, out=t6)
        t5 += t6
        np.multiply(t1, t3, out=t6)
        t5 += t6
    np.add(t4, c, out=t6)  # s  (t6 is free again: the product terms are summed into t5)
    np.subtract(t6, t4, out=t0)  # bb
    np.subtract(t6, t0, out=t1)
    np.subtract(t4, t1, out=t1)
    np.subtract(c, t0, out=t2)
    t1 += t2  # r
    _fp.round_sum(t6, t1, t5, out, t3, (ib, bo[0], bo[1]), check_finite=False)


def adam_block(p, g, m, v, hp, out_p, out_m, out_v, buf) -> None:  # noqa: ANN001
    """One Adam step on a block (see Adam's docstring); writes out_p, out_m, out_v.

    Buffer roles: f[0..6] fma temporaries, f[7] effective gradient, f[8] fma multiplier,
    f[9] fma addend (an fma's addend must not alias its temporaries or its output)."""
    f, bo, ib = buf
    if hp["maximize"]:
        np.negative(g, out=f[7])
        g = f[7]
    if hp["l2"]:
        np.copyto(f[9], g)
        _fma_into(hp["wd"], p, f[9], f[7], f, bo, ib)  # g ← fma(λ, θ, g)
        g = f[7]
    if hp["decay"] is not None:
        np.multiply(p, hp["decay"], out=out_p)  # θ ← θ·(1 − ηλ)
        p = out_p
    # m ← lerp(m, g, 1 − β₁) = fma(w, g − m, m)  or  fma(w − 1, g − m, g)
    w = hp["w1"]
    np.subtract(g, m, out=f[6])  # f[6] is only read before the fma overwrites it
    if abs(w) < 0.5:
        _fma_into(w, f[6], m, out_m, f, bo, ib)
    else:
        _fma_into(w - 1.0, f[6], g, out_m, f, bo, ib)
    # v ← fma((1 − β₂)·g, g, β₂·v)
    np.multiply(g, hp["c2"], out=f[8])
    np.multiply(v, hp["beta2"], out=f[9])
    _fma_into(f[8], g, f[9], out_v, f, bo, ib)
    # denom = √v / √bc2 + ε;  θ ← θ + (−step_size·m) / denom
    den = f[0]
    if _fp._sqrt_impl is np.sqrt:
        np.sqrt(out_v, out=den)
    else:
        den[...] = _fp.sqrt(out_v)
    den /= hp["bc2_sqrt"]
    den += hp["eps"]
    num = f[1]
    np.multiply(out_m, hp["neg_step"], out=num)
    num /= den
    np.add(p, num, out=out_p)


def adam_general(p, g, m, v, hp) -> tuple:  # noqa: ANN001
    """The same step as :func:`adam_block` with :func:`_fp.fma` / :func:`_fp.lerp`."""
    if hp["maximize"]:
        g = np.negative(g)
    if hp["l2"]:
        g = _fp.fma(hp["wd"], p, g)
    if hp["decay"] is not None:
        p = p * hp["decay"]
    m = _fp.lerp(m, g, hp["w1"])
    v = _fp.fma(hp["c2"] * g, g, v * hp["beta2"])
    den = _fp.sqrt(v) / hp["bc2_sqrt"] + hp["eps"]
    return p + (hp["neg_step"] * m) / den, m, v


def adam_bulk(p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, hp: dict) -> tuple:
    """New (θ, m, v) for flat contiguous float64 arrays, blocks spread over a thread pool."""
    n = p.size
    out_p, out_m, out_v = np.empty(n), np.empty(n), np.empty(n)
    workers = _pool()._max_workers
    spans = np.linspace(0, n, workers + 1).astype(np.int64)

    def run(lo: int, hi: int) -> None:
        with np.errstate(all="ignore"):  # errstate is per thread: set it in the worker
            _run(lo, hi)

    def _run(lo: int, hi: int) -> None:
        buf = _Buffers(BLOCK)
        for i in range(lo, hi, BLOCK):
            j = min(hi, i + BLOCK)
            sl = slice(i, j)
            adam_block(
                p[sl], g[sl], m[sl], v[sl], hp, out_p[sl], out_m[sl], out_v[sl], buf.view(j - i)
            )
            if not np.isfinite(out_p[sl]).all():
                # inf/nan inputs or overflow: redo the block with the general primitives,
                # which propagate non-finite values exactly like a hardware fma
                out_p[sl], out_m[sl], out_v[sl] = adam_general(p[sl], g[sl], m[sl], v[sl], hp)

    futures = [_pool().submit(run, int(spans[k]), int(spans[k + 1])) for k in range(workers)]
    for fut in futures:
        fut.result()
    return out_p, out_m, out_v
