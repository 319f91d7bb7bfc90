"""A user's own activation or loss: from formula text to a catalog entry.

The text goes through the claim parser (:func:`derive.claims.parse.parse_expression`),
which walks Python's syntax tree against a whitelist and never runs the text: no
``eval``, ``sympify`` or ``parse_expr`` sees it. The functions the course names
(``sigmoid``, ``softplus``, ``relu``) are kept as their display functions, so the
derivation writes sigma'(z) = sigma(z)(1 - sigma(z)) and not its expansion.

The entry made here is the same kind of object as a file in ``derive/catalog``
(:class:`~derive.catalog.Hidden`, :class:`~derive.catalog.Loss`): everything that reads
the catalog (derivations, codegen, the JAX reference from the definition, the report)
takes it as it takes a catalog file's entry.

:func:`custom_activation` / :func:`custom_loss` go on to the runtime object: the
derivations (each line proved), the standalone NumPy module that the catalog's code
generation writes for the entry (:mod:`derive.codegen_entry`), compiled into a fresh
namespace (text our printer wrote from the parsed tree, never the user's text), and its
functions with the conventions of ``numeric._generated``. What is checked before a
network ever runs, and what happens:

* refused (:class:`FormulaError`, one line ending with what is accepted): text outside
  the formula language; a point where the formula is undefined or not continuous in the
  reals (log of a number that can be <= 0, a non-integer power of a number that can be
  negative, a division by zero: SymPy's ``continuous_domain``); a function with no rule
  of differentiation; a line or a proof that does not hold; a derivative that is not
  finite at a kink (sqrt(abs(z)) at 0); a generated form that overflows at |z| up to
  1000 in float32 or float64 where the exact value is finite, and that derive's stable
  forms (:func:`derive.stepwise.stable.stable_form`) do not mend; a loss whose kink is
  not at a = y + c; more than ``BUDGET_SECONDS`` of work (the work runs in a child
  process with a time and memory limit, :func:`derive.claims.budget.run_bounded`).
* warned (:class:`FormulaWarning`): a formula whose exact value exceeds floating point
  at the probe points (exp(z) at z = 1000): no form of it is finite there; a line too
  large for SymPy to reduce, checked by the 30-digit spot check only.
* stated: the kinks (``.kinks``; for a loss, the values of a - y) and, in the
  derivation's assumptions, the value the generated derivative takes at each.
"""

from __future__ import annotations

import functools
import keyword
import re

import sympy as sp

from .catalog import Hidden, Loss, aliases, hidden_entries, loss_entries
from .claims.parse import FUNCTIONS, ClaimBuildError, ClaimSyntaxError, parse_expression
from .latex import latex_text
from .symbols import a, relu, sigma, softplus, y, z

__all__ = ["FormulaError", "FormulaWarning", "ACCEPTED", "split_assignment", "check_name",
           "activation_entry", "loss_entry", "custom_activation", "custom_loss",
           "CustomActivation", "CustomLoss", "BUDGET_SECONDS"]

MAX_NAME = 40
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")

# What a formula may use, for every refusal's last line.
ACCEPTED = ("accepted: numbers, + - * / ^, the variable(s), e, pi, and the functions "
            "exp log sqrt abs sin cos tan sinh cosh tanh erf sigmoid softplus relu "
            "max min; e.g. mish=z*tanh(softplus(z))")

# The course's functions as display functions (derive.symbols), not their expansions.
_DISPLAY = {
    "sigmoid": lambda name, args: _one(name, args, sigma),
    "sigma": lambda name, args: _one(name, args, sigma),
    "softplus": lambda name, args: _one(name, args, softplus),
    "relu": lambda name, args: _one(name, args, relu),
    "ReLU": lambda name, args: _one(name, args, relu),
}
# Functions of the claim language that a one-variable formula has no use for.
_REFUSED = ("diff", "softmax", "logsumexp")


class FormulaError(ValueError):
    """A formula or a name that cannot be a component; the message is one line that
    names the problem and ends with what is accepted."""


