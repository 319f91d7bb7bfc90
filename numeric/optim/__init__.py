"""Optimizers as pure ``init``/``update`` pairs with explicit, typed state.

``state = opt.init(params)``; ``params, state = opt.update(params, grads, state)``
returns new arrays and leaves its inputs untouched. ``grads`` uses the names of
``Network.backward`` (``dW1``, ``db1``, ...); ``params`` those of ``Network.params``.
The optimizers are those of derive's catalog (:mod:`numeric.optim._classes`).
"""

from ._classes import CLASSES, OPTIMIZERS, STATES, make_optimizer
from .adam import Adam, AdamState
from .gd import GradientDescent, GradientDescentState
from .momentum import Momentum, MomentumState
from .rmsprop import RMSprop, RMSpropState

# The catalog's optimizers without a hand-written class (AdamW, Nadam, ...), by class name.
for _name, _cls in CLASSES.items():
    globals().setdefault(_cls.__name__, _cls)
    globals().setdefault(STATES[_name].__name__, STATES[_name])

__all__ = [
    "GradientDescent", "GradientDescentState",
    "Momentum", "MomentumState",
    "RMSprop", "RMSpropState",
    "Adam", "AdamState",
    *(c.__name__ for c in CLASSES.values() if c.__name__ not in
      ("GradientDescent", "Momentum", "RMSprop", "Adam")),
    *(s.__name__ for s in STATES.values() if s.__name__ not in
      ("GradientDescentState", "MomentumState", "RMSpropState", "AdamState")),
    "OPTIMIZERS", "CLASSES", "make_optimizer",
]
