"""A sigmoid output: one unit, the probability of the label 1."""

from .._entry import Output

ENTRY = Output(name="sigmoid", order=10, activation="sigmoid", labels="binary",
               predict="threshold",
               summary="the probability of class 1; labels 0 or 1; predicts A > 0.5")
