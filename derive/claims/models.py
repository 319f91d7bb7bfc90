"""Small explicit networks in SymPy: the ground truth the layer formulas are checked on.

Every parameter entry is a symbol, the data are fixed rationals, and the "true"
gradient of a quantity is SymPy's ``diff`` with respect to each entry, assembled into a
matrix of the parameter's shape. The notes' formulas (``dW = (1/m) dZ A^T`` ...) are
evaluated on the same network and compared entry by entry at one random rational
point: the formulas are linear algebra, so one generic point is a fair test, and
exact rational inputs keep it reproducible.
"""

from __future__ import annotations

import random

import sympy as sp

__all__ = ["sigmoid", "symbol_matrix", "grad", "TwoLayer"]


def sigmoid(x):
    return 1 / (1 + sp.exp(-x))


def symbol_matrix(name: str, rows: int, cols: int) -> sp.Matrix:
    """A ``rows x cols`` matrix of real symbols ``name_jk``."""
    return sp.Matrix(rows, cols, lambda j, k: sp.Symbol(f"{name}_{j}{k}", real=True))


def grad(f, wrt: sp.Matrix) -> sp.Matrix:
    """The matrix of ``df/d wrt[j, k]``, the shape of ``wrt`` (``dX`` has X's shape)."""
    return wrt.applyfunc(lambda s: sp.diff(f, s))


def _at(expr, point):
    """``expr`` with each symbol of ``point`` replaced by its number. The keys are
    symbols and the values numbers, so this is ``subs``' answer; ``xreplace`` gives it
    without ``subs``' pattern matching at every node (25 times faster here)."""
    return expr.xreplace(point)


def _rationals(rng: random.Random, rows: int, cols: int, low=-9, high=9) -> sp.Matrix:
    return sp.Matrix(rows, cols, lambda j, k: sp.Rational(rng.randint(low, high), 10))


class TwoLayer:
    """``X -> sigmoid(W1 X + b1) -> sigmoid(W2 A1 + b2)``, cost: mean binary cross-entropy.

    Shapes: ``X`` (n_x, m), ``W1`` (n_h, n_x), ``b1`` (n_h, 1), ``W2`` (n_y, n_h),
    ``b2`` (n_y, 1), ``Y`` (n_y, m) of 0/1. ``point`` is one random rational value per
    parameter entry; :meth:`at` evaluates there.
    """

    def __init__(self, n_x: int = 3, n_h: int = 2, n_y: int = 1, m: int = 3, seed: int = 0):
        rng = random.Random(seed)
        self.m = m
        self.X = _rationals(rng, n_x, m)
        self.Y = sp.Matrix(n_y, m, lambda j, k: rng.randint(0, 1))
        self.params = {"W1": symbol_matrix("W1", n_h, n_x), "b1": symbol_matrix("b1", n_h, 1),
                       "W2": symbol_matrix("W2", n_y, n_h), "b2": symbol_matrix("b2", n_y, 1)}
        self.point = {s: v for name, M in self.params.items()
                      for s, v in zip(M, _rationals(rng, *M.shape))}
        p = self.params
        ones = sp.ones(1, m)
        self.Z1 = p["W1"] * self.X + p["b1"] * ones
        self.A1 = self.Z1.applyfunc(sigmoid)
        self.Z2 = p["W2"] * self.A1 + p["b2"] * ones
        self.A2 = self.Z2.applyfunc(sigmoid)
        self.J = self.cost(self.A2) / m

    def cost(self, A) -> sp.Expr:
        """The summed (not averaged) binary cross-entropy of predictions ``A``."""
        Y = self.Y
        return -sum(Y[j, i] * sp.log(A[j, i]) + (1 - Y[j, i]) * sp.log(1 - A[j, i])
                    for j in range(Y.rows) for i in range(Y.cols))

    def at(self, expr):
        """``expr`` at the network's point (exact where it can be, else 30 digits)."""
        return _at(expr, self.point)

    def truth(self, name: str) -> sp.Matrix:
        """dJ/d(parameter ``name``) by differentiation, at the point."""
        return self.at(grad(self.J, self.params[name]))

    def dZ2(self) -> sp.Matrix:
        """Per-example dL/dZ2 (columns: examples), by differentiation, at the point."""
        Zs = symbol_matrix("Zs", *self.Z2.shape)
        d = grad(self.cost(Zs.applyfunc(sigmoid)), Zs)
        return self.at(d.subs(dict(zip(Zs, self.Z2))))

    def dZ1(self) -> sp.Matrix:
        """Per-example dL/dZ1, by differentiation, at the point."""
        Zs = symbol_matrix("Zs", *self.Z1.shape)
        A2 = (self.params["W2"] * Zs.applyfunc(sigmoid)
              + self.params["b2"] * sp.ones(1, self.m)).applyfunc(sigmoid)
        d = grad(self.cost(A2), Zs)
        return self.at(d.subs(dict(zip(Zs, self.Z1))))

    def dA1(self) -> sp.Matrix:
        """Per-example dL/dA1, by differentiation, at the point."""
        As = symbol_matrix("As", *self.A1.shape)
        A2 = (self.params["W2"] * As + self.params["b2"] * sp.ones(1, self.m)).applyfunc(sigmoid)
        d = grad(self.cost(A2), As)
        return self.at(d.subs(dict(zip(As, self.A1))))


