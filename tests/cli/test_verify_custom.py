"""``python -m verify --activation/--loss``: a user's component gets the rows a catalog
entry gets at the level of its function (verify.custom_check), and the rows can fail."""


import pytest

from derive import custom_activation
from verify.custom_check import custom_rows


# Each component's rows, checked once for the module: the tests below and the expected
# count of the command line's run read them.
@pytest.fixture(scope="module")
def mish_rows(mish):
    return custom_rows(mish)


@pytest.fixture(scope="module")
def log_cosh_rows(log_cosh):
    return custom_rows(log_cosh)


def _by_method(rows):
    return {r.method: r for r in rows if r.section == "custom"}


def test_an_analytic_activation_gets_every_row_and_passes(mish, mish_rows):
    from verify.matrix import OUTPUTS

    rows = mish_rows
    assert all(r.ok for r in rows), [r for r in rows if not r.ok]
    assert set(_by_method(rows)) == {"central", "complex", "jax", "float32+float64"}
    # a network with mish under each output head of the matrix, by all three methods
    networks = {(r.configuration.split("/")[1], r.method) for r in rows if r.section == "network"}
    # (the complex step only where the whole network is analytic: not under Huber)
    assert networks == {(head, method) for head in OUTPUTS for method in ("central", "jax")} \
        | {(head, "complex") for head in ("sigmoid", "softmax", "linear")}
    assert {r.configuration.split(" ")[0] for r in rows if r.section == "derivation"} \
        == {d.name for d in mish.derivations}


def test_a_kinked_formula_gets_no_complex_step():
    leaky = custom_activation("leaky_tenth", "max(z, 0.1*z)")
    methods = _by_method(custom_rows(leaky))
    assert "complex" not in methods and methods["central"].ok and methods["jax"].ok


def test_a_loss_is_checked_through_dz(log_cosh_rows):
    from verify.matrix import HIDDEN

    rows = log_cosh_rows
    assert all(r.ok for r in rows) and "dZ" in _by_method(rows)["jax"].configuration
    assert {r.configuration.split("/")[0] for r in rows if r.section == "network"} == set(HIDDEN)


class _Planted:
    """A component whose generated derivative is off by 1e-6 (relative): every
    reference must catch it."""

    def __init__(self, component):
        self._c = component

    def __getattr__(self, name):
        return getattr(self._c, name)

    def g_prime(self, Z):
        return self._c.g_prime(Z) * (1 + 1e-6)


def test_a_wrong_derivative_fails_every_reference(mish):
    methods = _by_method(custom_rows(_Planted(mish)))
    for method in ("central", "complex", "jax"):
        assert methods[method].verdict == "fail", methods[method]


def test_the_command_line_checks_only_the_given_components(tmp_path, capsys, mish_rows,
                                                          log_cosh_rows):
    from verify.__main__ import main

    code = main(["--activation", "mish=z*tanh(softplus(z))", "--loss",
                 "log_cosh=log(cosh(a - y))", "--no-pdf", "--quiet", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    # exactly the two components' rows: no catalog entry's (their count follows their
    # derivations, e.g. log_cosh' = tanh(a - y) needs no stable form of its own)
    expected = len(mish_rows) + len(log_cosh_rows)
    assert code == 0 and f"{expected} checks, 0 failed" in out, out
    assert "network      32 checks, 0 failed" in out, out
    assert "Your own components" in (tmp_path / "verification.tex").read_text()


@pytest.mark.parametrize("flag,text", [("--activation", "mish=z.real"),
                                       ("--activation", "mish"),
                                       ("--loss", "l=__import__('os')"),
                                       ("--activation", "lg=log(z)")])
def test_a_refused_formula_is_one_line_and_exit_code_2(flag, text, tmp_path, capsys):
    from verify.__main__ import main

    with pytest.raises(SystemExit) as info:
        main([flag, text, "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert info.value.code == 2 and len(err.strip().splitlines()) == 1, err
    assert f"argument {flag}" in err and not (tmp_path / "out").exists()
