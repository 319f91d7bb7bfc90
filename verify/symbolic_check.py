"""Each generated function against its SymPy expression, evaluated with mpmath at 50 digits.

For every :class:`derive.codegen.FunctionSpec` the function of ``numeric._generated`` of
the same name is called on random small arrays (and, for logits, on the extremes
``+-30`` and ``+-1000``); the reference is the spec's SymPy expression, evaluated
entry by entry at 50 significant digits, where float64 is not enough (``sigmoid(-1000)``,
``1 - tanh(30)^2``). Where an independent reference exists the reference is the
*definition*, not the derivation the code came from (:func:`_independent_outputs`): the
hidden activations' g and g' (the catalog entry's definition and SymPy's own derivative
of it), softmax and log-softmax (the naive textbook form), every loss's cost (the catalog
loss's definition on the output activation's definition, averaged as ``cost_mean``
states) and the dZ of a linear output (SymPy's diff of the loss's definition).
The reference does not go through any printer: array-level nodes
(``total_sum``, ``col_sum``, ``col_max``, ``row_sum``) are expanded into explicit sums and
maxima over the entries, and matrix formulas are evaluated with explicit SymPy matrices.

Errors are measured relative to ``max(1, |reference|)``: relative for values of order one
and above, absolute near zero, where float64 cannot hold a relative error of a
cancellation such as ``1 - tanh(30)^2`` and where it does not matter downstream.

Also checked: float32 arrays in give float32 out, and at logits +-1000 nothing
overflows, divides by zero or is invalid, in float32 and float64 (underflow to 0 is the
correctly rounded result of e.g. ``exp(-1000)``; NumPy ignores it by default).
"""

from __future__ import annotations

import random
import warnings
from typing import NamedTuple

import numpy as np
import sympy as sp

from derive.codegen_nodes import ScalarArg
from derive.codegen_printer import col_max, col_sum, row_sum, total_sum

__all__ = ["SymbolicCheck", "TOLERANCE", "check_function", "check_generated", "reference_value"]

# Generated float64 code: a handful of correctly rounded operations per entry and sums
# over at most 12 entries here, so a few hundred ulps cover it; a wrong formula is off by
# O(1). The 50-digit reference contributes nothing.
TOLERANCE = 1e-13
DIGITS = 50
SHAPE = (3, 4)  # (n, m) of the random arrays: small, so the 50-digit reference is quick
EXTREMES = (-1000.0, -30.0, 30.0, 1000.0)


class SymbolicCheck(NamedTuple):
    """``name``; ``max_error`` (see the module doc); ``dtype_ok`` (float32 in -> out);
    ``finite_ok`` (no overflow/invalid/divide at +-1000, finite outputs); ``ok``; ``note``."""

    name: str
    max_error: float
    dtype_ok: bool
    finite_ok: bool
    ok: bool
    note: str = ""


def _entry(expr, values, i, j, exact=False):
    """Entry (i, j) of an array-valued SymPy expression, as a scalar expression (the
    array entries as 50-digit Floats, or with ``exact`` as the exact rationals they are,
    which SymPy does not evaluate while building the expression)."""
    if isinstance(expr, sp.Symbol):
        v = values.get(expr)
        if isinstance(v, np.ndarray):
            number = float(v[i, j])
            return sp.Rational(number) if exact else sp.Float(repr(number), DIGITS)
        return expr if v is None else v
    if isinstance(expr, total_sum):
        a = expr.args[0]
        return sp.Add(*[_entry(a, values, r, c, exact) for r in range(SHAPE[0])
                        for c in range(SHAPE[1])])
    if isinstance(expr, col_sum):
        return sp.Add(*[_entry(expr.args[0], values, r, j, exact) for r in range(SHAPE[0])])
    if isinstance(expr, col_max):
        return sp.Max(*[_entry(expr.args[0], values, r, j, exact) for r in range(SHAPE[0])])
    if isinstance(expr, row_sum):
        return sp.Add(*[_entry(expr.args[0], values, i, c, exact) for c in range(SHAPE[1])])
    if not expr.args:
        return expr
    return expr.func(*[_entry(a, values, i, j, exact) for a in expr.args])


def _is_scalar(expr, values):
    """True where every array symbol of ``expr`` sits inside a ``total_sum``."""
    if isinstance(expr, total_sum):
        return True
    if isinstance(expr, sp.Symbol):
        return not isinstance(values.get(expr), np.ndarray)
    return all(_is_scalar(a, values) for a in expr.args)


