"""No formula is typed outside a derivation: every generated function is a registry
derivation's result (or a named part of it) with documented substitutions only.

Checked two ways. (1) While ``function_specs`` turns the (already built) registry into
generated functions, no line of code generation or of the catalog's builders does SymPy
arithmetic (``+ - * / **`` or negation on a SymPy expression): they only substitute,
rename and convert nodes. A formula typed there (``total_sum(L) / m``,
``exp(log_softmax)``) is caught. (2) Statically, those modules call no SymPy function
that builds a formula (exp, log, Add, Mul, Sum, the array reductions...) except in the
converters that rebuild a derivation's own node from its converted arguments. And each
generated function's docstring names every derivation it comes from, each of which is
in the registry and proved.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parents[2]
# the code between the registry and numeric/_generated.py
WATCHED = [ROOT / "derive" / "codegen.py", ROOT / "derive" / "catalog" / "_build.py",
           ROOT / "derive" / "catalog" / "_numeric.py", ROOT / "derive" / "catalog" / "__init__.py",
           ROOT / "derive" / "codegen_nodes.py", ROOT / "derive" / "codegen_printer.py"]
_DUNDERS = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
            "__truediv__", "__rtruediv__", "__pow__", "__rpow__", "__neg__", "__matmul__",
            "__rmatmul__")
# SymPy constructors of formulas; calling one builds a formula
_BUILDERS = {"exp", "log", "sqrt", "tanh", "Add", "Mul", "Pow", "Sum", "Max", "Min", "Abs",
             "Heaviside", "Piecewise", "Integer", "Rational", "total_sum", "col_sum", "col_max",
             "row_sum", "logaddexp", "MaxOver", "sigma"}
# converters: each rebuilds a node of a derivation's expression from its own converted
# arguments (a matrix sum or product as an elementwise one, MaxOver as the column max)
_CONVERTERS = {"_elementwise_matrix_form", "_components_as_arrays"}


def _arithmetic_in_watched_code(run):
    """(file, line, operator) of every SymPy arithmetic called from a watched file
    while ``run()`` runs."""
    watched = {str(p) for p in WATCHED}
    hits, saved = [], []
    for cls in (sp.Expr, sp.MatrixExpr):
        for name in _DUNDERS:
            if name not in vars(cls):
                continue
            original = vars(cls)[name]

            def spy(self, *args, _original=original, _name=name):
                caller = sys._getframe(1).f_code.co_filename
                if caller in watched:
                    hits.append((Path(caller).name, sys._getframe(1).f_lineno, _name))
                return _original(self, *args)
            saved.append((cls, name, original))
            setattr(cls, name, spy)
    try:
        run()
    finally:
        for cls, name, original in saved:
            setattr(cls, name, original)
    return sorted(set(hits))


def test_codegen_does_no_arithmetic_of_its_own(registry):
    from derive.codegen import function_specs
    list(registry)  # derivations (whose steps and proofs do arithmetic) built before
    assert _arithmetic_in_watched_code(lambda: function_specs(registry)) == []


def test_the_spy_catches_a_typed_formula(registry):
    # the check above can fail: a cost typed as total_sum(L) / m is seen
    from derive import codegen

    codegen_file = str(WATCHED[0])
    code = compile("def typed(total_sum, L, m_):\n    return total_sum(L) / m_\n", codegen_file, "exec")
    namespace = {}
    exec(code, namespace)  # noqa: S102 - a test-local function "in" codegen.py
    hits = _arithmetic_in_watched_code(
        lambda: namespace["typed"](codegen.total_sum, sp.Symbol("L"), codegen.m_))
    assert hits and hits[0][2] == "__truediv__"


def _calls_outside_converters(path: Path):
    tree = ast.parse(path.read_text())
    found = []

    def visit(node, function):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name if function is None else function
        if isinstance(node, ast.Call) and function not in _CONVERTERS:
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            if name in _BUILDERS:
                found.append((path.name, node.lineno, name))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, None)
    return found


def test_codegen_calls_no_formula_builder():
    # codegen.py and the catalog's forms: no call of exp, log, Add, col_max, ... outside
    # the converters (the catalog's proofs and branch-free rewrites, which file their
    # results as derivation steps, live in the derivation builders, not scanned here)
    assert _calls_outside_converters(ROOT / "derive" / "codegen.py") == []


def test_every_generated_function_names_its_proved_derivations(registry):
    import numeric._generated as gen
    from derive.codegen import function_specs
    for spec in function_specs(registry):
        doc = getattr(gen, spec.name).__doc__
        assert f"Derived in ``{spec.derivation}``" in doc, spec.name
        for name in spec.derivations:
            assert registry[name].proof.holds, (spec.name, name)
            assert f"``{name}``" in doc, (spec.name, name)
        for line in spec.substitutions:
            assert line in doc, (spec.name, line)


def test_the_shift_and_the_cost_come_from_their_derivations(registry):
    # the printed softmax uses the shift the derivations choose (their extra["choice"]),
    # and every cost is the result of cost_mean: 1/m times a sum over every entry
    from derive.codegen import function_specs
    from derive.codegen_nodes import col_max, total_sum
    from derive.symbols import MaxOver
    specs = {s.name: s for s in function_specs(registry)}
    for name, derivation in (("softmax", "softmax_stable"), ("log_softmax", "log_softmax_stable")):
        assert isinstance(registry[derivation].extra["choice"].rhs, MaxOver)
        assert specs[name].outputs[0].has(col_max)
    from derive import catalog
    for entry in catalog.loss_entries().values():
        spec = specs[entry.cost]
        assert spec.derivation == "cost_mean", entry.name
        (out,) = spec.outputs
        m = next(a for a in spec.arguments if a.name == "m")
        assert out.has(total_sum) and (out * m).has(total_sum) and not (out * m).has(m), entry.name
