"""Each mistake of the issue's list meets a ValueError or TypeError at the door, naming the
argument, what was seen and what was expected (issue 7, first point)."""

import numpy as np
import pytest
from reliability_data import binary_data, softmax_data

from numeric import Network
from numeric.optim import Adam, GradientDescent, Momentum, RMSprop, make_optimizer


@pytest.fixture
def net():
    return Network([2, 4, 1], hidden="tanh", output="sigmoid", seed=0)


@pytest.fixture
def data():
    return binary_data()


def _entry_points_for_X(net, X, Y):
    """Every public entry point that takes X, as (name, call)."""
    return [("forward", lambda: net.forward(X)), ("predict", lambda: net.predict(X)),
            ("fit", lambda: net.fit(X, Y, epochs=1, progress=False))]


# -- NaN and inf --------------------------------------------------------------------
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_x_is_refused_everywhere(net, data, bad):
    X, Y = data
    X = X.copy()
    X[1, 7] = bad
    for name, call in _entry_points_for_X(net, X, Y):
        with pytest.raises(ValueError, match=r"X contains NaN or inf .*index \(1, 7\)"):
            call()


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_y_is_refused(net, data, bad):
    X, Y = data
    Y = Y.copy()
    Y[0, 3] = bad
    _, cache = net.forward(X)
    for call in (lambda: net.cost(Y, cache), lambda: net.backward(Y, cache),
                 lambda: net.fit(X, Y, epochs=1, progress=False)):
        with pytest.raises(ValueError, match=r"Y contains NaN or inf .*index \(0, 3\)"):
            call()


def test_a_value_that_overflows_a_float32_network_is_refused_not_made_inf():
    net = Network([2, 3, 1], dtype=np.float32)
    X = np.ones((2, 4))
    X[0, 2] = 1e300
    with pytest.raises(ValueError, match=r"X contains NaN or inf \(first at index \(0, 2\)\) after conversion from float64 to float32"):
        net.forward(X)


# -- shapes ---------------------------------------------------------------------------
def test_mismatched_m_between_x_and_y(net, data):
    X, Y = data
    with pytest.raises(ValueError, match=r"Y has 36 columns \(examples\), expected 37 to match X"):
        net.fit(X, Y[:, :-1], epochs=1, progress=False)


def test_wrong_number_of_rows(net, data):
    X, Y = data
    with pytest.raises(ValueError, match=r"X has 3 rows, expected 2 \(layer_dims\[0\] = 2\)"):
        net.fit(np.vstack([X, X[:1]]), Y, epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"Y has 2 rows, expected 1 \(layer_dims\[-1\] = 1 outputs\)"):
        net.fit(X, np.vstack([Y, Y]), epochs=1, progress=False)


def test_one_dimensional_arrays_are_refused_with_the_reshape_hint(net, data):
    X, Y = data
    with pytest.raises(ValueError, match=r"X must be 2-D.*got shape \(5,\).*X.reshape\(1, -1\)"):
        Network([1, 1]).forward(np.ones(5))
    with pytest.raises(ValueError, match=r"Y must be 2-D.*got shape \(37,\).*Y.reshape\(1, -1\)"):
        net.fit(X, Y.ravel(), epochs=1, progress=False)


@pytest.mark.parametrize("shape", [(2, 0)])
def test_an_empty_batch_is_refused(net, shape):
    with pytest.raises(ValueError, match=r"X has no examples \(shape \(2, 0\)\): an empty batch"):
        net.forward(np.ones(shape))
    with pytest.raises(ValueError, match="X has no examples"):
        net.fit(np.ones(shape), np.ones((1, 0)), epochs=1, progress=False)


def test_ragged_lists_name_the_argument(net):
    with pytest.raises(ValueError, match="X is not a rectangular array"):
        net.forward([[1.0, 2.0], [3.0]])


# -- labels ------------------------------------------------------------------------------
def test_a_label_outside_zero_one_for_bce(net, data):
    X, Y = data
    Y = Y.copy()
    Y[0, 5] = 0.5
    with pytest.raises(ValueError, match=r"sigmoid output \(binary cross-entropy\) must hold 0 or 1; Y\[0, 5\] = 0.5"):
        net.fit(X, Y, epochs=1, progress=False)


