"""The course's published test cases, run through numeric.course, match every printed digit.

Inputs and expected outputs are those of the deeplearning.ai assignments (their
``testCases``/``public_tests`` files and the notebooks' "Expected output"): "Building your
Deep Neural Network: Step by Step" (2021 edition), "Regularization", "Optimization
methods" and "Gradient checking". The inputs are mostly ``np.random.seed(k)`` followed by
``np.random.randn`` calls, reproduced here with a local ``RandomState(k)``.

A printed number with d decimals matches when our value rounds to it: it lies within half
a unit of its last printed digit. Two cases print 16 or more significant digits, below
what two correct float64 programs agree on; each says what matches and why the rest cannot.
One edition's Adam test was computed with epsilon inside the square root: the option that
matches (``eps_root``, as optax names it) reproduces it.
"""

import re

import numpy as np
import pytest

from numeric import course

_NUMBER = re.compile(r"-?\d+\.\d*(?:e[+-]?\d+)?|-?\d+(?:e[+-]?\d+)?")


def assert_prints(actual, printed: str):
    """Every number of ``printed`` (NumPy's print of an array) is ``actual`` rounded."""
    actual = np.asarray(actual, dtype=np.float64).ravel()
    tokens = _NUMBER.findall(printed)
    assert len(tokens) == actual.size, f"{len(tokens)} printed numbers for {actual.size} values"
    for value, token in zip(actual, tokens):
        mantissa, _, exponent = token.partition("e")
        decimals = len(mantissa.partition(".")[2])
        half_unit = 0.5 * 10.0 ** (int(exponent or 0) - decimals)
        # 1e-12 relative slack: a value printed from float64 sits within an ulp of the
        # rounding boundary at worst; none of these cases comes near one.
        assert abs(value - float(token)) <= half_unit * (1 + 1e-12), (value, token, printed)


def randn(seed, *shapes):
    rs = np.random.RandomState(seed)
    return [rs.randn(*shape) for shape in shapes]


# -- Building your Deep Neural Network: Step by Step ---------------------------------
def test_initialize_parameters():
    p = course.initialize_parameters(3, 2, 1)
    assert_prints(p["W1"], "[[ 0.01624345 -0.00611756 -0.00528172] [-0.01072969  0.00865408 -0.02301539]]")
    assert_prints(p["b1"], "[[0.] [0.]]")
    assert_prints(p["W2"], "[[ 0.01744812 -0.00761207]]")
    assert_prints(p["b2"], "[[0.]]")


def test_initialize_parameters_deep():
    p = course.initialize_parameters_deep([5, 4, 3])
    assert_prints(p["W1"], """[[ 0.01788628  0.0043651   0.00096497 -0.01863493 -0.00277388]
 [-0.00354759 -0.00082741 -0.00627001 -0.00043818 -0.00477218]
 [-0.01313865  0.00884622  0.00881318  0.01709573  0.00050034]
 [-0.00404677 -0.0054536  -0.01546477  0.00982367 -0.01101068]]""")
    assert_prints(p["b1"], "[[0.] [0.] [0.] [0.]]")
    assert_prints(p["W2"], """[[-0.01185047 -0.0020565   0.01486148  0.00236716]
 [-0.01023785 -0.00712993  0.00625245 -0.00160513]
 [-0.00768836 -0.00230031  0.00745056  0.01976111]]""")
    assert_prints(p["b2"], "[[0.] [0.] [0.]]")


def test_linear_forward():
    A, W, b = randn(1, (3, 2), (1, 3), (1, 1))
    Z, cache = course.linear_forward(A, W, b)
    assert_prints(Z, "[[ 3.26295337 -1.23429987]]")
    assert cache[0] is A and cache[1] is W and cache[2] is b


def test_linear_activation_forward():
    A_prev, W, b = randn(2, (3, 2), (1, 3), (1, 1))
    A, ((_, _, _), Z) = course.linear_activation_forward(A_prev, W, b, "sigmoid")
    assert_prints(A, "[[0.96890023 0.11013289]]")
    assert_prints(Z, "[[ 3.43896131, -2.08938436]]")
    A, _ = course.linear_activation_forward(A_prev, W, b, "relu")
    assert_prints(A, "[[3.43896131 0.        ]]")


