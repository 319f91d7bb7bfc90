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
"""

from __future__ import annotations

import keyword
import re

import sympy as sp

from .catalog import Hidden, Loss, aliases, hidden_entries, loss_entries
from .claims.parse import FUNCTIONS, ClaimBuildError, ClaimSyntaxError, parse_expression
from .symbols import a, relu, sigma, softplus, y, z

__all__ = ["FormulaError", "ACCEPTED", "split_assignment", "activation_entry", "loss_entry"]

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


def _one(name, args, f):
    if len(args) != 1 or isinstance(args[0], list):
        raise ClaimSyntaxError(f"{name} takes 1 argument, got {len(args)}")
    return f(args[0])


def _refuse(name, args):
    raise ClaimSyntaxError(f"{name} is not available in a component's formula")


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

    functions = {**_DISPLAY, **{name: _refuse for name in _REFUSED}}
    if not isinstance(formula, str):
        raise FormulaError(f"a formula is text, not {type(formula).__name__}; {ACCEPTED}")
    try:
        expr = parse_expression(formula, symbols, functions=functions)
    except (ClaimSyntaxError, ClaimBuildError) as exc:
        # the claim language's own hint (how a claim is written) is replaced by ours
        raise FormulaError(f"{exc.args[0] if exc.args else exc}; {ACCEPTED}") from None
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
                         rf"\texttt{{{_tex_text(formula)}}}."))


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
                       rf"\texttt{{{_tex_text(formula)}}}."))


def _tex_text(text: str) -> str:
    """``text`` safe inside ``\\texttt{}``."""
    special = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "^": r"\^{}",
               "%": r"\%", "$": r"\$", "#": r"\#", "&": r"\&", "~": r"\~{}"}
    return "".join(special.get(c, c) for c in text)
