"""A user's formula derived within a time and a memory budget.

The parser bounds what a formula can say (length, nesting, exponents:
:mod:`derive.claims.parse`), but a short formula in that language can still cost
SymPy minutes or all memory (``exp(exp(exp(exp(exp(z)))))``), or a recursion crash
(``sigmoid`` nested 50 deep). So each command line that takes a user's formula first
derives it in a child process with the claims' budget (:func:`derive.claims.budget.run_bounded`):
within the budget, the derivations are then built here (they are cached, and a second
build of a formula that passed takes as long as the first, about a second); beyond it,
one line says so, never a hang or a traceback.
"""

from __future__ import annotations

from .custom import FormulaError

__all__ = ["DERIVE_SECONDS", "DERIVE_MEMORY", "check_derivable"]

# Ordinary formulas (mish, GELU, log-cosh) derive in about a second; 30 s leaves room
# for a busy machine without letting a runaway simplification hang a command.
DERIVE_SECONDS = 30.0
DERIVE_MEMORY = 1 << 30      # bytes the child may add to what this process has


def _derivations(entry, step):
    from .catalog import Hidden
    from .catalog._build import hidden_derivations, loss_derivations
    step("derive")
    built = hidden_derivations(entry) if isinstance(entry, Hidden) else loss_derivations(entry)
    return len(built)


def check_derivable(entry, seconds: float = DERIVE_SECONDS, memory: int = DERIVE_MEMORY) -> None:
    """None if the catalog's builders derive ``entry`` (a Hidden or a Loss from
    :mod:`derive.custom`) within ``seconds`` and ``memory``; else :class:`FormulaError`,
    one line that says why (the engine's reason, or the budget that ran out)."""
    from .claims.budget import run_bounded
    try:
        result = run_bounded(_derivations, entry, seconds=seconds, memory=memory)
    except (ValueError, NotImplementedError, TypeError, ArithmeticError) as exc:
        reason = " ".join(str(exc).split())[:300]  # one line
        raise FormulaError(f"cannot derive {entry.name}: {reason}") from None
    if not result.ok:
        why = {"time": f"it takes more than {seconds:g} s",
               "memory": f"it needs more than {memory >> 20} MiB",
               "recursion": "it is nested too deeply for SymPy (a recursion error)",
               }.get(result.why, "the derivation crashed")
        raise FormulaError(f"cannot derive {entry.name}: {why}; write a simpler formula")
