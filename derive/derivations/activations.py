"""2. Derivatives of the activations: sigmoid, tanh, ReLU, leaky ReLU."""

from __future__ import annotations

import sympy as sp

from ..record import derivation
from ..symbols import alpha, leaky_relu, relu, sigma, z

_U = sp.UnevaluatedExpr

SOURCE_SIGMOID = r"note 001, Forward Propagation (sigmoid); note 002 ($f' = f(1 - f)$)"
SOURCE_HIDDEN = (
    r"note 001, Backward Propagation ($g'^{[l]}$ for any hidden activation); "
    r"the notes give no formula for tanh, ReLU or leaky ReLU"
)

# The value chosen for the derivative at the kink z = 0, where ReLU and leaky ReLU are
# not differentiable. Any value in [0, 1] (resp. [alpha, 1]) is a valid subgradient;
# 0 matches what PyTorch and JAX return, so the cross-checks agree at z = 0 exactly.
KINK_REMARK = (
    r"The result is written with the indicator $\mathbf{1}[z > 0]$, which is $0$ at "
    r"$z = 0$. The unit step of many computer-algebra systems (SymPy's among them) is "
    r"$\tfrac{1}{2}$ at $0$; the indicator keeps half-valued points out of the "
    r"generated code."
)


def sigmoid_derivative():
    s = 1 / (1 + sp.exp(-z))
    ds = sp.Derivative(sigma(z), z)
    return derivation(
        name="sigmoid_derivative",
        title=r"Derivative of the sigmoid",
        source=SOURCE_SIGMOID,
        summary=(
            r"The sigmoid squashes a pre-activation into $(0, 1)$. Its derivative can be "
            r"written through the sigmoid itself, which is why backpropagation through a "
            r"sigmoid unit needs only the cached activation."
        ),
        definition=[(sigma(z), s)],
        steps=[
            (ds, sp.diff(s, z), r"quotient rule on $(1 + e^{-z})^{-1}$"),
            # UnevaluatedExpr keeps the two factors apart on display; SymPy would merge them
            (None, _U(s) * _U(sp.exp(-z) / (1 + sp.exp(-z))),
             r"split the fraction"),
            (None, _U(s) * (1 - _U(s)),
             r"$\frac{e^{-z}}{1 + e^{-z}} = 1 - \frac{1}{1 + e^{-z}}$"),
            (None, sigma(z) * (1 - sigma(z)), r"definition of $\sigma$"),
        ],
        result=ds,
        textbook=(ds, sigma(z) * (1 - sigma(z))),
        derived=sp.diff(s, z),
        method="simplify",
        ranges={z: (-20, 20)},
    )


def tanh_derivative():
    """d tanh/dz = 1 - tanh^2, from the exponential definition by the quotient rule."""
    plus, minus = sp.exp(z) + sp.exp(-z), sp.exp(z) - sp.exp(-z)
    t = minus / plus
    dt = sp.Derivative(sp.tanh(z), z)
    return derivation(
        name="tanh_derivative",
        title=r"Derivative of the hyperbolic tangent",
        source=SOURCE_HIDDEN,
        summary=(
            r"The hyperbolic tangent maps a pre-activation into $(-1, 1)$ and is zero-centred. "
            r"Like the sigmoid, its derivative is a polynomial in the activation itself, "
            r"$1 - \tanh^2(z)$, so the backward pass reuses the cached $a = \tanh(z)$."
        ),
        definition=[(sp.tanh(z), t)],
        steps=[
            (dt, (sp.Mul(plus, plus, evaluate=False) - sp.Mul(minus, minus, evaluate=False))
             / sp.Pow(plus, 2, evaluate=False),
             r"quotient rule: $(e^{z} - e^{-z})' = e^{z} + e^{-z}$ and "
             r"$(e^{z} + e^{-z})' = e^{z} - e^{-z}$"),
            (None, 1 - minus**2 / plus**2, r"split the fraction"),
            (None, 1 - sp.tanh(z) ** 2, r"the definition of $\tanh$, squared"),
        ],
        result=dt,
        textbook=(dt, 1 - sp.tanh(z) ** 2),
        derived=sp.diff(t, z),
        method="trigsimp",
        ranges={z: (-10, 10)},
        remarks=(
            r"Calculus tables write the same derivative as $\operatorname{sech}^2 z = "
            r"1/\cosh^2 z$; $1 - \tanh^2 z$ is the form that reuses the activation.",
        ),
    )


