"""gradproof's benchmark suite (issue 6): measurement only, never part of the tests' pass/fail.

``python -m benchmarks [--quick] [--out reports/]`` runs, in one process so that ratios
hold on a noisy machine:

1. :mod:`.step_big`   one training step of 784-256-128-10 (relu, softmax), m = 256,
   float32 and float64: ``numeric`` against the GEMM bound, PyTorch, jitted JAX + optax
   and scikit-learn;
2. :mod:`.step_small` the same for 2-4-1 (sigmoid), m = 400, where per-call overhead rules;
3. :mod:`.gradchecks` gradient checking: the notes' loop, ``verify``'s checks, PyTorch's
   and JAX's, with seconds and the relative error each reaches;
4. :mod:`.commands`   ``python -m derive report`` / ``codegen`` wall time, ``import numeric``;
5. :mod:`.memory`     peak memory of ``fit`` on 60,000 x 784 float32 data;
6. :mod:`.blas`       the big step under the environment's OpenBLAS settings and under
   OpenBLAS's own kernel choice (child processes), so the gap to JAX splits into BLAS
   configuration and numeric's own work.

:mod:`.profile` breaks the numeric step down piece by piece against the GEMM bound;
:mod:`.report` writes ``benchmarks.md`` and :mod:`.plot` ``benchmarks.png``.
Peers (PyTorch, scikit-learn) are optional: a missing one is reported as skipped.
"""
