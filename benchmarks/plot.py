"""Write ``benchmarks.png``: the step benchmarks (median, min-max bars) and the checkers."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_plot"]


def _steps_panel(ax, stats, title):
    names = list(stats)
    med = [stats[n].median * 1e3 for n in names]
    lo = [m - stats[n].min * 1e3 for m, n in zip(med, names)]
    hi = [stats[n].max * 1e3 - m for m, n in zip(med, names)]
    colors = ["tab:red" if n.startswith("numeric") else "tab:gray" if n.startswith("GEMM bound")
              else "tab:blue" for n in names]
    ax.barh(names, med, xerr=[lo, hi], color=colors, capsize=3)
    # A log axis only where the contenders span orders of magnitude: bars on a log axis
    # start at an arbitrary left edge and make close times look far apart.
    log = max(med) / min(med) > 20
    if log:
        ax.set_xscale("log")
    ax.set_xlabel(f"ms per step ({'log; ' if log else ''}error bars: min-max)")
    ax.set_title(title, fontsize=9)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)


def _checks_panel(ax, data):
    rows = [(n + (" (extrapolated)" if "extrapolated" in o.note else ""), o.seconds)
            for n, o in data.items() if hasattr(o, "seconds") and not n.startswith("1M")]
    if not rows:
        ax.set_axis_off()
        return
    names, secs = zip(*rows)
    ax.barh(names, secs, color=["tab:red" if n.startswith("verify") else "tab:blue" for n in names])
    ax.set_xscale("log")
    ax.set_xlabel("seconds (log)")
    ax.set_title("gradient check, 784-64-1, m = 64", fontsize=9)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)


def write_plot(path: Path, sections: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(12, 7))
    big = sections.get("big")
    small = sections.get("small")
    for ax, (sec, key, title) in zip(axes.flat, ((big, "float32", "784-256-128-10, m = 256, float32"),
                                                 (big, "float64", "784-256-128-10, m = 256, float64"),
                                                 (small, "float64", "2-4-1, m = 400, float64"))):
        if sec is not None and key in sec.data:
            _steps_panel(ax, sec.data[key], title)
        else:
            ax.set_axis_off()
    grad = sections.get("gradcheck")
    _checks_panel(axes.flat[3], grad.data if grad else {})
    fig.suptitle("gradproof benchmarks (numeric in red, GEMM bounds in gray)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