def test_a_non_one_hot_y_for_softmax():
    X, Y = softmax_data()
    net = Network([3, 5, 3], output="softmax", seed=0)
    Y = Y.copy()
    Y[:, 4] = [1.0, 1.0, 0.0]
    with pytest.raises(ValueError, match=r"one-hot.*column 4 is \[1.0, 1.0, 0.0\]"):
        net.fit(X, Y, epochs=1, progress=False)
    Y[:, 4] = 0.0
    with pytest.raises(ValueError, match=r"column 4 is \[0.0, 0.0, 0.0\]"):
        net.fit(X, Y, epochs=1, progress=False)


# -- dtypes: the policy of numeric.validation ----------------------------------------------
@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.uint8, bool])
def test_integer_or_bool_x_is_refused_with_the_conversion_to_write(net, dtype):
    with pytest.raises(TypeError, match=rf"X has dtype {np.dtype(dtype)}; expected a floating array.*X.astype\(np.float64\)"):
        net.forward(np.ones((2, 3), dtype=dtype))


@pytest.mark.parametrize("dtype", [np.complex128, object, str])
def test_complex_object_and_string_arrays_are_refused(net, data, dtype):
    X, Y = data
    with pytest.raises(TypeError, match=r"X has dtype"):
        net.forward(X.astype(dtype))
    with pytest.raises(TypeError, match=r"Y has dtype"):
        net.fit(X, Y.astype(dtype), epochs=1, progress=False)


@pytest.mark.parametrize("label_dtype", [np.int64, np.uint8, bool])
def test_integer_labels_are_converted_exactly_for_sigmoid_and_softmax(label_dtype):
    X, Y = binary_data()
    a, b = Network([2, 3, 1], seed=1), Network([2, 3, 1], seed=1)
    ha = a.fit(X, Y, epochs=3, progress=False)
    hb = b.fit(X, Y.astype(label_dtype), epochs=3, progress=False)
    assert ha == hb
    Xs, Ys = softmax_data()
    s = Network([3, 4, 3], output="softmax", seed=0)
    _, cache = s.forward(Xs)
    assert s.cost(Ys.astype(label_dtype), cache) == s.cost(Ys, cache)


def test_integer_targets_for_a_linear_output_are_refused():
    net = Network([2, 3, 1], output="linear")
    X = np.ones((2, 4))
    _, cache = net.forward(X)
    with pytest.raises(TypeError, match=r"Y has dtype int64; expected a floating array.*Y.astype"):
        net.cost(np.arange(4).reshape(1, 4), cache)


# -- scalars -----------------------------------------------------------------------------
@pytest.mark.parametrize("keep_prob", [0.0, -0.5, 1.0000001, 2, np.nan, np.inf])
def test_keep_prob_outside_zero_one(net, data, keep_prob):
    X, Y = data
    with pytest.raises(ValueError, match=r"keep_prob must be in \(0, 1\], got"):
        net.forward(X, keep_prob=keep_prob, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="keep_prob must be in"):
        net.fit(X, Y, keep_prob=keep_prob, epochs=1, progress=False)


@pytest.mark.parametrize("keep_prob", ["0.5", None, True, [0.5]])
def test_keep_prob_of_the_wrong_type(net, keep_prob):
    with pytest.raises(TypeError, match="keep_prob must be a real number"):
        net.forward(np.ones((2, 3)), keep_prob=keep_prob, rng=np.random.default_rng(0))


@pytest.mark.parametrize("lambd", [-1e-9, -1, np.nan, np.inf])
def test_negative_or_non_finite_lambd(net, data, lambd):
    X, Y = data
    _, cache = net.forward(X)
    for call in (lambda: net.cost(Y, cache, lambd=lambd), lambda: net.backward(Y, cache, lambd=lambd),
                 lambda: net.fit(X, Y, lambd=lambd, epochs=1, progress=False)):
        with pytest.raises(ValueError, match=r"lambd must be a finite number >= 0, got"):
            call()


@pytest.mark.parametrize("cls", [GradientDescent, Momentum, RMSprop, Adam])
@pytest.mark.parametrize("rate", [-0.1, 0.0, np.nan, np.inf])
def test_negative_zero_or_non_finite_learning_rate(cls, rate):
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number > 0"):
        cls(learning_rate=rate)


