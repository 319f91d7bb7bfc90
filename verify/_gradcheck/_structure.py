"""Inputs as named arrays: one code path for a plain array and a dict of parameters.

A plain array ``x`` becomes ``{"x": x}``; a dict (a network's ``params``) keeps its
names. ``rebuild`` turns named arrays back into what ``f`` expects. Validation happens
here, where data enters, with errors that name the parameter and both shapes.
"""

from collections.abc import Mapping

import numpy as np

from ._hints import shape_hint

__all__ = ["PLAIN_NAME", "as_named", "named_gradient"]

PLAIN_NAME = "x"
_FLOATS = (np.float16, np.float32, np.float64)


def _check_array(name, value):
    if not isinstance(value, np.ndarray):
        raise TypeError(
            f"gradcheck: {name!r} must be a NumPy array, got {type(value).__name__}; "
            "use np.asarray(x, dtype=np.float64)"
        )
    if value.dtype.type not in _FLOATS:
        raise ValueError(
            f"gradcheck: {name!r} has dtype {value.dtype}; it must be a real floating "
            "array (float16, float32 or float64), e.g. x.astype(np.float64)"
        )
    if not np.all(np.isfinite(value)):
        raise ValueError(f"gradcheck: {name!r} has non-finite values (nan or inf)")


def as_named(x):
    """Validate ``x`` and view it as named arrays.

    Parameters
    ----------
    x : ndarray or Mapping[str, ndarray]
        Real floating arrays of any shape.

    Returns
    -------
    named : dict[str, ndarray]
        Read-only copies of the arrays, in the order of ``x``: nothing gradcheck or
        ``f`` does can change the caller's ``x``.
    rebuild : callable
        ``rebuild(named) -> x``-like structure for calling ``f``.
    """
    if isinstance(x, Mapping):
        if not x:
            raise ValueError("gradcheck: x is an empty dict; there is nothing to check")
        for name, value in x.items():
            if not isinstance(name, str):
                raise TypeError(f"gradcheck: parameter names must be str, got {name!r}")
            _check_array(name, value)
        return {name: _frozen(value) for name, value in x.items()}, dict
    _check_array(PLAIN_NAME, x)
    return {PLAIN_NAME: _frozen(x)}, lambda named: named[PLAIN_NAME]


def _frozen(value):
    """A read-only copy (the evaluator hands ``f`` writable copies of it, never it)."""
    copy = np.array(value, copy=True)
    copy.setflags(write=False)
    return copy


def _gradient_names(named, grads):
    """Map each parameter name to its key in ``grads``: ``W1`` or the notes' ``dW1``."""
    keys = set(grads)
    if keys == set(named):
        return {name: name for name in named}
    if keys == {"d" + name for name in named}:
        return {name: "d" + name for name in named}
    missing = sorted(set(named) - keys - {k[1:] for k in keys if k.startswith("d")})
    extra = sorted(k for k in keys if k not in named and k[1:] not in named)
    raise ValueError(
        "gradcheck: grad_f returned the names "
        f"{sorted(keys)} for the parameters {list(named)}"
        + (f"; missing {missing}" if missing else "")
        + (f"; unexpected {extra}" if extra else "")
    )


def named_gradient(named, is_dict, grads):
    """Validate ``grad_f(x)`` against ``x`` and return it as named float64 arrays.

    Parameters
    ----------
    named : dict[str, ndarray]
        From :func:`as_named`.
    is_dict : bool
        Whether ``x`` was a dict.
    grads : ndarray or Mapping[str, ndarray]
        What ``grad_f`` returned: the structure of ``x``; for a dict, keys may be the
        parameter names or the notes' ``"d" + name``.

    Returns
    -------
    dict[str, ndarray]
        float64 arrays, each of its parameter's shape.
    """
    if is_dict:
        if not isinstance(grads, Mapping):
            raise ValueError(
                f"gradcheck: x is a dict but grad_f returned {type(grads).__name__}; "
                "it must return a dict with the same names"
            )
        keys = _gradient_names(named, grads)
        pairs = {name: grads[keys[name]] for name in named}
    else:
        if isinstance(grads, Mapping):
            raise ValueError("gradcheck: x is an array but grad_f returned a dict")
        pairs = {PLAIN_NAME: grads}
    out = {}
    for name, g in pairs.items():
        g = np.asarray(g)
        if g.dtype.kind not in "fiu":
            raise ValueError(
                f"gradcheck: grad_f returned dtype {g.dtype} for {name!r}; expected real values"
            )
        expected = named[name].shape
        if g.shape != expected:
            hint = shape_hint(name, expected, g.shape)
            raise ValueError(
                f"gradcheck: grad_f returned shape {g.shape} for {name!r}, "
                f"whose shape is {expected}" + (f"; {hint}" if hint else "")
            )
        out[name] = g.astype(np.float64)
    return out
