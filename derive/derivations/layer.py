"""6. The vectorized layer: forward ``Z = W A_prev + b`` and its backward formulas.

Each formula is derived in index notation (the displayed steps) and proved in general:
SymPy differentiates the index-notation definition through its sums of symbolic length
(any n^[l], n^[l-1], m), sums the Kronecker deltas, and the result's matrix entries,
written as sums (:func:`index_form`), must agree with that. The same formula is then
cross-checked on explicit symbolic matrices of several sizes: the cost is built entry by
entry from generic per-example losses, differentiated one entry at a time, and compared
with the matrix formula of the notes.

The helpers at the top (:func:`symbol_matrix`, :func:`partials_at`, :func:`named`,
:func:`cross_checked`) are shared with the backprop, regularization and
initialization derivations.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from ..latex import as_written, to_latex
from ..record import Derivation, Equation, Proof, Step, derived_remark, prove
from ..symbols import in_range_simplify, m, written_in_range

__all__ = [
    "build", "symbol_matrix", "partials_at", "named", "cross_checked", "expand_entries",
    "VectorEntry", "keep_in_range", "SIZES",
    "n_l", "n_prev", "W", "b", "A_prev", "Z", "dZ", "dA", "gprime_Z",
]

SOURCE = ("note 001, Backward Propagation and Vectorized implementation example; "
          "note 003, Coding Backward Propagation")

# (n_l, n_{l-1}, m) of the explicit cross-checks: a scalar layer, a wide and a tall
# one, so that a transposition or a missing 1/m cannot pass by coincidence.
SIZES = ((1, 1, 1), (2, 3, 2), (3, 2, 4))

# Spot-check points of the explicit cross-checks. Their entries are polynomials in a
# few dozen symbols, where `expand` already decides equality exactly; the spot check
# repeats it numerically, and each point costs a slow `subs` per entry.
CROSS_CHECK_POINTS = 4

# The matrix forms handed to code generation, named as in the generated code.
n_l, n_prev = sp.symbols("n_l n_prev", positive=True, integer=True)
W = sp.MatrixSymbol("W", n_l, n_prev)
b = sp.MatrixSymbol("b", n_l, 1)
A_prev = sp.MatrixSymbol("A_prev", n_prev, m)
Z = sp.MatrixSymbol("Z", n_l, m)
dZ = sp.MatrixSymbol("dZ", n_l, m)
dA = sp.MatrixSymbol("dA", n_l, m)
gprime_Z = sp.MatrixSymbol("gprime_Z", n_l, m)   # g'(Z), evaluated elementwise

# The same matrices in the notes' notation, for the report only.
_SHOW = {
    W: sp.MatrixSymbol(r"W^{[l]}", n_l, n_prev),
    b: sp.MatrixSymbol(r"b^{[l]}", n_l, 1),
    A_prev: sp.MatrixSymbol(r"A^{[l-1]}", n_prev, m),
    Z: sp.MatrixSymbol(r"Z^{[l]}", n_l, m),
    dZ: sp.MatrixSymbol(r"dZ^{[l]}", n_l, m),
    dA: sp.MatrixSymbol(r"dA^{[l]}", n_l, m),
    gprime_Z: sp.MatrixSymbol(r"g^{[l]\prime}(Z^{[l]})", n_l, m),
}
_ONES_M = sp.MatrixSymbol(r"\mathbf{1}_{m}", m, 1)


def _show(expr):
    """``expr`` with the code names swapped for the notes' notation."""
    return expr.xreplace({**_SHOW, sp.OneMatrix(m, 1): _ONES_M,
                          sp.OneMatrix(1, m): _ONES_M.T})


# --------------------------------------------------------------------------------------
# Shared helpers: explicit matrices, generic functions, and the cross-checked record.


def symbol_matrix(name: str, rows: int, cols: int, **assumptions) -> sp.Matrix:
    """A ``rows x cols`` matrix of real symbols ``name_{r,c}``, 1-based as in the notes."""
    assumptions.setdefault("real", True)
    return sp.Matrix(rows, cols, lambda r, c: sp.Symbol(f"{name}_{{{r + 1},{c + 1}}}",
                                                         **assumptions))


def partials_at(f, point: Sequence, names: Sequence) -> dict:
    """Map each partial derivative of the generic function ``f`` at ``point`` to a name.

    ``sp.diff`` of a composition ``f(e_1, ..., e_n)`` with an undefined ``f`` leaves
    the partials of ``f`` as objects such as ``Subs(Derivative(f(x, e_2), x), x, e_1)``
    or ``Derivative(f(e_1), e_1)``. SymPy's chain rule takes them from ``fdiff``, so
    asking ``fdiff`` gives exactly the same objects; :func:`named` then replaces them by
    the symbols ``names`` (``dZ_{j,i}``, ``g'(z_j)``, ...), which the spot check can
    evaluate.
    """
    call = f(*point)
    return {call.fdiff(position + 1): name for position, name in enumerate(names)}


