"""A whitelist parser: a user's formula string to SymPy, without ``eval``.

SymPy's ``parse_expr``/``sympify`` run Python on the string, so a claim typed by a
user (``python -m verify claim "..."``) must not go through them. Here the string is
parsed by :func:`ast.parse` (which only builds a tree, it runs nothing) and the tree is
walked node by node: names, int/float numbers, ``+ - * / **``, unary ``+ -``, calls of
a fixed list of functions, and ``==`` once at the top. Anything else raises
:class:`ClaimSyntaxError`, naming the construct and showing the accepted spelling.
SymPy objects are built directly from the nodes; no string ever reaches ``sympify``.

The claim language is mathematics, so before :func:`ast.parse` the token stream (from
:mod:`tokenize`, which also runs nothing) is rewritten: ``^`` is a power (``x^2``),
and a number or a closing bracket followed by a name, a number or an opening bracket
is a product (``2x``, ``2(x + 1)``, ``(a + b)(a - b)``, ``a b``). ``e`` is Euler's
number.

Where a part of a formula is real only for some values (``log(u)`` needs ``u > 0``,
``sqrt(u)`` needs ``u >= 0``, ``1/u`` needs ``u != 0``), the parser can record that
condition (``requires=``): SymPy's automatic simplification may otherwise lose it
(``sqrt(x)**2`` becomes ``x``).

Limits keep a hostile string from tying up the machine: its length, the nesting depth,
the size of numeric exponents (``10**10**10``) and of derivative orders.
"""

from __future__ import annotations

import ast
import io
import keyword
from fractions import Fraction
import re
import tokenize
from typing import Callable

import sympy as sp

from ..symbols import LEAKY_RELU_SLOPE
from .evaluate import TooLarge, Unsupported, real_value

__all__ = ["ClaimSyntaxError", "ClaimBuildError", "FUNCTIONS", "CONSTANTS", "MAX_LENGTH", "SPELLING",
           "parse_expression", "parse_claim", "symbol"]

MAX_LENGTH = 2000        # characters in one claim string
MAX_DEPTH = 200          # nesting of the syntax tree (a + b + c nests: 200 terms)
MAX_EXPONENT = 64        # |n| in x**n where n is a number: (x+y)**10**6 would never expand
MAX_DIFF_ORDER = 8       # diff(f, x, n)
MAX_INTEGER = 10**30     # integer literals
MAX_DECIMAL_EXPONENT = 400  # 1e-400 is exact; 1e-999999999 would be a huge fraction
_FLOAT = re.compile(r"(\d*\.?\d*)(?:[eE]([+-]?\d+))?")
MAX_MERGED_EXPONENT = 4096  # (x**64)**64 is merged by SymPy: bound the result, too
MAX_LIST = 16            # arguments of softmax/logsumexp

# The one line every refusal ends with: how a claim is written.
SPELLING = ("write e.g. diff(sigmoid(z), z) == sigmoid(z)*(1 - sigmoid(z)), x^2 or x**2, "
            "2x, log(x, 2), e^x, softmax([z1, z2], 1)")

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


class ClaimSyntaxError(ValueError):
    """The string is not a formula in the accepted language; the message says why."""

    def __str__(self) -> str:
        text = super().__str__()
        return text if "write e.g." in text else f"{text}; {SPELLING}"


class ClaimBuildError(ValueError):
    """The formula is in the language, but SymPy failed while building it (its
    automatic evaluation of ``exp(sinh(10**30))`` overflows); the message says where."""


def symbol(name: str) -> sp.Symbol:
    """The symbol a claim's name stands for: every name is a real variable."""
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > 100:
        raise ClaimSyntaxError(f"name {str(name)[:40]!r} not allowed: names are letters, "
                               f"digits and '_', starting with a letter")
    return sp.Symbol(name, real=True)


def _sigmoid(x):
    return 1 / (1 + sp.exp(-x))


def _relu(x):
    return sp.Piecewise((x, x > 0), (0, True))


