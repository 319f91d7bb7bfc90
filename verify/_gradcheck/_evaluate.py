"""Calling ``f`` at ``x`` with one parameter perturbed: looped, or batched where allowed.

The loop works for any ``f``. A batched ``f`` takes every array with a leading batch axis
of ``B`` perturbed copies and returns shape ``(B,)``; then the ``n`` coordinate
perturbations of a parameter cost ``n / B`` calls instead of ``n``. Unperturbed
parameters are passed as read-only broadcast views, so batching them costs no memory.

Complex perturbations (the complex step) turn warnings about discarded imaginary parts,
real outputs and exceptions into :class:`ComplexStepError`: ``f`` is not complex-safe.
"""

import warnings

import numpy as np

from ._result import ComplexStepError

__all__ = ["Evaluator", "MAX_BATCH_BYTES", "complex_dtype"]

# 256 MiB of perturbed points per batched call: 32 float64 points of 2**20 elements,
# 3 of 10**7 (a fixed element count, 2**22, gave one point per call from 2**22 up).
MAX_BATCH_BYTES = 2**28

_COMPLEX = {np.float16: np.complex64, np.float32: np.complex64, np.float64: np.complex128}


def complex_dtype(dtype):
    """The complex dtype that holds ``dtype`` (float16 has none: complex64)."""
    return np.dtype(_COMPLEX[np.dtype(dtype).type])


class Evaluator:
    """``f`` at perturbed points, counting evaluations.

    Parameters
    ----------
    f : callable
        ``f(x) -> scalar``, with ``x`` as built by ``rebuild``.
    named : dict[str, ndarray]
        The unperturbed parameters.
    rebuild : callable
        Named arrays -> the structure ``f`` takes.
    batched : callable, optional
        ``batched(xs) -> ndarray, shape (B,)`` where every array of ``xs`` has a leading
        batch axis of size ``B``.
    max_batch_bytes : int
        Upper bound on the bytes of one batched call's perturbed points (memory); a call
        takes at least one point.
    """

    def __init__(self, f, named, rebuild, batched=None, max_batch_bytes=MAX_BATCH_BYTES):
        self.f, self.named, self.rebuild, self.batched = f, named, rebuild, batched
        self.max_batch_bytes = max_batch_bytes
        self.n_evals = 0

    # -- calling f -----------------------------------------------------------------
    def _call(self, arrays, complex_step, batch=None):
        try:
            with warnings.catch_warnings():
                if complex_step:
                    warnings.simplefilter("error", np.exceptions.ComplexWarning)
                if batch is None:
                    # f may write into its input (v *= 2): it gets copies, so neither x nor
                    # the next evaluation sees that. Fresh perturbed points are writable.
                    arrays = {k: v if v.flags.writeable else v.copy() for k, v in arrays.items()}
                out = (self.f if batch is None else self.batched)(self.rebuild(arrays))
        except Exception as error:
            if complex_step:
                raise ComplexStepError(
                    "gradcheck(method='complex'): f raised "
                    f"{type(error).__name__}: {error} on complex input; f is not complex-safe "
                    "(use method='central')"
                ) from error
            raise
        self.n_evals += 1 if batch is None else batch
        return self._validate(out, complex_step, batch)

    @staticmethod
    def _validate(out, complex_step, batch):
        out = np.asarray(out)
        expected = () if batch is None else (batch,)
        if out.shape != expected:
            what = (
                "f must return a scalar"
                if batch is None
                else "the batched f (vectorized=True or f_batched) must return one value per point"
            )
            raise ValueError(
                f"gradcheck: {what} (shape {expected}), got shape {out.shape}"
                + ("; a (1, 1) cost needs np.squeeze or .item()" if batch is None and out.size == 1 else "")
                + ("; does it reduce over the batch axis too?" if batch is not None and out.ndim == 0 else "")
            )
        if complex_step and out.dtype.kind != "c":
            raise ComplexStepError(
                "gradcheck(method='complex'): f returned a real value for complex input, "
                "discarding the imaginary part (abs, .real, astype(float), float()?); "
                "f is not complex-safe (use method='central')"
            )
        if out.dtype.kind not in "fciub":
            raise ValueError(f"gradcheck: f returned dtype {out.dtype}; expected a number")
        return out.astype(np.complex128 if complex_step else np.float64)

    def value(self):
        """``f(x)`` as a float (validated to be a real scalar)."""
        return float(self._call(self.named, complex_step=False))

    # -- perturbed points ---------------------------------------------------------
    def _work_dtype(self, name, deltas):
        dtype = self.named[name].dtype
        return complex_dtype(dtype) if np.iscomplexobj(deltas) else dtype

    def at_points(self, name, deltas):
        """``f`` at ``x`` with ``named[name] + deltas[b]``, for each ``b``.

        Parameters
        ----------
        name : str
        deltas : ndarray, shape (B, *shape of named[name])
            Real or complex perturbations.

        Returns
        -------
        ndarray, shape (B,)
            float64, or complex128 for complex ``deltas``.
        """
        x = self.named[name]
        work = self._work_dtype(name, deltas)
        complex_step = work.kind == "c"
        if self.batched is None:
            values = []
            for delta in deltas:
                point = (x + delta).astype(work)
                values.append(self._call({**self.named, name: point}, complex_step))
            return np.array(values)
        return self._batched(
            name, deltas.shape[0], lambda lo, hi: (x + deltas[lo:hi]).astype(work), complex_step
        )

    def at_coordinates(self, name, index, deltas):
        """``f`` at ``x`` with element ``index[i]`` of ``named[name]`` moved by ``deltas[i, j]``.

        Parameters
        ----------
        name : str
        index : ndarray of int, shape (n,)
            Flat (C-order) indices into the parameter.
        deltas : ndarray, shape (n, k)
            Real or complex perturbations of each element.

        Returns
        -------
        ndarray, shape (n, k)
        """
        x = self.named[name]
        work = self._work_dtype(name, deltas)
        complex_step = work.kind == "c"
        n, k = deltas.shape
        flat = x.astype(work).ravel()
        wide = np.complex128 if complex_step else np.float64
        moved = (flat[index][:, None].astype(wide) + deltas).astype(work)
        if self.batched is None:
            values = np.empty((n, k), dtype=wide)
            for i, j in np.ndindex(n, k):
                point = flat.copy()
                point[index[i]] = moved[i, j]
                values[i, j] = self._call({**self.named, name: point.reshape(x.shape)}, complex_step)
            return values
        rows, cols = np.divmod(np.arange(n * k), k)

        def points(lo, hi):
            block = np.repeat(flat[None], hi - lo, axis=0)
            block[np.arange(hi - lo), index[rows[lo:hi]]] = moved[rows[lo:hi], cols[lo:hi]]
            return block.reshape((hi - lo,) + x.shape)

        return self._batched(name, n * k, points, complex_step).reshape(n, k)

    def _batched(self, name, total, points, complex_step):
        x = self.named[name]
        point_bytes = max(1, x.size) * (16 if complex_step else max(8, x.itemsize))
        chunk = max(1, self.max_batch_bytes // point_bytes)
        out = []
        for lo in range(0, total, chunk):
            hi = min(total, lo + chunk)
            arrays = {
                key: points(lo, hi) if key == name else np.broadcast_to(value, (hi - lo,) + value.shape)
                for key, value in self.named.items()
            }
            out.append(self._call(arrays, complex_step, batch=hi - lo))
        return np.concatenate(out) if out else np.empty(0)
