"""8, 9. L2 regularization (cost and gradient) and inverted dropout (expectation, backward).

The L2 cost and gradient (any number of layers, any layer l) and the dropout backward
pass (any layer size and m) are proved in index notation, SymPy differentiating
through sums of symbolic length; explicit small matrices are cross-checks under those
proofs. The dropout expectation is computed over the two outcomes of the Bernoulli
mask (and with SymPy's statistics module).
"""

from __future__ import annotations

import sympy as sp
from sympy import stats
from sympy.matrices.expressions.matexpr import MatrixElement

from ..latex import as_written, to_latex
from ..record import derivation, prove
from ..symbols import in_range_simplify, keep_prob, lambd, m
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


class LayerEntry(sp.Indexed):
    """Entry ``(j, k)`` of layer ``l``'s matrix, ``W[l, j, k]``, printed ``W^{[l]}_{j,k}``."""

    def _latex(self, printer, exp=None):
        layer, *rest = (printer._print(x).replace(" ", "") for x in self.indices)
        tex = rf"{printer._print(self.base)}^{{[{layer}]}}_{{{','.join(rest)}}}"
        # braced, so that a power is not a second superscript
        return "{" + tex + "}" if exp is None else rf"\left({tex}\right)^{{{exp}}}"


class LayerSize(sp.Indexed):
    """The number of units of a layer, ``n[l]``, printed ``n^{[l]}``."""

    def _latex(self, printer, exp=None):
        layer = printer._print(self.indices[0]).replace(" ", "")
        tex = rf"{printer._print(self.base)}^{{[{layer}]}}"
        return "{" + tex + "}" if exp is None else rf"\left({tex}\right)^{{{exp}}}"


_Wl = sp.IndexedBase("W", real=True)
_sizes = sp.IndexedBase("n", integer=True, positive=True)
_n, _n_prev = sp.symbols(r"n^{[l]} n^{[l-1]}", integer=True, positive=True)
_L = sp.Symbol("L", integer=True, positive=True)
_j2, _k2 = sp.symbols("j' k'", integer=True, positive=True)


def _layer_squares(l_, j_, k_):
    """sum_j sum_k (W^[l]_{j,k})^2, the sums innermost over k (columns), as in the notes.

    The sizes are entries of ``n`` (``n^{[l]}`` depends on the layer l summed over)."""
    return sp.Sum(LayerEntry(_Wl, l_, j_, k_) ** 2, (k_, 1, LayerSize(_sizes, l_ - 1)),
                  (j_, 1, LayerSize(_sizes, l_)))


def l2_cost():
    """J_reg = J + lambda/(2m) sum_l sum_j sum_k (W^[l]_{j,k})^2, for any number of layers."""
    J_reg = sp.Symbol(r"J_{\mathrm{reg}}")
    norm = sp.Symbol(r"\|W^{[l]}\|_F^2")
    trace = sp.Symbol(r"\operatorname{tr}(W^{[l]T} W^{[l]})")
    general = _J + lambd / (2 * m) * sp.Sum(_layer_squares(l, j, k), (l, 1, _L))
    # The notes' form: the factor written (1/m)(lambda/2).
    notes_form = as_written(sp.Add(_J, sp.Mul(1 / m, lambd / 2, sp.Sum(
        _layer_squares(l, j, k), (l, 1, _L)), evaluate=False), evaluate=False))
    # Cross-check: a network with two weight matrices, W^[1] 2 x 2 and W^[2] 1 x 2,
    # written out entry by entry; the general form at L = 2 must expand to the same.
    W1, W2 = symbol_matrix("W^{[1]}", 2, 2), symbol_matrix("W^{[2]}", 1, 2)
    explicit = _J + lambd / (2 * m) * (_frobenius_squared(W1) + _frobenius_squared(W2))
    instance = (_J + lambd / (2 * m) * sum(w ** 2 for w in (*W1, *W2)))
    cross_check = prove(explicit, instance, "expand", _RANGES, points=4)
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
            (J_reg, _J + lambd / (2 * m) * sp.Sum(norm, (l, 1, _L))),
            (norm, trace),
        ],
        steps=[
            (trace, sp.Sum(sp.IndexedBase(r"\left(W^{[l]T} W^{[l]}\right)")[k, k],
                           (k, 1, LayerSize(_sizes, l - 1))),
             r"definition of the trace: the sum of the diagonal entries"),
            (None, sp.Sum(LayerEntry(_Wl, l, j, k) ** 2, (j, 1, LayerSize(_sizes, l)),
                          (k, 1, LayerSize(_sizes, l - 1))),
             r"definition of the matrix product: $(W^{T} W)_{k,k} = \sum_j W_{j,k} W_{j,k}$"),
            (J_reg, general,
             r"substitute for every layer $l$; the order of two finite sums can be exchanged"),
        ],
        result=J_reg,
        textbook=(J_reg, notes_form),
        method="simplify",
        ranges={**_RANGES, _L: (1, 3), _sizes: (1, 3), _Wl: (-3, 3)},
        assumptions=(r"$J$ is the unregularized cost (cross-entropy in the notes); the sum "
                     r"runs over the weight matrices of all $L$ layers, not over the biases; "
                     r"$W^{[l]}$ is $n^{[l]} \times n^{[l-1]}$.",),
        remarks=(
            r"The notes write the factor as $\frac{1}{m}\frac{\lambda}{2}$, which is "
            r"$\frac{\lambda}{2m}$.",
            r"Note 001 names the indices $W^{[l]}_{j,k}$ in the cost and $W^{[l]}_{k,j}$ in "
            r"the implementation note; both sum every entry once, so the order is harmless.",
            r"\emph{Cross-check.} For a network with $W^{[1]}$ of size $2 \times 2$ and "
            r"$W^{[2]}$ of size $1 \times 2$, $\operatorname{tr}(W^{T} W)$ computed on the "
            r"explicit matrices minus the sum of the six squared entries expands to $0$"
            + ("." if cross_check.holds else r"; \emph{it does not}: the cross-check fails."),
        ),
        extra={"two_layer_cross_check": cross_check},
    )


