"""5. Softmax: its Jacobian, and the gradient of cross-entropy after a softmax.

Both are proved for any number of classes K, in index notation: the outputs are the
entries ``p[i]`` of an ``IndexedBase``, written out as ``e^{z_i} / sum_k e^{z_k}``
(:func:`write_out_outputs`) before SymPy differentiates through the sum of symbolic
length K, sums the Kronecker deltas, and simplifies. Explicit sizes K = 2, ..., 5
are cross-checks under the general proof: there the outputs p_k are *display
functions* (:class:`SoftmaxOutput`) that print as ``p_k`` and stand for the quotient;
:func:`expand_softmax` swaps them for it.
"""

from __future__ import annotations

import sympy as sp

from ..record import derivation, prove
from ..symbols import K as CLASSES  # the symbolic number of classes
from ..symbols import in_range_simplify, written_in_range

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


def logits(K: int) -> list[sp.Symbol]:
    """z_1, ..., z_K: the output layer's pre-activations for one example."""
    return list(sp.symbols(f"z_1:{K + 1}", real=True))


def softmax_outputs(K: int) -> list[SoftmaxOutput]:
    """p_1, ..., p_K as display functions of z_1, ..., z_K."""
    zs = logits(K)
    return [SoftmaxOutput(k, *zs) for k in range(1, K + 1)]


def _jacobian_pair(K: int):
    """(Jacobian differentiated from the definition, textbook p_i (delta_ij - p_j))."""
    zs, ps = logits(K), softmax_outputs(K)
    derived = sp.Matrix(K, K, lambda i, j: sp.diff(ps[i].definition(), zs[j]))
    textbook = sp.Matrix(K, K, lambda i, j: ps[i] * (sp.KroneckerDelta(i, j) - ps[j]))
    return derived, textbook


# Index notation, for any K: logits z_i, outputs p_i, labels y_i.
_z, _p, _y = (sp.IndexedBase(name, real=True) for name in ("z", "p", "y"))
_i, _j, _k = sp.symbols("i j k", positive=True, integer=True)


def _softmax_entry(index) -> sp.Expr:
    """p_index = e^{z_index} / sum_k e^{z_k}, the sum of symbolic length K."""
    return sp.exp(_z[index]) / sp.Sum(sp.exp(_z[_k]), (_k, 1, CLASSES))


def write_out_outputs(expr):
    """``expr`` with every output ``p[index]`` replaced by its definition."""
    return sp.sympify(expr).replace(lambda e: isinstance(e, sp.Indexed) and e.base == _p,
                                    lambda e: _softmax_entry(e.indices[0]))


IN_RANGE_SIMPLIFY = ("simplify(doit(result - textbook)) = 0, p written out, indices in 1..K",
                     in_range_simplify)
# The explicit sizes of the cross-checks under the general proofs (K = 4 and up cost
# seconds each and add nothing the general proof does not cover).
CROSS_CHECK_K = (2, 3)


def _listed(sizes) -> str:
    return ", ".join(map(str, sizes))


_GENERAL_RANGES = {CLASSES: (2, 5), _i: (1, CLASSES), _j: (1, CLASSES), _z: (-5, 5)}


