"""Differentiation that records its steps, each proved equal to the one before.

The derivative starts as one pending derivative ``d/dv f``. Each line applies one rule of
:mod:`derive.stepwise.rules` to the first pending derivative (reading order) and
evaluates the trivial ones it creates (``dv/dv = 1``, constants). When none is left, the
result is brought into the shape a textbook writes: terms collected, and, where the
derivative is a polynomial in the function itself (``sigma' = sigma (1 - sigma)``),
written through it, so that a network can reuse the cached activation.

Every line is proved equal to the line before it: the two evaluate to the same
function (the pending derivatives done by SymPy), by a symbolic reduction of their
difference to zero and a spot check at 30 digits (:func:`derive.record.prove`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

from ..record import PROOF_METHODS, SPOT_POINTS, Proof, Step, spot_check
from ..symbols import sigma, softplus, unfold
from .rules import apply_rule, pending

__all__ = ["StepwiseDerivative", "differentiate", "MAX_STEPS", "MAX_OPS"]

MAX_STEPS = 80        # lines of one derivation: a formula needing more is refused
# SymPy's simplify as a tidying candidate only up to this size: on GELU's 41-operation
# derivative it spends 1.4 s and returns a form with a function the line did not use
MAX_SIMPLIFY_OPS = 30
MAX_OPS = 400         # operations in an expression that the simplifier is asked to treat
_POLY_DEGREE = 3      # f' = c0 + c1 f + ... + c3 f^3 is tried
_SPOT_RANGE = (-4, 4)


@dataclass(frozen=True)
class StepwiseDerivative:
    """A derivative derived line by line.

    ``steps``: the lines, each ``Step(lhs, rhs, caption)``; ``step_proofs[k]`` proves line
    ``k`` equal to line ``k - 1`` (line 0 to the pending derivative of the definition);
    ``result``: the last line's right-hand side; ``kinks``: the expressions whose zeros are
    points where the function is not differentiable, with the value chosen there.
    """

    function: sp.Basic          # the display name applied to the variable, e.g. mish(z)
    definition: sp.Expr
    variable: sp.Symbol
    steps: tuple[Step, ...]
    step_proofs: tuple[Proof, ...]
    result: sp.Expr
    kinks: tuple[tuple[sp.Expr, str], ...]

    @property
    def lhs(self) -> sp.Derivative:
        return sp.Derivative(self.function, self.variable)


def _first_pending(expr, v):
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Derivative) and node.variables == (v,):
            return node
    return None


def _trivial(expr, v):
    """Evaluate pending derivatives of constants and of the variable itself."""
    return expr.replace(
        lambda e: isinstance(e, sp.Derivative) and (e.expr == v or not e.expr.has(v)),
        lambda e: sp.Integer(1) if e.expr == v else sp.Integer(0))


def _ops(expr) -> int:
    return int(sp.count_ops(expr))


def _value(expr, function, definition):
    """What a line stands for: pending derivatives done, the display name unfolded."""
    # display functions (sigma, softplus) unfolded first, so that pending derivatives of
    # them evaluate too
    return unfold(expr.xreplace({function: definition})).doit()


def _kinks(expr, v):
    """Zeros of the arguments where the expression is not differentiable."""
    found = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Abs, sp.sign)) and node.args[0].has(v):
            found.append((node.args[0], "sign(0) = 0: the derivative is taken as 0 there"))
        elif isinstance(node, (sp.Max, sp.Min)):
            a, b = node.args[:2]
            found.append((a - b, "the cases of max/min tie there, and the first case "
                                 "(as the line that writes them as cases orders them) is taken"))
        elif isinstance(node, sp.Piecewise):
            for _, cond in node.args:
                if isinstance(cond, sp.core.relational.Relational) and cond.has(v):
                    found.append((cond.lhs - cond.rhs,
                                  "at the boundary the case that holds there is taken"))
    points = {}
    for zero, text in found:
        for point in _zeros(zero, v):
            points.setdefault(point, text)
    return tuple(sorted(points.items(), key=lambda item: sp.default_sort_key(item[0])))


def _zeros(expr, v):
    """The real zeros of ``expr`` in ``v`` where SymPy finds them as a finite set;
    otherwise the equation ``expr = 0`` itself, so that no kink goes unreported."""
    if _ops(expr) <= 40:
        try:
            solutions = sp.solveset(expr, v, sp.S.Reals)
        except (NotImplementedError, ValueError, TypeError):
            solutions = None
        if isinstance(solutions, sp.FiniteSet):
            return list(solutions)
    return [sp.Eq(expr, 0)]


# Tried in this order on the difference of two lines; the first that reduces it to zero
# is the proof. Cheap ones first: most lines differ only in how SymPy orders the terms.
_REDUCTIONS = ("expand", "cancel", "trigsimp", "simplify", "piecewise")


def _at_kinks_zero(expr):
    # At a kink the rules take the value of the case that holds there, which for the
    # unit steps SymPy's own differentiation produces is the convention H(0) = 0.
    return expr.replace(sp.Heaviside, lambda x, *_: sp.Heaviside(x, 0))


def _prove_equal(new, old, ranges, kinks=(), v=None) -> Proof:
    """Prove two lines equal: the first reduction of their difference to zero, plus a
    spot check at 30 digits. A difference too large to reduce gets the spot check only
    (``symbolic`` None), which the caller reports. Where none reduces it and the function
    has ``kinks`` (points in ``v``), the lines are proved equal on each open interval
    between them: at a kink there is no derivative, only a value chosen (which SymPy's
    own derivative of max, with its unit steps, chooses differently)."""
    new, old = _at_kinks_zero(new), _at_kinks_zero(old)
    error = spot_check(new, old, ranges)
    difference = unfold(new) - unfold(old)
    if _ops(difference) > MAX_OPS:
        return Proof("numeric evaluation only (too large to reduce)", None, error, SPOT_POINTS)
    for key in _REDUCTIONS:
        description, transform = PROOF_METHODS[key]
        try:
            if transform(difference) == 0:
                return Proof(description, True, error, SPOT_POINTS)
        except (TypeError, ValueError, NotImplementedError):
            continue
    if kinks and v is not None and _zero_between(difference, v, kinks):
        return Proof("equal on every open interval between the kinks (simplify with the "
                     "variable written inside each); at a kink the value is a choice",
                     True, error, SPOT_POINTS)
    return Proof("no reduction to zero found", False, error, SPOT_POINTS)


def interval_points(points):
    """``(cs, inside)``: ``points`` sorted (their symbols, such as delta, read as 7/5 for
    the order), and one point of each open interval between and beyond them, written
    with p, k > 0: c_1 - p, c_n + p and c_i + (c_(i+1) - c_i) k/(k + 1). TypeError
    where the points cannot be ordered."""
    p, k = sp.Dummy("p", positive=True), sp.Dummy("k", positive=True)
    probe = {s_: sp.Rational(7, 5) for c in points for s_ in sp.sympify(c).free_symbols}
    cs = sorted(set(points), key=lambda c: float(sp.sympify(c).xreplace(probe)))
    if not cs:
        return cs, []
    inside = [cs[0] - p, cs[-1] + p] + [a + (b - a) * k / (k + 1) for a, b in zip(cs, cs[1:])]
    return cs, inside


def decide_cases(expr):
    """``expr`` simplified with each comparison written as (lhs - rhs) factored against
    0: SymPy then reads its sign from the assumptions (p, k, delta > 0), and each case
    is chosen."""
    expr = expr.replace(lambda e: isinstance(e, sp.core.relational.Relational),
                        lambda e: e.func(sp.factor(sp.simplify(e.lhs - e.rhs)), 0))
    return sp.simplify(expr)


def _zero_between(difference, v, points) -> bool:
    """``difference`` simplifies to 0 with ``v`` written as a point of each open interval
    between and beyond ``points`` (:func:`interval_points`, :func:`decide_cases`)."""
    try:
        _, values = interval_points(points)
        return all(decide_cases(sp.piecewise_fold(difference.xreplace({v: value})
                                                  .rewrite(sp.Piecewise))) == 0
                   for value in values)
    except (TypeError, ValueError, NotImplementedError):
        return False


def _polynomial_in_function(derivative, definition, v):
    """Rational c_i with derivative == sum c_i definition**i, checked symbolically; or None.

    The coefficients are fitted at points evaluated at 40 digits and rounded to small
    fractions; the identity is then proved, so a wrong guess is only a missed rewrite.
    """
    if derivative.has(sp.Piecewise, sp.Abs, sp.sign, sp.Max, sp.Min) or not derivative.has(v):
        return None
    f = sp.lambdify(v, unfold(definition), "mpmath")
    df = sp.lambdify(v, unfold(derivative), "mpmath")
    n = _POLY_DEGREE + 1
    points = [mpmath.mpf(k) / 3 - mpmath.mpf("1.1") for k in range(n + 3)]
    try:
        with mpmath.workdps(40):
            rows = [[f(p) ** i for i in range(n)] for p in points]
            rhs = [df(p) for p in points]
            a = mpmath.matrix(rows)
            coeffs = mpmath.lu_solve(a, mpmath.matrix(rhs))  # least squares: more rows
            residual = max(abs(sum(r[i] * coeffs[i] for i in range(n)) - b)
                           for r, b in zip(rows, rhs))
    except (ZeroDivisionError, TypeError, ValueError, ArithmeticError):
        return None
    if not residual < mpmath.mpf(10) ** -25:
        return None
    fractions = []
    for c in coeffs:
        if not mpmath.isfinite(c) or abs(c.imag if hasattr(c, "imag") else 0) > 1e-25:
            return None
        frac = Fraction(str(mpmath.nstr(mpmath.re(c), 30))).limit_denominator(1000)
        if abs(float(frac) - float(mpmath.re(c))) > 1e-20:
            return None
        fractions.append(sp.Rational(frac.numerator, frac.denominator))
    if all(c == 0 for c in fractions[1:]):
        return None  # a constant derivative needs no rewriting
    return fractions


def _positive_first(expr):
    """-(a - 1) b as (1 - a) b: a negative coefficient absorbed by a factor that is a sum."""
    if not isinstance(expr, sp.Mul):
        return expr
    coefficient, rest = expr.as_coeff_Mul()
    if not coefficient.is_negative:
        return expr
    factors = list(sp.Mul.make_args(rest))
    for k, factor in enumerate(factors):
        if isinstance(factor, sp.Add):
            factors[k] = sp.expand(-factor)
            return sp.Mul(-coefficient, *factors)
    return expr


def _readable(expr):
    """The shorter of the expanded and the factored form, leading signs tidied."""
    forms = [_positive_first(sp.factor(expr)), sp.expand(expr)]
    return min(forms, key=_ops)


def _functions(expr) -> set:
    return {type(node) for node in sp.preorder_traversal(expr) if isinstance(node, sp.Function)}


def _tidy(raw):
    """A shorter form of ``raw`` that uses no function ``raw`` does not use; or None."""
    if _ops(raw) > MAX_OPS or raw.has(sp.Piecewise, sp.Derivative):
        return None
    allowed = _functions(raw)
    candidates = []
    makers = [lambda e: sp.factor_terms(sp.cancel(sp.together(e))), sp.factor]
    if _ops(raw) <= MAX_SIMPLIFY_OPS:
        makers.append(lambda e: sp.factor_terms(sp.simplify(e)))
    for make in makers:
        try:
            candidate = make(raw)
        except (TypeError, ValueError, NotImplementedError, sp.PolynomialError):
            continue
        # simplify likes cosh(z/2)**(-2) for a sigmoid's derivative: a textbook does not
        if _functions(candidate) <= allowed:
            candidates.append(candidate)
    best = min(candidates, key=_ops, default=None)
    if best is None or _ops(best) >= _ops(raw):
        return None
    return best


def _with_softplus(expr):
    """log(1 + e^{u}) written as softplus(u)."""
    def is_softplus(e):
        return (isinstance(e, sp.log) and isinstance(e.args[0], sp.Add)
                and len(e.args[0].args) == 2 and sp.S.One in e.args[0].args
                and any(isinstance(t, sp.exp) for t in e.args[0].args))

    def name(e):
        (power,) = [t for t in e.args[0].args if isinstance(t, sp.exp)]
        return softplus(power.args[0])

    return expr.replace(is_softplus, name)


def _with_tanh(expr):
    """sinh(u)/cosh(u) written as tanh(u), as a textbook writes it (and as NumPy evaluates
    it without overflow: sinh and cosh of 1000 are inf, their ratio nan)."""
    out = expr
    for u in sorted({n.args[0] for n in sp.preorder_traversal(expr) if isinstance(n, sp.sinh)},
                    key=sp.default_sort_key):
        out = out.subs(sp.sinh(u) / sp.cosh(u), sp.tanh(u))
    return out


def _through_sigmoid(expr, v):
    """``expr`` with e^{k u} written through s = sigma(u) where that removes every e^{u}.

    e^{u} = s / (1 - s), so a rational function of e^{u} is a rational function of s;
    kept only when it is shorter, as for the derivative of softplus (= sigma(z)).
    """
    if expr.has(sp.Piecewise) or _ops(expr) > MAX_OPS:
        return None
    arguments = {node.args[0] for node in sp.preorder_traversal(expr)
                 if isinstance(node, sp.exp) and node.args[0].has(v)}
    for argument in sorted(arguments, key=sp.default_sort_key):
        u = -argument if argument.could_extract_minus_sign() else argument
        s = sp.Dummy("s", positive=True)
        ok = True

        def to_s(arg):
            nonlocal ok
            k = sp.simplify(arg / u)
            if not (k.is_integer and abs(k) <= 8):
                ok = False
                return sp.exp(arg)
            return (s / (1 - s)) ** k

        rewritten = expr.replace(sp.exp, to_s)
        if not ok or rewritten.has(v) and rewritten.has(sp.exp):
            continue
        candidate = _readable(sp.cancel(rewritten)).xreplace({s: sigma(u)})
        if _ops(candidate) < _ops(expr):
            return candidate
    return None


def differentiate(definition: sp.Expr, variable: sp.Symbol, function: sp.Basic,
                  ranges=None) -> StepwiseDerivative:
    """Differentiate ``definition`` with respect to ``variable``, line by line.

    ``function`` is how the result refers to the function itself, e.g. ``mish(z)`` (an
    applied undefined SymPy function). ``ranges`` maps symbols to the intervals of the
    spot checks (default (-4, 4)).
    """
    v = variable
    ranges = dict(ranges or {})
    ranges.setdefault(v, _SPOT_RANGE)
    state = pending(definition, v)
    previous_value = sp.diff(unfold(definition), v)
    steps, proofs = [], []
    kinks = _kinks(definition, v)
    points = [c for c, _ in kinks if not isinstance(c, sp.Eq)]

    def add(rhs, caption):
        nonlocal previous_value
        if len(steps) >= MAX_STEPS:
            raise ValueError(f"the derivative needs more than {MAX_STEPS} steps: the formula "
                             f"is too long to derive line by line")
        value = _value(rhs, function, definition)
        proofs.append(_prove_equal(value, previous_value, ranges, points, v))
        previous_value = value
        steps.append(Step(sp.Derivative(function, v) if not steps else None, rhs, caption))

    # The rules first (cheap), so that a formula needing too many lines is refused
    # before any line is proved; then each line's proof.
    lines = []
    while (node := _first_pending(state, v)) is not None:
        if len(lines) >= MAX_STEPS:
            raise ValueError(f"the derivative needs more than {MAX_STEPS} steps: the formula "
                             f"is too long to derive line by line")
        replacement, caption = apply_rule(node.expr, v)
        state = state.xreplace({node: _trivial(replacement, v)})
        lines.append((state, caption))
    for rhs, caption in lines:
        add(rhs, caption)
    raw = state

    tidy = _tidy(raw)
    if tidy is not None:
        add(tidy, "algebra: collect terms and cancel common factors")
        raw = tidy

    named = _with_softplus(raw)
    if named != raw:
        add(named, r"written with $\operatorname{softplus}(u) = \log(1 + e^{u})$")
        raw = named

    with_tanh = _with_tanh(raw)
    if with_tanh != raw:
        add(with_tanh, r"written with $\tanh u = \frac{\sinh u}{\cosh u}$")
        raw = with_tanh

    with_sigma = _through_sigmoid(raw, v)
    if with_sigma is not None:
        add(with_sigma, r"written with the sigmoid, $\sigma(u) = \frac{1}{1 + e^{-u}}$")
        raw = with_sigma

    coeffs = _polynomial_in_function(raw, definition, v)
    through = None if coeffs is None else _readable(
        sum(c * function**i for i, c in enumerate(coeffs)))
    if through is not None and sp.expand(through - raw) != 0:
        add(through, f"written through the function itself, ${sp.latex(function)}$, whose "
                     f"value the forward pass has already computed")

    if not steps:  # the definition is free of the variable
        add(sp.Integer(0), "the derivative of a constant is 0")
    return StepwiseDerivative(function=function, definition=definition, variable=v,
                              steps=tuple(steps), step_proofs=tuple(proofs),
                              result=steps[-1].rhs, kinks=kinks)