def named(expr, names: Mapping):
    """``expr`` with the objects in ``names`` replaced; fails if a derivative is left.

    A leftover ``Derivative`` means :func:`partials_at` did not anticipate the form
    SymPy chose, and the comparison that follows would not be meaningful.
    """
    out = expr.xreplace(dict(names))
    if out.has(sp.Derivative, sp.Subs):
        raise ValueError(f"unnamed derivative left in {out}")
    return out


def _column(matrix) -> sp.Matrix:
    """All entries of ``matrix`` (or a scalar) as one column."""
    matrix = sp.Matrix(matrix) if isinstance(matrix, sp.MatrixBase) else sp.Matrix([matrix])
    return matrix.reshape(len(matrix), 1)


def expand_entries(difference):
    """``expand`` every entry: the difference of two polynomial expressions is zero
    exactly when its expansion is (fast, unlike ``simplify`` on large matrices)."""
    if isinstance(difference, sp.MatrixBase):
        return difference.applyfunc(sp.expand)
    return sp.expand(difference)


def cross_checked(*, name: str, title: str, source: str, summary: str,
                  definition: Sequence, steps: Sequence, result, textbook,
                  cases: Sequence[tuple], checked_on: str,
                  transform: Callable = expand_entries, transform_name: str = "expand",
                  ranges: Mapping | None = None, points: int = CROSS_CHECK_POINTS,
                  assumptions: Sequence[str] = (),
                  remarks: Sequence[str] = (), extra: Mapping | None = None,
                  general: tuple | None = None) -> Derivation:
    """A :class:`Derivation` proved in general where ``general`` is given, and on
    explicit instances of the formula.

    ``general``: ``(derived, ranges)``, the derivative computed by SymPy in index
    notation for any sizes (through sums of symbolic length, Kronecker deltas summed);
    the result, its matrix entries written as sums (:func:`index_form`), is proved equal
    to it for any ``n^{[l]}``, ``n^{[l-1]}``, ``m``, and the explicit cases are a
    cross-check under that proof.

    ``result`` is the left-hand side of the boxed result, whose right-hand side is
    the last step's (or a pair that must agree with it); ``result`` and ``textbook``
    are displayed (index notation,
    matrix-symbol formulas); SymPy cannot evaluate those at random points. ``cases`` are
    ``(derived, expected)`` pairs of explicit matrices (one per size): ``derived`` comes
    from ``sp.diff`` on the explicit instance, ``expected`` from the textbook formula
    applied to it. All cases are stacked into one column and proved at once with
    :func:`derive.record.prove`, so the spot check covers every size (at ``points``
    random points: see :data:`CROSS_CHECK_POINTS`).
    """
    if any(ch in checked_on for ch in "^{}~\\$"):
        raise ValueError(f"checked_on is shown as plain text; no LaTeX specials: {checked_on!r}")
    derived = sp.Matrix.vstack(*(_column(d) for d, _ in cases))
    expected = sp.Matrix.vstack(*(_column(t) for _, t in cases))
    method = (f"{transform_name}(entry-by-entry symbolic derivative - textbook formula) = 0 "
              f"on explicit matrices, {checked_on}", transform)
    proof = prove(derived, expected, method, ranges, points)
    extra = dict(extra or {})
    extra.setdefault("checked_on", checked_on)
    if general is not None:
        general_derived, general_ranges = general
        result_rhs = steps[-1][1]
        in_general = prove(index_form(result_rhs), general_derived, GENERAL_METHOD,
                           general_ranges)
        extra["general_proof"] = in_general
        extra["explicit_proof"] = proof
        symbolic = (None if in_general.symbolic is None or proof.symbolic is None
                    else in_general.symbolic and proof.symbolic)
        remarks = (*remarks, derived_remark(
            "the chain rule in index notation, each derivative taken by SymPy through "
            "sums of symbolic length (any sizes)"))
        proof = Proof(f"{in_general.method}; cross-check: {proof.method}", symbolic,
                      max(in_general.spot_check_max_error, proof.spot_check_max_error),
                      in_general.spot_check_points)
    return Derivation(
        name=name, title=title, source=source, summary=summary,
        definition=tuple(Equation(*d) for d in definition),
        steps=tuple(Step(*s) for s in steps),
        result=(Equation(*result) if isinstance(result, (tuple, list))
                else Equation(result, steps[-1][1])),
        textbook=Equation(*textbook), proof=proof,
        assumptions=tuple(assumptions), remarks=tuple(remarks), extra=extra,
    )


