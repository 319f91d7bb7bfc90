"""Note 001, "The Basic Formulas in Neural Networks" (resema): every formula, in order.

Conventions of the note (its own "Wording"): ``[l]`` is the layer, ``(i)`` the example,
the subscript the unit; columns are examples; ``*`` between matrices is NumPy's
element-wise product, as in the note's code. ``L`` is the loss of the examples
(``dZ = dL/dZ`` column by column), ``J`` the cost, averaged over the ``m`` examples.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction as _Apply

from ..builders import definition, numeric, rule, same, shapes, with_note
from ..netchecks import descent_step, label_grad, layer_grad
from ..record import Verdict
from ._make import claim

__all__ = ["CLAIMS"]

_BCE = {"a": (0, 1), "yhat": (0, 1), "y": [0, 1]}
_ONES = sp.OneMatrix


def _g(M):
    x = sp.Dummy("x")
    return _Apply(sp.Lambda(x, 1 / (1 + sp.exp(-x))), M)


def _vectorized_cost():
    rng = np.random.default_rng(0)
    m = 5
    Y = rng.integers(0, 2, (1, m)).astype(float)
    A = rng.uniform(0.05, 0.95, (1, m))
    J = -1 / m * np.sum(np.multiply(Y, np.log(A)) + np.multiply((1 - Y), np.log(1 - A)))
    loop = sum(-(Y[0, i] * np.log(A[0, i]) + (1 - Y[0, i]) * np.log(1 - A[0, i]))
               for i in range(m)) / m
    return abs(J - loop) < 1e-14, f"np expression {J:.12g}, mean of the {m} losses {loop:.12g}"


def _zero_init():
    """2-2-1 network, every weight and bias 0, 10 gradient steps: hidden units stay equal."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(2, 8)), rng.integers(0, 2, (1, 8)).astype(float)
    W1, b1, W2, b2 = np.zeros((2, 2)), np.zeros((2, 1)), np.zeros((1, 2)), np.zeros((1, 1))
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    for _ in range(10):
        A1 = sig(W1 @ X + b1)
        A2 = sig(W2 @ A1 + b2)
        dZ2 = A2 - Y
        dW2, db2 = dZ2 @ A1.T / 8, dZ2.sum(1, keepdims=True) / 8
        dZ1 = (W2.T @ dZ2) * A1 * (1 - A1)
        dW1, db1 = dZ1 @ X.T / 8, dZ1.sum(1, keepdims=True) / 8
        if not (np.allclose(A1[0], A1[1]) and np.allclose(dW1[0], dW1[1])):
            return False, "the hidden units became different"
        W1, b1, W2, b2 = W1 - dW1, b1 - db1, W2 - dW2, b2 - db2
    return True, "after 10 steps both rows of A[1] and of dW[1] are still equal"


_N = {"n_x": 3, "n_h": 4, "n_y": 1}


def _init_line(line, shape, code: str):
    """Run one initialization line (``line(n)`` is the note's code) with n_x=3, n_h=4,
    n_y=1; the result must have the shape of the convention (n^{[l]}, n^{[l-1]})."""
    def fn():
        np.random.seed(0)
        out = line(_N)
        ok = out.shape == shape and float(np.abs(out).max()) < 0.1
        return ok, f"{code} with n_x=3, n_h=4, n_y=1 has shape {out.shape}, wanted {shape}"
    return fn


def _sum_squares():
    W1 = np.random.default_rng(1).normal(size=(3, 4))
    loops = sum(W1[k, j] ** 2 for k in range(3) for j in range(4))
    return abs(np.sum(np.square(W1)) - loops) < 1e-12, "np.sum(np.square(W1)) equals the double sum"