def _leaky_relu(x, slope=LEAKY_RELU_SLOPE):
    return sp.Piecewise((x, x > 0), (slope * x, True))


def _softplus(x):
    return sp.log(1 + sp.exp(x))


def _log(x, base=None):
    return sp.log(x) if base is None else sp.log(x, base)


def _logits(name, args):
    # softmax/logsumexp take a list [z1, z2, ...] (or, for logsumexp, the logits as
    # arguments); the list arrives here as a Python list from _Builder._List.
    if len(args) >= 1 and isinstance(args[0], list):
        logits, rest = args[0], args[1:]
    elif name == "logsumexp":
        logits, rest = list(args), []
    else:
        raise ClaimSyntaxError(f"{name} takes a list of logits and a component: "
                               f"softmax([z1, z2, z3], k) with k from 1 to 3")
    if not 1 <= len(logits) <= MAX_LIST or any(isinstance(z, list) for z in logits):
        raise ClaimSyntaxError(f"{name}: between 1 and {MAX_LIST} logits, e.g. "
                               f"logsumexp(z1, z2) or softmax([z1, z2], 1)")
    total = sp.Add(*[sp.exp(z) for z in logits])
    if name == "logsumexp":
        if rest:
            raise ClaimSyntaxError("logsumexp takes the logits only: logsumexp(z1, z2, z3) "
                                   "or logsumexp([z1, z2, z3])")
        return sp.log(total)
    if len(rest) != 1 or not (isinstance(rest[0], sp.Integer)
                              and 1 <= int(rest[0]) <= len(logits)):
        raise ClaimSyntaxError(f"softmax takes the logits and a component k from 1 to "
                               f"{len(logits)}: softmax([z1, z2, z3], 1)")
    return sp.exp(logits[int(rest[0]) - 1]) / total


def _diff(expr, *args):
    # diff(f, x) or diff(f, x, n): the variable must be a plain name (a Symbol), and n a
    # small positive integer, so that no one asks for the 10**9-th derivative.
    if not args or len(args) > 2 or isinstance(expr, list):
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
        if any(isinstance(a, list) for a in args):
            raise ClaimSyntaxError(f"{name} does not take a list; lists are only for "
                                   f"softmax([z1, z2], 1) and logsumexp([z1, z2])")
        return fn(*args)

    return call


# The fixed list of functions a claim may call: name -> (name, args) -> SymPy.
FUNCTIONS: dict[str, Callable] = {
    "exp": _arity(sp.exp, 1), "log": _arity(_log, 1, 2), "ln": _arity(sp.log, 1),
    "erf": _arity(sp.erf, 1), "softmax": _logits, "logsumexp": _logits,
    "sqrt": _arity(sp.sqrt, 1), "Abs": _arity(sp.Abs, 1), "abs": _arity(sp.Abs, 1),
    "sin": _arity(sp.sin, 1), "cos": _arity(sp.cos, 1), "tan": _arity(sp.tan, 1),
    "sinh": _arity(sp.sinh, 1), "cosh": _arity(sp.cosh, 1), "tanh": _arity(sp.tanh, 1),
    "sigmoid": _arity(_sigmoid, 1), "sigma": _arity(_sigmoid, 1),
    "relu": _arity(_relu, 1), "ReLU": _arity(_relu, 1),
    "leaky_relu": _arity(_leaky_relu, 1, 2), "softplus": _arity(_softplus, 1),
    "Heaviside": _arity(lambda x: sp.Heaviside(x, 0), 1), "sign": _arity(sp.sign, 1),
    "Max": _arity(sp.Max, 2, 8), "max": _arity(sp.Max, 2, 8),
    "Min": _arity(sp.Min, 2, 8), "min": _arity(sp.Min, 2, 8),
    "diff": lambda name, args: _diff(*args),
}

