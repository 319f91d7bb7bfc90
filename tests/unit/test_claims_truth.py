"""Claims written from the truth: each label is confirmed with mpmath, independently of
the checker (the mpmath forms below are written by hand, not derived from SymPy), and
the checker must give every one the right verdict, with no false "holds".

Labels: ``T`` true for every real value (where both sides are defined), ``D`` true only
on a domain (the verdict must state assumptions), ``K`` true with kinks (compared by
one-sided limits), ``F`` false (a counterexample is expected).
"""

import types

import mpmath as mp
import pytest

from verify.claim import check_claim

sig = lambda z: 1 / (1 + mp.exp(-z))             # noqa: E731
relu = lambda z: max(z, 0)                         # noqa: E731
H = lambda z: mp.mpf(1) if z > 0 else mp.mpf(0)    # noqa: E731  (away from 0)
sp_ = lambda z: mp.log(1 + mp.exp(z))             # noqa: E731  softplus

# (claim, label, lhs(x, y), rhs(x, y)): the variables of each claim are x and y (or z),
# passed in the order (x, y) or (z,) as the lambdas take them.
CLAIMS = [
    # true everywhere
    ("diff(sigmoid(z), z) == sigmoid(z)*(1 - sigmoid(z))", "T",
     lambda z: mp.diff(sig, z), lambda z: sig(z) * (1 - sig(z))),
    ("diff(tanh(z), z) == 1 - tanh(z)^2", "T", lambda z: mp.diff(mp.tanh, z),
     lambda z: 1 - mp.tanh(z) ** 2),
    ("tanh(z) == 2 sigmoid(2z) - 1", "T", mp.tanh, lambda z: 2 * sig(2 * z) - 1),
    ("sigmoid(-z) == 1 - sigmoid(z)", "T", lambda z: sig(-z), lambda z: 1 - sig(z)),
    ("softplus(z) - softplus(-z) == z", "T", lambda z: sp_(z) - sp_(-z), lambda z: z),
    ("diff(softplus(z), z) == sigmoid(z)", "T", lambda z: mp.diff(sp_, z), sig),
    ("(x + 1)^2 == x^2 + 2x + 1", "T", lambda x: (x + 1) ** 2, lambda x: x**2 + 2 * x + 1),
    ("2(x + 1) == 2x + 2", "T", lambda x: 2 * (x + 1), lambda x: 2 * x + 2),
    ("(x + y)(x - y) == x^2 - y^2", "T", lambda x, y: (x + y) * (x - y),
     lambda x, y: x**2 - y**2),
    ("e^(x + y) == e^x e^y", "T", lambda x, y: mp.e ** (x + y),
     lambda x, y: mp.e**x * mp.e**y),
    ("diff(e^x, x) == e^x", "T", lambda x: mp.diff(mp.exp, x), mp.exp),
    ("log(exp(x)) == x", "T", lambda x: mp.log(mp.exp(x)), lambda x: x),
    ("logsumexp(x, y) == x + softplus(y - x)", "T",
     lambda x, y: mp.log(mp.exp(x) + mp.exp(y)), lambda x, y: x + sp_(y - x)),
    ("softmax([x, y], 1) == sigmoid(x - y)", "T",
     lambda x, y: mp.exp(x) / (mp.exp(x) + mp.exp(y)), lambda x, y: sig(x - y)),
    ("diff(logsumexp(x, y), x) == softmax([x, y], 1)", "T",
     lambda x, y: mp.diff(lambda t: mp.log(mp.exp(t) + mp.exp(y)), x),
     lambda x, y: mp.exp(x) / (mp.exp(x) + mp.exp(y))),
    ("softmax([x, y], 1) + softmax([x, y], 2) == 1", "T",
     lambda x, y: (mp.exp(x) + mp.exp(y)) / (mp.exp(x) + mp.exp(y)), lambda x, y: 1),
    ("diff(erf(x), x) == 2/sqrt(pi) e^(-x^2)", "T", lambda x: mp.diff(mp.erf, x),
     lambda x: 2 / mp.sqrt(mp.pi) * mp.exp(-x**2)),
    ("erf(-x) == -erf(x)", "T", lambda x: mp.erf(-x), lambda x: -mp.erf(x)),
    ("sin(x)^2 + cos(x)^2 == 1", "T", lambda x: mp.sin(x)**2 + mp.cos(x)**2, lambda x: 1),
    ("cosh(x)^2 - sinh(x)^2 == 1", "T", lambda x: mp.cosh(x)**2 - mp.sinh(x)**2,
     lambda x: 1),
    ("diff(x^3, x, 2) == 6x", "T", lambda x: mp.diff(lambda t: t**3, x, 2), lambda x: 6 * x),
    ("diff((y - x)^2/2, x) == x - y", "T", lambda x, y: mp.diff(lambda t: (y - t)**2 / 2, x),
     lambda x, y: x - y),
    ("exp(2x) == exp(x)^2", "T", lambda x: mp.exp(2 * x), lambda x: mp.exp(x)**2),
    ("sqrt(x^2) == abs(x)", "T", lambda x: mp.sqrt(x**2), abs),
    ("abs(x^3) == abs(x)^3", "K", lambda x: abs(x**3), lambda x: abs(x)**3),
    ("sigmoid(x) == exp(x)/(1 + exp(x))", "T", sig, lambda x: mp.exp(x) / (1 + mp.exp(x))),
    ("log(x, 2) == log(x)/log(2)", "D", lambda x: mp.log(x, 2), lambda x: mp.log(x) / mp.log(2)),
    # true only on a domain
    ("log(a b) == log(a) + log(b)", "D", lambda a, b: mp.log(a * b),
     lambda a, b: mp.log(a) + mp.log(b)),
    ("log(x^2) == 2 log(x)", "D", lambda x: mp.log(x**2), lambda x: 2 * mp.log(x)),
    ("sqrt(x)^2 == x", "D", lambda x: mp.sqrt(x)**2, lambda x: x),
    ("sqrt(a b) == sqrt(a) sqrt(b)", "D", lambda a, b: mp.sqrt(a * b),
     lambda a, b: mp.sqrt(a) * mp.sqrt(b)),
    ("log(a/b) == log(a) - log(b)", "D", lambda a, b: mp.log(a / b),
     lambda a, b: mp.log(a) - mp.log(b)),
    ("exp(log(x)) == x", "D", lambda x: mp.exp(mp.log(x)), lambda x: x),
    ("x/x == 1", "D", lambda x: x / x, lambda x: 1),
    ("log(x^2) == 2 log(abs(x))", "D", lambda x: mp.log(x**2), lambda x: 2 * mp.log(abs(x))),
    ("diff(log(x), x) == 1/x", "D", lambda x: mp.diff(mp.log, x), lambda x: 1 / x),
    # kinks
    ("diff(relu(x), x) == Heaviside(x)", "K", lambda x: mp.diff(relu, x), H),
    ("relu(x) + relu(-x) == abs(x)", "K", lambda x: relu(x) + relu(-x), abs),
    ("relu(x) - relu(-x) == x", "K", lambda x: relu(x) - relu(-x), lambda x: x),
    ("max(x, 0) == relu(x)", "K", lambda x: max(x, 0), relu),
    ("diff(abs(x), x) == sign(x)", "K", lambda x: mp.diff(abs, x), mp.sign),
    ("sign(x)^2 == 1", "K", lambda x: mp.sign(x)**2, lambda x: 1),
    ("diff(relu(x) + min(0, exp(x) - 1), x) == min(1, exp(x))", "K",
     lambda x: mp.diff(lambda t: relu(t) + min(0, mp.exp(t) - 1), x),
     lambda x: min(1, mp.exp(x))),
    ("max(x, 1) + min(x, 1) == x + 1", "K", lambda x: max(x, 1) + min(x, 1),
     lambda x: x + 1),
    ("abs(x) == x sign(x)", "K", abs, lambda x: x * mp.sign(x)),
    ("relu(x) == (x + abs(x))/2", "K", relu, lambda x: (x + abs(x)) / 2),
    ("abs(x y) == abs(x) abs(y)", "K", lambda x, y: abs(x * y), lambda x, y: abs(x) * abs(y)),
    ("sign(x y) == sign(x) sign(y)", "K", lambda x, y: mp.sign(x * y),
     lambda x, y: mp.sign(x) * mp.sign(y)),
    # false
    ("x == x + 10^(-20)", "F", lambda x: x, lambda x: x + mp.mpf(10)**-20),
    ("sigmoid(z) == 1/(1 + exp(-z)) + 10^(-15)", "F", sig,
     lambda z: sig(z) + mp.mpf(10)**-15),
    ("sigmoid(40) == 1", "F", lambda: sig(40), lambda: 1),
    ("Heaviside(x - 7) == 0", "F", lambda x: H(x - 7), lambda x: 0),
    ("diff(sigmoid(z), z) == sigmoid(z)(1 + sigmoid(z))", "F", lambda z: mp.diff(sig, z),
     lambda z: sig(z) * (1 + sig(z))),
    ("tanh(z) == 2 sigmoid(z) - 1", "F", mp.tanh, lambda z: 2 * sig(z) - 1),
    ("sqrt(x^2) == x", "F", lambda x: mp.sqrt(x**2), lambda x: x),
    ("(x + y)^2 == x^2 + y^2", "F", lambda x, y: (x + y)**2, lambda x, y: x**2 + y**2),
    ("relu(x) + relu(-x) == x", "F", lambda x: relu(x) + relu(-x), lambda x: x),
    ("diff(relu(x), x) == Heaviside(-x)", "F", lambda x: mp.diff(relu, x), lambda x: H(-x)),
    ("softplus(z) == log(1 + exp(-z))", "F", sp_, lambda z: mp.log(1 + mp.exp(-z))),
    ("log(x + y) == log(x) + log(y)", "F", lambda x, y: mp.log(x + y),
     lambda x, y: mp.log(x) + mp.log(y)),
    ("exp(x) == 1 + x + x^2/2", "F", mp.exp, lambda x: 1 + x + x**2 / 2),
    ("softmax([x, y], 1) == sigmoid(y - x)", "F",
     lambda x, y: mp.exp(x) / (mp.exp(x) + mp.exp(y)), lambda x, y: sig(y - x)),
    ("erf(x) == tanh(x)", "F", mp.erf, mp.tanh),
    ("diff(x^3, x, 2) == 3x^2", "F", lambda x: mp.diff(lambda t: t**3, x, 2),
     lambda x: 3 * x**2),
    ("x^(1/3) == x", "F", lambda x: mp.cbrt(x), lambda x: x),
    ("max(x, 0) == abs(x)", "F", lambda x: max(x, 0), abs),
    ("sin(x)^2 == 1 - cos(x)", "F", lambda x: mp.sin(x)**2, lambda x: 1 - mp.cos(x)),
    ("log(1 + x) == x", "F", lambda x: mp.log(1 + x), lambda x: x),
    ("exp(-x^2) == exp(-x)^2", "F", lambda x: mp.exp(-x**2), lambda x: mp.exp(-x)**2),
]

