"""Output layers: one module per output, each defining ``ENTRY`` (its activation, the
labels it takes and how it predicts); the losses on it name it (``Loss.output``)."""