def test_L_model_forward():
    X, W1, b1, W2, b2, W3, b3 = randn(6, (5, 4), (4, 5), (4, 1), (3, 4), (3, 1), (1, 3), (1, 1))
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    AL, caches = course.L_model_forward(X, params)
    assert_prints(AL, "[[0.03921668 0.70498921 0.19734387 0.04728177]]")
    assert len(caches) == 3
    assert_prints(caches[0][1], """[[-5.23825714,  3.18040136,  0.4074501 , -1.88612721],
         [-2.77358234, -0.56177316,  3.18141623, -0.99209432],
         [ 4.18500916, -1.78006909, -0.14502619,  2.72141638],
         [ 5.05850802, -1.25674082, -3.54566654,  3.82321852]]""")
    assert_prints(caches[1][1], """[[ 2.2644603 ,  1.09971298, -2.90298027,  1.54036335],
         [ 6.33722569, -2.38116246, -4.11228806,  4.48582383],
         [10.37508342, -0.66591468,  1.63635185,  8.17870169]]""")
    assert_prints(caches[2][1], "[[-3.19864676,  0.87117055, -1.40297864, -3.00319435]]")


def test_compute_cost():
    cost = course.compute_cost(np.array([[.8, .9, 0.4]]), np.asarray([[1, 1, 0]]))
    assert isinstance(cost, float)
    # Printed with 16 significant digits, 0.2797765635793422; a student's correct
    # notebook printed 0.2797765635793423 (the course's own public test compares with
    # np.allclose). Ours comes from the logits log(AL) - log(1 - AL): it matches the
    # first 15 digits and is within 2 units of the 16th, rounding of two correct formulas.
    assert_prints(cost, "0.279776563579342")
    assert abs(cost - 0.2797765635793422) <= 2e-16


def test_linear_backward():
    dZ, A, W, b = randn(1, (3, 4), (5, 4), (3, 5), (3, 1))
    dA_prev, dW, db = course.linear_backward(dZ, (A, W, b))
    assert_prints(dA_prev, """[[-1.15171336  0.06718465 -0.3204696   2.09812712]
 [ 0.60345879 -3.72508701  5.81700741 -3.84326836]
 [-0.4319552  -1.30987417  1.72354705  0.05070578]
 [-0.38981415  0.60811244 -1.25938424  1.47191593]
 [-2.52214926  2.67882552 -0.67947465  1.48119548]]""")
    assert_prints(dW, """[[ 0.07313866 -0.0976715  -0.87585828  0.73763362  0.00785716]
 [ 0.85508818  0.37530413 -0.59912655  0.71278189 -0.58931808]
 [ 0.97913304 -0.24376494 -0.08839671  0.55151192 -0.10290907]]""")
    assert_prints(db, "[[-0.14713786] [-0.11313155] [-0.13209101]]")


def test_linear_activation_backward():
    dA, A, W, b, Z = randn(2, (1, 2), (3, 2), (1, 3), (1, 1), (1, 2))
    cache = ((A, W, b), Z)
    dA_prev, dW, db = course.linear_activation_backward(dA, cache, "sigmoid")
    assert_prints(dA_prev, "[[ 0.11017994  0.01105339] [ 0.09466817  0.00949723] [-0.05743092 -0.00576154]]")
    assert_prints(dW, "[[ 0.10266786  0.09778551 -0.01968084]]")
    assert_prints(db, "[[-0.05729622]]")
    dA_prev, dW, db = course.linear_activation_backward(dA, cache, "relu")
    assert_prints(dA_prev, "[[ 0.44090989  0.        ] [ 0.37883606  0.        ] [-0.2298228   0.        ]]")
    assert_prints(dW, "[[ 0.44513824  0.37371418 -0.10478989]]")
    assert_prints(db, "[[-0.20837892]]")


