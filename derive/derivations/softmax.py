"""5. Softmax: its Jacobian, and the gradient of cross-entropy after a softmax.

Both are proved on explicit sizes K: a sum of symbolic length K would need SymPy to
reason about Kronecker deltas inside sums, while explicit sizes give exact rational
functions of the e^{z_k} that ``cancel`` reduces quickly and reliably. The
outputs p_k are *display functions* in the sense of :mod:`derive.symbols`: they print
as ``p_k`` and stand for ``e^{z_k} / sum_j e^{z_j}``; :func:`expand_softmax` swaps
them for that definition, and they evaluate numerically to it, so the spot check of
:mod:`derive.record` sees the definition too.
"""

from __future__ import annotations

import sympy as sp

from ..record import derivation, prove
from ..symbols import K as CLASSES  # the symbolic number of classes, for display

SOURCE = r"note 004, Backpropagation table (SoftMax, Cross Entropy) and SoftMax derivation"


class SoftmaxOutput(sp.Function):
    """p_k = e^{z_k} / sum_j e^{z_j}, for explicit logits; prints as p_k.

    Arguments: ``(k, z_1, ..., z_K)`` with ``k`` a 1-based SymPy Integer.
    """

    is_real = True
    is_positive = True

    @classmethod
    def eval(cls, k, *logits):
        return None  # never evaluate on construction: it is a name for display

    def definition(self) -> sp.Expr:
        k, *logits = self.args
        return sp.exp(logits[int(k) - 1]) / sp.Add(*(sp.exp(q) for q in logits))

    def _eval_evalf(self, prec):
        return self.definition()._eval_evalf(prec)

    def _latex(self, printer, exp=None):
        base = rf"p_{{{printer._print(self.args[0])}}}"
        return base if exp is None else rf"{base}^{{{exp}}}"

    def _sympystr(self, printer):
        return f"p_{self.args[0]}"


class LastLabel(sp.Function):
    """y_K = 1 - (y_1 + ... + y_{K-1}): the last label when the labels sum to 1.

    Arguments: ``(y_1, ..., y_{K-1})``; prints as ``y_K``.
    """

    is_real = True

    @classmethod
    def eval(cls, *labels):
        return None

    def definition(self) -> sp.Expr:
        return 1 - sp.Add(*self.args)

    def _eval_evalf(self, prec):
        return self.definition()._eval_evalf(prec)

    def _latex(self, printer, exp=None):
        base = rf"y_{{{len(self.args) + 1}}}"
        return base if exp is None else rf"{base}^{{{exp}}}"

    def _sympystr(self, printer):
        return f"y_{len(self.args) + 1}"


def expand_softmax(expr):
    """Replace every :class:`SoftmaxOutput` and :class:`LastLabel` by its definition."""
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(expand_softmax)
    expr = sp.sympify(expr).doit()
    return expr.replace(lambda e: isinstance(e, (SoftmaxOutput, LastLabel)),
                        lambda e: e.definition())


# Points of the spot check for the side proofs (other sizes K, the gradient without
# sum(y) = 1): their symbolic proofs are exact, and the shown size already has the
# full spot check; fewer points keep the module's build near one second.
SIDE_PROOF_POINTS = 4

# Proof method: expand the display functions, then cancel the rational function of
# the e^{z_k} (cancel is exact on rational functions and much faster than simplify).
def _cancel_expanded(difference):
    if isinstance(difference, sp.MatrixBase):
        return difference.applyfunc(_cancel_expanded)
    return sp.cancel(expand_softmax(difference))


CANCEL_EXPANDED = (
    "cancel(result - textbook) = 0, with p_k = exp(z_k) / sum_j exp(z_j) written out",
    _cancel_expanded,
)
SHOWN_K = 3


def logits(K: int) -> list[sp.Symbol]:
    """z_1, ..., z_K: the output layer's pre-activations for one example."""
    return list(sp.symbols(f"z_1:{K + 1}", real=True))


