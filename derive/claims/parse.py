"""A whitelist parser: a user's formula string to SymPy, without ``eval``.

SymPy's ``parse_expr``/``sympify`` run Python on the string, so a claim typed by a
user (``python -m verify claim "..."``) must not go through them. Here the string is
parsed by :func:`ast.parse` (which only builds a tree, it runs nothing) and the tree is
walked node by node: names, int/float numbers, ``+ - * / **``, unary ``+ -``, calls of
a fixed list of functions, and ``==`` once at the top. Anything else raises
:class:`ClaimSyntaxError`, naming the construct. SymPy objects are built directly from
the nodes; no string ever reaches ``sympify``.

Limits keep a hostile string from tying up the machine: its length, the nesting depth,
the size of numeric exponents (``10**10**10``) and of derivative orders.
"""

from __future__ import annotations

import ast
import re
from typing import Callable

import sympy as sp

__all__ = ["ClaimSyntaxError", "FUNCTIONS", "CONSTANTS", "MAX_LENGTH", "parse_expression",
           "parse_claim", "symbol"]

MAX_LENGTH = 2000        # characters in one claim string
MAX_DEPTH = 60           # nesting of the syntax tree
MAX_EXPONENT = 64        # |n| in x**n where n is a number: (x+y)**10**6 would never expand
MAX_DIFF_ORDER = 8       # diff(f, x, n)
MAX_INTEGER = 10**30     # integer literals

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


class ClaimSyntaxError(ValueError):
    """The string is not a formula in the accepted language; the message says why."""


def symbol(name: str) -> sp.Symbol:
    """The symbol a claim's name stands for: every name is a real variable."""
    return sp.Symbol(name, real=True)


def _sigmoid(x):
    return 1 / (1 + sp.exp(-x))


def _relu(x):
    return sp.Piecewise((x, x > 0), (0, True))


def _leaky_relu(x, slope=sp.Rational(1, 100)):
    return sp.Piecewise((x, x > 0), (slope * x, True))


def _softplus(x):
    return sp.log(1 + sp.exp(x))


def _diff(expr, *args):
    # diff(f, x) or diff(f, x, n): the variable must be a plain name (a Symbol), and n a
    # small positive integer, so that no one asks for the 10**9-th derivative.
    if not args or len(args) > 2:
        raise ClaimSyntaxError("diff takes diff(expression, variable) or "
                               "diff(expression, variable, order)")
    var = args[0]
    if not isinstance(var, sp.Symbol):
        raise ClaimSyntaxError("diff: the variable must be a name, e.g. diff(f, z)")
    order = 1
    if len(args) == 2:
        n = args[1]
        if not (isinstance(n, sp.Integer) and 1 <= int(n) <= MAX_DIFF_ORDER):
            raise ClaimSyntaxError(f"diff: the order must be an integer from 1 to "
                                   f"{MAX_DIFF_ORDER}")
        order = int(n)
    return sp.diff(expr, var, order)


def _arity(fn: Callable, low: int, high: int | None = None) -> Callable:
    high = low if high is None else high

    def call(name, args):
        if not low <= len(args) <= high:
            want = str(low) if low == high else f"{low} to {high}"
            raise ClaimSyntaxError(f"{name} takes {want} argument(s), got {len(args)}")
        return fn(*args)

    return call


# The fixed list of functions a claim may call: name -> (name, args) -> SymPy.
FUNCTIONS: dict[str, Callable] = {
    "exp": _arity(sp.exp, 1), "log": _arity(sp.log, 1), "ln": _arity(sp.log, 1),
    "sqrt": _arity(sp.sqrt, 1), "Abs": _arity(sp.Abs, 1), "abs": _arity(sp.Abs, 1),
    "sin": _arity(sp.sin, 1), "cos": _arity(sp.cos, 1), "tan": _arity(sp.tan, 1),
    "sinh": _arity(sp.sinh, 1), "cosh": _arity(sp.cosh, 1), "tanh": _arity(sp.tanh, 1),
    "sigmoid": _arity(_sigmoid, 1), "sigma": _arity(_sigmoid, 1),
    "relu": _arity(_relu, 1), "ReLU": _arity(_relu, 1),
    "leaky_relu": _arity(_leaky_relu, 1, 2), "softplus": _arity(_softplus, 1),
    "Heaviside": _arity(lambda x: sp.Heaviside(x, 0), 1), "sign": _arity(sp.sign, 1),
    "Max": _arity(sp.Max, 2, 8), "max": _arity(sp.Max, 2, 8),
    "Min": _arity(sp.Min, 2, 8), "min": _arity(sp.Min, 2, 8),
    "diff": lambda name, args: _diff(*args) if args else _diff(None, *args[1:]),
}

CONSTANTS = {"pi": sp.pi, "E": sp.E}

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_DESCRIBE = {
    ast.Attribute: "attribute access (a.b)", ast.Subscript: "subscripts (a[i])",
    ast.Lambda: "lambda", ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "generator expressions",
    ast.IfExp: "conditional expressions (a if b else c)", ast.BoolOp: "and/or",
    ast.List: "lists", ast.Tuple: "tuples", ast.Dict: "dicts", ast.Set: "sets",
    ast.JoinedStr: "f-strings", ast.NamedExpr: "assignment expressions (:=)",
    ast.Starred: "starred arguments", ast.Await: "await", ast.Yield: "yield",
    ast.Slice: "slices",
}


