"""Benchmark 3: gradient checking, seconds and the relative error each checker reaches.

Two networks (tanh hidden layers, so every checker meets a smooth cost and none trips
on a ReLU kink): ~350 parameters and ~50k (784-64-1, m = 64, the issue's network for
"the full check is at least 50x faster than the notes' loop"), then the directional
check of a ~1M-parameter network. Runs are one-shot where they take seconds; a
checker that takes under 0.2 s is repeated (5 runs) and its median reported.
"""

from __future__ import annotations

from .checkers import CHECKERS, Problem
from .machine import optional
from .results import Section, Table
from .timing import interleaved

__all__ = ["run", "SMALL", "MEDIUM", "HUGE"]

SMALL = ((20, 12, 8, 1), "tanh", "sigmoid", 32)
MEDIUM = ((784, 64, 1), "tanh", "sigmoid", 64)
HUGE = ((784, 1024, 256, 10), "tanh", "softmax", 64)

# Too slow for --quick on the 50k network (minutes, or tens of seconds).
_SLOW_ON_MEDIUM = ("verify.gradcheck, full", "torch.autograd.gradcheck, slow")
# Too slow for --quick on any network: eager check_grads compiles every primitive it
# meets on its first call (~4 s each network, most of --quick's gradient section).
_SLOW = ("jax.test_util.check_grads",)


def _skip_reason(name, medium, quick):
    if "torch" in name and optional("torch") is None:
        return "skipped: PyTorch is not installed"
    if quick and (name in _SLOW or medium and name in _SLOW_ON_MEDIUM):
        return "skipped in --quick"
    return None


def _loop_vs_full(section, pb, k, rounds):
    """The issue's ">= 50x" ratio, with the two timed interleaved (the table's one-shot
    times are taken minutes apart and a change of load lands on one of them only)."""
    from verify.network_check import check_network, loop_central_fd

    _, done = loop_central_fd(pb.net, pb.X, pb.Y, max_elements=k)
    stats = interleaved({
        "loop": lambda: loop_central_fd(pb.net, pb.X, pb.Y, max_elements=k),
        "full": lambda: check_network(pb.net, pb.X, pb.Y, methods=("central",)),
    }, rounds=rounds, target_s=0.0, warmup=0)
    loop = stats["loop"].median * pb.n_params / done
    full = stats["full"]
    section.data["loop_over_full"] = loop / full.median
    section.notes.append(
        f"{pb.label}: the notes' loop against verify.check_network's full check, interleaved "
        f"over {rounds} rounds: loop {loop:.3g} s (extrapolated from {done:,} elements), full "
        f"check {full.median:.3g} s (min {full.min:.3g}, max {full.max:.3g}): "
        f"{loop / full.median:.0f}x faster")


def run(quick: bool) -> Section:
    section = Section(
        "3. Gradient checking",
        "Central differences in float64 unless said. *Error reached*: the relative error "
        "||g - g_num|| / (||g|| + ||g_num||) of the check; for checkers returning only "
        "pass/fail, the tightest tolerance (atol = rtol) of 1e-3, 1e-5, ..., 1e-11 they pass.")
    for dims, medium in ((SMALL, False), (MEDIUM, True)):
        pb = Problem(*dims)
        table = Table(pb.label, ["checker", "seconds", "error reached", "verdict", "note"])
        opts = {"k": (20 if quick else 200) if medium else None, "quick": quick}
        for name, check in CHECKERS.items():
            why = _skip_reason(name, medium, quick)
            if why:
                table.rows.append([name, why, "", "", ""])
                continue
            o = check(pb, opts)
            table.rows.append([name, f"{o.seconds:.3g}", o.error, o.verdict, o.note])
            if medium:
                section.data[name] = o
        section.tables.append(table)
        if medium:
            _loop_vs_full(section, pb, opts["k"], rounds=3 if quick else 7)

    pb = Problem(*HUGE)
    table = Table(pb.label, ["checker", "seconds", "error reached", "verdict", "note"])
    for name in ("verify.check_network, directional", "verify.gradcheck, directional"):
        o = CHECKERS[name](pb, {"quick": quick})
        table.rows.append([name, f"{o.seconds:.3g}", o.error, o.verdict, o.note])
        section.data[f"1M: {name}"] = o
    section.tables.append(table)
    section.data["n_params_1M"] = pb.n_params
    return section
