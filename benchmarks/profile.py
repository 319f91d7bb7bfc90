"""Where the numeric big step spends its time, piece by piece, against the GEMM bound.

Each piece of fit's step (:class:`numeric.inplace_step.InplaceStepper`) is re-run on its
own, on the buffers of one real step, through the same in-place generated functions; all pieces and the whole step are timed interleaved in one run. Pieces
that contain a matrix product are paired with the product alone, so the table shows
what the rest of the piece (bias, 1/m scaling, temporaries) adds. The remainder (the
whole step minus the pieces) is Python, dict handling and cache effects.

Also here: a dtype audit of a float32 step (any float64 array is a silent 2x), a
cProfile of whole steps, ``fit``'s per-batch extras (the gather of a mini-batch from
the full data set, next to the column take it replaced; the finite check of the new
parameters), and a cProfile of ``fit`` itself, piece by piece, per step.
"""

from __future__ import annotations

import cProfile
import io
import pstats

import numpy as np

from .results import Section, Table
from .steps import Spec, make_problem, numeric_step
from .timing import fmt_seconds, interleaved

__all__ = ["run", "pieces", "dtype_audit"]


def _stepper(spec: Spec, params):
    """An :class:`~numeric.inplace_step.InplaceStepper` (fit's fast path) on ``params``."""
    from numeric import Network
    from numeric.inplace_step import InplaceStepper
    from numeric.optim import Adam

    net = Network(list(spec.layer_dims), hidden=spec.hidden, output=spec.output, seed=0,
                  dtype=spec.dtype)
    net.params = {k: v.copy() for k, v in params.items()}
    opt = Adam(learning_rate=1e-3)
    return InplaceStepper(net, opt, opt.init(net.params), lambd=0.0, keep_prob=1.0)


def pieces(spec: Spec, params, X, Y) -> dict:
    """name -> zero-argument callable, one per piece of fit's step (and GEMM twins).

    The pieces are the in-place generated functions the step calls, on the step's own
    buffers; each product is paired with ``numpy.matmul(..., out=)`` alone.
    """
    from numeric import _generated as gen

    st = _stepper(spec, params)
    rng = np.random.default_rng(0)
    st.step(X, Y, rng)                 # Adam moments non-zero, t = 1
    Zs, As = st.forward(X, rng)
    st.backward(Zs, As, Y)
    work, P, G, m, L = st.work, st.params, st.G.views, spec.m, st.L
    buf = st._buf
    p = {}
    for l in range(1, L + 1):
        W, b, A_prev, Z = P[f"W{l}"], P[f"b{l}"], As[l - 1], Zs[l]
        p[f"fwd {l}: W A_prev + b"] = lambda W=W, A=A_prev, b=b, Z=Z: gen.linear_forward_into(W, A, b, Z, work)
        p[f"fwd {l}:   of which W A_prev (GEMM)"] = lambda W=W, A=A_prev, Z=Z: np.matmul(W, A, out=Z)
        if l < L:
            p[f"fwd {l}: {spec.hidden}(Z)"] = lambda Z=Z, A=As[l]: st.g(Z, A, work)
        else:
            p[f"fwd {l}: {spec.output}(Z)"] = lambda Z=Z, A=As[l]: st.out.activate_into(Z, A, work)
    p["cost from the logits"] = lambda: st.cost(Zs, As, Y)
    dZL = buf(f"dZ{L}", As[L].shape)
    p[f"bwd {L}: dZ = A - Y"] = lambda: st.out.dz_into(As[L], Y, dZL, work)
    for l in range(L, 0, -1):
        W, A_prev, dZ = P[f"W{l}"], As[l - 1], buf(f"dZ{l}", Zs[l].shape)
        dW, db = G[f"dW{l}"], G[f"db{l}"]
        p[f"bwd {l}: dW = (1/m) dZ A_prev^T"] = lambda dZ=dZ, A=A_prev, dW=dW: gen.layer_dw_into(dZ, A, m, dW, work)
        p[f"bwd {l}:   of which dZ A_prev^T (GEMM)"] = lambda dZ=dZ, A=A_prev, dW=dW: np.matmul(dZ, A.T, out=dW)
        p[f"bwd {l}: db = (1/m) sum dZ"] = lambda dZ=dZ, db=db: gen.layer_db_into(dZ, m, db, work)
        if l > 1:
            shape = (W.shape[1], m)
            dA, gp = buf(f"dA{l - 1}", shape), buf(f"gp{l - 1}", shape)
            p[f"bwd {l}: dA_prev = W^T dZ (GEMM)"] = lambda W=W, dZ=dZ, dA=dA: gen.layer_da_prev_into(W, dZ, dA, work)
            source = st._Gs[l - 1] if st.g_prime_from_a else Zs[l - 1]  # g(Z) where g' reads it
            p[f"bwd {l}: g'(Z{l - 1})"] = lambda x=source, gp=gp: st.g_prime(x, gp, work)
            p[f"bwd {l}: dZ = dA * g'(Z)"] = lambda dA=dA, gp=gp, o=buf(f"dZ{l - 1}", shape): \
                gen.layer_dz_into(dA, gp, o, work)
    n = st.P.flat.size
    p[f"Adam update, all {n:,} parameters (flat, in blocks), with the backup copy and the finite sums"] = st.update
    return p


