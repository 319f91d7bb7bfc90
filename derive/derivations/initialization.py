"""10. Initialization: why not zeros (symmetry), and the Xavier and He variances.

The symmetry argument is general: at a symmetric point the layer formulas give every
gradient of layer l as an expression without the unit index j (any sizes, any m, any
activation), cross-checked on an explicit network with two hidden units, generic
activations and a generic loss, differentiated entry by entry. The variances follow
from moment algebra on ``z = sum_k w_k a_k`` (written with Kronecker deltas, for any
fan-in ``n``), cross-checked on the expanded polynomial for an explicit fan-in; the
ReLU moment is integrated against ``sympy.stats`` densities (normal and uniform).
"""

from __future__ import annotations

import sympy as sp
from sympy import stats

from ..latex import as_written
from ..record import derivation, prove
from ..symbols import m
from .layer import keep_in_range, named, partials_at, symbol_matrix

__all__ = ["build"]

SOURCE_ZEROS = "note 001, Calculation Problem with Zero Matrix; note 003 (bprop)"
SOURCE_VARIANCE = "note 001, Xavier or He Initialization"

n = sp.Symbol(r"n^{[l-1]}", positive=True, integer=True)   # fan-in of layer l
var_w = sp.Symbol(r"\operatorname{Var}(w)", positive=True)
var_a = sp.Symbol(r"\operatorname{Var}(a)", positive=True)
var_z = sp.Symbol(r"\operatorname{Var}(z)", positive=True)
E_a2 = sp.Symbol(r"\mathbb{E}[a^2]", positive=True)
_RANGES = {n: (1, 1000), var_w: (0.01, 3), var_a: (0.01, 3), var_z: (0.01, 3),
           E_a2: (0.01, 3)}


# --------------------------------------------------------------------------------------
# Symmetry of zero (or any row-identical) initialization.


class _SymmetricNet:
    """2 inputs -> 2 hidden units (g1) -> 1 output (g2), m = 2 examples, loss L_i(a2_i).

    The gradients are taken with independent parameter symbols, then evaluated at a
    symmetric point: equal rows of W1, equal entries of b1 and of W2 (W1 = 0, b1 = 0,
    W2 = 0 is the special case of zero initialization).
    """

    n0, n1, mm = 2, 2, 2

    def __init__(self):
        self.X = symbol_matrix("x", self.n0, self.mm)
        self.W1, self.b1 = symbol_matrix("W1", self.n1, self.n0), symbol_matrix("b1", self.n1, 1)
        self.W2, self.b2 = symbol_matrix("W2", 1, self.n1), symbol_matrix("b2", 1, 1)
        self.g1, self.g2 = sp.Function("g1", real=True), sp.Function("g2", real=True)
        self.losses = [sp.Function(f"L{i + 1}", real=True) for i in range(self.mm)]
        u, v, c, w = sp.symbols("u v c w", real=True)
        self.symmetric = {self.W1[0, 0]: u, self.W1[0, 1]: v, self.W1[1, 0]: u, self.W1[1, 1]: v,
                          self.b1[0]: c, self.b1[1]: c, self.W2[0, 0]: w, self.W2[0, 1]: w}

    def forward(self):
        Z1 = self.W1 * self.X + self.b1 * sp.ones(1, self.mm)
        A1 = Z1.applyfunc(self.g1)
        Z2 = self.W2 * A1 + self.b2 * sp.ones(1, self.mm)
        return Z1, A1, Z2

    def cost(self):
        _, _, Z2 = self.forward()
        return sp.Add(*(L(self.g2(Z2[0, i])) for i, L in enumerate(self.losses))) / self.mm

    def names(self):
        """Plain symbols for g1, g1', g2', dL at the symmetric point (one per example:
        both hidden units share them there, which is the point)."""
        Z1, A1, Z2 = (M.xreplace(self.symmetric) for M in self.forward())
        out = {}
        for i in range(self.mm):
            h = sp.Symbol(f"h_{i + 1}")   # the common hidden activation of example i
            gp1 = sp.Symbol(rf"g^{{[1]\prime}}_{{{i + 1}}}")   # g1'(z1) of example i
            gp2 = sp.Symbol(rf"g^{{[2]\prime}}_{{{i + 1}}}")   # g2'(z2) of example i
            dL = sp.Symbol(rf"\mathcal{{L}}'_{{{i + 1}}}")     # L_i' at the output
            for j in range(self.n1):
                out.update(partials_at(self.g1, [Z1[j, i]], [gp1]))
                out[A1[j, i]] = h
            out.update(partials_at(self.g2, [Z2[0, i]], [gp2]))
            out.update(partials_at(self.losses[i], [self.g2(Z2[0, i])], [dL]))
        return out

    def gradient(self, parameters):
        """dJ/d(parameter) entry by entry, then evaluated at the symmetric point."""
        J, names = self.cost(), self.names()
        return parameters.applyfunc(lambda p: named(sp.diff(J, p).xreplace(self.symmetric), names))


