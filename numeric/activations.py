"""Hidden-layer activations and their derivatives, from the generated formulas.

Which activations exist, their aliases, hyperparameters and generated functions come
from :mod:`numeric._catalog`, the table ``python -m derive codegen`` writes from derive's
catalog: adding an activation there adds it here, with no edit to this file.
"""

from __future__ import annotations

from . import _catalog
from . import _generated as gen
from . import custom

__all__ = ["HIDDEN", "ALIASES", "LEAKY_RELU_SLOPE", "activation", "activation_into",
           "activation_from_a", "canonical", "resolve"]

HIDDEN = tuple(_catalog.HIDDEN)
ALIASES = dict(_catalog.HIDDEN_ALIASES)

# Slope of leaky ReLU for z < 0 (the catalog's default; the derivations keep it symbolic).
LEAKY_RELU_SLOPE = dict((h[0], h[1]) for h in _catalog.HIDDEN_SPECS["leaky_relu"]["hyper"])["alpha"]


def _bind(f, hyper, n_arrays):
    """``f`` with the hyperparameters (at their defaults) after its ``n_arrays`` leading
    array arguments: ``g(Z)`` or ``g_into(Z, out, work)``."""
    if not hyper:
        return f
    values = tuple(h[1] for h in hyper)
    if n_arrays == 1:
        return lambda X, _f=f, _v=values: _f(X, *_v)
    return lambda X, out, work, _f=f, _v=values: _f(X, *_v, out, work)


def _tables():
    pure, into, from_a = {}, {}, {}
    for name, spec in _catalog.HIDDEN_SPECS.items():
        hyper = spec["hyper"]
        pure[name] = (_bind(getattr(gen, spec["g"]), hyper, 1),
                      _bind(getattr(gen, spec["g_prime"]), hyper, 1))
        # g' from the cached activation A = g(Z) where it is a polynomial in g (one or two
        # passes instead of recomputing g); else from Z.
        via_a = spec["g_prime_from_a"]
        prime_into = getattr(gen, (via_a or spec["g_prime"]) + "_into")
        into[name] = (_bind(getattr(gen, spec["g"] + "_into"), hyper, 3),
                      _bind(prime_into, hyper, 3), via_a is not None)
        from_a[name] = _bind(getattr(gen, via_a), hyper, 1) if via_a else None
    return pure, into, from_a


_TABLE, _INTO, _FROM_A = _tables()


def canonical(name: str) -> str:
    """The catalog name of ``name`` (an alias such as ``silu`` -> ``swish``);
    ValueError listing the valid names."""
    if isinstance(name, str):
        name = ALIASES.get(name, name)
        if name in _TABLE:
            return name
    valid = ", ".join([*HIDDEN, *(f"{a} (= {n})" for a, n in ALIASES.items())])
    raise ValueError(f"unknown hidden activation {name!r}; valid: {valid}")


def resolve(hidden):
    """The catalog name of ``hidden`` (see :func:`canonical`), or ``hidden`` itself when it
    is a user's activation object (:mod:`numeric.custom`; TypeError naming what it lacks)."""
    if isinstance(hidden, str):
        return canonical(hidden)
    return custom.check_activation(hidden, ", ".join(HIDDEN))


def activation(name):
    """``(g, g_prime)`` for a hidden activation name or a user's activation object;
    ValueError listing the valid names."""
    if not isinstance(name, str):
        obj = resolve(name)
        return obj.g, obj.g_prime
    return _TABLE[canonical(name)]


def activation_from_a(name):
    """``g_prime_from_a(A)``, g' written through the activation A = g(Z) (sigmoid, tanh),
    or None where g' is not a function of g alone (a user's activation: its own
    ``g_prime_from_a`` where it has one, as tanh(z) has)."""
    if not isinstance(name, str):
        obj = resolve(name)
        return _user_from_a(obj)[0]
    return _FROM_A[canonical(name)]


def activation_into(name):
    """``(g_into, g_prime_into, from_a)``: the in-place variants ``f(X, out, work) -> out``;
    ``g_prime_into`` takes the activation A when ``from_a``, else Z."""
    if not isinstance(name, str):
        obj = resolve(name)
        from_a, from_a_into = _user_from_a(obj)
        if from_a is not None:
            return obj.g_into, from_a_into, True
        return obj.g_into, obj.g_prime_into, False
    return _INTO[canonical(name)]


def _user_from_a(obj):
    """``(g_prime_from_a, g_prime_from_a_into)`` of a user's activation where it has both
    (optional attributes: g' written through g, as for tanh), else ``(None, None)``."""
    pure, into = getattr(obj, "g_prime_from_a", None), getattr(obj, "g_prime_from_a_into", None)
    return (pure, into) if callable(pure) and callable(into) else (None, None)