class FormulaWarning(UserWarning):
    """A formula that is derived and generated, but whose values exceed floating point
    somewhere (exp(z) at z = 1000): training may meet inf there."""


def _one(name, args, f):
    if len(args) != 1 or isinstance(args[0], list):
        raise ClaimSyntaxError(f"{name} takes 1 argument, got {len(args)}")
    return f(args[0])


def _taken_names() -> set[str]:
    return {*hidden_entries(), *aliases(), *loss_entries(), *FUNCTIONS,
            "linear", "sigmoid", "softmax", "e", "pi", "z", "a", "y"}


def check_name(name: str) -> str:
    """``name`` if it can name a new component (lower-case letters, digits, ``_``, not
    taken by the catalog or the formula language); else FormulaError."""
    if not isinstance(name, str) or not name:
        raise FormulaError(f"a component needs a name, e.g. mish=z*tanh(softplus(z)); "
                           f"{ACCEPTED}")
    if len(name) > MAX_NAME or not _NAME.match(name) or keyword.iskeyword(name):
        raise FormulaError(f"name {name[:MAX_NAME]!r} not allowed: lower-case letters, "
                           f"digits and '_', starting with a letter, at most {MAX_NAME} "
                           f"characters")
    if name in _taken_names():
        raise FormulaError(f"name {name!r} is taken (a catalog component or a function); "
                           f"choose another")
    return name


def split_assignment(text: str) -> tuple[str, str]:
    """``"mish=z*tanh(softplus(z))"`` -> ``("mish", "z*tanh(softplus(z))")``; the name
    is checked (:func:`check_name`), the formula is not parsed here."""
    if not isinstance(text, str) or "=" not in text:
        raise FormulaError(f"write NAME=FORMULA, e.g. mish=z*tanh(softplus(z)); got "
                           f"{str(text)[:60]!r}")
    name, formula = text.split("=", 1)
    if formula.startswith("="):
        raise FormulaError("write NAME=FORMULA with one '=', e.g. mish=z*tanh(softplus(z))")
    return check_name(name.strip()), formula.strip()


def _parse(formula: str, variables: dict[str, sp.Symbol]) -> sp.Expr:
    def symbols(name):
        if name in variables:
            return variables[name]
        raise ClaimSyntaxError(f"unknown name {name!r}: the formula's variable"
                               f"{'s are' if len(variables) > 1 else ' is'} "
                               f"{', '.join(variables)}")

    functions = {**_DISPLAY, **{name: None for name in _REFUSED}}
    if not isinstance(formula, str):
        raise FormulaError(f"a formula is text, not {type(formula).__name__}; {ACCEPTED}")
    try:
        expr = parse_expression(formula, symbols, functions=functions)
    except (ClaimSyntaxError, ClaimBuildError) as exc:
        # the claim language's own hint (how a claim is written) is replaced by ours, and
        # its word for the text
        text = str(exc.args[0] if exc.args else exc).replace("claim", "formula")
        raise FormulaError(f"{text}; {ACCEPTED}") from None
    if not _FORMULA_TEXT.match(formula):
        # Python reads some other characters as letters (full-width z is z): refused here,
        # so that every path, not only custom_activation, takes the formula language only
        raise FormulaError(f"the formula {formula[:60]!r} has characters outside the formula "
                           f"language; {ACCEPTED}")
    if not isinstance(expr, sp.Expr) or expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise FormulaError(f"the formula {formula[:60]!r} is not a finite expression; "
                           f"{ACCEPTED}")
    if not expr.free_symbols & set(variables.values()):
        raise FormulaError(f"the formula {formula[:60]!r} does not use "
                           f"{' or '.join(variables)}; {ACCEPTED}")
    return expr


