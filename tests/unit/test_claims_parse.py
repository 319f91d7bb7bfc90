"""The whitelist parser: what it builds, and the hostile strings it refuses."""

import pytest
import sympy as sp

from derive.claims.parse import (MAX_LENGTH, ClaimSyntaxError, parse_claim,
                                 parse_expression, symbol)

z, a, b = symbol("z"), symbol("a"), symbol("b")


def test_builds_sympy_from_names_numbers_and_calls():
    assert parse_expression("2*a + b**2 - 1/4") == 2 * a + b**2 - sp.Rational(1, 4)
    assert parse_expression("exp(-z)") == sp.exp(-z)
    assert parse_expression("0.1") == sp.Rational(1, 10)       # decimal floats stay exact
    assert parse_expression("pi") == sp.pi


def test_the_notation_people_type():
    x, y = symbol("x"), symbol("y")
    assert parse_expression("x^2 + 2x + 2(x + 1)") == x**2 + 4 * x + 2
    assert parse_expression("(x + 1)(x - 1)") == (x + 1) * (x - 1)
    assert parse_expression("x y") == x * y
    assert parse_expression("e^x") == sp.exp(x)
    assert parse_expression("log(x, 2)") == sp.log(x) / sp.log(2)
    assert parse_expression("logsumexp(x, y)") == sp.log(sp.exp(x) + sp.exp(y))
    assert parse_expression("softmax([x, y], 2)") == sp.exp(y) / (sp.exp(x) + sp.exp(y))
    assert parse_expression("erf(x)") == sp.erf(x)
    # decimal numbers are exact, however small: Python's float would make 1e-400 zero
    assert parse_expression("1e-400") == sp.Rational(1, 10**400)
    assert parse_expression("2.5x") == sp.Rational(5, 2) * x


def test_domain_conditions_are_recorded():
    x = symbol("x")
    found = []
    assert parse_expression("sqrt(x)^2", requires=found) == x     # SymPy drops the root
    assert (x, ">=0") in found
    found = []
    parse_claim("log(x) == 1/x", requires=found)
    assert (x, ">0", "left") in found and (x, "!=0", "right") in found


def test_sigmoid_and_diff():
    lhs, rhs = parse_claim("diff(sigmoid(z), z) == sigmoid(z)*(1 - sigmoid(z))")
    assert sp.simplify(lhs - rhs) == 0


HOSTILE = [
    "__import__('os').system('echo pwned')",      # dunder call
    "().__class__.__bases__[0].__subclasses__()",  # the classic escape
    "a.real",                                      # attribute
    "exp.__globals__",                             # attribute of a whitelisted name
    "__builtins__",                                # dunder name
    "_secret + 1",                                 # private name
    "lambda: 1",                                   # lambda
    "[x for x in (1, 2)]",                         # comprehension
    "(x for x in (1, 2))",                         # generator
    "a if b else z",                               # conditional
    "a and b",                                     # boolean operators
    "not a",                                       # unary not
    "~a",                                          # invert
    "a // b",                                      # floor division
    "a % b",                                       # modulo
    "a << 2",                                      # shift
    "a @ b",                                       # matmul
    "'text'",                                      # string constant
    "b'bytes'",                                    # bytes constant
    "True",                                        # bool constant
    "None",                                        # None
    "1j",                                          # complex constant
    "...",                                         # Ellipsis
    "a[0]",                                        # subscript
    "[1, 2]",                                      # list
    "(1, 2)",                                      # tuple
    "{1: 2}",                                      # dict
    "{1}",                                         # set
    "f'{a}'",                                      # f-string
    "(y := 3)",                                    # walrus
    "import os",                                   # statement
    "a = 1",                                       # assignment
    "a; b",                                        # two statements
    "eval('1')",                                   # non-whitelisted function
    "open('/etc/passwd')",                         # file access
    "getattr(a, 'real')",                          # getattr
    "exp(x=1)",                                    # keyword argument
    "exp(*a)",                                     # starred
    "(lambda: 1)()",                               # call of a lambda
    "x^^2",                                        # not a formula
    "|x|",                                         # bars: written abs(x)
    "f'(x)",                                       # a prime: written diff(f, x)
    "x(y)",                                        # a name is not a function
    "softmax(z1, z2)",                             # softmax without a component
    "softmax([z1, z2], 3)",                        # component out of range
    "exp([a, b])",                                 # a list where a number is needed
    "[a, b]",                                      # a list alone
    "((x**64)**64)**2",                            # merged powers past the limit
    "2**exp(exp(exp(1000)))",                      # an exponent too large to compute
    "1e-999999999",                                # a decimal exponent out of range
    "x\u00b2",                                     # a superscript: written x^2
    "\u03c0",                                      # a Greek letter: written pi
    "10**10**10",                                  # huge exponent
    "2**2**2**2**2",                               # tower
    "(10**30)**64",                                # huge power
    "diff(z, z, 1000000)",                         # huge derivative order
    "diff(z, 2*z)",                                # derivative w.r.t. an expression
    "exp",                                         # bare function name
    "a < b",                                       # comparison in an expression
    "(" * 300 + "a" + ")" * 300,                   # deep nesting
    "-" * 1500 + "a",                              # deep unary chain
    "a+" * 1200 + "a",                             # too long
    "",                                            # empty
    "9" * 40,                                      # integer too large
    "1/0",                                         # division by zero
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_are_refused(text):
    with pytest.raises(ClaimSyntaxError) as info:
        parse_expression(text)
    assert str(info.value)          # a message that says what is wrong


def test_at_least_twenty_hostile_strings():
    assert len(HOSTILE) >= 20


def test_messages_name_the_construct():
    for text, word in [("a.b", "attribute"), ("lambda: 1", "lambda"), ("a[0]", "subscript"),
                       ("eval('1')", "not allowed"), ("a" * (MAX_LENGTH + 1), "too long"),
                       ("10**10**10", "exponent")]:
        with pytest.raises(ClaimSyntaxError, match=word):
            parse_expression(text)


def test_claims_need_exactly_one_top_level_equality():
    for text in ["a + b", "a == b == z", "a < b", "a != b", "(a == b) + 1"]:
        with pytest.raises(ClaimSyntaxError):
            parse_claim(text)


def test_nothing_runs_while_parsing(tmp_path, monkeypatch):
    # If anything were evaluated, this would create a file.
    target = tmp_path / "pwned"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ClaimSyntaxError):
        parse_claim(f"open('{target}', 'w') == 1")
    assert not target.exists()
