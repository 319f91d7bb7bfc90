"""Note 004, "maths.md": notation, forward pass, the four equations, costs, optimizers.

Conventions of the note (Nielsen's, for backpropagation): ``w^l`` maps layer ``l-1`` to
layer ``l``, shape ``n^l x n^{l-1}``; ``delta^l = dC/dz^l``; ``\\odot`` the Hadamard
product. Optimizers: Andrew Ng's course (``epsilon`` added outside the square root).
"""

from __future__ import annotations

import sympy as sp

from ..builders import once, definition, numeric, rule, same, shapes, with_note
from ..check import all_of, check_identity, fails, holds
from ..netchecks import adam_constant_gradient, bp, ema_unrolled, rmsprop_scale_free
from ..record import Verdict
from ._make import claim

__all__ = ["CLAIMS"]

S_NOT = "Notation"
S_FWD = "Forward"
S_BP = "Backpropagation"
S_BP1 = "1. The error in the output layer"
S_SMD = "SoftMax derivation"
S_BP2 = "2. The error in terms of the error in the next layer"
S_BP3 = "3. Rate of change of the cost with respect to any bias"
S_BP4 = "4. Rate of change of the cost with respect to any weight"
S_OPT = "Optimizers"
S_MOM = "Optimizers, Momentum"
S_RMS = "Optimizers, RMSprop"
S_ADAM = "Optimizers, Adam"

_ONE = sp.OneMatrix
_BCE = {"a": (0, 1), "q": (0, 1), "p": (0, 1), "y": [0, 1]}
_FWD_OPS = {"W^{[1]}": (4, 3), "A^{[0]}": (3, 5), "b^{[1]}": (4, 1)}
_BP2_SHAPES = shapes(lambda M: sp.hadamard_product(M["(w^{l+1})"].T * M["\\delta^{l+1}"],
                                                   M["z^l"]),
                     lambda M: M["z^l"],
                     {"(w^{l+1})": (2, 3), "\\delta^{l+1}": (2, 1), "z^l": (3, 1)})
_SOFTMAX = "exp(z1)/(exp(z1) + exp(z2) + exp(z3))"


@once
def _jacobian_check():
    z = sp.symbols("z1:4", real=True)
    s = [sp.exp(t) / sum(sp.exp(u) for u in z) for t in z]
    J = sp.Matrix(3, 3, lambda i, j: sp.diff(s[i], z[j]))
    written = sp.Matrix(3, 3, lambda i, j: s[i] * (sp.KroneckerDelta(i, j) - s[j]))
    return check_identity(written, J)


def _ce_chain():
    """Each equality of the note's derivation of dL/do_1 for K = 3, with y_3 = 1 - y_1 - y_2."""
    o = sp.symbols("o1:4", real=True)
    y1, y2 = sp.symbols("y1 y2", real=True)
    y = (y1, y2, 1 - y1 - y2)
    p = [sp.exp(t) / sum(sp.exp(u) for u in o) for t in o]
    L = -sum(y[k] * sp.log(p[k]) for k in range(3))
    i = 0
    rest = [k for k in range(3) if k != i]
    steps = [
        sp.diff(L, o[i]),
        -sum(y[k] / p[k] * sp.diff(p[k], o[i]) for k in range(3)),
        -y[i] * (1 - p[i]) - sum(y[k] / p[k] * (-p[k] * p[i]) for k in rest),
        -y[i] * (1 - p[i]) + sum(y[k] * p[i] for k in rest),
        -y[i] + y[i] * p[i] + sum(y[k] * p[i] for k in rest),
        p[i] * sum(y) - y[i],
        p[i] - y[i],
    ]
    return check_identity(sp.Matrix(steps[:-1]), sp.Matrix(steps[1:]))


