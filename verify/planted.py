"""Planted bugs: mutated backward passes that the checks must catch, naming the parameter.

Each bug is :func:`numeric.propagation.backward` (``params, cache, Y, hidden, output,
lambd=0.0``) with a single mutation of its layer loop's formulas
(:class:`numeric.propagation.Formulas`): the network's own loop, not a copy. What each mutation breaks follows from the data flow of
backprop: ``dW[l]`` and ``db[l]`` are read by nothing else (``dA_prev = W^T dZ`` uses
``dZ``), so a mutated ``dW2`` breaks ``W2`` alone; a mutated ``dZ[l]`` breaks every
parameter at and below layer ``l``.

:data:`PLANTED` lists the bugs with the configuration that exposes them and the exact set
of parameters that must fail (on the network :data:`LAYER_DIMS`, whose layer 2 is square
so a transposed ``dW2`` still has the right shape).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from numeric import _generated as gen
from numeric import propagation

__all__ = ["PlantedBug", "PLANTED", "LAYER_DIMS", "mutated_backward", "planted_case"]

# [n_x, n_1, n_2, n_L]: W2 is 5 x 5 (square, for the transposed dW2).
LAYER_DIMS = (4, 5, 5, 1)
_ALL = frozenset({"W1", "b1", "W2", "b2", "W3", "b3"})


def mutated_backward(*, dw=None, db=None, dz_out=None, gprime=None, dropout=None, l2=None):
    """:func:`numeric.propagation.backward` itself, with some of its formulas replaced.

    Each keyword replaces one formula of the loop (``None`` keeps the correct one; see
    :class:`numeric.propagation.Formulas`): ``dw(l, dZ, A_prev, m)``, ``db(l, dZ, m)``,
    ``dz_out(A, Y)``, ``gprime(hidden)`` -> ``g'``, ``dropout(dA, D, keep_prob)``,
    ``l2(l, W, lambd, m)``. The bug is planted in the network's own layer loop, not in a
    copy of it: a change to that loop is exercised by the planted bugs too.
    """
    given = {"dw": dw, "db": db, "dz_out": dz_out, "gprime": gprime, "dropout": dropout,
             "l2": l2}
    formulas = propagation.FORMULAS._replace(**{k: v for k, v in given.items() if v is not None})

    def backward(params, cache, Y, hidden, output, lambd=0.0, **kwargs):
        return propagation.backward(params, cache, Y, hidden, output, lambd,
                                    formulas=formulas, **kwargs)

    return backward


def _correct_dw(l, dZ, A_prev, m):
    return gen.layer_dw(dZ=dZ, A_prev=A_prev, m=m)


@dataclass(frozen=True)
class PlantedBug:
    """A mutated backward pass and what it must break.

    Attributes
    ----------
    name : str, short identifier
    description : str, the mistake in words
    backward : callable, signature of ``numeric.propagation.backward``
    expected : frozenset of str, exactly the parameters whose check must fail
    hidden : str, hidden activation of the network that exposes it
    lambd : float, L2 strength (> 0 where the bug is in the L2 term)
    keep_prob : float (< 1 where the bug is in dropout)
    """

    name: str
    description: str
    backward: Callable
    expected: frozenset
    hidden: str = "tanh"
    lambd: float = 0.0
    keep_prob: float = 1.0
    extra: dict = field(default_factory=dict)


PLANTED = (
    PlantedBug("dw_times_2", "dW x 2 in layer 2",
               mutated_backward(dw=lambda l, dZ, A, m: (2 if l == 2 else 1) * _correct_dw(l, dZ, A, m)),
               frozenset({"W2"})),
    PlantedBug("dw_missing_1_over_m", "dW1 = dZ1 A0^T, the 1/m missing (layer 1)",
               mutated_backward(dw=lambda l, dZ, A, m: dZ @ A.T if l == 1 else _correct_dw(l, dZ, A, m)),
               frozenset({"W1"})),
    PlantedBug("dw_transposed", "dW2 = (dZ2 A1^T)^T / m, transposed (layer 2 is 5 x 5)",
               mutated_backward(dw=lambda l, dZ, A, m: _correct_dw(l, dZ, A, m).T if l == 2
                                else _correct_dw(l, dZ, A, m)),
               frozenset({"W2"})),
    PlantedBug("sign_flip", "dZ[L] = Y - A instead of A - Y (flows into every layer)",
               mutated_backward(dz_out=lambda A, Y: Y - A), _ALL),
    PlantedBug("sigmoid_prime_for_tanh", "sigmoid'(Z) used as g'(Z) of tanh hidden layers",
               mutated_backward(gprime=lambda hidden: gen.sigmoid_prime),
               frozenset({"W1", "b1", "W2", "b2"})),
    PlantedBug("l2_missing", "the (lambd/m) W term left out of every dW",
               mutated_backward(l2=lambda l, W, lambd, m: np.zeros_like(W)),
               frozenset({"W1", "W2", "W3"}), lambd=0.7),
    PlantedBug("dropout_mask_missing", "backward ignores the dropout masks (dA not masked, not scaled)",
               mutated_backward(dropout=lambda dA, D, keep_prob: dA),
               frozenset({"W1", "b1", "W2", "b2"}), keep_prob=0.6),
    PlantedBug("db_not_summed", "db3 = dZ3[:, :1] / m: the first example only, not the sum",
               mutated_backward(db=lambda l, dZ, m: dZ[:, :1] / m if l == 3 else gen.layer_db(dZ=dZ, m=m)),
               frozenset({"b3"})),
)


def planted_case(bug: PlantedBug, m: int = 8, seed: int = 0):
    """The network and data a planted bug is checked on: ``(net, X, Y)``.

    ``LAYER_DIMS``, xavier init, sigmoid output with 0/1 labels, ``m`` examples (> 1, so
    that a missing 1/m shows).
    """
    from numeric import Network

    rng = np.random.default_rng(seed)
    net = Network(LAYER_DIMS, hidden=bug.hidden, output="sigmoid", init="xavier", seed=seed)
    X = rng.standard_normal((LAYER_DIMS[0], m))
    Y = (rng.random((LAYER_DIMS[-1], m)) < 0.5).astype(np.float64)
    return net, X, Y
