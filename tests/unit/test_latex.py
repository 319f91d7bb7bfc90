"""The handout printer writes textbook notation, never raw SymPy names."""

import sympy as sp

from derive.latex import to_latex
from derive.symbols import logaddexp, sigma, z


def test_heaviside_with_value_zero_at_zero_is_an_indicator():
    assert to_latex(sp.Heaviside(z, 0)) == r"\mathbf{1}[z > 0]"
    assert "H(z)" in to_latex(sp.Heaviside(z))


def test_indicator_piecewise_is_printed_as_indicator():
    tex = to_latex(sp.Piecewise((1, z > 0), (0, True)))
    assert tex == r"\mathbf{1}[z > 0]"


def test_display_functions_use_the_notes_names():
    tex = to_latex(sigma(z) * (1 - sigma(z)))
    assert r"\sigma" in tex and "sigma" not in tex.replace(r"\sigma", "")


def test_logaddexp_is_written_as_a_log_of_a_sum():
    assert "logaddexp" not in to_latex(logaddexp(0, -z))