GENERAL_METHOD = ("simplify(doit(result - derived)) = 0 in index notation, any sizes, "
                  "indices in range", in_range_simplify)


def _entry(matrix, row, col):
    """Entry ``(row, col)`` of a displayed matrix expression, as ``Indexed`` entries and
    sums of symbolic length (1-based indices, as in the derivations)."""
    if isinstance(matrix, sp.MatrixSymbol):
        if matrix in (_ONES_M, _ONES_M.T):
            return sp.S.One
        base = sp.IndexedBase(matrix.name)
        # column vectors (b^{[l]}) are written with one index
        return base[row] if matrix.shape[1] == 1 else base[row, col]
    if isinstance(matrix, sp.Transpose):
        return _entry(matrix.arg, col, row)
    if isinstance(matrix, sp.MatAdd):
        return sp.Add(*(_entry(term, row, col) for term in matrix.args))
    if isinstance(matrix, sp.HadamardProduct):
        return sp.Mul(*(_entry(f, row, col) for f in matrix.args))
    if isinstance(matrix, sp.MatMul):
        scalars = [f for f in matrix.args if not getattr(f, "is_Matrix", False)]
        factors = [f for f in matrix.args if getattr(f, "is_Matrix", False)]
        if len(factors) == 1:
            return sp.Mul(*scalars) * _entry(factors[0], row, col)
        if len(factors) == 2:
            left, right = factors
            inner = _DISPLAY_SIZE.get(left.shape[1], left.shape[1])
            q = sp.Dummy("q", integer=True, positive=True)
            return sp.Mul(*scalars) * sp.Sum(_entry(left, row, q) * _entry(right, q, col),
                                             (q, 1, inner))
    raise TypeError(f"no index form for {matrix!r}")


def index_form(expr):
    """``expr`` with every displayed matrix entry ``(P Q^T)_{j,k}`` written as a sum."""
    return sp.sympify(expr).replace(lambda e: isinstance(e, MatrixElement),
                                    lambda e: _entry(e.parent, e.i, e.j))


class VectorEntry(MatrixElement):
    """Entry ``j`` of a column-vector expression, printed ``(v)_j`` (no column index)."""

    def _latex(self, printer):
        return r"{\left(%s\right)}_{%s}" % (printer._print(self.parent),
                                            printer._print(self.i))


def keep_in_range(expr):
    """Drop the ``Piecewise`` that ``Sum(KroneckerDelta(j, j') f(j'), j').doit()``
    wraps around ``f(j)``: its condition is ``1 <= j <= n``, true for every index of
    the matrix, which SymPy cannot know about a bare integer symbol."""
    return expr.replace(
        lambda e: isinstance(e, sp.Piecewise) and len(e.args) == 2 and e.args[1] == (0, True),
        lambda e: e.args[0][0])


# --------------------------------------------------------------------------------------
# The layer in index notation (display) and as explicit matrices (proof).

j, k, i = sp.symbols("j k i", integer=True, positive=True)
_n_l, _n_prev = sp.symbols(r"n^{[l]} n^{[l-1]}", integer=True, positive=True)
j2, k2 = sp.symbols("j' k'", integer=True, positive=True)
# the code's size symbols -> the notes' (for sums over an inner dimension)
_DISPLAY_SIZE = {n_l: _n_l, n_prev: _n_prev}
_GENERAL_RANGES = {_n_l: (1, 3), _n_prev: (1, 3), m: (1, 3), j: (1, _n_l), j2: (1, _n_l),
                   k: (1, _n_prev), i: (1, m)}
_W = sp.IndexedBase(r"W^{[l]}")
_A = sp.IndexedBase(r"A^{[l-1]}")
_b = sp.IndexedBase(r"b^{[l]}")
_Z = sp.IndexedBase(r"Z^{[l]}")
_dZ = sp.IndexedBase(r"dZ^{[l]}")
_dA = sp.IndexedBase(r"dA^{[l]}")
_dW = sp.IndexedBase(r"dW^{[l]}")
_db = sp.IndexedBase(r"db^{[l]}")
_dA_prev = sp.IndexedBase(r"dA^{[l-1]}")
_J = sp.Symbol("J")
_L = sp.Symbol(r"\mathcal{L}^{(i)}")
g = sp.Function("g^{[l]}", real=True)


