"""Benchmark 5: peak memory of ``Network.fit`` on 60,000 x 784 float32 data.

A child process makes the data, resets its peak RSS to the current RSS (Linux:
``/proc/self/clear_refs``; the peak a child inherits from its parent across fork and exec
would otherwise hide everything), trains one epoch (784-256-128-10, batch 256, Adam) and
reports what the peak grew by. Two views: RSS (``VmHWM``: everything, as the OS sees it) and
``tracemalloc`` (NumPy reports its allocations there) over a second epoch, which tells
NumPy arrays from interpreter and library overhead. Both are given as a multiple of the
data set's size (X + Y bytes); the target is at most one extra copy of the data. The
same is measured on Fortran-ordered X, where fit copies nothing: that is the network's
own memory, and the difference is the copy of the data.

Run by hand: ``python -m benchmarks.memory 60000`` prints the child's JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from .results import Section, Table

__all__ = ["run", "child"]

FULL_M = 60_000
QUICK_M = 6_000


def _status_bytes(field: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, from /proc/self/status."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise OSError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Make the peak RSS the current RSS (Linux >= 4.0)."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def _fit_growth(X, Y) -> tuple[int, int, float]:
    """``(peak RSS growth, tracemalloc peak, seconds)`` of one epoch of fit on (X, Y),
    each epoch in a fresh network (RSS first, then tracemalloc)."""
    import tracemalloc

    import numpy as np

    from numeric import Network
    from numeric.optim import Adam

    def fit(seed):
        net = Network([784, 256, 128, 10], hidden="relu", output="softmax", seed=0,
                      dtype=np.float32)
        net.fit(X, Y, optimizer=Adam(1e-3), epochs=1, batch_size=256, seed=seed, progress=False)

    _reset_peak()
    base = _status_bytes("VmRSS")
    start = time.perf_counter()
    fit(0)
    seconds = time.perf_counter() - start
    rss_extra = _status_bytes("VmHWM") - base
    tracemalloc.start()
    fit(1)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rss_extra, traced_peak, seconds


def child(m: int) -> dict:
    """Make the data, fit one epoch on C-ordered and one on Fortran-ordered X; the numbers
    as a dict.

    fit gathers batches as rows of the transposed data (``numeric.training``): one copy
    of X where X is C-ordered, none where it is Fortran-ordered (``data.T`` of an
    (m, n_x) array). The Fortran-ordered run is therefore the network's own memory
    (parameters, gradients, Adam moments, step buffers) and the difference the copy of
    the data.
    """
    import numpy as np

    rng = np.random.default_rng(0)
    # Drawn directly in float32: a float64 draw and a cast would raise the peak by 3x
    # the data before fit even starts.
    X = rng.standard_normal((784, m), dtype=np.float32)
    Y = np.zeros((10, m), dtype=np.float32)
    Y[rng.integers(0, 10, m), np.arange(m)] = 1.0
    data = X.nbytes + Y.nbytes
    base = _status_bytes("VmRSS")
    rss_extra, traced_peak, seconds = _fit_growth(X, Y)
    XF, YF = np.asfortranarray(X), np.asfortranarray(Y)
    del X, Y
    rss_f, traced_f, _ = _fit_growth(XF, YF)
    return {"m": m, "data_bytes": data, "base_rss": base, "rss_extra": rss_extra,
            "traced_peak": traced_peak, "fit_seconds": seconds,
            "rss_extra_fortran": rss_f, "traced_peak_fortran": traced_f}


def run(quick: bool) -> Section:
    m = QUICK_M if quick else FULL_M
    proc = subprocess.run([sys.executable, "-m", "benchmarks.memory", str(m)],
                          capture_output=True, text=True, check=False)
    section = Section(
        "5. Peak memory of fit",
        f"`Network.fit` for one epoch of 784-256-128-10 (relu, softmax, float32, batch 256, "
        f"Adam) on {m:,} x 784 random float32 data, in a child process."
        + (" (--quick: a tenth of the 60,000 examples.)" if quick else ""))
    if proc.returncode != 0:
        section.notes.append(f"the child failed: {proc.stderr.strip()[-500:]}")
        return section
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    mib = 2.0 ** 20
    data = r["data_bytes"]
    table = Table("", ["quantity", "MiB", "x data size"])
    extra = max(r["rss_extra"], r["traced_peak"])
    state = max(r["rss_extra_fortran"], r["traced_peak_fortran"])
    table.rows = [
        ["data set (X + Y)", f"{data / mib:.1f}", "1.00"],
        ["process RSS before fit (imports + data)", f"{r['base_rss'] / mib:.1f}",
         f"{r['base_rss'] / data:.2f}"],
        ["peak RSS growth during fit (C-ordered X)", f"{r['rss_extra'] / mib:.1f}",
         f"{r['rss_extra'] / data:.2f}"],
        ["tracemalloc peak during fit (C-ordered X; NumPy + Python)", f"{r['traced_peak'] / mib:.1f}",
         f"{r['traced_peak'] / data:.2f}"],
        ["peak RSS growth during fit (Fortran-ordered X: no copy, the network's own memory)",
         f"{r['rss_extra_fortran'] / mib:.1f}", f"{r['rss_extra_fortran'] / data:.2f}"],
        ["tracemalloc peak during fit (Fortran-ordered X)", f"{r['traced_peak_fortran'] / mib:.1f}",
         f"{r['traced_peak_fortran'] / data:.2f}"],
        ["the copy of the data fit makes (C-ordered minus Fortran-ordered, larger of the two views)",
         f"{(extra - state) / mib:.1f}", f"{(extra - state) / data:.2f}"],
    ]
    section.tables.append(table)
    section.notes.append(f"one epoch took {r['fit_seconds']:.2f} s "
                         f"({r['fit_seconds'] / -(-m // 256) * 1e3:.2f} ms per step, batch gather, "
                         "checks and cost included)")
    section.data = {"extra_copies": extra / data, "state_copies": state / data,
                    "data_copies": (extra - state) / data, **r}
    return section


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]) if len(sys.argv) > 1 else FULL_M)))