def activation_entry(name: str, formula: str) -> Hidden:
    """The hidden activation g(z) = ``formula`` as a catalog entry named ``name``."""
    check_name(name)
    definition = _parse(formula, {"z": z})
    return Hidden(name=name, definition=definition, order=1000,
                  summary=f"{name}(Z) = {formula}, elementwise (a user's formula).",
                  prime_summary=f"Derivative of {name}, derived from {formula}.",
                  prose=(rf"A user's activation, given as the formula "
                         rf"\texttt{{{latex_text(formula)}}}."))


def loss_entry(name: str, formula: str) -> Loss:
    """The loss L(a, y) = ``formula`` on a linear output as a catalog entry ``name``
    (summed over the output units and averaged over the examples, as MSE)."""
    check_name(name)
    definition = _parse(formula, {"a": a, "y": y})
    if a not in definition.free_symbols:
        raise FormulaError(f"the loss {formula[:60]!r} does not depend on the output a; "
                           f"{ACCEPTED}")
    return Loss(name=name, output="linear", definition=definition, order=1000,
                summary=f"{name} cost J = (1/m) sum of {formula} (a user's formula).",
                dz_summary=f"dZ[L] of a linear output with the loss {name}.",
                prose=(rf"A user's loss, given as the formula "
                       rf"\texttt{{{latex_text(formula)}}}."))


# -- From the entry to the runtime object ------------------------------------------------

# Seconds (wall clock; the child's CPU is capped a little above) for parsing, deriving,
# proving and generating one formula. The suite's formulas take at most ~1.2 s of CPU
# (SELU), 5 s all together; SymPy's simplify of a product of five functions,
# z*tanh(softplus(z))*sigmoid(z)*tanh(z)/(1 + z^2), takes ~45 s: the budget lets that
# through and stops what is worse.
BUDGET_SECONDS = 60.0
# The characters of the formula language: the generated module's header quotes the text.
_FORMULA_TEXT = re.compile(r"[A-Za-z0-9_+\-*/^()., ]*\Z")


