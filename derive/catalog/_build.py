"""From a hidden activation's entry to its derivations and the formulas codegen prints.

For an entry without a hand-written derivation, :func:`hidden_derivations` builds:

* ``NAME_derivative``: g' derived line by line by :func:`derive.stepwise.differentiate`
  from the entry's definition, each line proved; where the derivative has cases, a last
  line writes it branch-free for NumPy (:func:`derive.catalog._numeric.branch_free`),
  proved equal too. Its result (the last line) is what codegen prints.
* ``NAME_for_numpy``: where the definition itself is not safe to evaluate as written
  (overflow, cases), the form codegen prints, proved equal to the definition.

:func:`hidden_forms` gives codegen the three formulas of an entry (g, g' from Z, and g'
from the cached A where g' is a polynomial in g), each with the derivation it comes from.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ..latex import latex_text, to_latex
from ..record import Derivation, Equation, Proof, Step
from ..stepwise import differentiate
from ..stepwise.engine import _prove_equal
from ..symbols import has_kinks, sigma, unfold, z
from ._numeric import branch_free, with_logaddexp

__all__ = ["display_function", "hidden_derivations", "hidden_forms", "forward_numeric",
           "loss_derivations", "loss_forms", "prove_by_regions"]

def _source(entry) -> str:
    # plain text without LaTeX specials: the report escapes the source line itself
    return "its entry in derive/catalog/hidden; derived by derive.stepwise"


def display_function(entry):
    return entry.function or sp.Function(entry.name, real=True)


def _ranges(entry):
    """Spot-check intervals: the plotted range for z, around the default for each
    hyperparameter (inside its valid interval for the catalog's defaults)."""
    ranges = {z: entry.plot_range}
    for h in entry.hyper:
        ranges[h.symbol] = (h.default * 0.5, h.default * 1.5) if h.default > 0 else (h.low, h.low + 1)
    return ranges


def forward_numeric(entry):
    """g in the form codegen prints (display functions other than sigma unfolded, no cases)."""
    form = entry.numeric if entry.numeric is not None else entry.definition
    return branch_free(with_logaddexp(form), z)


def prove_by_sides(entry, form) -> bool:
    """``form`` equals the definition: simplified to zero on each side of every kink and
    at the kink, with each hyperparameter written as a point of its open interval
    (low + (high - low) / (1 + k), k > 0), plus the spot check."""
    from ..stepwise.engine import _kinks
    from ..record import spot_check, SPOT_TOLERANCE
    if spot_check(unfold(form), unfold(entry.definition), _ranges(entry)) > SPOT_TOLERANCE:
        return False
    k, p = sp.Dummy("k", positive=True), sp.Dummy("p", positive=True)
    inside = {}
    for h in entry.hyper:
        high = h.high if h.high != float("inf") else None
        inside[h.symbol] = h.low + (high - h.low) / (1 + k) if high is not None else h.low + k
    difference = (unfold(form) - unfold(entry.definition)).xreplace(inside)
    points = [c for c, _ in _kinks(unfold(entry.definition), z)] or [sp.Integer(0)]
    for c in points:
        for value in (c + p, c - p, c):
            if sp.simplify(difference.xreplace({z: value})) != 0:
                return False
    return True


def prove_by_regions(new, old, v, points, ranges) -> Proof:
    """``new`` equals ``old`` as functions of ``v`` with cases: between and beyond the
    points where the cases change (``points``, in any symbols with a known order), each
    side is simplified with ``v`` written as a point of that open interval (c - p,
    c_i + (c_(i+1) - c_i) k/(k + 1), c + p with p, k > 0), and at each point itself;
    plus the 30-digit spot check."""
    from ..record import SPOT_POINTS, spot_check
    from ..stepwise.engine import decide_cases, interval_points
    error = spot_check(new, old, ranges)
    cs, inside = interval_points(points)
    if not cs:
        return Proof("no cases", None, error, SPOT_POINTS)
    values = [*inside, *cs]   # inside each interval, and at each point
    difference = unfold(new) - unfold(old)
    ok = all(decide_cases(difference.xreplace({v: value})) == 0 for value in values)
    return Proof("equal on every interval between the points where the cases change, and "
                 "at those points: simplify with the variable written inside each interval",
                 ok, error, SPOT_POINTS)


def _prove_by_cases(new, old, ranges, v=z) -> Proof:
    """``new`` equals ``old``: the first of derive.stepwise's reductions, else
    :func:`prove_by_regions` over the kinks of ``old``. Where either side has cases,
    the regions come first: SymPy's simplify of a difference of cases can take seconds
    and still not decide it (Huber's: 4 s, then the regions in 0.1 s)."""
    from ..stepwise.engine import _kinks
    points = [c for c, _ in _kinks(unfold(old), v) if not isinstance(c, sp.Eq)]
    with_cases = any(has_kinks(e) for e in (new, old))
    if with_cases and points:
        proof = prove_by_regions(new, old, v, points, ranges)
        if proof.symbolic:
            return proof
    proof = _prove_equal(new, old, ranges)
    if proof.symbolic or not points:
        return proof
    return prove_by_regions(new, old, v, points, ranges)


def _combined_proof(proofs, description) -> Proof:
    symbolic = None if any(p.symbolic is None for p in proofs) else all(p.symbolic for p in proofs)
    error = max((p.spot_check_max_error for p in proofs), default=0.0)
    points = min((p.spot_check_points for p in proofs), default=0)
    return Proof(description, symbolic, error, points)


def _numeric_form_proof(entry, numeric, ranges) -> Proof:
    """``numeric`` equals the definition: derive.stepwise's reductions or interval by
    interval (:func:`_prove_by_cases`), else simplified on each side of every kink with
    each hyperparameter written inside its interval (:func:`prove_by_sides`: leaky
    ReLU's max(alpha z, z) needs 0 < alpha < 1)."""
    from ..record import SPOT_POINTS, spot_check
    proof = _prove_by_cases(numeric, entry.definition, ranges)
    if proof.symbolic:
        return proof
    if prove_by_sides(entry, numeric):
        return Proof("simplify(form - definition) = 0 on each side of every kink and at it, "
                     "each hyperparameter written as a point of its interval", True,
                     spot_check(unfold(numeric), unfold(entry.definition), ranges), SPOT_POINTS)
    return proof


INFINITY = r"\infty"


def _for_numpy_caption(entry, numeric) -> str:
    """What the NumPy form changed: the entry's own form, or the log-sum-exp rewrite
    and/or the cases evaluated each on its own side (only what applies)."""
    if entry.numeric is not None and numeric == entry.numeric:
        return (r"the form the catalog entry gives for NumPy, equal on each side of the "
                r"point where the cases change")
    from ..symbols import logaddexp
    said = []
    if numeric.has(logaddexp):
        said.append(r"$\log(1 + e^{u}) = \operatorname{LSE}(0, u)$")
    if has_kinks(entry.definition):
        said.append(r"each case evaluated only on its own side of the point where the "
                    r"cases change")
    return ", and ".join(said) or r"the form that NumPy evaluates without overflow"


def _for_numpy(entry, g, numeric, ranges) -> Derivation:
    """``NAME_for_numpy``: the form of g codegen prints, proved equal to the definition."""
    return Derivation(
        name=f"{entry.name}_for_numpy",
        title=f"A form of ${to_latex(g)}$ that NumPy evaluates safely",
        source=_source(entry),
        summary=("Evaluated as written, the definition can overflow or needs cases; "
                 "the generated code evaluates this equal form instead."),
        definition=(Equation(g, entry.definition),),
        steps=(Step(g, numeric, _for_numpy_caption(entry, numeric)),),
        result=Equation(g, numeric), textbook=Equation(g, entry.definition),
        proof=_numeric_form_proof(entry, numeric, ranges),
        assumptions=tuple(f"${to_latex(h.symbol)}$ in its valid interval "
                          f"${h.interval.replace('inf', INFINITY)}$." for h in entry.hyper))


@lru_cache(maxsize=None)
def hidden_derivations(entry) -> tuple[Derivation, ...]:
    """The catalog-built derivations of ``entry``: ``NAME_for_numpy`` where the form
    codegen prints is not the definition (and no registry derivation proves it, as
    ``sigmoid_stable`` does the sigmoid's), and ``NAME_derivative`` where no hand-written
    derivation of g' exists."""
    g = display_function(entry)(z)
    ranges = _ranges(entry)
    out = []
    numeric = forward_numeric(entry)
    if numeric != entry.definition and entry.numeric_derivation is None:
        out.append(_for_numpy(entry, g, numeric, ranges))
    if entry.derivation is not None:
        return tuple(out)
    sd = differentiate(entry.definition, z, g, ranges=ranges)
    steps, proofs = list(sd.steps), list(sd.step_proofs)
    lowered = branch_free(sd.result, z)
    value = {g: entry.definition}
    if lowered != sd.result:
        proofs.append(_prove_by_cases(lowered.xreplace(value), sd.result.xreplace(value), ranges))
        steps.append(Step(None, lowered,
                          r"the cases written without branches: $\mathbf{1}[u > c]$ selects "
                          r"the case, and each case is evaluated only on its own side of $c$"))
    assumptions = tuple(
        f"At ${to_latex(point)}$, where ${to_latex(g)}$ has no derivative, {text}."
        for point, text in sd.kinks)
    out.append(_stepwise_derivation(entry, f"Derivative of ${to_latex(g)}$", _source(entry),
                                    g, z, steps, proofs, sd, assumptions))
    return tuple(out)


def _stepwise_derivation(entry, title, source, function, v, steps, proofs, sd,
                         assumptions) -> Derivation:
    """The record of ``d function / d v`` derived line by line (``sd``, from
    derive.stepwise) and ending in ``steps``: one shape for activations and losses."""
    lhs = sp.Derivative(function, v)
    return Derivation(
        name=f"{entry.name}_derivative",
        title=title,
        source=source,
        summary=entry.prose or entry.summary,
        definition=(Equation(function, entry.definition),),
        steps=tuple(steps),
        result=Equation(lhs, steps[-1].rhs),
        textbook=Equation(lhs, sd.result),
        proof=_combined_proof(proofs, "each line proved equal to the line before it "
                                      "(derive.stepwise), so the result equals the derivative"),
        assumptions=assumptions,
        extra={"step_proofs": tuple(proofs), "kinks": sd.kinks})


def _printable(d: Derivation, expr):
    """``expr`` (a part of ``d``) as codegen may print it: ValueError where it still has
    cases, which the derivation must write without branches in a proved step."""
    if expr.has(sp.Piecewise):
        raise ValueError(f"codegen refuses {d.name!r}: its result has cases; derive a "
                         f"branch-free last step (derive.catalog._numeric.branch_free)")
    return expr


def hidden_forms(entry, registry, Z, A, stable_sigmoid):
    """``{"g": (expr, derivation), "g_prime": (...), "g_prime_from_a": (...) or None}``
    in the array symbols ``Z``, ``A`` and the hyperparameters' scalar arguments.

    Each is a derivation's result, with only these substitutions: z -> Z, each
    hyperparameter -> its scalar argument, g (the display function) -> the printed g,
    sigma(u) -> the result of ``sigmoid_stable`` (``stable_sigmoid``), softplus(u) ->
    LSE(0, u) (its definition), and for g' from A, g -> A. g is the result of the
    entry's ``numeric_derivation`` or of ``NAME_for_numpy`` where either exists, else
    the entry's definition; g' the result of its derivative's derivation."""
    g = display_function(entry)(z)
    d_prime = registry[entry.derivation or f"{entry.name}_derivative"]
    if entry.numeric_derivation is not None:
        fwd_name = entry.numeric_derivation
    elif f"{entry.name}_for_numpy" in registry:
        fwd_name = f"{entry.name}_for_numpy"
    else:
        fwd_name = None
    for d in (d_prime, registry[fwd_name] if fwd_name else None):
        if d is not None and not d.proof.holds:
            raise ValueError(f"codegen refuses {d.name!r}: its proof does not hold")
    if fwd_name is None:
        fwd_name, forward = d_prime.name, entry.definition   # the definition, as written
    else:
        forward = _printable(registry[fwd_name], registry[fwd_name].result.rhs)
    forward = with_logaddexp(forward)
    prime = with_logaddexp(_printable(d_prime, d_prime.result.rhs))
    to_args = {z: Z, **{h.symbol: h.arg for h in entry.hyper}}

    def lower(expr):
        expr = expr.xreplace({g: forward}) if g != forward else expr
        expr = expr.replace(sigma, lambda u: stable_sigmoid.xreplace({z: u}))
        return expr.xreplace(to_args)

    from_a = None
    through_a = prime.xreplace({g: sp.Symbol("_A")})
    if not through_a.has(z):
        from_a = (lower(through_a).xreplace({sp.Symbol("_A"): A}), d_prime.name)
    return {"g": (lower(forward), fwd_name), "g_prime": (lower(prime), d_prime.name),
            "g_prime_from_a": from_a}


def _loss_ranges(entry):
    from ..symbols import a, y
    ranges = {a: (-3.0, 3.0), y: (-2.0, 2.0)}
    for h in entry.hyper:
        ranges[h.symbol] = (h.default * 0.5, h.default * 1.5) if h.default > 0 else (h.low, h.low + 1)
    return ranges


def _loss_source(entry) -> str:
    return "its entry in derive/catalog/losses; derived by derive.stepwise"


@lru_cache(maxsize=None)
def loss_derivations(entry) -> tuple[Derivation, ...]:
    """The catalog-built derivations of a loss (none where a hand-written one exists):
    ``NAME_for_numpy`` (its cost's form without cases, proved equal) and
    ``NAME_derivative`` (dL/da line by line, then written without cases for NumPy)."""
    from ..symbols import a
    if entry.derivation is not None:
        return ()
    if entry.output != "linear":
        raise ValueError(f"loss {entry.name!r} on the {entry.output!r} output is refused: the "
                         f"catalog derives dZ[L] = dL/da for a linear output only (a = z); on "
                         f"{entry.output!r} dZ[L] is dL/da times the activation's derivative "
                         f"(its Jacobian for softmax), which the catalog does not derive yet. "
                         f"Put the loss on output='linear', or use that output's own loss")
    L = sp.Function(entry.name, real=True)(a)
    ranges = _loss_ranges(entry)
    out = []
    if entry.numeric is not None:
        proof = _prove_by_cases(entry.numeric, entry.definition, ranges, v=a)
        out.append(Derivation(
            name=f"{entry.name}_for_numpy",
            title=f"The {latex_text(entry.name)} loss without cases",
            source=_loss_source(entry),
            summary=("The generated cost evaluates this form, equal to the definition on "
                     "every interval between the points where its cases change."),
            definition=(Equation(L, entry.definition),),
            steps=(Step(L, entry.numeric, r"the cases selected by clipping"),),
            result=Equation(L, entry.numeric), textbook=Equation(L, entry.definition),
            proof=proof))
    sd = differentiate(entry.definition, a, L, ranges=ranges)
    steps, proofs = list(sd.steps), list(sd.step_proofs)
    lowered = entry.numeric_dz if entry.numeric_dz is not None else branch_free(sd.result, a)
    if lowered != sd.result:
        value = {L: entry.definition}
        proofs.append(_prove_by_cases(lowered.xreplace(value), sd.result.xreplace(value),
                                      ranges, v=a))
        steps.append(Step(None, lowered, r"the cases written without branches: the "
                                         r"difference clipped to $[-\delta, \delta]$"
                                         if entry.numeric_dz is not None else
                                         r"the cases written without branches"))
    assumptions = tuple(f"At ${to_latex(point)}$, {text}." for point, text in sd.kinks)
    out.append(_stepwise_derivation(entry, f"Derivative of the {latex_text(entry.name)} loss",
                                    _loss_source(entry), L, a, steps, proofs, sd, assumptions))
    return tuple(out)


def loss_forms(entry, registry, A, Y):
    """``{"cost": (per-element L, derivation), "dz": (dZ, derivation)}`` of a catalog-built
    loss, in the arrays ``A``, ``Y`` and the hyperparameters' scalar arguments."""
    from ..symbols import a, y
    d = registry[f"{entry.name}_derivative"]
    if not d.proof.holds:
        raise ValueError(f"codegen refuses {d.name!r}: its proof does not hold")
    cost_name = f"{entry.name}_for_numpy" if f"{entry.name}_for_numpy" in registry else d.name
    if not registry[cost_name].proof.holds:
        raise ValueError(f"codegen refuses {cost_name!r}: its proof does not hold")
    to_args = {a: A, y: Y, **{h.symbol: h.arg for h in entry.hyper}}
    cost = (registry[cost_name].result.rhs if cost_name != d.name
            else _printable(d, entry.definition))
    return {"cost": (_printable(registry[cost_name], cost).xreplace(to_args), cost_name),
            "dz": (_printable(d, d.result.rhs).xreplace(to_args), d.name)}
