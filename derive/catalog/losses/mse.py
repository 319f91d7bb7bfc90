"""Mean squared error on a linear output: L = (a - y)^2 / 2."""

from ...symbols import a, y
from .._entry import Loss

ENTRY = Loss(
    name="mse", output="linear", default=True, order=30,
    definition=(a - y) ** 2 / 2,
    derivation="mse_derivative",
    cost_function="mse_cost", dz_function="mse_linear_dz",
    summary="Mean squared error cost J = (1/m) sum_i (1/2) ||y(i) - a(i)||^2.",
    dz_summary="dZ[L] of a linear output with the MSE cost: A - Y.",
)