def reference_value(expr, values, as_written=False):
    """The 50-digit value of an elementwise (or reduced) spec output at ``values``.

    Parameters
    ----------
    expr : sympy expression over Symbols standing for arrays of shape SHAPE
    values : dict Symbol -> ndarray of shape SHAPE, or a SymPy number for scalars
    as_written : a definition evaluated as written (``1 - sigma(1000)``, a softmax of
        logits 2000 apart): the exact entries in mpmath at up to 1200 digits
        (:func:`_deep_digits`), where SymPy's evalf loses such cancellations (even
        silently)

    Returns
    -------
    ndarray, shape SHAPE (float64 of the 50-digit values), or a float for a total sum
    """
    if as_written:
        try:
            return _deep_values(expr, values)
        except _Untranslated:  # a node the direct evaluation does not know: by lambdify
            pass
    evaluate = _deep if as_written else (lambda e: float(e.evalf(DIGITS)))
    if _is_scalar(expr, values):
        return evaluate(_entry(expr, values, 0, 0, as_written))
    out = np.empty(SHAPE)
    for i, j in np.ndindex(*SHAPE):
        out[i, j] = evaluate(_entry(expr, values, i, j, as_written))
    return out


# Digits for definitions evaluated as written: 1 - sigma(1000) cancels about 435
# digits, a softmax of logits 2000 apart about 870.
_DEEP_DIGITS = 1200


def _deep(scalar) -> float:
    import mpmath
    with mpmath.workdps(_DEEP_DIGITS):
        return float(sp.lambdify((), scalar, modules="mpmath")())


def _deep_digits(values) -> int:
    """Digits for definitions evaluated as written at ``values`` (by :func:`_mp`).

    Their cancellations come from exponentials of the entries and of their differences:
    for entries of size at most M, at most about 2 M / ln 10 digits (1 - sigma(M) cancels
    M / ln 10, a softmax of logits 2 M apart 2 M / ln 10), which a log then brings back
    to order one. That, a fifth more for margin, on top of the 50 digits of the
    reference, and never more than :data:`_DEEP_DIGITS`: 1093 at the extremes (M =
    1000), 54 at the random points (entries within 3), where 1200 cost ~20x more."""
    import math

    M = max((float(np.max(np.abs(v))) for v in values.values() if isinstance(v, np.ndarray)),
            default=0.0)
    return min(_DEEP_DIGITS, DIGITS + math.ceil(1.2 * 2 * M / math.log(10)))


class _Untranslated(Exception):
    """A node :func:`_mp` does not evaluate."""


def _deep_values(expr, values):
    """``reference_value(expr, values, as_written=True)`` by :func:`_mp`: each entry
    evaluated from the formula's tree directly in mpmath at :func:`_deep_digits` (the
    same numbers as writing the entry out with the exact floats and translating it by
    ``lambdify``, which cost ~10x more than the evaluation itself)."""
    import mpmath

    with mpmath.workdps(_deep_digits(values)):
        if _is_scalar(expr, values):
            return float(_mp(expr, values, 0, 0))
        out = np.empty(SHAPE)
        for i, j in np.ndindex(*SHAPE):
            out[i, j] = float(_mp(expr, values, i, j))
        return out