def l2_gradient():
    """dW_reg = dW + (lambda/m) W for the entries of any layer l."""
    W = sp.IndexedBase(r"W^{[l]}", real=True)
    dW = sp.IndexedBase(r"dW^{[l]}", real=True)
    penalty = lambd / (2 * m) * sp.Sum(W[_j2, _k2] ** 2, (_k2, 1, _n_prev), (_j2, 1, _n))
    d = sp.Derivative(sp.Symbol(r"J_{\mathrm{reg}}"), W[j, k])
    # The derivative of J(W) is dW^[l]_{j,k} by definition; the penalty is differentiated
    # by SymPy through its sums of symbolic length.
    derived = dW[j, k] + sp.diff(penalty, W[j, k])
    # Explicit cross-check: a 2 x 3 matrix, every entry differentiated.
    We, dWe = symbol_matrix("W", 2, 3), symbol_matrix("dW", 2, 3)
    Jf = sp.Function("J", real=True)
    names = partials_at(Jf, list(We), list(dWe))
    J_reg_e = Jf(*We) + lambd / (2 * m) * _frobenius_squared(We)
    cross_check = prove(We.applyfunc(lambda w: named(sp.diff(J_reg_e, w), names)),
                        dWe + (lambd / m) * We, "expand", _RANGES, points=4)
    textbook = as_written(sp.Add(dW[j, k], lambd / m * W[j, k], evaluate=False))
    return derivation(
        name="l2_gradient",
        title=r"The gradient with the L2 term: $dW^{[l]} + \frac{\lambda}{m} W^{[l]}$",
        source=SOURCE_L2,
        summary=(
            r"Each entry of $W^{[l]}$ appears squared once in the penalty, so the penalty "
            r"adds $\frac{\lambda}{2m} \cdot 2 W^{[l]}_{j,k}$ to its derivative: "
            r"backpropagation runs unchanged and $\frac{\lambda}{m} W^{[l]}$ is added to "
            r"$dW^{[l]}$ (``weight decay''). The biases are not affected."
        ),
        definition=[(sp.Symbol(r"J_{\mathrm{reg}}"), _J + penalty + sp.Symbol(
                         r"\frac{\lambda}{2m} \sum_{l' \ne l} \|W^{[l']}\|_F^2")),
                    (dW[j, k], sp.Derivative(_J, W[j, k]))],
        steps=[
            (d, dW[j, k] + lambd / (2 * m) * sp.Sum(
                as_written(sp.Mul(2, W[_j2, _k2], sp.KroneckerDelta(_j2, j),
                                  sp.KroneckerDelta(_k2, k), evaluate=False)),
                (_k2, 1, _n_prev), (_j2, 1, _n)),
             r"linearity of the derivative; definition of $dW^{[l]}_{j,k}$; power rule "
             r"on each square, with $\partial W^{[l]}_{j',k'}/\partial W^{[l]}_{j,k} = "
             r"\delta_{j'j}\delta_{k'k}$; the other layers' terms do not depend on "
             r"$W^{[l]}$"),
            (None, textbook, r"the Kronecker deltas keep the term $j' = j$, $k' = k$"),
        ],
        result=d,
        textbook=(d, textbook),
        derived=derived,
        method=("simplify(doit(result - textbook)) = 0, indices within their ranges",
                in_range_simplify),
        ranges={**_RANGES, _n: (1, 3), _n_prev: (1, 3), j: (1, _n), k: (1, _n_prev)},
        assumptions=(r"$dW^{[l]}$ is the gradient of the unregularized cost $J$, computed "
                     r"by backpropagation as before.",
                     r"$1 \le j \le n^{[l]}$ and $1 \le k \le n^{[l-1]}$; $l$ is any "
                     r"layer.",),
        remarks=(
            r"As matrices: $dW^{[l]}_{\mathrm{reg}} = dW^{[l]} + \frac{\lambda}{m} W^{[l]}$.",
            r"Note 001 writes the derivative as $\frac{d}{dW}(\frac{1}{2}\frac{\lambda}{m}W^2) "
            r"= \frac{\lambda}{m}W$, with $W^2$ standing for the sum of the squared entries; "
            r"the result agrees.",
            r"Gradient descent then multiplies $W$ by $1 - \alpha\lambda/m$ before the usual "
            r"step, hence the name weight decay.",
            r"\emph{Cross-check.} For an explicit $2 \times 3$ matrix $W$, every entry of "
            r"the gradient of $J(W) + \frac{\lambda}{2m}\operatorname{tr}(W^{T} W)$ minus "
            r"$dW + \frac{\lambda}{m} W$ expands to $0$"
            + ("." if cross_check.holds else r"; \emph{it does not}: the cross-check fails."),
        ),
        extra={"explicit_cross_check": cross_check,
               "matrix_form": dW_code + (lambd_code / m) * W_code,
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
        result=E_sym,
        textbook=(E_sym, a),
        derived=by_stats,
        derived_as=(r"the expectation computed by SymPy's statistics module, with $D$ a "
                    r"Bernoulli random variable"),
        method="simplify",
        ranges=_RANGES,
        assumptions=(r"$0 < p_{keep} \le 1$; the mask entry $D$ is drawn independently of "
                     r"the activation $a$ (here $a$ is held fixed).",),
        remarks=(
            r"The variance is not preserved: $\operatorname{Var}(D a/p_{keep}) = %s$, "
            r"which is zero only for $p_{keep} = 1$." % to_latex(variance_shown),
            r"Without the division (plain dropout) the expectation is $p_{keep}\,a$, and the "
            r"activations would have to be rescaled at test time instead.",
        ),
        extra={"variance": variance},
    )


def _entry(expr, row, col):
    """Entry (row, col) of a matrix expression, its matrices' entries as ``Indexed``
    (``D[j, i]``); a scalar expression is returned unchanged."""
    expr = sp.sympify(expr)
    if not isinstance(expr, sp.MatrixExpr):
        return expr
    return expr[row, col].replace(
        lambda e: isinstance(e, MatrixElement),
        lambda e: sp.IndexedBase(e.parent.name, real=True)[e.i, e.j])


def dropout_backward():
    """dA = dA_dropped * D / keep_prob, elementwise, with the forward pass's mask."""
    i, i2 = sp.symbols("i i'", integer=True, positive=True)
    A, D = sp.IndexedBase("A", real=True), sp.IndexedBase("D", real=True)
    dA_dropped = sp.IndexedBase(r"d\tilde{A}", real=True)
    dA_ = sp.IndexedBase("dA", real=True)
    A_dropped = sp.IndexedBase(r"\tilde{A}", real=True)
    d = sp.Derivative(sp.Symbol(r"\mathcal{L}"), A[j, i])
    # The chain rule through every dropped activation: sum over (j', i') of
    # dL/dA~_{j',i'} * dA~_{j',i'}/dA_{j,i}, with A~ = D * A / keep_prob entry by entry.
    # SymPy differentiates A~_{j',i'} with respect to A_{j,i} through both sums.
    derived = sp.Sum(dA_dropped[_j2, i2] * sp.diff(D[_j2, i2] * A[_j2, i2] / keep_prob, A[j, i]),
                     (i2, 1, m), (_j2, 1, _n))
    textbook = dA_dropped[j, i] * D[j, i] / keep_prob
    dA_matrix = sp.MatrixSymbol("dA", _n, m)
    matrix_form = sp.HadamardProduct(sp.MatrixSymbol(r"d\tilde{A}", _n, m),
                                     sp.MatrixSymbol("D", _n, m)) / keep_prob
    # Explicit cross-check: 2 x 3 entries and a generic loss L of all dropped activations.
    Ae = symbol_matrix("A", 2, 3)
    De = symbol_matrix("D", 2, 3, integer=True, nonnegative=True)
    dAe = symbol_matrix(r"d\tilde{A}", 2, 3)
    Ae_dropped = De.multiply_elementwise(Ae) / keep_prob
    Lf = sp.Function("L", real=True)
    names = partials_at(Lf, list(Ae_dropped), list(dAe))
    cross_check = prove(Ae.applyfunc(lambda e: named(sp.diff(Lf(*Ae_dropped), e), names)),
                        De.multiply_elementwise(dAe) / keep_prob, "expand",
                        {**_RANGES, **{q: (0, 1) for q in De}}, points=4)
    return derivation(
        name="dropout_backward",
        title=r"Backward pass through inverted dropout: $dA = d\tilde{A} \odot D / p_{keep}$",
        source=SOURCE_DROPOUT,
        summary=(
            r"The forward pass multiplies each activation by the constant "
            r"$D_{j,i}/p_{keep}$, so its derivative is that constant: the gradient arriving "
            r"at the dropped activations is multiplied by the same mask and divided by "
            r"$p_{keep}$, $dA = d\tilde{A} \odot D / p_{keep}$. Dropped units receive no "
            r"gradient."
        ),
        definition=[(A_dropped[j, i], D[j, i] * A[j, i] / keep_prob),
                    (dA_dropped[j, i], sp.Derivative(sp.Symbol(r"\mathcal{L}"),
                                                     A_dropped[j, i])),
                    (dA_[j, i], d)],
        steps=[
            (d, sp.Sum(dA_dropped[_j2, i2] * sp.Symbol(
                r"\frac{\partial \tilde{A}_{j',i'}}{\partial A_{j,i}}"), (i2, 1, m), (_j2, 1, _n)),
             r"chain rule through every dropped activation $\tilde{A}_{j',i'}$"),
            (None, sp.Sum(as_written(sp.Mul(dA_dropped[_j2, i2], D[_j2, i2] / keep_prob,
                                            sp.KroneckerDelta(_j2, j), sp.KroneckerDelta(i2, i),
                                            evaluate=False)),
                          (i2, 1, m), (_j2, 1, _n)),
             r"definition of $\tilde{A}$: the mask $D$ is a constant, and "
             r"$\partial A_{j',i'}/\partial A_{j,i} = \delta_{j'j}\delta_{i'i}$"),
            (dA_[j, i], textbook, r"the Kronecker deltas keep $j' = j$, $i' = i$"),
            (dA_matrix, matrix_form, r"the same for every entry $(j, i)$: the elementwise "
                                     r"product of matrices"),
        ],
        result=dA_matrix,
        textbook=(dA_matrix, matrix_form),
        derived=derived,
        # a matrix formula is proved through its entry (j, i)
        expand=lambda e: _entry(e, j, i),
        derived_as=(r"the chain rule through every dropped activation, each derivative "
                    r"taken by SymPy through the sums"),
        method=("simplify(doit(result - textbook)) = 0, indices within their ranges",
                in_range_simplify),
        ranges={**_RANGES, _n: (1, 3), m: (1, 3), j: (1, _n), i: (1, m), D: (0, 1)},
        assumptions=(r"$D$ is the mask drawn in the forward pass (entries $0$ or $1$), held "
                     r"fixed in the backward pass; $\mathcal{L}$ is any differentiable "
                     r"function of the dropped activations $\tilde{A}$ ($n^{[l]} \times m$); "
                     r"$1 \le j \le n^{[l]}$, $1 \le i \le m$.",),
        remarks=(
            r"As matrices: $dA = d\tilde{A} \odot D / p_{keep}$, with the mask of the "
            r"forward pass.",
            r"Note 001 says to divide ``the remaining values in the activation matrix'' by "
            r"$p_{keep}$ in the backward pass; it is the gradient $dA$ (after multiplying by "
            r"the mask) that is divided, and with the same mask as the forward pass. "
            r"Dividing the activations again, or drawing a new mask, gives a wrong gradient.",
            r"\emph{Cross-check.} For explicit $2 \times 3$ matrices and a generic loss of "
            r"the six dropped activations, every entry of the gradient differentiated by "
            r"SymPy minus $D \odot d\tilde{A} / p_{keep}$ expands to $0$"
            + ("." if cross_check.holds else r"; \emph{it does not}: the cross-check fails."),
        ),
        extra={"matrix_form": sp.HadamardProduct(D_code, dA_dropped_code) / keep_prob_code,
               "arguments": (dA_dropped_code, D_code, keep_prob_code),
               "shapes": {"dA": "(n_l, m)"}, "explicit_cross_check": cross_check},
    )


def build():
    return [l2_cost(), l2_gradient(), dropout_expectation(), dropout_backward()]