def softmax_outputs(K: int) -> list[SoftmaxOutput]:
    """p_1, ..., p_K as display functions of z_1, ..., z_K."""
    zs = logits(K)
    return [SoftmaxOutput(k, *zs) for k in range(1, K + 1)]


def in_outputs(matrix: sp.Matrix, K: int) -> sp.Matrix:
    """``matrix`` with every ``e^{z_k} / sum_j e^{z_j}`` written as the output ``p_k``.

    The same function (the display functions p_k stand for those quotients), in the
    compact form a textbook writes; products are multiplied out and collected in p_k.
    """
    zs, ps = logits(K), softmax_outputs(K)
    total = sp.Add(*(sp.exp(q) for q in zs))
    T = sp.Dummy("T", positive=True)
    out = matrix.xreplace({total: T}).subs({sp.exp(q): p * T for q, p in zip(zs, ps)},
                                          simultaneous=True)
    if out.has(T):
        raise ArithmeticError("an e^{z_k} was left outside a softmax quotient")
    return out.applyfunc(lambda e: sp.collect(sp.expand(e), ps))


def _exp_sum(index: str) -> sp.Sum:
    """sum_{index=1}^{K} e^{z_index}, for display: the softmax denominator."""
    j = sp.Symbol(index, positive=True, integer=True)
    return sp.Sum(sp.exp(sp.Symbol(f"z_{index}", real=True)), (j, 1, CLASSES))


def _jacobian_pair(K: int):
    """(Jacobian differentiated from the definition, textbook p_i (delta_ij - p_j))."""
    zs, ps = logits(K), softmax_outputs(K)
    derived = sp.Matrix(K, K, lambda i, j: sp.diff(ps[i].definition(), zs[j]))
    textbook = sp.Matrix(K, K, lambda i, j: ps[i] * (sp.KroneckerDelta(i, j) - ps[j]))
    return derived, textbook


def softmax_jacobian():
    """d p_i / d z_j = p_i (delta_ij - p_j), proved for K = 2, 3, 4."""
    K = SHOWN_K
    zs = logits(K)
    i, j = sp.symbols("i j", positive=True, integer=True)
    p_i, p_j = sp.Symbol("p_i", positive=True), sp.Symbol("p_j", positive=True)
    z_i, z_j = sp.Symbol("z_i", real=True), sp.Symbol("z_j", real=True)
    total = _exp_sum("k")
    jac = sp.Symbol(r"\frac{\partial p}{\partial z}")
    derived, textbook = _jacobian_pair(K)
    others = {k: prove(*_jacobian_pair(k), CANCEL_EXPANDED, points=SIDE_PROOF_POINTS)
              for k in (2, 4)}
    return derivation(
        name="softmax_jacobian",
        title=r"The Jacobian of the softmax",
        source=SOURCE,
        summary=(
            r"The softmax turns $K$ logits into $K$ probabilities, and every output depends "
            r"on every logit, so its derivative is a $K \times K$ matrix: "
            r"$\partial p_i / \partial z_j = p_i(\delta_{ij} - p_j)$."
        ),
        definition=[(p_i, sp.exp(z_i) / total)],
        steps=[
            (sp.Derivative(p_i, z_j),
             (sp.KroneckerDelta(i, j) * sp.exp(z_i) * total - sp.exp(z_i) * sp.exp(z_j))
             / total**2,
             r"quotient rule: $\partial e^{z_i} / \partial z_j = \delta_{ij} e^{z_i}$ and "
             r"$\partial \sum_k e^{z_k} / \partial z_j = e^{z_j}$"),
            (None, p_i * sp.KroneckerDelta(i, j) - p_i * p_j,
             r"split the fraction into $\frac{e^{z_i}}{\sum_k e^{z_k}} = p_i$ and "
             r"$\frac{e^{z_j}}{\sum_k e^{z_k}} = p_j$"),
            (None, p_i * (sp.KroneckerDelta(i, j) - p_j), r"factor out $p_i$"),
            (jac, in_outputs(derived, K),
             rf"for $K = {K}$, every entry differentiated from the definition, then "
             r"$e^{z_k} / \sum_j e^{z_j}$ written $p_k$ again"),
        ],
        result=(jac, in_outputs(derived, K)),
        textbook=(jac, textbook),
        method=CANCEL_EXPANDED,
        ranges={q: (-5, 5) for q in zs},
        remarks=(
            r"Note 004's table writes the softmax derivative as "
            r"$\sigma(\vec z)_i (I - \sigma(\vec z)_j)$ with $I$ an identity matrix; the "
            r"entry is $\sigma(\vec z)_i(\delta_{ij} - \sigma(\vec z)_j)$, with the Kronecker "
            r"delta (the $(i, j)$ entry of $I$), as the line after the table says. As a "
            r"matrix: $\operatorname{diag}(p) - p\,p^{\mathsf{T}}$.",
            rf"The identity is proved entry by entry for $K = {K}$ above, and in the same way "
            r"for $K = 2$ and $K = 4$.",
            r"The matrix is symmetric and each of its rows sums to $0$, since the outputs "
            r"always sum to $1$.",
        ),
        extra={"proofs_for_other_K": others, "shown_K": K},
    )