def _symmetric_layer():
    """dW^[l]_{j,k}, db^[l]_j and dW^[l+1]_{r,j} at a symmetric point, for any sizes.

    Layer l has incoming weights W^[l]_{j,k} = u_k and biases b^[l]_j = c for every
    unit j, and outgoing weights W^[l+1]_{r,j} = w_r. The layer formulas (proved in
    section 6) then give every gradient as an expression in which the unit j does not
    occur. Returns the display pieces and the three gradients.
    """
    j, j2, k, k2, i, r, r2 = sp.symbols("j j' k k' i r r'", integer=True, positive=True)
    n_prev, n_l, n_next = sp.symbols(r"n^{[l-1]} n^{[l]} n^{[l+1]}", integer=True, positive=True)
    u, w = sp.IndexedBase("u", real=True), sp.IndexedBase("w", real=True)
    c = sp.Symbol("c", real=True)
    A_prev = sp.IndexedBase(r"A^{[l-1]}", real=True)
    dZ_next = sp.IndexedBase(r"dZ^{[l+1]}", real=True)
    g_prime = sp.Function(r"g^{[l]\prime}", real=True)
    g = sp.Function(r"g^{[l]}", real=True)
    W = lambda row, col: u[col]      # noqa: E731  W^[l]_{row,col} at the symmetric point
    b = lambda row: c                # noqa: E731
    W_next = lambda row, col: w[row]  # noqa: E731
    Z = lambda row, col: sp.Sum(W(row, k2) * A_prev[k2, col], (k2, 1, n_prev)) + b(row)  # noqa: E731
    dA = lambda row, col: sp.Sum(W_next(r2, row) * dZ_next[r2, col], (r2, 1, n_next))  # noqa: E731
    dZ = lambda row, col: dA(row, col) * g_prime(Z(row, col))  # noqa: E731
    dW = lambda row, col: sp.Sum(dZ(row, i) * A_prev[col, i], (i, 1, m)) / m  # noqa: E731
    db = lambda row: sp.Sum(dZ(row, i), (i, 1, m)) / m  # noqa: E731
    dW_next = lambda row, col: sp.Sum(dZ_next[row, i] * g(Z(col, i)), (i, 1, m)) / m  # noqa: E731
    return locals()


