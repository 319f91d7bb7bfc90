"""Optimizers as pure ``init``/``update`` pairs with explicit, typed state.

``state = opt.init(params)``; ``params, state = opt.update(params, grads, state)``
returns new arrays and leaves its inputs untouched. ``grads`` uses the names of
``Network.backward`` (``dW1``, ``db1``, ...); ``params`` those of ``Network.params``.
"""

from ._base import OPTIMIZERS, make_optimizer
from .adam import Adam, AdamState
from .gd import GradientDescent, GradientDescentState
from .momentum import Momentum, MomentumState
from .rmsprop import RMSprop, RMSpropState

__all__ = [
    "GradientDescent", "GradientDescentState",
    "Momentum", "MomentumState",
    "RMSprop", "RMSpropState",
    "Adam", "AdamState",
    "OPTIMIZERS", "make_optimizer",
]