CONSTANTS = {"pi": sp.pi, "E": sp.E, "e": sp.E}

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

    def __init__(self, symbols: Callable[[str], sp.Basic], requires: list | None = None,
                 source: str = "", functions: dict | None = None):
        self.symbols = symbols
        # a replacement None removes the function from this parse (and from its messages)
        self.functions = FUNCTIONS if functions is None else {
            k: f for k, f in {**FUNCTIONS, **functions}.items() if f is not None}
        self.source = source
        self.requires = requires
        self.in_logits = False

    def build(self, node: ast.AST, depth: int = 0):
        if depth > MAX_DEPTH:
            raise ClaimSyntaxError(f"the formula is nested more than {MAX_DEPTH} deep")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ClaimSyntaxError(f"{_describe(node)} not allowed in a claim")
        try:
            return method(node, depth + 1)
        except (ClaimSyntaxError, ClaimBuildError, RecursionError, MemoryError):
            raise
        except (TypeError, ValueError, ArithmeticError, NotImplementedError,
                AttributeError, IndexError, KeyError) as exc:
            raise ClaimBuildError(f"SymPy could not build {ast.unparse(node)[:60]} "
                                  f"({type(exc).__name__})") from None

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
        # Floats as exact rationals of their decimal text: 0.1 means 1/10 to a reader,
        # and 1e-400 is not 0 (Python's float would round it to 0.0).
        text = (ast.get_source_segment(self.source, node) or "") if self.source else ""
        match = _FLOAT.fullmatch(text.replace("_", ""))
        if match:
            if abs(int(match.group(2) or 0)) > MAX_DECIMAL_EXPONENT:
                raise ClaimSyntaxError(f"number {text[:30]} out of range (exponents from "
                                       f"-{MAX_DECIMAL_EXPONENT} to {MAX_DECIMAL_EXPONENT})")
            return sp.Rational(Fraction(text.replace("_", "")))
        if value != value or value in (float("inf"), float("-inf")):
            raise ClaimSyntaxError("non-finite number not allowed")
        return sp.Rational(repr(value))

    def _Name(self, node, depth):
        name = node.id
        if not _NAME.match(name):
            raise ClaimSyntaxError(f"name {name!r} not allowed: names are letters, digits "
                                   f"and '_', starting with a letter")
        if name in self.functions:
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
            self.require(right, "!=0")
            return left / right
        # Pow: a numeric exponent must be small, checked before SymPy evaluates it,
        # so that 10**10**10 is refused instead of computed.
        if right.is_number:
            size = _magnitude(right)
            if size is None or size > MAX_EXPONENT:
                raise ClaimSyntaxError(f"exponent {_short(right)} too large or not real "
                                       f"(at most {MAX_EXPONENT} in absolute value)")
            if left.is_number and size > 8:
                base = _magnitude(left)
                if base is None or base > 10**6:
                    raise ClaimSyntaxError("power too large (a base above 10**6 to a "
                                           "power above 8)")
        if not right.is_Integer:
            self.require(left, ">0" if not right.is_number or right < 0 else ">=0")
        elif right < 0:
            self.require(left, "!=0")
        result = left**right
        # SymPy merges (x**64)**64 into x**4096: bound the merged exponents, too.
        for p in sp.preorder_traversal(result) if not result.is_Atom else ():
            if p.is_Pow and p.exp.is_Rational and max(abs(p.exp.p), p.exp.q) > \
                    MAX_MERGED_EXPONENT:
                raise ClaimSyntaxError(f"powers combine to the exponent {_short(p.exp)}, "
                                       f"above {MAX_MERGED_EXPONENT}")
        return result

    def require(self, expr, relation: str) -> None:
        if self.requires is None or expr.is_number:
            return
        # what SymPy's assumptions already guarantee (exp(x) > 0) is no condition
        known = {">0": expr.is_positive, ">=0": expr.is_nonnegative,
                 "!=0": expr.is_nonzero}[relation]
        if known is not True:
            self.requires.append((expr, relation))

    def _List(self, node, depth):
        if not self.in_logits:
            raise ClaimSyntaxError("lists are only for softmax([z1, z2], 1) and "
                                   "logsumexp([z1, z2])")
        self.in_logits = False
        try:
            return [self.build(e, depth) for e in node.elts]
        finally:
            self.in_logits = True

    def _Call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            raise ClaimSyntaxError(f"only calls of named functions are allowed, not a call "
                                   f"of {_describe(node.func)}")
        name = node.func.id
        if name not in self.functions:
            if _NAME.match(name) and name not in CONSTANTS:
                raise ClaimSyntaxError(f"function {name!r} not allowed (a product is "
                                       f"written {name}*(...)); functions: "
                                       f"{', '.join(sorted(self.functions))}")
            raise ClaimSyntaxError(f"function {name!r} not allowed; allowed: "
                                   f"{', '.join(sorted(self.functions))}")
        if node.keywords:
            raise ClaimSyntaxError(f"keyword arguments not allowed in {name}(...)")
        self.in_logits = name in ("softmax", "logsumexp")
        try:
            args = [self.build(arg, depth) for arg in node.args]
        finally:
            self.in_logits = False
        if name in ("log", "ln") and args and not isinstance(args[0], list):
            self.require(args[0], ">0")
            if len(args) == 2 and not isinstance(args[1], list):
                self.require(args[1], ">0")
                self.require(args[1] - 1, "!=0")
        if name == "sqrt" and len(args) == 1 and not isinstance(args[0], list):
            self.require(args[0], ">=0")
        return self.functions[name](name, args)

    def _Compare(self, node, depth):
        raise ClaimSyntaxError("comparisons are allowed only as one '==' at the top level")


