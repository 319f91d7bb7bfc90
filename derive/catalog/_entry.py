"""The kinds of catalog entries: a hidden activation, an optimizer, and their hyperparameters.

An entry holds what is true of one component and nothing derived from it: its SymPy
definition, its hyperparameters (defaults, valid ranges) and the text the generated code
and the report show. Derivations, generated functions, numeric's runtime tables, the JAX
reference and the tests are all computed from these fields (:mod:`derive.catalog`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from ..codegen_nodes import ScalarArg

__all__ = ["Hyper", "Hidden", "Loss", "Optimizer", "Output"]


@dataclass(frozen=True)
class Hyper:
    """A hyperparameter: ``symbol`` in the derivation, ``name`` in code and on the command
    line, its ``default`` and the interval ``(low, high)`` of valid values (``closed`` names
    the ends that belong to it: ``"low"``, ``"high"``, ``"both"`` or ``""``)."""

    name: str
    symbol: sp.Symbol
    default: float
    low: float = 0.0
    high: float = math.inf
    closed: str = ""
    meaning: str = ""

    @property
    def arg(self) -> ScalarArg:
        """The scalar argument of the generated code that stands for it."""
        return ScalarArg(self.name, real=True)

    @property
    def interval(self) -> str:
        left = "[" if self.closed in ("low", "both") else "("
        right = "]" if self.closed in ("high", "both") else ")"
        return f"{left}{self.low:g}, {self.high:g}{right}"


@dataclass(frozen=True)
class Hidden:
    """A hidden activation g(z).

    ``definition``: g as a SymPy expression in :data:`derive.symbols.z` (and the symbols
    of ``hyper``), as a textbook writes it. ``numeric``: optionally, the same function in
    a form that NumPy evaluates without overflow (proved equal to ``definition`` when the
    catalog is built). ``derivation``: the registry name of a hand-written derivation of
    g' (the course's four activations); None lets :func:`derive.stepwise.differentiate`
    derive it line by line. ``summary``/``prime_summary``: one line each for the generated
    docstrings; ``prose``: the report's paragraph. ``order``: place in listings.
    """

    name: str
    definition: sp.Expr
    summary: str
    prime_summary: str
    order: int = 100
    aliases: tuple[str, ...] = ()
    hyper: tuple[Hyper, ...] = ()
    numeric: sp.Expr | None = None
    derivation: str | None = None
    function: object = None           # display function (sigma, sp.tanh); None: one named after the entry
    numeric_derivation: str | None = None   # registry derivation proving ``numeric`` (sigmoid_stable)
    prose: str = ""
    plot_range: tuple[float, float] = (-4.0, 4.0)
    label: str = ""                   # the figure's title; default the name
    plot_values: tuple = ()           # (hyperparameter name, value) drawn in the figure


# what an output's labels may hold, and how it turns A[L] into predictions
LABEL_KINDS = ("binary", "one_hot", "real")
PREDICTIONS = ("threshold", "argmax", "identity")


@dataclass(frozen=True)
class Output:
    """An output layer: ``activation``, the generated function that gives A[L] from Z[L]
    (None: A[L] = Z[L]); ``labels``, what Y may hold (``"binary"``: 0 or 1; ``"one_hot"``:
    columns with a single 1; ``"real"``: any finite value); ``predict``, the prediction
    rule (``"threshold"``: A > 0.5; ``"argmax"``: the class of the largest entry of each
    column; ``"identity"``: A itself); ``min_units``: the fewest units it needs. Its
    losses name it (:class:`Loss` ``output``)."""

    name: str
    activation: str | None
    labels: str
    predict: str
    summary: str
    order: int = 100
    min_units: int = 1

    def __post_init__(self):
        if self.labels not in LABEL_KINDS:
            raise ValueError(f"output {self.name!r}: labels must be one of {LABEL_KINDS}")
        if self.predict not in PREDICTIONS:
            raise ValueError(f"output {self.name!r}: predict must be one of {PREDICTIONS}")


@dataclass(frozen=True)
class Loss:
    """A loss on one output layer: L(a, y) per example and output unit, the cost being
    the sum over the output units and the mean over the examples.

    ``output``: the output layer it pairs with (its activation; ``linear`` is a = z).
    ``default``: the output's loss when none is named. ``definition``: L in
    :data:`derive.symbols.a`, :data:`derive.symbols.y` and the hyperparameters.
    ``numeric``/``numeric_dz``: L and dL/da in forms NumPy evaluates without cases
    (proved equal when the catalog is built). The course's losses (``derivation`` set:
    their registry derivation) keep their hand-written derivations and generated
    functions, named by ``cost_function`` / ``dz_function``; ``cost_reads`` says whether
    the cost reads the logits Z (finite where A rounds to 0 or 1) or the activation A.
    """

    name: str
    output: str
    definition: sp.Expr
    summary: str
    dz_summary: str
    order: int = 100
    default: bool = False
    hyper: tuple[Hyper, ...] = ()
    numeric: sp.Expr | None = None
    numeric_dz: sp.Expr | None = None
    derivation: str | None = None
    cost_function: str = ""
    dz_function: str = ""
    cost_reads: str = "A"
    prose: str = ""

    @property
    def cost(self) -> str:
        return self.cost_function or f"{self.name}_cost"

    @property
    def dz(self) -> str:
        return self.dz_function or f"{self.name}_{self.output}_dz"


@dataclass(frozen=True)
class Optimizer:
    """An optimizer's update rule for one parameter array.

    ``class_name``: the class in :mod:`numeric.optim`; ``name``: the command line's name.
    ``state``: the moment arrays it keeps (each the shape of the parameter), in the order
    of the generated update's arguments. ``derivation``: the registry derivation whose
    ``extra["update"]`` holds the rule (arguments, outputs). ``hyper``: the constructor's
    keyword arguments, in order, learning_rate first.
    """

    name: str
    class_name: str
    hyper: tuple[Hyper, ...]
    state: tuple[str, ...]
    derivation: str
    summary: str
    order: int = 100
    counts_steps: bool = True      # its update reads the step count t (from 1)
    adaptive: bool = False         # steps scaled by the root of a second moment (as Adam)
    update_function: str = ""      # the generated function's name; default NAME_update
    build: object = None           # a function returning the entry's own derivations
    # other generated rules from the same derivation: (function, extra key, summary)
    variants: tuple[tuple[str, str, str], ...] = ()
    # the same rule in optax, for the cross-check: (optax function, {our hyperparameter:
    # its keyword there}); () where optax has no equal (the notes' Momentum, RMSprop)
    optax: tuple = ()

    @property
    def function(self) -> str:
        return self.update_function or f"{self.name}_update"
