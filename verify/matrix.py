"""The verification matrix behind ``python -m verify``: every check, one row each.

Sections, in the order of the data flow:

1. ``derivation``: every proof of ``derive.registry`` (symbolic and 30-digit spot check);
2. ``generated``: every function of ``numeric/_generated.py`` against its SymPy
   expression at 50 digits, float32 in -> float32 out, no overflow at +-1000;
3. ``network``: hidden x output x init, each plain, with L2 and with dropout, by central
   differences, the complex step (analytic networks) and JAX;
4. ``optimizer``: each optimizer step against optax / the notes' rules in JAX;
5. ``planted``: each planted bug must be caught by every method, naming exactly the
   expected parameters (a check that cannot fail proves nothing);
6. ``scale`` (full run only): the 784-64-1 full check and a ~1M-parameter directional one.

``quick=True`` keeps every derivation, generated function, optimizer and planted bug,
and runs each hidden x output pair once (he init, L2 and dropout on alternate pairs)
plus one network per init, on small networks.

Sections 1 and 2 (SymPy) and the others (NumPy, JAX) share nothing: where it is safe
they run in two processes (:func:`start_symbolic`), on two cores.
"""

from __future__ import annotations

import itertools
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

__all__ = ["MatrixRow", "run_matrix", "start_symbolic", "symbolic_rows", "network_configs",
           "network_rows", "summarize"]

def _hidden():
    from ._definitions import HIDDEN as names  # the catalog's hidden activations
    return names


def _heads():
    """Each output with its default loss (``"linear"``), and each other loss of the catalog
    on its output (``"linear+huber"``)."""
    from derive import catalog
    heads = list(catalog.output_entries())
    heads += [f"{e.output}+{e.name}" for e in catalog.loss_entries().values() if not e.default]
    return tuple(heads)


HIDDEN = _hidden()
OUTPUTS = _heads()
INITS = ("zeros", "random", "xavier", "he")
VARIANTS = (("plain", 0.0, 1.0), ("L2", 0.7, 1.0), ("dropout", 0.0, 0.8))


@dataclass(frozen=True)
class MatrixRow:
    """One line of the table: ``section``, ``configuration``, ``method``, the largest
    relative error of that check, its ``verdict`` ("pass", "fail", ...) and ``seconds``."""

    section: str
    configuration: str
    method: str
    max_rel_error: float
    verdict: str
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.verdict in ("pass", "kink", "caught")


def network_configs(quick: bool):
    """``(hidden, output, init, variant, lambd, keep_prob)`` tuples of the matrix."""
    if not quick:
        return [(h, o, i, *v) for h, o, i, v in itertools.product(HIDDEN, OUTPUTS, INITS, VARIANTS)]
    configs = []
    for n, (h, o) in enumerate(itertools.product(HIDDEN, OUTPUTS)):
        configs.append((h, o, "he", *VARIANTS[n % len(VARIANTS)]))
    configs += [("tanh", "sigmoid", init, *VARIANTS[0]) for init in INITS if init != "he"]
    return configs


def _data(output, n_x, n_y, m, rng):
    from derive import catalog
    X = rng.standard_normal((n_x, m))
    labels = catalog.output_entries()[output].labels
    if labels == "binary":
        Y = (rng.random((n_y, m)) < 0.5).astype(np.float64)
    elif labels == "one_hot":
        Y = np.eye(n_y)[:, rng.integers(0, n_y, m)]
    else:
        Y = rng.standard_normal((n_y, m))
    return X, Y


def _network_rows(quick):
    dims = (4, 5, 3) if quick else (5, 6, 4, 3)
    m = 6 if quick else 10
    for n, (hidden, head, init, variant, lambd, keep_prob) in enumerate(network_configs(quick)):
        output, _, loss = head.partition("+")
        yield from network_rows(n, dims, m, hidden, output, loss or None, init, variant,
                                lambd, keep_prob, f"{hidden}/{head}/{init}/{variant}")


def network_rows(n, dims, m, hidden, output, loss, init, variant, lambd, keep_prob, name):
    """The rows of one network (one per method): hidden layers ``dims`` with ``hidden``
    (a catalog name or a user's activation), the ``output`` layer with ``loss`` (None:
    its default; a catalog name or a user's loss), checked at ``m`` examples, seed ``n``."""
    from derive import catalog
    from numeric import Network

    from .network_check import check_network

    n_y = {"one_hot": 3, "binary": 1}.get(catalog.output_entries()[output].labels, 2)
    net = Network(list(dims) + [n_y], hidden=hidden, output=output, init=init, seed=n,
                  loss=loss)
    X, Y = _data(output, dims[0], n_y, m, np.random.default_rng(n))
    start = time.perf_counter()
    c = check_network(net, X, Y, lambd=lambd, keep_prob=keep_prob, seed=n)
    seconds = time.perf_counter() - start
    for method in c.methods():
        rows = [r for r in c.rows if r.method == method]
        worst = max(rows, key=lambda r: r.rel_error)
        verdict = "fail" if any(r.verdict == "fail" for r in rows) else (
            "pass" if all(r.verdict in ("pass", "kink") for r in rows) else "inconclusive")
        yield MatrixRow("network", name, method, worst.rel_error, verdict, seconds)


