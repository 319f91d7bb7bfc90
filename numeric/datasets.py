"""Data sets for training demos: two generated, two real; columns are examples.

``flower`` (the notes' planar two-class "flower") and ``moons`` are generated here from a
seed; ``digits`` and ``breast_cancer`` are real data sets that scikit-learn ships inside
its package (no download). scikit-learn is an optional extra
(``pip install 'gradproof[data]'``) and is imported only inside their loaders, so
``import numeric.datasets`` needs NumPy alone.

:func:`load` splits a data set into a training and a test part (stratified by class,
seeded) and standardizes the features with the statistics of the training part only.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "DATASETS", "Dataset", "MissingDependency", "load", "raw",
    "flower", "moons", "stratified_split", "standardize", "one_hot",
]

DATASETS = ("flower", "moons", "digits", "breast_cancer")

_INSTALL_HINT = "pip install 'gradproof[data]'  (or: pip install scikit-learn)"


class MissingDependency(ImportError):
    """An optional package that a data set needs is not installed; the message says how
    to install it, in one line."""


class Dataset(NamedTuple):
    """A split, standardized data set; columns are examples.

    Fields
    ------
    X_train : ndarray, shape (n_x, m_train), float64, standardized
    Y_train : ndarray, shape (n_y, m_train), float64; n_y = 1 (0/1 labels) for two
        classes, n_y = K (one-hot columns) for K > 2 classes
    X_test : ndarray, shape (n_x, m_test), standardized with the *training* statistics
    Y_test : ndarray, shape (n_y, m_test)
    classes : tuple of str, the class names; label k is ``classes[k]``
    name : str, one of :data:`DATASETS`
    description : str, one line: what the data are and where they come from
    mean : ndarray, shape (n_x, 1), the training mean used to standardize
    std : ndarray, shape (n_x, 1), the training standard deviation used (1 where a
        feature is constant in the training set)
    """

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    classes: tuple
    name: str
    description: str
    mean: np.ndarray
    std: np.ndarray

    @property
    def output(self) -> str:
        """The output layer that fits Y: ``"sigmoid"`` for 0/1 labels, else ``"softmax"``."""
        return "sigmoid" if self.Y_train.shape[0] == 1 else "softmax"

    def labels(self, Y: np.ndarray) -> np.ndarray:
        """Class indices, shape (1, m), from Y of shape (n_y, m) (0/1 row or one-hot)."""
        if Y.shape[0] == 1:
            return Y.astype(np.int64)
        return np.argmax(Y, axis=0).reshape(1, -1)


# -- generators -------------------------------------------------------------------------
def _rng(seed) -> np.random.Generator:
    # default_rng returns a Generator unchanged, so callers may pass either a seed or
    # their own stream; nothing touches NumPy's global state.
    return np.random.default_rng(seed)


def flower(m: int = 400, seed=0, noise: float = 0.2, petals: int = 4,
           radius: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """The planar "flower": two interleaved classes of petals, as in the notes.

    Each class covers half the angles; a point at angle ``t`` lies at radius
    ``r = radius * sin(petals * t)``, both ``t`` and ``r`` perturbed by Gaussian noise of
    standard deviation ``noise``. Class 0 takes ``t`` in [0, 3.12], class 1 in
    [3.12, 6.24], so the petals of the two classes alternate around the origin.

    Parameters
    ----------
    m : int >= 2, number of points (half per class; class 1 gets the odd one)
    seed : int or np.random.Generator
    noise, petals, radius : the shape of the flower (the notes use 0.2, 4, 4)

    Returns
    -------
    X : ndarray, shape (2, m)
    Y : ndarray, shape (1, m), int64 labels 0 or 1
    """
    m = _check_count("m", m, low=2)
    rng = _rng(seed)
    sizes = (m // 2, m - m // 2)
    X = np.empty((2, m))
    Y = np.empty((1, m), dtype=np.int64)
    start = 0
    for j, n in enumerate(sizes):
        # 3.12 (not pi) is the notes' choice; it leaves a small gap between the classes' arcs.
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.standard_normal(n) * noise
        r = radius * np.sin(petals * t) + rng.standard_normal(n) * noise
        X[:, start:start + n] = np.stack([r * np.sin(t), r * np.cos(t)])
        Y[0, start:start + n] = j
        start += n
    return X, Y


def moons(m: int = 400, noise: float = 0.2, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles ("moons"), with Gaussian noise.

    Class 0: ``(cos t, sin t)``; class 1: ``(1 - cos t, 0.5 - sin t)``, ``t`` evenly
    spaced in [0, pi]; then noise of standard deviation ``noise`` on each coordinate.

    Parameters
    ----------
    m : int >= 2, number of points (half per class; class 1 gets the odd one)
    noise : float >= 0
    seed : int or np.random.Generator

    Returns
    -------
    X : ndarray, shape (2, m)
    Y : ndarray, shape (1, m), int64 labels 0 or 1
    """
    m = _check_count("m", m, low=2)
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = _rng(seed)
    n0, n1 = m // 2, m - m // 2
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    X = np.concatenate([np.stack([np.cos(t0), np.sin(t0)]),
                        np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)])], axis=1)
    X = X + rng.standard_normal(X.shape) * noise
    Y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)]).reshape(1, -1)
    return X, Y


