"""3, 4. Losses: binary cross-entropy (per example and averaged), mean squared error."""

from __future__ import annotations

import sympy as sp

from ..latex import as_written
from ..record import Derivation, Equation, Step, derivation, prove
from ..symbols import a, m, sigma, y, z

SOURCE_BCE = (
    r"note 001, Forward Propagation (loss) and Vectorized implementation example "
    r"($dA^{[L]}$); note 004, Backpropagation table (Binary Cross Entropy)"
)
SOURCE_COST = r"note 001, Logistic Regression Cost Function and its Vectorized implementation"
SOURCE_MSE = r"note 004, Backpropagation table (Mean Squared Error); note 002, The cost function"

_U = sp.UnevaluatedExpr  # keeps a factored form on display; SymPy would multiply it out
loss = sp.Function(r"\mathcal{L}")  # display name of the per-example loss
J = sp.Symbol("J")
C = sp.Symbol("C")

# Spot-check ranges: a probability strictly inside (0, 1), where log a and log(1 - a)
# exist, and a label anywhere in [0, 1] (soft labels included, not only 0 and 1).
PROBABILITY = (0.01, 0.99)
LABEL = (0, 1)


def bce(a_, y_):
    """The binary cross-entropy of one example: -(y log a + (1 - y) log(1 - a))."""
    return -(y_ * sp.log(a_) + (1 - y_) * sp.log(1 - a_))


def bce_derivative_a():
    """dL/da = -y/a + (1 - y)/(1 - a): what note 001 calls dA^{[L]}."""
    d = sp.Derivative(loss(a, y), a)
    return derivation(
        name="bce_derivative_a",
        title=r"Binary cross-entropy: derivative with respect to the activation",
        source=SOURCE_BCE,
        summary=(
            r"The binary cross-entropy $\mathcal{L}(a, y)$ scores a predicted probability "
            r"$a$ of the label $y$. Its derivative with respect to $a$ is the gradient that "
            r"enters the output layer, $dA^{[L]}$, before the activation is differentiated."
        ),
        definition=[(loss(a, y), bce(a, y))],
        steps=[
            (d, -(y * sp.Derivative(sp.log(a), a)
                  + (1 - y) * sp.Derivative(sp.log(1 - a), a)),
             r"linearity of the derivative"),
            (None, sp.Mul(-1, as_written(sp.Add(
                y / a, sp.Mul(-1, (1 - y) / (1 - a), evaluate=False), evaluate=False)),
                          evaluate=False),
             r"$\frac{d}{du}\log u = \frac{1}{u}$, and the chain rule for $u = 1 - a$, "
             r"whose derivative is $-1$"),
            (None, -y / a + (1 - y) / (1 - a), r"multiply out the sign"),
        ],
        result=(d, sp.diff(bce(a, y), a)),
        textbook=(d, -(y / a) + (1 - y) / (1 - a)),
        method="cancel",
        ranges={a: PROBABILITY, y: LABEL},
        assumptions=(r"$0 < a < 1$, so that both logarithms exist.",),
        remarks=(
            r"Note 004's table writes the loss as $y \log a^L + (1 - y)\log(1 - a^L)$, "
            r"without the leading minus sign; its gradient column "
            r"$\frac{-y}{a^L} + \frac{1 - y}{1 - a^L}$ is the gradient of the loss with the "
            r"minus sign, which is the one derived here.",
            r"Note 001's vectorized line $dA^{[L]} = -(Y / A^{[L]} - (1 - Y)/(1 - A^{[L]}))$ "
            r"is this result applied elementwise, and is correct.",
        ),
    )