def test_L_model_backward():
    AL, A1, W1, b1, Z1, A2, W2, b2, Z2 = randn(3, (1, 2), (4, 2), (3, 4), (3, 1), (3, 2),
                                             (3, 2), (1, 3), (1, 1), (1, 2))
    caches = (((A1, W1, b1), Z1), ((A2, W2, b2), Z2))
    grads = course.L_model_backward(AL, np.array([[1, 0]]), caches)
    assert_prints(grads["dA0"], "[[ 0. 0.52257901] [ 0. -0.3269206 ] [ 0. -0.32070404] [ 0. -0.74079187]]")
    assert_prints(grads["dA1"], "[[ 0.12913162 -0.44014127] [-0.14175655  0.48317296] [ 0.01663708 -0.05670698]]")
    assert_prints(grads["dW1"], """[[0.41010002 0.07807203 0.13798444 0.10502167]
 [0.         0.         0.         0.        ]
 [0.05283652 0.01005865 0.01777766 0.0135308 ]]""")
    assert_prints(grads["dW2"], "[[-0.39202432 -0.13325855 -0.04601089]]")
    assert_prints(grads["db1"], "[[-0.22007063] [ 0.        ] [-0.02835349]]")
    assert_prints(grads["db2"], "[[0.15187861]]")


def test_update_parameters():
    W1, b1, W2, b2 = randn(2, (3, 4), (3, 1), (1, 3), (1, 1))
    dW1, db1, dW2, db2 = randn(3, (3, 4), (3, 1), (1, 3), (1, 1))
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    before = {k: v.copy() for k, v in params.items()}
    new = course.update_parameters(params, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, 0.1)
    assert_prints(new["W1"], """[[-0.59562069 -0.09991781 -2.14584584  1.82662008]
 [-1.76569676 -0.80627147  0.51115557 -1.18258802]
 [-1.0535704  -0.86128581  0.68284052  2.20374577]]""")
    assert_prints(new["b1"], "[[-0.04659241] [-1.28888275] [ 0.53405496]]")
    assert_prints(new["W2"], "[[-0.55569196  0.0354055   1.32964895]]")
    assert_prints(new["b2"], "[[-0.84610769]]")
    assert all(np.array_equal(params[k], before[k]) for k in params)  # not modified


# -- Regularization ------------------------------------------------------------------
Y_REG = np.array([[1, 1, 0, 1, 0]])


def test_compute_cost_with_regularization():
    W1, b1, W2, b2, W3, b3 = randn(1, (2, 3), (2, 1), (3, 2), (3, 1), (1, 3), (1, 1))
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    a3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    cost = course.compute_cost_with_regularization(a3, Y_REG, params, lambd=0.1)
    assert_prints(cost, "1.78648594516")


def _regularization_cache():
    X = randn(1, (3, 5))[0]
    Z1 = np.array([[-1.52855314, 3.32524635, 2.13994541, 2.60700654, -0.75942115],
                   [-1.98043538, 4.1600994, 0.79051021, 1.46493512, -0.45506242]])
    W1 = np.array([[-1.09989127, -0.17242821, -0.87785842], [0.04221375, 0.58281521, -1.10061918]])
    b1 = np.array([[1.14472371], [0.90159072]])
    W2 = np.array([[0.50249434, 0.90085595], [-0.68372786, -0.12289023], [-0.93576943, -0.26788808]])
    b2 = np.array([[0.53035547], [-0.69166075], [-0.39675353]])
    W3 = np.array([[-0.6871727, -0.84520564, -0.67124613]])
    b3 = np.array([[-0.0126646]])
    return X, Z1, W1, b1, W2, b2, W3, b3


