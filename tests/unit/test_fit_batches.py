"""fit's mini-batches (issue 16): rows of the transposed data, the same batches as the
column gather they replace, no copy of Fortran-ordered data, none for a full batch."""

import numpy as np

from numeric import Network
from numeric.optim import Adam
from numeric.training import _Batches, iterate_minibatches


def _data(m=23, n_x=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    return X, Y


def test_batches_are_the_columns_of_the_shuffled_epoch():
    X, Y = _data()
    got = [(xb.copy(), yb.copy()) for xb, yb in _Batches(X, Y, 5).epoch(np.random.default_rng(3))]
    want = [(X[:, idx], Y[:, idx]) for idx in iterate_minibatches(23, 5, np.random.default_rng(3))]
    assert [xb.shape for xb, _ in got] == [(5, 5)] * 4 + [(5, 3)]
    for (xb, yb), (wx, wy) in zip(got, want, strict=True):
        assert np.array_equal(xb, wx) and np.array_equal(yb, wy)


def test_fortran_ordered_data_is_not_copied_and_a_full_batch_is_the_data():
    X, Y = _data()
    F = _Batches(np.asfortranarray(X), np.asfortranarray(Y), 5)
    assert np.shares_memory(F.XT, F.X)
    C = _Batches(X, Y, 5)
    assert not np.shares_memory(C.XT, X)  # the one copy of C-ordered data
    full = list(_Batches(X, Y, 23).epoch(np.random.default_rng(0)))
    assert len(full) == 1 and full[0][0] is X and full[0][1] is Y


def test_fit_on_c_and_fortran_ordered_data_trains_the_same_network():
    X, Y = _data(m=40)
    nets = []
    for data in (X, np.asfortranarray(X)):
        net = Network([5, 4, 1], hidden="tanh", seed=1)
        net.fit(data, Y, optimizer=Adam(0.01), epochs=3, batch_size=8, keep_prob=0.9, seed=2,
                progress=False)
        nets.append(net)
    for k in nets[0].params:
        # The same batches (the same transposed rows): bit for bit.
        assert np.array_equal(nets[0].params[k], nets[1].params[k])


def test_the_tiled_transpose_is_the_transpose():
    from numeric.training import _transposed

    rng = np.random.default_rng(4)
    # partial tiles at both edges; rows of 4 KiB and 8 KiB (the 16-row tiles)
    for shape in ((5, 23), (65, 300), (130, 513), (1, 1), (37, 1024), (70, 2048)):
        A = rng.standard_normal(shape).astype(np.float32)
        T = _transposed(A)
        assert T.flags.c_contiguous and T.dtype == A.dtype
        assert np.array_equal(T, A.T)
    F = np.asfortranarray(rng.standard_normal((4, 6)))
    assert np.shares_memory(_transposed(F), F)  # already C-ordered as F.T: no copy