def bce_sigmoid_dz():
    """dL/dz = a - y for a sigmoid output: the chain rule, where a(1 - a) cancels."""
    s = 1 / (1 + sp.exp(-z))
    d = sp.Derivative(loss(sigma(z), y), z)
    return derivation(
        name="bce_sigmoid_dz",
        title=r"Binary cross-entropy after a sigmoid: $dz = a - y$",
        source=SOURCE_BCE + r"; note 001, $dZ^{[L]} = A^{[L]} - Y$",
        summary=(
            r"When the output unit is a sigmoid, $a = \sigma(z)$, the derivative of the "
            r"cross-entropy with respect to the pre-activation collapses to $a - y$: the "
            r"factor $a(1 - a)$ from the sigmoid cancels the denominators of the loss."
        ),
        definition=[(loss(a, y), bce(a, y)), (a, sigma(z))],
        steps=[
            (d, sp.Derivative(loss(a, y), a) * sp.Derivative(sigma(z), z),
             r"chain rule through $a = \sigma(z)$"),
            (None, _U(-y / a + (1 - y) / (1 - a)) * _U(a * (1 - a)),
             r"the two derivatives above: $\partial \mathcal{L}/\partial a$ and "
             r"$\sigma'(z) = \sigma(z)(1 - \sigma(z)) = a(1 - a)$"),
            (None, -y * (1 - a) + (1 - y) * a, r"cancel $a$ and $1 - a$"),
            (None, a - y, r"multiply out: the terms $\pm a y$ cancel"),
        ],
        # The result differentiates the composed function directly (and simplifies it),
        # so the chain-rule steps above are checked against an independent route.
        result=(d, sp.simplify(sp.diff(bce(s, y), z))),
        textbook=(d, sigma(z) - y),
        method="cancel",
        ranges={z: (-10, 10), y: LABEL},
        remarks=(
            r"The result is SymPy's derivative of the composed function "
            r"$\mathcal{L}(\sigma(z), y)$, simplified; it equals "
            r"$\frac{e^{z}}{1 + e^{z}} - y = \sigma(z) - y$.",
            r"In the notes' matrix form, $dZ^{[L]} = A^{[L]} - Y$, elementwise over "
            r"the units and examples of the output layer.",
        ),
    )


def _example_symbols(count: int, letter: str) -> list[sp.Symbol]:
    """Symbols a^{(1)}, ..., a^{(count)}: one value per example, as in the notes."""
    return [sp.Symbol(rf"{letter}^{{({i})}}", real=True) for i in range(1, count + 1)]


def _vectorized_row(count: int) -> sp.Matrix:
    """Y * log(A) + (1 - Y) * log(1 - A) for 1 x count rows A, Y, elementwise as in NumPy."""
    A = sp.Matrix([_example_symbols(count, "a")])
    Y = sp.Matrix([_example_symbols(count, "y")])
    ones = sp.ones(1, count)
    return (Y.multiply_elementwise(A.applyfunc(sp.log))
            + (ones - Y).multiply_elementwise((ones - A).applyfunc(sp.log)))


def _cost_pair(count: int):
    """(mean of the per-example losses, the notes' vectorized NumPy line) for m = count.

    The second is built with matrix operations, as NumPy would evaluate it: A and Y are
    1 x m rows, ``*`` is the elementwise product, ``np.sum`` adds every entry.
    """
    a_i, y_i = _example_symbols(count, "a"), _example_symbols(count, "y")
    mean = sp.Rational(1, count) * sp.Add(*(bce(p, q) for p, q in zip(a_i, y_i)))
    vectorized = -sp.Rational(1, count) * sp.Add(*_vectorized_row(count))
    ranges = {s: PROBABILITY for s in a_i} | {s: LABEL for s in y_i}
    return mean, vectorized, ranges


def _expand_entries(difference):
    if isinstance(difference, sp.MatrixBase):
        return difference.applyfunc(sp.expand)
    return sp.expand(difference)


# Batch sizes on which the cost identity is proved (m = 1, a single example, included).
COST_SIZES = (1, 2, 3, 4, 5)