# Points where the mpmath forms are checked: off every kink (0, 7), both signs, small
# and large; a D claim is checked where every logarithm and root is real (> 0).
POINTS = [mp.mpf(v) for v in ("0.37", "1.9", "3.3", "12.5", "-0.41", "-2.7", "-11.2",
                              "0.0013", "-0.0021", "150.5")]


def _arity(f):
    # our lambdas say how many variables they take; mpmath's functions take one
    return f.__code__.co_argcount if isinstance(f, types.FunctionType) else 1


def _pairs(label, n):
    pts = [p for p in POINTS if p > 0] if label == "D" else POINTS
    if n == 0:
        return [()]
    if n == 1:
        return [(p,) for p in pts]
    return [(p, q) for p in pts for q in pts[::3]]


def test_sixty_claims_in_four_kinds():
    assert len(CLAIMS) >= 60
    assert {label for _, label, _, _ in CLAIMS} == {"T", "D", "K", "F"}


@pytest.mark.parametrize("claim,label,lhs,rhs", CLAIMS, ids=[c[0] for c in CLAIMS])
def test_label_confirmed_with_mpmath(claim, label, lhs, rhs):
    # 400 digits (cosh(150)^2 cancels 130 of them); a difference above 1e-35 (relative)
    # is real: rounding stays far below it,
    # and the smallest false difference here is 10**-20 (mp.diff is accurate to ~1e-40).
    with mp.workdps(400):
        n = max(_arity(lhs), _arity(rhs))
        gaps = []
        for args in _pairs(label, n):
            left, right = lhs(*args[:_arity(lhs)]), rhs(*args[:_arity(rhs)])
            gaps.append(abs(left - right) / max(1, abs(left), abs(right)))
        if label == "F":
            assert max(gaps) > mp.mpf(10)**-35, claim
        else:
            assert max(gaps) < mp.mpf(10)**-35, claim


@pytest.mark.parametrize("claim,label,lhs,rhs", CLAIMS, ids=[c[0] for c in CLAIMS])
def test_checker_gets_it_right(claim, label, lhs, rhs):
    result = check_claim(claim, budget=20)
    if label == "F":
        assert result.verdict == "wrong", str(result)
        assert result.counterexample is not None
    else:
        assert result.verdict == "holds", str(result)
    if label == "D":
        assert result.assumptions, str(result)          # says where it holds
    if label == "T":
        assert not result.assumptions, str(result)


# True, but beyond the symbolic methods (a kink along x = y): the checker must say
# "not proved", never "holds" without a proof and never "wrong".
BEYOND = ["max(x, y) + min(x, y) == x + y", "max(x, y) == (x + y + abs(x - y))/2"]


@pytest.mark.parametrize("claim", BEYOND)
def test_true_but_unproved_claims_say_not_proved(claim):
    result = check_claim(claim)
    assert result.verdict == "not proved", str(result)
    assert str(result).startswith("not proved: equal at ")