def _partial(numerator, denominator) -> sp.Symbol:
    """The display symbol d(numerator)/d(denominator), for a chain-rule line: an
    unevaluated ``Derivative`` times a factor prints ambiguously (d/dx f g)."""
    return sp.Symbol(r"\frac{\partial %s}{\partial %s}" % (to_latex(numerator), to_latex(denominator)))


def _z_entry(row, col):
    """``Z_{row,col} = sum_k' W_{row,k'} A_{k',col} + b_row`` in index notation."""
    return as_written(sp.Add(
        sp.Sum(as_written(sp.Mul(_W[row, k2], _A[k2, col], evaluate=False)), (k2, 1, _n_prev)),
        _b[row], evaluate=False))


def _written(*factors):
    """A product printed in the order given (a textbook's order of the factors)."""
    return as_written(sp.Mul(*factors, evaluate=False))


def _common_definition():
    return [
        (_Z[j, i], _z_entry(j, i)),
        (_J, sp.Sum(_L, (i, 1, m)) / m),
        (_dZ[j, i], sp.Derivative(_L, _Z[j, i])),
    ]


_CONVENTION = (
    r"Per-example derivatives carry no $1/m$: $dZ^{[l]}_{j,i} = \partial \mathcal{L}^{(i)}"
    r"/\partial Z^{[l]}_{j,i}$, and likewise $dA^{[l]}$, $dA^{[l-1]}$ (as in the notes). "
    r"The cost $J = \frac{1}{m}\sum_i \mathcal{L}^{(i)}$ is an average, so "
    r"$\partial J/\partial Z^{[l]}_{j,i} = \frac{1}{m} dZ^{[l]}_{j,i}$ and the $1/m$ "
    r"appears in $dW^{[l]} = \partial J/\partial W^{[l]}$ and $db^{[l]} = \partial J/\partial b^{[l]}$."
)
_CONVENTION_SHORT = (
    r"As for $dZ^{[l]}$ above: per-example derivatives ($dZ^{[l]}$, $dA^{[l-1]}$) carry no "
    r"$1/m$; the derivatives of the cost $J$ ($dW^{[l]}$, $db^{[l]}$) do."
)
_PER_EXAMPLE = (r"$\mathcal{L}^{(i)}$ depends on the layer only through column $i$ of "
                r"$Z^{[l]}$, and is differentiable there; otherwise arbitrary.")
_SIZES_TEXT = ("(n_l, n_prev, m) in " + ", ".join(str(s) for s in SIZES))
_NO_MATRIX_DIFF = (
    r"The matrix formulas are not obtained with SymPy's \texttt{MatrixSymbol} "
    r"differentiation, which cannot be trusted here: \texttt{diff(Trace(G.T*W*A) + "
    r"Trace(G.T*b*1), W)} returns $0$ (SymPy 1.14), while the same cost written as one "
    r"trace gives $G A^T$. The cross-check differentiates explicit matrices entry by entry."
)

_SEE_NO_MATRIX_DIFF = (
    r"As for $dZ^{[l]}$, the cross-check differentiates explicit matrices entry by entry, "
    r"not \texttt{MatrixSymbol} expressions."
)


class _Explicit:
    """One layer of size ``(n, p, mm)`` as explicit symbolic matrices.

    ``J`` is the cost ``(1/mm) sum_i L_i(Z[:, i])`` with a generic, undefined loss
    ``L_i`` per example, and ``names`` maps each partial ``dL_i/dZ_{j,i}`` that
    ``sp.diff`` produces to the symbol ``dZ_{j,i}``.
    """

    def __init__(self, n: int, p: int, mm: int):
        self.n, self.p, self.m = n, p, mm
        self.W = symbol_matrix("W", n, p)
        self.A_prev = symbol_matrix("A", p, mm)
        self.b = symbol_matrix("b", n, 1)
        self.dZ = symbol_matrix("dZ", n, mm)
        self.Z = self.W * self.A_prev + self.b * sp.ones(1, mm)
        losses = [sp.Function(f"L{c + 1}") for c in range(mm)]
        self.losses = [losses[c](*self.Z[:, c]) for c in range(mm)]
        self.J = sp.Add(*self.losses) / mm
        self.names = {}
        for c in range(mm):
            self.names.update(partials_at(losses[c], list(self.Z[:, c]), list(self.dZ[:, c])))

    def gradient(self, matrix, scale=1):
        """``scale * dJ/d(entry)`` for every entry of ``matrix``, dZ-partials named."""
        return matrix.applyfunc(lambda e: named(scale * sp.diff(self.J, e), self.names))