def _sklearn_loader(name: str):
    """scikit-learn's loader for ``name``, imported here so that nothing else needs it."""
    try:
        from sklearn import datasets as skd
    except ImportError:
        raise MissingDependency(
            f"the {name!r} data set comes with scikit-learn, which is not installed: "
            f"{_INSTALL_HINT}") from None
    return {"digits": skd.load_digits, "breast_cancer": skd.load_breast_cancer}[name]


def _real(name: str) -> tuple[np.ndarray, np.ndarray, tuple]:
    """``(X (n_x, m), labels (1, m) int64, class names)`` of a scikit-learn data set."""
    bunch = _sklearn_loader(name)()
    # scikit-learn stores rows as examples; the notes (and Network) want columns.
    X = np.asarray(bunch.data, dtype=np.float64).T
    labels = np.asarray(bunch.target, dtype=np.int64).reshape(1, -1)
    classes = tuple(str(c) for c in bunch.target_names)
    return X, labels, classes


_DESCRIPTIONS = {
    "flower": "planar 'flower' of the notes: 2 classes of petals, r = 4 sin(4t) + noise (generated)",
    "moons": "two interleaving half circles with Gaussian noise 0.2 (generated)",
    "digits": "8x8 images of handwritten digits 0-9, UCI via scikit-learn (1797 images, 64 pixels)",
    "breast_cancer": "Wisconsin diagnostic breast cancer, UCI via scikit-learn (569 tumours, 30 features)",
}


def raw(name: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray, tuple]:
    """The whole data set, unsplit and unscaled.

    Returns
    -------
    X : ndarray, shape (n_x, m), float64
    labels : ndarray, shape (1, m), int64 class indices
    classes : tuple of str

    Raises
    ------
    ValueError for an unknown name; MissingDependency when scikit-learn is needed and absent.
    """
    _check_name(name)
    if name == "flower":
        X, labels = flower(seed=seed)
        return X, labels, ("red", "blue")
    if name == "moons":
        X, labels = moons(seed=seed)
        return X, labels, ("upper", "lower")
    return _real(name)