def _l2_cost():
    rng = np.random.default_rng(2)
    Ws, m, lam = [rng.normal(size=(3, 2)), rng.normal(size=(1, 3))], 4, 0.7
    written = (1 / m) * (lam / 2) * sum(W[j, k] ** 2 for W in Ws for j in range(W.shape[0])
                                        for k in range(W.shape[1]))
    design = lam / (2 * m) * sum(np.linalg.norm(W) ** 2 for W in Ws)
    return abs(written - design) < 1e-12, "equals (lambda / 2m) sum_l ||W[l]||_F^2"


def _flat_parts():
    z = sp.Symbol("z", real=True)
    s = 1 / (1 + sp.exp(-z))
    slope = sp.diff(s, z)
    peak = sp.solve(sp.diff(slope, z), z)
    ok = peak == [0] and sp.simplify(slope.subs(z, 0) - sp.Rational(1, 4)) == 0 \
        and float(slope.subs(z, 0.03)) > 0.2499 and float(slope.subs(z, 3)) < 0.05
    return ok, "sigma' peaks at z = 0 (1/4): 0.2499+ at z = 0.03, under 0.05 at z = 3"


S_CHAIN = "Chain Rule"
S_WORD = "Wording"
S_FWD = "Forward Propagation"
S_VEC = "Forward Propagation, Vectorized implementation"
S_DROP_F = "Forward Propagation with Dropout"
S_BWD = "Backward Propagation"
S_SUM = "Summary of gradient descent"
S_VEX = "Vectorized implementation example"
S_ZERO = "Calculation Problem with Zero Matrix"
S_RAND = "Random Initialization"
S_XH = "Xavier or He Initialization"
S_GD = "General Gradient Descent Rule"
S_UPD = "Update Rule For Each Parameter"
S_L2 = "L2 Regularization"
S_L2I = "L2 Regularization, Implementation Details"
S_L2B = "Backpropagation With Regularization"
S_DROP_B = "Backpropagation with Dropout"

_LAYER_OPS = {"W^{[2]}": (2, 4), "X": (3, 5), "b^{[2]}": (2, 1), "A^{[1]}": (4, 5)}
_PER_EXAMPLE = "Lowercase letters: one example ($m = 1$), as in the course."