def _diff_order(node: ast.AST) -> int:
    """The largest total order of nested ``diff`` calls in the tree (before any is
    computed: diff(diff(diff(f, x, 8), x, 8), x, 8) is a 24th derivative)."""
    inner = max((_diff_order(child) for child in ast.iter_child_nodes(node)), default=0)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id == "diff":
        order = node.args[2].value if len(node.args) == 3 and isinstance(
            node.args[2], ast.Constant) and isinstance(node.args[2].value, int) else 1
        return inner + max(order, 1)
    return inner


def _orders_checked(node: ast.AST) -> ast.AST:
    total = _diff_order(node)
    if total > MAX_DIFF_ORDER:
        raise ClaimSyntaxError(f"derivatives nested to a total order of {total} (at most "
                               f"{MAX_DIFF_ORDER} in all)")
    return node


def _checked(expr):
    if isinstance(expr, list):
        raise ClaimSyntaxError("lists are only for softmax([z1, z2], 1) and "
                               "logsumexp([z1, z2])")
    return expr


def _short(value) -> str:
    text = str(value)
    return text if len(text) < 30 else text[:12] + "..."


def _magnitude(number):
    """|number| as a float (inf when too large to compute); None when not real."""
    try:
        value = real_value(number, {}, 15)
    except TooLarge:
        return float("inf")
    except Unsupported:
        return None
    return None if value is None else float(abs(value))