def _columns_check():
    """Row j of W times column i of X, plus b_j, is entry (j, i) of W X + b 1^T."""
    W = sp.Matrix(4, 4, lambda j, k: sp.Symbol(f"w{j}{k}", real=True))
    X = sp.Matrix(4, 3, lambda k, i: sp.Symbol(f"x{k}{i}", real=True))
    b = sp.Matrix(4, 1, lambda j, _: sp.Symbol(f"b{j}", real=True))
    by_rows = sp.Matrix(4, 3, lambda j, i: (W[j, :] * X[:, i])[0, 0] + b[j])
    zero = (by_rows - (W * X + b * sp.ones(1, 3))).applyfunc(sp.expand)
    if zero == sp.zeros(4, 3):
        return holds("expand", "entry (j, i) = w_j^T x^(i) + b_j, expanded")
    return fails("expand", "the entries differ")


def _ce_minimum():
    """Two classes: d/dq of -(p log q + (1-p) log(1-q)) is 0 at q = p, for every p."""
    p, q = sp.symbols("p q", real=True)
    slope = sp.diff(-(p * sp.log(q) + (1 - p) * sp.log(1 - q)), q)
    return check_identity(slope.subs(q, p), sp.Integer(0), domain={"p": (0, 1)})


def _constant_table():
    # Kingma & Ba (2015), Algorithm 1: alpha = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8.
    note = {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    paper = {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    return note == paper, "the defaults of Kingma & Ba (2015), Algorithm 1"


CLAIMS = (
    claim("N4-01", S_NOT, r"W^{[layer]}_{unit} \text{, of shape } (n^{[layer]} \times "
          r"n^{[layer - 1]})",
          shapes(lambda M: M["W^{[1]}"] * M["A^{[0]}"], lambda M: sp.MatrixSymbol("R", 4, 5),
                 _FWD_OPS),
          source="W^{[layer]}_{unit} \\text{, of shape } (n^{[layer]} \\times n^{[layer - 1]})"),
    claim("N4-02", S_NOT, r"X^{(example)}_{feature} \text{, of shape } (n_x \times m)",
          shapes(lambda M: M["W^{[1]}"] * M["A^{[0]}"], lambda M: sp.MatrixSymbol("R", 4, 5),
                 _FWD_OPS),
          source="X^{(example)}_{feature} \\text{, of shape } (n_x \\times m)"),
    claim("N4-03", S_NOT, r"Y^{(example)}_{targets} \text{, of shape } (n_x \times m)",
          shapes(lambda M: M["A^{[L]}"] - M["Y"], lambda M: M["A^{[L]}"],
                 {"A^{[L]}": (1, 5), "Y": (3, 5)}),
          correct=r"Y \text{, of shape } (n_y \times m)",
          why=r"Targets have one row per output unit: $n_y$ (here $n^{[L]} = 1$ against "
              r"$n_x = 3$), so that $A^{[L]} - Y$ is defined.",
          source="Y^{(example)}_{targets} \\text{, of shape } (n_x \\times m)"),
    claim("N4-04", S_NOT, r"X = A^{[0]} = \left[X^{(1)}\ X^{(2)} \dots X^{(m)}\right], "
          r"X \ni \mathbb{R}^{n_x \times m}",
          rule(r"$X \ni \mathbb{R}^{n_x \times m}$ says that $X$ contains the set "
               r"$\mathbb{R}^{n_x \times m}$ as an element; membership goes the other way."),
          issue=Verdict.NOTATION,
          intended=shapes(lambda M: sp.BlockMatrix([[M["X^{(1)}"], M["X^{(2)}"],
                                                     M["X^{(3)}"]]]),
                          lambda M: sp.MatrixSymbol("X", 4, 3),
                          {"X^{(1)}": (4, 1), "X^{(2)}": (4, 1), "X^{(3)}": (4, 1)}),
          correct=r"X \in \mathbb{R}^{n_x \times m}",
          why=r"Membership written backwards: $\ni$ for $\in$. The matrix of the $m$ "
              r"example columns is right ($n_x \times m$).", source="X \\ni \\Reals^{n_x \\times m}"),
    claim("N4-05", S_FWD, r"Z^{[l]} = W^{[l]} \cdot A^{[l-1]} + b^{[l]}",
          shapes(lambda M: M["W^{[1]}"] * M["A^{[0]}"] + M["b^{[1]}"] * _ONE(1, 5),
                 lambda M: sp.MatrixSymbol("R", 4, 5), _FWD_OPS),
          reading=r"$b$ broadcast over the $m$ columns, as NumPy does.",
          source="Z^{[l]} = W^{[l]} \\cdot A^{[l-1]} + b^{[l]}"),
    claim("N4-06", S_FWD, r"A^{[l]} = \sigma^{[l]} (Z^{[l]})",
          definition("the activation, element by element"),
          source="A^{[l]} = \\sigma^{[l]} (Z^{[l]})"),
    claim("N4-07", S_FWD, r"\underset{n^{[1]} \times m}{Z^{[1]}} = "
          r"\underset{n^{[1]} \times n^{[0]}}{W^{[1]}} \cdot \underset{n^{[0]}\times m}"
          r"{A^{[0]}} + \underset{n^{[1]}\times 1}{b^{[1]}}",
          shapes(lambda M: M["W^{[1]}"] * M["A^{[0]}"] + M["b^{[1]}"] * _ONE(1, 5),
                 lambda M: sp.MatrixSymbol("R", 4, 5), _FWD_OPS),
          source="\\underset{n^{[1]} \\times n^{[0]}}{W^{[1]}}"),
    claim("N4-08", S_FWD, r"Z^{[l]} = \begin{bmatrix} w^{[l]T}_1 \\ \vdots \\ w^{[l]T}_4 "
          r"\end{bmatrix} \cdot \begin{bmatrix} x^{(1)} & \dots & x^{(m)} \end{bmatrix} + "
          r"\begin{bmatrix} b^{[l]}_1 \\ \vdots \\ b^{[l]}_4 \end{bmatrix} = "
          r"\begin{bmatrix} Z^{l} & \dots & Z^{l} \end{bmatrix}",
          rule(r"The result's columns are all written $Z^{l}$ (no example index, no layer "
               r"brackets), and the input is $x$ for every layer $l$."),
          issue=Verdict.NOTATION,
          intended=_columns_check,
          correct=r"Z^{[l]} = \begin{bmatrix} z^{[l](1)} & \dots & z^{[l](m)} \end{bmatrix},"
                  r"\quad z^{[l](i)}_j = w^{[l]T}_j a^{[l-1](i)} + b^{[l]}_j",
          why=r"The product is right (row $j$ of $W$ times example $i$, plus $b_j$); the "
              r"columns of the result are $z^{[l](i)}$, and the input of layer $l$ is "
              r"$A^{[l-1]}$ ($x$ only for $l = 1$). The note's matrix markup is also "
              r"garbled ($\backslash$ for row breaks).",
          source="Z^{l} & Z^{l} & \\dots & Z^{l}"),
    claim("N4-09", S_BP, r"\delta^l \equiv \delta A^l",
          same("sigmoid(z) - y", "(sigmoid(z) - y)*sigmoid(z)*(1 - sigmoid(z))",
               {"y": [0, 1]}),
          issue=Verdict.NOTATION,
          intended=same("diff((y - sigmoid(z))**2/2, z)",
                        "(sigmoid(z) - y)*sigmoid(z)*(1 - sigmoid(z))"),
          correct=r"\delta^l \equiv \frac{\partial C}{\partial z^l} \ (= dZ^{[l]})",
          why=r"By the note's own BP1, $\delta^L = \nabla_a C \odot \sigma'(z^L)$ is the "
              r"derivative with respect to $z$, not $a$. Shown for one sigmoid unit with "
              r"the quadratic cost: $\partial C/\partial a$ against $\partial C/\partial z$.",
          source="$\\delta^l \\equiv \\delta A^l$"),
    claim("N4-10", S_BP, r"\delta^L = \nabla_a C \odot \sigma'(z^L)", bp("delta_out"),
          reference="backprop_bp1", source="Output layer error"),
    claim("N4-11", S_BP, r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)",
          lambda: all_of(_BP2_SHAPES, bp("delta_hidden")),
          reading=r"$w^{l+1}$ maps layer $l$ to $l+1$ (Nielsen); note 002 calls the same "
                  r"matrix $W^{(l)}$.", reference="backprop_bp2",
          source="layer error $\\delta^l = ((w^{l+1})^T \\delta^{l+1})"),
    claim("N4-12", S_BP, r"\frac{\partial C}{\partial b^l_j} = \delta^l_j", bp("db"),
          reference="backprop_bp3", source="Cost partial derivate for Bias"),
    claim("N4-13", S_BP, r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j",
          bp("dW_entry"), reference="backprop_bp4", source="Cost partial derivate for Weights"),
    claim("N4-14", S_BP1, r"\delta^L_j = \frac{\partial C}{\partial a^L_j} \sigma'(z^L_j)",
          same("diff((y - sigmoid(z))**2/2, z)", "(sigmoid(z) - y)*sigmoid(z)*(1 - sigmoid(z))"),
          reading=r"Checked for the quadratic cost, where $\partial C/\partial a = a - y$.",
          source="\\delta^L_j = \\frac{\\partial C}{\\partial a^L_j} \\sigma'(z^L_j)"),
    claim("N4-15", S_BP1, r"\delta^L = \nabla_a C \odot \sigma'(z^L)", bp("delta_out"),
          source="Matrix based version"),
    claim("N4-16", S_BP, r"C = \frac{1}{2}\sum_j(y_j-a^L_j)^2, \quad \nabla_a C = a^L-y",
          same("diff(((y1 - a1)**2 + (y2 - a2)**2)/2, a1)", "a1 - y1"),
          reference="mse_derivative", source="Mean Squared Error"),
    claim("N4-17", S_BP, r"C_{\text{BCE}} = y\log{a^L} + (1-y)\log(1-a^L)",
          same("y*log(a) + (1 - y)*log(1 - a)", "-(y*log(a) + (1 - y)*log(1 - a))", _BCE),
          correct=r"C = -\left(y\log{a^L} + (1-y)\log(1-a^L)\right)",
          why=r"The minus sign is missing: as written it is the log-likelihood, at most 0 "
              r"and largest for a right prediction; gradient descent on it would push "
              r"$a^L$ away from $y$.", reference="bce_cost",
          source="Binary Cross Entropy $y\\log{a^L} + (1-y)\\log(1-a^L)$"),
    claim("N4-18", S_BP, r"\nabla_a C_{\text{BCE}} = \frac{-y}{a^L}+\frac{1-y}{1-a^L}",
          same("diff(-(y*log(a) + (1 - y)*log(1 - a)), a)", "-y/a + (1 - y)/(1 - a)", _BCE),
          why=r"Right for binary cross-entropy, $-(y\log a + (1-y)\log(1-a))$, i.e. for the "
              r"correct $C$ of N4-17, not for the $C$ written in the same row (whose "
              r"gradient is the negative).", reference="bce_derivative_a",
          source="$\\frac{-y}{a^L}+\\frac{1-y}{1-a^L}$"),
    claim("N4-19", S_BP, r"C_{\text{CE}} = -\sum_{k}p(k)\log(q(k))",
          _ce_minimum,
          why=r"Checked: for two classes, its $q$-derivative vanishes exactly at $q = p$ "
              r"(where the cost is smallest).", source="Cross Entropy $-\\sum_{k}p(k)log(q(k))$"),
    claim("N4-20", S_BP, r"\sigma(\vec{z})_{i}=\frac{e^{z_{i}}}{\sum_{j=1}^{n^L} e^{z_{j}}}",
          same(f"{_SOFTMAX} + exp(z2)/(exp(z1) + exp(z2) + exp(z3)) + "
               f"exp(z3)/(exp(z1) + exp(z2) + exp(z3))", "1"),
          why=r"Checked: the outputs sum to 1 ($n^L = 3$).",
          source="SoftMax $\\sigma(\\vec{z}){i}=\\frac{e^{z{i}}}"),
    claim("N4-21", S_BP, r"I \equiv \text{Identity Matrix of } \nabla_a C, \quad "
          r"\sigma(\vec{z})_{i}(I - \sigma(\vec{z})_{j})",
          with_note(shapes(lambda M: M["\\sigma_i"][0, 0] * (sp.Identity(3)
                                                             - M["\\sigma_j"][0, 0] * _ONE(3, 3)),
                           lambda M: M["\\sigma_i"],
                           {"\\sigma_i": (1, 1), "\\sigma_j": (1, 1)}),
                    r"As written, with $I$ the $3 \times 3$ identity: a matrix for each "
                    r"entry $(i, j)$; correct: a number."),
          issue=Verdict.NOTATION, intended=_jacobian_check,
          correct=r"\frac{\partial \sigma_i}{\partial z_j} = \sigma(\vec{z})_{i}"
                  r"(\delta_{ij} - \sigma(\vec{z})_{j})",
          why=r"An entry of the Jacobian is a number; $I$ is an $n^L \times n^L$ matrix: "
              r"the entry of $I$, $\delta_{ij}$, is meant (the note's next line). Read with "
              r"$I = 1$ the off-diagonal entries change sign: at $z = (0, 0)$, entry $(1, 2)$ "
              r"is $+\frac14$ instead of $-\frac14$. It is the Jacobian of $\sigma$, not "
              r"$\nabla_a C$ as its column says.", reference="softmax_jacobian",
          source="\\sigma(\\vec{z}){i}(I - \\sigma(\\vec{z}){j})"),
    claim("N4-22", S_BP, r"\delta_{ij} = [i = j], \quad \sigma(\vec{z})_{i}(\delta_{ij} - "
          r"\sigma(\vec{z})_{j})", _jacobian_check, reference="softmax_jacobian",
          source="\\sigma(\\vec{z}){i}(\\delta{ij} - \\sigma(\\vec{z})_{j})"),
    claim("N4-23", S_SMD, r"\sigma(\vec{z})_{i}=\frac{e^{z_{i}}}{\sum_{j=1}^{n^L} e^{z_{j}}}",
          same(f"{_SOFTMAX} + exp(z2)/(exp(z1) + exp(z2) + exp(z3)) + "
               f"exp(z3)/(exp(z1) + exp(z2) + exp(z3))", "1"),
          why=r"Repeated; checked again.", source="SoftMax derivation"),
    claim("N4-24", S_SMD, r"\frac{\partial L}{\partial o_i}=-\sum_ky_k\frac{\partial \log p_k}"
          r"{\partial o_i} = \dots = p_i\left(\sum_ky_k\right)-y_i=p_i-y_i", _ce_chain,
          why=r"Every equality checked ($K = 3$); the last one needs $\sum_k y_k = 1$ "
              r"(one-hot or probability labels), which the note uses without saying.",
          reference="softmax_cross_entropy_dz", source="=p_i-y_i"),
    claim("N4-25", S_SMD, r"C=\frac{1}{2}\sum_j(y_j-a^L_j)^2",
          same("((y1 - a1)**2 + (y2 - a2)**2)/2", "((a1 - y1)**2 + (a2 - y2)**2)/2"),
          source="quadratic cost function $$ C=\\frac{1}{2}"),
    claim("N4-26", S_SMD, r"\frac{\partial C}{\partial a^L_j}=(a^L_j-y_j)",
          same("diff(((y1 - a1)**2 + (y2 - a2)**2)/2, a2)", "a2 - y2"),
          reference="mse_derivative", source="=(a^L_j−y_j)"),
    claim("N4-27", S_SMD, r"\nabla_a C = (a^L-y)",
          same("diff(((y1 - a1)**2 + (y2 - a2)**2)/2, a1) + "
               "diff(((y1 - a1)**2 + (y2 - a2)**2)/2, a2)", "a1 - y1 + a2 - y2"),
          source="\\nabla_a C = (a^L-y)"),
    claim("N4-28", S_BP2, r"\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)",
          lambda: all_of(_BP2_SHAPES, bp("delta_hidden")), reference="backprop_bp2",
          source="2. The error"),
    claim("N4-29", S_BP3, r"\frac{\partial C}{\partial b^l_j} = \delta^l_j", bp("db"),
          reference="backprop_bp3", source="3. Rate of change of the cost with respect to any bias"),
    claim("N4-30", S_BP4, r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j",
          bp("dW_entry"), reference="backprop_bp4",
          source="4. Rate of change of the cost with respect to any weight"),
    claim("N4-31", S_BP4, r"\frac{\partial C}{\partial w} = a_{\rm in} \delta_{\rm out}",
          bp("dW"), source="a_{\\rm in} \\delta_{\\rm out}"),
    claim("N4-32", S_OPT, r"\delta W \equiv \frac{\partial C}{\partial W}",
          definition("names the gradient (not the layer error delta^l)"),
          source="\\delta W \\equiv \\frac{\\partial C}{\\partial W}"),
    claim("N4-33", S_MOM, r"V\delta W = (\beta) V\delta W + (1 - \beta) \delta W, \quad "
          r"W = W - \alpha \times V\delta W", ema_unrolled(),
          why=r"Checked: from $V = 0$, $V_t = (1-\beta)\sum_k \beta^{t-k}\,\delta W_k$, an "
              r"exponentially weighted average.", reference="momentum_ema",
          source="V\\delta W = (\\beta) V\\delta W + (1 - \\beta) \\delta W"),
    claim("N4-34", S_RMS, r"S\delta W = (\beta) S\delta W + (1 - \beta) \delta W^2, \quad "
          r"W = W - \alpha \times \frac{\delta W}{\sqrt{S\delta W} + \epsilon}",
          rmsprop_scale_free(),
          reading=r"$\delta W^2$ element-wise; $\epsilon$ outside the root (the course's "
                  r"convention; some libraries put it inside).", reference="rmsprop_ema",
          source="S\\delta W = (\\beta) S\\delta W + (1 - \\beta) \\delta W^2"),
    claim("N4-35", S_ADAM, r"V\delta W = (\beta_1) V\delta W + (1 - \beta_1) \delta W, \quad "
          r"S\delta W = (\beta_2) S\delta W + (1 - \beta_2) \delta W^2",
          lambda: all_of(ema_unrolled(), rmsprop_scale_free()),
          source="V\\delta W = (\\beta_1) V\\delta W + (1 - \\beta_1) \\delta W"),
    claim("N4-36", S_ADAM, r"V\delta W^{corrected} = \frac{V \delta W}{1 - \beta^t_1}, "
          r"\quad S\delta W^{corrected} = \frac{S \delta W}{1 - \beta^t_2}",
          adam_constant_gradient(),
          why=r"Checked: for a constant gradient the corrected averages equal it exactly "
              r"at every $t$ (from $V = S = 0$).", reference="adam_update",
          source="V\\delta W^{corrected} = \\frac{V \\delta W}{1 - \\beta^t_1}"),
    claim("N4-37", S_ADAM, r"W = W - \alpha \times \frac{V\delta W^{corrected}}{\sqrt{S\delta "
          r"W^{corrected}} + \epsilon}", adam_constant_gradient(),
          reading=r"$\epsilon$ outside the root, as in Kingma \& Ba.",
          reference="adam_update", source="W = W - \\alpha \\times \\frac{V\\delta W^{corrected}}"),
    claim("N4-38", S_ADAM, r"\beta_1 = 0.9,\ \beta_2 = 0.999,\ \epsilon = 10^{-8}",
          numeric(_constant_table, "table"), source="$\\epsilon$ $10^{-8}$"),
)
