"""8, 9. L2 regularization (cost and gradient) and inverted dropout (expectation, backward).

The L2 formulas are proved on explicit small weight matrices, the dropout backward on
explicit entries with a generic downstream loss, each differentiated with ``sp.diff``;
the dropout expectation is computed over the two outcomes of the Bernoulli mask (and
with ``sympy.stats``).
"""

from __future__ import annotations

import sympy as sp
from sympy import stats

from ..latex import as_written, to_latex
from ..record import derivation
from ..symbols import keep_prob, lambd, m
from .layer import n_l, n_prev, named, partials_at, symbol_matrix
from .layer import W as W_code

__all__ = ["build"]

SOURCE_L2 = "note 001, L2 Regularization and Backpropagation With Regularization"
SOURCE_DROPOUT = ("note 001, Forward Propagation with Dropout and Backpropagation with "
                  "Dropout")

# Names the generated code uses (``lambda`` is a Python keyword, hence ``lambd``).
lambd_code = sp.Symbol("lambd", nonnegative=True)
keep_prob_code = sp.Symbol("keep_prob", positive=True)
dW_code = sp.MatrixSymbol("dW", n_l, n_prev)
D_code = sp.MatrixSymbol("D", n_l, m)
dA_dropped_code = sp.MatrixSymbol("dA_dropped", n_l, m)

_RANGES = {m: (1, 10), lambd: (0, 3), keep_prob: (0.05, 1)}
_J = sp.Symbol("J", real=True)
j, k, l = sp.symbols("j k l", integer=True, positive=True)
_W = sp.IndexedBase(r"W^{[l]}")


def _frobenius_squared(W: sp.Matrix):
    """||W||_F^2 = trace(W^T W): the definition of the Frobenius norm."""
    return (W.T * W).trace()


def l2_cost():
    """J_reg = J + lambda/(2m) sum_l ||W^[l]||_F^2, on a network with two weight matrices."""
    W1, W2 = symbol_matrix("W^{[1]}", 2, 2), symbol_matrix("W^{[2]}", 1, 2)
    J_reg = sp.Symbol(r"J_{\mathrm{reg}}")
    generic = _J + lambd / (2 * m) * sp.Sum(sp.Symbol(r"\|W^{[l]}\|_F^2"), (l, 1, sp.Symbol("L")))
    norm_sum = _frobenius_squared(W1) + _frobenius_squared(W2)
    # Unevaluated, to show the notes' (1/m)(lambda/2) sum_l sum_k sum_j form.
    notes_form = sp.Add(_J, sp.Mul(1 / m, lambd / 2, sp.Add(*(w ** 2 for W in (W1, W2) for w in W)),
                                   evaluate=False), evaluate=False)
    as_written(notes_form)
    return derivation(
        name="l2_cost",
        title=r"The L2-regularized cost",
        source=SOURCE_L2,
        summary=(
            r"L2 regularization adds the squared Frobenius norms of the weight matrices, "
            r"scaled by $\lambda/(2m)$, to the cost: large weights cost more, which "
            r"smooths the decision boundary. The Frobenius norm squared is the sum of the "
            r"squared entries, \texttt{np.sum(np.square(W))}."
        ),
        definition=[
            (J_reg, generic),
            (sp.Symbol(r"\|W^{[l]}\|_F^2"), sp.Symbol(r"\operatorname{tr}(W^{[l]T} W^{[l]})")),
        ],
        steps=[
            (sp.Symbol(r"\operatorname{tr}(W^{[l]T} W^{[l]})"),
             sp.Sum(sp.Sum(_W[j, k] ** 2, (k, 1, sp.Symbol(r"n^{[l-1]}"))),
                    (j, 1, sp.Symbol(r"n^{[l]}"))),
             r"diagonal entry $k$ of $W^T W$ is $\sum_j W_{j,k}^2$"),
            (J_reg, _J + lambd / (2 * m) * norm_sum,
             r"two layers, $W^{[1]}$: $2 \times 2$ and $W^{[2]}$: $1 \times 2$; "
             r"$\|W\|_F^2 = \operatorname{tr}(W^T W)$ expanded by SymPy"),
        ],
        result=(J_reg, _J + lambd / (2 * m) * norm_sum),
        textbook=(J_reg, notes_form),
        method="expand",
        ranges=_RANGES,
        assumptions=(r"$J$ is the unregularized cost (cross-entropy in the notes); the sum "
                     r"runs over the weight matrices of all layers, not over the biases.",),
        remarks=(
            r"The notes write the factor as $\frac{1}{m}\frac{\lambda}{2}$, which is "
            r"$\frac{\lambda}{2m}$.",
            r"Note 001 names the indices $W^{[l]}_{j,k}$ in the cost and $W^{[l]}_{k,j}$ in "
            r"the implementation note; both sum every entry once, so the order is harmless.",
        ),
    )


