"""Proofs that two sides are equal: their difference reduced to exactly 0.

:func:`prove` tries, for each difference, named SymPy methods in order of cost
(``expand``, ``cancel``, ``simplify``, ``simplify`` after rewriting in ``exp``, and
``exp(difference) == 1``, which proves a *real* difference 0 since exp is one-to-one
on the reals). A difference with kinks (``Heaviside``, ``Abs``, ``Max``, ``Piecewise``...)
is rewritten as one ``Piecewise`` (``piecewise_fold``) and proved branch by branch: a
branch is 0, or holds on a single point (a kink, where the value is a convention), or,
on a set of one sign (``x > 0``), is 0 for a variable of that sign; failing that, with
up to four variables, it is proved in each case of strict signs of the variables. Where the sides are
real only for some signs of the variables (``log(a) + log(b)``), the proof may assume
the signs every valid sample point has, and says so.

Nothing here decides "holds" from numbers: every method named is symbolic.
"""

from __future__ import annotations

import sympy as sp

__all__ = ["prove", "signs", "METHODS"]


_NONSMOOTH = (sp.Piecewise, sp.Heaviside, sp.Max, sp.Min, sp.Abs, sp.sign, sp.DiracDelta)


def signs(free, points) -> dict:
    """Variable -> "> 0", "< 0", ">= 0" or "<= 0" where every one of ``points`` (dicts
    variable -> number) agrees; variables of both signs are left out."""
    out = {}
    for s in free:
        values = [p[s] for p in points if s in p]
        if values and all(v > 0 for v in values):
            out[s] = "> 0"
        elif values and all(v < 0 for v in values):
            out[s] = "< 0"
        elif values and all(v >= 0 for v in values):
            out[s] = ">= 0"
        elif values and all(v <= 0 for v in values):
            out[s] = "<= 0"
    return out


def prove(diffs, free, valid_points, step=None):
    """``(method, assumptions)`` where every difference reduces to exactly 0, else None.

    ``diffs``: the differences of the two sides (one per matrix entry). ``free``: their
    variables. ``valid_points``: sample points where both sides are real, from which
    the signs a variable always has there are read (``signs``). ``step(name)``: called
    before each expensive SymPy step. ``assumptions`` is "" (every real value where
    both sides are defined) or the signs the proof needed, e.g. "a > 0, b > 0".
    """
    step = step or (lambda name: None)
    if all(d == 0 for d in diffs):
        return "automatic simplification", ""
    method = _zero(diffs, step)
    if method:
        return method, ""
    # Where the sides are real only for some signs of the variables (log(a*b) needs
    # a*b > 0; with log(a) + log(b), a > 0 and b > 0), prove it under those signs and
    # say so: the identity is claimed only there.
    found = signs(free, valid_points)
    if not found:
        return None
    kinds = {"> 0": "positive", "< 0": "negative", ">= 0": "nonnegative",
             "<= 0": "nonpositive"}
    swap = {s: sp.Symbol(s.name, **{kinds[rel]: True}) for s, rel in found.items()}
    method = _zero([d.xreplace(swap) for d in diffs], step)
    if not method:
        return None
    return method, ", ".join(f"{s} {rel}" for s, rel in sorted(found.items(), key=str))


def _zero(diffs, step):
    """The name of the method that reduces every difference to 0, else None."""
    used = []
    for d in diffs:
        if d == 0:
            continue
        if d.has(*_NONSMOOTH):
            if _piecewise_zero(d, step):
                used.append("piecewise simplification, branch by branch")
            elif _orthants_zero(d, step):
                used.append("cases on the signs of the variables")
            else:
                return None
            continue
        method = _smooth_zero(d, step)
        if method is None:
            return None
        used.append(method)
    return " and ".join(dict.fromkeys(used)) or "automatic simplification"


MAX_ORTHANT_VARIABLES = 4      # 2**4 sign cases at most


def _orthants_zero(d, step) -> bool:
    """Is ``d`` 0 for every choice of strict signs of its variables (abs(x y) is
    abs(x) abs(y) in each quadrant)? The cases leave out only where a variable is 0,
    a set of measure zero: a kink if ``d`` jumps there, else 0 by continuity."""
    free = sorted(d.free_symbols, key=str)
    if not 1 < len(free) <= MAX_ORTHANT_VARIABLES:
        return False
    for pattern in range(2 ** len(free)):
        signed = {s: sp.Symbol(s.name, **{"positive" if pattern >> i & 1 else "negative": True})
                  for i, s in enumerate(free)}
        case = d.xreplace(signed)
        step("simplify")
        if case == 0:
            continue
        if case.has(*_NONSMOOTH):
            if not _piecewise_zero(case, step):
                return False
        elif not _radicands_zero(case, step) and _smooth_zero(case, step) is None:
            return False
    return True


