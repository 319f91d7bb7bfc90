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
           "numpy_loss", "jax_loss"]


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