def test_backward_propagation_with_regularization():
    X, Z1, W1, b1, W2, b2, W3, b3 = _regularization_cache()
    A1 = np.array([[0., 3.32524635, 2.13994541, 2.60700654, 0.],
                   [0., 4.1600994, 0.79051021, 1.46493512, 0.]])
    Z2 = np.array([[0.53035547, 5.94892323, 2.31780174, 3.16005701, 0.53035547],
                   [-0.69166075, -3.47645987, -2.25194702, -2.65416996, -0.69166075],
                   [-0.39675353, -4.62285846, -2.61101729, -3.22874921, -0.39675353]])
    A2 = np.array([[0.53035547, 5.94892323, 2.31780174, 3.16005701, 0.53035547],
                   [0., 0., 0., 0., 0.], [0., 0., 0., 0., 0.]])
    Z3 = np.array([[-0.3771104, -4.10060224, -1.60539468, -2.18416951, -0.3771104]])
    A3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
    grads = course.backward_propagation_with_regularization(X, Y_REG, cache, lambd=0.7)
    assert_prints(grads["dW1"], "[[-0.25604646  0.12298827 -0.28297129] [-0.17706303  0.34536094 -0.4410571 ]]")
    assert_prints(grads["dW2"], "[[ 0.79276486  0.85133918] [-0.0957219  -0.01720463] [-0.13100772 -0.03750433]]")
    assert_prints(grads["dW3"], "[[-1.77691347 -0.11832879 -0.09397446]]")


def test_forward_propagation_with_dropout():
    X, W1, b1, W2, b2, W3, b3 = randn(1, (3, 5), (2, 3), (2, 1), (3, 2), (3, 1), (1, 3), (1, 1))
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    A3, cache = course.forward_propagation_with_dropout(X, params, keep_prob=0.7)
    assert_prints(A3, "[[ 0.36974721  0.00305176  0.04565099  0.49683389  0.36974721]]")
    assert len(cache) == 14
    # Another Generator draws other masks: the default is the course's, not a constant.
    other, _ = course.forward_propagation_with_dropout(X, params, 0.7, rng=np.random.default_rng(0))
    assert not np.allclose(other, A3)


def test_backward_propagation_with_dropout():
    X, Z1, W1, b1, W2, b2, W3, b3 = _regularization_cache()
    D1 = np.array([[1, 0, 1, 1, 1], [1, 1, 1, 1, 0]], dtype=bool)
    A1 = np.array([[0., 0., 4.27989081, 5.21401307, 0.], [0., 8.32019881, 1.58102041, 2.92987024, 0.]])
    Z2 = np.array([[0.53035547, 8.02565606, 4.10524802, 5.78975856, 0.53035547],
                   [-0.69166075, -1.71413186, -3.81223329, -4.61667916, -0.69166075],
                   [-0.39675353, -2.62563561, -4.82528105, -6.0607449, -0.39675353]])
    D2 = np.array([[1, 0, 1, 0, 1], [0, 1, 0, 1, 1], [0, 0, 1, 0, 0]], dtype=bool)
    A2 = np.array([[1.06071093, 0., 8.21049603, 0., 1.06071093], [0.] * 5, [0.] * 5])
    Z3 = np.array([[-0.7415562, -0.0126646, -5.65469333, -0.0126646, -0.7415562]])
    A3 = np.array([[0.32266394, 0.49683389, 0.00348883, 0.49683389, 0.32266394]])
    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
    grads = course.backward_propagation_with_dropout(X, Y_REG, cache, keep_prob=0.8)
    assert_prints(grads["dA1"], """[[ 0.36544439  0.         -0.00188233  0.         -0.17408748]
 [ 0.65515713  0.         -0.00337459  0.         -0.        ]]""")
    assert_prints(grads["dA2"], """[[ 0.58180856  0.         -0.00299679  0.         -0.27715731]
 [ 0.          0.53159854 -0.          0.53159854 -0.34089673]
 [ 0.          0.         -0.00292733  0.         -0.        ]]""")


# -- Optimization methods ------------------------------------------------------------
def _optimization_case():
    W1, b1, W2, b2, dW1, db1, dW2, db2 = randn(1, (2, 3), (2, 1), (3, 3), (3, 1),
                                               (2, 3), (2, 1), (3, 3), (3, 1))
    return ({"W1": W1, "b1": b1, "W2": W2, "b2": b2},
            {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2})


def test_update_parameters_with_gd():
    params, grads = _optimization_case()
    new = course.update_parameters_with_gd(params, grads, 0.01)
    assert_prints(new["W1"], "[[ 1.63535156 -0.62320365 -0.53718766] [-1.07799357  0.85639907 -2.29470142]]")
    assert_prints(new["b1"], "[[ 1.74604067] [-0.75184921]]")
    assert_prints(new["W2"], """[[ 0.32171798 -0.25467393  1.46902454]
 [-2.05617317 -0.31554548 -0.3756023 ]
 [ 1.1404819  -1.09976462 -0.1612551 ]]""")
    assert_prints(new["b2"], "[[-0.88020257] [ 0.02561572] [ 0.57539477]]")


