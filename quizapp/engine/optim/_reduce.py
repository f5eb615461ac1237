"""torch's CPU float64 reductions, in torch's order of additions.

A sum of floats depends on the order of its additions, so a norm or a mean agrees with
torch to the last bit only when the additions happen in torch's order. torch 2.13's CPU
kernels (x86-64 builds, 4 doubles per vector register) use three orders, reproduced here
along the last axis of an array (leading axes are independent rows):

- :func:`norm2_lastdim` — ``x.norm()`` over a contiguous last dimension (and over a whole
  contiguous tensor): four lanes ``aᵢ ← aᵢ + x²`` over blocks of four (product and sum
  each rounded), the lanes added left to right, then the leftover elements accumulated
  with a fused multiply-add, ``s ← fma(x, x, s)``; finally √s. A norm of one element
  is |x| (torch does not square it, so 1e200 stays finite).
- :func:`norm2_strided` — a norm over a non-last dimension (``norm(dim=-2)``): one running
  sum ``s ← s + x²`` in index order, then √s.
- :func:`sum_cascade` — ``x.sum()`` / ``x.mean()``: the cascade sum of torch's SumKernel
  (16 lanes = 4 independent vector accumulators of 4; blocks of 16 partial sums flushed
  into up to 4 levels), then the scalar tail and the 4 lanes added to a scalar.

Limits: reductions of more than 32,768 elements with more than one output, or on other
vector widths (ARM, non-AVX builds), are split differently by torch and may differ in the
last bits.
"""

from __future__ import annotations

import numpy as np

from quizapp.engine.optim._fp import fma

LANES = 4  # doubles per vector register in torch's x86-64 kernels


def _seq_sum(x: np.ndarray, axis: int) -> np.ndarray:
    """Σ in index order along ``axis``, each addition rounded (np.cumsum is sequential,
    unlike np.sum's pairwise order)."""
    if x.shape[axis] == 0:
        return np.zeros(np.delete(x.shape, axis if axis >= 0 else x.ndim + axis))
    return np.take(np.cumsum(x, axis=axis), -1, axis=axis)


def norm2_lastdim(x: np.ndarray) -> np.ndarray:
    """‖x‖₂ along the last axis in torch's vectorised order (see module docstring)."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[-1]
    if n == 1:  # torch reduces one element to |x|: no square to overflow or underflow
        return np.abs(x[..., 0])
    main = n - n % LANES
    lead = x.shape[:-1]
    if main:
        blocks = x[..., :main].reshape(*lead, main // LANES, LANES)
        lanes = _seq_sum(blocks * blocks, axis=-2)
        s = lanes[..., 0]
        for j in range(1, LANES):
            s = s + lanes[..., j]
    else:
        s = np.zeros(lead)
    for d in range(main, n):
        s = fma(x[..., d], x[..., d], s)
    return np.sqrt(s)  # std::sqrt: correctly rounded (unlike torch.sqrt's MKL kernel)


def norm2_strided(x: np.ndarray, axis: int) -> np.ndarray:
    """‖x‖₂ along ``axis`` (not the contiguous last one): √(Σ x² in index order)."""
    x = np.asarray(x, dtype=np.float64)
    if x.shape[axis] == 1:  # one element: |x|, as torch (no square to overflow)
        return np.abs(np.take(x, 0, axis=axis))
    return np.sqrt(_seq_sum(x * x, axis=axis))


def _ceil_log2(n: int) -> int:
    return 1 if n <= 2 else (n - 1).bit_length()


def _multi_row_sum(rows: np.ndarray) -> np.ndarray:
    """torch's multi_row_sum: Σ over axis −3 of ``rows`` (..., size, nrows, lanes), added in
    blocks of 2^level_power whose sums cascade through up to four levels."""
    size = rows.shape[-3]
    levels = 4
    power = max(4, _ceil_log2(size) // levels)
    step, mask = 1 << power, (1 << power) - 1
    acc = [np.zeros(rows.shape[:-3] + rows.shape[-2:]) for _ in range(levels)]
    i = 0
    while i + step <= size:
        acc[0] = acc[0] + _seq_sum(rows[..., i : i + step, :, :], axis=-3)
        i += step
        for j in range(1, levels):
            acc[j] = acc[j] + acc[j - 1]
            acc[j - 1] = np.zeros_like(acc[j - 1])
            if i & (mask << (j * power)):
                break
    for r in range(i, size):
        acc[0] = acc[0] + rows[..., r, :, :]
    for j in range(1, levels):
        acc[0] = acc[0] + acc[j]
    return acc[0]


def sum_cascade(x: np.ndarray) -> np.ndarray:
    """Σ x along the last axis in the order of torch's CPU sum over a contiguous axis."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[-1]
    lead = x.shape[:-1]
    nvec = n // LANES
    vecs = x[..., : nvec * LANES].reshape(*lead, nvec, LANES)
    ilp = 4  # independent vector accumulators
    nilp = nvec // ilp
    part = _multi_row_sum(vecs[..., : nilp * ilp, :].reshape(*lead, nilp, ilp, LANES))
    first = part[..., 0, :]
    for r in range(nilp * ilp, nvec):
        first = first + vecs[..., r, :]
    for k in range(1, ilp):
        first = first + part[..., k, :]
    total = np.zeros(lead)
    for d in range(nvec * LANES, n):
        total = total + x[..., d]
    for k in range(LANES):
        total = total + first[..., k]
    return total
