"""The activations figure of the report, drawn from the derived expressions.

By default the catalog's activations; ``entries`` draws others (a user's own, in the
report's "Your own formulas" section) through the same code.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import sympy as sp

from .symbols import unfold, z

__all__ = ["draw_activations", "activations_svg", "width_fraction"]

_PER_ROW = 4


def _curves(entries=None):
    """(label, registry name of the derivative, entry, hyperparameter values) for each
    activation of ``entries`` (default: the catalog's)."""
    from . import catalog
    out = []
    for entry in (catalog.hidden_entries().values() if entries is None else entries):
        values = {h.symbol: h.default for h in entry.hyper}
        values.update({h.symbol: dict(entry.plot_values)[h.name] for h in entry.hyper
                       if h.name in dict(entry.plot_values)})
        derivative = entry.derivation or f"{entry.name}_derivative"
        out.append((entry.label or entry.name.replace("_", " "), derivative, entry, values))
    return out


def width_fraction(n_curves: int) -> float:
    """The share of a full row (four curves) that ``n_curves`` curves take."""
    return min(_PER_ROW, max(n_curves, 1)) / _PER_ROW


def _figure(registry, entries=None):
    """The matplotlib figure: each activation (default: the catalog's) and its derived
    derivative, four to a row (the grid sized from the entries)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import catalog
    curves = _curves(entries)
    cols = min(_PER_ROW, len(curves))
    rows = -(-len(curves) // cols)
    # 11 inches for a full row of four; fewer curves (a user's own) get narrower figures
    fig, axes = plt.subplots(rows, cols, figsize=(11 * cols / _PER_ROW, 2.6 * rows),
                             squeeze=False)
    for ax in axes.flat[len(curves):]:
        ax.set_visible(False)
    heaviside = {"Heaviside": lambda x, h0=0.5: np.heaviside(x, h0)}
    for ax, (label, name, entry, values) in zip(axes.flat, curves):
        xs = np.linspace(*entry.plot_range, 801)
        g = unfold(entry.definition).xreplace(values)
        f = sp.lambdify(z, g, modules=[heaviside, "numpy"])
        with np.errstate(over="ignore", invalid="ignore"):  # cases not taken may overflow
            ax.plot(xs, np.broadcast_to(f(xs), xs.shape), color="tab:blue", label=label)
            if name in registry:
                derivative = unfold(registry[name].result.rhs.xreplace(
                    {catalog.function_of(entry): entry.definition})).xreplace(values)
                df = sp.lambdify(z, derivative, modules=[heaviside, "numpy"])
                ax.plot(xs, np.broadcast_to(df(xs), xs.shape), "--", color="tab:red",
                        label="derivative")
        ax.set_title(label)
        ax.axhline(0, color="0.8", lw=0.6)
        ax.axvline(0, color="0.8", lw=0.6)
        ax.set_xlabel("$z$")
    axes.flat[0].legend(loc="upper left", fontsize=7, frameon=False)
    fig.tight_layout()
    return fig, plt


def draw_activations(registry, path: Path, entries=None) -> Path | None:
    """Plot each activation of ``entries`` (default: the catalog's) and its derived
    derivative; ``None`` without matplotlib."""
    try:
        fig, plt = _figure(registry, entries)
    except ImportError:
        return None
    # No creation date: the same curves give the same bytes (git stays clean).
    fig.savefig(path, metadata={"CreationDate": None})
    plt.close(fig)
    return path


def activations_svg(registry, entries=None) -> str | None:
    """The same figure as an ``<svg>`` element for the web page; ``None`` without matplotlib."""
    try:
        fig, plt = _figure(registry, entries)
    except ImportError:
        return None
    import matplotlib

    buffer = io.StringIO()
    # A fixed salt for the ids of clip paths and no date: the same bytes on every run.
    with matplotlib.rc_context({"svg.hashsalt": "gradproof", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]
