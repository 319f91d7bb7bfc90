"""Reading the report's LaTeX back: MathML for the web page, Unicode for the terminal."""

import pytest

from derive.texmath import TexError, parse_math
from derive.texrender import math_html, math_plain, text_html, text_plain


@pytest.mark.parametrize("tex, plain", [
    (r"\frac{\partial J}{\partial W^{[l]}} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}",
     "∂J/∂W^[l] = (1/m) dZ^[l] A^([l-1]T)"),
    (r"\sigma(z)\left(1 - \sigma(z)\right)", "σ(z)(1 - σ(z))"),
    (r"g'^{[l-1]}(Z^{[l-1]})", "g′^[l-1](Z^[l-1])"),
    (r"\frac14", "1/4"),
    (r"x^{2} + \mathbb{E}\left[X\right]", "x² + 𝔼[X]"),
    (r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}", "[a, b; c, d]"),
])
def test_plain_text(tex, plain):
    assert math_plain(tex) == plain


def test_mathml_structure():
    ml = math_html(r"\frac{a}{b} - \sqrt{x_1^2}", display=True)
    assert ml.startswith('<math display="block">') and ml.endswith("</math>")
    assert "<mfrac><mi>a</mi><mi>b</mi></mfrac>" in ml
    assert "<msqrt><msubsup><mi>x</mi><mn>1</mn><mn>2</mn></msubsup></msqrt>" in ml
    assert "<mo>\u2212</mo>" in ml  # a minus sign, not a hyphen


def test_text_with_inline_math_and_code():
    html = text_html(r"the \emph{cost} $J < 1$ of \texttt{keep\_prob} & more")
    assert "<em>cost</em>" in html and "<code>keep_prob</code>" in html
    assert "<math><mi>J</mi><mo>&lt;</mo><mn>1</mn></math>" in html.replace("<mrow>", "").replace("</mrow>", "")
    assert text_plain(r"``quoted'' -- and $\alpha$") == "“quoted” – and α"


@pytest.mark.parametrize("bad", [r"\frac{a}{b", r"\left( x", r"x}", r"\begin{matrix} a",
                                 "{" * 300 + "}" * 300, "x" * 300_000])
def test_malformed_or_oversized_input_is_a_clear_error(bad):
    with pytest.raises(TexError):
        parse_math(bad)


# ---------------------------------------------------------------- what a browser draws
# One check per fault a reviewer saw in the page rendered by Chromium.

_HUG = 'lspace="0" rspace="0"'


def test_integral_and_sum_limits_belong_to_the_operator():
    ml = math_html(r"\int\limits_{0}^{\infty} t^2 \, dt")
    assert ('<munderover><mo largeop="true" movablelimits="false">∫</mo>'
            "<mn>0</mn><mi>∞</mi></munderover>") in ml
    assert "<mo>_</mo>" not in ml
    # without \limits an integral's limits go to its side, a sum's under and over
    assert ('<msubsup><mo largeop="true" movablelimits="true">∫</mo><mi>a</mi><mi>b</mi>'
            "</msubsup>") in math_html(r"\int_a^b x")
    assert "<munderover><mo largeop=\"true\" movablelimits=\"false\">∑</mo>" in math_html(
        r"\sum\limits_{k=1}^{n} k")
    assert "<munder><mo largeop=\"true\" movablelimits=\"true\">∏</mo>" in math_html(
        r"\prod_{k} x_k")
    assert math_plain(r"\int\limits_{0}^{\infty} t") == "∫₀^∞ t"


def test_mathrel_plus_equals_is_one_operator():
    ml = math_html(r"dW \mathrel{+}= x")
    assert "<mo>+=</mo>" in ml and "<mo>+</mo>" not in ml
    assert math_plain(r"dW \mathrel{+}= \frac{\lambda}{m} W") == "dW += (λ/m) W"


def test_prime_is_drawn_at_the_letters_size_also_in_a_subscript():
    assert math_html(r"\sigma'(z)").startswith(
        f'<math><mrow><mrow><mi>σ</mi><mo {_HUG}>′</mo></mrow>')
    assert f"<msub><mi>δ</mi><mrow><mi>j</mi><mrow><mi>j</mi><mo {_HUG}>′</mo></mrow>" in (
        math_html(r"\delta_{jj'}"))
    ml = math_html(r"g'^{[l]}")
    assert ml.startswith(f"<math><msup><mrow><mi>g</mi><mo {_HUG}>′</mo></mrow><mrow>")
    assert "<msup><mi>σ</mi>" not in math_html(r"\sigma'") and "<msup>" not in math_html("k'")
    assert math_html(r"g^{[l]\prime}").endswith(f"</mrow></msup><mo {_HUG}>′</mo></mrow></math>")
    assert math_html(r"f^{\prime\prime}") == f"<math><mrow><mi>f</mi><mo {_HUG}>′′</mo></mrow></math>"