def _planted_rows():
    from .network_check import check_network
    from .planted import PLANTED, planted_case

    for bug in PLANTED:
        net, X, Y = planted_case(bug)
        start = time.perf_counter()
        c = check_network(net, X, Y, lambd=bug.lambd, keep_prob=bug.keep_prob, backward=bug.backward)
        seconds = time.perf_counter() - start
        for method in ("central", "complex", "jax"):
            failing = c.failing(method)
            smallest = min((r.rel_error for r in c.rows
                            if r.method == method and r.parameter in bug.expected), default=0.0)
            verdict = "caught" if failing == set(bug.expected) else "missed"
            yield MatrixRow("planted", f"{bug.name} -> {','.join(sorted(bug.expected))}", method,
                            smallest, verdict, seconds)


def _scale_rows():
    from numeric import Network

    from .network_check import check_network

    rng = np.random.default_rng(0)
    net = Network([784, 64, 1], hidden="relu", output="sigmoid", init="he", seed=0)
    X, Y = _data("sigmoid", 784, 1, 64, rng)
    c = check_network(net, X, Y, methods=["central"])
    yield MatrixRow("scale", "784-64-1 relu, m=64, every element", "central",
                    c.max_rel_error("central"), "pass" if c.ok else "fail", c.seconds["central"])
    net = Network([784, 1024, 256, 10], hidden="relu", output="softmax", init="he", seed=0)
    X, Y = _data("softmax", 784, 10, 64, rng)
    c = check_network(net, X, Y, methods=["central"], directional=True)
    yield MatrixRow("scale", "784-1024-256-10 relu (1.07M params), directional", "central",
                    c.max_rel_error("central"), "pass" if c.ok else "fail", c.seconds["central"])


def _derivation_rows():
    from derive import registry

    for name in registry:
        proof = registry[name].proof
        verdict = "pass" if proof.holds else "fail"
        method = "symbolic+spot" if proof.symbolic else "spot check"
        yield MatrixRow("derivation", name, method, proof.spot_check_max_error, verdict)


def _generated_rows():
    from .symbolic_check import check_generated

    for r in check_generated():
        yield MatrixRow("generated", r.name, "mpmath 50 digits", r.max_error,
                        "pass" if r.ok else "fail")


def _optimizer_rows():
    from .optimizer_check import check_optimizers

    for r in check_optimizers():
        yield MatrixRow("optimizer", r.name, r.reference, r.max_rel_error, "pass" if r.ok else "fail")


def symbolic_rows() -> list:
    """The SymPy half of the matrix: the derivation and generated sections' rows (plain
    data: a child process can send them back)."""
    return list(_derivation_rows()) + list(_generated_rows())


def start_symbolic():
    """:func:`symbolic_rows` started in a child process (:mod:`derive.forked`), or None
    where that is not safe (JAX loaded already) or not useful (one core, or the registry
    already built in this process, as in a test session). Call it before JAX is loaded;
    hand the result to :func:`run_matrix`."""
    from derive import forked, registry

    if registry.built:
        return None
    return forked.start(symbolic_rows)


def run_matrix(quick: bool = False, progress=None, symbolic=None) -> list:
    """Every row of the matrix; ``progress(row)`` is called as each one is done.

    Parameters
    ----------
    quick : bool, the CI subset (see the module docstring)
    progress : callable, optional
    symbolic : the SymPy half running in a child process (:func:`start_symbolic`), or
        None: started here where that is safe, else run in this process
    """
    numeric_sections = [lambda: _network_rows(quick), _optimizer_rows, _planted_rows]
    if not quick:
        numeric_sections.append(_scale_rows)
    rows = []

    def emit(section):
        for row in section:
            rows.append(row)
            if progress:
                progress(row)

    if symbolic is None:
        symbolic = start_symbolic()
    if symbolic is not None:
        # The SymPy half runs in the child, on a second core; the numeric half here,
        # its rows shown as they are done (progress comes in the order the work ends;
        # the rows returned keep the sections' order).
        numeric = []
        try:
            for make in numeric_sections:
                for row in make():
                    numeric.append(row)
                    if progress:
                        progress(row)
        except BaseException:
            symbolic.cancel()
            raise
        emit(symbolic.result())
        return rows + numeric
    # In one process: the numeric sections (NumPy, and JAX's compiles, which run outside
    # the GIL) go to a worker thread, started first, while SymPy proves the derivations
    # here: on two cores the compiles overlap the proofs. Rows still come out in the
    # sections' order.
    with ThreadPoolExecutor(max_workers=1) as pool:
        futures = [pool.submit(lambda make=make: list(make())) for make in numeric_sections]
        try:
            emit(_derivation_rows())
            emit(_generated_rows())
            for future in futures:
                emit(future.result())
        finally:
            for future in futures:
                future.cancel()
    return rows


def summarize(rows) -> dict:
    """``{section: (rows, failures)}``."""
    out = {}
    for r in rows:
        n, bad = out.get(r.section, (0, 0))
        out[r.section] = (n + 1, bad + (not r.ok))
    return out
