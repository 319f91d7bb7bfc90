"""The activations figure of the report, drawn from the derived expressions."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import sympy as sp

from .symbols import alpha, unfold, z

__all__ = ["draw_activations", "activations_svg"]

# (label, registry name of the derivative, the function itself)
_CURVES = (
    ("sigmoid", "sigmoid_derivative", 1 / (1 + sp.exp(-z))),
    ("tanh", "tanh_derivative", sp.tanh(z)),
    ("ReLU", "relu_derivative", sp.Max(0, z)),
    ("leaky ReLU", "leaky_relu_derivative", sp.Max(alpha * z, z)),
)
_LEAKY_SLOPE = 0.1  # slope drawn for leaky ReLU


def _figure(registry):
    """The matplotlib figure: each activation and its derived derivative on [-4, 4]."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = np.linspace(-4, 4, 801)
    fig, axes = plt.subplots(1, 4, figsize=(11, 2.6), sharex=True)
    for ax, (label, name, function) in zip(axes, _CURVES):
        f = sp.lambdify(z, function.subs(alpha, _LEAKY_SLOPE), "numpy")
        ax.plot(xs, np.broadcast_to(f(xs), xs.shape), color="tab:blue", label=label)
        if name in registry:
            derivative = unfold(registry[name].result.rhs).subs(alpha, _LEAKY_SLOPE)
            df = sp.lambdify(z, derivative, modules=[{"Heaviside": lambda x, h0=0.5: np.heaviside(x, h0)}, "numpy"])
            ax.plot(xs, np.broadcast_to(df(xs), xs.shape), "--", color="tab:red", label="derivative")
        ax.set_title(label)
        ax.axhline(0, color="0.8", lw=0.6)
        ax.axvline(0, color="0.8", lw=0.6)
        ax.set_xlabel("$z$")
    axes[0].legend(loc="upper left", fontsize=7, frameon=False)
    fig.tight_layout()
    return fig, plt


def draw_activations(registry, path: Path) -> Path | None:
    """Plot each activation and its derived derivative on [-4, 4]; ``None`` without matplotlib."""
    try:
        fig, plt = _figure(registry)
    except ImportError:
        return None
    # No creation date: the same curves give the same bytes (git stays clean).
    fig.savefig(path, metadata={"CreationDate": None})
    plt.close(fig)
    return path


def activations_svg(registry) -> str | None:
    """The same figure as an ``<svg>`` element for the web page; ``None`` without matplotlib."""
    try:
        fig, plt = _figure(registry)
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