def zero_init_symmetry():
    s = _symmetric_layer()
    j, j2, k, r, i = s["j"], s["j2"], s["k"], s["r"], s["i"]
    dW, db, dW_next, Z, dA, dZ = s["dW"], s["db"], s["dW_next"], s["Z"], s["dA"], s["dZ"]
    # The differences between two units j and j' of layer l, computed from the
    # formulas: each is 0 because j does not occur in the gradients.
    derived = sp.Matrix([dW(j, k) - dW(j2, k), db(j) - db(j2), dW_next(r, j) - dW_next(r, j2)])
    for gradient in (dW(j, k), db(j), dW_next(r, j)):
        if j in gradient.free_symbols:
            raise ArithmeticError(f"the unit index j occurs in {gradient}")
    delta = sp.Symbol(r"\Delta")
    # Cross-check: an explicit network (2 inputs, 2 hidden units, 1 output, m = 2),
    # every gradient differentiated by SymPy from the cost at the symmetric point.
    net = _SymmetricNet()
    dW1, db1, dW2 = net.gradient(net.W1), net.gradient(net.b1), net.gradient(net.W2)
    explicit = prove(sp.Matrix([dW1[0, 0] - dW1[1, 0], dW1[0, 1] - dW1[1, 1],
                                db1[0] - db1[1], dW2[0, 0] - dW2[0, 1]]),
                     sp.zeros(4, 1), "expand", points=4)
    Wl, bl, Wn = (sp.IndexedBase(name) for name in (r"W^{[l]}", r"b^{[l]}", r"W^{[l+1]}"))
    dWl, dbl, dWn = (sp.IndexedBase(name) for name in (r"dW^{[l]}", r"db^{[l]}", r"dW^{[l+1]}"))
    Zl, dAl, dZl = (sp.IndexedBase(name) for name in (r"Z^{[l]}", r"dA^{[l]}", r"dZ^{[l]}"))
    return derivation(
        name="zero_init_symmetry",
        title=r"Zero initialization never breaks the symmetry of hidden units",
        source=SOURCE_ZEROS,
        summary=(
            r"If all units of a layer start with the same incoming weights and bias and the "
            r"same outgoing weights, as with all-zero initialization, they compute the same "
            r"activation for every input and receive the same gradient. Gradient descent "
            r"keeps them equal at every step (by induction), so the layer acts like a "
            r"single unit."
        ),
        definition=[
            (Wl[j, k], s["u"][k]),
            (bl[j], s["c"]),
            (Wn[r, j], s["w"][r]),
        ],
        steps=[
            (Zl[j, i], Z(j, i),
             r"definition of $Z^{[l]}$ at the symmetric point: $j$ does not occur on the "
             r"right, so every unit has the same pre-activation, hence the same activation"),
            (dAl[j, i], dA(j, i), r"$dA^{[l]} = W^{[l+1]T} dZ^{[l+1]}$: no $j$ on the right"),
            (dZl[j, i], dZ(j, i), r"$dZ^{[l]} = dA^{[l]} \odot g^{[l]\prime}(Z^{[l]})$"),
            (dWl[j, k], dW(j, k), r"$dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}$: no $j$"),
            (dbl[j], db(j), r"$db^{[l]} = \frac{1}{m} \sum_i dZ^{[l]}_{:,i}$: no $j$"),
            (dWn[r, j], dW_next(r, j),
             r"$dW^{[l+1]} = \frac{1}{m} dZ^{[l+1]} A^{[l]T}$, with $A^{[l]}_{j,i} = "
             r"g^{[l]}(Z^{[l]}_{j,i})$: no $j$"),
            (delta, sp.zeros(3, 1),
             r"the gradients above do not depend on the unit $j$, so the differences "
             r"between any two units $j$ and $j'$ vanish"),
        ],
        result=delta,
        textbook=(delta, sp.zeros(3, 1)),
        derived=derived,
        derived_as=(r"the column of differences computed from the layer formulas at the "
                    r"symmetric point, for two unit indices $j$ and $j'$"),
        method="expand",
        assumptions=(
            r"$\Delta = (dW^{[l]}_{j,k} - dW^{[l]}_{j',k},\; db^{[l]}_{j} - db^{[l]}_{j'},\; "
            r"dW^{[l+1]}_{r,j} - dW^{[l+1]}_{r,j'})$: the differences between any two units "
            r"$j$, $j'$ of layer $l$, for every input $k$ and next-layer unit $r$.",
            r"At the start, $W^{[l]}_{j,k} = u_k$, $b^{[l]}_j = c$ and $W^{[l+1]}_{r,j} = w_r$ "
            r"for every unit $j$ (all zeros is the case $u = 0$, $c = 0$, $w = 0$); any "
            r"activation $g^{[l]}$, any cost, any layer sizes and any $m$.",
        ),
        remarks=(
            r"Induction over the steps: one gradient step $W^{[l]}_{j,k} - \alpha\, "
            r"dW^{[l]}_{j,k}$, $b^{[l]}_j - \alpha\, db^{[l]}_j$, $W^{[l+1]}_{r,j} - \alpha\, "
            r"dW^{[l+1]}_{r,j}$ again does not depend on $j$, so the next step starts "
            r"symmetric again and the units stay identical forever (the notes: "
            r"``independent how many cycles''). Random initialization breaks the symmetry; "
            r"the biases may start at zero.",
            r"Zero initialization ($u = 0$, $c = 0$, $w = 0$) is the special case the notes "
            r"describe; then even $dW^{[l]} = 0$ at the first step, because $dA^{[l]} = "
            r"W^{[l+1]T} dZ^{[l+1]} = 0$. With tanh hidden units ($\tanh 0 = 0$) also "
            r"$dW^{[l+1]} = 0$: only the output bias ever learns.",
            r"\emph{Cross-check.} For an explicit network (2 inputs, 2 hidden units, 1 "
            r"output, $m = 2$, generic activations and losses), the gradients differentiated "
            r"by SymPy from the cost at the symmetric point agree between the two hidden "
            r"units: their differences expand to $0$"
            + ("." if explicit.holds else r"; \emph{it does not}: the cross-check fails."),
        ),
        extra={"explicit_cross_check": explicit},
    )