def _layers():
    return [_Explicit(*size) for size in SIZES]


# --------------------------------------------------------------------------------------
# The derivations.


def layer_forward() -> Derivation:
    """Z = W A_prev + b, with b broadcast over the m columns."""
    cases = []
    for n, p, mm in SIZES:
        Wx, Ax, bx = symbol_matrix("W", n, p), symbol_matrix("A", p, mm), symbol_matrix("b", n, 1)
        by_index = sp.Matrix(n, mm, lambda r, c: sum(Wx[r, q] * Ax[q, c] for q in range(p)) + bx[r])
        cases.append((by_index, Wx * Ax + bx * sp.ones(1, mm)))
    matrix_form = W * A_prev + b * sp.OneMatrix(1, m)
    _a, _z = sp.IndexedBase(r"a^{[l-1](i)}"), sp.IndexedBase(r"z^{[l](i)}")
    return cross_checked(
        name="layer_forward",
        title=r"Forward pass of a layer over $m$ examples",
        source="note 001, Forward Propagation; note 004, Forward",
        summary=(
            r"Each example is a column: $z^{[l](i)} = W^{[l]} a^{[l-1](i)} + b^{[l]}$. "
            r"Placing the $m$ columns side by side gives one matrix product; the bias, a "
            r"single column, is added to every column, which is what NumPy broadcasting "
            r"of an $(n^{[l]}, 1)$ array against an $(n^{[l]}, m)$ array does."
        ),
        definition=[(_z[j], as_written(sp.Add(sp.Sum(_written(_W[j, k], _a[k]), (k, 1, _n_prev)),
                                              _b[j], evaluate=False)))],
        steps=[
            (_Z[j, i], _z_entry(j, i),
             r"column $i$ of $Z^{[l]}$ is $z^{[l](i)}$, computed from column $i$ of $A^{[l-1]}$"),
            (None, as_written(sp.Add(MatrixElement(_show(W * A_prev), j, i), _b[j],
                                     evaluate=False)),
             r"definition of the matrix product"),
            (None, MatrixElement(_show(matrix_form), j, i),
             r"$b^{[l]}_j = (b^{[l]} \mathbf{1}_m^T)_{j,i}$ for every $i$: the bias broadcast over the columns"),
        ],
        result=_Z[j, i],
        textbook=(_Z[j, i], MatrixElement(_show(matrix_form), j, i)),
        general=(_z_entry(j, i), _GENERAL_RANGES),
        cases=cases,
        checked_on=_SIZES_TEXT,
        assumptions=(r"$W^{[l]}$: $(n^{[l]}, n^{[l-1]})$, $b^{[l]}$: $(n^{[l]}, 1)$, "
                     r"$A^{[l-1]}$: $(n^{[l-1]}, m)$, columns are examples; $A^{[0]} = X$.",),
        remarks=(
            r"Note 001 writes $Z^{[i]} = W^{[i]} X + b^{[i]}$: the input of layer $l$ is "
            r"$A^{[l-1]}$, which is $X$ only for the first layer, and $[i]$ there is a layer "
            r"index, not the example index $(i)$.",
            r"The broadcast $b^{[l]} \mathbf{1}_m^T$ is written out in the matrix form so "
            r"that the generated code does not rely on broadcasting silently.",
        ),
        extra={"matrix_form": matrix_form, "arguments": (W, A_prev, b),
               "shapes": {"Z": "(n_l, m)"}},
    )


def _collapsed_dz():
    """sum_j' dA_{j',i} dA_{j',i}/dZ_{j,i} with A = g(Z), by SymPy for any n^[l]: the
    deltas summed, g's derivative at Z_{j,i} given its displayed name."""
    chain = sp.Sum(_dA[j2, i] * sp.diff(g(_Z[j2, i]), _Z[j, i]), (j2, 1, _n_l))
    collapsed = sp.simplify(written_in_range(chain))
    return collapsed.xreplace({sp.Derivative(g(_Z[j, i]), _Z[j, i]):
                               sp.Symbol(r"g^{[l]\prime}(Z^{[l]}_{j,i})")})


