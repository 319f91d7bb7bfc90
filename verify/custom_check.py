"""The verification rows of a user's own component (``python -m verify --activation ...``).

A component from :func:`derive.custom_activation` or :func:`derive.custom_loss` gets the
rows a catalog entry gets:

* ``derivation``: each of its derivations' proofs, and every line of the derivative
  proved equal to the line before it;
* ``network``: as the quick matrix checks a catalog entry, a small network with it
  against central differences, the complex step (analytic networks) and JAX of the
  definition (:func:`verify.matrix.network_rows`): an activation with each output head
  of the matrix, a loss under each hidden activation of the catalog, plain, with L2
  and with dropout in turn;
* ``custom``: its generated derivative (g' or dZ = dL/da) against three references
  built from the *definition* (the user's formula, lambdified), never from the
  derivation the code came from: central differences, the complex step (only where the
  formula is analytic: no abs, max, min or cases) and ``jax.grad``; and its generated
  functions finite, in the dtype they were given, at |z| up to 1000 in float32 and float64.

The points are a grid over [-6, 6] that keeps 1e-3 away from every kink (there the
derivative is a convention, stated in the derivation).
"""

from __future__ import annotations

import time

import numpy as np
import sympy as sp

from .matrix import HIDDEN, OUTPUTS, VARIANTS, MatrixRow, network_rows

__all__ = ["custom_rows", "generated_outputs", "JAX_TOLERANCE", "FD_TOLERANCE",
           "COMPLEX_TOLERANCE"]

# JAX and the generated code evaluate different but equal formulas in float64: a few
# ulps of each intermediate, relative to max(1, |g'|) (the issue's bound).
JAX_TOLERANCE = 1e-10
# Central differences with h = 1e-5: truncation h^2 |g'''| / 6 ~ 1e-11 and rounding
# eps |g| / h ~ 1e-11 for formulas of moderate size on [-6, 6]; the bound.
FD_TOLERANCE = 1e-7
FD_STEP = 1e-5
# The complex step Im g(x + ih) / h with h = 1e-20 has no cancellation: only the
# rounding of g' itself, a few ulps; 1e-12 leaves room for a long formula's ulps.
COMPLEX_TOLERANCE = 1e-12
COMPLEX_STEP = 1e-20


def _points(kinks, size: int = 97):
    x = np.linspace(-6.0, 6.0, size) + 0.0123
    for c in kinks:
        x = x[np.abs(x - c) > 1e-3]
    return x


def _definition(component):
    from derive.symbols import unfold
    return unfold(component.entry.definition)


def _reference(component, modules):
    """The definition as a function of one array (the loss's labels as a second)."""
    from derive.symbols import a, y, z
    variables = z if component.kind == "activation" else (a, y)
    return sp.lambdify(variables, _definition(component), modules=modules)


def _data(component):
    """(x, generated derivative at x, the definition as a function of x alone,
    and the same for jax.numpy): Z for an activation, A = Y + offset for a loss."""
    if component.kind == "activation":
        x = _points(component.kinks)
        return x, component.g_prime(x), _reference(component, "numpy"), \
            _reference(component, "jax")
    offsets = _points(component.kinks)   # a loss's kinks are values of a - y
    Y = np.random.default_rng(0).normal(size=offsets.size)
    A = Y + offsets
    f, f_jax = _reference(component, "numpy"), _reference(component, "jax")
    return A, component.dz(A, Y), (lambda x: f(x, Y)), (lambda x: f_jax(x, Y))


def _relative(analytic, numeric) -> float:
    """The project's relative error ||g - g_num|| / (||g|| + ||g_num||)."""
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / denominator) if denominator else 0.0


def _central(x, analytic, f):
    with np.errstate(over="ignore", invalid="ignore"):
        numeric = (np.asarray(f(x + FD_STEP)) - np.asarray(f(x - FD_STEP))) / (2 * FD_STEP)
    return _relative(analytic, numeric), FD_TOLERANCE


def _complex(x, analytic, f):
    with np.errstate(over="ignore", invalid="ignore"):
        numeric = np.imag(np.asarray(f(x + 1j * COMPLEX_STEP))) / COMPLEX_STEP
    return _relative(analytic, numeric), COMPLEX_TOLERANCE


