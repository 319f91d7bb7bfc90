"""Functions that never finish, print 100 MB or allocate 10 GB; and one that is fine."""
import numpy as np

while True:  # a top-level loop: not run (only imports and definitions are loaded)
    pass


def linear_forward(A, W, b):
    while True:  # loops forever
        pass


def sigmoid(Z):
    print("x" * 100_000_000)  # prints 100 MB
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z):
    big = np.ones(10 * 2**30 // 8)  # allocates 10 GB
    return np.maximum(0, Z) + big[0] * 0, Z


def compute_cost(AL, Y):
    import os
    for _ in range(10**6):  # writes past the file-size limit, below Python's print
        os.write(1, b"y" * 1_000_000)


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def relu_backward(dA, cache):
    import signal
    signal.signal(signal.SIGALRM, signal.SIG_IGN)  # its own alarm ignored: the parent stops it
    while True:
        pass
