"""A linear output: A[L] = Z[L], real targets."""

from .._entry import Output

ENTRY = Output(name="linear", order=30, activation=None, labels="real", predict="identity",
               summary="A[L] = Z[L]; real targets; predicts the outputs themselves")