def softmax_jacobian():
    """d p_i / d z_j = p_i (delta_ij - p_j), for any K; cross-checked for K = 2, 3, 4."""
    total = sp.Sum(sp.exp(_z[_k]), (_k, 1, CLASSES))
    d = sp.Derivative(_p[_i], _z[_j])
    cross_checks = {K: prove(*_jacobian_pair(K), CANCEL_EXPANDED, points=SIDE_PROOF_POINTS)
                    for K in CROSS_CHECK_K}
    return derivation(
        name="softmax_jacobian",
        title=r"The Jacobian of the softmax",
        source=SOURCE,
        summary=(
            r"The softmax turns $K$ logits into $K$ probabilities, and every output depends "
            r"on every logit, so its derivative is a $K \times K$ matrix: "
            r"$\partial p_i / \partial z_j = p_i(\delta_{ij} - p_j)$, that is "
            r"$\operatorname{diag}(p) - p\,p^{\mathsf{T}}$."
        ),
        definition=[(_p[_i], _softmax_entry(_i))],
        steps=[
            (d, (sp.KroneckerDelta(_i, _j) * sp.exp(_z[_i]) * total
                 - sp.exp(_z[_i]) * sp.exp(_z[_j])) / total**2,
             r"quotient rule, with $\partial e^{z_i} / \partial z_j = \delta_{ij} e^{z_i}$ "
             r"and $\partial \sum_k e^{z_k} / \partial z_j = \sum_k \delta_{kj} e^{z_k} = "
             r"e^{z_j}$"),
            (None, _p[_i] * sp.KroneckerDelta(_i, _j) - _p[_i] * _p[_j],
             r"split the fraction; definition of $p_i$ and of $p_j$"),
            (None, _p[_i] * (sp.KroneckerDelta(_i, _j) - _p[_j]), r"factor out $p_i$"),
        ],
        result=d,
        textbook=(d, _p[_i] * (sp.KroneckerDelta(_i, _j) - _p[_j])),
        derived=sp.diff(_softmax_entry(_i), _z[_j]),
        method=IN_RANGE_SIMPLIFY,
        expand=write_out_outputs,
        ranges=_GENERAL_RANGES,
        assumptions=(r"$1 \le i, j \le K$, for any number of classes $K \ge 1$.",),
        remarks=(
            r"As a matrix, with $\delta_{ij}$ the entries of the identity: "
            r"$\frac{\partial p}{\partial z} = \operatorname{diag}(p) - p\,p^{\mathsf{T}}$. "
            r"It is symmetric, and each of its rows sums to $0$, since the outputs always "
            r"sum to $1$.",
            r"Note 004's table writes the softmax derivative as "
            r"$\sigma(\vec z)_i (I - \sigma(\vec z)_j)$ with $I$ an identity matrix; the "
            r"entry is $\sigma(\vec z)_i(\delta_{ij} - \sigma(\vec z)_j)$, with the Kronecker "
            r"delta (the $(i, j)$ entry of $I$), as the line after the table says.",
            rf"\emph{{Cross-check.}} For $K = {_listed(CROSS_CHECK_K)}$ every entry of the "
            r"$K \times K$ matrix, "
            r"differentiated from the definition with explicit logits $z_1, \dots, z_K$, "
            r"minus $p_i(\delta_{ij} - p_j)$ cancels to $0$"
            + ("." if all(c.holds for c in cross_checks.values())
               else r"; \emph{it does not}: the cross-check fails."),
        ),
        extra={"proofs_for_other_K": cross_checks},
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
    """dL/dz_i = p_i - y_i for L = -sum_k y_k log p_k, any K, labels summing to one."""
    d = sp.Derivative(sp.Symbol(r"\mathcal{L}"), _z[_i])
    labels_total = sp.Sum(_y[_k], (_k, 1, CLASSES))
    # The definition differentiated directly (log p_k split as z_k - log sum_j e^{z_j},
    # the same function), deltas summed, indices in range: p_i sum_k y_k - y_i.
    loss = -sp.Sum(_y[_k] * (_z[_k] - sp.log(sp.Sum(sp.exp(_z[_j]), (_j, 1, CLASSES)))),
                   (_k, 1, CLASSES))
    general = sp.simplify(written_in_range(sp.diff(loss, _z[_i])))
    if not general.has(labels_total):
        raise ArithmeticError(f"expected sum_k y_k in the gradient, got {general}")
    general_textbook = _p[_i] * labels_total - _y[_i]
    general_proof = prove(general, general_textbook, IN_RANGE_SIMPLIFY,
                          {**_GENERAL_RANGES, _y: (0, 1)}, points=SIDE_PROOF_POINTS,
                          expand=write_out_outputs)
    cross_checks = {K: prove(*_cross_entropy_pair(K), CANCEL_EXPANDED, _label_ranges(K),
                             points=SIDE_PROOF_POINTS)
                    for K in CROSS_CHECK_K}
    L = sp.Symbol(r"\mathcal{L}")
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
            (L, -sp.Sum(_y[_k] * sp.log(_p[_k]), (_k, 1, CLASSES))),
            (_p[_k], sp.exp(_z[_k]) / sp.Sum(sp.exp(_z[_j]), (_j, 1, CLASSES))),
        ],
        steps=[
            (d, -sp.Sum(_y[_k] / _p[_k] * sp.Derivative(_p[_k], _z[_i]), (_k, 1, CLASSES)),
             r"chain rule, with $\frac{d}{du}\log u = \frac{1}{u}$"),
            (None, -sp.Sum(_y[_k] * (sp.KroneckerDelta(_k, _i) - _p[_i]), (_k, 1, CLASSES)),
             r"the softmax Jacobian: $\partial p_k/\partial z_i = p_k(\delta_{ki} - p_i)$"),
            (None, _p[_i] * labels_total - _y[_i],
             r"linearity of the sum; the Kronecker delta keeps $k = i$, and $p_i$ does not "
             r"depend on $k$"),
            (None, _p[_i] - _y[_i], r"the labels sum to one (assumption)"),
        ],
        result=d,
        textbook=(d, _p[_i] - _y[_i]),
        derived=general.subs(labels_total, 1),
        derived_as=(r"the definition differentiated directly by SymPy through its sums, "
                    r"with $\sum_k y_k = 1$ substituted"),
        method=IN_RANGE_SIMPLIFY,
        expand=write_out_outputs,
        ranges=_GENERAL_RANGES,
        assumptions=(
            r"The labels of one example sum to one, $\sum_{k=1}^{K} y_k = 1$ (one-hot "
            r"labels, or smoothed labels that are a probability vector).",
            r"$1 \le i \le K$, for any number of classes $K \ge 1$.",
        ),
        remarks=(
            r"As a vector, $\nabla_{z} \mathcal{L} = p - y$; in the notes' matrix form, "
            r"$dZ^{[L]} = A^{[L]} - Y$.",
            r"Without the assumption the gradient is $p_i \sum_k y_k - y_i$ (the line "
            r"before the last, proved the same way); it equals $p_i - y_i$ only when the "
            r"labels sum to one.",
            rf"\emph{{Cross-check.}} For $K = {_listed(CROSS_CHECK_K)}$, with explicit logits "
            r"and the last "
            r"label written as $1$ minus the others, the gradient differentiated from the "
            r"definition minus $p - y$ cancels to $0$"
            + ("." if all(c.holds for c in cross_checks.values())
               else r"; \emph{it does not}: the cross-check fails."),
            r"Note 004 writes the softmax derivative as $\sigma(\vec z)_i(I - \sigma(\vec z)_j)$; "
            r"the correct entry is $\sigma(\vec z)_i(\delta_{ij} - \sigma(\vec z)_j)$ with the "
            r"Kronecker delta. Its derivation of $p_i - y_i$ is right and uses "
            r"$\sum_k y_k = 1$ in its last step without saying so.",
        ),
        extra={
            "proofs_for_other_K": cross_checks,
            "gradient_without_sum_to_one": (general, general_textbook),
            "gradient_without_sum_to_one_proof": general_proof,
        },
    )


def build():
    return [softmax_jacobian(), softmax_cross_entropy_dz()]