def _cross_entropy(K: int, labels):
    """L = -sum_k y_k log p_k with p_k written out, for explicit labels.

    The log of each quotient is split, log p_k = z_k - log sum_j e^{z_j}: the same
    function, whose derivative SymPy prints compactly (and evaluates faster).
    """
    zs = logits(K)
    log_total = sp.log(sp.Add(*(sp.exp(q) for q in zs)))
    return -sp.Add(*(yk * (zk - log_total) for yk, zk in zip(labels, zs)))


def _free_labels(K: int) -> list[sp.Symbol]:
    return list(sp.symbols(f"y_1:{K + 1}", real=True))


def _constrained_labels(K: int) -> list:
    """y_1, ..., y_{K-1} free, and y_K = 1 - the others (labels sum to one)."""
    free = _free_labels(K)[:-1]
    return free + [LastLabel(*free)]


def _gradient(K: int, labels) -> sp.Matrix:
    """dL/dz, differentiated from the definition of L."""
    loss = _cross_entropy(K, labels)
    return sp.Matrix([sp.diff(loss, q) for q in logits(K)])


def _cross_entropy_pair(K: int):
    """(gradient derived with sum(y) = 1 built in, textbook p - y)."""
    labels = _constrained_labels(K)
    derived = _gradient(K, labels)
    textbook = sp.Matrix([pk - yk for pk, yk in zip(softmax_outputs(K), labels)])
    return derived, textbook


def _label_ranges(K: int):
    # Labels in (0, 1/K) keep y_K = 1 - sum of the others in (0, 1): a probability
    # vector, as a one-hot or a smoothed label is.
    return {q: (0, 1 / K) for q in _free_labels(K)[:-1]} | {q: (-5, 5) for q in logits(K)}