def _describe(node: ast.AST) -> str:
    return _DESCRIBE.get(type(node), type(node).__name__)


class _Builder:
    """Walks the tree, building SymPy; rejects every node not on the whitelist."""

    def __init__(self, symbols: Callable[[str], sp.Basic]):
        self.symbols = symbols

    def build(self, node: ast.AST, depth: int = 0):
        if depth > MAX_DEPTH:
            raise ClaimSyntaxError(f"the formula is nested more than {MAX_DEPTH} deep")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ClaimSyntaxError(f"{_describe(node)} not allowed in a claim")
        return method(node, depth + 1)

    def _Constant(self, node, depth):
        value = node.value
        # bool is an int subclass: True/False are not numbers here.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ClaimSyntaxError(f"constant {value!r} not allowed: only int and float "
                                   f"numbers")
        if isinstance(value, int):
            if abs(value) > MAX_INTEGER:
                raise ClaimSyntaxError("integer literal too large")
            return sp.Integer(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise ClaimSyntaxError("non-finite number not allowed")
        # Floats as exact rationals of their decimal form: 0.1 means 1/10 to a reader.
        return sp.Rational(repr(value))

    def _Name(self, node, depth):
        name = node.id
        if not _NAME.match(name):
            raise ClaimSyntaxError(f"name {name!r} not allowed: names are letters, digits "
                                   f"and '_', starting with a letter")
        if name in FUNCTIONS:
            raise ClaimSyntaxError(f"{name} is a function: call it, e.g. {name}(x)")
        if name in CONSTANTS:
            return CONSTANTS[name]
        return self.symbols(name)

    def _UnaryOp(self, node, depth):
        operand = self.build(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ClaimSyntaxError(f"unary operator {type(node.op).__name__} not allowed")

    def _BinOp(self, node, depth):
        if type(node.op) not in _BINOPS:
            raise ClaimSyntaxError(f"operator {type(node.op).__name__} not allowed: only "
                                   f"+ - * / **")
        left = self.build(node.left, depth)
        right = self.build(node.right, depth)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise ClaimSyntaxError("division by zero")
            return left / right
        # Pow: a numeric exponent must be small, checked before SymPy evaluates it,
        # so that 10**10**10 is refused instead of computed.
        if right.is_number and (not right.is_finite or abs(sp.N(right)) > MAX_EXPONENT):
            raise ClaimSyntaxError(f"exponent {right if len(str(right)) < 30 else '...'} "
                                   f"too large (at most {MAX_EXPONENT} in absolute value)")
        if (left.is_number and right.is_number and right.is_real
                and abs(sp.N(left)) > 10**6 and right > 8):
            raise ClaimSyntaxError("power too large")
        return left**right

    def _Call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            raise ClaimSyntaxError(f"only calls of named functions are allowed, not a call "
                                   f"of {_describe(node.func)}")
        name = node.func.id
        if name not in FUNCTIONS:
            raise ClaimSyntaxError(f"function {name!r} not allowed; allowed: "
                                   f"{', '.join(sorted(FUNCTIONS))}")
        if node.keywords:
            raise ClaimSyntaxError(f"keyword arguments not allowed in {name}(...)")
        args = [self.build(arg, depth) for arg in node.args]
        return FUNCTIONS[name](name, args)

    def _Compare(self, node, depth):
        raise ClaimSyntaxError("comparisons are allowed only as one '==' at the top level")


def _tree(text: str) -> ast.Expression:
    if not isinstance(text, str):
        raise ClaimSyntaxError(f"a claim is a string, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ClaimSyntaxError(f"claim too long ({len(text)} characters; at most "
                               f"{MAX_LENGTH})")
    if not text.strip():
        raise ClaimSyntaxError("empty claim")
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ClaimSyntaxError(f"not a formula: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ClaimSyntaxError("the formula is nested too deeply to parse") from None


def parse_expression(text: str, symbols: Callable[[str], sp.Basic] = symbol) -> sp.Expr:
    """Parse one expression (no ``==``) into SymPy.

    ``symbols(name)`` gives the object a name stands for (default: a real Symbol).
    Raises :class:`ClaimSyntaxError` for anything outside the whitelist.
    """
    tree = _tree(text)
    try:
        return _Builder(symbols).build(tree.body)
    except RecursionError:
        raise ClaimSyntaxError("the formula is nested too deeply") from None


def parse_claim(text: str, symbols: Callable[[str], sp.Basic] = symbol
                ) -> tuple[sp.Expr, sp.Expr]:
    """Parse ``"lhs == rhs"`` into the pair ``(lhs, rhs)`` of SymPy expressions."""
    tree = _tree(text)
    body = tree.body
    if not isinstance(body, ast.Compare):
        raise ClaimSyntaxError("a claim is 'lhs == rhs' (no '==' found)")
    if len(body.ops) != 1 or not isinstance(body.ops[0], ast.Eq):
        raise ClaimSyntaxError("a claim has exactly one '==' and no other comparison")
    builder = _Builder(symbols)
    try:
        return builder.build(body.left), builder.build(body.comparators[0])
    except RecursionError:
        raise ClaimSyntaxError("the formula is nested too deeply") from None
