"""Interleaved timing: every contender runs once per round, in rotating order.

Timing the contenders one after another lets a change of machine load (another process,
frequency scaling) land on one of them only; interleaving them in rounds (A B C, B C A,
C A B, ...) spreads it over all, so the ratios of medians hold on a noisy machine. Each
sample is the mean of ``inner`` back-to-back calls, ``inner`` chosen so a sample lasts
about ``target_s`` (a 20 us step needs hundreds of calls to rise above timer noise).
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Stats", "interleaved", "time_once", "fmt_seconds", "ratio"]


@dataclass
class Stats:
    """Seconds per call of one contender: median, min, max over ``rounds`` samples."""

    median: float
    min: float
    max: float
    rounds: int
    inner: int
    samples: list = field(default_factory=list, repr=False)
    first_call: float | None = None  # the first (cold) call: JIT compile, caches

    @classmethod
    def of(cls, samples, inner=1, first_call=None) -> "Stats":
        return cls(statistics.median(samples), min(samples), max(samples), len(samples),
                   inner, list(samples), first_call)


def time_once(fn: Callable[[], object]) -> float:
    """Seconds of one call (for things measured once: a subprocess, a compile)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _calibrate(fn, target_s: float) -> int:
    # The fastest of three calls: a stray slow one must not make the sample too short.
    one = min(time_once(fn) for _ in range(3))
    return max(1, math.ceil(target_s / max(one, 1e-9)))


def interleaved(contenders: dict[str, Callable[[], object]], rounds: int,
                target_s: float = 0.02, warmup: int = 3) -> dict[str, Stats]:
    """Time each zero-argument callable (one training step, blocking until done).

    Parameters
    ----------
    contenders : name -> callable; each call must finish its work before returning
        (JAX: ``block_until_ready``); one with a ``steps`` attribute is timed per step.
    rounds : number of samples per contender.
    target_s : seconds one sample should last (sets the inner repeat count).
    warmup : calls before timing, after the first; the first call is timed on its own
        (``Stats.first_call``) since it holds JIT compilation and cold caches.

    Returns
    -------
    name -> Stats, seconds per call.
    """
    # A callable with a ``steps`` attribute takes that many steps per call (a whole
    # ``fit``): its samples are per step.
    per = {name: getattr(fn, "steps", 1) for name, fn in contenders.items()}
    first = {name: time_once(fn) / per[name] for name, fn in contenders.items()}
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    inner = {name: _calibrate(fn, target_s) for name, fn in contenders.items()}
    samples = {name: [] for name in contenders}
    names = list(contenders)
    enabled = gc.isenabled()
    gc.disable()  # as timeit does: a collection would land on whichever step triggered it
    try:
        for r in range(rounds):
            for name in names[r % len(names):] + names[:r % len(names)]:
                fn, n = contenders[name], inner[name]
                start = time.perf_counter()
                for _ in range(n):
                    fn()
                samples[name].append((time.perf_counter() - start) / n / per[name])
    finally:
        if enabled:
            gc.enable()
    return {name: Stats.of(samples[name], inner[name], first[name]) for name in names}


def fmt_seconds(s: float | None) -> str:
    """3 significant digits in the unit that suits: ``12.3 us``, ``4.56 ms``, ``7.89 s``."""
    if s is None or not math.isfinite(s):
        return "-"
    if s < 0:
        return "-" + fmt_seconds(-s)
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s * 1e9:.3g} ns"


def ratio(a: Stats, b: Stats) -> float:
    """``a / b`` as the median of the per-round ratios of two contenders of one
    :func:`interleaved` run: each round's two samples were taken moments apart, so a
    change of load between rounds cancels (a ratio of medians would mix rounds)."""
    return statistics.median(x / y for x, y in zip(a.samples, b.samples))
