"""The rules of differentiation, each a rewrite of one pending derivative d/dv u.

A rule takes ``(u, v)`` and returns ``(replacement, caption)``, or ``None`` when it does
not apply. The replacement may hold new pending derivatives (unevaluated
``sympy.Derivative``); the engine in :mod:`derive.stepwise.engine` applies the rules one
at a time, so each line of a derivation shows one rule. Captions name the rule as a
textbook does; the derivative of each known function sits in :data:`KNOWN`, next to the
statement a reader checks it against.
"""

from __future__ import annotations

from typing import Callable

import sympy as sp

from ..symbols import LEAKY_RELU_SLOPE, leaky_relu, relu, sigma, softplus

__all__ = ["KNOWN", "RULES", "UnsupportedDerivative", "pending", "apply_rule", "solved"]


class UnsupportedDerivative(ValueError):
    """No rule differentiates this expression; the message names the part."""


def pending(u, v) -> sp.Derivative:
    """The derivative d/dv u, left unevaluated (a line of the derivation still to do)."""
    return sp.Derivative(u, v, evaluate=False)


def _indicator(condition) -> sp.Piecewise:
    return sp.Piecewise((1, condition), (0, True))


# f -> (f'(u) as a function of the argument u, the statement in LaTeX, the rule's name).
KNOWN: dict[object, tuple[Callable, str, str]] = {
    sp.exp: (sp.exp, r"\frac{d}{du} e^{u} = e^{u}", "exponential"),
    sp.log: (lambda u: 1 / u, r"\frac{d}{du} \log u = \frac{1}{u}", "logarithm"),
    sp.sin: (sp.cos, r"\frac{d}{du} \sin u = \cos u", "sine"),
    sp.cos: (lambda u: -sp.sin(u), r"\frac{d}{du} \cos u = -\sin u", "cosine"),
    sp.tan: (lambda u: 1 + sp.tan(u) ** 2, r"\frac{d}{du} \tan u = 1 + \tan^2 u", "tangent"),
    sp.sinh: (sp.cosh, r"\frac{d}{du} \sinh u = \cosh u", "hyperbolic sine"),
    sp.cosh: (sp.sinh, r"\frac{d}{du} \cosh u = \sinh u", "hyperbolic cosine"),
    sp.tanh: (lambda u: 1 - sp.tanh(u) ** 2, r"\frac{d}{du} \tanh u = 1 - \tanh^2 u",
              "hyperbolic tangent"),
    sp.atan: (lambda u: 1 / (1 + u**2), r"\frac{d}{du} \arctan u = \frac{1}{1 + u^2}",
              "arctangent"),
    sp.erf: (lambda u: 2 / sp.sqrt(sp.pi) * sp.exp(-u**2),
             r"\frac{d}{du} \operatorname{erf} u = \frac{2}{\sqrt{\pi}} e^{-u^2}", "error function"),
    sp.Abs: (sp.sign, r"\frac{d}{du} |u| = \operatorname{sign} u \ (u \neq 0)", "absolute value"),
    sigma: (lambda u: sigma(u) * (1 - sigma(u)),
            r"\frac{d}{du} \sigma(u) = \sigma(u)\,(1 - \sigma(u))", "sigmoid"),
    softplus: (sigma, r"\frac{d}{du} \operatorname{softplus}(u) = \sigma(u)", "softplus"),
    relu: (lambda u: _indicator(u > 0),
           r"\frac{d}{du} \operatorname{ReLU}(u) = \mathbf{1}[u > 0]", "ReLU"),
}


def _constant(u, v):
    if not u.has(v):
        return sp.Integer(0), "the derivative of a constant is 0"
    return None


def _variable(u, v):
    if u == v:
        return sp.Integer(1), f"$\\frac{{d{sp.latex(v)}}}{{d{sp.latex(v)}}} = 1$"
    return None


def _sum(u, v):
    if isinstance(u, sp.Add):
        return sp.Add(*[pending(t, v) for t in u.args]), "linearity: the derivative of a sum"
    return None


def _constant_factor(u, v):
    if isinstance(u, sp.Mul):
        c, rest = u.as_independent(v, as_Add=False)
        if c != 1:
            return c * pending(rest, v), "a constant factor comes out of the derivative"
    return None


def _quotient(u, v):
    if not isinstance(u, sp.Mul):
        return None
    numerator, denominator = sp.fraction(u)
    if denominator == 1 or not numerator.has(v) or not denominator.has(v):
        return None
    replacement = ((pending(numerator, v) * denominator - numerator * pending(denominator, v))
                   / sp.Pow(denominator, 2, evaluate=False))
    return replacement, r"quotient rule: $(f/g)' = (f'g - fg')/g^2$"