# --------------------------------------------------------------------------------------
# Variance of z = sum_k w_k a_k: Xavier and He.


def _variance_of_z():
    """Var(z) for z = sum_{k=1}^{n} w_k a_k, by moment algebra with Kronecker deltas.

    Returns (steps, Var(z) in terms of Var(w) and E[a^2]).
    """
    k, q = sp.symbols("k q", integer=True, positive=True)
    w, a = sp.IndexedBase("w"), sp.IndexedBase("a")
    E = sp.Function(r"\mathbb{E}")
    second_moment = sp.Sum(sp.Sum(E(w[k] * w[q]) * E(a[k] * a[q]), (q, 1, n)), (k, 1, n))
    # Independent zero-mean weights with a common variance: E[w_k w_q] = Var(w) delta_kq.
    inner_sum = sp.Sum(var_w * sp.KroneckerDelta(k, q) * E(a[k] * a[q]), (q, 1, n))
    with_delta = sp.Sum(inner_sum, (k, 1, n))
    inner = keep_in_range(inner_sum.doit())
    collapsed = sp.Sum(inner, (k, 1, n)).xreplace({E(a[k] * a[k]): E_a2})
    variance = collapsed.doit()
    shown = sp.Mul(n, var_w, E_a2, evaluate=False)   # a textbook's order
    if sp.simplify(shown - variance) != 0:
        raise ArithmeticError("Var(z) is misprinted")
    steps = [
        (sp.Symbol(r"\mathbb{E}[z]"), sp.Sum(E(w[k]) * E(a[k]), (k, 1, n)),
         r"linearity of expectation; $w_k$ independent of $a_k$"),
        (None, sp.S.Zero, r"the weights have mean $0$"),
        (var_z, second_moment,
         r"$\operatorname{Var}(z) = \mathbb{E}[z^2]$; expand the square; weights independent of activations"),
        (None, with_delta, r"$\mathbb{E}[w_k w_q] = \operatorname{Var}(w)\,\delta_{kq}$: "
                           r"independent zero-mean weights"),
        (None, collapsed, r"the Kronecker delta keeps $q = k$; identically distributed $a_k$"),
        (None, shown, r"sum of $n^{[l-1]}$ equal terms"),
    ]
    return steps, variance


