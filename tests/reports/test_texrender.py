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
