"""The handout's printer: word-named functions upright in g(z) and g'(z) alike, and
terminating decimals as decimals (0.044715, not 8943/200000)."""

import sympy as sp

from derive.latex import to_latex
from derive.symbols import z


def test_a_word_named_function_is_one_upright_name_in_g_and_in_g_prime():
    f = sp.Function("log_cosh", real=True)
    assert to_latex(f(z)) == r"\operatorname{log\_cosh}(z)"
    assert to_latex(sp.Derivative(f(z), z)) == r"\operatorname{log\_cosh}'\left(z\right)"
    assert to_latex(f(z) ** 2) == r"\operatorname{log\_cosh}^{2}(z)"


def test_one_letter_names_keep_their_subscripts():
    assert to_latex(sp.Function("f_z")(z)) == r"f_{z}{\left(z \right)}"
    assert to_latex(sp.Function("J")(z)) == r"J{\left(z \right)}"


def test_terminating_decimals_with_large_denominators_print_as_decimals():
    c = sp.Rational(8943, 200000)  # 0.044715, as the parser reads it
    assert to_latex(c) == "0.044715"
    assert to_latex(c * z**3 + z) == "0.044715 z^{3} + z"
    assert to_latex(-c * z) == "- 0.044715 z"


def test_fractions_a_textbook_writes_stay_fractions():
    assert to_latex(sp.Rational(1, 2) * z) == r"\frac{z}{2}"
    assert to_latex(sp.Rational(319, 400)) == r"\frac{319}{400}"
    assert to_latex(sp.Rational(1, 3000)) == r"\frac{1}{3000}"   # does not terminate
    # too many digits to read as a decimal: 1/2^70 keeps its fraction
    assert to_latex(sp.Rational(1, 2**70)).startswith(r"\frac{1}{")


def test_a_number_before_an_indicator_is_not_read_as_one_number():
    assert to_latex(9 * sp.Heaviside(-z, 0)) == r"9 \cdot \mathbf{1}[z < 0]"


def test_an_indicator_of_a_negated_argument_reads_as_the_other_side():
    assert to_latex(sp.Heaviside(1 - z, 0)) == r"\mathbf{1}[z - 1 < 0]"
    assert to_latex(sp.Heaviside(-z, 1)) == r"\mathbf{1}[z \leq 0]"
    assert to_latex(sp.Heaviside(z - 1, 0)) == r"\mathbf{1}[z - 1 > 0]"


def test_the_web_page_shows_a_word_name_with_its_underscore_as_one_upright_name():
    from derive.texrender import math_html

    html = math_html(to_latex(sp.Function("leaky_tenth")(z)))
    assert '<mi mathvariant="normal">leaky_tenth</mi>' in html