@pytest.mark.parametrize("kwargs,match", [
    ({"epochs": 0}, r"epochs must be an integer >= 1, got 0"),
    ({"epochs": 2.5}, r"epochs must be an integer >= 1, got 2.5 \(type float\)"),
    ({"batch_size": 0}, r"batch_size must be an integer >= 1, got 0"),
    ({"batch_size": "8"}, r"batch_size must be an integer"),
    ({"seed": -1}, r"seed must be an integer >= 0, got -1"),
    ({"seed": 1.5}, r"seed must be an integer"),
    ({"optimizer": "adam"}, r"optimizer must have init and update"),
    ({"checkpoint_every": 2}, r"checkpoint_every is given but checkpoint"),
])
def test_fit_arguments(net, data, kwargs, match):
    X, Y = data
    with pytest.raises((ValueError, TypeError), match=match):
        net.fit(X, Y, progress=False, **kwargs)


def test_rng_must_be_a_generator(net):
    with pytest.raises(TypeError, match=r"rng must be an np.random.Generator.*got int"):
        net.forward(np.ones((2, 3)), keep_prob=0.5, rng=0)
    with pytest.raises(ValueError, match="needs rng"):
        net.forward(np.ones((2, 3)), keep_prob=0.5)


def test_a_cache_from_another_network_or_no_cache(net):
    other = Network([2, 5, 1])
    _, cache = other.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"cache\['Z1'\] has shape \(5, 3\), expected \(4, 3\)"):
        net.cost(np.ones((1, 3)), cache)
    with pytest.raises(TypeError, match="cache must be the dict returned by forward"):
        net.backward(np.ones((1, 3)), None)
    with pytest.raises(ValueError, match=r"cache\['A0'\] is missing"):
        net.backward(np.ones((1, 3)), {})


# -- names and sizes ----------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,exc,match", [
    ({"hidden": "gelu"}, ValueError, "unknown hidden activation 'gelu'; valid: sigmoid, tanh, relu, leaky_relu"),
    ({"hidden": None}, TypeError, "hidden activation must be a name .*; valid: sigmoid, tanh"),
    ({"output": "tanh"}, ValueError, "unknown output 'tanh'; valid: sigmoid, softmax, linear"),
    ({"output": 3}, TypeError, "output must be a name .*; valid: sigmoid, softmax, linear"),
    ({"init": "glorot"}, ValueError, "unknown init 'glorot'; valid: zeros, random, xavier, he"),
    ({"dtype": "float16"}, ValueError, "unknown dtype 'float16'; valid: float32, float64"),
    ({"dtype": np.int32}, ValueError, "dtype must be float32 or float64"),
    ({"dtype": object()}, TypeError, "dtype must be np.float32 or np.float64"),
    ({"seed": -3}, ValueError, "seed must be an integer >= 0, got -3"),
])
def test_unknown_names_list_the_valid_ones(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        Network([2, 3, 1], **kwargs)


def test_unknown_optimizer_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'; valid: gd, momentum, rmsprop, adam"):
        make_optimizer("sgd", learning_rate=0.1)


@pytest.mark.parametrize("dims,match", [
    ([2, 0, 1], r"layer_dims\[1\] = 0: every size must be an integer >= 1"),
    ([2, -3, 1], r"layer_dims\[1\] = -3"),
    ([0, 3, 1], r"layer_dims\[0\] = 0"),
    ([2, 3, 0], r"layer_dims\[2\] = 0"),
    ([2], r"at least an input and an output size"),
    ([2, 3.0, 1], r"layer_dims\[1\] = 3.0"),
    ([2, True, 1], r"layer_dims\[1\] = True"),
])
def test_layer_dims_with_a_zero_negative_or_non_integer_size(dims, match):
    with pytest.raises(ValueError, match=match):
        Network(dims)


def test_layer_dims_that_is_not_a_sequence():
    with pytest.raises(TypeError, match="layer_dims must be a sequence of integers"):
        Network(5)


def test_save_refuses_parameters_that_load_would_refuse(tmp_path, net):
    net.params["W1"] = net.params["W1"].copy()
    net.params["W1"][0, 0] = np.nan
    with pytest.raises(ValueError, match="parameter W1 contains NaN or inf"):
        net.save(tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists()
