"""Hidden activations evaluated from their catalog *definitions*, for the independent checks.

The generated code evaluates the derived formulas; the checks must not. Here each
activation's definition (``derive/catalog/hidden/NAME.py``, as a textbook writes it) is
turned into a NumPy or a ``jax.numpy`` function by ``sympy.lambdify``, and its derivative
is SymPy's own ``diff`` of that definition, not the derivation the generated code
comes from. Hyperparameters take the catalog's defaults, as ``numeric`` does.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

__all__ = ["HIDDEN", "definition", "numpy_g", "numpy_g_prime", "jax_g", "analytic", "kinks",
           "hyper_defaults", "default_loss", "loss_definition", "loss_output", "loss_analytic",
           "numpy_loss", "jax_loss", "loss_change", "loss_kink_offsets"]


def _catalog():
    from derive import catalog
    return catalog


def _names():
    return tuple(_catalog().hidden_entries())


HIDDEN = _names()


def hyper_defaults(name: str) -> dict:
    entry = _catalog().resolve_hidden(name)
    return {h.name: h.default for h in entry.hyper}


@lru_cache(maxsize=None)
def definition(name: str):
    """g(z) of the catalog entry, display functions unfolded, hyperparameters at their
    defaults: a SymPy expression in :data:`derive.symbols.z`."""
    from derive.symbols import unfold
    entry = _catalog().resolve_hidden(name)
    return unfold(entry.definition).xreplace({h.symbol: sp.Float(h.default, 30)
                                              for h in entry.hyper})


def _lambdify(expr, modules):
    from derive.symbols import z
    return sp.lambdify(z, expr, modules=modules)


@lru_cache(maxsize=None)
def numpy_g(name: str):
    """g as a NumPy function of real or complex arrays (for the complex step, which is used
    only where g is analytic: no cases to choose)."""
    f = _lambdify(definition(name), "numpy")

    def g(Z):
        with np.errstate(over="ignore", invalid="ignore"):  # branches not taken may overflow
            return np.asarray(f(Z)) + np.zeros_like(Z)
    return g


@lru_cache(maxsize=None)
def numpy_g_prime(name: str):
    """g' as a NumPy function: SymPy's diff of the definition (independent of derive's
    derivations)."""
    from derive.symbols import z
    f = _lambdify(sp.diff(definition(name), z), "numpy")

    def g_prime(Z):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.asarray(f(Z)) + np.zeros_like(Z)
    return g_prime


@lru_cache(maxsize=None)
def jax_g(name: str):
    """g as a ``jax.numpy`` function, from the definition: ``jax.grad`` differentiates it."""
    return _lambdify(definition(name), "jax")


def analytic(name: str) -> bool:
    return _catalog().analytic(_catalog().resolve_hidden(name))


def kinks(name: str) -> tuple:
    return _catalog().kinks(_catalog().resolve_hidden(name))


def _loss_entry(name: str):
    entries = _catalog().loss_entries()
    if name not in entries:
        raise ValueError(f"unknown loss {name!r}; valid: {', '.join(entries)}")
    return entries[name]


def default_loss(output: str) -> str:
    return _catalog().default_loss(output)


@lru_cache(maxsize=None)
def loss_definition(name: str):
    """L(a, y) of the catalog loss, hyperparameters at their defaults."""
    from derive.symbols import unfold
    entry = _loss_entry(name)
    return unfold(entry.definition).xreplace({h.symbol: sp.Float(h.default, 30)
                                              for h in entry.hyper})


def loss_output(name: str) -> str:
    return _loss_entry(name).output


def loss_analytic(name: str) -> bool:
    from derive.symbols import unfold
    return not unfold(_loss_entry(name).definition).has(
        sp.Piecewise, sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign)


@lru_cache(maxsize=None)
def numpy_loss(name: str):
    """L(A, Y) elementwise as a NumPy function, from the definition."""
    from derive.symbols import a, y
    f = sp.lambdify((a, y), loss_definition(name), modules="numpy")

    def loss(A, Y):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.asarray(f(A, Y)) + np.zeros_like(A)
    return loss


@lru_cache(maxsize=None)
def jax_loss(name: str):
    """L(A, Y) elementwise as a ``jax.numpy`` function, from the definition."""
    from derive.symbols import a, y
    return sp.lambdify((a, y), loss_definition(name), modules="jax")


@lru_cache(maxsize=None)
def loss_kink_offsets(name: str) -> tuple:
    """Where the loss has kinks, as offsets c of a from the label (a = y + c), from its
    catalog definition at the default hyperparameters (Huber: -delta, +delta)."""
    from derive.stepwise.engine import _kinks
    from derive.symbols import a, y
    definition = loss_definition(name)
    slopes = [sp.diff(definition, a, k).xreplace({y: 0}) for k in (1, 2)]
    offsets = []
    for point, _ in _kinks(definition, a):
        offset = sp.sympify(point) - y  # kinks sit at y + constant for these losses
        if offset.free_symbols:
            raise ValueError(f"loss {name!r}: a kink at {point} is not y plus a constant")
        # a candidate (|a - y| in Huber's cases, at 0) is a kink only where L' or L''
        # jumps across it: a central difference straddling it is then only O(h)
        side = sp.Rational(1, 10**9)
        jumps = [abs(float(d.xreplace({a: offset + side}) - d.xreplace({a: offset - side})))
                 for d in slopes]
        if max(jumps) > 1e-6:
            offsets.append(float(offset))
    return tuple(offsets)


@lru_cache(maxsize=None)
def loss_change(name: str):
    """``change(A, dA, Y) = L(A + dA, Y) - L(A, Y)`` elementwise, without cancellation:
    the integral of L' (SymPy's diff of the definition) from A to A + dA, by 6-point
    Gauss-Legendre quadrature on each piece between the points where L' changes its
    formula (exact for the piecewise polynomials of Huber; error ~ dA^13 for smooth
    losses). The rounding is then relative to the change, not to |L|: the tiny gradients
    of a x0.01 initialization are checked as accurately as large ones. Real arrays."""
    from derive.symbols import a, y

    definition = loss_definition(name)
    d_loss = sp.lambdify((a, y), sp.diff(definition, a), modules="numpy")
    offsets = loss_kink_offsets(name)
    nodes, weights = np.polynomial.legendre.leggauss(6)
    nodes, weights = (nodes + 1) / 2, weights / 2  # on [0, 1]

    def change(A, dA, Y):
        A, dA, Y = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (A, dA, Y)))
        with np.errstate(divide="ignore", invalid="ignore"):
            cuts = [np.clip(np.where(dA != 0, (Y + c - A) / dA, 0.0), 0.0, 1.0) for c in offsets]
        ts = np.sort(np.stack([np.zeros_like(A), *cuts, np.ones_like(A)]), axis=0)
        total = np.zeros_like(A)
        for lo, hi in zip(ts[:-1], ts[1:]):
            width = hi - lo
            for t, w in zip(nodes, weights):
                total += w * width * (np.asarray(d_loss(A + (lo + t * width) * dA, Y))
                                      + np.zeros_like(A))
        return total * dA
    return change
