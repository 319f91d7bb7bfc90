"""3, 4. Losses: binary cross-entropy (per example and averaged), mean squared error."""

from __future__ import annotations

import sympy as sp

from ..latex import as_written
from ..record import derivation, prove
from ..symbols import a, in_range_simplify, m, sigma, y, z

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

# Sums of symbolic length written out (doit), then every "index within its range"
# condition taken as true (the indices are assumed in range), then simplify.
_IN_RANGE_SIMPLIFY = (
    "simplify(doit(result - textbook)) = 0, indices within their ranges",
    in_range_simplify,
)


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
        result=d,
        textbook=(d, sigma(z) - y),
        # a is the sigmoid's output: the proof writes it out
        expand=lambda e: sp.sympify(e).subs(a, sigma(z)),
        # SymPy's derivative of the composed function, simplified: an independent route
        # that checks the chain-rule steps above.
        derived=sp.simplify(sp.diff(bce(s, y), z)),
        method="cancel",
        ranges={z: (-10, 10), y: LABEL},
        remarks=(
            r"SymPy's derivative of the composed function $\mathcal{L}(\sigma(z), y)$, "
            r"simplified, is $\frac{(1 - y)e^{z} - y}{e^{z} + 1}$; the proof shows it equal "
            r"to the result, $\frac{e^{z}}{1 + e^{z}} - y = \sigma(z) - y = a - y$.",
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


class ExampleEntry(sp.Indexed):
    """Entry ``i`` of a per-example quantity, printed as the notes do: ``a^{(i)}``."""

    def _latex(self, printer, exp=None):
        tex = rf"{printer._print(self.base)}^{{({printer._print(self.indices[0])})}}"
        # braced, so that a power is not a second superscript
        return "{" + tex + "}" if exp is None else rf"\left({tex}\right)^{{{exp}}}"


def _bracket(a_, y_):
    """y log a + (1 - y) log(1 - a), in this order on display."""
    return as_written(sp.Add(y_ * sp.log(a_), (1 - y_) * sp.log(1 - a_), evaluate=False))


def bce_cost():
    """J = -(1/m) sum_i (y^(i) log a^(i) + (1 - y^(i)) log(1 - a^(i))), for any m.

    Proved with a sum of symbolic length m (the minus sign of every loss moves out of
    the sum); the notes' vectorized NumPy line is cross-checked on explicit rows A, Y
    of m = 1, ..., 5 examples.
    """
    i = sp.Symbol("i", positive=True, integer=True)
    a_base, y_base = sp.IndexedBase("a", real=True), sp.IndexedBase("y", real=True)
    a_i, y_i = ExampleEntry(a_base, i), ExampleEntry(y_base, i)
    inserted = sp.Sum(bce(a_i, y_i), (i, 1, m)) / m
    general = -sp.Sum(_bracket(a_i, y_i), (i, 1, m)) / m
    pairs, spots = {}, {}
    for count in COST_SIZES:
        mean, vectorized, ranges = _cost_pair(count)
        pairs[count] = (mean, vectorized)
        spots.update(ranges)
    sizes = ", ".join(map(str, COST_SIZES))
    cross_check = prove(sp.Matrix([pairs[c][0] for c in COST_SIZES]),
                        sp.Matrix([pairs[c][1] for c in COST_SIZES]),
                        (f"expand(mean of the losses - vectorized line) = 0 on explicit rows "
                         f"A, Y of m = {sizes} examples", _expand_entries), spots, points=4)
    return derivation(
        name="bce_cost",
        title=r"The cross-entropy cost over $m$ examples",
        source=SOURCE_COST,
        summary=(
            r"The cost $J$ averages the per-example losses over the $m$ examples of a "
            r"batch. Written with the activations and labels as rows $A$ and $Y$, the "
            r"sum becomes one elementwise expression summed over all entries."
        ),
        definition=[
            (J, sp.Sum(loss(a_i, y_i), (i, 1, m)) / m),
            (loss(a, y), bce(a, y)),
        ],
        steps=[
            (J, inserted, r"definition of $\mathcal{L}$, for each example $i$"),
            (None, general, r"linearity of the sum: the minus sign of every term factors out"),
        ],
        result=J,
        textbook=(J, -sp.Sum(_bracket(a_i, y_i), (i, 1, m)) / m),
        derived=inserted,
        derived_as=r"the definition with $\mathcal{L}$ inserted, before the sign is moved",
        ranges={a_base: PROBABILITY, y_base: LABEL, m: (1, 6)},
        assumptions=(r"$0 < a^{(i)} < 1$ for every example $i$.",),
        remarks=(
            r"Note 001's scalar formula $-\frac{1}{m}\sum_i y^{(i)}\log \hat y^{(i)} + "
            r"(1 - y^{(i)})\log(1 - \hat y^{(i)})$ lacks brackets: as written, the minus "
            r"sign and the sum apply only to the first term. The bracketed form is in its "
            r"L2 section and is the textbook form here. The notes also switch between "
            r"$\hat y^{[i]}$ and $y^{(i)}$ for example $i$; we write $(i)$ throughout.",
            r"\emph{Cross-check.} Note 001's vectorized line $J = -\frac{1}{m}$ "
            r"\texttt{np.sum(np.multiply(Y, np.log(A)) + np.multiply(1 - Y, np.log(1 - A)))}, "
            r"with $A = (a^{(1)}, \dots, a^{(m)})$ and $Y = (y^{(1)}, \dots, y^{(m)})$ as "
            r"rows and $\odot$ elementwise, is correct: it sums the same $m$ brackets. Written out for "
            rf"explicit rows of $m = {sizes}$ examples, its difference from the mean of the "
            r"losses expands to $0$"
            + ("." if cross_check.holds else r"; \emph{it does not}: the cross-check fails."),
        ),
        extra={"vectorized_cross_check": cross_check, "explicit": pairs},
    )


def cost_mean():
    """J = (1/m) sum_i sum_k L(a_k^(i), y_k^(i)): the cost of every output layer, the mean
    over the m examples of the per-example loss, which sums the loss of each output unit.

    Code generation prints this result for every loss, with L the loss's own form (the
    double sum over the (n_y, m) entries is the sum of every entry of L(A, Y))."""
    i, k = sp.symbols("i k", positive=True, integer=True)
    units = sp.Symbol(r"n_y", positive=True, integer=True)
    a_base, y_base = sp.IndexedBase("a", real=True), sp.IndexedBase("y", real=True)
    per_example = ExampleEntry(sp.IndexedBase(r"\mathcal{L}", real=True), i)
    unit_loss = sp.Function("L", real=True)
    summed = sp.Sum(unit_loss(a_base[k, i], y_base[k, i]), (k, 1, units))
    double = sp.Sum(summed, (i, 1, m)) / m
    return derivation(
        name="cost_mean",
        title=r"The cost: the mean over the examples of the loss summed over the outputs",
        source=SOURCE_COST + r"; " + SOURCE_MSE,
        summary=(
            r"Every output layer's cost $J$ averages the per-example loss over the $m$ "
            r"examples, and the loss of one example adds the loss $L$ of each of its "
            r"$n_y$ output units (one unit for a sigmoid output, the $K$ classes of a "
            r"softmax, the $n_y$ targets of a linear output). With the activations and "
            r"labels as $(n_y, m)$ arrays, $J$ is $\frac{1}{m}$ times the sum of every "
            r"entry of $L(A, Y)$."
        ),
        definition=[
            (J, sp.Sum(per_example, (i, 1, m)) / m),
            (per_example, sp.Sum(unit_loss(ExampleEntry(sp.IndexedBase("a_k"), i),
                                            ExampleEntry(sp.IndexedBase("y_k"), i)),
                                 (k, 1, units))),
        ],
        steps=[(J, double, r"the loss of example $i$ inserted; $a_{k,i}$ is unit $k$ of "
                           r"example $i$")],
        result=J,
        textbook=(J, double),
        assumptions=(r"$L$ is the loss of one output unit: binary cross-entropy on a "
                     r"sigmoid, $-y \log a$ on a softmax (whose units sum to one), "
                     r"$\frac{1}{2}(a - y)^2$ or Huber on a linear output.",),
        remarks=(r"The notes define $J = \frac{1}{m}\sum_i \mathcal{L}(\hat y^{(i)}, "
                 r"y^{(i)})$ for one output unit and, for several, the quadratic cost "
                 r"$\frac{1}{2}\sum_r (y_r - a_r)^2$ of one example: this is both, stated "
                 r"once for every loss.",),
        extra={"unit_loss": unit_loss},
    )


def mse_derivative():
    """dC/da_j = a_j - y_j for C = 1/2 sum_r (y_r - a_r)^2, for any number of units."""
    j, r = sp.symbols("j r", positive=True, integer=True)
    units = sp.Symbol(r"n^{[L]}", positive=True, integer=True)
    a_L, y_L = sp.IndexedBase(r"a^{[L]}", real=True), sp.IndexedBase(r"y^{[L]}", real=True)
    cost = sp.Rational(1, 2) * sp.Sum((y_L[r] - a_L[r]) ** 2, (r, 1, units))
    d = sp.Derivative(C, a_L[j])
    return derivation(
        name="mse_derivative",
        title=r"Quadratic cost: gradient with respect to the output activations",
        source=SOURCE_MSE,
        summary=(
            r"The quadratic cost adds half the squared error of each output unit. Each "
            r"unit's error appears in one term only, so the gradient is the vector of "
            r"errors, $a^{[L]} - y$."
        ),
        definition=[(C, cost)],
        steps=[
            (d, sp.Rational(1, 2) * sp.Sum(
                as_written(sp.Mul(2, y_L[r] - a_L[r], -sp.KroneckerDelta(r, j),
                                  evaluate=False)), (r, 1, units)),
             r"linearity of the derivative; power rule and chain rule on each term, with "
             r"$\partial a^{[L]}_r / \partial a^{[L]}_j = \delta_{rj}$"),
            (None, a_L[j] - y_L[j], r"the Kronecker delta keeps the term $r = j$"),
        ],
        result=d,
        textbook=(d, a_L[j] - y_L[j]),
        derived=sp.diff(cost, a_L[j]),
        method=_IN_RANGE_SIMPLIFY,
        ranges={units: (1, 5), j: (1, units)},
        assumptions=(r"$1 \le j \le n^{[L]}$: $j$ is one of the output units.",),
        remarks=(
            r"As a vector, $\nabla_{a} C = a^{[L]} - y$; in the notes' matrix form, "
            r"$dA^{[L]} = A^{[L]} - Y$ over the $m$ examples.",
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
        source=SOURCE_MSE + r"; note 004, output layer error $\delta^{[L]}$",
        summary=(
            r"With a sigmoid output and the quadratic cost, the output error "
            r"$\delta^{[L]} = \nabla_a C \odot \sigma'(z^{[L]})$ keeps the factor "
            r"$\sigma(z)(1 - \sigma(z))$: unlike with the cross-entropy, nothing cancels it."
        ),
        definition=[(C, half_square(a)), (a, sigma(z))],
        steps=[
            (d, sp.Derivative(C, a) * sp.Derivative(sigma(z), z),
             r"chain rule through $a = \sigma(z)$"),
            (None, _U(a - y) * _U(a * (1 - a)),
             r"$\partial C/\partial a = a - y$ and $\sigma'(z) = a(1 - a)$"),
            (None, as_written(sp.Mul(sigma(z) - y, sigma(z), 1 - sigma(z), evaluate=False)),
             r"definition of $a$: $a = \sigma(z)$"),
        ],
        result=d,
        textbook=(d, as_written(sp.Mul(sigma(z) - y, sigma(z), 1 - sigma(z), evaluate=False))),
        # Differentiating the composed function directly checks the chain-rule steps.
        derived=sp.diff(half_square(s), z),
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
    return [bce_derivative_a(), bce_sigmoid_dz(), bce_cost(), cost_mean(), mse_derivative(),
            mse_sigmoid_dz()]
