"""A user's own hidden activation or loss, accepted by what it has (duck typing).

``derive.custom_activation(name, formula)`` and ``derive.custom_loss(name, formula)``
derive a user's formula and return an object holding plain NumPy functions with the
conventions of :mod:`numeric._generated`; ``Network(hidden=obj)`` and
``Network(output="linear", loss=obj)`` take such an object. ``numeric`` imports only
NumPy, so it never imports derive here: it checks that the object has what the layer
loop calls, and names what is missing.

An activation object has ``kind == "activation"``, ``name``, ``formula`` (the user's
text, what a saved network stores), ``g(Z)``, ``g_prime(Z)``, ``g_into(Z, out, work)``
and ``g_prime_into(Z, out, work)``. A loss object has ``kind == "loss"``, ``name``,
``formula``, ``output == "linear"``, ``cost(A, Y, m)``, ``dz(A, Y)`` and
``dz_into(A, Y, out, work)``. Optional: an activation's ``g_prime_from_a(A)`` and
``g_prime_from_a_into(A, out, work)`` (g' written through A = g(Z), as tanh' = 1 - A^2;
None where g' is no function of A), which the passes then use as they do the catalog's.
"""

from __future__ import annotations

__all__ = ["ACTIVATION_FUNCTIONS", "LOSS_FUNCTIONS", "MAX_FORMULA", "is_custom",
           "check_activation", "check_loss", "name_of", "key_of", "describe", "rebuild",
           "from_assignment", "DeriveMissing"]

ACTIVATION_FUNCTIONS = ("g", "g_prime", "g_into", "g_prime_into")
LOSS_FUNCTIONS = ("cost", "dz", "dz_into")
# The longest formula a saved network may hold (derive's parser bounds its own input;
# this bounds what a file can make us hand to it).
MAX_FORMULA = 2000

_MAKERS = {"activation": "derive.custom_activation", "loss": "derive.custom_loss"}


def is_custom(value) -> bool:
    """True for an object that means to be a user's component (has a ``kind``, a
    ``formula`` or one of the functions), as opposed to a name or a mistake such as None;
    :func:`check_activation` / :func:`check_loss` then say what it lacks."""
    return not isinstance(value, str) and any(
        hasattr(value, a) for a in ("kind", "formula", *ACTIVATION_FUNCTIONS, *LOSS_FUNCTIONS))


def _check(value, kind, functions, argument, names):
    made_by = _MAKERS[kind]
    if not is_custom(value):
        raise TypeError(f"{argument} takes a name ({names}) or an object from {made_by}, "
                        f"got {value!r:.80}")
    got = getattr(value, "kind", None)
    if got != kind:
        other = {"activation": "hidden=", "loss": "loss="}.get(got)
        hint = f" (an {got} goes to {other})" if got == "activation" else (
            f" (a {got} goes to {other})" if other else "")
        raise TypeError(f"{argument} takes a name ({names}) or an object from {made_by}; "
                        f"this {type(value).__name__} has kind {got!r}, not {kind!r}{hint}")
    missing = [a for a in ("name", "formula", *functions) if not hasattr(value, a)]
    missing += [f for f in functions if f not in missing and not callable(getattr(value, f))]
    if missing:
        raise TypeError(f"{argument} takes a name ({names}) or an object from {made_by}; "
                        f"this {type(value).__name__} lacks {', '.join(missing)}")
    for attr in ("name", "formula"):
        text = getattr(value, attr)
        if not isinstance(text, str) or not text or len(text) > MAX_FORMULA:
            raise ValueError(f"{argument}: the {kind}'s {attr} must be non-empty text of at "
                             f"most {MAX_FORMULA} characters, got {text!r:.80}")
    return value


def check_activation(value, names: str = "relu, tanh, ..."):
    """``value`` if it is an activation object (see the module doc); else TypeError naming
    what it lacks. ``names``: the catalog's names, for the message."""
    return _check(value, "activation", ACTIVATION_FUNCTIONS, "hidden=", names)


def check_loss(value, names: str = "mse, huber, ..."):
    """``value`` if it is a loss object on a linear output; else TypeError/ValueError."""
    _check(value, "loss", LOSS_FUNCTIONS, "loss=", names)
    if getattr(value, "output", "linear") != "linear":
        raise ValueError(f"loss=: the custom loss {value.name!r} is for the "
                         f"{value.output!r} output; custom losses pair with output='linear'")
    return value


def name_of(component) -> str:
    """The name of a catalog component (its own) or of a user's (``obj.name``)."""
    return component if isinstance(component, str) else component.name


def key_of(component):
    """What identifies a component across processes: the catalog name, or ``(kind, name,
    formula)`` of a user's (two objects derived from the same text are the same)."""
    if isinstance(component, str) or component is None:
        return component
    return (component.kind, component.name, component.formula)


def describe(component) -> str:
    """``'relu'``, or ``custom_activation('mish', 'z*tanh(softplus(z))')`` for a user's:
    the call that makes it again."""
    if isinstance(component, str) or component is None:
        return repr(component)
    return f"custom_{component.kind}({component.name!r}, {component.formula!r})"


class DeriveMissing(ValueError):
    """A user's component must be derived, and derive cannot be imported here."""


def rebuild(kind: str, name, formula, where: str = ""):
    """The user's component ``name`` = ``formula`` derived again (a saved network's, a
    command line's): ``derive.custom_activation`` or ``derive.custom_loss``, imported
    here, when it is needed, never when numeric is imported.

    The text is user content (a file, an argument): it is checked to be text of bounded
    length here and goes nowhere but derive's whitelist parser. ValueError, one line,
    where derive cannot be imported or refuses the formula (its FormulaError's message).
    """
    prefix = f"{where}: " if where else ""
    if kind not in _MAKERS:
        raise ValueError(f"{prefix}unknown kind of component {kind!r}")
    for what, text in (("name", name), ("formula", formula)):  # derive checks the rest
        if not isinstance(text, str) or len(text) > MAX_FORMULA:
            raise ValueError(f"{prefix}the custom {kind}'s {what} must be text of at most "
                             f"{MAX_FORMULA} characters, got {str(text)[:60]!r}")
    function = _MAKERS[kind].rsplit(".", 1)[1]
    try:
        import derive
        make = getattr(derive, function)
    except (ImportError, AttributeError) as exc:
        raise DeriveMissing(f"{prefix}the custom {kind} {f'{name}={formula}'[:60]!r} is derived from "
                         f"its formula, which needs derive ({function} could not be imported: "
                         f"{exc}); install gradproof with derive (pip install -e .)") from None
    try:
        return make(name, formula)
    except ValueError as exc:  # derive's FormulaError: one line ending with what is accepted
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # the text repr'd: a newline in it stays on the message's one line
        raise ValueError(f"{prefix}{kind} {f'{name}={formula}'[:60]!r}: {message}") from None


def from_assignment(kind: str, text: str):
    """The component of ``"NAME=FORMULA"`` (a command line's ``--hidden``): split by
    derive's ``split_assignment`` (which checks the name), then :func:`rebuild`."""
    if not isinstance(text, str) or len(text) > MAX_FORMULA:
        raise ValueError(f"NAME=FORMULA must be text of at most {MAX_FORMULA} characters")
    try:
        from derive.custom import split_assignment
    except ImportError as exc:
        raise DeriveMissing(f"the custom {kind} {text[:60]!r} is derived from its formula, "
                            f"which needs derive ({exc}); install gradproof with derive "
                            f"(pip install -e .)") from None
    name, formula = split_assignment(text)  # FormulaError (a ValueError): one line
    return rebuild(kind, name, formula)
