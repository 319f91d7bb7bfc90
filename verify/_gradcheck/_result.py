"""The result of a gradient check, and the errors gradcheck raises."""

from dataclasses import dataclass, field

import numpy as np

__all__ = ["ComplexStepError", "GradcheckError", "GradcheckResult", "VERDICTS"]

VERDICTS = ("pass", "kink", "inconclusive", "fail")


@dataclass(frozen=True)
class GradcheckResult:
    """What :func:`verify.gradcheck.gradcheck` found.

    Attributes
    ----------
    ok : bool
        True for the verdicts "pass" and "kink".
    verdict : {"pass", "fail", "inconclusive", "kink"}
        "kink": the only disagreements are at points where ``f`` is not differentiable,
        and there the analytic value lies between the one-sided differences.
        "inconclusive": the finite-difference error is too large to judge (float16, a
        step that underflows, ``|f|`` so large that rounding could explain the gap).
    max_rel_error : float
        Largest of ``rel_errors``.
    rel_errors : dict[str, float]
        Per parameter name, ``||g - g_num|| / (||g|| + ||g_num||)``; over all elements
        (full mode) or over the random directions (directional mode).
    worst : dict[str, tuple[tuple[int, ...], float, float]]
        Per name: (index in the parameter's shape, analytic, numeric) of the element with
        the largest discrepancy. Directional mode fills it for the names it narrowed down.
    method : {"central", "complex", "richardson"}
    hints : tuple of str
        Likely causes of a failure (factor, sign, transpose, failing elements, kinks).
    tolerance : float
        Relative tolerance applied (the largest over the names' dtypes).
    directional : bool
        Whether random directions were compared instead of every element.
    error_bounds : dict[str, float]
        Per name, the estimated relative error of the numeric gradient itself (rounding,
        and for Richardson the extrapolation's truncation estimate).
    verdicts : dict[str, str]
        Per name verdict; ``verdict`` is the worst of them.
    reasons : tuple of str
        Why the verdict is "inconclusive" or "kink", in words.
    n_evals : int
        How many times ``f`` was evaluated (batched calls count each point).
    kinks : dict[str, tuple[tuple[int, ...], ...]]
        Per name, the elements found at a kink (there the analytic value lies between
        the one-sided differences), reported apart from disagreeing elements: ``worst``
        never names one of them when an element really disagrees.
    """

    ok: bool
    verdict: str
    max_rel_error: float
    rel_errors: dict
    worst: dict
    method: str
    hints: tuple = ()
    tolerance: float = float("nan")
    directional: bool = False
    error_bounds: dict = field(default_factory=dict)
    verdicts: dict = field(default_factory=dict)
    reasons: tuple = ()
    n_evals: int = 0
    kinks: dict = field(default_factory=dict)

    def __str__(self):
        mode = "directional" if self.directional else "full"
        lines = [
            f"gradcheck {self.method} ({mode}): {self.verdict.upper()}  "
            f"max rel error {self.max_rel_error:.3g}, tolerance {self.tolerance:.3g}, "
            f"{self.n_evals} evaluations of f"
        ]
        header = ("name", "rel error", "fd error", "verdict", "worst index", "analytic", "numeric")
        rows = [header]
        for name, rel in self.rel_errors.items():
            index, analytic, numeric = self.worst.get(name, ("-", "-", "-"))
            rows.append(
                (
                    name,
                    f"{rel:.3g}",
                    f"{self.error_bounds.get(name, np.nan):.2g}",
                    self.verdicts.get(name, ""),
                    str(index),
                    analytic if isinstance(analytic, str) else f"{analytic:.10g}",
                    numeric if isinstance(numeric, str) else f"{numeric:.10g}",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
        lines += [f"  hint: {hint}" for hint in self.hints]
        lines += [f"  kinks: {name!r} at {', '.join(str(list(i)) for i in at)}"
                  for name, at in self.kinks.items()]
        lines += [f"  note: {reason}" for reason in self.reasons]
        return "\n".join(lines)


class GradcheckError(AssertionError):
    """A gradient check failed; ``.result`` holds the :class:`GradcheckResult`."""

    def __init__(self, result):
        failing = [name for name, verdict in result.verdicts.items() if verdict == "fail"]
        super().__init__(f"gradient check failed for {', '.join(map(repr, failing))}\n{result}")
        self.result = result


class ComplexStepError(ValueError):
    """``f`` is not complex-safe, so the complex-step method cannot be used on it."""
