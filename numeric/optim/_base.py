"""What the optimizers share: argument checks and the gradient names."""

from __future__ import annotations

import math

__all__ = ["grad_name", "check_positive", "check_beta", "check_grads"]


def grad_name(param_name: str) -> str:
    """``"W1"`` -> ``"dW1"``."""
    return "d" + param_name


def _number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not (
            hasattr(value, "dtype") and getattr(value, "shape", None) == () and value.dtype.kind in "iuf"):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    return float(value)


def check_positive(name: str, value) -> float:
    v = _number(name, value)
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return v


def check_beta(name: str, value) -> float:
    v = _number(name, value)
    if not (0.0 <= v < 1.0):
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return v


def check_grads(params, grads) -> None:
    """Every parameter has a gradient of its shape."""
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError(f"params and grads must be dicts of arrays (as Network.params and "
                        f"Network.backward give), got {type(params).__name__} and {type(grads).__name__}")
    for name, value in params.items():
        g = grads.get(grad_name(name))
        if g is None:
            raise ValueError(f"grads has no {grad_name(name)!r} for parameter {name!r}; "
                             f"got {sorted(grads)}")
        if not hasattr(g, "shape"):
            raise TypeError(f"{grad_name(name)} must be an array, got {type(g).__name__}")
        if g.shape != value.shape:
            raise ValueError(f"{grad_name(name)} has shape {g.shape}, parameter {name} has "
                             f"shape {value.shape}")
