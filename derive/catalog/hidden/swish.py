"""Swish (SiLU): z sigma(z), the input gated by its own sigmoid (Ramachandran et al., 2017;
Elfwing et al., 2018, as the SiLU)."""

from ...symbols import sigma, z
from .._entry import Hidden

ENTRY = Hidden(
    name="swish",
    order=50,
    aliases=("silu",),
    definition=z * sigma(z),
    summary="Swish (SiLU), Z sigma(Z), through the sigmoid that cannot overflow.",
    prime_summary="Derivative of swish, sigma(Z) (1 + Z (1 - sigma(Z))).",
    prose=(r"Swish multiplies the pre-activation by its own sigmoid, $z\,\sigma(z)$: smooth, "
           r"unbounded above and slightly negative below zero. By the product rule its "
           r"derivative is written through the sigmoid the forward pass computes anyway."),
)