def l2_gradient():
    """dW_reg = dW + (lambda/m) W, by sp.diff on an explicit 2x3 W."""
    W = symbol_matrix("W", 2, 3)
    dW = symbol_matrix("dW", 2, 3)
    J = sp.Function("J", real=True)
    names = partials_at(J, list(W), list(dW))    # dJ/dW_{jk} -> dW_{j,k}
    J_reg = J(*W) + lambd / (2 * m) * _frobenius_squared(W)
    derived = W.applyfunc(lambda w: named(sp.diff(J_reg, w), names))
    dW_reg = sp.Symbol(r"dW^{[l]}_{\mathrm{reg}}")
    return derivation(
        name="l2_gradient",
        title=r"The gradient of the L2 term: $dW \mathrel{+}= \frac{\lambda}{m} W$",
        source=SOURCE_L2,
        summary=(
            r"Each entry of $W^{[l]}$ appears squared once in the penalty, so the penalty "
            r"adds $\frac{\lambda}{2m} \cdot 2 W^{[l]}_{j,k}$ to its derivative: "
            r"backpropagation runs unchanged and $\frac{\lambda}{m} W^{[l]}$ is added to "
            r"$dW^{[l]}$ (``weight decay''). The biases are not affected."
        ),
        definition=[(sp.Symbol(r"J_{\mathrm{reg}}"),
                     sp.Symbol(r"J(W) + \frac{\lambda}{2m} \sum_{j,k} W_{j,k}^2")),
                    (sp.Symbol(r"dW_{j,k}"), sp.Symbol(r"\frac{\partial J}{\partial W_{j,k}}"))],
        steps=[
            (dW_reg, sp.Symbol(r"\frac{\partial J_{\mathrm{reg}}}{\partial W}"),
             r"differentiate entry by entry (explicit $2 \times 3$ matrix)"),
            (None, derived, r"\texttt{sp.diff}; $\partial J/\partial W_{j,k}$ named $dW_{j,k}$"),
        ],
        result=(dW_reg, derived),
        textbook=(dW_reg, dW + (lambd / m) * W),
        method="expand",
        ranges=_RANGES,
        assumptions=(r"$dW$ is the gradient of the unregularized cost $J$, computed by "
                     r"backpropagation as before.",),
        remarks=(
            r"Note 001 writes the derivative as $\frac{d}{dW}(\frac{1}{2}\frac{\lambda}{m}W^2) "
            r"= \frac{\lambda}{m}W$, with $W^2$ standing for the sum of the squared entries; "
            r"the result agrees.",
            r"Gradient descent then multiplies $W$ by $1 - \alpha\lambda/m$ before the usual "
            r"step, hence the name weight decay.",
        ),
        extra={"matrix_form": dW_code + (lambd_code / m) * W_code,
               "arguments": (dW_code, W_code, lambd_code, m),
               "shapes": {"dW": "(n_l, n_prev)"}},
    )