def _jax(x, analytic, f_jax):
    import jax
    import jax.numpy as jnp

    from . import jax_reference  # noqa: F401  (turns on float64 in JAX)
    # the sum's gradient is the elementwise derivative (each output reads one input)
    expected = np.asarray(jax.grad(lambda v: jnp.sum(f_jax(v)))(jnp.asarray(x)))
    error = float(np.max(np.abs(analytic - expected) / np.maximum(1.0, np.abs(expected))))
    return error, JAX_TOLERANCE


def generated_outputs(component, X, work) -> list:
    """What the generated functions of ``component`` give at the points ``X`` (1, n):
    g and g' pure and in place; for a loss dZ pure and in place at each probe label
    (derive.codegen_entry.PROBE_LABELS, the labels codegen probed its forms at)."""
    from derive.codegen_entry import PROBE_LABELS
    if component.kind == "activation":
        return [component.g(X), component.g_prime(X),
                component.g_into(X, np.empty_like(X), work),
                component.g_prime_into(X, np.empty_like(X), work)]
    outs = []
    for label in PROBE_LABELS:
        Y = np.full_like(X, label)
        outs += [component.dz(X, Y), component.dz_into(X, Y, np.empty_like(X), work)]
    return outs


def _finite(component) -> tuple[bool, str]:
    """The generated functions at |z| up to 1000 in float32 and float64 (the points
    codegen probed, derive.stepwise.stable.PROBE_POINTS): finite, no overflow or invalid
    operation inside, dtype kept (underflow to 0 is exact rounding)."""
    from derive.stepwise.stable import PROBE_POINTS
    from numeric.workspace import Workspace
    for dtype in (np.float32, np.float64):
        X = np.asarray(PROBE_POINTS, dtype=dtype).reshape(1, -1)
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                outs = generated_outputs(component, X, Workspace())
        except FloatingPointError as exc:
            return False, f"{np.dtype(dtype).name}: {exc}"
        for out in outs:
            if not np.all(np.isfinite(out)) or out.dtype != dtype:
                return False, f"{np.dtype(dtype).name}: not finite or not {np.dtype(dtype).name}"
    return True, ""


def _derivation_rows(component):
    for d in component.derivations:
        proofs = d.extra.get("step_proofs", ())
        lines = f", {sum(p.holds for p in proofs)}/{len(proofs)} lines" if proofs else ""
        holds = d.proof.holds and all(p.holds for p in proofs)
        yield MatrixRow("derivation", f"{d.name} ({component.kind}){lines}",
                        "symbolic+spot" if d.proof.symbolic else "spot check",
                        d.proof.spot_check_max_error, "pass" if holds else "fail")


def custom_rows(component, progress=None) -> list:
    """Every row of one component (see the module docstring); ``progress(row)`` is called
    as each one is done."""
    rows = []

    def emit(row):
        rows.append(row)
        if progress:
            progress(row)

    for row in _derivation_rows(component):
        emit(row)
    what = "g'" if component.kind == "activation" else "dZ"
    label = f"{component.name}: {what} vs the definition"
    x, analytic, f, f_jax = _data(component)
    checks = [("central", lambda: _central(x, analytic, f))]
    if component.analytic:
        checks.append(("complex", lambda: _complex(x, analytic, f)))
    checks.append(("jax", lambda: _jax(x, analytic, f_jax)))
    for method, check in checks:
        start = time.perf_counter()
        error, tolerance = check()
        emit(MatrixRow("custom", label, method, error,
                       "pass" if np.isfinite(error) and error < tolerance else "fail",
                       time.perf_counter() - start))
    ok, note = _finite(component)
    emit(MatrixRow("custom", f"{component.name}: finite at |z| <= 1000"
                   + (f" ({note})" if note else ""), "float32+float64", 0.0,
                   "pass" if ok else "fail"))
    for row in _network_rows(component):
        emit(row)
    return rows


def _network_rows(component):
    """The quick matrix's networks for one component (see the module docstring)."""
    if component.kind == "activation":
        configs = [(component, *head.partition("+")[::2], head) for head in OUTPUTS]
    else:
        configs = [(hidden, "linear", component, f"linear+{component.name}")
                   for hidden in HIDDEN]
    for n, (hidden, output, loss, head) in enumerate(configs):
        variant, lambd, keep_prob = VARIANTS[n % len(VARIANTS)]
        label = hidden if isinstance(hidden, str) else hidden.name
        yield from network_rows(n, (4, 5, 3), 6, hidden, output, loss or None, "he",
                                variant, lambd, keep_prob, f"{label}/{head}/he/{variant}")
