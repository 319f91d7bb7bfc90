"""A softmax output: K >= 2 units, a probability per class."""

from .._entry import Output

ENTRY = Output(name="softmax", order=20, activation="softmax", labels="one_hot",
               predict="argmax", min_units=2,
               summary="a probability per class; one-hot labels; predicts the arg-max class")