def _check_domain(definition, v, what: str) -> None:
    """FormulaError where ``definition`` is not a real, continuous function of ``v`` on
    the whole real line (log of a number that can be <= 0, a root of a number that can
    be negative, a division by zero)."""
    from sympy.calculus.util import continuous_domain

    from .symbols import unfold
    expr = unfold(definition)
    for node in sp.preorder_traversal(expr):
        if (isinstance(node, sp.Pow) and node.exp.is_number and not node.exp.is_integer
                and node.base.has(v) and node.base.is_nonnegative is not True):
            raise FormulaError(f"{what} takes a non-integer power of {node.base}, which is not "
                               f"real where {node.base} < 0 (use abs(...) or a square, "
                               f"e.g. sqrt(1 + z^2)); {ACCEPTED}")
    try:
        domain = continuous_domain(expr, v, sp.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        return   # the probes of the generated code still see an inf or a nan
    if domain != sp.S.Reals:
        raise FormulaError(f"{what} is undefined or not continuous for {v} outside "
                           f"{str(domain)[:120]} (a log of a number <= 0, a division by zero, "
                           f"...): a network would meet nan there; {ACCEPTED}")


def _activation_kinks(entry) -> tuple:
    """The kinks of an activation (:func:`derive.catalog.kinks`); FormulaError where
    SymPy does not find them as finitely many points (abs(sin(z)))."""
    from . import catalog
    from .stepwise.engine import _kinks
    from .symbols import unfold
    points = [p for p, _ in _kinks(unfold(entry.definition), z)]
    unlisted = [p for p in points if isinstance(p, sp.Eq) or not sp.sympify(p).is_number]
    if unlisted:
        raise FormulaError(f"the activation {entry.name!r} has kinks where {unlisted[0]} that "
                           f"SymPy cannot list as finitely many points; {ACCEPTED}")
    return catalog.kinks(entry)


def _loss_kinks(entry) -> tuple:
    """The kinks of a loss as the values of a - y there (a = y + c); FormulaError for a
    kink that is not at a constant distance from the label."""
    from .stepwise.engine import _kinks
    from .symbols import unfold
    out = []
    for point, _ in _kinks(unfold(entry.definition), a):
        offset = None if isinstance(point, sp.Eq) else sp.sympify(point) - y
        if offset is None or offset.free_symbols:
            raise FormulaError(f"the loss {entry.name!r} has a kink at a = {point}: only kinks "
                               f"at a = y + c (a constant) are supported; {ACCEPTED}")
        out.append(float(offset))
    return tuple(sorted(out))


def _derive(kind: str, name: str, formula: str, step=lambda name: None):
    """Everything SymPy does for a formula (run in a bounded child): the entry, its
    derivations (each proved), the generated module, the kinks."""
    from . import catalog
    from .catalog._build import hidden_derivations, loss_derivations
    from .codegen_entry import EntryCodegenError, entry_module
    from .derivations.stable import sigmoid_stable
    from .stepwise import UnsupportedDerivative

    step("parse")
    if kind == "activation":
        entry, v, what = activation_entry(name, formula), z, f"the activation {name}"
    else:
        entry, v, what = loss_entry(name, formula), a, f"the loss {name}"
    if not _FORMULA_TEXT.match(formula):
        raise FormulaError(f"the formula {formula[:60]!r} has characters outside the formula "
                           f"language; {ACCEPTED}")
    step("domain")
    _check_domain(entry.definition, v, what)
    kinks = _activation_kinks(entry) if kind == "activation" else _loss_kinks(entry)
    step("derive")
    try:
        derivations = (hidden_derivations(entry) if kind == "activation"
                       else loss_derivations(entry))
    except UnsupportedDerivative as exc:
        raise FormulaError(f"cannot differentiate {what}: {exc}; {ACCEPTED}") from None
    except ValueError as exc:
        raise FormulaError(f"cannot derive {what}: {exc}; {ACCEPTED}") from None
    step("prove")
    for d in derivations:
        proofs = d.extra.get("step_proofs", (d.proof,))
        for k, proof in enumerate(proofs):
            if not proof.holds:
                raise FormulaError(f"the derivation {d.name} of {what} is not proved at line "
                                   f"{k + 1} ({proof.method}, spot-check error "
                                   f"{proof.spot_check_max_error:.1e}): derive cannot vouch "
                                   f"for its code; {ACCEPTED}")
        if not d.proof.holds:
            raise FormulaError(f"the derivation {d.name} of {what} is not proved "
                               f"({d.proof.method}); {ACCEPTED}")
    _finite_at_kinks(entry, derivations, v, kinks, what)
    step("codegen")
    try:
        module = entry_module(entry, derivations, formula, sigmoid_stable())
    except EntryCodegenError as exc:
        raise FormulaError(f"{exc}; {ACCEPTED}") from None
    analytic = catalog.analytic(entry)
    return entry, derivations, module, kinks, analytic


def _finite_at_kinks(entry, derivations, v, kinks, what) -> None:
    """FormulaError where the derived derivative has no finite value at a kink (the
    value chosen there, sign(0) = 0 and the unit step's 0 at 0): sqrt(abs(z)) at 0."""
    from .stepwise.engine import _at_kinks_zero
    from .symbols import unfold
    d = next(d for d in derivations if d.name == f"{entry.name}_derivative")
    function = d.definition[0].lhs
    value = unfold(_at_kinks_zero(d.result.rhs).xreplace({function: entry.definition}))
    for c in kinks:
        at = {v: sp.Float(c, 30)} if v is z else {a: sp.Float(c, 30), y: sp.Integer(0)}
        try:
            number = sp.N(value.xreplace(at), 20)
        except (TypeError, ValueError, ZeroDivisionError):
            number = sp.nan
        if not (number.is_number and number.is_finite and number.is_real):
            where = f"z = {c:g}" if v is z else f"a - y = {c:g}"
            raise FormulaError(f"{what} has no finite derivative at its kink {where} "
                               f"({number}): gradients would be inf or nan there; {ACCEPTED}")


class _Custom:
    """What both kinds share: the entry, its derivations, the generated module."""

    kind = ""

    def __init__(self, name, formula, entry, derivations, module, kinks, analytic):
        self.name, self.formula, self.entry = name, formula, entry
        self.derivations = tuple(derivations) + tuple(module.derivations)
        self.derivation = next(d for d in derivations if d.name == f"{name}_derivative")
        self.kinks, self.analytic = tuple(kinks), bool(analytic)
        self.module, self.source = module, module.source
        # The source is text our printer wrote from the parsed, whitelisted tree (never
        # the user's text, which the header quotes only after a character check).
        namespace = {"__name__": f"derive.custom.generated.{name}"}
        exec(compile(self.source, f"<generated {self.kind} {name}>", "exec"), namespace)
        self.functions = {role: namespace[fn] for role, fn in module.functions.items()}
        self.namespace = namespace

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, {self.formula!r})"


