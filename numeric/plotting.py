"""Plots of training runs, written as PNG files.

matplotlib is imported inside :func:`plot_cost` only, so ``import numeric`` never needs
it. The figure is drawn with the Agg canvas directly (no ``pyplot``): no GUI backend is
chosen, no global figure state is touched, and it works without a display.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["plot_cost", "MissingDependency"]


class MissingDependency(ImportError):
    """matplotlib is not installed; the message says how to install it."""


def plot_cost(history, path, title: str = "", xlabel: str = "epoch") -> Path:
    """Write the cost curve ``history`` (one value per epoch) to the PNG file ``path``.

    Parameters
    ----------
    history : sequence of float, length = number of epochs, every value > 0 for the log axis
    path : str or Path, the PNG to write (its folder must exist)
    title : str, the figure's title

    Returns
    -------
    Path of the written file.

    Raises
    ------
    MissingDependency (an ImportError) when matplotlib is not installed.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependency("matplotlib is not installed (pip install matplotlib)") from None
    costs = [float(c) for c in history]
    path = Path(path)
    fig = Figure(figsize=(6, 4), dpi=100)
    FigureCanvasAgg(fig)  # attaches itself to fig; savefig then renders with Agg
    ax = fig.add_subplot()
    ax.plot(range(1, len(costs) + 1), costs, color="tab:blue", linewidth=1.5)
    # Costs fall over orders of magnitude; a log axis keeps the late epochs readable.
    if costs and min(costs) > 0:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cost")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path