def layer_dz() -> Derivation:
    """dZ = dA * g'(Z), elementwise, from A = g(Z) and a generic per-example loss."""
    cases = []
    for n, _, mm in SIZES:
        Zx, dAx, gpx = symbol_matrix("Z", n, mm), symbol_matrix("dA", n, mm), symbol_matrix("gp", n, mm)
        losses = [sp.Function(f"L{c + 1}") for c in range(mm)]
        names = {}
        for r in range(n):
            for c in range(mm):
                names.update(partials_at(g, [Zx[r, c]], [gpx[r, c]]))
        for c in range(mm):
            names.update(partials_at(losses[c], [g(Zx[r, c]) for r in range(n)], list(dAx[:, c])))
        derived = sp.Matrix(n, mm, lambda r, c: named(
            sp.diff(losses[c](*[g(Zx[q, c]) for q in range(n)]), Zx[r, c]), names))
        cases.append((derived, dAx.multiply_elementwise(gpx)))
    matrix_form = sp.HadamardProduct(dA, gprime_Z)
    _Aact = sp.IndexedBase(r"A^{[l]}")
    chain = sp.Sum(_written(_partial(_L, _Aact[j2, i]), _partial(_Aact[j2, i], _Z[j, i])),
                   (j2, 1, _n_l))
    return cross_checked(
        name="layer_dz",
        title=r"$dZ^{[l]} = dA^{[l]} \odot g^{[l]\prime}(Z^{[l]})$",
        source=SOURCE,
        summary=(
            r"The activation acts entry by entry, $A^{[l]}_{j,i} = g^{[l]}(Z^{[l]}_{j,i})$, "
            r"so each entry of $Z^{[l]}$ reaches the loss through one entry of $A^{[l]}$ "
            r"only. The chain rule then multiplies entry by entry: a Hadamard product, "
            r"not a matrix product."
        ),
        definition=[(_Aact[j, i], g(_Z[j, i])),
                    (_dA[j, i], sp.Derivative(_L, _Aact[j, i])),
                    (_dZ[j, i], sp.Derivative(_L, _Z[j, i]))],
        steps=[
            (_dZ[j, i], chain, r"chain rule through every entry $A^{[l]}_{j',i}$ of column $i$"),
            (sp.Derivative(_Aact[j2, i], _Z[j, i]), sp.diff(g(_Z[j2, i]), _Z[j, i]),
             r"differentiate $A^{[l]}_{j',i} = g^{[l]}(Z^{[l]}_{j',i})$: zero unless $j' = j$"),
            (_dZ[j, i], _written(_dA[j, i], sp.Symbol(r"g^{[l]\prime}(Z^{[l]}_{j,i})")),
             r"the Kronecker delta keeps $j' = j$; definition of $dA^{[l]}$"),
        ],
        result=(_dZ[j, i], _written(_dA[j, i], sp.Symbol(r"g^{[l]\prime}(Z^{[l]}_{j,i})"))),
        textbook=(_dZ[j, i], MatrixElement(_show(matrix_form), j, i)),
        general=(_collapsed_dz(), _GENERAL_RANGES),
        cases=cases,
        checked_on=("(n_l, m) in " + ", ".join(str((n, mm)) for n, _, mm in SIZES)
                    + "; generic activation g and generic per-example losses"),
        assumptions=(_CONVENTION,
                     r"$g^{[l]}$ is applied entry by entry and is differentiable at $Z^{[l]}$ "
                     r"(for ReLU: away from $0$, where the code uses the value $0$)."),
        remarks=(
            r"Note 001 writes $dZ^{[l-1]} = W^{[l]T} dZ^{[l]} * g'^{[l-1]}(Z^{[l]})$: the "
            r"derivative of the activation must be evaluated at the layer's own "
            r"pre-activation, $g^{[l-1]\prime}(Z^{[l-1]})$, not at $Z^{[l]}$ (whose shape "
            r"$(n^{[l]}, m)$ does not even match).",
            r"The $*$ in the notes is NumPy's elementwise product, $\odot$ here.",
            _NO_MATRIX_DIFF,
        ),
        extra={"matrix_form": matrix_form, "arguments": (dA, gprime_Z),
               "shapes": {"dZ": "(n_l, m)"}},
    )


