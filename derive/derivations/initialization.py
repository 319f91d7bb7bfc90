"""10. Initialization: why not zeros (symmetry), and the Xavier and He variances.

The symmetry argument is shown on an explicit network with two hidden units, generic
activations and a generic loss, differentiated with ``sp.diff``. The variances follow
from moment algebra on ``z = sum_k w_k a_k`` (written with Kronecker deltas, for any
fan-in ``n``), cross-checked on the expanded polynomial for an explicit fan-in; the
ReLU moment is integrated against ``sympy.stats`` densities (normal and uniform).
"""

from __future__ import annotations

import sympy as sp
from sympy import stats

from ..latex import as_written
from ..record import derivation
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


def zero_init_symmetry():
    net = _SymmetricNet()
    dW1, db1, dW2 = net.gradient(net.W1), net.gradient(net.b1), net.gradient(net.W2)
    difference = sp.Matrix([[dW1[0, 0] - dW1[1, 0], dW1[0, 1] - dW1[1, 1],
                             db1[0] - db1[1], dW2[0, 0] - dW2[0, 1]]])
    Z1 = net.forward()[0].xreplace(net.symmetric)
    alpha = sp.Symbol(r"\alpha", positive=True)
    # One step, with the entries of the first row of dW1 named: the second row is the
    # same expressions (that is the point), so it gets the same names.
    step_names = {dW1[0, c]: sp.Symbol(rf"dW^{{[1]}}_{{1,{c + 1}}}") for c in range(2)}
    W1_next = (net.W1 - alpha * dW1).xreplace(net.symmetric).xreplace(step_names)
    if W1_next[0, :] != W1_next[1, :]:
        raise ArithmeticError("one gradient step must keep the rows of W1 equal")
    delta = sp.Symbol(r"\Delta")
    return derivation(
        name="zero_init_symmetry",
        title=r"Zero initialization never breaks the symmetry of hidden units",
        source=SOURCE_ZEROS,
        summary=(
            r"If two hidden units start with the same incoming weights and bias and the "
            r"same outgoing weight, as with all-zero initialization, they compute the same "
            r"activation for every input and receive the same gradient. Gradient descent "
            r"keeps them equal at every step, so the layer acts like a single unit."
        ),
        definition=[
            (sp.Symbol("W^{[1]}"), net.W1.xreplace(net.symmetric)),
            (sp.Symbol("b^{[1]}"), net.b1.xreplace(net.symmetric)),
            (sp.Symbol("W^{[2]}"), net.W2.xreplace(net.symmetric)),
            (sp.Symbol("J"), sp.Symbol(r"\frac{1}{2}\left(\mathcal{L}_1(a^{[2](1)}) + "
                                       r"\mathcal{L}_2(a^{[2](2)})\right)")),
        ],
        steps=[
            (sp.Symbol("Z^{[1]}"), Z1, r"equal rows of $W^{[1]}$, equal entries of $b^{[1]}$: "
                                      r"equal rows of $Z^{[1]}$, hence of $A^{[1]}$ (activations $h_i$)"),
            (sp.Symbol("dW^{[1]}"), dW1,
             r"\texttt{sp.diff} of $J$ by each entry of $W^{[1]}$, at the symmetric point"),
            (sp.Symbol("db^{[1]}"), db1, r"the same for $b^{[1]}$"),
            (sp.Symbol("dW^{[2]}"), dW2, r"the same for $W^{[2]}$: both hidden units feed "
                                         r"the output with the same activation"),
            (sp.Symbol(r"W^{[1]} - \alpha\, dW^{[1]}"), W1_next,
             r"one gradient step, with $dW^{[1]}_{1,k} = dW^{[1]}_{2,k}$ from above: the "
             r"rows stay equal, so the next step starts symmetric again"),
        ],
        result=(delta, difference),
        textbook=(delta, sp.zeros(1, 4)),
        method="expand",
        assumptions=(
            r"$\Delta = (dW^{[1]}_{1,:} - dW^{[1]}_{2,:},\; db^{[1]}_1 - db^{[1]}_2,\; "
            r"dW^{[2]}_{1,1} - dW^{[2]}_{1,2})$: the differences between the two hidden units.",
            r"Generic activations $g^{[1]}, g^{[2]}$ and per-example losses $\mathcal{L}_i$ "
            r"(undefined SymPy functions); 2 inputs, 2 hidden units, 1 output, $m = 2$.",
        ),
        remarks=(
            r"Zero initialization ($u = v = c = w = 0$) is the special case the notes "
            r"describe; then even $dW^{[1]} = 0$ at the first step, because "
            r"$dZ^{[1]} = W^{[2]T} dZ^{[2]} \odot g'(Z^{[1]})$ and $W^{[2]} = 0$. With tanh "
            r"hidden units ($\tanh 0 = 0$) also $dW^{[2]} = dZ^{[2]} A^{[1]T} = 0$: only "
            r"$b^{[2]}$ ever learns.",
            r"By induction over the steps the hidden units stay identical forever (the "
            r"notes: ``independent how many cycles''). Random initialization breaks the "
            r"symmetry; the biases may start at zero.",
        ),
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
         r"linearity; $w_k$ independent of $a_k$"),
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
             r"integrate with the density \texttt{sympy.stats} gives for $z \sim \mathcal{N}(0, s^2)$"),
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
