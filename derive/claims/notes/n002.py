"""Note 002, "Note for Neural Networks (2)": every formula and the code, in order.

Conventions of the note (UFLDL's): ``W^{(l)}`` maps layer ``l`` to layer ``l+1``, shape
``s_{l+1} x s_l``; ``z^{(l)}`` is the weighted input of layer ``l`` and
``h^{(l)} = f(z^{(l)})`` its output, ``f`` the sigmoid; ``delta^{(l)} = dJ/dz^{(l)}``;
``J`` is the cost of one example, ``1/2 ||y - h||^2``.
"""

from __future__ import annotations

import re

import sympy as sp

from ..builders import definition, numeric, rule, same, shapes
from ..check import all_of
from ..netchecks import bp, descent_step
from ..record import Verdict
from ..snippets import NOTE_002_DESCENT, run_python
from ._make import claim

__all__ = ["CLAIMS"]

S_GD = "Gradient descent"
S_EX = "Example gradient descent"
S_COST = "The cost function"
S_NN = "Gradient descent in neural networks"
S_BP = "Backpropagation in depth (Math Part.)"
S_VEC = "Vectorization of backpropagation"

_STEP = rule(r"$\partial$ is the differential operator, not a number: the step size "
             r"$\alpha$ of the rule above is meant.")
_CHAIN_Z = "w11*h1 + w12*h2 + w13*h3 + b1"


def _descent_code():
    run = run_python(NOTE_002_DESCENT)
    found = re.search(r"occurs at ([-0-9.]+)", run.stdout)
    x = float(found.group(1)) if found else float("nan")
    return run.ok and abs(x - 2.25) < 1e-4, (f"Python 3 run prints {run.stdout.strip()!r}; "
                                             f"the minimum of x^4 - 3x^3 is at 9/4")


def _minimum():
    x = sp.Symbol("x", real=True)
    ok = sp.diff(x**4 - 3 * x**3, x) - (4 * x**3 - 9 * x**2) == 0
    ok = ok and sp.Rational(9, 4) in sp.solve(4 * x**3 - 9 * x**2, x)
    return ok, "4x^3 - 9x^2 = d/dx (x^4 - 3x^3), zero at x = 9/4 (the local minimum)"


_UPDATE_W = (r"w_{ij}^{(l)} = w_{ij}^{(l)} - \partial\frac{\partial}{\partial w_{ij}^{(l)}}"
             r"J_{total}(w, b, x, y)")
_UPDATE_B = (r"b_{i}^{(l)} = b_{i}^{(l)} - \partial\frac{\partial}{\partial b_{i}^{(l)}}"
             r"J_{total}(w, b, x, y)")
_CORRECT_W = (r"w_{ij}^{(l)} = w_{ij}^{(l)} - \alpha\frac{\partial}{\partial w_{ij}^{(l)}}"
              r"J_{total}(w, b, x, y)")
_CORRECT_B = (r"b_{i}^{(l)} = b_{i}^{(l)} - \alpha\frac{\partial}{\partial b_{i}^{(l)}}"
              r"J_{total}(w, b, x, y)")
_WHY_STEP = r"The learning rate is written $\partial$ instead of $\alpha$."


def _update(cid, section, which):
    written, correct = (_UPDATE_W, _CORRECT_W) if which == "w" else (_UPDATE_B, _CORRECT_B)
    return claim(cid, section, written, _STEP, issue=Verdict.NOTATION,
                 intended=descent_step(), correct=correct, why=_WHY_STEP,
                 source=f"{which}_{{{'ij' if which == 'w' else 'i'}}}^{{(l)}} - \\partial")


_DELTA_OUTER = shapes(lambda M: M["\\delta^{(l+1)}"] * M["h^{(l)}"].T,
                      lambda M: M["W^{(l)}"],
                      {"\\delta^{(l+1)}": (2, 1), "h^{(l)}": (3, 1), "W^{(l)}": (2, 3)})

