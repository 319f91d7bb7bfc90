"""Nadam: Adam with Nesterov momentum (Dozat, 2016), as ``optax.nadam``."""

import sympy as sp

from ...latex import latex_text
from ...record import derivation
from .._entry import Optimizer
from ._common import AdamSymbols, beta, epsilon, learning_rate


def build():
    x = AdamSymbols()
    c1, c1_next, c2 = 1 - x.beta1 ** x.t, 1 - x.beta1 ** (x.t + 1), 1 - x.beta2 ** x.t
    V_hat = sp.Symbol(r"\hat{V}_{dW,t}", real=True)
    # Nesterov: the first moment one step ahead, bias-corrected for step t + 1, with the
    # current gradient corrected for step t (optax.scale_by_adam(nesterov=True))
    look_ahead = x.beta1 * x.V_t / c1_next + (1 - x.beta1) * x.g / c1
    update = x.W_prev - x.alpha * V_hat / (sp.sqrt(x.S_t / c2) + x.eps)
    substituted = x.W_prev - x.alpha * (x.beta1 * x.V / c1_next + (1 - x.beta1) * x.g / c1) / (
        sp.sqrt(x.S / c2) + x.eps)
    # the same step with the look-ahead written over one denominator
    combined = x.W_prev - x.alpha * (
        (x.beta1 * x.V * c1 + (1 - x.beta1) * x.g * c1_next) / (c1 * c1_next)) / (
        sp.sqrt(x.S / c2) + x.eps)
    return [derivation(
        name="nadam_update",
        title="The Nadam update (Adam with Nesterov momentum)",
        source=latex_text("catalog entry derive/catalog/optimizers/nadam.py; Dozat (2016), "
                          "as optax.nadam"),
        summary=(r"Nadam replaces Adam's corrected first moment by a Nesterov look-ahead: "
                 r"the momentum the next step will use, $\beta_1 V_{dW,t}/(1 - \beta_1^{t+1})$, "
                 r"plus the current gradient's share, $(1 - \beta_1)\, dW_t/(1 - \beta_1^t)$."),
        definition=[(x.V_t, x.V), (x.S_t, x.S), (V_hat, look_ahead), (x.W_t, update)],
        steps=[
            (x.W_t, combined, r"the moments substituted, the look-ahead over one denominator"),
            (None, substituted, r"the look-ahead split into its two corrected terms, "
                                r"as optax computes it (the generated rule)"),
        ],
        result=(x.W_t, substituted),
        textbook=(x.W_t, combined),
        method="simplify",
        ranges=x.ranges(),
        assumptions=(r"$0 < \beta_1, \beta_2 < 1$, $\epsilon > 0$; $t \ge 1$ counts the "
                     r"updates including this one; $V$ and $S$ start at $0$.",),
        remarks=(r"Dozat's Algorithm 2 also multiplies the corrected second moment by "
                 r"$\beta_2$; optax (and this rule) leave that factor out.",),
        extra={"update": {
            "arguments": tuple(x.code[k] for k in ("W", "dW", "v", "s", "t", "learning_rate",
                                                   "beta1", "beta2", "epsilon")),
            "outputs": (x.to_code(substituted), x.to_code(x.V), x.to_code(x.S)),
            "output_names": ("W_new", "v_new", "s_new")}},
    )]


ENTRY = Optimizer(
    name="nadam", class_name="Nadam", order=60,
    hyper=(learning_rate(0.001), beta("beta1", 0.9, "decay of the first moment"),
           beta("beta2", 0.999, "decay of the second moment"), epsilon()),
    state=("v", "s"),
    derivation="nadam_update",
    build=build,
    adaptive=True,
    optax=("nadam", {"learning_rate": "learning_rate", "beta1": "b1", "beta2": "b2",
                     "epsilon": "eps"}),
    summary=("Nadam: Adam whose first moment is a Nesterov look-ahead, "
             "beta1 v / (1 - beta1^(t+1)) + (1 - beta1) dW / (1 - beta1^t)."),
)