def bce_cost():
    """J = (1/m) sum_i L(a^(i), y^(i)) equals the notes' vectorized line, for m = 1..5.

    The displayed result and textbook form are the general formulas (a sum over i and
    the notes' NumPy line); SymPy cannot evaluate a sum of symbolic length over named
    examples, so the proof runs on explicit rows A, Y of sizes m = 1, ..., 5.
    """
    i = sp.Symbol("i", positive=True, integer=True)
    a_i, y_i = sp.Symbol(r"a^{(i)}", real=True), sp.Symbol(r"y^{(i)}", real=True)
    entry = lambda p, q: q * sp.log(p) + (1 - q) * sp.log(1 - p)  # noqa: E731
    general = -sp.Sum(entry(a_i, y_i), (i, 1, m)) / m
    row_name = r"Y \odot \log A + (1 - Y) \odot \log(1 - A)"
    row = sp.IndexedBase(r"\left(" + row_name + r"\right)")
    vectorized_line = -sp.Sum(row[1, i], (i, 1, m)) / m
    pairs, ranges = {}, {}
    for count in COST_SIZES:
        mean, vectorized, spots = _cost_pair(count)
        pairs[count] = (mean, vectorized)
        ranges.update(spots)
    derived = sp.Matrix([pairs[c][0] for c in COST_SIZES])
    expected = sp.Matrix([pairs[c][1] for c in COST_SIZES])
    sizes = ", ".join(map(str, COST_SIZES))
    proof = prove(derived, expected,
                  (f"expand(mean of the losses - vectorized line) = 0 on explicit rows "
                   f"A, Y of m = {sizes} examples", _expand_entries), ranges)
    other_sizes = {c: prove(*pairs[c], "expand", _cost_pair(c)[2], points=4)
                   for c in COST_SIZES if c != 3}
    return Derivation(
        name="bce_cost",
        title=r"The cross-entropy cost over $m$ examples",
        source=SOURCE_COST,
        summary=(
            r"The cost $J$ averages the per-example losses over the $m$ examples of a "
            r"batch. Written with the activations and labels as rows $A$ and $Y$, the "
            r"sum becomes one elementwise expression summed over all entries."
        ),
        definition=(
            Equation(J, sp.Sum(loss(a_i, y_i), (i, 1, m)) / m),
            Equation(loss(a, y), bce(a, y)),
        ),
        steps=(
            Step(J, general,
                 r"insert $\mathcal{L}$; the minus sign of every term factors out of the sum"),
            Step(row[1, i], entry(a_i, y_i),
                 r"the notes' vectorized line, elementwise ($\odot$) on the rows "
                 r"$A = (a^{(1)}, \dots, a^{(m)})$ and $Y = (y^{(1)}, \dots, y^{(m)})$: "
                 r"entry $i$ is the bracket of the sum above"),
            Step(J, vectorized_line,
                 r"$-\frac{1}{m}$ times the sum of all entries (\texttt{np.sum}): the same "
                 r"$m$ brackets as in the mean of the losses"),
        ),
        result=Equation(J, general),
        textbook=Equation(J, sp.Symbol(
            r"-\frac{1}{m}\,\texttt{np.sum}\bigl(Y \odot \log A + (1 - Y) \odot "
            r"\log(1 - A)\bigr)")),
        proof=proof,
        assumptions=(r"$0 < a^{(i)} < 1$ for every example $i$.",),
        remarks=(
            r"Note 001's scalar formula $-\frac{1}{m}\sum_i y^{(i)}\log \hat y^{(i)} + "
            r"(1 - y^{(i)})\log(1 - \hat y^{(i)})$ lacks brackets: as written, the minus "
            r"sign and the sum apply only to the first term. The bracketed form is in its "
            r"L2 section. The notes also switch between $\hat y^{[i]}$ and $y^{(i)}$ for "
            r"example $i$; we write $(i)$ throughout.",
            r"Note 001's vectorized line $J = -\frac{1}{m}$ "
            r"\texttt{np.sum(np.multiply(Y, np.log(A)) + np.multiply(1 - Y, np.log(1 - A)))} "
            r"is correct: it is the textbook side here.",
            rf"The proof writes both sides out for explicit rows of $m = {sizes}$ "
            r"examples (for $m = 3$: six logarithms on each side) and expands their "
            r"difference to $0$.",
        ),
        extra={"proofs_for_other_m": other_sizes, "explicit": pairs},
    )


def _component_symbols(count: int, letter: str) -> list[sp.Symbol]:
    """Symbols a^{[L]}_1, ..., a^{[L]}_count: units of the output layer."""
    return [sp.Symbol(rf"{letter}^{{[L]}}_{{{j}}}", real=True) for j in range(1, count + 1)]


