"""What :func:`verify.check_network` checks: the given network's own passes.

A *subject* is the network handed to the check, reduced to three functions of explicit
parameters (so that finite differences can move them):

- ``forward(params, X) -> (AL, cache)``
- ``cost(params, Y, cache) -> float``
- ``backward(params, Y, cache) -> {"dW1": ..., "db1": ..., ...}``

built from either form a user may have:

- an object with ``params`` (a dict ``W1, b1, ..., WL, bL``) and the methods of
  :class:`numeric.Network`: ``forward(X, keep_prob=, rng=)``, ``cost(Y, cache, lambd=)``,
  ``backward(Y, cache, lambd=)`` (a ``Network``, a subclass, or a class of one's own); the
  parameters are swapped into ``params`` for each call and put back after it;
- plain functions over a dict of parameters, as the course notes write them:
  ``forward(params, X, keep_prob=, rng=)``, ``cost(params, Y, cache, lambd=)``,
  ``backward(params, Y, cache, lambd=)``.

``keep_prob`` and ``rng`` are passed only when ``keep_prob < 1``, ``lambd`` only when it
is not 0, so a network without dropout or L2 need not accept them. With dropout every
call gets a fresh generator seeded alike, so every evaluation draws the same masks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

# The architectures the independent references are written for; anything else is
# checked by finite differences of its own cost only.
from ._network_fd import MODELED_HIDDEN, MODELED_OUTPUT

__all__ = ["Subject", "subject_of"]



@dataclass
class Subject:
    """The network under check, as functions of explicit parameters.

    Attributes
    ----------
    params : dict, the network's parameters (as given; callers copy to float64)
    label : str, how messages name it
    hidden, output : str or None, the architecture, where known
    model_reason : str, why the references cannot model it ("" where they can)
    """

    params: dict
    label: str
    hidden: str | None
    output: str | None
    model_reason: str
    _forward: Callable
    _cost: Callable
    _backward: Callable
    lambd: float = 0.0
    keep_prob: float = 1.0
    mask_seed: int = 0
    loss: str | None = None  # a loss other than the output's default (Huber), else None

    def _rng_kwargs(self):
        if self.keep_prob < 1.0:
            return {"keep_prob": self.keep_prob, "rng": np.random.default_rng(self.mask_seed)}
        return {}

    def _lambd_kwargs(self):
        return {"lambd": self.lambd} if self.lambd else {}

    def forward(self, params, X):
        return self._forward(params, X, **self._rng_kwargs())

    def cost(self, params, Y, cache) -> float:
        return self._cost(params, Y, cache, **self._lambd_kwargs())

    def backward(self, params, Y, cache):
        return self._backward(params, Y, cache, **self._lambd_kwargs())

    def cost_at(self, params, X, Y) -> float:
        """``J(params)``: the subject's forward pass and cost (same masks every call)."""
        _, cache = self.forward(params, X)
        return float(self.cost(params, Y, cache))


def _swapped(net, method):
    """``method`` of ``net`` called with ``net.params`` replaced for the call."""

    def call(params, *args, **kwargs):
        saved = net.params
        net.params = params
        try:
            return getattr(net, method)(*args, **kwargs)
        finally:
            net.params = saved

    return call


def _catalog_loss(output, loss) -> bool:
    """A catalog loss on a linear output: the references evaluate its definition."""
    from . import _definitions
    try:
        return output == "linear" and _definitions.loss_output(loss) == output
    except ValueError:
        return False


def _other_loss(output, loss):
    """``loss`` where it is not the output's default (what the references need), else None."""
    return None if loss is None or output is None or loss == MODELED_OUTPUT.get(output) else loss


def _model_reason(hidden, output, loss):
    if hidden is None or output is None:
        return ("its architecture is not known (pass hidden= and output= naming a "
                f"hidden activation in {', '.join(MODELED_HIDDEN)} and an output in "
                f"{', '.join(MODELED_OUTPUT)})")
    if hidden not in MODELED_HIDDEN and not _user_component(hidden):
        return f"the references do not model hidden={hidden!r}"
    if output not in MODELED_OUTPUT:
        return f"the references do not model output={output!r}"
    if loss is not None and loss != MODELED_OUTPUT[output] and not _catalog_loss(output, loss):
        return f"the references do not model loss={loss!r} on output={output!r}"
    return ""


def subject_of(net, params, forward, cost, backward, hidden, output) -> Subject:
    """The :class:`Subject` for ``check_network``'s arguments (see the module doc).

    ``net`` given: an object with ``params`` and ``forward``/``cost``/``backward``
    methods; ``backward`` (optional) then replaces its backward with a function of the
    signature of :func:`numeric.propagation.backward` (the planted bugs of
    :mod:`verify.planted`). ``net`` None: ``params``, ``forward``, ``cost`` and
    ``backward`` are the plain functions. ``hidden``/``output`` name the architecture
    (default: the object's own attributes).
    """
    if net is not None:
        if params is not None or forward is not None or cost is not None:
            raise TypeError("check_network: pass either a network object or params=, forward=, "
                            "cost=, backward= functions, not both")
        missing = [a for a in ("params", "forward", "cost", "backward") if not hasattr(net, a)]
        if missing:
            raise TypeError(f"check_network: {type(net).__name__} has no {', '.join(missing)}: a "
                            "network needs params (dict W1, b1, ...) and forward(X, keep_prob=, rng=), "
                            "cost(Y, cache, lambd=), backward(Y, cache, lambd=)")
        hidden = hidden if hidden is not None else _name_attr(net, "hidden")
        output = output if output is not None else _name_attr(net, "output")
        loss = _name_attr(net, "loss")
        back = _swapped(net, "backward")
        if backward is not None:
            if not callable(backward):
                raise TypeError("check_network: backward must be callable")
            if hidden is None or output is None:
                raise ValueError("check_network: backward= in place of a network's own needs "
                                 "its hidden and output names")
            replacement = backward

            extra = {"loss": loss} if _other_loss(output, loss) else {}

            def back(p, Y, cache, lambd=0.0):
                return replacement(p, cache, Y, hidden, output, lambd, **extra)

        return Subject(net.params, type(net).__name__, hidden, output,
                       _model_reason(hidden, output, loss),
                       _swapped(net, "forward"), _swapped(net, "cost"), back,
                       loss=_other_loss(output, loss))
    for label, fn in (("forward", forward), ("cost", cost), ("backward", backward)):
        if not callable(fn):
            raise TypeError(f"check_network: without a network object, {label}= must be a "
                            f"function (got {type(fn).__name__}); see check_network's docstring")
    return Subject(params, "the given functions", hidden, output,
                   _model_reason(hidden, output, None), forward, cost, backward)


def _user_component(value) -> bool:
    """A user's activation or loss (derive.custom_activation / custom_loss): the
    references evaluate its entry's definition."""
    return (not isinstance(value, str) and hasattr(value, "formula")
            and hasattr(getattr(value, "entry", None), "definition"))


def _name_attr(obj, attr):
    value = getattr(obj, attr, None)
    return value if isinstance(value, str) or _user_component(value) else None
