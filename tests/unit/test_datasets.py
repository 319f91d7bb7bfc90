"""numeric.datasets: shapes (columns are examples), seeds, labels, the split, the scaling."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from numeric import datasets
from numeric.datasets import DATASETS, flower, load, moons, one_hot, raw, standardize

ROOT = Path(__file__).resolve().parents[2]


def _needs_sklearn(name):
    if name in ("digits", "breast_cancer"):
        pytest.importorskip("sklearn")


# -- generators -----------------------------------------------------------------------
@pytest.mark.parametrize("make", [flower, moons])
def test_generators_give_columns_as_examples_and_balanced_labels(make):
    X, Y = make(m=400, seed=0)
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    assert Y.dtype == np.int64 and set(np.unique(Y)) == {0, 1}
    assert int(Y.sum()) == 200
    X, Y = make(m=7, seed=0)  # odd m: class 1 gets the extra point
    assert X.shape == (2, 7) and int(Y.sum()) == 4


@pytest.mark.parametrize("make", [flower, moons])
def test_generators_are_deterministic_by_seed_and_leave_global_state_alone(make):
    before = np.random.get_state()[1].copy()
    X1, Y1 = make(seed=3)
    X2, Y2 = make(seed=3)
    X3, _ = make(seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.allclose(X1, X3)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_generators_accept_a_generator():
    X1, _ = flower(seed=np.random.default_rng(5))
    X2, _ = flower(seed=5)
    np.testing.assert_array_equal(X1, X2)


def test_flower_petals_follow_r_equals_a_sin_4t():
    # Without noise every point lies on r = 4 sin(4t) for its angle t.
    X, _ = flower(m=400, seed=0, noise=0.0)
    t = np.concatenate([np.linspace(0, 3.12, 200), np.linspace(3.12, 6.24, 200)])
    r = 4 * np.sin(4 * t)
    np.testing.assert_allclose(X, np.stack([r * np.sin(t), r * np.cos(t)]), atol=1e-12)


@pytest.mark.parametrize("bad", [1, 0, 2.5, True])
def test_generators_refuse_bad_m(bad):
    with pytest.raises(ValueError, match="m must be an integer >= 2"):
        flower(m=bad)


# -- load -----------------------------------------------------------------------------
@pytest.mark.parametrize("name, n_x, n_y, m", [
    ("flower", 2, 1, 400), ("moons", 2, 1, 400), ("digits", 64, 10, 1797),
    ("breast_cancer", 30, 1, 569)])
def test_load_shapes(name, n_x, n_y, m):
    _needs_sklearn(name)
    d = load(name)
    m_test = d.X_test.shape[1]
    assert d.X_train.shape == (n_x, m - m_test) and d.X_test.shape == (n_x, m_test)
    assert d.Y_train.shape == (n_y, m - m_test) and d.Y_test.shape == (n_y, m_test)
    assert abs(m_test - 0.25 * m) <= len(d.classes)  # rounding per class
    assert d.mean.shape == d.std.shape == (n_x, 1)
    assert d.name == name and d.description and len(d.classes) == max(n_y, 2)
    assert d.output == ("softmax" if n_y > 1 else "sigmoid")
    for a in (d.X_train, d.Y_train, d.X_test, d.Y_test):
        assert a.dtype == np.float64 and np.all(np.isfinite(a))


def test_digits_labels_are_one_hot_columns():
    pytest.importorskip("sklearn")
    d = load("digits")
    for Y in (d.Y_train, d.Y_test):
        assert set(np.unique(Y)) == {0.0, 1.0}
        np.testing.assert_array_equal(Y.sum(axis=0), 1.0)
    labels = d.labels(d.Y_train)
    assert labels.shape == (1, d.Y_train.shape[1])
    np.testing.assert_array_equal(one_hot(labels, 10), d.Y_train)
    assert d.classes == tuple(str(k) for k in range(10))


@pytest.mark.parametrize("name", ["flower", "breast_cancer"])
def test_binary_labels_are_one_row_of_zeros_and_ones(name):
    _needs_sklearn(name)
    d = load(name)
    assert set(np.unique(d.Y_train)) == {0.0, 1.0}
    np.testing.assert_array_equal(d.labels(d.Y_test), d.Y_test.astype(np.int64))


def test_load_is_deterministic_by_seed():
    a, b, c = load("moons", seed=1), load("moons", seed=1), load("moons", seed=2)
    for x, y in zip(a[:4], b[:4]):
        np.testing.assert_array_equal(x, y)
    assert a.X_train.shape == c.X_train.shape and not np.allclose(a.X_train, c.X_train)


def _columns(X):
    """The set of columns of X (as tuples, rounded against the scaling's round-off)."""
    return {tuple(np.round(col, 9)) for col in X.T}


def test_split_partitions_the_data_and_keeps_class_proportions():
    X, labels, _ = raw("flower", seed=0)
    d = load("flower", seed=0)
    train = d.X_train * d.std + d.mean
    test = d.X_test * d.std + d.mean
    assert _columns(train) | _columns(test) == _columns(X)
    assert not _columns(train) & _columns(test)
    assert d.Y_test.sum() == 50 and d.Y_train.sum() == 150  # 25 % of each class of 200


def test_standardization_uses_the_training_statistics_only():
    d = load("flower", seed=0)
    np.testing.assert_allclose(d.X_train.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(d.X_train.std(axis=1), 1, atol=1e-12)
    # The stored statistics are those of the (unscaled) training columns ...
    train = d.X_train * d.std + d.mean
    np.testing.assert_allclose(d.mean, train.mean(axis=1, keepdims=True), atol=1e-12)
    np.testing.assert_allclose(d.std, train.std(axis=1, keepdims=True), atol=1e-12)
    # ... and the test part is scaled with them, not with its own (so not exactly 0 / 1).
    assert np.all(np.abs(d.X_test.mean(axis=1)) > 1e-6)


def test_standardize_by_hand_and_constant_features():
    X_train = np.array([[1.0, 3.0], [5.0, 5.0]])  # second feature constant
    X_test = np.array([[5.0], [7.0]])
    tr, te, mean, std = standardize(X_train, X_test)
    np.testing.assert_array_equal(mean, [[2.0], [5.0]])
    np.testing.assert_array_equal(std, [[1.0], [1.0]])  # 0 replaced by 1: centred only
    np.testing.assert_array_equal(tr, [[-1.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(te, [[3.0], [2.0]])


def test_digits_constant_pixels_do_not_give_nan():
    pytest.importorskip("sklearn")
    d = load("digits")
    assert np.all(np.isfinite(d.X_test)) and np.any(d.std == 1.0)


def test_test_fraction_changes_the_split_not_the_points():
    a, b = load("flower", test_fraction=0.25), load("flower", test_fraction=0.5)
    assert b.X_test.shape[1] == 200
    all_a = _columns(np.hstack([a.X_train * a.std + a.mean, a.X_test * a.std + a.mean]))
    all_b = _columns(np.hstack([b.X_train * b.std + b.mean, b.X_test * b.std + b.mean]))
    assert all_a == all_b


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5])
def test_bad_test_fraction(fraction):
    with pytest.raises(ValueError, match=r"test_fraction must be in \(0, 1\)"):
        load("flower", test_fraction=fraction)


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError) as info:
        load("iris")
    assert "'iris'" in str(info.value)
    for name in DATASETS:
        assert name in str(info.value)


def test_missing_sklearn_raises_a_one_line_install_hint(monkeypatch):
    # None in sys.modules makes `import sklearn` raise ImportError, as if not installed.
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(datasets.MissingDependency) as info:
        load("digits")
    message = str(info.value)
    assert isinstance(info.value, ImportError) and "\n" not in message
    assert "pip install 'gradproof[data]'" in message and "pip install scikit-learn" in message


def test_importing_numeric_loads_neither_sklearn_nor_matplotlib():
    code = ("import sys, numeric, numeric.datasets, numeric.plotting, numeric.__main__; "
            "bad = [m for m in ('sklearn', 'matplotlib') if m in sys.modules]; "
            "print(bad); sys.exit(bool(bad))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
