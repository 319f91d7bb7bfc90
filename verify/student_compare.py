"""Compare a student's output with the reference, and say what is wrong in words.

The words are those of :mod:`verify._gradcheck._hints` (a factor 2 or m, a sign, a
transpose, a missing sum, a broadcast shape), with "yours" for the student's value and
"expected" for ``numeric.course``'s.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._gradcheck._hints import _summed_axes, element_hint, value_hints
from ._gradcheck._tolerances import relative_error as _relative_error

__all__ = ["RTOL", "differences", "matches", "size_of", "describe_input"]

# Two correct float64 programs differ by rounding, ~1e-15 relative; every mistake the
# grader names changes values by O(1) relative. 1e-9 separates the two with margin.
RTOL = 1e-9


def _is_number(x) -> bool:
    return isinstance(x, (numbers.Number, np.number)) and not isinstance(x, (bool, np.bool_))


def _leaf(x):
    """An array, a number or None when ``x`` is neither (a dict, a list, a str ...)."""
    if isinstance(x, np.ndarray):
        return x
    if _is_number(x):
        return np.asarray(x)
    return None


def _words(text: str) -> str:
    return text.replace("analytic", "yours").replace("numeric", "expected")


def _leaf_differences(path: str, got, want) -> list[str]:
    got_arr, want_arr = np.asarray(got), np.asarray(want)
    if got_arr.dtype.kind not in "fiub" or want_arr.dtype.kind not in "fiub":
        return [] if np.array_equal(got_arr, want_arr) else [f"{path}: {got!r}, expected {want!r}"]
    got_arr, want_arr = got_arr.astype(np.float64), want_arr.astype(np.float64)
    if got_arr.shape != want_arr.shape:
        return [_shape_words(path, got_arr.shape, want_arr.shape)]
    finite = np.isfinite(got_arr)
    if not finite.all() and np.isfinite(want_arr).all():
        return [f"{path}: yours has non-finite values (nan or inf) where the expected is finite"]
    if np.array_equal(got_arr, want_arr, equal_nan=True) or _relative_error(got_arr, want_arr) <= RTOL:
        return []
    if not np.any(want_arr) or not np.any(got_arr):
        which = "the expected value is all zeros" if not np.any(want_arr) else "yours is all zeros"
        return [f"{path!r}: {which}, the other is not" + _where(path, got_arr, want_arr)]
    hints = value_hints(path, got_arr, want_arr, RTOL,
                        transposed=got_arr.T if got_arr.ndim == 2 and got_arr.shape[::-1] == got_arr.shape else None)
    hints += element_hint(path, got_arr, want_arr, RTOL)
    if not hints:
        hints = [f"{path!r}: wrong values (relative error "
                 f"{_relative_error(got_arr, want_arr):.2g})"]
    return [_words(h) for h in hints]


def _where(path, got, want) -> str:
    listed = element_hint(path, got, want, RTOL)
    return f" ({listed[0].split(': ', 1)[1]})" if listed else ""


def _shape_words(path, got, want) -> str:
    if len(want) == 2 and got == want[::-1]:
        return (f"{path!r}: transpose: yours has shape {got}, the transposed shape of "
                f"{want} (a transposed product, e.g. A.T @ dZ for dZ @ A.T?)")
    axes = _summed_axes(want, got)
    if axes is not None:
        axis = axes[0] if len(axes) == 1 else axes
        return (f"{path!r}: missing sum over axis {axis}: yours has shape {got}; "
                f"np.sum(..., axis={axis}, keepdims=True) gives {want}")
    try:
        np.broadcast_shapes(got, want)
        return (f"{path!r}: broadcast shape: yours has shape {got}, expected {want} "
                f"(a (m,) vector against (1, m), or a missing keepdims=True?)")
    except ValueError:
        return f"{path!r}: shape {got}, expected {want}"


def differences(got, want, path: str = "output", names=(), prefix=None) -> list[str]:
    """Sentences saying where ``got`` differs from ``want``; empty when they match."""
    leaf_got, leaf_want = _leaf(got), _leaf(want)
    if leaf_want is not None:
        if leaf_got is None:
            return [f"{path!r}: yours is a {type(got).__name__}, expected an array or number"]
        return _leaf_differences(path, leaf_got, leaf_want)
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{path!r}: yours is a {type(got).__name__}, expected a dict with keys "
                    f"{sorted(want)}"]
        missing = [k for k in want if k not in got]
        if missing:
            return [f"{path!r}: the dict has no {', '.join(map(repr, missing))}"]
        return [d for k in want for d in differences(got[k], want[k], str(k))]
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return [f"{path!r}: yours is a {type(got).__name__}, expected a tuple of {len(want)}"]
        if prefix is not None and len(got) >= prefix:
            got, want = got[:prefix], want[:prefix]
        if len(got) != len(want):
            return [f"{path!r}: yours has {len(got)} items, expected {len(want)}"]
        out = []
        for i, (g, w) in enumerate(zip(got, want)):
            name = names[i] if i < len(names) else f"{path}[{i}]"
            out += differences(g, w, name)
        return out
    return [] if got == want else [f"{path!r}: {got!r}, expected {want!r}"]


def matches(got, want, prefix=None) -> bool:
    return not differences(got, want, prefix=prefix)


def size_of(x) -> int:
    """Elements in all the arrays of ``x`` (the size of an input, to find the smallest)."""
    if isinstance(x, np.ndarray):
        return x.size
    if isinstance(x, dict):
        return sum(size_of(v) for v in x.values())
    if isinstance(x, (tuple, list)):
        return sum(size_of(v) for v in x)
    return 1


def _show(x, depth=0) -> str:
    if isinstance(x, np.ndarray):
        if x.size <= 6:
            return np.array2string(x, precision=4, separator=", ").replace("\n", "")
        return f"array{x.shape}"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {_show(v, depth + 1)}" for k, v in x.items()) + "}"
    if isinstance(x, (tuple, list)):
        inner = ", ".join(_show(v, depth + 1) for v in x)
        return f"({inner})" if isinstance(x, tuple) else f"[{inner}]"
    return repr(x)


def describe_input(names, args) -> str:
    """``name = value`` for each argument: small arrays in full, larger ones by shape."""
    return "; ".join(f"{n} = {_show(a)}" for n, a in zip(names, args))
