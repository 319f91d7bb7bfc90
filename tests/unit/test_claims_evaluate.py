"""PointValues: many expressions at one point, sharing their subexpressions, give
exactly what real_value and interval_value give one by one."""

import pytest
import sympy as sp

from derive.claims.evaluate import PointValues, TooLarge, bounds, interval_value, real_value

x, y = sp.symbols("x y", real=True)
s = 1 / (1 + sp.exp(-x))
EXPRS = [s, s * (1 - s), sp.log(s) - sp.log(1 - s) - x, sp.sqrt(x**2 + y**2) / s,
         sp.tanh(x * y) - 2 / (1 + sp.exp(-2 * x * y)) + 1, sp.Abs(x - y) + sp.Max(x, y),
         sp.log(y), sp.sqrt(y) * s]          # the last two are not real at y < 0
POINT = {x: sp.Rational(3, 10), y: sp.Rational(-7, 4)}


def test_shared_values_equal_those_computed_alone():
    values = PointValues(POINT)
    for digits in (30, 60, 30, 120):          # each precision kept apart
        for e in EXPRS:
            alone, shared = real_value(e, POINT, digits), values.real(e, digits)
            assert (alone is None) == (shared is None), (e, digits)
            if alone is not None:
                assert alone == shared, (e, digits)
            alone, shared = interval_value(e, POINT, digits), values.interval(e, digits)
            assert (alone is None) == (shared is None), (e, digits)
            if alone is not None:
                assert bounds(alone) == bounds(shared), (e, digits)
    assert values.real(sp.log(y), 30) is None and values.real(s, 60) is not None


def test_too_large_is_raised_every_time():
    values = PointValues({x: 10**8})
    for _ in range(2):
        with pytest.raises(TooLarge):
            values.real(sp.exp(x) + 1)
        with pytest.raises(TooLarge):
            values.interval(sp.exp(x) + 1)


def test_refuses_what_real_value_refuses():
    with pytest.raises(TypeError):
        PointValues({"x": 1})
    with pytest.raises(ValueError):
        PointValues(POINT).real(s, 3)