def test_random_mini_batches():
    rs = np.random.RandomState(1)
    X = rs.randn(12288, 148)
    Y = rs.randn(1, 148) < 0.5
    batches = course.random_mini_batches(X, Y, 64)
    assert [b[0].shape for b in batches] == [(12288, 64), (12288, 64), (12288, 20)]
    assert [b[1].shape for b in batches] == [(1, 64), (1, 64), (1, 20)]
    assert_prints(batches[0][0][0][0:3], "[ 0.90085595 -0.7612069   0.2344157 ]")


_V = {"dW1": "[[-0.11006192  0.11447237  0.09015907] [ 0.05024943  0.09008559 -0.06837279]]",
      "db1": "[[-0.01228902] [-0.09357694]]",
      "dW2": """[[-0.02678881  0.05303555 -0.06916608]
 [-0.03967535 -0.06871727 -0.08452056]
 [-0.06712461 -0.00126646 -0.11173103]]""",
      "db2": "[[0.02344157] [0.16598022] [0.07420442]]"}


def test_momentum():
    params, grads = _optimization_case()
    v = course.initialize_velocity(params)
    assert all(np.array_equal(v["d" + k], np.zeros_like(p)) for k, p in params.items())
    new, v = course.update_parameters_with_momentum(params, grads, v, beta=0.9, learning_rate=0.01)
    assert_prints(new["W1"], "[[ 1.62544598 -0.61290114 -0.52907334] [-1.07347112  0.86450677 -2.30085497]]")
    assert_prints(new["b1"], "[[ 1.74493465] [-0.76027113]]")
    assert_prints(new["W2"], """[[ 0.31930698 -0.24990073  1.4627996 ]
 [-2.05974396 -0.32173003 -0.38320915]
 [ 1.13444069 -1.0998786  -0.1713109 ]]""")
    assert_prints(new["b2"], "[[-0.87809283] [ 0.04055394] [ 0.58207317]]")
    for key, printed in _V.items():
        assert_prints(v[key], printed)


def test_adam():
    params, grads = _optimization_case()
    v, s = course.initialize_adam(params)
    new, v, s = course.update_parameters_with_adam(params, grads, v, s, t=2)
    assert_prints(new["W1"], "[[ 1.63178673 -0.61919778 -0.53561312] [-1.08040999  0.85796626 -2.29409733]]")
    assert_prints(new["b1"], "[[ 1.75225313] [-0.75376553]]")
    assert_prints(new["W2"], """[[ 0.32648046 -0.25681174  1.46954931]
 [-2.05269934 -0.31497584 -0.37661299]
 [ 1.14121081 -1.09244991 -0.16498684]]""")
    assert_prints(new["b2"], "[[-0.88529979] [ 0.03477238] [ 0.57537385]]")
    for key, printed in _V.items():
        assert_prints(v[key], printed)
    assert_prints(s["dW1"], "[[0.00121136 0.00131039 0.00081287] [0.0002525  0.00081154 0.00046748]]")
    assert_prints(s["db1"], "[[1.51020075e-05] [8.75664434e-04]]")
    assert_prints(s["dW2"], """[[7.17640232e-05 2.81276921e-04 4.78394595e-04]
 [1.57413361e-04 4.72206320e-04 7.14372576e-04]
 [4.50571368e-04 1.60392066e-07 1.24838242e-03]]""")
    assert_prints(s["db2"], "[[5.49507194e-05] [2.75494327e-03] [5.50629536e-04]]")