def layer_dw() -> Derivation:
    """dW = (1/m) dZ A_prev^T, from the index form of Z and the average cost."""
    cases = [(L.gradient(L.W), (L.dZ * L.A_prev.T) / L.m) for L in _layers()]
    matrix_form = (1 / m) * dZ * A_prev.T
    dz_dw = sp.diff(_z_entry(j2, i), _W[j, k])
    return cross_checked(
        name="layer_dw",
        title=r"$dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}$",
        source=SOURCE,
        summary=(
            r"A weight $W^{[l]}_{j,k}$ is used by every example, in row $j$ of $Z^{[l]}$, "
            r"multiplied by $A^{[l-1]}_{k,i}$. Its derivative therefore sums "
            r"$dZ^{[l]}_{j,i} A^{[l-1]}_{k,i}$ over the examples, which is entry $(j, k)$ "
            r"of $dZ^{[l]} A^{[l-1]T}$; the average in the cost brings the $1/m$."
        ),
        definition=_common_definition() + [(_dW[j, k], sp.Derivative(_J, _W[j, k]))],
        steps=[
            (_dW[j, k], _written(1 / m, sp.Sum(_written(_dZ[j2, i], _partial(_Z[j2, i], _W[j, k])),
                                               (j2, 1, _n_l), (i, 1, m))),
             r"chain rule through every entry $Z^{[l]}_{j',i}$, with "
             r"$\partial J/\partial Z^{[l]}_{j',i} = \frac{1}{m} dZ^{[l]}_{j',i}$"),
            (sp.Derivative(_Z[j2, i], _W[j, k]), dz_dw,
             r"differentiate the definition of $Z^{[l]}_{j',i}$ term by term"),
            (None, keep_in_range(dz_dw.doit()), r"the Kronecker delta in $k'$ keeps the term $k' = k$"),
            (_dW[j, k], _written(1 / m, sp.Sum(_written(_dZ[j, i], _A[k, i]), (i, 1, m))),
             r"the Kronecker delta in $j'$ keeps the term $j' = j$"),
            (None, MatrixElement(_show(matrix_form), j, k),
             r"definition of the matrix product: $(P Q^T)_{j,k} = \sum_i P_{j,i} Q_{k,i}$"),
        ],
        result=_dW[j, k],
        textbook=(_dW[j, k], MatrixElement(_show(matrix_form), j, k)),
        general=(sp.Sum(_dZ[j2, i] * sp.diff(_z_entry(j2, i), _W[j, k]),
                        (j2, 1, _n_l), (i, 1, m)) / m, _GENERAL_RANGES),
        cases=cases,
        checked_on=_SIZES_TEXT + "; generic per-example losses",
        assumptions=(_CONVENTION_SHORT, _PER_EXAMPLE),
        remarks=(
            r"Note 001 labels $dW^{[l]}$ as $\partial \mathcal{L}/\partial W^{[l]}$; with "
            r"the $1/m$ it is the derivative of the cost $J$, not of one example's loss.",
            r"For a single example ($m = 1$) this is note 001's $dW^{[2]} = dz^{[2]} a^{[1]T}$.",
            _SEE_NO_MATRIX_DIFF,
        ),
        extra={"matrix_form": matrix_form, "arguments": (dZ, A_prev, m),
               "shapes": {"dW": "(n_l, n_prev)"}},
    )


def layer_db() -> Derivation:
    """db = (1/m) sum over examples of dZ, kept as an (n_l, 1) column."""
    cases = [(L.gradient(L.b), (L.dZ * sp.ones(L.m, 1)) / L.m) for L in _layers()]
    matrix_form = (1 / m) * dZ * sp.OneMatrix(m, 1)
    dz_db = sp.diff(_z_entry(j2, i), _b[j])
    return cross_checked(
        name="layer_db",
        title=r"$db^{[l]} = \frac{1}{m} \sum_i dZ^{[l](i)}$",
        source=SOURCE,
        summary=(
            r"The bias $b^{[l]}_j$ is added to every entry of row $j$ of $Z^{[l]}$, with "
            r"local derivative $1$, so its derivative is the average of row $j$ of "
            r"$dZ^{[l]}$: \texttt{np.sum(dZ, axis=1, keepdims=True) / m}, an "
            r"$(n^{[l]}, 1)$ column like $b^{[l]}$."
        ),
        definition=_common_definition() + [(_db[j], sp.Derivative(_J, _b[j]))],
        steps=[
            (_db[j], _written(1 / m, sp.Sum(_written(_dZ[j2, i], _partial(_Z[j2, i], _b[j])),
                                            (j2, 1, _n_l), (i, 1, m))),
             r"chain rule through every entry $Z^{[l]}_{j',i}$"),
            (sp.Derivative(_Z[j2, i], _b[j]), dz_db,
             r"differentiate the definition: the sum does not depend on $b^{[l]}$"),
            (_db[j], sp.Sum(_dZ[j, i], (i, 1, m)) / m,
             r"the Kronecker delta keeps $j' = j$"),
            (None, VectorEntry(_show(matrix_form), j, 0),
             r"summing over $i$ is multiplying by the column of ones $\mathbf{1}_m$"),
        ],
        result=_db[j],
        textbook=(_db[j], VectorEntry(_show(matrix_form), j, 0)),
        general=(sp.Sum(_dZ[j2, i] * sp.diff(_z_entry(j2, i), _b[j]),
                        (j2, 1, _n_l), (i, 1, m)) / m, _GENERAL_RANGES),
        cases=cases,
        checked_on=_SIZES_TEXT + "; generic per-example losses",
        assumptions=(_CONVENTION_SHORT, _PER_EXAMPLE),
        remarks=(
            r"Note 001 writes $db^{[l]} = \partial \mathcal{L}/\partial W^{[l]}$: the "
            r"derivative is with respect to $b^{[l]}$ (and of the cost $J$), a slip in the "
            r"label, not in the formula.",
            r"\texttt{keepdims=True} matters: without it NumPy returns shape $(n^{[l]},)$, "
            r"which broadcasts against $(n^{[l]}, 1)$ into an $(n^{[l]}, n^{[l]})$ matrix.",
            _SEE_NO_MATRIX_DIFF,
        ),
        extra={"matrix_form": matrix_form, "arguments": (dZ, m),
               "shapes": {"db": "(n_l, 1)"}},
    )