def mse_derivative():
    """grad_a C = a - y for C = 1/2 sum_j (y_j - a_j)^2, shown on three output units."""
    count = 3
    a_j, y_j = _component_symbols(count, "a"), _component_symbols(count, "y")
    cost = sp.Rational(1, 2) * sp.Add(*((q - p) ** 2 for p, q in zip(a_j, y_j)))
    j = sp.Symbol("j", positive=True, integer=True)
    aj, yj = sp.Symbol(r"a^{[L]}_{j}", real=True), sp.Symbol(r"y^{[L]}_{j}", real=True)
    grad = sp.Symbol(r"\nabla_{a} C")
    units = sp.Symbol(r"n^{[L]}", positive=True, integer=True)
    derived = sp.Matrix([sp.diff(cost, p) for p in a_j])
    return derivation(
        name="mse_derivative",
        title=r"Quadratic cost: gradient with respect to the output activations",
        source=SOURCE_MSE,
        summary=(
            r"The quadratic cost adds half the squared error of each output unit. Each "
            r"unit's error appears in one term only, so the gradient is the vector of "
            r"errors, $a^{[L]} - y$."
        ),
        definition=[(C, sp.Rational(1, 2) * sp.Sum((yj - aj) ** 2, (j, 1, units)))],
        steps=[
            (sp.Derivative(C, aj), _U(sp.Rational(1, 2) * 2 * (yj - aj)) * _U(-1),
             r"only the $j$-th term depends on $a^{[L]}_j$; power rule, and the chain rule "
             r"for $y_j - a_j$"),
            (None, aj - yj, r"multiply out"),
            (C, cost, r"for three output units, written out"),
            (grad, derived, r"differentiate with respect to each $a^{[L]}_j$"),
        ],
        result=(grad, derived),
        textbook=(grad, sp.Matrix([p - q for p, q in zip(a_j, y_j)])),
        method="expand",
        remarks=(
            r"Note 004's table and its worked example agree with this result. Note 002 "
            r"averages the cost with $\frac{1}{m}\sum_{z=0}^{m}$, which has $m + 1$ terms; "
            r"the average over $m$ examples runs from $1$ to $m$ (or $0$ to $m - 1$).",
        ),
    )


def mse_sigmoid_dz():
    """dC/dz = (a - y) sigma(z)(1 - sigma(z)): the chain rule, nothing cancels."""
    s = 1 / (1 + sp.exp(-z))
    half_square = lambda u: sp.Rational(1, 2) * (y - u) ** 2  # noqa: E731
    d = sp.Derivative(C, z)
    return derivation(
        name="mse_sigmoid_dz",
        title=r"Quadratic cost after a sigmoid: $dz = (a - y)\,\sigma'(z)$",
        source=SOURCE_MSE + r"; note 004, output layer error $\delta^L$",
        summary=(
            r"With a sigmoid output and the quadratic cost, the output error "
            r"$\delta^L = \nabla_a C \odot \sigma'(z^L)$ keeps the factor "
            r"$\sigma(z)(1 - \sigma(z))$: unlike with the cross-entropy, nothing cancels it."
        ),
        definition=[(C, half_square(a)), (a, sigma(z))],
        steps=[
            (d, sp.Derivative(C, a) * sp.Derivative(sigma(z), z),
             r"chain rule through $a = \sigma(z)$"),
            (None, _U(a - y) * _U(a * (1 - a)),
             r"$\partial C/\partial a = a - y$ and $\sigma'(z) = a(1 - a)$"),
            (None, as_written(sp.Mul(sigma(z) - y, sigma(z), 1 - sigma(z), evaluate=False)),
             r"with $a = \sigma(z)$"),
        ],
        # Differentiating the composed function directly checks the chain-rule steps.
        result=(d, sp.diff(half_square(s), z)),
        textbook=(d, as_written(sp.Mul(sigma(z) - y, sigma(z), 1 - sigma(z), evaluate=False))),
        method="cancel",
        ranges={z: (-10, 10), y: LABEL},
        remarks=(
            r"Where the sigmoid saturates ($a$ near $0$ or $1$) the factor $a(1 - a)$ is "
            r"near zero, so the gradient vanishes even when the prediction is wrong; the "
            r"cross-entropy avoids this (see $dz = a - y$ above).",
            r"Note 002 writes the same quantity as $\delta^{(n_l)} = -(y - h)\,f'(z)$.",
        ),
    )


def build():
    return [bce_derivative_a(), bce_sigmoid_dz(), bce_cost(), mse_derivative(), mse_sigmoid_dz()]
