"""The step engine: each line one named rule, each line proved equal to the last, the
result in the shape a textbook writes. Expected derivatives are computed here
independently: mpmath's numerical differentiation of the definition at 30 digits."""

import re

import mpmath
import pytest
import sympy as sp

from derive.claims.parse import parse_expression
from derive.stepwise import MAX_STEPS, UnsupportedDerivative, differentiate
from derive.symbols import sigma, unfold

z, a, y = (sp.Symbol(n, real=True) for n in "zay")

# (name, variable, formula): smooth, with kinks, with fixed parameters, overflowing.
FORMULAS = [
    ("sigmoid", z, "1/(1 + exp(-z))"),
    ("tanh_exp", z, "(exp(z) - exp(-z))/(exp(z) + exp(-z))"),
    ("mish", z, "z*tanh(softplus(z))"),
    ("swish", z, "z*sigmoid(z)"),
    ("swish_beta", z, "z/(1 + exp(-1.5*z))"),
    ("softplus", z, "log(1 + exp(z))"),
    ("elu", z, "max(z, 0) + min(0, exp(z) - 1)"),
    ("gelu_tanh", z, "z/2*(1 + tanh(sqrt(2/pi)*(z + 0.044715*z**3)))"),
    ("gelu", z, z / 2 * (1 + sp.erf(z / sp.sqrt(2)))),  # built directly: not in the parser
    ("relu", z, "relu(z)"),
    ("abs", z, "abs(z)"),
    ("cubic", z, "z**3 - 2*z + 1"),
    ("sinc_like", z, "sin(z)/(1 + z**2)"),
    ("arctan", z, sp.atan(z)),
    ("exp_power", z, "2**z"),
    ("log_cosh", a, "log(cosh(a - y))"),
    ("squared_error", a, "(a - y)**2/2"),
    ("bce", a, "-(y*log(a) + (1 - y)*log(1 - a))"),
    ("pseudo_huber", a, "sqrt(1 + (a - y)**2) - 1"),
]

# Outside its math, a caption is words: no function call, dotted or snake_case name
# (sp.diff, piecewise_fold(...), rsolve) stands in for the rule.
CODE_WORDS = re.compile(r"\w\(|\b\w+\.\w|\w_\w|\bsympy\b|\bsp\b")


def _prose(caption):
    return re.sub(r"\$[^$]*\$", "", caption)


def _symbols(name):
    return {"z": z, "a": a, "y": y}.get(name) or sp.Symbol(name, real=True)


def _derive(name, v, text):
    definition = text if isinstance(text, sp.Basic) else parse_expression(text, _symbols)
    return definition, differentiate(definition, v, sp.Function(name)(v),
                                     ranges={a: (0.05, 0.95), y: (0.1, 0.9)})


@pytest.mark.parametrize("name, v, text", FORMULAS, ids=[f[0] for f in FORMULAS])
def test_every_line_is_proved_and_the_result_is_the_derivative(name, v, text):
    definition, d = _derive(name, v, text)
    assert d.steps and d.result == d.steps[-1].rhs
    for step, proof in zip(d.steps, d.step_proofs):
        assert proof.symbolic is True, (step.caption, proof.method)
        assert proof.holds, (step.caption, proof.spot_check_max_error)
        assert not CODE_WORDS.search(_prose(step.caption)), step.caption
    # Independent check: mpmath differentiates the definition numerically at 30 digits.
    f = sp.lambdify([v, y], unfold(definition), "mpmath")
    result = sp.lambdify([v, y], unfold(d.result.xreplace({d.function: definition})), "mpmath")
    with mpmath.workdps(30):
        for point in ("0.3", "0.71", "-1.3", "2.2") if v == z else ("0.2", "0.45", "0.8"):
            for label in ("0.35", "0.6"):
                x0, y0 = mpmath.mpf(point), mpmath.mpf(label)
                expected = mpmath.diff(lambda t: f(t, y0), x0)
                assert abs(result(x0, y0) - expected) <= mpmath.mpf(10) ** -20 * max(
                    1, abs(expected)), (point, label)


def test_textbook_shapes_through_the_function_and_the_sigmoid():
    _, d = _derive("sigmoid", z, "1/(1 + exp(-z))")
    F = d.function
    assert sp.expand(d.result - F * (1 - F)) == 0  # sigma' = sigma (1 - sigma)
    _, d = _derive("t", z, "(exp(z) - exp(-z))/(exp(z) + exp(-z))")
    assert sp.expand(d.result - (1 - d.function**2)) == 0
    _, d = _derive("softplus", z, "log(1 + exp(z))")
    assert d.result == sigma(z)
    _, d = _derive("swish", z, "z*sigmoid(z)")
    assert d.result.has(sigma(z)) and not d.result.has(sp.exp)
    _, d = _derive("log_cosh", z, "log(cosh(z))")   # sinh/cosh: inf/inf at z = 1000
    assert d.result == sp.tanh(z) and "tanh" in d.steps[-1].caption


def test_kinks_are_found_and_stated():
    for name, text in [("relu", "relu(z)"), ("abs", "abs(z)"),
                       ("elu", "max(z, 0) + min(0, exp(z) - 1)")]:
        _, d = _derive(name, z, text)
        assert [point for point, _ in d.kinks] == [0], (name, d.kinks)
        assert all(convention for _, convention in d.kinks)
    _, d = _derive("shifted", z, "abs(z - 2) + abs(z + 1)")
    assert sorted(point for point, _ in d.kinks) == [-1, 2]
    _, d = _derive("smooth", z, "tanh(z)")
    assert d.kinks == ()


def test_a_function_without_a_rule_is_refused_by_name():
    with pytest.raises(UnsupportedDerivative, match="gamma"):
        differentiate(sp.gamma(z), z, sp.Function("g")(z))


def test_a_formula_needing_too_many_lines_is_refused():
    long_sum = sum(sp.exp(k * z) for k in range(1, MAX_STEPS + 5))
    with pytest.raises(ValueError, match="more than"):
        differentiate(long_sum, z, sp.Function("g")(z))