def _radicands_zero(d, step) -> bool:
    """Is ``d`` 0 by ``cancel`` once each radicand is cancelled first? With a sign
    given to each variable, ``sqrt(g**2 (1 - b)/(1 - b))`` becomes ``g`` (or ``-g``):
    what ``simplify`` finds in a tenth of its time. A cheap first try in a sign case;
    :func:`_smooth_zero` follows where it fails."""
    step("cancel")
    roots = d.replace(lambda e: e.is_Pow and not e.exp.is_Integer,
                      lambda e: sp.Pow(sp.cancel(e.base), e.exp))
    return _cancel(roots) == 0


def _smooth_zero(d, step):
    """The first of METHODS that reduces ``d`` to 0, else None."""
    for name, fn in METHODS:
        if name == "exp of the difference" and not d.has(sp.log):
            continue
        step(name.split()[-1] if name != "exp of the difference" else "simplify")
        if fn(d) == 0:
            return name
    return None


def _cancel(d):
    return sp.cancel(sp.together(d))


def _via_exp(d):
    # d is real where both sides are: exp(d) == 1 then means d == 0 (exp is one-to-one
    # on the reals). Turns log(exp(a) + exp(b)) - a - log(1 + exp(b - a)) into 0.
    return 0 if sp.simplify(sp.exp(d)) == 1 else d


METHODS = (("expand", sp.expand), ("cancel", _cancel), ("simplify", sp.simplify),
            ("rewriting in exp and simplify", lambda d: sp.simplify(d.rewrite(sp.exp))),
            ("exp of the difference", _via_exp))


def _piecewise_zero(d, step) -> bool:
    """Is ``d`` 0 on every branch that is more than a single point?"""
    step("piecewise_fold")
    folded = sp.piecewise_fold(d.rewrite(sp.Piecewise))
    if not isinstance(folded, sp.Piecewise):
        step("simplify")
        return sp.simplify(folded) == 0
    free = folded.free_symbols
    sets: dict = {}                  # relational -> its set of reals (univariate only)
    before = []
    for expr, cond in folded.args:
        step("simplify")
        # A branch that is a single point (or none) needs no proof: asked first, as
        # most of a fold's branches are empty (relu(x) + relu(x - 1): x > 1 and x < 0).
        if not (expr == 0 or _single_points(cond, before, free, sets, step)
                or _branch_zero(expr, cond, before, free, sets, step)):
            return False
        before.append(cond)
    return True


_SIGNS = ((sp.Interval.open(0, sp.oo), "positive"), (sp.Interval(0, sp.oo), "nonnegative"),
          (sp.Interval.open(-sp.oo, 0), "negative"), (sp.Interval(-sp.oo, 0), "nonpositive"))


def _one_variable_set(cond, before, free, sets, step):
    """``(x, set)``: where a branch of a formula in the one variable x applies
    (:func:`_branch_set`); None for several variables or a set not computed."""
    if len(free) != 1:
        return None
    (x,) = free
    where = _branch_set(cond, before, x, sets, step)
    return None if where is None else (x, where)


def _branch_zero(expr, cond, before, free, sets, step) -> bool:
    """Is a branch's expression 0 where the branch applies? Where that is a set of one
    sign (x > 0 for abs(x) = x), the variable is given that sign for the proof."""
    if _smooth_zero(expr, step):
        return True
    found = _one_variable_set(cond, before, free, sets, step)
    if found is None:
        return False
    x, where = found
    for interval, sign in _SIGNS:
        if where.is_subset(interval):
            signed = sp.Symbol(x.name, **{sign: True})
            return _smooth_zero(expr.xreplace({x: signed}), step) is not None
    return False


def _single_points(cond, before, free, sets, step) -> bool:
    """Is the set where ``cond`` holds and no earlier condition does finite (a kink)?"""
    if isinstance(cond, sp.Eq) or (isinstance(cond, sp.And) and
                                   any(isinstance(a, sp.Eq) for a in cond.args)):
        return True
    found = _one_variable_set(cond, before, free, sets, step)
    if found is None:
        return False
    _, where = found
    return where is sp.EmptySet or where.is_FiniteSet or where.measure == 0


def _branch_set(cond, before, x, sets, step):
    """The reals where ``cond`` holds and no earlier condition does; None if unsolved."""
    key = (cond, len(before))        # before only grows: its length names it
    if key not in sets:
        step("solve")
        try:
            where = _as_set(cond, x, sets)
            for earlier in before:
                if where is sp.EmptySet:
                    break
                where = sp.Complement(where, _as_set(earlier, x, sets))
        except (NotImplementedError, TypeError, ValueError):
            where = None
        sets[key] = where
    return sets[key]


def _as_set(cond, x, sets):
    """The reals where a condition on ``x`` holds: each relational solved once."""
    if cond is sp.true:
        return sp.S.Reals
    if cond is sp.false:
        return sp.EmptySet
    if cond not in sets:
        if isinstance(cond, sp.And):
            sets[cond] = sp.Intersection(*[_as_set(a, x, sets) for a in cond.args])
        elif isinstance(cond, sp.Or):
            sets[cond] = sp.Union(*[_as_set(a, x, sets) for a in cond.args])
        elif isinstance(cond, sp.Not):
            sets[cond] = sp.Complement(sp.S.Reals, _as_set(cond.args[0], x, sets))
        else:
            sets[cond] = cond.as_set()
    return sets[cond]