# -- preparation ------------------------------------------------------------------------
def stratified_split(labels: np.ndarray, test_fraction: float,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Shuffled train and test column indices with the class proportions kept.

    Each class ``c`` with ``n_c`` examples sends ``round(test_fraction * n_c)`` of them
    (at least 1, at most ``n_c - 1``) to the test part.

    Parameters
    ----------
    labels : ndarray, shape (1, m), int class indices
    test_fraction : float in (0, 1)
    rng : np.random.Generator

    Returns
    -------
    train_idx, test_idx : int ndarrays of shape (m_train,) and (m_test,), disjoint, their
        union 0..m-1, each in shuffled order
    """
    fraction = float(test_fraction)
    if not (0.0 < fraction < 1.0):
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    y = np.asarray(labels).reshape(-1)
    train, test = [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        if idx.size < 2:
            raise ValueError(f"class {c} has {idx.size} example; a split needs at least 2 per class")
        n_test = min(max(int(round(fraction * idx.size)), 1), idx.size - 1)
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    # Shuffle across classes too, so no consumer sees the examples grouped by class.
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def standardize(X_train: np.ndarray, X_test: np.ndarray):
    """Scale each feature to mean 0 and variance 1 using the training statistics only.

    The test set is scaled with the training mean and standard deviation, never its own,
    so that nothing about the test examples leaks into training. A feature constant in
    the training set (std 0; e.g. the corner pixels of ``digits``) is only centred.

    Parameters
    ----------
    X_train : ndarray, shape (n_x, m_train); X_test : ndarray, shape (n_x, m_test)

    Returns
    -------
    X_train_std, X_test_std : the scaled arrays, same shapes
    mean, std : ndarray, shape (n_x, 1)
    """
    mean = X_train.mean(axis=1, keepdims=True)
    std = X_train.std(axis=1, keepdims=True)
    std = np.where(std > 0, std, 1.0)
    return (X_train - mean) / std, (X_test - mean) / std, mean, std


def one_hot(labels: np.ndarray, K: int) -> np.ndarray:
    """One-hot columns: ``labels`` of shape (1, m) with values in 0..K-1 -> (K, m) float64."""
    y = np.asarray(labels).reshape(-1)
    if y.size and (y.min() < 0 or y.max() >= K):
        raise ValueError(f"labels must lie in 0..{K - 1}, got values from {y.min()} to {y.max()}")
    Y = np.zeros((K, y.size))
    Y[y, np.arange(y.size)] = 1.0
    return Y


def load(name: str, seed: int = 0, test_fraction: float = 0.25) -> Dataset:
    """A data set split into training and test parts and standardized.

    Parameters
    ----------
    name : one of :data:`DATASETS`
    seed : int; generates ``flower`` and ``moons`` and draws the split
    test_fraction : float in (0, 1), the share of each class held out for testing

    Returns
    -------
    Dataset, with columns as examples. Two classes give ``Y`` of shape (1, m) with 0/1
    labels (for a sigmoid output); more give one-hot ``Y`` of shape (K, m) (softmax).
    Features are standardized with the training part's mean and standard deviation only.

    Raises
    ------
    ValueError
        for an unknown name (the message lists the valid ones) or a bad test_fraction.
    MissingDependency
        (an ImportError) for ``digits`` and ``breast_cancer`` without scikit-learn.
    """
    seed = _check_count("seed", seed, low=0)
    X, labels, classes = raw(name, seed)
    # An independent stream for the split, so that changing test_fraction never changes
    # the generated points, and flower(seed=s) is exactly the data of load("flower", s).
    train_idx, test_idx = stratified_split(labels, test_fraction, np.random.default_rng((seed, 1)))
    X_train, X_test, mean, std = standardize(X[:, train_idx], X[:, test_idx])
    K = len(classes)
    if K == 2:
        Y_train = labels[:, train_idx].astype(np.float64)
        Y_test = labels[:, test_idx].astype(np.float64)
    else:
        Y_train, Y_test = one_hot(labels[:, train_idx], K), one_hot(labels[:, test_idx], K)
    return Dataset(X_train, Y_train, X_test, Y_test, classes, name, _DESCRIPTIONS[name], mean, std)


# -- checks ---------------------------------------------------------------------------
def _check_name(name) -> None:
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; valid: {', '.join(DATASETS)}")


def _check_count(what: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{what} must be an integer >= {low}, got {value!r}")
    return int(value)