def dtype_audit(spec: Spec, params, X, Y) -> list[str]:
    """Names of the arrays of one fast-path step whose dtype is not ``spec.dtype``."""
    st = _stepper(spec, params)
    J = st.step(X, Y, np.random.default_rng(0))
    arrays = {"params": st.P.flat, "grads": st.G.flat, "backup": st.backup,
              **{f"moment {f}": st.moments[f].flat for f in st.fields},
              **{f"buffer {k[0]}": v for k, v in st.work._buffers.items()}}
    # The dropout draws are float64 on purpose (the same stream as the pure path).
    bad = [f"{k}: {v.dtype}" for k, v in arrays.items()
           if v.dtype != np.dtype(spec.dtype) and not k.startswith("buffer r")]
    return bad + ([] if isinstance(J, float) else [f"cost: {type(J).__name__}"])


def _cprofile(step, n: int):
    """``(Table of the top functions, {function name: own seconds per step})``."""
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        step()
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO()).sort_stats("tottime")
    calls = sum(nc for (_, _, _), (_, nc, _, _, _) in stats.stats.items()) / n
    table = Table(f"cProfile of {n} steps ({calls:.0f} Python-level calls per step), "
                  "top functions by own time (per step; cProfile adds ~1 us per call)",
                  ["function", "calls per step", "own time per step", "cumulative per step"])
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:10]
    for (path, line, func), (cc, nc, tt, ct, _) in rows:
        where = f"{path.split('/')[-1]}:{line}({func})" if line else func
        table.rows.append([f"`{where}`", f"{nc / n:g}", fmt_seconds(tt / n), fmt_seconds(ct / n)])
    own = {}
    for (_, _, func), (_, _, tt, _, _) in stats.stats.items():
        own[func] = own.get(func, 0.0) + tt / n
    return table, own


def _fit_extras(spec: Spec, n_data: int) -> dict:
    """What ``fit`` adds per batch: the batch gather (as fit does it, and the column take
    it replaced, for comparison) and the finite check."""
    from numeric.training import _Batches

    rng = np.random.default_rng(0)
    X = rng.standard_normal((spec.layer_dims[0], n_data), dtype=np.float32).astype(spec.dtype, copy=False)
    Y = np.zeros((spec.layer_dims[-1], n_data), dtype=spec.dtype)
    idx = rng.permutation(n_data)[:spec.m]
    params, _, _ = make_problem(spec)
    st = _stepper(spec, params)
    batch = np.empty((spec.layer_dims[0], spec.m), dtype=X.dtype)
    batches = _Batches(X, Y, spec.m)
    held = {"it": iter(())}

    def gather():
        # One batch of fit's epoch loop; a new epoch (a permutation) when one ends.
        try:
            next(held["it"])
        except StopIteration:
            held["it"] = batches.epoch(rng)
            next(held["it"])

    shape = f"({spec.layer_dims[0]}, {n_data:,})"
    return {
        f"fit: gather one batch of a {shape} X (rows of fit's transposed copy)": gather,
        f"fit: (before) column take X[:, idx] of a {shape} X into a buffer":
            lambda: np.take(X, idx, axis=1, out=batch),
        "fit: finite check of the new params (the update's block sums added)": st.params_finite,
    }