class MSENet:
    """One example through ``x -> sigmoid(W_h x + b_h) -> sigmoid(W_o h + b_o)``, cost
    ``C = 1/2 ||y - a_o||^2`` (notes 002 and 004).

    Shapes: ``x`` (n_in, 1), ``W_h`` (n_h, n_in), ``W_o`` (n_out, n_h), ``y`` (n_out, 1).
    ``z_h``, ``z_o`` are the weighted inputs of the hidden and output layers, as symbol
    matrices, so that dC/dz can be taken directly; ``sub`` replaces them by their values.
    """

    def __init__(self, n_in: int = 3, n_h: int = 3, n_out: int = 2, seed: int = 1):
        rng = random.Random(seed)
        self.x = _rationals(rng, n_in, 1)
        self.y = _rationals(rng, n_out, 1, 0, 10)
        self.W_h, self.b_h = symbol_matrix("Wh", n_h, n_in), symbol_matrix("bh", n_h, 1)
        self.W_o, self.b_o = symbol_matrix("Wo", n_out, n_h), symbol_matrix("bo", n_out, 1)
        self.point = {s: v for M in (self.W_h, self.b_h, self.W_o, self.b_o)
                      for s, v in zip(M, _rationals(rng, *M.shape))}
        self.z_h = self.W_h * self.x + self.b_h
        self.h = self.z_h.applyfunc(sigmoid)
        self.z_o = self.W_o * self.h + self.b_o
        self.a_o = self.z_o.applyfunc(sigmoid)
        self.C = sum((self.y - self.a_o).applyfunc(lambda e: e**2)) / 2

    def at(self, expr):
        return _at(expr, self.point)

    def dC_dz_o(self) -> sp.Matrix:
        zs = symbol_matrix("zo", *self.z_o.shape)
        C = sum((self.y - zs.applyfunc(sigmoid)).applyfunc(lambda e: e**2)) / 2
        return self.at(grad(C, zs).subs(dict(zip(zs, self.z_o))))

    def dC_dz_h(self) -> sp.Matrix:
        zs = symbol_matrix("zh", *self.z_h.shape)
        a = (self.W_o * zs.applyfunc(sigmoid) + self.b_o).applyfunc(sigmoid)
        C = sum((self.y - a).applyfunc(lambda e: e**2)) / 2
        return self.at(grad(C, zs).subs(dict(zip(zs, self.z_h))))

    def sigma_prime(self, z: sp.Matrix) -> sp.Matrix:
        return z.applyfunc(lambda t: sigmoid(t) * (1 - sigmoid(t)))
