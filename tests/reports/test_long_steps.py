"""A long step of the handout is broken into lines before the terms of its outermost
sum (derive.report._sum_lines): each line is shrunk less, and no bracket is split."""

from derive.report import _steps_block, _sum_lines


def test_a_short_right_side_is_one_line():
    assert _sum_lines(r"\frac{a + b}{2} + c") == [r"\frac{a + b}{2} + c"]


def test_a_long_sum_breaks_only_between_its_outer_terms():
    inner = r"\left(" + " + ".join(f"x_{{{k}}}" for k in range(60)) + r"\right)"
    tex = rf"\frac{{{inner}}}{{2}} - {inner} + \begin{{cases}} a + b & z > 0 \\ c & \text{{otherwise}} \end{{cases}} + 1"
    lines = _sum_lines(tex, limit=200)
    assert len(lines) > 1 and lines[0].startswith(r"\frac")
    assert all(line.startswith(("+ ", "- ")) for line in lines[1:])
    assert " ".join(lines) == tex  # nothing lost, only broken at spaces
    for line in lines:  # every bracket, \left/\right and environment closes on its line
        assert line.count("{") == line.count("}") and line.count(r"\left") == line.count(r"\right")
        assert line.count(r"\begin") == line.count(r"\end")


def test_the_steps_block_puts_each_line_in_its_own_box():
    long = " + ".join(rf"\frac{{z^{{{k}}}}}{{{k + 1}}}" for k in range(30))
    block = _steps_block([("g'(z)", long, "linearity")])
    assert block.count(r"\fitto{0.92\linewidth}") == len(_sum_lines(long)) > 1
    assert r"\fitto{0.92\linewidth}{\qquad + " in block


def test_a_long_result_is_stacked_in_its_box_and_a_short_one_is_not():
    from derive.report import _display_lines

    assert _display_lines("g = a + b") == r"\fitto{0.9\linewidth}{g = a + b}"
    long = "g = " + " + ".join(rf"\frac{{z^{{{k}}}}}{{{k + 1}}}" for k in range(30))
    stacked = _display_lines(long)
    assert stacked.startswith(r"\begin{array}{@{}l@{}}\fitto{0.88\linewidth}{g = ")
    assert stacked.count(r"\fitto") == len(_sum_lines(long)) > 1
