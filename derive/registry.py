"""``registry``: derivation name -> :class:`~derive.record.Derivation`.

Built on first use (the proofs run SymPy's simplifier, which takes a few seconds),
then cached for the life of the process: a lookup by name builds the topics up to its
own, iterating (or ``len``, ``topic_of``) builds them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from .derivations import MODULES
from .record import Derivation

__all__ = ["Registry", "registry"]


class Registry(Mapping[str, Derivation]):
    """A read-only, lazily built mapping of every derivation, in report order."""

    def __init__(self, modules=MODULES, catalog: bool = True):
        self._modules = tuple(modules)
        self._catalog = catalog
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
            self._items = items
        return self._items

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


registry = Registry()