def fit_profile(spec: Spec, epochs: int, n_batches: int = 8) -> Table:
    """cProfile of ``Network.fit`` (``epochs`` epochs of ``n_batches`` batches): every
    function's own time per step, the pieces of fit's time as the issue asks.

    Returns ``(Table, {function: own seconds per step}, seconds per step)``."""
    from numeric import Network
    from numeric.optim import Adam

    rng = np.random.default_rng(0)
    m = n_batches * spec.m
    X = rng.standard_normal((spec.layer_dims[0], m)).astype(spec.dtype)
    K = spec.layer_dims[-1]
    Y = (np.eye(K, dtype=spec.dtype)[:, rng.integers(0, K, m)] if spec.output == "softmax"
         else (rng.random((K, m)) < 0.5).astype(spec.dtype))
    net = Network(list(spec.layer_dims), hidden=spec.hidden, output=spec.output, seed=0,
                  dtype=spec.dtype)
    net.fit(X, Y, optimizer=Adam(1e-3), epochs=1, batch_size=spec.m, progress=False)  # warm
    steps = epochs * -(-m // spec.m)
    prof = cProfile.Profile()
    prof.enable()
    net.fit(X, Y, optimizer=Adam(1e-3), epochs=epochs, batch_size=spec.m, progress=False)
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    total = sum(tt for (_, _, _), (_, _, tt, _, _) in stats.stats.items())
    calls = sum(nc for (_, _, _), (_, nc, _, _, _) in stats.stats.items()) / steps
    table = Table(f"{spec.label}: cProfile of `fit`, {epochs} epochs of {n_batches} batches "
                  f"({steps} steps, {fmt_seconds(total / steps)} per step under cProfile, "
                  f"{calls:.0f} Python-level calls per step): the pieces by own time",
                  ["function", "calls per step", "own time per step", "share of fit"])
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:12]
    for (path, line, func), (cc, nc, tt, ct, _) in rows:
        where = f"{path.split('/')[-1]}:{line}({func})" if line else func
        table.rows.append([f"`{where}`", f"{nc / steps:g}", fmt_seconds(tt / steps),
                           f"{tt / total:.1%}"])
    own = {}
    for (_, _, func), (_, _, tt, _, _) in stats.stats.items():
        own[func] = own.get(func, 0.0) + tt / steps
    return table, own, total / steps


def run(quick: bool, specs, small: Spec | None = None) -> Section:
    section = Section(
        "Profile of the numeric big step",
        "Each piece timed alone (interleaved with the whole step and the GEMM bound, "
        "medians); *share* is of the whole numeric step.")
    for spec in specs:
        name = np.dtype(spec.dtype).name
        params, X, Y = make_problem(spec)
        from .steps import gemm_bound

        fns = {"whole numeric step": numeric_step(spec, params, X, Y),
               "GEMM bound": gemm_bound(spec, params, X, Y), **pieces(spec, params, X, Y),
               **_fit_extras(spec, 6_000 if quick else 60_000)}
        stats = interleaved(fns, rounds=3 if quick else 15, target_s=0.005 if quick else 0.02, warmup=1)
        whole = stats["whole numeric step"].median
        table = Table(f"{spec.label}: breakdown", ["piece", "median", "share of step"])
        counted = 0.0
        for piece, s in stats.items():
            table.rows.append([piece, fmt_seconds(s.median), f"{s.median / whole:.1%}"])
            if piece not in ("whole numeric step", "GEMM bound") and "of which" not in piece \
                    and not piece.startswith("fit:"):
                counted += s.median
        table.rows.append(["remainder: whole step - sum of pieces (Python, dicts, colder caches)",
                           fmt_seconds(whole - counted), f"{(whole - counted) / whole:.1%}"])
        section.tables.append(table)
        pieces_s = {k: v.median for k, v in stats.items()}
        pieces_s["pieces sum"] = counted
        # The same step under cProfile: each generated function's own time *inside* the
        # step, to set against its pieces timed alone (the remainder's cache effects).
        cprof, own = _cprofile(numeric_step(spec, params, X, Y), 10 if quick else 100)
        section.data[name] = {"pieces": pieces_s, "in_step": own}
        if spec is specs[0]:
            cprof.caption = f"{spec.label}: {cprof.caption}"
            cprofile_table = cprof
        bad = dtype_audit(spec, params, X, Y)
        section.notes.append(f"dtype audit, {name}: " + (
            f"every array of the step (cache, gradients, new parameters, Adam moments) is {name}"
            if not bad else "NOT all " + name + ": " + "; ".join(bad)))
    section.tables.append(cprofile_table)
    fits = [(spec, {"epochs": 2 if quick else 20}) for spec in specs]
    if small is not None:
        fits.append((small, {"epochs": 200 if quick else 2000, "n_batches": 1}))
    section.data["fit_profile"] = {}
    for spec, kw in fits:
        table, own, per_step = fit_profile(spec, **kw)
        section.tables.append(table)
        section.data["fit_profile"][spec.label] = {"own": own, "per_step": per_step}
    if small is not None:
        # The small step is all per-call overhead: the calls per step are what to cut.
        params, X, Y = make_problem(small)
        table, _ = _cprofile(numeric_step(small, params, X, Y), 200 if quick else 2000)
        table.caption = f"{small.label}: {table.caption}"
        section.tables.append(table)
    return section