def _mp(expr, values, i, j):
    """Entry (i, j) of ``expr`` (see :func:`_entry`) as an mpmath number at the working
    precision: array entries are the floats' exact values, SymPy numbers exact (a Float
    its binary value, as ``lambdify`` prints it), functions those ``lambdify`` maps to
    mpmath. :class:`_Untranslated` for any other node."""
    import mpmath
    from sympy.printing.pycode import MpmathPrinter

    def ev(e, row=i, col=j):
        return _mp(e, values, row, col)

    if isinstance(expr, sp.Symbol):
        v = values.get(expr)
        if isinstance(v, np.ndarray):
            return mpmath.mpf(float(v[i, j]))  # exact: a float is a binary fraction
        if v is None:
            raise _Untranslated(expr)
        return ev(sp.sympify(v))
    if isinstance(expr, sp.Integer):
        return mpmath.mpf(int(expr))
    if isinstance(expr, sp.Rational):
        return mpmath.mpf(int(expr.p)) / int(expr.q)
    if isinstance(expr, sp.Float):
        return mpmath.mpf(expr._mpf_)
    if expr is sp.pi:
        return +mpmath.pi
    if expr is sp.E:
        return +mpmath.e
    if isinstance(expr, total_sum):
        return mpmath.fsum(ev(expr.args[0], r, c) for r in range(SHAPE[0]) for c in range(SHAPE[1]))
    if isinstance(expr, col_sum):
        return mpmath.fsum(ev(expr.args[0], r, j) for r in range(SHAPE[0]))
    if isinstance(expr, col_max):
        return max(ev(expr.args[0], r, j) for r in range(SHAPE[0]))
    if isinstance(expr, row_sum):
        return mpmath.fsum(ev(expr.args[0], i, c) for c in range(SHAPE[1]))
    if isinstance(expr, sp.Add):
        return mpmath.fsum(ev(a) for a in expr.args)
    if isinstance(expr, sp.Mul):
        return mpmath.fprod(ev(a) for a in expr.args)
    if isinstance(expr, sp.Pow):
        base, exponent = expr.args
        if isinstance(exponent, sp.Integer):
            return ev(base) ** int(exponent)
        return mpmath.power(ev(base), ev(exponent))
    if isinstance(expr, sp.Piecewise):
        for value, condition in expr.args:
            if _mp_truth(condition, values, i, j):
                return ev(value)
        raise _Untranslated(expr)  # no case holds: undefined there
    known = MpmathPrinter._kf.get(type(expr).__name__)
    if isinstance(expr, sp.Function) and known is not None:
        name = known.rpartition(".")[2]
        f = {"abs": abs, "max": max, "min": min}.get(name) or getattr(mpmath, name)
        return f(*(ev(a) for a in expr.args))
    raise _Untranslated(expr)


_RELATIONS = {sp.StrictGreaterThan: lambda a, b: a > b, sp.GreaterThan: lambda a, b: a >= b,
              sp.StrictLessThan: lambda a, b: a < b, sp.LessThan: lambda a, b: a <= b,
              sp.Eq: lambda a, b: a == b, sp.Ne: lambda a, b: a != b}


def _mp_truth(condition, values, i, j) -> bool:
    """A case's condition at entry (i, j), in mpmath (see :func:`_mp`)."""
    if condition is sp.true or condition is sp.false:
        return bool(condition)
    relation = _RELATIONS.get(type(condition))
    if relation is not None:
        return bool(relation(_mp(condition.lhs, values, i, j), _mp(condition.rhs, values, i, j)))
    if isinstance(condition, sp.And):
        return all(_mp_truth(c, values, i, j) for c in condition.args)
    if isinstance(condition, sp.Or):
        return any(_mp_truth(c, values, i, j) for c in condition.args)
    if isinstance(condition, sp.Not):
        return not _mp_truth(condition.args[0], values, i, j)
    raise _Untranslated(condition)


def _draw(symbol, rng, extremes):
    """A value for one argument: an array for array symbols, a number for scalars."""
    name = symbol.name
    if name in ("m", "n_prev"):
        return rng.randint(2, 9)
    if name == "t":
        return rng.randint(1, 20)
    if name in ("alpha", "keep_prob", "beta", "beta1", "beta2"):
        return rng.uniform(0.05, 0.95)
    if name in ("lambd", "learning_rate"):
        return rng.uniform(0.01, 2.0)
    if name in ("epsilon", "eps_root"):
        return 10.0 ** rng.uniform(-8, -3)
    if isinstance(symbol, ScalarArg):
        # another hyperparameter (Huber's delta): a number, positive as the catalog's are
        return rng.uniform(0.5, 1.5)
    shape = SHAPE
    a = np.array([[rng.uniform(-3, 3) for _ in range(shape[1])] for _ in range(shape[0])])
    if name == "Y":
        a = (a > 0).astype(np.float64)  # labels in {0, 1}
    elif name == "D":
        a = (a > -1).astype(np.float64)  # a dropout mask
    elif name == "s":
        a = np.abs(a)  # a mean of squares
    elif name in ("Z", "A") and extremes:
        a.ravel()[: len(EXTREMES)] = EXTREMES
    return a


