"""Checks shared by several notes: layer gradients, the four backprop equations,
gradient-descent steps and the optimizers' moving averages.

Each function returns a zero-argument check (see :mod:`derive.claims.builders`). Ground
truth is always SymPy's ``diff`` on an explicit network of :mod:`derive.claims.models`.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from .builders import at_point, describe, once
from .check import check_identity
from .models import MSENet, TwoLayer, grad

__all__ = ["two_layer", "two_layer_inputs", "layer_grad", "label_grad", "mse_net", "bp", "descent_step",
           "ema_unrolled", "adam_constant_gradient", "rmsprop_scale_free"]


@cache
def two_layer(m: int) -> TwoLayer:
    return TwoLayer(n_x=2 if m == 1 else 3, n_h=2, n_y=1, m=m, seed=m)


def two_layer_inputs(m: int) -> tuple[tuple[str, str], ...]:
    n = two_layer(m)
    return (("n_x", str(n.X.rows)), ("n^{[1]}", "2"), ("n^{[2]}", "1"), ("m", str(m)))


def _dZ1(n: TwoLayer) -> sp.Matrix:
    sp1 = n.at(n.A1).applyfunc(lambda a: a * (1 - a))
    return (n.at(n.params["W2"]).T * n.dZ2()).multiply_elementwise(sp1)


@cache
def layer_grad(which: str, m: int, scale=None, sum_np: bool = False):
    """The note's formula for ``which`` on the two-layer sigmoid/BCE network vs ``diff``.

    ``which``: dZ2, dW2, db2, dZ1, dW1, db1, dA1. The formula uses (1/m) unless
    ``scale`` overrides it; ``sum_np`` computes the bias sums with NumPy's
    ``np.sum(dZ, axis=1, keepdims=True)`` as the note writes them.
    """
    n = two_layer(m)
    k = sp.Rational(1, m) if scale is None else scale

    def db(dZ):
        if sum_np:
            import numpy as np
            return sp.Matrix(np.sum(np.array(sp.N(dZ, 20), dtype=float), axis=1,
                                    keepdims=True)) * k
        return dZ * sp.ones(m, 1) * k

    formulas = {
        "dZ2": (lambda: n.at(n.A2) - n.Y, n.dZ2),
        "dW2": (lambda: k * n.dZ2() * n.at(n.A1).T, lambda: n.truth("W2")),
        "db2": (lambda: db(n.dZ2()), lambda: n.truth("b2")),
        "dZ1": (lambda: _dZ1(n), n.dZ1),
        "dW1": (lambda: k * _dZ1(n) * n.X.T, lambda: n.truth("W1")),
        "db1": (lambda: db(_dZ1(n)), lambda: n.truth("b1")),
        "dA1": (lambda: n.at(n.params["W2"]).T * n.dZ2(), n.dA1),
    }
    written, correct = formulas[which]
    return once(at_point(written, correct, two_layer_inputs(m),
                         method="numeric, two-layer network vs diff"))


@cache
def label_grad(which: str, m: int):
    """Literal reading of a label ``dL/dW``: the summed loss, m times the cost J."""
    n = two_layer(m)
    name = {"dW2": "W2", "dW1": "W1"}[which]
    A = (lambda: n.at(n.A1)) if name == "W2" else (lambda: n.X)
    dZ = n.dZ2 if name == "W2" else (lambda: _dZ1(n))
    check = at_point(lambda: m * n.truth(name), lambda: dZ() * A().T / m,
                     two_layer_inputs(m), method="numeric, two-layer network vs diff")
    layer = name[1]
    note = (rf"As written: the label $\partial\mathcal{{L}}/\partial W^{{[{layer}]}}$, with "
            rf"$\mathcal{{L}}$ the loss summed over the examples (the loss whose derivative "
            rf"$dZ$ is); correct: the value, $dW^{{[{layer}]}} = \partial J/\partial "
            rf"W^{{[{layer}]}}$.")
    return once(lambda: describe(check(), (), note))


@cache
def mse_net() -> MSENet:
    return MSENet()


_MSE_INPUTS = (("n_{\\mathrm{in}}", "3"), ("n_{\\mathrm{hidden}}", "3"),
               ("n_{\\mathrm{out}}", "2"))


@cache
def bp(which: str):
    """The four backprop equations on the one-example MSE network vs ``diff``.

    ``which``: ``delta_out`` (BP1), ``delta_hidden`` (BP2), ``db`` (BP3, both layers),
    ``dW`` (BP4, both layers, as delta times the incoming activation transposed),
    ``dW_entry`` (BP4 entrywise: a_k delta_j).
    """
    n = mse_net()

    def d_out():
        return (n.at(n.a_o) - n.y).multiply_elementwise(n.at(n.sigma_prime(n.z_o)))

    def d_hidden():
        return (n.at(n.W_o).T * d_out()).multiply_elementwise(n.at(n.sigma_prime(n.z_h)))

    def stack(*ms):
        return sp.Matrix.vstack(*[mm.reshape(len(mm), 1) for mm in ms])

    def dW_entries():
        h = n.at(n.h)
        return sp.Matrix(n.W_o.rows, n.W_o.cols, lambda j, k: h[k] * d_out()[j])

    formulas = {
        "delta_out": (d_out, n.dC_dz_o),
        "delta_hidden": (d_hidden, n.dC_dz_h),
        "db": (lambda: stack(d_out(), d_hidden()),
               lambda: stack(n.at(grad(n.C, n.b_o)), n.at(grad(n.C, n.b_h)))),
        "dW": (lambda: stack(d_out() * n.at(n.h).T, d_hidden() * n.x.T),
               lambda: stack(n.at(grad(n.C, n.W_o)), n.at(grad(n.C, n.W_h)))),
        "dW_entry": (dW_entries, lambda: n.at(grad(n.C, n.W_o))),
    }
    written, correct = formulas[which]
    return once(at_point(written, correct, _MSE_INPUTS,
                         method="numeric, one-example MSE network vs diff"))


@cache
def descent_step(step: str = "alpha"):
    """A gradient step decreases J to first order: d/dt J(theta - t g)|_0 = -|g|^2.

    ``step`` is the symbol multiplying the gradient; the check is on
    J = theta1^4 + theta1 theta2 + exp(theta2), a function with no special structure.
    """
    def check():
        t1, t2, t = sp.symbols("theta1 theta2 t", real=True)
        J = t1**4 + t1 * t2 + sp.exp(t2)
        g1, g2 = sp.diff(J, t1), sp.diff(J, t2)
        moved = J.subs({t1: t1 - t * g1, t2: t2 - t * g2}, simultaneous=True)
        slope = sp.diff(moved, t).subs(t, 0)
        return check_identity(slope, -(g1**2 + g2**2))
    return once(check)


@cache
def ema_unrolled(steps: int = 3):
    """``v_t = beta v_{t-1} + (1 - beta) g_t`` from ``v_0 = 0`` is the weighted average
    ``(1 - beta) sum_k beta^(t-k) g_k``."""
    def check():
        beta = sp.Symbol("beta", real=True)
        g = sp.symbols(f"g1:{steps + 1}", real=True)
        v = sp.Integer(0)
        for gk in g:
            v = beta * v + (1 - beta) * gk
        unrolled = (1 - beta) * sum(beta**(steps - k) * g[k - 1] for k in range(1, steps + 1))
        return check_identity(v, unrolled)
    return once(check)


@cache
def adam_constant_gradient(steps: int = 3):
    """With a constant gradient ``g``, the corrected moments are exactly ``g`` and
    ``g^2`` at every step ``t``, and the Adam step (epsilon = 0) is ``alpha sign(g)``."""
    def check():
        b1, b2, gg, alpha = sp.symbols("beta1 beta2 g alpha", real=True)
        v = s = sp.Integer(0)
        written, correct = [], []
        for t in range(1, steps + 1):
            v = b1 * v + (1 - b1) * gg
            s = b2 * s + (1 - b2) * gg**2
            v_hat, s_hat = v / (1 - b1**t), s / (1 - b2**t)
            written += [v_hat, s_hat, alpha * v_hat / sp.sqrt(s_hat)]
            correct += [gg, gg**2, alpha * sp.sign(gg)]
        return check_identity(sp.Matrix(written), sp.Matrix(correct),
                              domain={"beta1": (0, 1), "beta2": (0, 1)})
    return once(check)


@cache
def rmsprop_scale_free():
    """RMSprop's step (epsilon = 0) does not change when the gradients are scaled by
    c > 0, and for a constant gradient ``S_t = (1 - beta^t) g^2``."""
    def check():
        beta, gg, c, alpha = sp.symbols("beta g c alpha", real=True)
        s_g = s_cg = sp.Integer(0)
        written, correct = [], []
        for t in range(1, 4):
            s_g = beta * s_g + (1 - beta) * gg**2
            s_cg = beta * s_cg + (1 - beta) * (c * gg)**2
            written += [alpha * c * gg / sp.sqrt(s_cg), s_g]
            correct += [alpha * gg / sp.sqrt(s_g), (1 - beta**t) * gg**2]
        return check_identity(sp.Matrix(written), sp.Matrix(correct),
                              domain={"beta": (0, 1), "c": (0, 4)})
    return once(check)
