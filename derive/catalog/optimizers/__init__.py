"""Optimizers: one module per update rule, each defining ``ENTRY``."""
