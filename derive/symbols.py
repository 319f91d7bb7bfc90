"""Shared SymPy symbols and the named functions the derivations display.

The derivations write results in the notation of the notes (``\\sigma(z)``,
``\\operatorname{ReLU}(z)``); the proofs need the explicit definitions behind those
names. Each *display function* below is an undefined SymPy function for printing,
paired with its definition in :data:`DEFINITIONS`; :func:`unfold` swaps the names
for their definitions before anything is simplified or evaluated.
"""

from __future__ import annotations

import sympy as sp
from sympy.codegen.numpy_nodes import logaddexp

__all__ = [
    "z", "a", "y", "m", "K", "alpha", "LEAKY_RELU_SLOPE", "lambd", "keep_prob",
    "sigma", "relu", "leaky_relu", "softplus",
    "DEFINITIONS", "unfold", "KINKED", "has_kinks", "logaddexp", "in_range", "canonical_sums", "written_in_range", "in_range_simplify",
    "MaxOver",
]

# Scalars of one example, one unit.
z = sp.Symbol("z", real=True)            # pre-activation
a = sp.Symbol("a", real=True)            # activation
y = sp.Symbol("y", real=True)            # label
m = sp.Symbol("m", positive=True, integer=True)   # number of examples
K = sp.Symbol("K", positive=True, integer=True)   # number of classes
alpha = sp.Symbol("alpha", positive=True)         # leaky ReLU slope, 0 < alpha < 1
LEAKY_RELU_SLOPE = sp.Rational(1, 100)            # alpha where a formula does not name it
lambd = sp.Symbol("lambda", nonnegative=True)     # L2 strength (``lambd`` in code)
keep_prob = sp.Symbol("p_keep", positive=True)    # dropout keep probability

# Display functions: what a textbook writes. Definitions below.
sigma = sp.Function("sigma", real=True)
relu = sp.Function("ReLU", real=True)
leaky_relu = sp.Function("LeakyReLU", real=True)
softplus = sp.Function("softplus", real=True)


class MaxOver(sp.Function):
    """The largest value of ``body`` over an index range, ``MaxOver(body, (j, 1, K))``:
    what ``Sum`` is to the total, this is to the maximum (SymPy has no such node). A
    derivation states with it a choice such as c = max_j z_j; code generation reads it
    as the largest entry of each column."""

    nargs = 2

    @property
    def body(self):
        return self.args[0]

    @property
    def limits(self):
        return tuple(self.args[1])

    def _latex(self, printer, exp=None):
        index, low, high = self.limits
        tex = (rf"\max_{{{printer._print(low)} \le {printer._print(index)} \le "
               rf"{printer._print(high)}}} {printer._print(self.body)}")
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


def _sigma(x):
    return 1 / (1 + sp.exp(-x))


def _relu(x):
    return sp.Piecewise((x, x > 0), (0, True))


def _leaky_relu(x, slope=alpha):
    return sp.Piecewise((x, x > 0), (slope * x, True))


def _softplus(x):
    return sp.log(1 + sp.exp(x))


DEFINITIONS = {
    sigma: _sigma,
    relu: _relu,
    leaky_relu: _leaky_relu,
    softplus: _softplus,
}


def unfold(expr):
    """Replace every display function in ``expr`` by its definition.

    ``logaddexp`` nodes are rewritten as ``log(exp(a) + exp(b))`` so that SymPy's
    simplifier can see through them.
    """
    if isinstance(expr, (list, tuple)):
        return type(expr)(unfold(e) for e in expr)
    if isinstance(expr, str):
        raise TypeError("unfold takes SymPy objects, not text (parse text with "
                        "derive.claims.parse)")
    if not isinstance(expr, sp.Basic):
        return sp.sympify(expr, strict=True)   # numbers, matrices; never a string
    out = expr
    for name, definition in DEFINITIONS.items():
        out = out.replace(name, lambda *args, _d=definition: _d(*args))
    out = out.replace(logaddexp, lambda p, q: sp.log(sp.exp(p) + sp.exp(q)))
    return out


# The nodes that make a formula of one variable not differentiable somewhere (cases,
# max, min, |.|, the unit step, the sign): no complex step through them.
KINKED = (sp.Piecewise, sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.sign)


def has_kinks(expr) -> bool:
    """True when ``expr``, its display functions unfolded (ReLU is a case), has one of
    the :data:`KINKED` nodes."""
    return unfold(expr).has(*KINKED)


def _is_range_condition(condition) -> bool:
    """A condition on integer symbols only, such as ``K >= j``: an index in range."""
    free = getattr(condition, "free_symbols", set())
    return bool(free) and all(s.is_integer for s in free)


def in_range(expr):
    """``expr`` with every index taken to lie within its range.

    Summing a Kronecker delta over ``k = 1..K`` gives ``Piecewise((f(j), K >= j), ...)``
    in SymPy, which cannot know that ``1 <= j <= K``; the derivations index entries of
    vectors and matrices, whose indices are in range by definition. Each such
    ``Piecewise`` is replaced by the branch whose condition is that range.
    """
    def pick(piecewise):
        for value, condition in piecewise.args:
            if _is_range_condition(condition):
                return value
        return piecewise

    return sp.sympify(expr).replace(lambda e: isinstance(e, sp.Piecewise), pick)


def canonical_sums(expr, depth: int = 0):
    """``expr`` with the index of every sum renamed by its nesting depth.

    ``sum_k e^{z_k}`` and ``sum_j e^{z_j}`` are the same number; SymPy compares the
    names, so without this their difference does not simplify to zero.
    """
    expr = sp.sympify(expr)
    if isinstance(expr, sp.Sum) and len(expr.limits) == 1:
        (index, low, high), = expr.limits
        name = sp.Symbol(f"i_{depth}", integer=True, positive=index.is_positive)
        body = canonical_sums(expr.function.xreplace({index: name}), depth + 1)
        return sp.Sum(body, (name, low, high))
    if not expr.args:
        return expr
    return expr.func(*(canonical_sums(arg, depth) for arg in expr.args))


def written_in_range(expr):
    """``expr`` with its sums written out where SymPy can (``doit``) and each case on an
    index's range taken as true (:func:`in_range`), repeated until nothing changes: a
    sum of Kronecker deltas written out is such a case, and once it is dropped the sum
    around it can be written out in turn. Exact, the indices in range assumed."""
    expr = sp.sympify(expr)
    for _ in range(8):
        written = in_range(expr.doit())
        if written == expr:
            break
        expr = written
    return expr


def in_range_simplify(difference):
    """``difference``, in index notation, simplified with every index in its range.

    Its sums are written out and the indices taken in range (:func:`written_in_range`),
    then the sums' indices are renamed (:func:`canonical_sums`) and the result
    simplified. Every step is exact (the indices in range are the stated assumption). Where that does not reach zero,
    ``simplify`` runs first (before the cases are dropped), which also decides such
    cases itself, at many times the cost (its relational simplification tests each
    condition numerically).
    """
    out = sp.simplify(canonical_sums(written_in_range(difference)))
    if out == 0:
        return out
    return sp.simplify(canonical_sums(in_range(sp.simplify(sp.sympify(difference).doit()))))
