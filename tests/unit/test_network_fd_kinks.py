"""The finite-difference model reads where the kinks are from the catalog: an activation
whose kink is not at z = 0 (a test-local catalog entry, a hinge at z = 1) and Huber's
kinks at a - y = +-delta are detected where they are, and gradients across them check.
(Before, the model assumed every kink at z = 0 and refused any other.)"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import catalog
from derive.catalog import Hidden
from derive.symbols import z
from verify import _definitions
from verify._network_fd import CostModel
from verify._network_full import full_check

HINGE = Hidden(name="hinge_at_1", definition=sp.Piecewise((z - 1, z > 1), (0, True)),
               summary="max(0, z - 1)", prime_summary="1 where z > 1")


@pytest.fixture
def with_hinge(monkeypatch):
    entries = {**catalog.hidden_entries(), HINGE.name: HINGE}
    monkeypatch.setattr(catalog, "hidden_entries", lambda: entries)
    yield HINGE.name


def _net(rng, n_x=3, n_h=4, n_y=2, m=5):
    params = {"W1": rng.standard_normal((n_h, n_x)), "b1": rng.standard_normal((n_h, 1)),
              "W2": rng.standard_normal((n_y, n_h)), "b2": rng.standard_normal((n_y, 1))}
    X = rng.standard_normal((n_x, m))
    Y = rng.standard_normal((n_y, m))
    return params, X, Y


def _backprop(params, X, Y, slope, dz_out):
    """Gradients of (1/m) sum L over a one-hidden-layer net, by hand: g'(Z1) = slope(Z1),
    dZ2 = dz_out(Z2 - Y)."""
    m = X.shape[1]
    Z1 = params["W1"] @ X + params["b1"]
    A1 = np.maximum(Z1 - 1, 0)
    Z2 = params["W2"] @ A1 + params["b2"]
    dZ2 = dz_out(Z2 - Y) / m
    dZ1 = (params["W2"].T @ dZ2) * slope(Z1)
    return {"W2": dZ2 @ A1.T, "b2": dZ2.sum(axis=1, keepdims=True),
            "W1": dZ1 @ X.T, "b1": dZ1.sum(axis=1, keepdims=True)}


def test_a_kink_away_from_zero_is_read_from_the_catalog(with_hinge):
    params, X, Y = _net(np.random.default_rng(0))
    model = CostModel(params, X, Y, with_hinge, "linear")
    assert model.kinked and model.kinks.tolist() == [1.0]
    # a row of Z1 moved across z = 1 is flagged; across z = 0 (no kink here) it is not
    Z1 = model.Z[1]
    row, col = 0, 0
    for target, flagged in ((1.0, True), (0.0, False)):
        dz = np.zeros((1, X.shape[1]))
        dz[0, col] = target - Z1[row, col] + np.sign(target - Z1[row, col]) * 1e-3
        assert model.row_changes(1, np.array([row]), dz)[1][0] == flagged, target


def test_gradients_across_a_kink_at_one_check(with_hinge):
    # a hidden unit placed 1e-9 below the kink at z = 1: the default step crosses it
    params, X, Y = _net(np.random.default_rng(1))
    Z1 = params["W1"] @ X + params["b1"]
    params["b1"][0, 0] += (1 - 1e-9) - Z1[0, 0]
    g = _backprop(params, X, Y, lambda Z: (Z > 1).astype(float), lambda r: r)
    model = CostModel(params, X, Y, with_hinge, "linear")
    for name, l in (("W1", 1), ("b1", 1), ("W2", 2), ("b2", 2)):
        check = full_check(model, l, name, g[name], "central", 1e-7)
        # error far below the 1e-7 bar: the crossing stencils are retried closer
        assert check.verdict == "pass" and check.rel_error < 1e-7, (name, check)


def test_huber_kinks_are_where_the_definition_has_them():
    assert _definitions.loss_kink_offsets("huber") == (-1.0, 1.0)   # delta = 1, not 0
    params, X, Y = _net(np.random.default_rng(2), n_y=1)
    Z2 = params["W2"] @ np.tanh(params["W1"] @ X + params["b1"]) + params["b2"]
    Y[0, 0] = Z2[0, 0] - (1 - 1e-9)   # a - y just below delta: the step crosses it
    model = CostModel(params, X, Y, "tanh", "linear", loss="huber")
    assert model.loss_kinks.tolist() == [-1.0, 1.0]
    dz = np.zeros((1, X.shape[1]))
    dz[0, 0] = 1e-5
    assert model.row_changes(2, np.array([0]), dz)[1][0]
    dz[0, 0] = -1e-5
    assert not model.row_changes(2, np.array([0]), dz)[1][0]
