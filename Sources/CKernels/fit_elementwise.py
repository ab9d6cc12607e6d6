#!/usr/bin/env python3
"""Fits the polynomial coefficients of the element-wise kernels in elementwise_impl.h.

    python3 Sources/CKernels/fit_elementwise.py

Needs NumPy only (the float64 truth comes from Python's math.exp/erf/erfc). Prints each set
of coefficients as C float literals, ready to paste, and the worst error of the polynomial
evaluated in float32 with those rounded coefficients (no FMA, so a little pessimistic).

Method: each polynomial is a weighted least-squares fit on 4000 Chebyshev nodes of its
interval, refined by Lawson's iteration (weights multiplied by the pointwise error, 200
rounds), which converges towards the minimax (equi-oscillating) fit. The fits:

- exp: e^r = 1 + r + r^2 * P(r) on |r| <= ln2/2 (the range after x = n*ln2 + r), P of
  degree 4, minimising the relative error of e^r.
- erf, small |z|: erf(z) = z + z * S(z^2) on 0 <= z <= 1, S of degree 5, relative error
  (S(0) = 2/sqrt(pi) - 1 = 0.128..., so rounding the coefficients to float costs little).
- erf, large |z|: erfc(z) = exp(-z^2) * T(z - 2.5) on 1 <= z <= 4, T of degree 8, absolute
  error of erfc (beyond 4, erf is +-1 to float precision: erfc(4) = 1.5e-8).
"""
import math

import numpy as np

NODES = 4000
ROUNDS = 200

# The split points and degrees the C code assumes.
ERF_SMALL_LIMIT = 1.0
ERF_TAIL_LIMIT = 4.0
ERF_TAIL_CENTRE = 2.5
EXP_DEGREE = 4
ERF_SMALL_DEGREE = 5
ERF_TAIL_DEGREE = 8


def chebyshev_nodes(a, b, count=NODES):
    """Chebyshev nodes of [a, b], rounded to float32 (so the float32 check sees the same inputs)."""
    k = np.arange(count)
    nodes = (a + b) / 2 + (b - a) / 2 * np.cos((2 * k + 1) * np.pi / (2 * count))
    return nodes.astype(np.float32).astype(np.float64)


def lawson_fit(basis, target, weight):
    """Coefficients c minimising max |weight * (basis @ c - target)| (approximately)."""
    lawson = np.full(len(target), 1.0 / len(target))
    for _ in range(ROUNDS):
        scale = np.sqrt(lawson) * weight
        c, *_ = np.linalg.lstsq(basis * scale[:, None], target * scale, rcond=None)
        error = np.abs(weight * (basis @ c - target))
        lawson = lawson * error
        lawson /= lawson.sum()
    return c


def horner32(coefficients, t):
    """sum c_i t^i evaluated by Horner's rule in float32, with float32 coefficients."""
    t = t.astype(np.float32)
    acc = np.zeros_like(t)
    for c in reversed(coefficients):
        acc = (acc * t + np.float32(c)).astype(np.float32)
    return acc


def c_literals(name, coefficients):
    values = ", ".join("%.9gf" % np.float32(c) for c in coefficients)
    return "%s (lowest power first): %s" % (name, values)


def fit_exp():
    h = math.log(2) / 2
    r = chebyshev_nodes(-h, h)
    r = r[np.abs(r) > 1e-6]  # (e^r - 1 - r) / r^2 is 1/2 at 0; keep the division well away from it
    exact = np.exp(r)
    basis = np.stack([r ** i for i in range(EXP_DEGREE + 1)], axis=1)
    # Relative error of 1 + r + r^2 P(r): weight the residual of P by r^2 / e^r.
    coefficients = lawson_fit(basis, (exact - 1 - r) / r ** 2, r ** 2 / exact)
    r32 = r.astype(np.float32)
    approx = 1 + r32 + r32 * r32 * horner32(coefficients, r32)
    worst = np.max(np.abs(approx.astype(np.float64) / exact - 1))
    print(c_literals("exp P", coefficients))
    print("  worst relative error in float32: %.2e (%.2f ulp of 1)" % (worst, worst / 2 ** -23))


def fit_erf_small():
    z = np.abs(chebyshev_nodes(-ERF_SMALL_LIMIT, ERF_SMALL_LIMIT))
    z = z[z > 1e-6]
    exact = np.array([math.erf(v) for v in z])
    basis = np.stack([z ** (2 * i) for i in range(ERF_SMALL_DEGREE + 1)], axis=1)
    # Relative error of z + z * S(z^2): weight the residual of S by z / erf(z).
    coefficients = lawson_fit(basis, exact / z - 1, z / exact)
    z32 = z.astype(np.float32)
    approx = z32 + z32 * horner32(coefficients, z32 * z32)
    worst = np.max(np.abs(approx.astype(np.float64) - exact))
    print(c_literals("erf S (powers of z^2)", coefficients))
    print("  worst absolute error of erf in float32 on [0, %g]: %.2e" % (ERF_SMALL_LIMIT, worst))


def fit_erf_tail():
    z = chebyshev_nodes(ERF_SMALL_LIMIT, ERF_TAIL_LIMIT)
    exact = np.array([math.erfc(v) for v in z])
    t = z - ERF_TAIL_CENTRE
    basis = np.stack([t ** i for i in range(ERF_TAIL_DEGREE + 1)], axis=1)
    gauss = np.exp(-z * z)
    # Absolute error of exp(-z^2) T: weight the residual of T by exp(-z^2).
    coefficients = lawson_fit(basis, exact / gauss, gauss)
    z32 = z.astype(np.float32)
    gauss32 = np.exp(-(z32 * z32)).astype(np.float32)
    approx = gauss32 * horner32(coefficients, (z32 - np.float32(ERF_TAIL_CENTRE)).astype(np.float32))
    worst = np.max(np.abs(approx.astype(np.float64) - exact))
    print(c_literals("erfc T (powers of z - %g)" % ERF_TAIL_CENTRE, coefficients))
    print("  worst absolute error of erfc in float32 on [%g, %g]: %.2e"
          % (ERF_SMALL_LIMIT, ERF_TAIL_LIMIT, worst))


if __name__ == "__main__":
    fit_exp()
    fit_erf_small()
    fit_erf_tail()
