"""Hidden activations: one module per activation, each defining ``ENTRY``."""