def test_adam_2021_edition_and_its_epsilon_placement():
    # The 2021 public tests: the same inputs, t = 2, lr 0.02, beta1 0.8, beta2 0.888 and
    # epsilon 1e-2, large enough for its placement to show in the printed digits.
    params, grads = _optimization_case()
    v, s = course.initialize_adam(params)
    new, v, s = course.update_parameters_with_adam(params, grads, v, s, 2, 0.02, 0.8, 0.888, 1e-2)
    # One edition prints the first rows, computed with epsilon outside the root (ours):
    assert_prints(new["W1"][0], "[ 1.63942428, -0.6268425,  -0.54320974]")
    assert_prints(new["W2"][0], "[ 0.33356139, -0.26425199, 1.47707772]")
    assert_prints(new["b1"][0], "[1.75854357]")
    assert_prints(new["b2"][0], "[-0.89228024]")
    assert_prints(v["dW1"][0], "[-0.22012384,  0.22894474,  0.18031814]")
    assert_prints(s["dW1"][0], "[0.13567261, 0.14676395, 0.09104097]")
    # Another edition's expected values were computed with epsilon INSIDE the root:
    # optax's eps_root = 1e-2 with no epsilon outside reproduces every printed digit,
    # and the notebook's formula (epsilon outside) does not.
    v, s = course.initialize_adam(params)
    inside, v, s = course.update_parameters_with_adam(params, grads, v, s, 2, 0.02, 0.8, 0.888,
                                                      epsilon=0.0, eps_root=1e-2)
    assert_prints(inside["W1"], """[[ 1.63949493, -0.62691477, -0.54326465],
                                 [-1.08769515,  0.85031501, -2.28657079]]""")
    assert_prints(inside["b1"], "[[1.7549895], [-0.7461017]]")
    assert_prints(inside["W2"], """[[ 0.33262355, -0.26414959,  1.47708248],
                                 [-2.0457142 , -0.30744639, -0.36898502],
                                 [ 1.14872646, -1.09849003, -0.15727519]]""")
    assert_prints(inside["b2"], "[[-0.89102966], [0.02699863], [0.56780324]]")
    assert_prints(s["dW2"], """[[0.00803757, 0.03150302, 0.05358019],
                                       [0.0176303 , 0.05288711, 0.08000973],
                                       [5.04639932e-02, 1.79639114e-05, 1.39818830e-01]]""")
    with pytest.raises(AssertionError):
        assert_prints(new["W1"], "[[ 1.63949493, -0.62691477, -0.54326465], [-1.08769515,  0.85031501, -2.28657079]]")


# -- Gradient checking ---------------------------------------------------------------
def test_gradient_check_n():
    X, W1, b1, W2, b2, W3, b3 = randn(1, (4, 3), (5, 4), (5, 1), (3, 5), (3, 1), (1, 3), (1, 1))
    Y = np.array([[1, 1, 0]])  # the course's is 1-D, [1, 1, 0]: refused here (shape (1, m))
    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    AL, caches = course.L_model_forward(X, params)
    grads = course.L_model_backward(AL, Y, caches)
    assert course.gradient_check_n(params, grads, X, Y) < 2e-7  # a correct backward passes
    # The course's backward_propagation_n has two planted bugs: dW2 twice, db1 four times.
    grads = dict(grads, dW2=2 * grads["dW2"], db1=4 * grads["db1"])
    difference = course.gradient_check_n(params, grads, X, Y)
    # Printed 0.2850931567761624 (another correct notebook printed ...623). Each entry of
    # gradapprox divides a difference of two costs by 2e-7, so the rounding of J (its
    # formula, the order of the BLAS sums) reaches gradapprox at about 1e-8 relative;
    # the course measures its own level of that noise: its difference for the CORRECT
    # backward pass is 1.1890913022840002e-07. Digits below that level cannot agree
    # between two correct programs: ours agrees with the print to 2.6e-8 relative
    # (0.28509314937), within the course's noise level, and in the first 7 digits.
    assert abs(difference - 0.2850931567761624) <= 1.1890913022840002e-07 * 0.2850931567761624
    assert_prints(difference, "0.285093")


def test_refuses_what_the_course_broadcasts():
    with pytest.raises(ValueError, match=r"Y must be 2-D.*reshape\(1, -1\)"):
        course.compute_cost(np.array([[.8, .9, .4]]), np.array([1, 1, 0]))
    with pytest.raises(ValueError, match="linear cache shapes disagree"):
        course.linear_forward(np.ones((3, 2)), np.ones((1, 3)), np.ones((2, 1)))