def _tree(text: str) -> tuple[ast.Expression, str]:
    if not isinstance(text, str):
        raise ClaimSyntaxError(f"a claim is a string, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ClaimSyntaxError(f"claim too long ({len(text)} characters; at most "
                               f"{MAX_LENGTH})")
    if not text.strip():
        raise ClaimSyntaxError("empty claim")
    if any(c in text for c in "\r\n\x00"):
        raise ClaimSyntaxError("a claim is one line")
    source = _math_notation(text.strip())
    try:
        return ast.parse(source, mode="eval"), source
    except SyntaxError as exc:
        raise ClaimSyntaxError(f"not a formula: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ClaimSyntaxError("the formula is nested too deeply to parse") from None


_OPENERS = ("(",)
_CLOSERS = (")",)


def _math_notation(text: str) -> str:
    """``^`` as a power and implied products (``2x``, ``2(x+1)``, ``(a)(b)``) made explicit.

    Works on :mod:`tokenize`'s tokens (columns of one line), so that strings and names
    are never split; a character Python does not know is refused here, named.
    """
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                  if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        raise ClaimSyntaxError("not a formula: unbalanced brackets or quotes") from None
    edits = []                                   # (column, old length, new text)
    for prev, tok in zip([None] + tokens, tokens):
        if (tok.type == tokenize.ERRORTOKEN and not tok.string.isspace()) or \
                tok.string in ("|", "!", "'"):
            hint = {"!": "factorial is not in the language", "'": "write diff(f, x)",
                    "|": "write abs(x)"}.get(tok.string, "")
            raise ClaimSyntaxError(f"character {tok.string!r} not allowed"
                                   + (f" ({hint})" if hint else ""))
        if tok.type == tokenize.OP and tok.string == "^":
            edits.append((tok.start[1], 1, "**"))
        if prev is None:
            continue
        # a name followed by a name ("a b", "x sign(x)") is a product too; a name
        # followed by "(" is a call ("f(x)": refused unless f is a function), but with a
        # space between ("x (x + 1)") a product.
        left_ends_factor = prev.type in (tokenize.NUMBER, tokenize.NAME) \
            or prev.string in _CLOSERS
        right_starts_factor = tok.type in (tokenize.NAME, tokenize.NUMBER) \
            or (tok.string in _OPENERS and (prev.type != tokenize.NAME or (
                prev.end != tok.start and prev.string not in FUNCTIONS)))
        if left_ends_factor and right_starts_factor and not keyword.iskeyword(tok.string) \
                and not keyword.iskeyword(prev.string):
            edits.append((tok.start[1], 0, "*"))
    for column, length, new in sorted(edits, reverse=True):
        text = text[:column] + new + text[column + length:]
    return text


def parse_expression(text: str, symbols: Callable[[str], sp.Basic] = symbol,
                     requires: list | None = None, functions: dict | None = None) -> sp.Expr:
    """Parse one expression (no ``==``) into SymPy.

    ``symbols(name)`` gives the object a name stands for (default: a real Symbol).
    ``requires``: a list to which the conditions for the formula to be real are
    appended, as ``(expression, relation)`` with relation ``">0"``, ``">=0"`` or
    ``"!=0"``. ``functions``: replacements for some of :data:`FUNCTIONS` (same names,
    same calling convention; None removes one), e.g. ``sigmoid`` kept as the display
    function sigma.
    Raises :class:`ClaimSyntaxError` for anything outside the whitelist.
    """
    tree, source = _tree(text)
    if isinstance(tree.body, ast.Compare):
        raise ClaimSyntaxError("comparisons are allowed only as one '==' at the top level")
    if functions is not None and not set(functions) <= set(FUNCTIONS):
        raise ValueError(f"functions may only replace known ones, not "
                         f"{sorted(set(functions) - set(FUNCTIONS))}")
    try:
        return _checked(_Builder(symbols, requires, source, functions).build(
            _orders_checked(tree.body)))
    except RecursionError:
        raise ClaimSyntaxError("the formula is nested too deeply") from None


def parse_claim(text: str, symbols: Callable[[str], sp.Basic] = symbol,
                requires: list | None = None) -> tuple[sp.Expr, sp.Expr]:
    """Parse ``"lhs == rhs"`` into the pair ``(lhs, rhs)`` of SymPy expressions.

    ``requires``: as for :func:`parse_expression`, each condition tagged with its
    side: ``(expression, relation, "left" or "right")``.
    """
    tree, source = _tree(text)
    body = tree.body
    if not isinstance(body, ast.Compare):
        raise ClaimSyntaxError("a claim is 'lhs == rhs' (no '==' found)")
    if len(body.ops) != 1 or not isinstance(body.ops[0], ast.Eq):
        raise ClaimSyntaxError("a claim has exactly one '==' and no other comparison")
    sides = ([], [])
    try:
        left = _checked(_Builder(symbols, sides[0], source).build(
            _orders_checked(body.left)))
        right = _checked(_Builder(symbols, sides[1], source).build(
            _orders_checked(body.comparators[0])))
    except RecursionError:
        raise ClaimSyntaxError("the formula is nested too deeply") from None
    if requires is not None:
        requires.extend((e, rel, "left") for e, rel in sides[0])
        requires.extend((e, rel, "right") for e, rel in sides[1])
    return left, right