class CustomActivation(_Custom):
    """A user's hidden activation: ``g``, ``g_prime``, ``g_into``, ``g_prime_into`` (and
    ``g_prime_from_a`` where g' is a polynomial in g, else None) with the conventions of
    :mod:`numeric._generated`; ``.derivation`` (g'), ``.derivations``, ``.kinks``,
    ``.analytic``, ``.source``."""

    kind = "activation"

    def __init__(self, *args):
        super().__init__(*args)
        f = self.functions
        self.g, self.g_prime = f["g"], f["g_prime"]
        self.g_into, self.g_prime_into = f["g_into"], f["g_prime_into"]
        self.g_prime_from_a = f.get("g_prime_from_a")
        self.g_prime_from_a_into = f.get("g_prime_from_a_into")


class CustomLoss(_Custom):
    """A user's loss on a linear output: ``cost(A, Y, m)``, ``dz(A, Y)``,
    ``dz_into(A, Y, out, work)`` with the conventions of ``numeric._generated.mse_cost``
    and ``mse_linear_dz``; ``.kinks`` are the values of a - y where L has no derivative."""

    kind = "loss"
    output = "linear"

    def __init__(self, *args):
        super().__init__(*args)
        f = self.functions
        self.cost, self.dz, self.dz_into = f["cost"], f["dz"], f["dz_into"]


def _bounded(kind: str, name: str, formula: str, seconds: float):
    from .claims.budget import run_bounded
    check_name(name)
    if not isinstance(formula, str):
        raise FormulaError(f"a formula is text, not {type(formula).__name__}; {ACCEPTED}")
    out = run_bounded(_derive, kind, name, formula, seconds=seconds)
    if not out.ok:
        limit = {"time": f"more than {seconds:g} s", "memory": "too much memory",
                 "recursion": "too deep a recursion"}.get(out.why, "a crash")
        raise FormulaError(f"deriving the {kind} {name} took {limit} (at the step "
                           f"{out.step!r}): write the formula more simply; {ACCEPTED}")
    return out.value


@functools.lru_cache(maxsize=64)
def custom_activation(name: str, formula: str,
                      seconds: float = BUDGET_SECONDS) -> CustomActivation:
    """The hidden activation g(z) = ``formula``, derived line by line (each line proved),
    generated as NumPy code (stable at |z| up to 1000 in float32 and float64) and
    compiled. FormulaError (one line) where it cannot be: text outside the formula
    language, a function with no rule of differentiation, a point where g is undefined,
    a proof that does not hold, a form that overflows, more than ``seconds`` of work."""
    obj = CustomActivation(name, formula, *_bounded("activation", name, formula, seconds))
    _state_kinks(obj)
    _warn_spot_checked(obj)
    _warn_unrepresentable(obj)
    return obj


@functools.lru_cache(maxsize=64)
def custom_loss(name: str, formula: str, seconds: float = BUDGET_SECONDS) -> CustomLoss:
    """The loss L(a, y) = ``formula`` of a linear output (the cost is its sum over the
    output units and its mean over the examples), derived, generated and compiled as for
    :func:`custom_activation`."""
    obj = CustomLoss(name, formula, *_bounded("loss", name, formula, seconds))
    _state_kinks(obj)
    _warn_spot_checked(obj)
    _warn_unrepresentable(obj)
    return obj