CLAIMS = (
    claim("N1-01", S_CHAIN, r"u = bc \Rightarrow v = a + u \Rightarrow J = 3v",
          same("3*(a + b*c)", "3*a + 3*b*c"),
          why=r"The graph computes $J = 3(a + bc)$.", source="u = bc \\Rightarrow v = a + u"),
    claim("N1-02", S_CHAIN, r"\frac{dJ}{dv} = 3", same("diff(3*v, v)", "3"),
          source="\\frac{dJ}{dv} = 3"),
    claim("N1-03", S_CHAIN, r"\frac{dJ}{da} = \frac{dJ}{dv} * \frac{dv}{da} = 3 * 1",
          same("diff(3*(a + b*c), a)", "3*1"),
          source="\\frac{dJ}{da} = \\frac{dJ}{dv} * \\frac{dv}{da} = 3 * 1"),
    claim("N1-04", S_CHAIN, r"\frac{dJ}{du} = \frac{dJ}{dv} * \frac{dv}{du} = 3 * 1",
          same("diff(3*(a + u), u)", "3*1"),
          source="\\frac{dJ}{du} = \\frac{dJ}{dv} * \\frac{dv}{du} = 3 * 1"),
    claim("N1-05", S_CHAIN, r"\frac{dJ}{db} = \frac{dJ}{du} * \frac{du}{db} = "
          r"\frac{dJ}{dv} * \frac{dv}{du} * \frac{du}{db} = 3 * 1 * c",
          same("diff(3*(a + b*c), b)", "3*1*c"), source="= 3 * 1 * c"),
    claim("N1-06", S_WORD, r"a_j^{[2](i)} := \text{layer 2, example } i\text{, neuron } j",
          definition("defines the index positions; the rest of the audit reads the note "
                     "with them"), source="a_j^{[2](i)} $$ := layer 2, example i, neuron j"),
    claim("N1-07", S_FWD, r"Z^{[i]} = W^{[i]}X + b^{[i]}",
          shapes(lambda M: M["W^{[2]}"] * M["X"] + M["b^{[2]}"] * _ONES(1, 5),
                 lambda M: M["W^{[2]}"] * M["A^{[1]}"] + M["b^{[2]}"] * _ONES(1, 5),
                 _LAYER_OPS),
          correct=r"Z^{[i]} = W^{[i]}A^{[i-1]} + b^{[i]}, \quad A^{[0]} = X",
          why=r"Right for the first layer only: layer $i$ takes $A^{[i-1]}$, not $X$; for "
              r"$i = 2$ the shapes do not fit ($n^{[1]} \neq n_x$).",
          reference="layer_forward", source="Z^{[i]} = W^{[i]}X + b^{[i]}"),
    claim("N1-08", S_FWD, r"g^{[i]} = 1/1+e^{-z}", same("1/1 + exp(-z)", "sigmoid(z)"),
          correct=r"g(z) = \frac{1}{1 + e^{-z}}",
          why=r"Precedence: $1/1+e^{-z}$ is $1 + e^{-z}$; the denominator needs brackets, "
              r"$1/(1+e^{-z})$.", reference="sigmoid_derivative",
          source="g^{[i]} = 1/1+e^{-z}"),
    claim("N1-09", S_FWD, r"a^{[i]} = g^{[i]}(z^{[i]})",
          shapes(lambda M: _g(M["Z^{[i]}"]), lambda M: M["Z^{[i]}"], {"Z^{[i]}": (4, 5)}),
          why=r"$g$ acts element by element: $A$ has the shape of $Z$.",
          source="a^{[i]} = g^{[i]}(z^{[i]})"),
    claim("N1-10", S_FWD, r"\mathcal{L}(\hat{y}, y) = -(y\, \log(\hat{y}) + (1-y) "
          r"\log(1-\hat{y}))",
          same("-(y*log(yhat) + (1 - y)*log(1 - yhat))",
               "-log(yhat**y * (1 - yhat)**(1 - y))", _BCE, {"yhat": r"\hat{y}"}),
          why=r"The negative log-likelihood of a Bernoulli label.", reference="bce_cost",
          source="\\mathcal{L}(\\hat{y}, y) = -(y\\, log(\\hat{y}) + (1-y) log(1-\\hat{y}))"),
    claim("N1-11", S_FWD, r"J(w,b) = 1/m * \sum_{i=1}^m \mathcal{L}(\hat{y}^{[i]}, y^{[i]})",
          rule(r"By the note's own Wording, $[\cdot]$ is the layer and $(\cdot)$ the example: "
               r"$\hat{y}^{[i]}$ is the output of layer $i$, while the sum runs over examples."),
          issue=Verdict.NOTATION, intended=numeric(_vectorized_cost, "NumPy run vs loop"), correct=r"J(w,b) = \frac{1}{m} \sum_{i=1}^m \mathcal{L}(\hat{y}^{(i)}, "
                              r"y^{(i)})",
          why=r"Example index written $[i]$ (the layer bracket) instead of $(i)$.",
          source="\\mathcal{L}(\\hat{y}^{[i]}, y^{[i]})"),
    claim("N1-12", S_FWD, r"J(w,b) = - 1/m * \sum_{i=1}^m y^{(i)} \log(\hat{y}^{[i]}) + "
          r"(1-y^{[i]}) \log(1-\hat{y}^{[i]})",
          same("-y*log(yhat) + (1 - y)*log(1 - yhat)", "-(y*log(yhat) + (1 - y)*log(1 - yhat))",
               _BCE, {"yhat": r"\hat{y}"}),
          correct=r"J(w,b) = -\frac{1}{m} \sum_{i=1}^m \left[y^{(i)} \log \hat{y}^{(i)} + "
                  r"(1-y^{(i)}) \log(1-\hat{y}^{(i)})\right]",
          why=r"Brackets missing: the minus sign and the sum cover only the first term "
              r"(checked at $m = 1$, where no index is left dangling); also $[i]$ for $(i)$. "
              r"The L2 section writes it right.",
          source="= - 1/m * \\sum_{i=1}^m y^{(i)} log(\\hat{y}^{[i]})"),
    claim("N1-13", S_VEC, r"J(w,b) = -1/m * \text{np.sum}(\text{np.multiply}(Y, "
          r"\text{np.log}(A^{[L]})) + \text{np.multiply}((1 - Y), \text{np.log}(1-A^{[L]})))",
          numeric(_vectorized_cost, "NumPy run vs loop"),
          reading=r"Python 3 division ($-1/m$ is a float).",
          source="np.sum(np.multiply(Y, np.log(A^{[L]}))"),
    claim("N1-14", S_DROP_F, r"\tilde{A}^{[i]} = A^{[i]} * D^{[i]} / \text{keep\_prob}, "
          r"\quad D^{[i]}_{jk} \in \{0, 1\},\ P(D^{[i]}_{jk} = 1) = \text{keep\_prob}",
          same("p*(a*1/p) + (1 - p)*(a*0/p)", "a", {"p": (0, 1)}),
          kind="text", why=r"Expected value of the kept activation is unchanged (inverted "
                           r"dropout).", reference="dropout_backward",
          source="Create matrix $$D^{[i]}$$ with the same dimension"),
    claim("N1-15", S_BWD, r"dZ{[l]} = \frac{\partial{\mathcal{L}}}{\partial{Z^{[l]}}}",
          definition("defines dZ[l] as the loss's derivative, column by column"),
          why=r"Typesetting: $dZ{[l]}$ is $dZ^{[l]}$.",
          source="dZ{[l]} = \\frac{\\partial{\\mathcal{L}}}{\\partial{Z^{[l]}}}"),
    claim("N1-16", S_BWD, r"dW^{[l]} = \frac{\partial{\mathcal{L}}}{\partial{W^{[l]}}} = "
          r"\frac{1}{m} dZ^{[l]}A^{[l-1]T}",
          label_grad("dW2", 3), issue=Verdict.NOTATION, intended=layer_grad("dW2", 3),
          correct=r"dW^{[l]} = \frac{\partial J}{\partial W^{[l]}} = \frac{1}{m} "
                  r"dZ^{[l]}A^{[l-1]T}",
          why=r"The value is the derivative of the cost $J$ (the mean), not of the loss "
              r"$\mathcal{L}$ whose derivative $dZ$ is: that one has no $\frac{1}{m}$.",
          reference="layer_dw", source="dW^{[l]} = \\frac{\\partial{\\mathcal{L}}}"),
    claim("N1-17", S_BWD, r"db^{[l]} = \frac{\partial{\mathcal{L}}}{\partial{W^{[l]}}} = "
          r"\frac{1}{m} \sum_{i=1}^{m}dZ^{[l](i)}",
          with_note(shapes(lambda M: M["W^{[l]}"], lambda M: M["dZ^{[l]}"] * _ONES(5, 1),
                           {"W^{[l]}": (2, 4), "dZ^{[l]}": (2, 5)}),
                    r"As written: the shape of the label $\partial\mathcal{L}/\partial "
                    r"W^{[l]}$; correct: the shape of the value, $db^{[l]}$."),
          issue=Verdict.NOTATION, intended=layer_grad("db2", 3),
          correct=r"db^{[l]} = \frac{\partial J}{\partial b^{[l]}} = \frac{1}{m} "
                  r"\sum_{i=1}^{m}dZ^{[l](i)}",
          why=r"Labelled $\partial/\partial W^{[l]}$: it is the derivative with respect to "
              r"$b^{[l]}$ (and of $J$). The value is right.",
          reference="layer_db", source="db^{[l]} = \\frac{\\partial{\\mathcal{L}}}{\\partial{W^{[l]}}}"),
    claim("N1-18", S_BWD, r"dA^{[l-1]} = \frac{\partial{\mathcal{L}}}{\partial{A^{[l-1]}}} = "
          r"W^{[l]T}dZ^{[l]}", layer_grad("dA1", 3), reference="layer_da_prev",
          source="dA^{[l-1]} = \\frac{\\partial{\\mathcal{L}}}{\\partial{A^{[l-1]}}} = W^{[l]T}dZ^{[l]}"),
    claim("N1-19", S_BWD, r"dZ^{[l-1]} = W^{[l]^T}dZ^{[l]} * g'^{[l-1]}(Z^{[l]})",
          shapes(lambda M: sp.hadamard_product(M["W^{[l]}"].T * M["dZ^{[l]}"], M["Z^{[l]}"]),
                 lambda M: sp.hadamard_product(M["W^{[l]}"].T * M["dZ^{[l]}"],
                                               M["Z^{[l-1]}"]),
                 {"W^{[l]}": (2, 4), "dZ^{[l]}": (2, 5), "Z^{[l]}": (2, 5),
                  "Z^{[l-1]}": (4, 5)}),
          correct=r"dZ^{[l-1]} = W^{[l]T}dZ^{[l]} * g'^{[l-1]}(Z^{[l-1]})",
          why=r"$g'$ must be taken at the layer's own pre-activation $Z^{[l-1]}$; "
              r"$Z^{[l]}$ has $n^{[l]}$ rows, not $n^{[l-1]}$.",
          reference="layer_dz", source="g'^{[l-1]}(Z^{[l]})"),
    claim("N1-20", S_BWD, r"dZ^{[L]} = A^{[L]} - Y",
          same("diff(-(y*log(sigmoid(z)) + (1 - y)*log(1 - sigmoid(z))), z)", "sigmoid(z) - y",
               {"y": [0, 1]}),
          reading=r"Sigmoid output, cross-entropy loss.", reference="bce_sigmoid_dz",
          source="dZ^{[L]} = A^{[L]} - Y"),
    claim("N1-21", S_SUM, r"dz^{[2]} = a^{[2]} - y", layer_grad("dZ2", 1),
          reading=_PER_EXAMPLE, source="dz^{[2]} = a^{[2]} - y"),
    claim("N1-22", S_SUM, r"dW^{[2]} = dz^{[2]}a^{[1]^T}", layer_grad("dW2", 1),
          reading=_PER_EXAMPLE, source="dW^{[2]} = dz^{[2]}a^{[1]^T}"),
    claim("N1-23", S_SUM, r"db^{[2]} = dz^{[2]}", layer_grad("db2", 1),
          reading=_PER_EXAMPLE, source="db^{[2]} = dz^{[2]}"),
    claim("N1-24", S_SUM, r"dz^{[1]} = W^{[2]^T}dz^{[2]} * g'^{[1]}(z^{[1]})",
          layer_grad("dZ1", 1), reading=_PER_EXAMPLE, source="dz^{[1]} = W^{[2]^T}dz^{[2]}"),
    claim("N1-25", S_SUM, r"dW^{[1]} = dz^{[1]}x^T", layer_grad("dW1", 1),
          reading=_PER_EXAMPLE, source="dW^{[1]} = dz^{[1]}x^T"),
    claim("N1-26", S_SUM, r"db^{[1]} = dz^{[1]}", layer_grad("db1", 1),
          reading=_PER_EXAMPLE, source="db^{[1]} = dz^{[1]}"),
    claim("N1-27", S_SUM, r"dA^{[l-1]} = \frac{\partial{\mathcal{L}}}{\partial{A^{[l-1]}}} = "
          r"W^{[l]^T}dZ^{[l]}", layer_grad("dA1", 1), source="W^{[l]^T}dZ^{[l]}$$<br>"),
    claim("N1-28", S_VEX, r"dZ^{[2]} = A^{[2]} - Y", layer_grad("dZ2", 3),
          source="dZ^{[2]} = A^{[2]} - Y"),
    claim("N1-29", S_VEX, r"dW^{[2]} = \frac{1}{m} dZ^{[2]}A^{[1]^T}", layer_grad("dW2", 3),
          source="dW^{[2]} = \\frac{1}{m} dZ^{[2]}A^{[1]^T}"),
    claim("N1-30", S_VEX, r"db^{[2]} = \frac{1}{m} \text{np.sum}(dZ^{[2]}, \text{axis=1}, "
          r"\text{keepdims=True})", layer_grad("db2", 3, sum_np=True),
          source="db^{[2]} = \\frac{1}{m} np.sum(dZ^{[2]}, axis=1, keepdims=True)"),
    claim("N1-31", S_VEX, r"dZ^{[1]} = W^{[2]^T}dZ^{[2]} * g'^{[1]}(Z^{[1]})",
          layer_grad("dZ1", 3), source="dZ^{[1]} = W^{[2]^T}dZ^{[2]} * g'^{[1]}(Z^{[1]})"),
    claim("N1-32", S_VEX, r"dW^{[1]} = \frac{1}{m} dZ^{[1]}X^T", layer_grad("dW1", 3),
          source="dW^{[1]} = \\frac{1}{m} dZ^{[1]}X^T"),
    claim("N1-33", S_VEX, r"db^{[1]} = \frac{1}{m} \text{np.sum}(dZ^{[1]}, \text{axis=1}, "
          r"\text{keepdims=True})", layer_grad("db1", 3, sum_np=True),
          source="db^{[1]} = \\frac{1}{m} np.sum(dZ^{[1]}, axis=1, keepdims=True)"),
    claim("N1-34", S_VEX, r"dA^{[l-1]} = W^{[l]^T}dZ^{[l]}", layer_grad("dA1", 3),
          source="dA^{[l-1]} = W^{[l]^T}dZ^{[l]}$$<br>\n$$dA^{[l]}"),
    claim("N1-35", S_VEX, r"dA^{[l]} = -(\text{np.divide}(Y, A^{[L]}) - "
          r"\text{np.divide}(1-Y, 1-A^{[L]}))",
          with_note(shapes(lambda M: M["A^{[1]}"], lambda M: M["A^{[L]}"],
                           {"A^{[1]}": (2, 3), "A^{[L]}": (1, 3)}),
                    r"As written: the shape of $dA^{[l]}$ for $l = 1$ of a two-layer network; "
                    r"correct: the shape of the right side, $dA^{[L]}$."),
          issue=Verdict.NOTATION,
          intended=same("diff(-(y*log(a) + (1 - y)*log(1 - a)), a)", "-(y/a - (1 - y)/(1 - a))",
                        _BCE),
          correct=r"dA^{[L]} = -\left(\frac{Y}{A^{[L]}} - \frac{1-Y}{1-A^{[L]}}\right)",
          why=r"The left side says layer $l$, the right side is the output layer's $A^{[L]}$ "
              r"(the text says so): $dA^{[L]}$. It is the loss's derivative, column by "
              r"column (the $\frac{1}{m}$ comes in $dW$, $db$).",
          reference="bce_derivative_a", source="dA^{[l]} = -(np.divide(Y, A^{[L]})"),
    claim("N1-36", S_ZERO, r"W^{[1]} = 0_{2\times 2} \Rightarrow a^{[1]}_1 = a^{[1]}_2,\ "
          r"dW^{[1]}_{1,:} = dW^{[1]}_{2,:} \text{ at every iteration}",
          numeric(_zero_init, "NumPy run, 10 gradient steps"), kind="text",
          reading=r"All weights zero (the note's ``weights''), as in the course.",
          source="Initialize weights with a 2x2 zero matrix is a problem"),
    claim("N1-37", S_RAND, r"W^{[1]} = \text{np.random.randn}(n_h,n_x) * 0.01",
          numeric(_init_line(lambda n: np.random.randn(n["n_h"], n["n_x"]) * 0.01, (4, 3),
                            "np.random.randn(n_h, n_x) * 0.01"), "NumPy run"),
          source="W^{[1]} = np.random.randn(n_h,n_x) * 0.01"),
    claim("N1-38", S_RAND, r"b^{[1]} = \text{np.zeros}((n_h,1))",
          numeric(_init_line(lambda n: np.zeros((n["n_h"], 1)), (4, 1),
                            "np.zeros((n_h, 1))"), "NumPy run"),
          source="b^{[1]} = np.zeros((n_h,1))"),
    claim("N1-39", S_RAND, r"W^{[2]} = \text{np.random.randn}(n_y,n_h) * 0.01",
          numeric(_init_line(lambda n: np.random.randn(n["n_y"], n["n_h"]) * 0.01, (1, 4),
                            "np.random.randn(n_y, n_h) * 0.01"), "NumPy run"),
          source="W^{[2]} = np.random.randn(n_y,n_h) * 0.01"),
    claim("N1-40", S_RAND, r"b^{[2]} = \text{np.zeros}((n_y,1))",
          numeric(_init_line(lambda n: np.zeros((n["n_y"], 1)), (1, 1),
                            "np.zeros((n_y, 1))"), "NumPy run"),
          source="b^{[2]} = np.zeros((n_y,1))"),
    claim("N1-41", S_RAND, r"\text{small weights (}\times 0.01\text{): not on the flat parts "
          r"of } \sigma", numeric(_flat_parts, "SymPy"), kind="text",
          source="we will not start at the flat parts of the curve"),
    claim("N1-42", S_XH, r"\sqrt{\frac{1}{n_x}}",
          same("n_1*(1/n_x)", "1", {"n_1": [4, 8], "n_x": [100, 10]},
               {"n_1": "n^{[1]}"}),
          correct=r"\sqrt{\frac{1}{n^{[l-1]}}} \text{ for } W^{[l]}",
          why=r"Xavier keeps $\mathrm{Var}(z^{[l]}) = n^{[l-1]} \mathrm{Var}(w) "
              r"\mathrm{Var}(a^{[l-1]})$ equal to $\mathrm{Var}(a^{[l-1]})$: the factor is "
              r"the layer's fan-in $n^{[l-1]}$, which is $n_x$ only for $W^{[1]}$. Shown: "
              r"the ratio $\mathrm{Var}(z^{[2]})/\mathrm{Var}(a^{[1]})$.",
          reference="xavier_variance", source="\\sqrt{\\frac{1}{n_x}}"),
    claim("N1-43", S_XH, r"\sqrt{\frac{2}{n_x}}",
          same("n_1*(2/n_x)*(1/2)", "1", {"n_1": [4, 8], "n_x": [100, 10]},
               {"n_1": "n^{[1]}"}),
          correct=r"\sqrt{\frac{2}{n^{[l-1]}}} \text{ for } W^{[l]}",
          why=r"He: with ReLU, $\mathrm{E}[a^2] = \mathrm{Var}(z)/2$, so "
              r"$\mathrm{Var}(w) = 2/n^{[l-1]}$ keeps the variance; $n_x$ only for $W^{[1]}$. "
              r"Shown: $n^{[1]} \mathrm{Var}(w) / 2$, which must be 1.",
          reference="he_variance", source="\\sqrt{\\frac{2}{n_x}}"),
    claim("N1-44", S_GD, r"\theta = \theta - \alpha\frac{\partial{J}}{\partial{\theta}}",
          descent_step(), why=r"Checked: the step decreases $J$ to first order, "
                              r"$\frac{d}{d\alpha} J = -\lVert \nabla J \rVert^2$.",
          reference="gradient_descent_update",
          source="\\theta = \\theta - \\alpha\\frac{\\partial{J}}{\\partial{\\theta}}"),
    claim("N1-45", S_UPD, r"W^{[i]} = W^{[i]} - \alpha * dW^{[i]}", descent_step(),
          source="W^{[i]} = W^{[i]} - \\alpha * dW^{[i]}"),
    claim("N1-46", S_UPD, r"b^{[i]} = b^{[i]} - \alpha * db^{[i]}", descent_step(),
          source="b^{[i]} = b^{[i]} - \\alpha * db^{[i]}"),
    claim("N1-47", S_L2, r"J=-\frac{1}{m}\sum_{i=1}^m[y^{(i)}\log(a^{[L](i)}) +"
          r"(1-y^{(i)})\log(1-a^{[L](i)})]",
          same("-(y1*log(a1) + (1 - y1)*log(1 - a1) + y2*log(a2) + (1 - y2)*log(1 - a2))/2",
               "-log(a1**y1*(1 - a1)**(1 - y1)*a2**y2*(1 - a2)**(1 - y2))/2",
               {"a1": (0, 1), "a2": (0, 1), "y1": [0, 1], "y2": [0, 1]}),
          reading=r"Checked at $m = 2$.", reference="bce_cost",
          source="J=-\\frac{1}{m}\\sum_{i=1}^m[y^{(i)}log(a^{[L](i)})"),
    claim("N1-48", S_L2, r"J_{\text{regularized}}= \dots + \frac{1}{m}\frac{\lambda}{2}"
          r"\sum_l\sum_k\sum_jW_{j,k}^{[l]2}", numeric(_l2_cost, "NumPy"),
          reference="l2_cost", source="\\frac{1}{m}\\frac{\\lambda}{2}\\sum_l\\sum_k\\sum_jW_{j,k}^{[l]2}"),
    claim("N1-49", S_L2I, r"\sum_k\sum_j W_{k,j}^{[l]2} = \text{np.sum(np.square(W1))}",
          numeric(_sum_squares, "NumPy"), source="np.sum(np.square(W1))"),
    claim("N1-50", S_L2B, r"\frac{d}{dW}\left(\frac{1}{2}\frac{\lambda}{m}W^2\right) = "
          r"\frac{\lambda}{m}W",
          with_note(shapes(lambda M: M["W"] * M["W"], lambda M: M["W"], {"W": (2, 3)}),
                    r"As written: $W^2$ read as the matrix product $WW$; correct: the "
                    r"gradient has $W$'s shape."),
          issue=Verdict.AMBIGUOUS, intended=same("diff(lam/(2*m)*w**2, w)", "lam/m*w", {"m": [1, 2, 3]}),
          correct=r"\frac{\partial}{\partial W^{[l]}}\left(\frac{\lambda}{2m}\lVert "
                  r"W^{[l]}\rVert_F^2\right) = \frac{\lambda}{m}W^{[l]}",
          why=r"$W^2$ of a matrix reads as $WW$ (undefined unless square); meant is the sum "
              r"of squared entries, $\lVert W\rVert_F^2$, whose gradient is "
              r"$\frac{\lambda}{m}W$ entry by entry.",
          reference="l2_gradient", source="(\\frac{d}{dW}(\\frac{1}{2}\\frac{\\lambda}{m}W^2)"),
    claim("N1-51", S_DROP_B, r"dA^{[i]} * D^{[i]}\text{, then the activation matrix }/\, "
          r"\text{keep\_prob}",
          same("u*D", "diff(u*(a*D/p), a)", {"D": [1], "p": [sp.Rational(1, 2), 0.8]},
               {"u": r"\partial\mathcal{L}/\partial \tilde{a}", "p": r"\text{keep\_prob}"}),
          correct=r"dA^{[i]} = dA^{[i]} * D^{[i]} / \text{keep\_prob}",
          why=r"The backward pass divides the derivative $dA^{[i]}$ (after the mask) by "
              r"keep\_prob, as the forward pass divided $A^{[i]}$; the text divides "
              r"``the activation matrix'', leaving the gradient too small by keep\_prob.",
          kind="text", reference="dropout_backward",
          source="Finally divide the remaining values in the activation matrix"),
)
