"""Losses: one module per loss, each defining ``ENTRY`` (its output layer named in it)."""
