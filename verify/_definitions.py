"""Hidden activations evaluated from their catalog *definitions*, for the independent checks.

The generated code evaluates the derived formulas; the checks must not. Here each
activation's definition (``derive/catalog/hidden/NAME.py``, as a textbook writes it) is
turned into a NumPy or a ``jax.numpy`` function by ``sympy.lambdify``, and its derivative
is SymPy's own ``diff`` of that definition, not the derivation the generated code
comes from. Hyperparameters take the catalog's defaults, as ``numeric`` does.

Every function takes a catalog name or a user's component (the object of
``derive.custom_activation`` / ``custom_loss``): its ``entry`` is the catalog entry of the
user's formula, read here as a catalog file's entry is (its *definition*, never the
derived derivative); its ``kinks`` and ``analytic`` are taken as the object states them.
"""

from __future__ import annotations

import functools
from functools import lru_cache

import numpy as np
import sympy as sp

__all__ = ["HIDDEN", "key", "definition", "numpy_g", "numpy_g_prime", "jax_g", "analytic", "kinks",
           "hyper_defaults", "default_loss", "loss_definition", "loss_output", "loss_analytic",
           "numpy_loss", "jax_loss", "loss_change", "loss_kink_offsets"]


def _catalog():
    from derive import catalog
    return catalog


def _names():
    return tuple(_catalog().hidden_entries())


HIDDEN = _names()

# (kind, name, formula) -> the user's component, for the caches keyed by it
_CUSTOM: dict = {}


def key(component):
    """A hashable key: the catalog name, or ``(kind, name, formula)`` of a user's
    component (recorded here, so the functions below find its entry again)."""
    if isinstance(component, (str, tuple)) or component is None:
        return component
    entry = getattr(component, "entry", None)
    if entry is None or not hasattr(entry, "definition"):
        raise ValueError(f"{component!r:.80} is not a user's component with an entry "
                         f"(derive.custom_activation / custom_loss)")
    k = (component.kind, component.name, component.formula)
    _CUSTOM[k] = component
    return k


def _by_key(f):
    """``lru_cache`` of ``f`` keyed by :func:`key` of its argument (objects need not be
    hashable; two objects of the same formula share the cached functions)."""
    cached = lru_cache(maxsize=None)(f)

    @functools.wraps(f)
    def call(component):
        return cached(key(component))
    call.cache_clear = cached.cache_clear
    return call


def _component(k):
    return _CUSTOM[k] if isinstance(k, tuple) else None


def _hidden_entry(name):
    k = key(name)
    if isinstance(k, tuple):
        return _CUSTOM[k].entry
    return _catalog().resolve_hidden(k)


def hyper_defaults(name: str) -> dict:
    entry = _hidden_entry(name)
    return {h.name: h.default for h in entry.hyper}


@_by_key
def definition(name: str):
    """g(z) of the catalog entry, display functions unfolded, hyperparameters at their
    defaults: a SymPy expression in :data:`derive.symbols.z`."""
    from derive.symbols import unfold
    entry = _hidden_entry(name)
    return unfold(entry.definition).xreplace({h.symbol: sp.Float(h.default, 30)
                                              for h in entry.hyper})


def _lambdify(expr, modules):
    from derive.symbols import z
    return sp.lambdify(z, expr, modules=modules)


@_by_key
def numpy_g(name: str):
    """g as a NumPy function of real or complex arrays (for the complex step, which is used
    only where g is analytic: no cases to choose)."""
    f = _lambdify(definition(name), "numpy")

    def g(Z):
        with np.errstate(over="ignore", invalid="ignore"):  # branches not taken may overflow
            return np.asarray(f(Z)) + np.zeros_like(Z)
    return g


@_by_key
def numpy_g_prime(name: str):
    """g' as a NumPy function: SymPy's diff of the definition (independent of derive's
    derivations)."""
    from derive.symbols import z
    f = _lambdify(sp.diff(definition(name), z), "numpy")

    def g_prime(Z):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.asarray(f(Z)) + np.zeros_like(Z)
    return g_prime


@_by_key
def jax_g(name: str):
    """g as a ``jax.numpy`` function, from the definition: ``jax.grad`` differentiates it."""
    return _lambdify(definition(name), "jax")


def analytic(name: str) -> bool:
    custom = _component(key(name))
    if custom is not None:
        return bool(custom.analytic)
    return _catalog().analytic(_hidden_entry(name))


def kinks(name: str) -> tuple:
    custom = _component(key(name))
    if custom is not None:
        return tuple(float(k) for k in custom.kinks)
    return _catalog().kinks(_hidden_entry(name))


def _loss_entry(name: str):
    k = key(name)
    if isinstance(k, tuple):
        return _CUSTOM[k].entry
    entries = _catalog().loss_entries()
    if name not in entries:
        raise ValueError(f"unknown loss {name!r}; valid: {', '.join(entries)}")
    return entries[name]


def default_loss(output: str) -> str:
    return _catalog().default_loss(output)


@_by_key
def loss_definition(name: str):
    """L(a, y) of the catalog loss, hyperparameters at their defaults."""
    from derive.symbols import unfold
    entry = _loss_entry(name)
    return unfold(entry.definition).xreplace({h.symbol: sp.Float(h.default, 30)
                                              for h in entry.hyper})


def loss_output(name: str) -> str:
    return _loss_entry(name).output


def loss_analytic(name: str) -> bool:
    custom = _component(key(name))
    if custom is not None:
        return bool(custom.analytic)
    return _catalog().analytic(_loss_entry(name))


@_by_key
def numpy_loss(name: str):
    """L(A, Y) elementwise as a NumPy function, from the definition."""
    from derive.symbols import a, y
    f = sp.lambdify((a, y), loss_definition(name), modules="numpy")

    def loss(A, Y):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.asarray(f(A, Y)) + np.zeros_like(A)
    return loss


@_by_key
def jax_loss(name: str):
    """L(A, Y) elementwise as a ``jax.numpy`` function, from the definition."""
    from derive.symbols import a, y
    return sp.lambdify((a, y), loss_definition(name), modules="jax")


@_by_key
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


@_by_key
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