def _compare(generated, reference):
    g = np.asarray(generated, dtype=np.float64)
    r = np.asarray(reference, dtype=np.float64)
    if g.shape != r.shape:
        return float("inf")
    with np.errstate(invalid="ignore"):
        error = np.abs(g - r) / np.maximum(1.0, np.abs(r))
    # A NaN (either side) is a disagreement: as a float it would pass every comparison
    # (max(0.0, nan) is 0.0), hiding a function that returns NaN at a random point.
    return float(np.max(error)) if np.all(np.isfinite(error)) else float("inf")


def _is_matrix_spec(spec):
    return any(isinstance(a, sp.MatrixSymbol) for a in spec.arguments)


def _matrix_errors(spec, fn, rng):
    dims = {}
    sizes = {"n_l": 3, "n_prev": 2, "m": 4}
    for a in spec.arguments:
        if isinstance(a, sp.MatrixSymbol):
            for d in a.shape:
                if isinstance(d, sp.Symbol):
                    dims[d] = sizes[d.name]
        elif a.name in sizes:
            dims[a] = sizes[a.name]  # the scalar argument m (its own symbol, marked scalar)
    kwargs, subs = {}, {}
    for a in spec.arguments:
        if isinstance(a, sp.MatrixSymbol):
            shape = tuple(int(sp.sympify(d).subs(dims)) for d in a.shape)
            value = np.array([[rng.uniform(-3, 3) for _ in range(shape[1])] for _ in range(shape[0])])
            kwargs[a.name] = value
            subs[a] = sp.Matrix(shape[0], shape[1],
                                lambda i, j, v=value: sp.Float(repr(float(v[int(i), int(j)])), DIGITS))
        else:
            kwargs[a.name] = int(sp.sympify(a).subs(dims))
    reference = sp.Matrix(spec.outputs[0].xreplace(subs).subs(dims).doit()).evalf(DIGITS)
    got = fn(**kwargs)
    return _compare(got, np.array(reference.tolist(), dtype=np.float64)), kwargs


def _independent_outputs(spec):
    """The independent reference of a generated function: what it computes, written from
    the *definition* rather than from the derivation the code came from (an error in a
    derivation cannot agree with itself). None where there is none here (the layer
    formulas, the optimizer steps, dropout, the dZ of a sigmoid or softmax output: the
    JAX and optax cross-checks cover them); the spec's own expression is used then.

    * a hidden activation's g and g': the catalog entry's definition and SymPy's diff
      of it;
    * softmax and log-softmax: the textbook side of their derivations, the naive
      e^{z_i} / sum_j e^{z_j} (evaluated at 50 digits or more, it does not overflow);
    * each loss's cost: the mean over the examples of the catalog loss's *definition*
      L(a, y), summed over the outputs, with a the output activation's definition
      (sigmoid: 1/(1 + e^{-z}); softmax: the naive form) where the cost reads the logits;
    * the dZ of a linear output: SymPy's diff of the loss's definition in a.
    """
    from derive import catalog, registry
    from derive.codegen import A, Y, Z, _components_as_arrays, _cost_from_mean
    from derive.codegen_nodes import col_sum
    from derive.symbols import a, unfold, y, z

    by_name = {a_.name: a_ for a_ in spec.arguments}
    if len(spec.outputs) != 1 or not spec.arguments:
        return None
    if spec.name in ("softmax", "log_softmax"):
        naive = registry[f"{spec.name}_stable"].textbook.rhs
        return (_components_as_arrays(naive, {"z": Z}, {}, lambda indices: col_sum),)
    losses = {e.cost: e for e in catalog.loss_entries().values()}
    dzs = {e.dz: e for e in catalog.loss_entries().values() if e.output == "linear"}
    if spec.name in losses or spec.name in dzs:
        entry = losses.get(spec.name) or dzs[spec.name]
        L = unfold(entry.definition).xreplace({h.symbol: by_name[h.name] for h in entry.hyper})
        if spec.name in dzs:
            return (sp.diff(L, a).xreplace({a: A, y: Y}),)
        if entry.cost_reads == "Z" and entry.output == "sigmoid":
            L = L.xreplace({a: unfold(catalog.hidden_entries()["sigmoid"].definition)})
        elif entry.cost_reads == "Z" and entry.output == "softmax":
            naive = _components_as_arrays(registry["softmax_stable"].textbook.rhs, {"z": Z},
                                          {}, lambda indices: col_sum)
            L = L.xreplace({a: naive.xreplace({Z: z})})
        return (_cost_from_mean(registry, L),)
    entries = catalog.hidden_entries()
    name = spec.name[:-len("_prime")] if spec.name.endswith("_prime") else spec.name
    if name not in entries:
        return None
    entry = entries[name]
    g = unfold(entry.definition).xreplace({h.symbol: by_name[h.name] for h in entry.hyper})
    if spec.name.endswith("_prime"):
        g = sp.diff(g, z)
    return (g.xreplace({z: spec.arguments[0]}),)