def test_left_right_brackets_hug_their_contents():
    ml = math_html(r"\tanh\left(z\right)")
    assert f'<mo fence="true" stretchy="false" form="prefix" {_HUG}>(</mo><mi>z</mi>' in ml
    assert f'<mo fence="true" stretchy="false" form="postfix" {_HUG}>)</mo>' in ml
    # around a fraction the bracket grows, still with no space inside
    assert f'<mo fence="true" stretchy="true" form="prefix" {_HUG}>(</mo><mfrac>' in (
        math_html(r"\left(\frac{a}{b}\right)"))


def test_functions_are_spaced_from_the_factor_before_them():
    assert '<mi>y</mi><mspace width="0.17em"/><mi>log</mi><mspace width="0.17em"/><mi>a</mi>' in (
        math_html(r"-y\log a"))
    assert '</msub><mspace width="0.17em"/><mi>log</mi>' in math_html(r"y_k\log p_k")
    assert (f'<mi>a</mi><mspace width="0.17em"/><mo movablelimits="true" {_HUG}>max</mo>'
            f'<mo stretchy="false" {_HUG}>(</mo>') in math_html(r"a\max(z, 0)")
    # after an operator or an opening bracket, no extra space
    assert "(</mo><mi>log</mi>" in math_html(r"(\log a)")
    assert "<mo>+</mo><mi>log</mi>" in math_html(r"b + \log a")
    assert ('<msub><mi mathvariant="normal">arg\u2009min</mi><mi>x</mi></msub>'
            '<mspace width="0.17em"/><mi>f</mi>') in math_html(r"\operatorname{arg\,min}_x f(x)")
    # and none between a function and its bracketed argument, SymPy's \tanh{\left(z\right)}
    assert "<mi>tanh</mi><mrow><mo fence" in math_html(r"\tanh{\left(z \right)}")


def test_slash_is_not_spaced_as_a_binary_operator():
    assert f"<mn>1</mn><mo {_HUG}>/</mo><mi>m</mi>" in math_html("1/m")


def test_absolute_value_bars_hug():
    ml = math_html(r"\alpha |dW| / (|dW| + \epsilon)")
    assert ml.count(f'<mo stretchy="false" {_HUG}>|</mo>') == 4
    assert f'<mo fence="true" stretchy="false" form="prefix" {_HUG}>|</mo>' in math_html(
        r"\left| x \right|")


def test_sign_after_a_bracket_is_not_a_binary_minus():
    ml = math_html(r"(-c, c) - x")
    assert f'(</mo><mo form="prefix" {_HUG}>−</mo><mi>c</mi>' in ml
    assert "</mo><mo>−</mo><mi>x</mi>" in ml  # the binary minus keeps its spaces


def test_transposed_bracket_in_a_superscript_is_one_superscript():
    ml = math_html(r"W^{[l]^T} dZ")
    assert ml.count("<msup>") == 1
    assert f'<mi>l</mi><mo stretchy="false" {_HUG}>]</mo><mi>T</mi></mrow></msup>' in ml
    assert math_html(r"e^{x^2}").count("<msup>") == 2  # a power of a power stays one


def test_vector_arrow_is_a_small_accent():
    assert math_html(r"\sigma(\vec{z})") == (
        f'<math><mrow><mi>σ</mi><mo stretchy="false" {_HUG}>(</mo><mover accent="true"><mi>z</mi>'
        f'<mo stretchy="false" mathsize="70%">→</mo></mover><mo stretchy="false" {_HUG}>)</mo>'
        "</mrow></math>")


def test_derivation_steps_align_their_equals_signs():
    from derive.report_html import _steps
    html = _steps([("a", r"b + c", "first"), ("", r"\frac{d}{2}", "second")])
    rows = html.split("<tr>")[1:]
    assert len(rows) == 2
    for row in rows:  # left side, '=' and right side in three cells
        assert '<td class="lhs">' in row and '<td class="rhs">' in row
        assert '<td class="eq"><math><mo>=</mo></math></td>' in row
    assert '<td class="lhs"></td>' in rows[1]
    assert '<td class="rhs"><math><mfrac>' in rows[1]
