"""Thread pinning and the machine description printed at the top of the report.

:func:`pin_threads` must run before NumPy, PyTorch or JAX is imported: OpenBLAS sizes
its thread pool at load time from the environment and the CPU affinity, and XLA's CPU
client sizes its pool from the affinity (it has no thread-count flag). Restricting the
process's affinity to ``n`` cores therefore gives every library the same ``n`` cores;
the environment variables and ``torch.set_num_threads`` say the same thing explicitly.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from contextlib import contextmanager
from importlib import metadata

__all__ = ["pin_threads", "machine_info", "optional", "blas_setting", "as_started",
           "run_as_started"]

_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# The thread settings and cores of the process as it started (this module is imported
# before pin_threads runs), for the children that must run as a user runs them.
_STARTED_ENV = {var: os.environ.get(var) for var in _THREAD_VARS}
_STARTED_CORES = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def pin_threads(n: int | None) -> int:
    """Give NumPy/BLAS, PyTorch and XLA ``n`` threads on ``n`` cores (default: all).

    Returns the number of threads. Call before importing numpy, torch or jax.
    """
    cores = available_cores()
    n = cores if n is None else max(1, min(int(n), cores))
    if n < cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:n])
    for var in _THREAD_VARS:
        os.environ[var] = str(n)
    # Child processes (the memory benchmark, the CLI timings) inherit both.
    return n


@contextmanager
def as_started():
    """The environment of a child process that runs as if :func:`pin_threads` had not
    run: yields that environment, and gives this thread the process's starting cores
    while inside (a child inherits its parent thread's affinity), then the pinned ones."""
    env = {k: v for k, v in os.environ.items() if k not in _THREAD_VARS}
    env.update({k: v for k, v in _STARTED_ENV.items() if v is not None})
    if _STARTED_CORES is None:
        yield env
        return
    pinned = os.sched_getaffinity(0)
    os.sched_setaffinity(0, _STARTED_CORES)
    try:
        yield env
    finally:
        os.sched_setaffinity(0, pinned)



def run_as_started(args, **kwargs) -> tuple[subprocess.CompletedProcess, float, float, int]:
    """``python args`` in a child process run as a user runs it (:func:`as_started`),
    its output captured as text: the finished process, its wall seconds, the CPU
    seconds (user + sys) of it and its children (on a loaded machine the wall time
    grows, the CPU time much less) and the number of cores it had."""
    with as_started() as env:
        cores = available_cores()
        before = os.times()
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              env=env, **kwargs)
        wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return proc, wall, cpu, cores

def optional(module: str):
    """The module, or None where it is not installed (an optional peer)."""
    try:
        return __import__(module)
    except ImportError:
        return None


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _blas() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    pools = [f"{p.get('internal_api')} {p.get('version')} ({p.get('threading_layer', '')}, "
             f"{p.get('num_threads')} threads, {p.get('architecture', '')})"
             for p in threadpool_info() if p.get("user_api") == "blas"]
    return "; ".join(pools) or "none found"


def _blas_env() -> str:
    """OpenBLAS settings made in the environment (other than the thread count), and
    whether the CPU has AVX-512: a forced ``OPENBLAS_CORETYPE`` decides NumPy's kernels."""
    forced = [f"{k}={v}" for k, v in sorted(os.environ.items())
              if k.startswith("OPENBLAS_") and k != "OPENBLAS_NUM_THREADS"]
    try:
        with open("/proc/cpuinfo") as fh:
            avx512 = any(line.startswith("flags") and " avx512f" in line for line in fh)
        cpu = "this CPU has AVX-512" if avx512 else "this CPU has no AVX-512"
    except OSError:
        cpu = "CPU flags unknown"
    return (", ".join(forced) + " (set outside the benchmarks)" if forced else "none set") + f"; {cpu}"


def blas_setting() -> str:
    """One line for a table caption: NumPy's BLAS kernels and the environment's settings
    of them (every timing of NumPy's products depends on both; see benchmarks.blas)."""
    import numpy  # noqa: F401  (loads NumPy's BLAS, so that threadpoolctl sees it)

    try:
        from threadpoolctl import threadpool_info
        kernels = sorted({str(p.get("architecture")) for p in threadpool_info()
                          if p.get("user_api") == "blas"})
    except ImportError:
        kernels = []
    forced = [f"{k}={v}" for k, v in sorted(os.environ.items())
              if k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")]
    return (f"NumPy's BLAS: {'/'.join(kernels) or 'unknown'} kernels, "
            + (", ".join(forced) + " set by the environment" if forced else "OpenBLAS's own choice"))


def machine_info(threads: int) -> list[tuple[str, str]]:
    """(label, value) rows describing the machine, the libraries and their threads."""
    torch = optional("torch")
    torch_threads = f"{torch.get_num_threads()} intra-op" if torch else "not installed"
    try:
        import jax
        xla = f"{jax.local_device_count()} CPU device, XLA pool over {available_cores()} core(s)"
    except ImportError:
        xla = "not installed"
    return [
        ("CPU", _cpu_model()),
        ("cores", f"{os.cpu_count()} logical, {available_cores()} in this process's affinity"),
        ("threads", f"NumPy/BLAS {threads}; PyTorch {torch_threads}; JAX/XLA: {xla}"),
        ("BLAS libraries loaded", _blas()),
        ("BLAS environment", _blas_env()),
        ("Python", f"{platform.python_implementation()} {sys.version.split()[0]} on {platform.platform()}"),
        ("versions", ", ".join(f"{d} {_version(d)}" for d in
                               ("numpy", "jax", "jaxlib", "optax", "torch", "scikit-learn"))),
    ]
