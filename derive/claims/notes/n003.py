"""Note 003, "Overview of Steps for Neural Networks": its code, line by line and as a whole.

The note's formulas were images and did not survive in its text; what is left to check
is the code (one example, ``x`` of shape (2, 1); sigmoid hidden and output layers;
cross-entropy loss). Each formula line of ``fprop``/``bprop`` is checked against SymPy's
``diff`` on the same network; then the whole fragment is run under Python 3 as it is
(what fails, and why), and, fixed, as the gradient check it was written to be.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from ..builders import numeric
from ..check import fails, holds
from ..netchecks import layer_grad, two_layer
from ..record import Counterexample, code_text, latex_text
from ..snippets import gradient_check, python3_failures
from ._make import claim

__all__ = ["CLAIMS", "GRADCHECK_TOLERANCE"]

GRADCHECK_TOLERANCE = 1e-7
S = "Coding Backward Propagation"


def _tt(code: str) -> str:
    return r"\text{\texttt{" + latex_text(code) + "}}"


def _sigmoid_line():
    sigmoid = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731  (the note's line)
    z = np.linspace(-6, 6, 25)
    exact = [float(1 / (1 + sp.exp(-sp.Float(t, 30)))) for t in z]
    err = float(np.max(np.abs(sigmoid(z) - exact)))
    return err < 1e-15, f"largest difference from 1/(1+e^-z) on [-6, 6]: {err:.1e}"


def _fprop():
    n = two_layer(1)
    p = {k: np.array(sp.N(n.at(v)), dtype=float) for k, v in n.params.items()}
    x, y = np.array(n.X, dtype=float), int(n.Y[0, 0])
    sigmoid = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    z1 = np.dot(p["W1"], x) + p["b1"]
    a1 = sigmoid(z1)
    z2 = np.dot(p["W2"], a1) + p["b2"]
    a2 = sigmoid(z2)
    loss = -(y * np.log(a2) + (1 - y) * np.log(1 - a2))
    exact = float(sp.N(n.at(n.J), 30))
    return abs(loss.item() - exact) < 1e-14, f"loss {loss.item():.15g}, SymPy {exact:.15g}"


def _as_written():
    stages = python3_failures()
    if not stages:
        return holds("Python 3 run", "runs as written")
    first_error, first_cause = stages[0]
    later = "; then ".join(f"{code_text(e)} ({code_text(c)})" for e, c in stages[1:])
    return fails("Python 3 run", f"{len(stages)} successive failures",
                 Counterexample((), r"\text{" + code_text(first_error) + "}",
                                r"\text{runs}",
                                note=f"Cause: {code_text(first_cause)}. Fixed one at a "
                                     f"time, the next failures are: {later}."))


def _gradcheck():
    errors = gradient_check()
    worst = max(errors.values())
    detail = ", ".join(f"{k}: {v:.1e}" for k, v in errors.items())
    ok = worst < GRADCHECK_TOLERANCE
    return ok, f"fixed fragment, relative errors {detail} (all below {GRADCHECK_TOLERANCE:g})"


# The fixes: code in typewriter type, the words around it in roman.
_FIXES = r";\ ".join(r"\text{" + code_text(fix) + "}" for fix in (
    "`print(key)`", "`import numpy as np`", "`range` for `xrange`", "`from copy import copy`",
    "`ng[j, k] = (...).item()`"))

CLAIMS = (
    claim("N3-01", S, _tt("sigmoid = lambda x: 1 / (1 + np.exp(-x))"),
          numeric(_sigmoid_line, "NumPy vs SymPy"), kind="code",
          reference="sigmoid_derivative", source="sigmoid = lambda x: 1 / (1 + np.exp(-x))"),
    claim("N3-02", S, _tt("z1 = np.dot(W1, x) + b1; a1 = sigmoid(z1); z2 = np.dot(W2, a1) "
                          "+ b2; a2 = sigmoid(z2); loss = -(y * np.log(a2) + (1-y) * "
                          "np.log(1-a2))"),
          numeric(_fprop, "NumPy vs SymPy"), kind="code", source="z1 = np.dot(W1, x) + b1"),
    claim("N3-03", S, _tt("dz2 = (a2 - y)"), layer_grad("dZ2", 1), kind="code",
          reference="bce_sigmoid_dz", source="dz2 = (a2 - y)"),
    claim("N3-04", S, _tt("dW2 = np.dot(dz2, a1.T)"), layer_grad("dW2", 1), kind="code",
          source="dW2 = np.dot(dz2, a1.T)"),
    claim("N3-05", S, _tt("db2 = dz2"), layer_grad("db2", 1), kind="code",
          reading=r"One example ($x$ is $2 \times 1$); for $m > 1$ it would need the sum "
                  r"over columns.", source="db2 = dz2"),
    claim("N3-06", S, _tt("dz1 = np.dot(fprop_cache['W2'].T, dz2); dz1 = dz1 * sigmoid(z1) "
                          "* (1-sigmoid(z1))"), layer_grad("dZ1", 1), kind="code",
          source="dz1 = dz1 * sigmoid(z1) * (1-sigmoid(z1))"),
    claim("N3-07", S, _tt("dW1 = np.dot(dz1, x.T)"), layer_grad("dW1", 1), kind="code",
          source="dW1 = np.dot(dz1, x.T)"),
    claim("N3-08", S, _tt("db1 = dz1"), layer_grad("db1", 1), kind="code",
          reading=r"One example, as N3-05.", source="db1 = dz1"),
    claim("N3-09", S, _tt("# Gradient checking (the whole fragment, run as written)"),
          _as_written, kind="code",
          correct=_FIXES,
          why=r"Python 2 code: it does not compile under Python 3 (print statement), and "
              r"fixed step by step it still lacks its imports and uses xrange; recent "
              r"NumPy also refuses to store the $(1, 1)$ loss in a scalar slot.",
          source="for k in xrange(ng.shape[1]):"),
    claim("N3-10", S, _tt("# These should be the same: print(bprop_cache[key]); "
                          "print(ng_cache[key])"),
          numeric(_gradcheck, "gradient check (central differences, eps = 1e-6)"),
          kind="code", reading=r"After the fixes of N3-09.",
          why=r"The backprop of the note agrees with central differences.",
          source="# These should be the same"),
)