def softmax_cross_entropy_dz():
    """dL/dz = p - y for L = -sum_k y_k log p_k, when the labels sum to one."""
    K = SHOWN_K
    ps, labels = softmax_outputs(K), _constrained_labels(K)
    k, i = sp.symbols("k i", positive=True, integer=True)
    p_k, p_i = sp.Symbol("p_k", positive=True), sp.Symbol("p_i", positive=True)
    y_k, y_i = sp.Symbol("y_k", real=True), sp.Symbol("y_i", real=True)
    z_i = sp.Symbol("z_i", real=True)
    L = sp.Symbol(r"\mathcal{L}")
    grad = sp.Symbol(r"\nabla_{z} \mathcal{L}")
    derived, textbook = _cross_entropy_pair(K)

    others = {n: prove(*_cross_entropy_pair(n), CANCEL_EXPANDED, _label_ranges(n),
                       points=SIDE_PROOF_POINTS)
              for n in (2, 4, 5)}
    # Without the assumption sum(y) = 1 the gradient is p * sum(y) - y.
    free = _free_labels(K)
    general = _gradient(K, free)
    general_textbook = sp.Matrix([pk * sp.Add(*free) - yk for pk, yk in zip(ps, free)])
    general_proof = prove(general, general_textbook, CANCEL_EXPANDED,
                          {q: (-5, 5) for q in logits(K)} | {q: (0, 1) for q in free},
                          points=SIDE_PROOF_POINTS)
    return derivation(
        name="softmax_cross_entropy_dz",
        title=r"Cross-entropy after a softmax: $dz = p - y$",
        source=SOURCE + r"; note 001, $dZ^{[L]} = A^{[L]} - Y$",
        summary=(
            r"With a softmax output $p$ and the cross-entropy loss, the gradient with "
            r"respect to the logits is $p - y$, as for a sigmoid with binary "
            r"cross-entropy. It needs the labels to sum to one, which one-hot labels do."
        ),
        definition=[
            (L, -sp.Sum(y_k * sp.log(p_k), (k, 1, CLASSES))),
            (p_k, sp.exp(sp.Symbol("z_k", real=True)) / _exp_sum("j")),
            (labels[-1], labels[-1].definition()),
        ],
        steps=[
            (sp.Derivative(L, z_i),
             -sp.Sum(y_k / p_k * sp.Derivative(p_k, z_i), (k, 1, CLASSES)),
             r"chain rule: $\frac{d}{dz}\log p = \frac{1}{p}\frac{dp}{dz}$"),
            (None, -sp.Sum(y_k * (sp.KroneckerDelta(k, i) - p_i), (k, 1, CLASSES)),
             r"the softmax Jacobian: $\partial p_k/\partial z_i = p_k(\delta_{ki} - p_i)$"),
            (None, p_i * sp.Sum(y_k, (k, 1, CLASSES)) - y_i,
             r"the delta picks out $k = i$; $p_i$ does not depend on $k$"),
            (None, p_i - y_i, r"the labels sum to one"),
            (grad, in_outputs(derived, K),
             rf"for $K = {K}$, differentiated from the definition "
             r"($\log p_k = z_k - \log \sum_j e^{z_j}$) and written with $p_k$; "
             rf"the bracket is $1$ since $y_{K} = 1 - \sum_{{k<{K}}} y_k$"),
        ],
        result=(grad, in_outputs(derived, K)),
        textbook=(grad, textbook),
        method=CANCEL_EXPANDED,
        ranges=_label_ranges(K),
        assumptions=(
            r"The labels of one example sum to one, $\sum_k y_k = 1$ (one-hot labels, or "
            r"smoothed labels that are a probability vector). The proof builds this in by "
            r"writing the last label as $y_K = 1 - \sum_{k<K} y_k$.",
        ),
        remarks=(
            r"Without that assumption the gradient is $p \sum_k y_k - y$ "
            r"(proved for $K = 3$ the same way); it equals $p - y$ only when the labels "
            r"sum to one.",
            rf"The identity is proved for $K = {K}$ above, and in the same way for "
            r"$K = 2, 4, 5$.",
            r"Note 004 writes the softmax derivative as $\sigma(\vec z)_i(I - \sigma(\vec z)_j)$; "
            r"the correct entry is $\sigma(\vec z)_i(\delta_{ij} - \sigma(\vec z)_j)$ with the "
            r"Kronecker delta. Its derivation of $p_i - y_i$ is right and uses "
            r"$\sum_k y_k = 1$ in its last step without saying so.",
        ),
        extra={
            "proofs_for_other_K": others,
            "shown_K": K,
            "gradient_without_sum_to_one": (general, general_textbook),
            "gradient_without_sum_to_one_proof": general_proof,
        },
    )


def build():
    return [softmax_jacobian(), softmax_cross_entropy_dz()]
