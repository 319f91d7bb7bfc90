"""``python -m derive report --activation/--loss``: a user's own components in the
handout, through the catalog's path (Registry -> section_text -> render_tex), and their
refusals as one line with exit code 2."""

import subprocess
import sys
from pathlib import Path

import pytest

from derive import custom_activation, custom_loss
from derive.registry import CUSTOM_SOURCE, Registry

ROOT = Path(__file__).resolve().parents[2]
MISH = "mish=z*tanh(softplus(z))"
LOG_COSH = "log_cosh=log(cosh(a - y))"


@pytest.fixture(scope="module")
def custom_registry():
    # no hand-written modules, no catalog: only the user's components (fast)
    return Registry(modules=(), catalog=False,
                    custom=(custom_activation("mish", "z*tanh(softplus(z))"),
                            custom_activation("gelu2", "0.5*z*(1 + tanh(0.7978845608*(z + "
                                                       "0.044715*z^3)))"),
                            custom_loss("log_cosh", "log(cosh(a - y))")))


def test_custom_components_bring_their_own_records_under_their_own_topic(custom_registry):
    names = list(custom_registry)
    mine = [d.name for c in custom_registry.custom for d in c.derivations]
    assert names == mine and "mish_derivative" in names and "log_cosh_derivative" in names
    assert {custom_registry.topic_of(n) for n in names} == {"custom"}
    mish = custom_registry["mish_derivative"]
    built = custom_registry.custom[0].derivation
    # the component's record, relabelled with its true source only
    assert (mish.steps, mish.result, mish.proof) == (built.steps, built.result, built.proof)
    assert mish.source == CUSTOM_SOURCE and "catalog" not in mish.source
    assert all(custom_registry[n].proof.holds for n in names)
    assert len(mish.steps) >= 3  # product rule, chain rule (tanh), softplus' = sigma


def test_a_registry_takes_components_not_text():
    with pytest.raises(TypeError, match="custom_activation"):
        list(Registry(modules=(), catalog=False, custom=("mish=z*tanh(softplus(z))",)))


def test_a_custom_section_has_named_steps_no_sympy_names_and_decimal_constants(custom_registry):
    from derive.report import _group, render_tex

    tex = render_tex(_group(custom_registry), errata_rows=[],
                     figures={"custom": ("custom_activations.pdf", 0.5)})
    section = tex[tex.index(r"\section{Your own formulas}"):]
    assert r"\includegraphics[width=0.475\linewidth]{custom_activations.pdf}" in section
    for rule in ("product rule", "chain rule", "derivative of the softplus"):
        assert rule in section, rule
    assert r"\operatorname{mish}(z)" in section and r"\operatorname{mish}'\left(z\right)" in section
    assert r"\operatorname{log\_cosh}" in section
    for raw in ("logaddexp", "Derivative(", "Function(", "operatorname{mish}{", "8943"):
        assert raw not in section, raw
    # the user's decimals print as decimals, not as 8943/200000-like fractions
    assert "0.7978845608" in section and "0.035677408136172" in section


def test_the_figure_draws_only_the_users_activations(custom_registry, tmp_path):
    from derive.figure import _curves, draw_activations

    mine = [c.entry for c in custom_registry.custom if c.kind == "activation"]
    assert [label for label, *_ in _curves(mine)] == ["mish", "gelu2"]
    assert draw_activations(custom_registry, tmp_path / "c.pdf", mine).stat().st_size > 1000


def _derive(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "derive", "report", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("flag,text,words", [
    ("--activation", "mish", "write NAME=FORMULA"),
    ("--activation", "mish=", "accepted:"),
    ("--activation", "mish=z.real", "attribute access"),
    ("--activation", "mish=__import__('os').system('true')", "allowed"),
    ("--activation", "mish=z**10**10", "too large"),
    ("--activation", "relu=z", "taken"),
    ("--activation", "mish=a - y", "unknown name"),
    ("--loss", "l2=z*z", "unknown name"),
    ("--loss", "l2=y*y", "does not depend on the output a"),
])
def test_a_refused_formula_is_one_line_and_exit_code_2(flag, text, words, tmp_path):
    proc = _derive(flag, text, "--out", str(tmp_path / "out"))
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert words in proc.stderr and f"argument {flag}" in proc.stderr
    assert not (tmp_path / "out").exists()  # refused before any work or output


def test_a_formula_too_expensive_to_derive_is_one_line_too(monkeypatch, capsys):
    # exp nested 4 deep: SymPy's derivation runs past the budget of derive.custom (here
    # 2 s instead of the default, to keep the test short); the flag says so in one line
    import importlib

    from derive.__main__ import main

    custom = importlib.import_module("derive.custom")
    original = custom.custom_activation.__wrapped__
    monkeypatch.setattr(custom, "custom_activation",
                        lambda name, formula: original(name, formula, seconds=2.0))
    with pytest.raises(SystemExit) as info:
        main(["report", "--activation", "e4=exp(exp(exp(exp(z))))"])
    err = capsys.readouterr().err
    assert info.value.code == 2 and "more than 2 s" in err, err
    assert len(err.strip().splitlines()) == 1


def test_two_components_with_one_name_are_refused(tmp_path):
    proc = _derive("--activation", "same=z*z", "--loss", "same=a*a", "--out", str(tmp_path))
    assert proc.returncode == 2 and "'same'" in proc.stderr


def test_custom_reports_default_to_a_git_ignored_folder(monkeypatch):
    import importlib

    from derive.__main__ import CUSTOM_OUT, main

    registry_module = importlib.import_module("derive.registry")  # derive.registry: the instance
    report_module = importlib.import_module("derive.report")

    written = {}

    class Recorded:
        def __init__(self, custom=()):
            written["custom"] = [e.name for e in custom]

        def values(self):
            return []

    def write_report(out, pdf=None, html=False, registry=None):
        written["out"] = out

        class Files:
            seconds = 0.0
        return Files()

    monkeypatch.setattr(registry_module, "Registry", Recorded)
    monkeypatch.setattr(report_module, "write_report", write_report)
    monkeypatch.chdir(ROOT)
    assert main(["report", "--no-pdf", "--activation", MISH, "--loss", LOG_COSH]) == 0
    assert written == {"custom": ["mish", "log_cosh"], "out": CUSTOM_OUT}
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{CUSTOM_OUT}/derivations.pdf"],
                             cwd=ROOT)
    assert ignored.returncode == 0, f"{CUSTOM_OUT} must be git-ignored"


def test_the_web_page_has_the_users_figure_in_their_section(custom_registry):
    from derive.report import _group, render_page

    page = render_page(_group(custom_registry), custom_registry, errata_rows=[])
    section = page[page.index('<section id="s-custom">'):]
    assert section.index('<figure class="figure" style="max-width: 50%">') < section.index("<h3")
    assert "Your activations (solid)" in section
