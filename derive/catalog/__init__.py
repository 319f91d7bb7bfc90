"""The catalog: one file per component, which everything else reads.

``derive/catalog/hidden/NAME.py`` defines ``ENTRY``, a :class:`~derive.catalog._entry.Hidden`
(a hidden activation); ``derive/catalog/optimizers/NAME.py`` an
:class:`~derive.catalog._entry.Optimizer`. Entries are found by listing the package
(``pkgutil``), so adding a component is adding a file: no list of names is kept by hand.

From the entries follow: the derivations of the new components (:func:`derivations`,
read by :mod:`derive.registry`), the generated functions and numeric's runtime tables
(:mod:`derive.codegen`), the JAX reference (:mod:`verify.jax_reference`, from the
*definition*), the verification matrix, the figure, and the tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

import sympy as sp

from ._entry import Hidden, Hyper, Loss, Optimizer, Output

__all__ = ["Hidden", "Hyper", "Loss", "Optimizer", "Output", "output_entries", "loss_entries", "default_loss", "hidden_entries", "optimizer_entries", "aliases", "resolve_hidden",
           "analytic", "kinks", "function_of", "derivations", "topic_derivations"]


def _discover(package: str, kind) -> dict:
    pkg = importlib.import_module(f"{__name__}.{package}")
    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        entry = getattr(module, "ENTRY", None)
        if not isinstance(entry, kind):
            raise TypeError(f"{module.__name__} must define ENTRY, a {kind.__name__}")
        if entry.name != info.name:
            raise ValueError(f"{module.__name__} defines the entry {entry.name!r}: the file "
                             f"must be named after its entry")
        found.append(entry)
    found.sort(key=lambda e: (e.order, e.name))
    return {e.name: e for e in found}


@lru_cache(maxsize=None)
def hidden_entries() -> dict[str, Hidden]:
    """Every hidden activation, name -> entry, in listing order."""
    return _discover("hidden", Hidden)


@lru_cache(maxsize=None)
def optimizer_entries() -> dict[str, Optimizer]:
    """Every optimizer, command-line name -> entry, in listing order."""
    return _discover("optimizers", Optimizer)


@lru_cache(maxsize=None)
def output_entries() -> dict[str, Output]:
    """Every output layer, name -> entry, in listing order."""
    return _discover("outputs", Output)


@lru_cache(maxsize=None)
def loss_entries() -> dict[str, Loss]:
    """Every loss, name -> entry, in listing order; ValueError for a loss on an output
    the catalog does not have."""
    found = _discover("losses", Loss)
    for entry in found.values():
        if entry.output not in output_entries():
            raise ValueError(f"loss {entry.name!r} is on the output {entry.output!r}, which "
                             f"is not in derive/catalog/outputs ({', '.join(output_entries())})")
    return found


def default_loss(output: str) -> str:
    """The loss an output layer takes when none is named (sigmoid -> bce, ...)."""
    found = [e.name for e in loss_entries().values() if e.output == output and e.default]
    if len(found) != 1:
        raise ValueError(f"output {output!r} needs exactly one default loss, has {found}")
    return found[0]


def aliases() -> dict[str, str]:
    """Other accepted names of hidden activations: alias -> name."""
    out = {}
    for name, entry in hidden_entries().items():
        for alias in entry.aliases:
            if alias in hidden_entries() or alias in out:
                raise ValueError(f"alias {alias!r} of {name!r} is taken")
            out[alias] = name
    return out


def resolve_hidden(name: str) -> Hidden:
    """The entry called ``name`` or one of its aliases; ValueError listing the names."""
    name = aliases().get(name, name)
    try:
        return hidden_entries()[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown hidden activation {name!r}; valid: "
                         f"{', '.join([*hidden_entries(), *aliases()])}") from None


def function_of(entry: Hidden) -> sp.Basic:
    """The applied display function g(z) that derivations write, e.g. sigma(z)."""
    from ..symbols import z
    from ._build import display_function
    return display_function(entry)(z)


def analytic(entry) -> bool:
    """True when the entry's definition (a hidden activation's g, a loss's L) is
    analytic on the real line (no cases, max, min or |.|): the complex-step check
    applies."""
    from ..symbols import has_kinks
    return not has_kinks(entry.definition)


def kinks(entry: Hidden) -> tuple:
    """The points where g is not differentiable, as floats (hyperparameters at their
    defaults)."""
    from ..stepwise.engine import _kinks
    from ..symbols import unfold, z
    defaults = {h.symbol: h.default for h in entry.hyper}
    out = []
    for point, _ in _kinks(unfold(entry.definition), z):
        value = sp.sympify(point).xreplace(defaults)
        if value.is_number:
            out.append(float(value))
    return tuple(out)


def derivations():
    """The derivations built from catalog entries (those without a hand-written one),
    in listing order; :mod:`derive.registry` files them under the activations."""
    from ._build import hidden_derivations
    return [d for topic, d in topic_derivations()]


def topic_derivations():
    """``[(topic, derivation), ...]`` of every catalog-built derivation: the hidden
    activations' (topic "activations") and those optimizer entries build themselves
    (topic "optimizers")."""
    from ._build import hidden_derivations, loss_derivations
    out = []
    for entry in hidden_entries().values():
        out.extend(("activations", d) for d in hidden_derivations(entry))
    for entry in loss_entries().values():
        out.extend(("losses", d) for d in loss_derivations(entry))
    for entry in optimizer_entries().values():
        if entry.build is not None:
            out.extend(("optimizers", d) for d in entry.build())
    return out
