"""Every optimizer class, by command-line name, in the catalog's order.

The catalog (:data:`numeric._catalog.OPTIMIZER_SPECS`) lists the optimizers; those with a
hand-written class in this package use it, the others get one made from their row
(:func:`numeric.optim._generic.catalog_optimizer`). Training's fast path, checkpoints and
the command line read this table, so a new catalog optimizer reaches all three.
"""

from __future__ import annotations

from .. import _catalog
from ._generic import catalog_optimizer
from .adam import Adam, AdamState
from .gd import GradientDescent, GradientDescentState
from .momentum import Momentum, MomentumState
from .rmsprop import RMSprop, RMSpropState

__all__ = ["CLASSES", "STATES", "OPTIMIZERS", "make_optimizer"]

_HAND_WRITTEN = {c.__name__: (c, s) for c, s in (
    (GradientDescent, GradientDescentState), (Momentum, MomentumState),
    (RMSprop, RMSpropState), (Adam, AdamState))}

OPTIMIZERS = tuple(_catalog.OPTIMIZERS)
CLASSES, STATES = {}, {}
for _name, _spec in _catalog.OPTIMIZER_SPECS.items():
    CLASSES[_name], STATES[_name] = (_HAND_WRITTEN.get(_spec["class_name"])
                                     or catalog_optimizer(_name, _spec))


def make_optimizer(name: str, learning_rate: float, **kwargs):
    """An optimizer by command-line name (``gd``, ``momentum``, ``rmsprop``, ``adam``, ...)."""
    if name not in CLASSES:
        raise ValueError(f"unknown optimizer {name!r}; valid: {', '.join(OPTIMIZERS)}")
    return CLASSES[name](learning_rate=learning_rate, **kwargs)