def check_function(spec, points: int = 3, seed: int = 0) -> SymbolicCheck:
    """Check one generated function against its spec (see the module docstring)."""
    import numeric._generated as gen

    fn = getattr(gen, spec.name)
    rng = random.Random(seed)
    worst, note = 0.0, ""
    if _is_matrix_spec(spec):
        for _ in range(points):
            err, kwargs = _matrix_errors(spec, fn, rng)
            worst = max(worst, err)
    else:
        for p in range(points):
            values = {a: _draw(a, rng, extremes=(p == 0)) for a in spec.arguments}
            kwargs = {a.name: v for a, v in values.items()}
            sym_values = {a: (v if isinstance(v, np.ndarray) else sp.Float(repr(v), DIGITS)
                              if isinstance(v, float) else sp.Integer(v)) for a, v in values.items()}
            got = fn(**kwargs)
            got = got if isinstance(got, tuple) else (got,)
            independent = _independent_outputs(spec)
            for out_expr, out in zip(independent or spec.outputs, got):
                worst = max(worst, _compare(out, reference_value(out_expr, sym_values,
                                                                 as_written=bool(independent))))
    dtype_ok, finite_ok = _dtype_and_extremes(spec, fn, rng)
    if not dtype_ok:
        note = "float32 in does not give float32 out"
    if not finite_ok:
        note = (note + "; " if note else "") + "overflow, invalid or non-finite output at +-1000"
    ok = worst <= TOLERANCE and dtype_ok and finite_ok
    return SymbolicCheck(spec.name, worst, dtype_ok, finite_ok, ok, note)


def _arguments_for(spec, rng, dtype, extremes):
    if _is_matrix_spec(spec):
        sizes = {"n_l": 3, "n_prev": 2, "m": 4}
        out = {}
        for a in spec.arguments:
            if isinstance(a, sp.MatrixSymbol):
                shape = tuple(sizes[d.name] if isinstance(d, sp.Symbol) else int(d) for d in a.shape)
                out[a.name] = np.asarray(np.random.default_rng(0).uniform(-3, 3, shape), dtype=dtype)
            else:
                out[a.name] = sizes.get(a.name, 2)
        return out
    out = {}
    for a in spec.arguments:
        v = _draw(a, rng, extremes)
        out[a.name] = v.astype(dtype) if isinstance(v, np.ndarray) else v
    return out


def _dtype_and_extremes(spec, fn, rng):
    """(float32 in -> float32 out, no overflow/invalid/divide and finite at +-1000)."""
    kwargs = _arguments_for(spec, rng, np.float32, extremes=False)
    outs = fn(**kwargs)
    outs = outs if isinstance(outs, tuple) else (outs,)
    # (a function of numbers only, an initialization variance, has no dtype to keep)
    dtype_ok = (all(isinstance(a, ScalarArg) for a in spec.arguments)
                or all(np.asarray(o).dtype == np.float32 for o in outs))
    finite_ok = True
    for dtype in (np.float32, np.float64):
        kwargs = _arguments_for(spec, rng, dtype, extremes=True)
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"), \
                    warnings.catch_warnings():
                warnings.simplefilter("error")
                outs = fn(**kwargs)
        except (FloatingPointError, RuntimeWarning):
            finite_ok = False
            continue
        outs = outs if isinstance(outs, tuple) else (outs,)
        finite_ok &= all(np.all(np.isfinite(o)) for o in outs)
    return dtype_ok, bool(finite_ok)


def check_generated(registry=None, points: int = 3, seed: int = 0, progress=None) -> list:
    """:func:`check_function` for every spec of ``derive.codegen.function_specs``."""
    from derive.codegen import function_specs

    if registry is None:
        from derive import registry
    results = []
    for spec in function_specs(registry):
        results.append(check_function(spec, points, seed))
        if progress:
            progress(results[-1])
    return results
