"""1. The chain rule on the notes' computation graph u = bc, v = a + u, J = 3v."""

from __future__ import annotations

import sympy as sp

from ..record import derivation

SOURCE = "note 001 (and its text copy 000), section Chain Rule"


def build():
    a, b, c = sp.symbols("a b c", real=True)
    u, v = sp.symbols("u v", real=True)
    J_abc = 3 * (a + b * c)  # the graph composed

    dJ = lambda s: sp.Derivative(sp.Symbol("J"), s)  # noqa: E731  (display only)
    steps = [
        (sp.Derivative(sp.Symbol("J"), v), sp.diff(3 * v, v),
         r"definition of $J$: $J = 3v$, a constant multiple of $v$"),
        (dJ(a), sp.Mul(3, sp.diff(a + u, a), evaluate=False),
         r"chain rule: $\frac{dJ}{dv}\,\frac{\partial v}{\partial a}$, with $v = a + u$"),
        (sp.Derivative(sp.Symbol("J"), u), sp.Mul(3, sp.diff(a + u, u), evaluate=False),
         r"chain rule: $\frac{dJ}{dv}\,\frac{\partial v}{\partial u}$"),
        (dJ(b), sp.Mul(3, 1, sp.diff(b * c, b), evaluate=False),
         r"chain rule twice: $\frac{dJ}{dv}\,\frac{\partial v}{\partial u}\,\frac{\partial u}{\partial b}$, with $u = bc$"),
        (dJ(c), sp.Mul(3, 1, sp.diff(b * c, c), evaluate=False),
         r"the same path, ending in $\frac{\partial u}{\partial c} = b$"),
    ]
    nabla = sp.Symbol(r"\nabla_{(a,b,c)} J")
    steps.append((nabla, sp.Matrix([3, 3 * c, 3 * b]),
                  r"the three partial derivatives above, multiplied out, as one vector"))
    gradient = sp.Matrix([sp.diff(J_abc, s) for s in (a, b, c)])
    return [
        derivation(
            name="chain_rule",
            title="The chain rule on a computation graph",
            source=SOURCE,
            summary=(
                "Backpropagation is the chain rule applied from the output back to the "
                "inputs: each node multiplies the derivative arriving from above by its "
                "own local derivative. The notes' graph has three inputs and two "
                "intermediate nodes."
            ),
            definition=[(u, b * c), (v, a + u), (sp.Symbol("J"), 3 * v)],
            steps=steps,
            result=nabla,
            textbook=(nabla, sp.Matrix([3, 3 * c, 3 * b])),
            derived=gradient,
            derived_as=r"the gradient of the composed function $J = 3(a + bc)$, by SymPy",
            method="simplify",
            remarks=(
                r"The notes stop at $dJ/db = 3c$; by symmetry $dJ/dc = 3b$.",
            ),
        )
    ]
