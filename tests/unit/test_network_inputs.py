"""Bad shapes and names meet a ValueError that names them, at the door."""

import numpy as np
import pytest

from numeric import Network


@pytest.fixture
def net():
    return Network([3, 4, 1], hidden="relu", output="sigmoid", seed=0)


def test_y_of_shape_m_is_an_error_not_an_m_by_m_broadcast(net):
    X = np.ones((3, 5))
    _, cache = net.forward(X)
    with pytest.raises(ValueError, match=r"Y must be 2-D.*\(5,\)"):
        net.cost(np.ones(5), cache)
    with pytest.raises(ValueError, match=r"\(5,\)"):
        net.backward(np.ones(5), cache)


def test_x_rows_must_match_layer_dims(net):
    with pytest.raises(ValueError, match=r"X has 2 rows, expected 3.*layer_dims\[0\] = 3.*\(2, 5\)"):
        net.forward(np.ones((2, 5)))


def test_y_columns_must_match_x(net):
    _, cache = net.forward(np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"Y has 4 columns.*expected 5"):
        net.cost(np.ones((1, 4)), cache)


def test_softmax_y_must_be_one_hot():
    net = Network([3, 4, 3], output="softmax", seed=0)
    _, cache = net.forward(np.ones((3, 2)))
    not_one_hot = np.array([[1.0, 0.5], [0.0, 0.5], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"one-hot.*column 1 is \[0.5, 0.5, 0.0\]"):
        net.cost(not_one_hot, cache)
    two_ones = np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"column 0"):
        net.backward(two_ones, cache)


def test_bce_labels_must_be_zero_or_one(net):
    _, cache = net.forward(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"0 or 1.*= 2"):
        net.cost(np.array([[0.0, 2.0]]), cache)


@pytest.mark.parametrize("kwargs,match", [
    ({"hidden": "gelu"}, "unknown hidden activation 'gelu'; valid: sigmoid, tanh, relu, leaky_relu"),
    ({"output": "tanh"}, "unknown output 'tanh'; valid: sigmoid, softmax, linear"),
    ({"init": "glorot"}, "unknown init 'glorot'; valid: zeros, random, xavier, he"),
    ({"dtype": "float16"}, "unknown dtype"),
])
def test_unknown_names_list_the_valid_ones(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Network([2, 3, 1], **kwargs)


@pytest.mark.parametrize("dims", [[2, 0, 1], [2, -3, 1], [2], [2, 3.5, 1]])
def test_layer_sizes_must_be_positive_integers(dims):
    with pytest.raises(ValueError, match="layer_dims"):
        Network(dims)


def test_nan_in_x_is_refused(net):
    X = np.ones((3, 2))
    X[1, 1] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN or inf \(first at index \(1, 1\)\)"):
        net.forward(X)


@pytest.mark.parametrize("keep_prob", [0.0, -0.1, 1.5])
def test_keep_prob_outside_zero_one(net, keep_prob):
    with pytest.raises(ValueError, match="keep_prob must be in"):
        net.forward(np.ones((3, 2)), keep_prob=keep_prob, rng=np.random.default_rng(0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_finite_check_of_x_is_exact_where_its_sum_of_squares_overflows(dtype):
    # The one-pass check (a sum of squares) overflows on these finite entries; the exact
    # check must then accept them, and still find a NaN or inf among large entries, in a
    # C, Fortran or strided array.
    net = Network([3, 2, 1], seed=0, dtype=dtype)
    big = np.full((3, 5), np.finfo(dtype).max / 2, dtype=dtype)
    assert net.check_X(big).shape == (3, 5)
    for layout in (big.copy(), np.asfortranarray(big), np.repeat(big, 2, axis=1)[:, ::2]):
        layout[2, 3] = np.inf
        with pytest.raises(ValueError, match=r"X contains NaN or inf \(first at index \(2, 3\)\)"):
            net.check_X(layout)
        layout[2, 3] = np.nan
        with pytest.raises(ValueError, match=r"X contains NaN or inf"):
            net.check_X(layout)
