"""AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019), as
``torch.optim.AdamW`` and ``optax.adamw``."""

import math

import sympy as sp

from ...latex import latex_text
from ...record import derivation
from .._entry import Hyper, Optimizer
from ._common import AdamSymbols, beta, epsilon, learning_rate


def build():
    x = AdamSymbols()
    lam = sp.Symbol(r"\lambda_{\mathrm{wd}}", nonnegative=True)
    c1, c2 = 1 - x.beta1 ** x.t, 1 - x.beta2 ** x.t
    adam_step = (x.V / c1) / (sp.sqrt(x.S / c2) + x.eps)
    # optax: the decay joins Adam's direction, then everything is scaled by -alpha
    optax_form = x.W_prev - x.alpha * (adam_step + lam * x.W_prev)
    # PyTorch: W shrinks by (1 - alpha lambda) first, then takes Adam's step
    torch_form = x.W_prev * (1 - x.alpha * lam) - x.alpha * adam_step
    weight_decay = sp.Symbol("weight_decay", real=True)
    return [derivation(
        name="adamw_update",
        title="The AdamW update (decoupled weight decay)",
        source=latex_text("catalog entry derive/catalog/optimizers/adamw.py; "
                          "Loshchilov and Hutter (2019), as torch.optim.AdamW and optax.adamw"),
        summary=(r"AdamW decays the weights directly, $W \leftarrow W - \alpha\lambda W$, "
                 r"instead of adding $\lambda W$ to the gradient: the decay then does not "
                 r"pass through Adam's scaling by $1/\sqrt{S}$, so every weight shrinks at "
                 r"the same rate. The rest is Adam with bias correction."),
        definition=[(x.V_t, x.V), (x.S_t, x.S),
                    (x.W_t, x.W_prev - x.alpha * ((x.V_t / c1) / (sp.sqrt(x.S_t / c2) + x.eps)
                                                  + lam * x.W_prev))],
        steps=[
            (x.W_t, torch_form, r"the moments substituted; the decay as a shrinking of "
                                r"$W_{t-1}$ by $1 - \alpha\lambda$ (torch.optim.AdamW)"),
            (None, optax_form, r"the same step as Adam's direction plus $\lambda W_{t-1}$, "
                               r"scaled by $\alpha$ (optax.adamw; the generated rule)"),
        ],
        result=(x.W_t, optax_form),
        textbook=(x.W_t, torch_form),
        method="expand",
        ranges=x.ranges({lam: (0.0, 0.5)}),
        assumptions=(r"$0 < \beta_1, \beta_2 < 1$, $\epsilon > 0$, $\lambda \ge 0$; $t \ge 1$ "
                     r"counts the updates including this one; $V$ and $S$ start at $0$.",),
        extra={"update": {
            "arguments": tuple(x.code[k] for k in ("W", "dW", "v", "s", "t", "learning_rate",
                                                   "beta1", "beta2", "epsilon")) + (weight_decay,),
            "outputs": (x.to_code(optax_form, {lam: weight_decay}), x.to_code(x.V),
                        x.to_code(x.S)),
            "output_names": ("W_new", "v_new", "s_new")}},
    )]


ENTRY = Optimizer(
    name="adamw", class_name="AdamW", order=50,
    hyper=(learning_rate(0.001), beta("beta1", 0.9, "decay of the first moment"),
           beta("beta2", 0.999, "decay of the second moment"), epsilon(),
           # torch.optim.AdamW's default (optax.adamw's is 1e-4)
           Hyper("weight_decay", sp.Symbol("weight_decay", real=True), 0.01, 0.0, math.inf,
                 closed="low", meaning="decoupled weight decay")),
    state=("v", "s"),
    derivation="adamw_update",
    build=build,
    adaptive=True,
    optax=("adamw", {"learning_rate": "learning_rate", "beta1": "b1", "beta2": "b2",
                     "epsilon": "eps", "weight_decay": "weight_decay"}),
    summary=("AdamW: Adam with decoupled weight decay, "
             "W := W - learning_rate (v_hat / (sqrt(s_hat) + epsilon) + weight_decay W)."),
)
