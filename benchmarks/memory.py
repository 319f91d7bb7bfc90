"""Benchmark 5: peak memory of ``Network.fit`` on 60,000 x 784 float32 data.

A child process makes the data, resets its peak RSS to the current RSS (Linux:
``/proc/self/clear_refs``; the peak a child inherits from its parent across fork and exec
would otherwise hide everything), trains one epoch (784-256-128-10, batch 256, Adam) and
reports what the peak grew by. Two views: RSS (``VmHWM``: everything, as the OS sees it) and
``tracemalloc`` (NumPy reports its allocations there) over a second epoch, which tells
NumPy arrays from interpreter and library overhead. Both are given as a multiple of the
data set's size (X + Y bytes); the target is at most one extra copy.

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


def child(m: int) -> dict:
    """Make the data, fit one epoch twice (RSS, then tracemalloc); the numbers as a dict."""
    import tracemalloc

    import numpy as np

    from numeric import Network
    from numeric.optim import Adam

    rng = np.random.default_rng(0)
    # Drawn directly in float32: a float64 draw and a cast would raise the peak by 3x
    # the data before fit even starts.
    X = rng.standard_normal((784, m), dtype=np.float32)
    Y = np.zeros((10, m), dtype=np.float32)
    Y[rng.integers(0, 10, m), np.arange(m)] = 1.0
    net = Network([784, 256, 128, 10], hidden="relu", output="softmax", seed=0, dtype=np.float32)
    data = X.nbytes + Y.nbytes
    _reset_peak()
    base = _status_bytes("VmRSS")
    start = time.perf_counter()
    net.fit(X, Y, optimizer=Adam(1e-3), epochs=1, batch_size=256, seed=0, progress=False)
    seconds = time.perf_counter() - start
    rss_extra = _status_bytes("VmHWM") - base

    tracemalloc.start()
    net.fit(X, Y, optimizer=Adam(1e-3), epochs=1, batch_size=256, seed=1, progress=False)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"m": m, "data_bytes": data, "base_rss": base, "rss_extra": rss_extra,
            "traced_peak": traced_peak, "fit_seconds": seconds}


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
    table.rows = [
        ["data set (X + Y)", f"{data / mib:.1f}", "1.00"],
        ["process RSS before fit (imports + data)", f"{r['base_rss'] / mib:.1f}",
         f"{r['base_rss'] / data:.2f}"],
        ["peak RSS growth during fit", f"{r['rss_extra'] / mib:.1f}", f"{r['rss_extra'] / data:.2f}"],
        ["tracemalloc peak during fit (NumPy + Python)", f"{r['traced_peak'] / mib:.1f}",
         f"{r['traced_peak'] / data:.2f}"],
    ]
    section.tables.append(table)
    section.notes.append(f"one epoch took {r['fit_seconds']:.2f} s "
                         f"({r['fit_seconds'] / -(-m // 256) * 1e3:.2f} ms per step, batch indexing "
                         "and cost included)")
    section.data = {"extra_copies": max(r["rss_extra"], r["traced_peak"]) / data, **r}
    return section


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]) if len(sys.argv) > 1 else FULL_M)))