def _explicit_moment_check(fan_in: int = 3) -> bool:
    """Var(z) = fan_in Var(w) E[a^2] on the expanded polynomial z^2, for explicit fan-in.

    Independent of the Kronecker-delta computation: the square is expanded term by term
    and each monomial's expectation is the product of one-variable moments (all
    variables independent): E[w] = 0, E[w^2] = Var(w); E[a] = mu (any mean),
    E[a^2] = E[a^2].
    """
    ws = sp.symbols(f"w1:{fan_in + 1}")
    as_ = sp.symbols(f"a1:{fan_in + 1}")
    mu = sp.Symbol("mu")
    moments = {**{w: {1: 0, 2: var_w} for w in ws}, **{a: {1: mu, 2: E_a2} for a in as_}}

    def expectation(polynomial):
        total = sp.S.Zero
        for powers, coefficient in sp.Poly(polynomial, *ws, *as_).terms():
            term = coefficient
            for variable, power in zip(ws + as_, powers):
                if power:
                    term *= moments[variable][power]
            total += term
        return total

    z = sum(w * a for w, a in zip(ws, as_))
    mean, second = expectation(z), expectation(sp.expand(z ** 2))
    return mean == 0 and sp.expand(second - mean ** 2 - fan_in * var_w * E_a2) == 0


def xavier_variance():
    steps, variance = _variance_of_z()
    var_z_zero_mean = variance.xreplace({E_a2: var_a})
    solution = sp.solve(sp.Eq(var_z_zero_mean, var_a), var_w)[0]
    return derivation(
        name="xavier_variance",
        title=r"Xavier initialization: $\operatorname{Var}(w) = 1/n^{[l-1]}$",
        source=SOURCE_VARIANCE,
        summary=(
            r"A unit sums $n^{[l-1]}$ products of weights and incoming activations, so the "
            r"variance of its input grows with the fan-in: "
            r"$\operatorname{Var}(z) = n^{[l-1]} \operatorname{Var}(w) \operatorname{Var}(a)$. "
            r"Choosing $\operatorname{Var}(w) = 1/n^{[l-1]}$ keeps the variance constant from "
            r"layer to layer, so signals neither vanish nor explode at the start."
        ),
        definition=[(sp.Symbol("z"), sp.Sum(as_written(sp.Mul(
            sp.IndexedBase("w")[sp.Symbol("k")], sp.IndexedBase("a")[sp.Symbol("k")],
            evaluate=False)), (sp.Symbol("k"), 1, n)))],
        steps=steps + [
            (var_z, sp.Mul(n, var_w, var_a, evaluate=False),
             r"zero-mean activations: $\mathbb{E}[a^2] = \operatorname{Var}(a)$"),
            (var_w, solution, r"solve $\operatorname{Var}(z) = \operatorname{Var}(a)$ for "
                              r"$\operatorname{Var}(w)$"),
        ],
        result=(var_w, solution),
        textbook=(var_w, 1 / n),
        method="simplify",
        ranges=_RANGES,
        assumptions=(
            r"At initialization the biases are $0$; weights are independent, mean $0$, "
            r"common variance, and independent of the activations; the activations are "
            r"identically distributed with mean $0$ (tanh near the origin).",
        ),
        remarks=(
            r"The notes scale \texttt{np.random.randn} by $\sqrt{1/n_x}$: a standard "
            r"deviation, so the variance is $1/n_x$. The rule uses the fan-in of each "
            r"layer, $n^{[l-1]}$; $n_x = n^{[0]}$ is right only for the first layer.",
            r"Glorot and Bengio's paper averages forward and backward conditions, "
            r"$\operatorname{Var}(w) = 2/(n^{[l-1]} + n^{[l]})$; $1/n^{[l-1]}$ is the "
            r"forward condition alone, the form the notes use.",
            r"Cross-check: expanding $z^2$ for $n^{[l-1]} = 3$ and taking the expectation "
            r"of each monomial (independent variables) gives the same "
            r"$3 \operatorname{Var}(w)\,\mathbb{E}[a^2]$, for any mean of $a$.",
        ),
        extra={"explicit_moment_check_fan_in_3": _explicit_moment_check(3)},
    )


def _half_and_full_second_moment(variable, t, upper):
    """(E[max(z, 0)^2], E[z^2]) for a random variable z symmetric around 0, by
    integrating t^2 against its ``sympy.stats`` density (direct integration is several
    times faster than ``stats.E`` of ``Max``)."""
    density = stats.density(variable)(t)
    return (sp.integrate(t ** 2 * density, (t, 0, upper)),
            sp.integrate(t ** 2 * density, (t, -upper, upper)))


