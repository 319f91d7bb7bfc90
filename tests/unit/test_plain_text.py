"""The registry's prose as plain text (``title_text``, ``source_text``, ``summary_text``)."""

import re

import pytest

from derive.plain_text import plain_text

MARKUP = re.compile(r"[\\${}]")


@pytest.mark.parametrize("latex, text", [
    (r"note 002 ($f' = f(1 - f)$)", "note 002 (f' = f(1 - f))"),
    (r"$dW \mathrel{+}= \frac{\lambda}{m} W$", "dW += λ/m W"),
    (r"$\operatorname{Var}(w) = 1/n^{[l-1]}$", "Var(w) = 1/n^[l-1]"),
    (r"$dZ^{[l]} = dA^{[l]} \odot g^{[l]\prime}(Z^{[l]})$", "dZ^[l] = dA^[l] ⊙ g^[l]′(Z^[l])"),
    (r"\texttt{np.sum(dZ, axis=1)} / m", "np.sum(dZ, axis=1) / m"),
    (r"$\hat\epsilon = \epsilon\sqrt{1-\beta_2^t}$", "ε̂ = ε√(1-β_2^t)"),
    (r"$\frac{a + b}{2}$, $e^{-z}$", "(a + b)/2, e^(-z)"),
    (r"50\% of $x\,y$", "50% of x y"),
    (r"$\unknowncommand{x}$", "unknowncommandx"),
])
def test_plain_text(latex, text):
    assert plain_text(latex) == text


def test_every_registry_entry_reads_as_plain_text(registry):
    for name, d in registry.items():
        for latex, text in ((d.title, d.title_text), (d.source, d.source_text),
                            (d.summary, d.summary_text)):
            assert not MARKUP.search(text), (name, latex, text)
            # Plain text keeps the words: nothing outside math and commands is dropped.
            words = re.findall(r"(?<![\\\w])[A-Za-z]{4,}\b", re.sub(r"\$[^$]*\$", "", latex))
            assert all(w in text for w in words), (name, latex, text)


def test_sigmoid_source_as_in_the_issue(registry):
    d = registry["sigmoid_derivative"]
    assert "$" in d.source  # the report's LaTeX is unchanged
    assert d.source_text == "note 001, Forward Propagation (sigmoid); note 002 (f' = f(1 - f))"