def _derivative_at(obj, points, dtype="float64"):
    import numpy as np
    x = np.asarray(points, dtype=dtype)
    with np.errstate(all="ignore"):
        if obj.kind == "activation":
            return obj.g_prime(x)
        return obj.dz(x, np.zeros_like(x))


def _state_kinks(obj) -> None:
    """At each kink, the value the generated derivative takes, stated in the derivation's
    assumptions (in place of the generic sentences of the catalog builder, which cannot
    know that softsign, with its abs, is differentiable at 0); FormulaError where it is
    not finite (sqrt(abs(z)) at 0)."""
    import dataclasses

    import numpy as np
    if not obj.kinks:
        return
    values = _derivative_at(obj, obj.kinks)
    d = obj.derivation
    function = d.definition[0].lhs
    (v,) = function.args
    from .latex import to_latex
    prime = to_latex(sp.Derivative(function, v))
    said = []
    for c, value in zip(obj.kinks, values):
        where = (f"z = {c:g}" if obj.kind == "activation" else "a = y" if c == 0
                 else f"a = y {'-' if c < 0 else '+'} {abs(c):g}")
        if not np.isfinite(value):
            raise FormulaError(f"the {obj.kind} {obj.name} has no finite derivative at its kink "
                               f"{where}: gradients would be {value}; {ACCEPTED}")
        said.append(f"At ${where}$ an absolute value, a max, a min or a case changes, and the "
                    f"formula may have no derivative there: the generated code takes "
                    f"${prime} = {float(value)!r}$ (sign(0) = 0, the unit step is 0 at 0, and "
                    f"a max or min takes at a tie the first case of the line that writes it "
                    f"as cases).")
    new = dataclasses.replace(d, assumptions=tuple(said))
    obj.derivations = tuple(new if x is d else x for x in obj.derivations)
    obj.derivation = new


def _warn_spot_checked(obj) -> None:
    """A FormulaWarning for each derivation with a line that SymPy could not reduce (too
    large) and that is checked by the 30-digit spot check only."""
    import warnings
    for d in obj.derivations:
        lines = [k + 1 for k, p in enumerate(d.extra.get("step_proofs", (d.proof,)))
                 if p.symbolic is None]
        if lines:
            warnings.warn(f"{d.name}: line(s) {', '.join(map(str, lines))} are too large for "
                          f"SymPy to reduce and are checked numerically only (30 digits at "
                          f"{d.proof.spot_check_points} points)", FormulaWarning, stacklevel=3)


def _warn_unrepresentable(obj) -> None:
    """A FormulaWarning where the generated functions are not finite at the probe points
    (|z| up to 1000): there the exact value itself exceeds floating point (the generated
    forms were checked stable where it does not)."""
    import warnings

    import numpy as np

    from .stepwise.stable import PROBE_POINTS
    bad = []
    for dtype in ("float32", "float64"):
        x = np.asarray(PROBE_POINTS, dtype=dtype)
        with np.errstate(all="ignore"):
            if obj.kind == "activation":
                outs = {f"{obj.name}(z)": obj.g(x), f"{obj.name}'(z)": obj.g_prime(x)}
            else:
                outs = {"dL/da": obj.dz(x, np.zeros_like(x))}
        for what, out in outs.items():
            for p, value in zip(PROBE_POINTS, out):
                if not np.isfinite(value):
                    bad.append(f"{what} = {value} at {p:g} ({dtype})")
    if bad:
        warnings.warn(f"the {obj.kind} {obj.name} = {obj.formula} exceeds floating point: "
                      f"{'; '.join(bad[:3])}{' ...' if len(bad) > 3 else ''} (its exact value "
                      f"is not finite there, so no form of it is); training may meet inf",
                      FormulaWarning, stacklevel=3)
