"""Stand-ins of the objects ``derive.custom_activation`` / ``derive.custom_loss`` return,
built from numeric._generated's swish and MSE functions: they satisfy the contract that
``numeric`` accepts by duck typing (numeric/custom.py), so the network side is tested
without the derive side. ``calls`` counts each function's calls (which path ran)."""

from __future__ import annotations

from collections import Counter

from numeric import _generated as gen


class StandInActivation:
    kind = "activation"
    kinks = ()
    analytic = True
    entry = None

    def __init__(self, name="myswish", formula="z*sigmoid(z)"):
        self.name, self.formula = name, formula
        self.calls = Counter()

    def g(self, Z):
        self.calls["g"] += 1
        return gen.swish(Z)

    def g_prime(self, Z):
        self.calls["g_prime"] += 1
        return gen.swish_prime(Z)

    def g_into(self, Z, out, work):
        self.calls["g_into"] += 1
        return gen.swish_into(Z, out, work)

    def g_prime_into(self, Z, out, work):
        self.calls["g_prime_into"] += 1
        return gen.swish_prime_into(Z, out, work)


class StandInLoss:
    kind = "loss"
    output = "linear"
    kinks = ()
    analytic = True
    entry = None

    def __init__(self, name="mymse", formula="(a - y)^2/2"):
        self.name, self.formula = name, formula
        self.calls = Counter()

    def cost(self, A, Y, m):
        self.calls["cost"] += 1
        return gen.mse_cost(A, Y, m)

    def dz(self, A, Y):
        self.calls["dz"] += 1
        return gen.mse_linear_dz(A, Y)

    def dz_into(self, A, Y, out, work):
        self.calls["dz_into"] += 1
        return gen.mse_linear_dz_into(A, Y, out, work)


def stand_in_makers(made: list):
    """``(custom_activation, custom_loss)`` stand-ins for derive's, recording each call's
    ``(kind, name, formula)`` in ``made``."""

    def custom_activation(name, formula):
        made.append(("activation", name, formula))
        return StandInActivation(name, formula)

    def custom_loss(name, formula):
        made.append(("loss", name, formula))
        return StandInLoss(name, formula)

    return custom_activation, custom_loss
