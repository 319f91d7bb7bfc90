"""Plots of training runs, written as PNG files.

matplotlib is imported inside :func:`cost_figure` only, so ``import numeric`` never needs
it. The figure is drawn with the Agg canvas directly (no ``pyplot``): no GUI backend is
chosen, no global figure state is touched, and it works without a display.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["plot_cost", "cost_figure", "title_fits", "MissingDependency"]


class MissingDependency(ImportError):
    """matplotlib is not installed; the message says how to install it."""


def plot_cost(history, path, title: str = "", xlabel: str = "epoch") -> Path:
    """Write the cost curve ``history`` (one value per epoch) to the PNG file ``path``.

    Parameters
    ----------
    history : sequence of float, length = number of epochs, every value > 0 for the log axis
    path : str or Path, the PNG to write (its folder must exist)
    title : str, the figure's title (lines separated by "\\n")

    Returns
    -------
    Path of the written file.

    Raises
    ------
    MissingDependency (an ImportError) when matplotlib is not installed.
    """
    path = Path(path)
    cost_figure(history, title, xlabel).savefig(path, format="png")
    return path


def cost_figure(history, title: str = "", xlabel: str = "epoch"):
    """The matplotlib Figure that :func:`plot_cost` writes; its title fits the figure's width."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependency("matplotlib is not installed (pip install matplotlib)") from None
    costs = [float(c) for c in history]
    fig = Figure(figsize=(6, 4), dpi=100)
    canvas = FigureCanvasAgg(fig)  # attaches itself to fig; savefig then renders with Agg
    ax = fig.add_subplot()
    ax.plot(range(1, len(costs) + 1), costs, color="tab:blue", linewidth=1.5)
    # Costs fall over orders of magnitude; a log axis keeps the late epochs readable.
    if costs and min(costs) > 0:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cost")
    text = ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    # A title line wider than the figure would be cut at both edges (tight_layout does
    # not wrap): shrink it until it fits, down to a still legible 6 points.
    renderer = canvas.get_renderer()
    fig.tight_layout()
    while not title_fits(fig, renderer) and text.get_fontsize() > 6:
        text.set_fontsize(text.get_fontsize() * 0.9)
        fig.tight_layout()
    return fig


def title_fits(fig, renderer=None) -> bool:
    """Whether every axes title of ``fig`` lies inside the figure (nothing cut off)."""
    renderer = renderer or fig.canvas.get_renderer()
    for ax in fig.axes:
        box = ax.title.get_window_extent(renderer)
        if box.x0 < 0 or box.x1 > fig.bbox.width or box.y1 > fig.bbox.height:
            return False
    return True
