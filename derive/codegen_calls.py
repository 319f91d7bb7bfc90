"""The NumPy calls of an in-place function as data, for a step that replays them.

``NAME_into(args, out, work)`` (:mod:`derive.codegen_inplace`) is a straight run of
NumPy calls into buffers. On a small network a step is mostly the fixed cost of calls
(a 2-4-1 step is ~50 NumPy calls on arrays of at most 4 x 400 numbers): each
``NAME_into`` adds a Python frame, its ``work.get`` look-ups and keyword arguments to
calls of under a microsecond. For each ``NAME_into`` this module emits

    def _NAME_into_calls(args, out, work):
        t1 = work.get(...)                     # the same buffers as NAME_into
        return [(numpy.exp, (Z, t1)), ...]     # NAME_into's calls, arguments bound

and ``NAME_into.numpy_calls = _NAME_into_calls``: calling each ``f(*a)`` of the list in
order is calling ``NAME_into`` with those arguments (the same NumPy calls in the same
order, ``out`` passed by position except where NumPy deprecates that), so a training
step can bind its buffers once and replay the list (:mod:`numeric.replay`). The list is
written from ``NAME_into``'s own statements, parsed (:mod:`ast`), not from the formula
a second time: the two cannot drift apart. Scalar arguments (``m``, ``keep_prob``) are
evaluated when the list is built, so a list holds for the values it was built with.
"""

from __future__ import annotations

import ast

from .codegen_inplace import into_lines

__all__ = ["emit_calls", "as_calls"]

# NumPy 2.4 deprecates a third positional argument (out) of these two (DeprecationWarning:
# it reads like a third input); their out stays a keyword, bound by functools.partial.
_OUT_BY_KEYWORD = {"numpy.maximum", "numpy.minimum"}

# A ufunc's reduce by position: (array, axis, dtype, out, keepdims).
_REDUCE_ORDER = ("axis", "dtype", "out", "keepdims")


def _positional(call: ast.Call) -> list[str]:
    """The arguments of one NumPy call of ``NAME_into`` in positional form; ValueError
    for a keyword this form cannot place."""
    args = [ast.unparse(a) for a in call.args]
    kw = {k.arg: ast.unparse(k.value) for k in call.keywords}
    if isinstance(call.func, ast.Attribute) and call.func.attr == "reduce":
        if len(args) != 1 or set(kw) - set(_REDUCE_ORDER):
            raise ValueError(f"no positional form for {ast.unparse(call)}")
        defaults = {"axis": "0", "dtype": "None", "out": "None", "keepdims": "False"}
        return args + [kw.get(k, defaults[k]) for k in _REDUCE_ORDER]
    if set(kw) - {"out"}:
        raise ValueError(f"no positional form for {ast.unparse(call)}")
    return args + ([kw["out"]] if "out" in kw else [])


def as_calls(lines: list[str]) -> tuple[list[str], list[str]]:
    """``(statements, calls)`` of a ``NAME_into`` body: the assignments of names (scratch
    buffers, aliases, scalars), which read only the arguments and the buffers, and each
    NumPy call as the source of a ``(function, (arguments,))`` pair, in order."""
    statements, calls = [], []
    for line in lines:
        node = ast.parse(line).body[0]
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            if any(isinstance(n, ast.Call) and ast.unparse(n.func) != "work.get"
                   for n in ast.walk(node.value)):
                raise ValueError(f"a computed assignment cannot be bound ahead: {line}")
            statements.append(line)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
            # dest[...] = value: numpy.copyto broadcasts as the assignment does
            target = node.targets[0]
            if ast.unparse(target.slice) != "...":
                raise ValueError(f"no call form for {line}")
            calls.append(f"(numpy.copyto, ({ast.unparse(target.value)}, "
                         f"{ast.unparse(node.value)}))")
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = ast.unparse(node.value.func)
            args = _positional(node.value)
            if func in _OUT_BY_KEYWORD and len(args) == 3:
                func, args = f"functools.partial({func}, out={args[2]})", args[:2]
            listed = ", ".join(args) + ("," if len(args) == 1 else "")
            calls.append(f"({func}, ({listed}))")
        else:
            raise ValueError(f"no call form for {line}")
    return statements, calls


def emit_calls(spec, signature: str) -> str:
    """``def _NAME_into_calls(args, out, work)`` and ``NAME_into.numpy_calls = ...`` (see above);
    ``signature``: NAME_into's arguments before ``out, work``."""
    statements, calls = as_calls(into_lines(spec))
    name = f"{spec.name}_into"
    doc = (f'    """``{name}``\'s NumPy calls, ``(function, arguments)`` in order, its\n'
           f'    buffers bound: calling each in turn is calling ``{name}``."""')
    body = "".join(f"    {s}\n" for s in statements)
    listed = "".join(f"        {c},\n" for c in calls)
    return (f"def _{name}_calls({signature}, out, work):\n{doc}\n{body}"
            f"    return [\n{listed}    ]\n\n\n{name}.numpy_calls = _{name}_calls\n")
