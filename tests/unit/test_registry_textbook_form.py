"""Issue 10: every derivation reads like a textbook, checked for all of them at once.

The boxed result is the last step; captions name the rule, not a SymPy function; the
general results are general (no K = 3 vector, no 2 x 3 matrix, no y_3); the layer
index is written the same way everywhere.
"""

import re

import pytest
import sympy as sp

from derive.latex import to_latex

# The results the issue names as general (any K, any L, any m, any layer l).
GENERAL = ["softmax_jacobian", "softmax_cross_entropy_dz", "log_softmax_stable",
           "mse_derivative", "bce_cost", "l2_cost", "l2_gradient", "dropout_backward",
           "zero_init_symmetry", "adam_bias_correction"]

# Names of SymPy functions and modules that have no place in a caption: a reader needs
# the rule (chain rule, quotient rule, geometric series, ...), not the call.
# ("cancel" or "expand" as English verbs are fine; in parentheses they name a call.)
SYMPY_WORDS = re.compile(
    r"\bsp\.|sympy|\\texttt|\bdiff\b|\brsolve\b|\bsolveset\b|\blambdify\b|\bdoit\b"
    r"|\bsubs\b|\\?_ema\b|\((summation|simplify|expand|cancel|integrate|solve)\)",
    re.IGNORECASE)

# An index written after the layer superscript, {w^{[l]}}_{j,k}, where the handout
# stacks them, w^{[l]}_{j,k}.
INDEX_AFTER_SUPERSCRIPT = re.compile(r"\^\{\[[^\]]*\]\}\}_")


def test_boxed_result_is_the_last_step(registry):
    for name, d in registry.items():
        last = d.steps[-1].rhs
        result = d.result.rhs
        if isinstance(result, sp.MatrixBase):
            result, last = sp.ImmutableMatrix(result), sp.ImmutableMatrix(last)
        assert result == last, name
        assert to_latex(d.result.rhs) == to_latex(d.steps[-1].rhs), name


def test_captions_name_rules_not_sympy_functions(registry):
    for name, d in registry.items():
        for step in d.steps:
            assert not SYMPY_WORDS.search(step.caption), (name, step.caption)


@pytest.mark.parametrize("name", GENERAL)
def test_general_results_are_not_small_instances(registry, name):
    d = registry[name]
    rhs = d.result.rhs
    # no explicit vector or matrix of a small size (zero-init's result is the column of
    # the three differences, each 0)
    if isinstance(rhs, sp.MatrixBase):
        assert name == "zero_init_symmetry" and rhs == sp.zeros(3, 1)
    shown = " ".join(to_latex(x) for x in (d.result.lhs, rhs, *(e.lhs for e in d.definition),
                                           *(e.rhs for e in d.definition)))
    for instance in ("y_{3}", "z_{3}", "p_{3}", "_{1,1}", "_{2,3}", "^{[1]}", "^{[2]}",
                     "a^{(1)}", "a^{(3)}"):
        assert instance not in shown, (name, instance)
    # something general: a sum of symbolic length, an index, or a matrix of symbolic size
    general = (rhs.has(sp.Sum) or rhs.atoms(sp.Indexed)
               or (isinstance(rhs, sp.MatrixExpr) and not rhs.shape[0].is_Integer))
    assert general or name == "zero_init_symmetry", name


def test_no_general_definition_fixes_a_label(registry):
    # "y_3 = 1 - y_1 - y_2" belonged to one size K; the assumption sum_k y_k = 1 is
    # stated in the Assumptions block instead.
    for name, d in registry.items():
        for eq in d.definition:
            assert "y_{3}" not in to_latex(eq.lhs), name


def test_assumptions_are_stated_where_captions_rely_on_them(registry):
    for name, d in registry.items():
        if any("assum" in step.caption.lower() for step in d.steps):
            assert d.assumptions, name


def _all_latex(d):
    exprs = [d.result.lhs, d.result.rhs, d.textbook.lhs, d.textbook.rhs]
    exprs += [x for e in d.definition for x in (e.lhs, e.rhs)]
    exprs += [x for s in d.steps for x in (s.lhs, s.rhs) if x is not None]
    texts = [to_latex(x) for x in exprs]
    texts += [d.summary, *d.assumptions, *d.remarks, *(s.caption for s in d.steps)]
    return texts


def test_layer_index_and_entry_index_are_stacked_everywhere(registry):
    for name, d in registry.items():
        for text in _all_latex(d):
            assert not INDEX_AFTER_SUPERSCRIPT.search(text), (name, text)


def test_every_displayed_step_is_an_equality(registry):
    # "= rhs" lines equal the line above at random points, where both can be evaluated
    # (verify.steps_check); lines in index notation are read, and proved by the proof.
    from verify.steps_check import displayed_step_gaps

    gaps = {name: displayed_step_gaps(d) for name, d in registry.items()}
    assert {name: g for name, g in gaps.items() if g} == {}