def _piecewise_step_method():
    """Proof method for results written with the unit step: compare branch by branch.

    ``Heaviside(z, 0)`` rewrites to ``Piecewise((0, z <= 0), (1, True))``; folding the
    difference into one Piecewise and simplifying each branch must give 0 everywhere,
    including the branch that holds the kink z = 0.
    """
    def transform(difference):
        folded = sp.piecewise_fold(difference.rewrite(sp.Piecewise))
        return sp.simplify(folded)

    return ("piecewise_fold(rewrite(result - textbook, Piecewise)) = 0 on every branch, "
            "z = 0 included", transform)


def relu_derivative():
    """ReLU'(z) = 1[z > 0], with the value 0 chosen at the kink."""
    defined = sp.Piecewise((z, z > 0), (0, True))
    d = sp.Derivative(relu(z), z)
    derived = sp.diff(defined, z)  # SymPy differentiates each branch: 1 if z > 0 else 0
    # The same function with the branch z <= 0 named, so that it prints as two cases
    # (the indicator form is the result).
    by_branch = sp.Piecewise((1, z > 0), (0, z <= 0), evaluate=False)
    if sp.piecewise_fold(derived - by_branch).rewrite(sp.Piecewise).simplify() != 0:
        raise ArithmeticError("the branchwise derivative of ReLU is not 1 / 0")
    return derivation(
        name="relu_derivative",
        title=r"Derivative of the rectified linear unit",
        source=SOURCE_HIDDEN,
        summary=(
            r"ReLU passes positive pre-activations unchanged and zeroes the rest, so its "
            r"derivative is $1$ for $z > 0$ and $0$ for $z < 0$. At the kink $z = 0$ it has "
            r"no derivative; we choose $0$ there."
        ),
        definition=[(relu(z), defined)],
        steps=[
            (d, by_branch, r"differentiate each branch: $\frac{d}{dz} z = 1$, "
                           r"$\frac{d}{dz} 0 = 0$; at $z = 0$ take the branch $z \le 0$"),
            (None, sp.Heaviside(z, 0), r"the same function written as an indicator"),
        ],
        result=(d, sp.Heaviside(z, 0)),
        textbook=(d, by_branch),
        method=_piecewise_step_method(),
        ranges={z: (-5, 5)},
        assumptions=(
            r"At $z = 0$, where ReLU has no derivative, we define $\mathrm{ReLU}'(0) = 0$ "
            r"(a valid subgradient; the value PyTorch and JAX use).",
        ),
        remarks=(KINK_REMARK,),
    )


def leaky_relu_derivative():
    """LeakyReLU'(z) = alpha + (1 - alpha) 1[z > 0], with alpha chosen at the kink."""
    defined = sp.Piecewise((z, z > 0), (alpha * z, True))
    d = sp.Derivative(leaky_relu(z), z)
    derived = sp.diff(defined, z)  # 1 if z > 0 else alpha
    step = sp.Heaviside(z, 0)
    return derivation(
        name="leaky_relu_derivative",
        title=r"Derivative of the leaky ReLU",
        source=SOURCE_HIDDEN,
        summary=(
            r"Leaky ReLU keeps a small slope $\alpha$ for negative pre-activations, so "
            r"units never stop passing gradient. Its derivative is $1$ for $z > 0$ and "
            r"$\alpha$ for $z < 0$; written with an indicator it needs no branch."
        ),
        definition=[(leaky_relu(z), defined)],
        steps=[
            (d, derived, r"differentiate each branch: $\frac{d}{dz} z = 1$, "
                         r"$\frac{d}{dz} \alpha z = \alpha$; "
                         r"at $z = 0$ take the branch $z \le 0$"),
            (None, sp.Add(alpha * (1 - step), step, evaluate=False),
             r"select the branch with the indicator $\mathbf{1}[z > 0]$"),
            (None, alpha + (1 - alpha) * step, r"collect the terms in the indicator"),
        ],
        result=(d, alpha + (1 - alpha) * step),
        textbook=(d, derived),
        method=_piecewise_step_method(),
        ranges={z: (-5, 5), alpha: (0.001, 0.5)},
        assumptions=(
            r"$0 < \alpha < 1$.",
            r"At $z = 0$, where leaky ReLU has no derivative, we define its derivative "
            r"to be $\alpha$, the left slope (as for ReLU, where it is $0$).",
        ),
        remarks=(KINK_REMARK,),
    )


def build():
    return [sigmoid_derivative(), tanh_derivative(), relu_derivative(), leaky_relu_derivative()]