def layer_da_prev() -> Derivation:
    """dA_prev = W^T dZ (per example, no 1/m)."""
    cases = [(L.gradient(L.A_prev, scale=L.m), L.W.T * L.dZ) for L in _layers()]
    matrix_form = W.T * dZ
    dz_da = sp.diff(_z_entry(j2, i), _A[k, i])
    return cross_checked(
        name="layer_da_prev",
        title=r"$dA^{[l-1]} = W^{[l]T} dZ^{[l]}$",
        source=SOURCE,
        summary=(
            r"Entry $A^{[l-1]}_{k,i}$ feeds every unit of layer $l$ for example $i$, with "
            r"weight $W^{[l]}_{j,k}$, so its derivative sums $W^{[l]}_{j,k} dZ^{[l]}_{j,i}$ "
            r"over $j$: entry $(k, i)$ of $W^{[l]T} dZ^{[l]}$. It is a per-example "
            r"derivative, hence no $1/m$."
        ),
        definition=_common_definition() + [
            (_dA_prev[k, i], sp.Derivative(_L, _A[k, i]))],
        steps=[
            (_dA_prev[k, i], sp.Sum(_written(_dZ[j2, i], _partial(_Z[j2, i], _A[k, i])),
                                    (j2, 1, _n_l)),
             r"chain rule through the entries $Z^{[l]}_{j',i}$ of column $i$ "
             r"(other columns do not depend on $A^{[l-1]}_{k,i}$)"),
            (sp.Derivative(_Z[j2, i], _A[k, i]), dz_da,
             r"differentiate the definition of $Z^{[l]}_{j',i}$ term by term"),
            (None, keep_in_range(dz_da.doit()), r"the Kronecker delta in $k'$ keeps $k' = k$"),
            (_dA_prev[k, i], sp.Sum(_W[j2, k] * _dZ[j2, i], (j2, 1, _n_l)),
             r"substitute the derivative above"),
            (None, MatrixElement(_show(matrix_form), k, i),
             r"definition of the matrix product: $(P^T Q)_{k,i} = \sum_j P_{j,k} Q_{j,i}$"),
        ],
        result=_dA_prev[k, i],
        textbook=(_dA_prev[k, i], MatrixElement(_show(matrix_form), k, i)),
        general=(sp.Sum(_dZ[j2, i] * sp.diff(_z_entry(j2, i), _A[k, i]), (j2, 1, _n_l)),
                 _GENERAL_RANGES),
        cases=cases,
        checked_on=_SIZES_TEXT + r"; generic per-example losses; derived as m dJ/dA_prev",
        assumptions=(_CONVENTION_SHORT, _PER_EXAMPLE),
        remarks=(
            r"In the cross-check $dA^{[l-1]}$ is computed as $m\,\partial J/\partial A^{[l-1]}$: "
            r"column $i$ of $A^{[l-1]}$ reaches only $\mathcal{L}^{(i)}$, so this equals "
            r"$\partial \mathcal{L}^{(i)}/\partial A^{[l-1]}_{k,i}$.",
            r"Together with $dZ^{[l-1]} = dA^{[l-1]} \odot g^{[l-1]\prime}(Z^{[l-1]})$ this "
            r"passes the error one layer down.",
            _SEE_NO_MATRIX_DIFF,
        ),
        extra={"matrix_form": matrix_form, "arguments": (W, dZ),
               "shapes": {"dA_prev": "(n_prev, m)"}},
    )


def build():
    return [layer_forward(), layer_dz(), layer_dw(), layer_db(), layer_da_prev()]
