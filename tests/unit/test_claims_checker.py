"""The claim checker on identities of our own: half true, half subtly false."""

import pytest

from verify.claim import check_claim

TRUE = [
    "diff(sigmoid(z), z) == sigmoid(z)*(1 - sigmoid(z))",
    "diff(tanh(z), z) == 1 - tanh(z)**2",
    "diff(log(1 + exp(z)), z) == sigmoid(z)",
    "sigmoid(-z) == 1 - sigmoid(z)",
    "tanh(z) == 2*sigmoid(2*z) - 1",
    "diff(-(y*log(sigmoid(z)) + (1 - y)*log(1 - sigmoid(z))), z) == sigmoid(z) - y",
    "diff(-(y*log(a) + (1 - y)*log(1 - a)), a) == (a - y)/(a*(1 - a))",
    "diff((y - a)**2/2, a) == a - y",
    "diff(lam/(2*m)*w**2, w) == lam/m*w",
    "diff(exp(z1)/(exp(z1) + exp(z2)), z2) == -exp(z1)*exp(z2)/(exp(z1) + exp(z2))**2",
    "diff(exp(z1)/(exp(z1) + exp(z2)), z1) == "
    "exp(z1)/(exp(z1) + exp(z2))*(1 - exp(z1)/(exp(z1) + exp(z2)))",
    "diff(relu(z), z) == Heaviside(z)",
    "relu(z) - relu(-z) == z",
    "diff(w*h + b, w) == h",
    "(1 - b1)*g/(1 - b1) == g",
    "beta*(beta*0 + (1 - beta)*g1) + (1 - beta)*g2 == (1 - beta)*(beta*g1 + g2)",
    "softplus(z) - softplus(-z) == z",
]

FALSE = [
    "diff(sigmoid(z), z) == sigmoid(z)*(1 + sigmoid(z))",              # a sign
    "diff(tanh(z), z) == 1 + tanh(z)**2",                               # a sign
    "diff(log(1 + exp(z)), z) == sigmoid(-z)",                          # a sign inside
    "sigmoid(-z) == sigmoid(z) - 1",                                    # a sign
    "tanh(z) == 2*sigmoid(z) - 1",                                      # a factor
    "diff(-(y*log(sigmoid(z)) + (1 - y)*log(1 - sigmoid(z))), z) == y - sigmoid(z)",  # sign
    "diff(-(y*log(a) + (1 - y)*log(1 - a)), a) == (a - y)/(a*(1 + a))",  # a sign
    "diff((y - a)**2/2, a) == y - a",                                   # a sign
    "diff(lam/(2*m)*w**2, w) == lam/(2*m)*w",                           # a factor
    "diff(exp(z1)/(exp(z1) + exp(z2)), z2) == exp(z1)*exp(z2)/(exp(z1) + exp(z2))**2",  # delta_ij
    "diff(exp(z1)/(exp(z1) + exp(z2)), z1) == "
    "exp(z2)/(exp(z1) + exp(z2))*(1 - exp(z1)/(exp(z1) + exp(z2)))",   # an index
    "diff(relu(z), z) == Heaviside(-z)",                                # a sign
    "relu(z) + relu(-z) == z",                                          # abs, not z
    "diff(w*h + b, w) == w",                                            # an index (transpose)
    "(1 - b1)*g/(1 - b2) == g",                                         # an index
    "beta*(beta*0 + (1 - beta)*g1) + (1 - beta)*g2 == (1 - beta)*(g1 + beta*g2)",  # order
    "softplus(z) - softplus(-z) == -z",                                 # a sign
]


def test_half_and_half_and_at_least_thirty():
    assert len(TRUE) + len(FALSE) >= 30
    assert len(TRUE) == len(FALSE)


@pytest.mark.parametrize("claim", TRUE)
def test_true_identities_hold(claim):
    result = check_claim(claim)
    assert result.verdict == "holds", str(result)


@pytest.mark.parametrize("claim", FALSE)
def test_false_identities_are_wrong_with_a_counterexample(claim):
    result = check_claim(claim)
    assert result.verdict == "wrong", str(result)
    cx = result.counterexample
    assert cx is not None and cx.inputs and cx.written != cx.correct


def test_two_argument_form_and_sympy_input():
    import sympy as sp
    z = sp.Symbol("z", real=True)
    assert check_claim("diff(sigmoid(z), z)", "sigmoid(z)*(1 - sigmoid(z))").holds
    assert check_claim(sp.exp(2 * z), sp.exp(z) ** 2).holds
    assert not check_claim("1/1 + exp(-z)", "sigmoid(z)").holds


def test_counterexample_is_a_readable_point():
    result = check_claim("1/1 + exp(-z) == sigmoid(z)")
    assert result.counterexample.inputs == (("z", "0"),)
    assert (result.counterexample.written, result.counterexample.correct) == ("2", r"\frac{1}{2}")
    assert "z = 0" in str(result)
