"""A user's formula becomes a catalog entry through the whitelist parser (derive.custom)."""

import pytest

from derive.catalog._build import hidden_derivations, loss_derivations
from derive.custom import FormulaError, activation_entry, loss_entry, split_assignment
from derive.symbols import sigma, softplus, z


def test_mish_keeps_the_course_functions_and_derives_with_proved_steps():
    entry = activation_entry(*split_assignment("mish=z*tanh(softplus(z))"))
    assert entry.definition.has(softplus) and entry.definition.has(z)
    derivative = [d for d in hidden_derivations(entry) if d.name == "mish_derivative"][0]
    assert derivative.proof.holds
    assert derivative.result.rhs.has(sigma)        # softplus' = sigma, not its expansion


def test_a_loss_of_a_and_y_derives():
    entry = loss_entry("log_cosh", "log(cosh(a - y))")
    assert all(d.proof.holds for d in loss_derivations(entry))


@pytest.mark.parametrize("text", ["mish", "=z", "relu=z", "Mish=z", "x.y=z", "a" * 41 + "=z",
                                  "class=z", "mish==z"])
def test_bad_assignments_are_refused_in_one_line(text):
    with pytest.raises(FormulaError) as info:
        split_assignment(text)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("formula", ["", "z.real", "__import__('os')", "foo(z)", "z**10**10",
                                     "diff(z, z)", "a + 1", "1", "exp(", "lambda: 1"])
def test_bad_formulas_are_refused_in_one_line_naming_what_is_accepted(formula):
    with pytest.raises(FormulaError) as info:
        activation_entry("bad", formula)
    message = str(info.value)
    assert "\n" not in message and "accepted:" in message
