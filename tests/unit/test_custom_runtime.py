"""derive.custom_activation / custom_loss: the runtime objects of a user's formula, their
generated module (standalone: NumPy only), and the refusals (one line each)."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pytest

from custom_formulas import UNHANDLED

from derive import FormulaError, custom_activation, custom_loss
from derive.custom import FormulaWarning


def _work():
    from numeric.workspace import Workspace
    return Workspace()


def test_activation_object_has_the_contract(mish):
    assert (mish.kind, mish.name, mish.formula) == ("activation", "mish", "z*tanh(softplus(z))")
    assert mish.derivation.name == "mish_derivative" and mish.derivation.proof.holds
    assert all(p.holds for p in mish.derivation.extra["step_proofs"])
    assert mish.derivation in mish.derivations and mish.entry.name == "mish"
    assert mish.kinks == () and mish.analytic is True
    Z = np.linspace(-5, 5, 41).reshape(1, -1)
    # the definition evaluated directly (no overflow at |z| <= 5)
    np.testing.assert_allclose(mish.g(Z), Z * np.tanh(np.log1p(np.exp(Z))), rtol=1e-14)
    work = _work()
    for pure, into in ((mish.g, mish.g_into), (mish.g_prime, mish.g_prime_into)):
        out = np.empty_like(Z)
        assert into(Z, out, work) is out
        np.testing.assert_array_equal(out, pure(Z))
    assert mish.g(Z.astype(np.float32)).dtype == np.float32


def test_loss_object_has_the_contract(log_cosh):
    assert (log_cosh.kind, log_cosh.output) == ("loss", "linear")
    rng = np.random.default_rng(0)
    A, Y = rng.normal(size=(2, 7)), rng.normal(size=(2, 7))
    cost = log_cosh.cost(A, Y, 7)
    assert isinstance(float(cost), float)
    np.testing.assert_allclose(cost, np.sum(np.log(np.cosh(A - Y))) / 7, rtol=1e-13)
    np.testing.assert_allclose(log_cosh.dz(A, Y), np.tanh(A - Y), rtol=1e-13)
    out = np.empty_like(A)
    np.testing.assert_array_equal(log_cosh.dz_into(A, Y, out, _work()), log_cosh.dz(A, Y))
    # the naive log(cosh(.)) overflows at 1000; the generated cost does not
    assert np.isfinite(log_cosh.cost(np.array([[1000.0]]), np.array([[0.0]]), 1))
    assert [d.name for d in log_cosh.derivations if d.name.endswith("_stable")]


def test_the_generated_module_imports_with_numpy_only_and_equals_the_object(mish, tmp_path):
    (tmp_path / "mish_generated.py").write_text(mish.source)
    Z = [-1000.0, -3.0, -0.5, 0.0, 0.5, 3.0, 1000.0]
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import numpy\n"
        "import mish_generated as m\n"
        "Z = numpy.array(json.loads(sys.argv[2]))\n"
        "out = numpy.empty_like(Z)\n"
        "m.mish_prime_into(Z, out, m.Workspace())\n"
        "heavy = sorted(k for k in sys.modules if k.split('.')[0] in "
        "('sympy', 'derive', 'numeric', 'jax', 'verify'))\n"
        "print(json.dumps([m.mish(Z).tolist(), m.mish_prime(Z).tolist(), out.tolist(), heavy]))\n")
    # -I: isolated (no PYTHONPATH, no user site): only what is installed, i.e. NumPy
    run = subprocess.run([sys.executable, "-I", "-c", script, str(tmp_path), json.dumps(Z)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    g, g_prime, g_prime_into, heavy = json.loads(run.stdout)
    assert heavy == []
    Z = np.array(Z)
    np.testing.assert_array_equal(g, mish.g(Z))
    np.testing.assert_array_equal(g_prime, mish.g_prime(Z))
    np.testing.assert_array_equal(g_prime_into, mish.g_prime(Z))


def test_kinks_are_stated_with_the_value_taken():
    leaky = custom_activation("leaky", "max(z, 0.1*z)")
    assert leaky.kinks == (0.0,) and leaky.analytic is False
    assert leaky.g_prime(np.array([0.0]))[0] == 1.0
    assert any("generated code takes" in s and "= 1.0" in s for s in leaky.derivation.assumptions)


def test_a_loss_kink_is_a_value_of_a_minus_y_and_stated():
    pinball = custom_loss("pinball", "max(0.3*(y - a), -0.7*(y - a))")
    assert pinball.kinks == (0.0,) and pinball.analytic is False
    (said,) = pinball.derivation.assumptions
    assert "$a = y$" in said and "= -0.3$" in said
    # below the label the slope is -0.3 (the first case at the tie), above it 0.7
    np.testing.assert_allclose(pinball.dz(np.array([-1.0, 0.0, 1.0]), np.zeros(3)),
                               [-0.3, -0.3, 0.7], rtol=1e-15)


@pytest.mark.parametrize("formula, words", [
    ("log(z)", "undefined or not continuous"),
    ("1/z", "undefined or not continuous"),
    ("sqrt(z)", "not real where z < 0"),
    ("sqrt(abs(z))", "no finite derivative at its kink z = 0"),
    ("z*erf(z)", "erf"),
    ("z.real", "accepted:"),
    ("foo(z)", "accepted:"),
])
def test_formulas_without_a_safe_derivative_are_refused_in_one_line(formula, words):
    with pytest.raises(FormulaError) as info:
        custom_activation("bad", formula)
    message = str(info.value)
    assert "\n" not in message and words in message and "accepted:" in message


def test_a_value_beyond_floating_point_is_a_warning_not_a_refusal():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        grow = custom_activation("grow", "exp(z)")
    assert any(issubclass(w.category, FormulaWarning) and "exceeds floating point" in
               str(w.message) for w in caught)
    assert grow.g(np.array([1.0]))[0] == pytest.approx(np.e)


def test_the_work_is_bounded_in_time():
    with pytest.raises(FormulaError, match="took more than"):
        custom_activation("slow", "z*tanh(softplus(z)) + z", seconds=1e-3)


@pytest.mark.parametrize("kind, formula, why, words",
                         UNHANDLED, ids=[row[1] for row in UNHANDLED])
def test_the_formulas_derive_cannot_handle_are_refused_saying_why(kind, formula, why, words):
    make = custom_activation if kind == "activation" else custom_loss
    with pytest.raises(FormulaError) as info:
        make("unhandled", formula)
    message = str(info.value)
    assert "\n" not in message and words in message, message


def test_a_naive_form_that_overflows_is_generated_through_its_proved_stable_form():
    from derive.stepwise.stable import overflow_points
    from derive.symbols import z
    naive = custom_activation("softplus_naive", "log(1 + exp(z))")
    assert overflow_points(naive.entry.definition, z)          # as written: inf at 1000
    (stable,) = [d for d in naive.derivations if d.name == "softplus_naive_stable"]
    assert stable.proof.holds and "softplus_naive_stable" in naive.source
    Z = np.array([-1000.0, 0.0, 1000.0])
    np.testing.assert_allclose(naive.g(Z), [0.0, np.log(2.0), 1000.0], rtol=1e-15)
