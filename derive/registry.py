"""``registry``: derivation name -> :class:`~derive.record.Derivation`.

Built on first use (the proofs run SymPy's simplifier, which takes a few seconds),
then cached for the life of the process: a lookup by name builds the topics up to its
own, iterating (or ``len``, ``topic_of``) builds them all. ``Registry(custom=components)``
adds a user's own components (:func:`derive.custom_activation`,
:func:`derive.custom_loss`), whose derivations the catalog's builders made, under the
topic ``"custom"``.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterator, Mapping

from .derivations import MODULES
from .record import Derivation

__all__ = ["Registry", "registry"]


class Registry(Mapping[str, Derivation]):
    """A read-only, lazily built mapping of every derivation, in report order."""

    def __init__(self, modules=MODULES, catalog: bool = True, custom=()):
        self._modules = tuple(modules)
        self._catalog = catalog
        self.custom = tuple(custom)  # a user's components (derive.custom_activation, ...)
        self._items: dict[str, Derivation] | None = None
        self._topics: dict[str, str] = {}
        self._written: dict[str, Derivation] = {}  # the hand-written modules built so far
        self._built_modules = 0

    def _build_next_module(self) -> None:
        module_name = self._modules[self._built_modules]
        module = importlib.import_module(f"derive.derivations.{module_name}")
        built: dict[str, Derivation] = {}
        for d in module.build():
            if d.name in self._written or d.name in built:
                raise ValueError(f"derivation {d.name!r} is defined twice "
                                 f"(second time in derive.derivations.{module_name})")
            built[d.name] = d
        self._written.update(built)  # all of a module or nothing: a failed build can be retried
        self._topics.update(dict.fromkeys(built, module_name))
        self._built_modules += 1

    def _build(self) -> dict[str, Derivation]:
        if self._items is None:
            while self._built_modules < len(self._modules):
                self._build_next_module()
            items = dict(self._written)
            if self._catalog:
                # The catalog's newer components, derived from their entries, after the
                # hand-written derivations of their topic.
                from . import catalog
                for topic, d in catalog.topic_derivations():
                    if d.name in items:
                        raise ValueError(f"derivation {d.name!r} is defined twice "
                                         f"(second time by the catalog)")
                    items[d.name] = d
                    self._topics[d.name] = topic
            for topic, d in _custom_derivations(self.custom):
                if d.name in items:
                    raise ValueError(f"derivation {d.name!r} is defined twice "
                                     f"(second time by a custom component)")
                items[d.name] = d
                self._topics[d.name] = topic
            self._items = items
        return self._items

    @property
    def built(self) -> bool:
        """True once every derivation is built (and proved): iterating costs nothing."""
        return self._items is not None

    def __getitem__(self, name: str) -> Derivation:
        if self._items is None:
            # One derivation looked up by name builds (and proves) the hand-written topics
            # up to its own, not all of them: the README's first example waits about half
            # a second, not the whole registry's ten. A name defined twice is still found
            # by the first full build (iterating, len, topic_of, a name not found here).
            while name not in self._written and self._built_modules < len(self._modules):
                self._build_next_module()
            if name in self._written:
                return self._written[name]
        items = self._build()
        try:
            return items[name]
        except KeyError:
            raise KeyError(f"no derivation named {name!r}; known: {', '.join(items)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())

    def topic_of(self, name: str) -> str:
        """The module (topic of the notes) that defines derivation ``name``."""
        self._build()
        return self._topics[name]


def _custom_derivations(components):
    """``[("custom", derivation), ...]`` of a user's components (the objects of
    :func:`derive.custom_activation` / :func:`derive.custom_loss`): their own records,
    built by the catalog's builders (:mod:`derive.catalog._build`), relabelled with their
    true source."""
    out = []
    for component in components:
        if getattr(component, "kind", None) not in ("activation", "loss"):
            raise TypeError(f"a custom component comes from derive.custom_activation or "
                            f"custom_loss, not {type(component).__name__}")
        # the same records, with their true source: not a file of derive/catalog
        out.extend(("custom", dataclasses.replace(d, source=CUSTOM_SOURCE))
                   for d in component.derivations)
    return out


CUSTOM_SOURCE = "your formula, read by derive.custom; derived by derive.stepwise"

registry = Registry()