def _product(u, v):
    if not isinstance(u, sp.Mul):
        return None
    first, *rest = u.args
    second = sp.Mul(*rest)
    return (pending(first, v) * second + first * pending(second, v),
            r"product rule: $(fg)' = f'g + fg'$")


def _power(u, v):
    if not isinstance(u, sp.Pow):
        return None
    base, exponent = u.args
    if not exponent.has(v):
        chained = base != v
        caption = (r"power rule: $(u^n)' = n u^{n-1}$"
                   + (r", with the chain rule $\cdot\, u'$" if chained else ""))
        return exponent * base ** (exponent - 1) * pending(base, v), caption
    if not base.has(v):
        return (u * sp.log(base) * pending(exponent, v),
                r"exponential rule: $(c^{u})' = c^{u} \log(c)\, u'$")
    return (pending(sp.exp(exponent * sp.log(base)), v),
            r"write $f^{g} = e^{g \log f}$")


def solved(relation, v):
    """``relation`` (``d >= 0``, ``d < 0``, ...) as ``v >= c`` (or ``>``, ``<=``, ``<``)
    where that is possible: d linear in ``v`` with a numeric slope (other symbols, the
    label y, may sit in c), or a half-line SymPy finds for a relation in ``v`` alone;
    otherwise ``relation`` itself."""
    d = relation.lhs - relation.rhs
    if not d.has(sp.Max, sp.Min, sp.Piecewise, sp.Abs) and d.is_polynomial(v) \
            and sp.degree(d, v) == 1:
        k = sp.diff(d, v)
        if k.is_number and k != 0:
            c = -(d - k * v) / k
            flipped = {sp.GreaterThan: sp.LessThan, sp.StrictGreaterThan: sp.StrictLessThan,
                       sp.LessThan: sp.GreaterThan, sp.StrictLessThan: sp.StrictGreaterThan}
            op = type(relation) if k > 0 else flipped[type(relation)]
            return op(v, sp.expand(c))
    if d.free_symbols == {v}:
        try:
            found = sp.Rel(d, 0, relation.rel_op).as_set()
        except (NotImplementedError, TypeError, ValueError):
            return relation
        if isinstance(found, sp.Interval) and found.start == -sp.oo and found.end.is_number:
            return (sp.StrictLessThan if found.right_open else sp.LessThan)(v, found.end)
        if isinstance(found, sp.Interval) and found.end == sp.oo and found.start.is_number:
            return (sp.StrictGreaterThan if found.left_open else sp.GreaterThan)(v, found.start)
    return relation


def _minmax(u, v):
    if isinstance(u, (sp.Max, sp.Min)):
        # max(p, q) = p where p - q >= 0, else q (min: p - q <= 0); the condition solved
        # for v where it can be, so that the cases read "z >= 0" and not "z >= z/10"
        p, q = u.args[0], u.func(*u.args[1:])
        relation = (sp.GreaterThan if isinstance(u, sp.Max) else sp.LessThan)(p - q, 0)
        condition = solved(relation, v)
        cases = (sp.Piecewise((p, condition), (q, True)) if condition is not relation
                 else u.rewrite(sp.Piecewise))
        return (pending(cases, v),
                f"write {'max' if isinstance(u, sp.Max) else 'min'} as cases")
    if u.func is leaky_relu:
        return pending(sp.Piecewise((u.args[0], u.args[0] > 0),
                                    (u.args[1] * u.args[0] if len(u.args) > 1
                                     else LEAKY_RELU_SLOPE * u.args[0], True)), v), \
            "the definition of leaky ReLU, by cases"
    return None


def _piecewise(u, v):
    if not isinstance(u, sp.Piecewise):
        return None
    pieces = [(pending(e, v), c) for e, c in u.args]
    return (sp.Piecewise(*pieces, evaluate=False),
            "differentiate each case (at a boundary the value of the case that holds there)")


def _known(u, v):
    rule = KNOWN.get(u.func)
    if rule is None or len(u.args) != 1:
        return None
    derivative, statement, name = rule
    (arg,) = u.args
    if arg == v:
        return derivative(arg), f"derivative of the {name}: ${statement}$"
    return (derivative(arg) * pending(arg, v),
            f"chain rule with the derivative of the {name}: ${statement}$")


# Tried in this order: the first that applies rewrites the derivative.
RULES = (_constant, _variable, _sum, _constant_factor, _minmax, _piecewise, _quotient,
         _power, _known, _product)


def apply_rule(u, v):
    """Rewrite d/dv u by the first rule that applies: ``(replacement, caption)``."""
    for rule in RULES:
        out = rule(u, v)
        if out is not None:
            return out
    raise UnsupportedDerivative(
        f"no rule of differentiation for {u} (the function {u.func} is not known; "
        f"known: {', '.join(sorted(str(getattr(f, '__name__', f)) for f in KNOWN))})")