CLAIMS = (
    claim("N2-01", S_GD, r"w_{new}=w_{old}-\alpha*\nabla error", descent_step(),
          source="w_{new}=w_{old}-\\alpha*\\nabla error"),
    claim("N2-02", S_EX, r"\text{original function after gradient: } 4x^3 - 9x^2",
          numeric(_minimum, "SymPy"),
          why=r"Read as: $4x^3 - 9x^2$ is the derivative of the function minimized, "
              r"$x^4 - 3x^3$ (of the tutorial the note follows).",
          source="original function after gradient is $4x^3 - 9x^2$"),
    claim("N2-03", S_EX, r"\text{code: gradient descent on } 4x^3 - 9x^2 \text{ from } "
          r"x = 6", numeric(_descent_code, "Python 3 run"), kind="code",
          source="x_new += -gamma * df(x_old)"),
    claim("N2-04", S_COST, r"J(w, b, x^z, y^z) = \frac{1}{2}\lVert y^z-h^{(nl)}(x^z)\rVert^2 "
          r"= \frac{1}{2}\lVert y^z-h_{pred}(x^z)\rVert^2",
          same("diff((y - h)**2/2, h)", "h - y"),
          why=r"A definition; checked: its gradient in $h$ is $h - y$, as note 004 says.",
          reference="mse_derivative", source="J(w, b, x^z, y^z) = \\frac{1}{2}||y^z-h^{(nl)}(x^z)||^2"),
    claim("N2-05", S_COST, r"J_{total}(w, b, x, y) = \frac{1}{m}\sum_{z=0}^{m}\frac{1}{2}"
          r"\lVert y^z-h^{(nl)}(x^z)\rVert^2 = \frac{1}{m}\sum_{z=0}^{m}J(W, b, x^{z}, y^{z})",
          same("(m + 1)*c/m", "c", {"m": [1, 2, 3]},
               {"c": r"J(W, b, x^z, y^z) \text{ (every } z\text{)}"}),
          correct=r"J_{total}(w, b, x, y) = \frac{1}{m}\sum_{z=1}^{m}J(W, b, x^{z}, y^{z})",
          why=r"$\sum_{z=0}^{m}$ has $m + 1$ terms: the mean of $m$ costs sums $z = 1$ to "
              r"$m$ (or $0$ to $m-1$). Shown with every example's cost equal to $c$.",
          source="\\frac{1}{m}\\sum_{z=0}^{m}"),
    _update("N2-06", S_NN, "w"),
    _update("N2-07", S_NN, "b"),
    claim("N2-08", S_BP, r"h_{w, b}(x) = h_1^{(3)} = f(w_{11}^{(2)}h_1^{(2)}+w_{12}^{(2)}"
          r"h_2^{(2)}+w_{13}^{(2)}h_3^{(2)}+b_1^{(2)})",
          shapes(lambda M: M["W^{(2)}"] * M["h^{(2)}"] + M["b^{(2)}"],
                 lambda M: M["b^{(2)}"], {"W^{(2)}": (1, 3), "h^{(2)}": (3, 1),
                                          "b^{(2)}": (1, 1)}),
          source="h_{w, b}(x) = h_1^{(3)} = f(w_{11}^{(2)}h_1^{(2)}"),
    claim("N2-09", S_BP, r"h_1^{(3)} = f(z_1^{(2))})",
          rule(r"Unbalanced parenthesis; and the input of $h^{(3)}$ is named $z^{(2)}$, "
               r"while $\delta_i^{(n_l)} = \dots f'(z_i^{(n_l)})$ and $\delta^{(l)}$ below "
               r"name the input of layer $l$ $z^{(l)}$."),
          issue=Verdict.NOTATION, intended=definition("h = f(weighted input), a definition"),
          correct=r"h_1^{(3)} = f(z_1^{(3)})",
          why=r"Index: with the note's later formulas the weighted input of layer 3 is "
              r"$z^{(3)}$ (the text's $z_1^{(2)}$ is the same quantity, misnamed).",
          source="f(z_1^{(2))})"),
    claim("N2-10", S_BP, r"z_1^{(2)}=w_{11}^{(2)}h_1^{(2)}+w_{12}^{(2)}h_2^{(2)}+"
          r"w_{13}^{(2)}h_3^{(2)}+b_1^{(2)}",
          definition("names the weighted input (its index: see N2-09)"),
          source="z_1^{(2)}=w_{11}^{(2)}h_1^{(2)}"),
    claim("N2-11", S_BP, r"\frac{\partial J}{\partial w_{12}^{(2)}} = \frac{\partial J}"
          r"{\partial h_1^{(3)}}\frac{\partial h_1^{(3)}}{\partial z_{1}^{(2)}}\frac{\partial "
          r"z_{1}^{(2)}}{\partial w_{12}^{(2)}}",
          same(f"diff((y - sigmoid({_CHAIN_Z}))**2/2, w12)",
               f"-(y - sigmoid({_CHAIN_Z})) * sigmoid({_CHAIN_Z})*(1 - sigmoid({_CHAIN_Z}))"
               f" * h2"),
          source="\\frac{\\partial J}{\\partial w_{12}^{(2)}} = \\frac{\\partial J}"),
    claim("N2-12", S_BP, r"\frac{\partial z_{1}^{(2)}}{\partial w_{12}^{(2)}} = "
          r"\frac{\partial}{\partial w_{12}^{(2)}}(w_{12}^{(2)}h_2^{(2)}) = h_2^{(2)}",
          lambda: all_of(same(f"diff({_CHAIN_Z}, w12)", "h2"), same("diff(w12*h2, w12)", "h2")),
          source="= h_2^{(2)}"),
    claim("N2-13", S_BP, r"\frac{\partial h_1^{(3)}}{\partial z_{1}^{(2)}}= f'(z_{1}^{(2)}) "
          r"= f(z_{1}^{(2)})(1 - f(z_{1}^{(2)}))",
          same("diff(sigmoid(z), z)", "sigmoid(z)*(1 - sigmoid(z))"),
          reading=r"$f$ is the sigmoid (the note's figure).", reference="sigmoid_derivative",
          source="f'(z_{1}^{(2)}) = f(z_{1}^{(2)})(1 - f(z_{1}^{(2)}))"),
    claim("N2-14", S_BP, r"J = \frac{1}{2}\lVert y_1-h_1^{(3)}(z_1^{(2)})\rVert^2",
          same("Abs(y - h)**2/2", "(y - h)**2/2"),
          why=r"One output: the norm is an absolute value.",
          source="J = \\frac{1}{2}||y_1-h_1^{(3)}(z_1^{(2)})||^2"),
    claim("N2-15", S_BP, r"u=\lVert y_1-h_1^{(3)}(z_1^{(2)})\rVert, \quad J=\frac{1}{2}u^2",
          same("(Abs(y - h))**2/2", "(y - h)**2/2"), source="J=\\frac{1}{2}u^2"),
    claim("N2-16", S_BP, r"\frac{\partial J}{\partial h} = \frac{\partial J}{\partial u}"
          r"\frac{\partial u}{\partial h}",
          same("diff(Abs(y - h)**2/2, h)", "Abs(y - h)*diff(Abs(y - h), h)"),
          source="\\frac{\\partial J}{\\partial h} = \\frac{\\partial J}{\\partial u}"),
    claim("N2-17", S_BP, r"\frac{\partial J}{\partial h} = -(y_1-h_1^{(3)})",
          same("diff((y - h)**2/2, h)", "-(y - h)"), source="= -(y_1-h_1^{(3)})"),
    claim("N2-18", S_BP, r"\delta_i^{n_l} = -(y_i - h_i^{(n_l)})\cdot f'(z_i^{(n_l)})",
          bp("delta_out"), why=r"Typesetting: $\delta_i^{n_l}$ is $\delta_i^{(n_l)}$.",
          reference="backprop_bp1", source="\\delta_i^{n_l} = -(y_i - h_i^{(n_l)})"),
    claim("N2-19", S_BP, r"\frac{\partial}{\partial w_{ij}^{(l)}}J(w, b, x, y) = "
          r"h_j^{(l)}\delta_i^{(l+1)}", bp("dW_entry"), reference="backprop_bp4",
          source="J(w, b, x, y) = h_j^{(l)}\\delta_i^{(l+1)}"),
    claim("N2-20", S_BP, r"\frac{\partial}{\partial b_{i}^{(l)}}J(w, b, x, y) = "
          r"\delta_i^{(l+1)}", bp("db"), reference="backprop_bp3",
          source="J(w, b, x, y) = \\delta_i^{(l+1)}"),
    _update("N2-21", S_BP, "w"),
    _update("N2-22", S_BP, "b"),
    claim("N2-23", S_VEC, r"\frac{\partial}{\partial W^{(l)}}J(w, b, x, y) = "
          r"h^{(l)}\delta^{(l+1)}",
          shapes(lambda M: M["h^{(l)}"] * M["\\delta^{(l+1)}"],
                 lambda M: M["\\delta^{(l+1)}"] * M["h^{(l)}"].T,
                 {"h^{(l)}": (3, 1), "\\delta^{(l+1)}": (2, 1)}),
          correct=r"\frac{\partial}{\partial W^{(l)}}J = \delta^{(l+1)}(h^{(l)})^{T}",
          why=r"Order and transpose: $\partial J/\partial W^{(l)}$ has $W^{(l)}$'s shape "
              r"$s_{l+1} \times s_l$, the outer product $\delta^{(l+1)}(h^{(l)})^T$; the "
              r"note's next lines say so.", reference="backprop_bp4",
          source="J(w, b, x, y) = h^{(l)}\\delta^{(l+1)}"),
    claim("N2-24", S_VEC, r"\frac{\partial}{\partial b^{(l)}}J(w, b, x, y) = \delta^{(l+1)}",
          bp("db"), reference="backprop_bp3", source="J(w, b, x, y) = \\delta^{(l+1)}\\]"),
    claim("N2-25", S_VEC, r"\delta^{(l+1)}(h^{(l)})^{T} = (s_{l+1} \times 1) \times "
          r"(1 \times s_l) = (s_{l+1} \times s_l)", _DELTA_OUTER,
          source="(s_{l+1} \\times 1) \\times (1 \\times s_l)"),
    claim("N2-26", S_VEC, r"\delta^{(l+1)}(h^{(l)})^{T} = (s_{l+1} \times 1) \times "
          r"(1 \times s_l) = (s_{l+1} \times s_l)", _DELTA_OUTER,
          why=r"Repeated in the note; checked again.",
          source="$s_l$ is the number of nodes in layer $l$"),
    claim("N2-27", S_VEC, r"\delta_{j}^{(l)} = \Big(\sum_{i=1}^{s_{(l+1)}}w_{ij}^{(l)}"
          r"\delta_i^{(l+1)}\Big)f'(z_j^{(l)}) = ((W^{(l)})^{T}\delta^{(l+1)})\cdot f'(z^{(l)})",
          bp("delta_hidden"),
          reading=r"$W^{(l)}$ maps layer $l$ to $l+1$ in this note, so $(W^{(l)})^T$ is "
                  r"right here; $\cdot$ is the Hadamard product, as the note says.",
          reference="backprop_bp2", source="((W^{(l)})^{T}\\delta^{(l+1)})\\cdot f'(z^{(l)})"),
)
