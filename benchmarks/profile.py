"""Where the numeric big step spends its time, piece by piece, against the GEMM bound.

Each piece of ``propagation.forward`` / ``cost`` / ``backward`` and ``Adam.update`` is
re-run on its own, on the arrays of one real step, through the same generated functions
``numeric`` calls; all pieces and the whole step are timed interleaved in one run. Pieces
that contain a matrix product are paired with the product alone, so the table shows
what the rest of the piece (bias, 1/m scaling, temporaries) adds. The remainder (the
whole step minus the pieces) is Python, dict handling and cache effects.

Also here: a dtype audit of a float32 step (any float64 array is a silent 2x), a
cProfile of whole steps, and ``fit``'s per-batch extras (the column gather of a
mini-batch from the full data set, the finite check of the new parameters).
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


def pieces(spec: Spec, params, X, Y) -> dict:
    """name -> zero-argument callable, one per piece of the step (and GEMM twins)."""
    from numeric import _generated as gen
    from numeric import propagation
    from numeric.activations import activation
    from numeric.optim import Adam
    from numeric.outputs import output_layer

    g, g_prime = activation(spec.hidden)
    out = output_layer(spec.output)
    L = len(spec.layer_dims) - 1
    m = spec.m
    _, cache = propagation.forward(params, X, spec.hidden, spec.output)
    grads = propagation.backward(params, cache, Y, spec.hidden, spec.output)
    opt = Adam(learning_rate=1e-3)
    state = opt.init(params)
    _, state = opt.update(params, grads, state)  # non-zero moments, t = 1
    p = {}
    for l in range(1, L + 1):
        W, b, A_prev, Z = params[f"W{l}"], params[f"b{l}"], cache[f"A{l - 1}"], cache[f"Z{l}"]
        p[f"fwd {l}: W A_prev + b"] = lambda W=W, A=A_prev, b=b: gen.linear_forward(W=W, A_prev=A, b=b)
        p[f"fwd {l}:   of which W A_prev (GEMM)"] = lambda W=W, A=A_prev: W @ A
        if l < L:
            p[f"fwd {l}: {spec.hidden}(Z)"] = lambda Z=Z: g(Z)
        else:
            p[f"fwd {l}: {spec.output}(Z)"] = lambda Z=Z: out.activate(Z)
    ZL, AL = cache[f"Z{L}"], cache[f"A{L}"]
    p["cost from the logits"] = lambda: out.cost(ZL, AL, Y, m)
    p[f"bwd {L}: dZ = A - Y"] = lambda: out.dz(AL, Y)
    dZ = out.dz(AL, Y)
    for l in range(L, 0, -1):
        W, A_prev = params[f"W{l}"], cache[f"A{l - 1}"]
        p[f"bwd {l}: dW = (1/m) dZ A_prev^T"] = lambda dZ=dZ, A=A_prev: gen.layer_dw(dZ=dZ, A_prev=A, m=m)
        p[f"bwd {l}:   of which dZ A_prev^T (GEMM)"] = lambda dZ=dZ, A=A_prev: dZ @ A.T
        p[f"bwd {l}: db = (1/m) sum dZ"] = lambda dZ=dZ: gen.layer_db(dZ=dZ, m=m)
        if l > 1:
            p[f"bwd {l}: dA_prev = W^T dZ (GEMM)"] = lambda W=W, dZ=dZ: gen.layer_da_prev(W=W, dZ=dZ)
            dA = gen.layer_da_prev(W=W, dZ=dZ)
            Zp = cache[f"Z{l - 1}"]
            p[f"bwd {l}: g'(Z{l - 1})"] = lambda Z=Zp: g_prime(Z)
            gp = g_prime(Zp)
            p[f"bwd {l}: dZ = dA * g'(Z)"] = lambda dA=dA, gp=gp: gen.layer_dz(dA=dA, gprime_Z=gp)
            dZ = gen.layer_dz(dA=dA, gprime_Z=gp)
    for k, W in params.items():
        p[f"Adam update {k} ({W.size:,})"] = lambda k=k, W=W: gen.adam_update(
            W=W, dW=grads["d" + k], v=state.v[k], s=state.s[k], t=2, learning_rate=1e-3,
            beta1=0.9, beta2=0.999, epsilon=1e-8)
    return p


def dtype_audit(spec: Spec, params, X, Y) -> list[str]:
    """Names of the arrays of one step whose dtype is not ``spec.dtype`` ([] if none)."""
    from numeric import propagation
    from numeric.optim import Adam

    _, cache = propagation.forward(params, X, spec.hidden, spec.output)
    J = propagation.cost(params, cache, Y, spec.output)
    grads = propagation.backward(params, cache, Y, spec.hidden, spec.output)
    opt = Adam()
    new, state = opt.update(params, grads, opt.init(params))
    arrays = {**{f"cache {k}": v for k, v in cache.items()}, **{f"grad {k}": v for k, v in grads.items()},
              **{f"new {k}": v for k, v in new.items()}, **{f"Adam v {k}": v for k, v in state.v.items()},
              **{f"Adam s {k}": v for k, v in state.s.items()}}
    bad = [f"{k}: {v.dtype}" for k, v in arrays.items()
           if isinstance(v, np.ndarray) and v.dtype != np.dtype(spec.dtype)]
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
    """What ``fit`` adds per batch: the column gather and the finite check."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((spec.layer_dims[0], n_data), dtype=np.float32).astype(spec.dtype, copy=False)
    idx = rng.permutation(n_data)[:spec.m]
    params, _, _ = make_problem(spec)
    return {
        f"fit: X[:, idx] of a ({spec.layer_dims[0]}, {n_data:,}) array": lambda: X[:, idx],
        "fit: finite check of the new params": lambda: [np.all(np.isfinite(v)) for v in params.values()],
    }


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
    if small is not None:
        # The small step is all per-call overhead: the calls per step are what to cut.
        params, X, Y = make_problem(small)
        table, _ = _cprofile(numeric_step(small, params, X, Y), 200 if quick else 2000)
        table.caption = f"{small.label}: {table.caption}"
        section.tables.append(table)
    return section
