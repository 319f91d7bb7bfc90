"""The gradient checkers compared in benchmark 3, each on one :class:`Problem`.

Every checker returns an :class:`Outcome`: seconds, the relative error it reached
(``||g - g_num|| / (||g|| + ||g_num||)``) or, for checkers that return only pass/fail
(PyTorch, JAX), the tightest tolerance they pass, and its verdict. Everything runs in
float64, as a gradient check must.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import numpy as np

from .machine import optional

__all__ = ["Problem", "Outcome", "CHECKERS", "SWEEP"]

# Tolerances tried, loosest first, to find the tightest a pass/fail checker passes.
SWEEP = (1e-3, 1e-5, 1e-7, 1e-9, 1e-11)


@dataclass
class Problem:
    """A float64 network, its data and its analytic gradients."""

    layer_dims: tuple
    hidden: str
    output: str
    m: int

    def __post_init__(self):
        from numeric import Network, propagation

        self.net = Network(list(self.layer_dims), hidden=self.hidden, output=self.output,
                           init="xavier", seed=0, dtype=np.float64)
        rng = np.random.default_rng(1)
        K = self.layer_dims[-1]
        self.X = rng.standard_normal((self.layer_dims[0], self.m))
        self.Y = (np.eye(K)[:, rng.integers(0, K, self.m)] if self.output == "softmax"
                  else (rng.random((K, self.m)) < 0.5).astype(np.float64))
        self.params = self.net.params
        self.grads = self.grad(self.params)
        self.n_params = sum(v.size for v in self.params.values())
        self._prop = propagation

    def cost(self, params) -> float:
        p = self._prop
        _, cache = p.forward(params, self.X, self.hidden, self.output)
        return p.cost(params, cache, self.Y, self.output)

    def grad(self, params):
        from numeric import propagation as p

        _, cache = p.forward(params, self.X, self.hidden, self.output)
        return p.backward(params, cache, self.Y, self.hidden, self.output)

    @property
    def label(self) -> str:
        return (f"{'-'.join(map(str, self.layer_dims))} ({self.hidden}, {self.output}), "
                f"m = {self.m}, {self.n_params:,} parameters")


@dataclass
class Outcome:
    seconds: float
    error: str          # relative error reached, or the tightest tolerance passed
    verdict: str
    note: str = ""
    rel_error: float | None = None


def _rel(a, b) -> float:
    a, b = np.ravel(a), np.ravel(b)
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / den) if den else 0.0


def _timed(fn):
    """``(result, seconds)``: one call, or the median of 5 where a call takes < 0.2 s."""
    start = time.perf_counter()
    result = fn()
    times = [time.perf_counter() - start]
    while times[0] < 0.2 and len(times) < 5:
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def notes_loop(pb: Problem, opts: dict) -> Outcome:
    """The notes' check: h = 1e-7, one element at a time, two forward passes each.

    With ``opts["k"]``, only the first k elements of each parameter are done and the
    time is extrapolated to every element (each costs the same two forward passes).
    """
    from verify.network_check import loop_central_fd

    k = opts.get("k")
    (numeric, done), elapsed = _timed(lambda: loop_central_fd(pb.net, pb.X, pb.Y, max_elements=k))
    analytic = np.concatenate([pb.grads["d" + n].ravel()[:v.size] for n, v in numeric.items()])
    rel = _rel(analytic, np.concatenate(list(numeric.values())))
    note = ("" if done == pb.n_params else
            f"extrapolated from {done:,} of {pb.n_params:,} elements "
            f"(the first {k} of each parameter): {elapsed:.2f} s measured")
    return Outcome(elapsed * pb.n_params / done, f"{rel:.1e}", "pass" if rel < 1e-7 else "fail",
                   note, rel)


def verify_gradcheck(pb: Problem, directional: bool) -> Outcome:
    """``verify.gradcheck`` on the params dict, central differences (generic: any f)."""
    from verify.gradcheck import gradcheck

    r, elapsed = _timed(lambda: gradcheck(pb.cost, pb.grad, pb.params, method="central",
                                          directional=directional))
    return Outcome(elapsed, f"{r.max_rel_error:.1e}", r.verdict,
                   f"{r.n_evals:,} evaluations of f", r.max_rel_error)


def verify_network(pb: Problem, directional: bool) -> Outcome:
    """``verify.check_network`` with central differences only (batched, no JAX)."""
    from verify.network_check import check_network

    c, elapsed = _timed(lambda: check_network(pb.net, pb.X, pb.Y, methods=("central",),
                                              directional=directional))
    rel = c.max_rel_error("central")
    return Outcome(elapsed, f"{rel:.1e}", "pass" if c.ok else "fail",
                   "4 directions per parameter" if directional else "", rel)


def _tightest(passes, sweep: bool) -> str:
    """The tightest tolerance of SWEEP that ``passes(tol)`` accepts (when ``sweep``)."""
    if not sweep:
        return "not swept (too slow)"
    best = None
    for tol in SWEEP:
        if not passes(tol):
            break
        best = tol
    return f"passes at tol {best:.0e}" if best else "fails at 1e-3"


def _torch_problem(pb: Problem):
    torch = optional("torch")
    X, Y = torch.from_numpy(pb.X), torch.from_numpy(pb.Y)
    L = len(pb.layer_dims) - 1
    g = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[pb.hidden]

    def f(*theta):
        A = X
        for l in range(1, L + 1):
            Z = theta[2 * l - 2] @ A + theta[2 * l - 1]
            A = g(Z) if l < L else Z
        if pb.output == "softmax":
            return -(Y * torch.log_softmax(Z, dim=0)).sum() / pb.m
        return torch.nn.functional.binary_cross_entropy_with_logits(Z, Y, reduction="sum") / pb.m

    theta = tuple(torch.from_numpy(pb.params[k].copy()).requires_grad_() for k in pb.params)
    return torch, f, theta


# A failing fast_mode check falls back to the slow mode to write its message, so a
# tolerance sweep costs slow-mode time: only on networks this small.
_TORCH_SWEEP_MAX_PARAMS = 5_000


def torch_gradcheck(pb: Problem, fast: bool) -> Outcome:
    """``torch.autograd.gradcheck`` (eps 1e-6; fast_mode: one random projection)."""
    torch, f, theta = _torch_problem(pb)

    def passes(tol):
        kw = {} if tol is None else {"atol": tol, "rtol": tol}
        return torch.autograd.gradcheck(f, theta, fast_mode=fast, raise_exception=False, **kw)

    ok, elapsed = _timed(lambda: passes(None))
    error = _tightest(passes, pb.n_params <= _TORCH_SWEEP_MAX_PARAMS)
    return Outcome(elapsed, error, "pass" if ok else "fail",
                   "returns only pass/fail; defaults atol 1e-5, rtol 1e-3")


def jax_check_grads(pb: Problem, opts: dict) -> Outcome:
    """``jax.test_util.check_grads`` (order 1, reverse mode: a random-direction check).

    Eager, as its documentation shows it; the first call, which compiles every
    primitive it meets, is timed apart and reported in the note.
    """
    import jax
    import jax.numpy as jnp
    from jax.test_util import check_grads

    jax.config.update("jax_enable_x64", True)
    X, Y = jnp.asarray(pb.X), jnp.asarray(pb.Y)
    L = len(pb.layer_dims) - 1
    g = {"tanh": jnp.tanh, "sigmoid": jax.nn.sigmoid, "relu": jax.nn.relu}[pb.hidden]

    def f(p):
        A = X
        for l in range(1, L + 1):
            Z = p[f"W{l}"] @ A + p[f"b{l}"]
            A = g(Z) if l < L else Z
        if pb.output == "softmax":
            return -jnp.sum(Y * jax.nn.log_softmax(Z, axis=0)) / pb.m
        return jnp.sum(jnp.logaddexp(0.0, Z) - Y * Z) / pb.m

    p = {k: jnp.asarray(v) for k, v in pb.params.items()}

    def passes(tol):
        try:
            check_grads(f, (p,), order=1, modes=("rev",),
                        **({} if tol is None else {"atol": tol, "rtol": tol}))
            return True
        except AssertionError:
            return False

    start = time.perf_counter()
    passes(None)
    first = time.perf_counter() - start
    ok, elapsed = _timed(lambda: passes(None))
    error = _tightest(passes, elapsed < (0.5 if opts.get("quick") else 3.0))
    return Outcome(elapsed, error, "pass" if ok else "fail",
                   f"returns only pass/fail; eager, random direction; first call {first:.2f} s")


# name -> check(problem, opts); opts: "k" (elements per parameter for the loop), "quick".
CHECKERS = {
    "notes' loop (one element at a time)": notes_loop,
    "verify.gradcheck, full": lambda pb, opts: verify_gradcheck(pb, False),
    "verify.gradcheck, directional": lambda pb, opts: verify_gradcheck(pb, True),
    "verify.check_network, full": lambda pb, opts: verify_network(pb, False),
    "verify.check_network, directional": lambda pb, opts: verify_network(pb, True),
    "torch.autograd.gradcheck, slow": lambda pb, opts: torch_gradcheck(pb, False),
    "torch.autograd.gradcheck, fast_mode": lambda pb, opts: torch_gradcheck(pb, True),
    "jax.test_util.check_grads": jax_check_grads,
}