def he_variance():
    steps, variance = _variance_of_z()
    s = sp.Symbol("s", positive=True)
    t = sp.Symbol("t", real=True)
    relu_second_moment, variance_normal = _half_and_full_second_moment(
        stats.Normal("z", 0, s), t, sp.oo)
    c = sp.Symbol("c", positive=True)
    uniform_half, uniform_full = _half_and_full_second_moment(stats.Uniform("u", -c, c), t, c)
    uniform_ratio = sp.simplify(uniform_half / uniform_full)
    var_prev = sp.Symbol(r"\operatorname{Var}(z^{[l-1]})", positive=True)
    ratio = sp.simplify(relu_second_moment / variance_normal)
    var_z_relu = variance.xreplace({E_a2: ratio * var_prev})
    solution = sp.solve(sp.Eq(var_z_relu, var_prev), var_w)[0]
    return derivation(
        name="he_variance",
        title=r"He initialization: $\operatorname{Var}(w) = 2/n^{[l-1]}$ for ReLU",
        source=SOURCE_VARIANCE,
        summary=(
            r"ReLU sets the negative half of its input to zero, so for a pre-activation "
            r"symmetric around $0$ it keeps half of the second moment: "
            r"$\mathbb{E}[\operatorname{ReLU}(z)^2] = \operatorname{Var}(z)/2$. To keep the "
            r"variance from layer to layer the weights need twice the Xavier variance, "
            r"$2/n^{[l-1]}$."
        ),
        definition=[(sp.Symbol(r"a^{[l-1]}"), sp.Max(sp.Symbol(r"z^{[l-1]}"), 0))],
        steps=steps + [
            (sp.Symbol(r"\mathbb{E}[\max(z, 0)^2]"),
             sp.Integral(t ** 2 * sp.Function("f_z")(t), (t, 0, sp.oo)),
             r"$\max(t, 0)^2 = 0$ for $t \le 0$"),
            (None, relu_second_moment,
             r"integrate against the normal density of $z \sim \mathcal{N}(0, s^2)$"),
            (None, as_written(sp.Mul(ratio, variance_normal, evaluate=False)),
             r"$\operatorname{Var}(z) = s^2$: half the variance. For $z$ uniform on $(-c, c)$ "
             r"the ratio is also $%s$: only the symmetry matters" % sp.latex(uniform_ratio)),
            (sp.Symbol(r"\operatorname{Var}(z^{[l]})"),
             as_written(sp.Mul(ratio, n, var_w, var_prev, evaluate=False)), r"$\mathbb{E}[a^2] = \operatorname{Var}(z^{[l-1]})/2$ "
                                r"(the mean of $a$ is not $0$; $\mathbb{E}[a^2]$ is what enters)"),
            (var_w, solution, r"solve $\operatorname{Var}(z^{[l]}) = \operatorname{Var}(z^{[l-1]})$"),
        ],
        result=(var_w, solution),
        textbook=(var_w, 2 / n),
        method="simplify",
        ranges={**_RANGES, var_prev: (0.01, 3)},
        assumptions=(
            r"Weights as for Xavier (independent, mean $0$, common variance, independent of "
            r"the activations); the previous pre-activations $z^{[l-1]}$ are symmetric "
            r"around $0$ (true when the weights before them are), and $a = \operatorname{ReLU}(z)$.",
        ),
        remarks=(
            r"The notes scale by $\sqrt{2/n_x}$: the standard deviation, for the first "
            r"layer only. In general the fan-in $n^{[l-1]}$ of the layer is used.",
            r"Unlike Xavier's derivation the activations here do not have mean $0$; the "
            r"variance of $z$ depends on $\mathbb{E}[a^2]$, not on $\operatorname{Var}(a)$, "
            r"which is why the moment algebra keeps $\mathbb{E}[a^2]$.",
        ),
        extra={"relu_second_moment_ratio": ratio, "uniform_ratio": uniform_ratio},
    )


def build():
    return [zero_init_symmetry(), xavier_variance(), he_variance()]
