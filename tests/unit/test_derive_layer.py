"""Item 6, the vectorized layer: derive.derivations.layer against independent numerics.

The expected formulas are written here in NumPy and checked against central finite
differences of a random cost on a random layer, in float64; the derivations' matrix
forms are then evaluated at random matrices and compared with the same NumPy formulas.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import registry
from finite_differences import central_difference
from derive.derivations import layer
from derive.record import prove
from derive.symbols import m

NAMES = ("layer_forward", "layer_dz", "layer_dw", "layer_db", "layer_da_prev")
SHAPES = ((1, 1, 1), (3, 4, 5), (4, 2, 3))  # (n_l, n_prev, m)


def random_cost(n_l, mm, rng):
    """J(Z) = (1/m) sum_i L_i(Z[:, i]), a nonlinear loss coupling the units of a column."""
    c = rng.normal(size=(n_l, mm))
    Q = rng.normal(size=(n_l, n_l))
    Q = Q + Q.T

    def J(Z):
        per_example = (c * np.sin(Z)).sum(axis=0) + 0.25 * np.einsum("ji,jk,ki->i", Z, Q, Z)
        return per_example.sum() / mm

    return J


def layer_case(shape, seed=0):
    n_l, n_prev, mm = shape
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(n_l, n_prev))
    A_prev = rng.normal(size=(n_prev, mm))
    b = rng.normal(size=(n_l, 1))
    J_of_Z = random_cost(n_l, mm, rng)
    Z = W @ A_prev + b
    dZ = mm * central_difference(J_of_Z, Z)   # per-example dZ: no 1/m
    return W, A_prev, b, J_of_Z, dZ


def evaluate(expr, values, mm):
    """A matrix expression at numeric matrices, as a float64 array."""
    explicit = expr.xreplace({k: sp.ImmutableMatrix(v) for k, v in values.items()})
    explicit = explicit.xreplace({m: sp.Integer(mm)})
    return np.array(sp.Matrix(explicit.as_explicit()), dtype=float)


@pytest.mark.parametrize("name", NAMES)
def test_arguments_cover_the_matrix_form(name):
    extra = registry[name].extra
    matrices = {s for s in extra["matrix_form"].free_symbols if isinstance(s, sp.MatrixSymbol)}
    assert matrices <= set(extra["arguments"])


@pytest.mark.parametrize("shape", SHAPES)
def test_dw_db_da_prev_match_finite_differences(shape):
    W, A_prev, b, J_of_Z, dZ = layer_case(shape)
    mm = shape[2]
    J = lambda W_, A_, b_: J_of_Z(W_ @ A_ + b_)  # noqa: E731
    dW_fd = central_difference(lambda x: J(x, A_prev, b), W)
    db_fd = central_difference(lambda x: J(W, A_prev, x), b)
    dA_prev_fd = mm * central_difference(lambda x: J(W, x, b), A_prev)

    np.testing.assert_allclose(dW_fd, dZ @ A_prev.T / mm, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(db_fd, dZ.sum(axis=1, keepdims=True) / mm, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dA_prev_fd, W.T @ dZ, rtol=1e-6, atol=1e-8)

    values = {layer.W: W, layer.A_prev: A_prev, layer.b: b, layer.dZ: dZ}
    for name, expected in (("layer_dw", dW_fd), ("layer_db", db_fd), ("layer_da_prev", dA_prev_fd)):
        got = evaluate(registry[name].extra["matrix_form"], values, mm)
        assert got.shape == expected.shape, name
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8, err_msg=name)


@pytest.mark.parametrize("shape", SHAPES)
def test_dz_matches_finite_differences(shape):
    n_l, _, mm = shape
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(n_l, mm))
    J_of_A = random_cost(n_l, mm, rng)
    dA = mm * central_difference(J_of_A, np.tanh(Z))
    dZ_fd = mm * central_difference(lambda x: J_of_A(np.tanh(x)), Z)
    gprime = 1 - np.tanh(Z) ** 2
    np.testing.assert_allclose(dZ_fd, dA * gprime, rtol=1e-6, atol=1e-8)
    got = evaluate(registry["layer_dz"].extra["matrix_form"],
                   {layer.dA: dA, layer.gprime_Z: gprime}, mm)
    np.testing.assert_allclose(got, dZ_fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("shape", SHAPES)
def test_forward_matrix_form_broadcasts_b(shape):
    W, A_prev, b, _, _ = layer_case(shape, seed=2)
    got = evaluate(registry["layer_forward"].extra["matrix_form"],
                   {layer.W: W, layer.A_prev: A_prev, layer.b: b}, shape[2])
    expected = np.einsum("jk,ki->ji", W, A_prev) + np.repeat(b, shape[2], axis=1)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_cross_check_sizes_include_non_square_layers():
    """A transposition error passes on square matrices; the cross-check must not be all square."""
    assert any(n != p for n, p, _ in layer.SIZES)
    assert any(mm > 1 for _, _, mm in layer.SIZES)


def test_cross_check_detects_a_wrong_formula():
    """The proof machinery fails on a wrong textbook (dW without the 1/m)."""
    L = layer._Explicit(2, 3, 2)
    wrong = layer.cross_checked(
        name="wrong", title="", source="", summary="", definition=[],
        steps=[(sp.Symbol("x"), sp.Symbol("x"), "identity")],
        result=(sp.Symbol("x"), sp.Symbol("x")), textbook=(sp.Symbol("x"), sp.Symbol("x")),
        cases=[(L.gradient(L.W), L.dZ * L.A_prev.T)], checked_on="(2, 3, 2)")
    assert wrong.proof.symbolic is False and not wrong.proof.holds


def test_partials_are_named_so_the_spot_check_can_evaluate():
    L = layer._Explicit(2, 2, 2)
    assert not L.gradient(L.W).has(sp.Derivative, sp.Subs)
    with pytest.raises(ValueError, match="unnamed derivative"):
        layer.named(sp.diff(L.J, L.W[0, 0]), {})


@pytest.mark.parametrize("name", ["layer_forward", "layer_dz", "layer_dw", "layer_db",
                                  "layer_da_prev", "backprop_bp1", "backprop_bp2",
                                  "backprop_bp3", "backprop_bp4"])
def test_proved_in_general_and_cross_checked_on_explicit_matrices(registry, name):
    d = registry[name]
    general, explicit = d.extra["general_proof"], d.extra["explicit_proof"]
    assert general.holds and general.symbolic and explicit.holds and explicit.symbolic
    assert "any sizes" in d.proof.method and "cross-check" in d.proof.method


def test_general_proof_detects_a_wrong_formula():
    """dW without the 1/m: the general (index-notation) proof fails too."""
    d = layer.layer_dw()
    wrong = sp.Sum(layer._dZ[layer.j2, layer.i]
                   * sp.diff(layer._z_entry(layer.j2, layer.i), layer._W[layer.j, layer.k]),
                   (layer.j2, 1, layer._n_l), (layer.i, 1, layer.m))
    p = prove(layer.index_form(d.result.rhs), wrong, layer.GENERAL_METHOD,
              layer._GENERAL_RANGES)
    assert p.symbolic is False and not p.holds
