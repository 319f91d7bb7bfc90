"""``python -m benchmarks [--quick] [--out reports/] [--threads N] [--only NAME ...]``.

Runs the benchmarks in one process and writes benchmarks.md and benchmarks.png into
the --out folder. Threads are pinned before NumPy, PyTorch or JAX is imported (see
benchmarks/machine.py): one per library by default, since on a shared machine several
libraries' spinning thread pools in one process make multi-threaded timings swing by
10x; --threads 2 measures with two.

(The paragraph above is the --help description: plain text, no markup.)
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

from derive.cli_util import OneLineParser

from .machine import optional, pin_threads
from .report import SECTION_ORDER  # stdlib only: safe before pin_threads

QUICK_OUT = "reports/quick"  # git-ignored: the committed results are the full run
# the benchmarks, in the report's order (one list: benchmarks.report.SECTION_ORDER)
NAMES = SECTION_ORDER


def _parse(argv):
    p = OneLineParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[1])
    p.add_argument("--quick", action="store_true",
                   help="few rounds, small data, the slow 50k-parameter checks skipped (< 1 min)")
    p.add_argument("--out", default=None,
                   help="folder for benchmarks.md and benchmarks.png (default: reports, or "
                        "reports/quick with --quick, so that a quick run never overwrites the full one)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads (and cores) for NumPy/BLAS, PyTorch and XLA (default 1)")
    p.add_argument("--only", nargs="+", choices=NAMES, help="run only these benchmarks")
    return p.parse_args(argv)


def _run_one(name, quick):
    """One benchmark's Section; a crash becomes a note, so the others still report."""
    from . import blas, commands, gradchecks, memory, profile, step_big, step_small, suite
    from .results import Section

    runners = {"big": lambda: step_big.run(quick), "small": lambda: step_small.run(quick),
               "gradcheck": lambda: gradchecks.run(quick), "commands": lambda: commands.run(quick),
               "memory": lambda: memory.run(quick), "blas": lambda: blas.run(quick),
               "profile": lambda: profile.run(quick, step_big.SPECS, step_small.SPEC),
               "suite": lambda: suite.run(quick)}
    try:
        return runners[name]()
    except Exception:  # a benchmark is measurement: report the failure, keep going
        return Section(f"{name} (failed)", notes=["```\n" + traceback.format_exc()[-1500:] + "```"])


def main(argv=None) -> int:
    args = _parse(argv)
    if args.out is None:
        args.out = QUICK_OUT if args.quick else "reports"
    threads = pin_threads(args.threads)
    torch = optional("torch")
    if torch is not None:
        torch.set_num_threads(threads)
    from .machine import machine_info
    from .plot import write_plot
    from .report import write_markdown

    start = time.perf_counter()
    load_before = os.getloadavg()
    sections = {}
    for name in args.only or NAMES:
        t = time.perf_counter()
        print(f"benchmarks: {name} ...", file=sys.stderr, flush=True)
        sections[name] = _run_one(name, args.quick)
        print(f"benchmarks: {name} done in {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    machine = machine_info(threads)
    machine.append(("load average (1 min)", f"{load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after "
                                            "(other processes share these cores)"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    command = "python -m benchmarks" + (" --quick" if args.quick else "") + (
        f" --threads {args.threads}" if args.threads != 1 else "")
    write_markdown(out / "benchmarks.md", sections, machine,
                   {"command": command}, time.perf_counter() - start)
    write_plot(out / "benchmarks.png", sections)
    print(f"wrote {out / 'benchmarks.md'} and {out / 'benchmarks.png'}")
    return 0


if __name__ == "__main__":
    from derive.cli_util import run_command

    sys.exit(run_command(main, "python -m benchmarks"))