def dropout_expectation():
    """E[D a / keep_prob] = a for D ~ Bernoulli(keep_prob)."""
    a = sp.Symbol("a", real=True)
    D = stats.Bernoulli("D", keep_prob)
    E_sym = sp.Symbol(r"\mathbb{E}\left[\frac{D a}{p_{keep}}\right]")
    # Kept unevaluated so that the report shows the sum over the two outcomes.
    by_outcomes = sp.Add(sp.Mul(keep_prob, a / keep_prob, evaluate=False),   # D = 1
                         sp.Mul(1 - keep_prob, sp.S.Zero, evaluate=False),    # D = 0
                         evaluate=False)
    variance = sp.factor(stats.variance(D * a / keep_prob))
    variance_shown = a ** 2 * (1 - keep_prob) / keep_prob  # the same, without the minus
    if sp.simplify(variance - variance_shown) != 0:
        raise ArithmeticError("the variance of the dropped activation is misprinted")
    by_stats = stats.E(D * a / keep_prob)
    return derivation(
        name="dropout_expectation",
        title=r"Inverted dropout keeps the expected activation",
        source=SOURCE_DROPOUT,
        summary=(
            r"Inverted dropout keeps each activation with probability $p_{keep}$ and "
            r"divides the kept ones by $p_{keep}$. In expectation over the mask the "
            r"activation is unchanged, so the next layer sees inputs of the same scale in "
            r"training and at test time, where dropout is off."
        ),
        definition=[(sp.Symbol("D"), sp.Symbol(r"\operatorname{Bernoulli}(p_{keep})")),
                    (sp.Symbol(r"\tilde a"), sp.Symbol("D") * a / keep_prob)],
        steps=[
            (E_sym, by_outcomes,
             r"expectation over the two outcomes: $D = 1$ (value $a/p_{keep}$) with "
             r"probability $p_{keep}$, $D = 0$ (value $0$) otherwise"),
            (None, sp.simplify(by_outcomes), r"$p_{keep}$ cancels; the second term is $0$"),
        ],
        result=(E_sym, by_stats),
        textbook=(E_sym, a),
        method="simplify",
        ranges=_RANGES,
        assumptions=(r"$0 < p_{keep} \le 1$; the mask entry $D$ is drawn independently of "
                     r"the activation $a$ (here $a$ is held fixed).",),
        remarks=(
            r"The result is computed independently by \texttt{sympy.stats.E}, with $D$ a "
            r"Bernoulli random variable; the proof compares it with $a$.",
            r"The variance is not preserved: $\operatorname{Var}(D a/p_{keep}) = %s$, "
            r"which is zero only for $p_{keep} = 1$." % to_latex(variance_shown),
            r"Without the division (plain dropout) the expectation is $p_{keep}\,a$, and the "
            r"activations would have to be rescaled at test time instead.",
        ),
        extra={"variance": variance},
    )


def dropout_backward():
    """dA = D * dA_dropped / keep_prob, elementwise, with the forward pass's mask."""
    A = symbol_matrix("A", 2, 3)
    D = symbol_matrix("D", 2, 3, integer=True, nonnegative=True)
    dA_dropped = symbol_matrix(r"d\tilde{A}", 2, 3)
    A_dropped = D.multiply_elementwise(A) / keep_prob
    L = sp.Function("L", real=True)  # generic loss of every dropped activation
    names = partials_at(L, list(A_dropped), list(dA_dropped))
    derived = A.applyfunc(lambda e: named(sp.diff(L(*A_dropped), e), names))
    dA = sp.Symbol("dA")
    ranges = dict(_RANGES)
    ranges.update({d: (0, 1) for d in D})   # a mask: each entry 0 or 1
    return derivation(
        name="dropout_backward",
        title=r"Backward pass through inverted dropout",
        source=SOURCE_DROPOUT,
        summary=(
            r"The forward pass multiplies each activation by the constant "
            r"$D_{j,i}/p_{keep}$, so its derivative is that constant: the gradient arriving "
            r"at the dropped activations is multiplied by the same mask and divided by "
            r"$p_{keep}$. Dropped units receive no gradient."
        ),
        definition=[(sp.Symbol(r"\tilde{A}"), sp.Symbol(r"D \odot A / p_{keep}")),
                    (sp.Symbol(r"d\tilde{A}_{j,i}"), sp.Symbol(
                        r"\frac{\partial \mathcal{L}}{\partial \tilde{A}_{j,i}}"))],
        steps=[
            (dA, sp.Symbol(r"\frac{\partial \mathcal{L}(\tilde A(A))}{\partial A}"),
             r"the loss depends on $A$ only through $\tilde{A}$ (explicit $2 \times 3$ entries)"),
            (None, derived,
             r"\texttt{sp.diff}; chain rule with $\partial \tilde{A}_{j,i}/\partial A_{j,i} "
             r"= D_{j,i}/p_{keep}$"),
        ],
        result=(dA, derived),
        textbook=(dA, D.multiply_elementwise(dA_dropped) / keep_prob),
        method="expand",
        ranges=ranges,
        assumptions=(r"$D$ is the mask drawn in the forward pass (entries $0$ or $1$), held "
                     r"fixed in the backward pass; $\mathcal{L}$ is any differentiable "
                     r"function of the dropped activations $\tilde{A}$.",),
        remarks=(
            r"Note 001 says to divide ``the remaining values in the activation matrix'' by "
            r"$p_{keep}$ in the backward pass; it is the gradient $dA$ (after multiplying by "
            r"the mask) that is divided, and with the same mask as the forward pass. "
            r"Dividing the activations again, or drawing a new mask, gives a wrong gradient.",
        ),
        extra={"matrix_form": sp.HadamardProduct(D_code, dA_dropped_code) / keep_prob_code,
               "arguments": (dA_dropped_code, D_code, keep_prob_code),
               "shapes": {"dA": "(n_l, m)"}},
    )


def build():
    return [l2_cost(), l2_gradient(), dropout_expectation(), dropout_backward()]
