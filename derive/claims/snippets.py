"""The code fragments of the notes, transcribed as they are, and what running them gives.

The notes' text lost the code's indentation; it is restored here and nothing else is
changed (``xrange``, ``print key``, the missing imports stay). Each fragment runs in a
fresh ``python -I`` subprocess (isolated: no user site, no environment), so that a
failure, or an endless loop, cannot touch the process that audits.

:func:`python3_failures` runs a fragment as written, then applies the fixes one by one,
recording what fails at each stage and why; :func:`gradient_check` runs the fully fixed
note-003 fragment as a gradient check and returns the largest relative error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

__all__ = ["NOTE_002_DESCENT", "NOTE_003_GRADCHECK", "NOTE_003_FIXES", "Run", "run_python",
           "python3_failures", "fixed_source", "gradient_check"]

TIMEOUT_S = 60

# note 002, "Example gradient descent": runs under Python 3 as written.
NOTE_002_DESCENT = '''\
x_old = 0
x_new = 6
gamma = 0.01
precision = 0.00001


def df(x):
    y = 4 * x ** 3 - 9 * x ** 2
    return y


while abs(x_new - x_old) > precision:
    x_old = x_new
    x_new += -gamma * df(x_old)

print("The local minimum occurs at %f" % x_new)
'''

# note 003, "Coding Backward Propagation": fprop, bprop and the gradient check.
NOTE_003_GRADCHECK = '''\
# Binary classification with 2-layer
# neural network (single hidden layer)
sigmoid = lambda x: 1 / (1 + np.exp(-x))
def fprop(x, y, params):
    # Follows procedure given in notes
    W1, b1, W2, b2 = [params[key] for key
                      in ('W1', 'b1', 'W2', 'b2')]
    z1 = np.dot(W1, x) + b1
    a1 = sigmoid(z1)
    z2 = np.dot(W2, a1) + b2
    a2 = sigmoid(z2)
    loss = -(y * np.log(a2) + (1-y) * np.log(1-a2))
    ret = {
        'x': x, 'y': y, 'z1': z1, 'a1': a1,
        'z2': z2, 'a2': a2, 'loss': loss
    }
    for key in params:
        ret[key] = params[key]
    return ret
def bprop(fprop_cache):
    # Follows procedure given in notes
    x, y, z1, a1, z2, a2, loss = [fprop_cache[key] for key
                                  in ('x', 'y', 'z1', 'a1', 'z2', 'a2', 'loss')]
    dz2 = (a2 - y)
    dW2 = np.dot(dz2, a1.T)
    db2 = dz2
    dz1 = np.dot(fprop_cache['W2'].T, dz2)
    dz1 = dz1 * sigmoid(z1) * (1-sigmoid(z1))
    dW1 = np.dot(dz1, x.T)
    db1 = dz1
    return {'b1': db1, 'W1': dW1, 'b2': db2, 'W2': dW2}
# Gradient checking
if __name__ == '__main__':
    # Initialize random parameters and inputs
    W1 = np.random.rand(2,2)
    b1 = np.random.rand(2, 1)
    W2 = np.random.rand(1, 2)
    b2 = np.random.rand(1, 1)
    params = {'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2}
    x = np.random.rand(2, 1)
    y = np.random.randint(0, 2) # Returns 0/1
    fprop_cache = fprop(x, y, params)
    bprop_cache = bprop(fprop_cache)
    # Numerical gradient checking
    # Note how slow this is!
    # Thus we want to use
    # the backpropagation algorithm instead.
    eps = 1e-6
    ng_cache = {}
    # For every single parameter (W, b)
    for key in params:
        param = params[key]
        # This will be our numerical gradient
        ng = np.zeros(param.shape)
        for j in range(ng.shape[0]):
            for k in xrange(ng.shape[1]):
                # For every element of parameter matrix,
                # compute gradient of loss wrt that
                # element numerically using finite differences
                add_eps = np.copy(param)
                min_eps = np.copy(param)
                add_eps[j, k] += eps
                min_eps[j, k] -= eps
                add_params = copy(params)
                min_params = copy(params)
                add_params[key] = add_eps
                min_params[key] = min_eps
                fprop_new = fprop(x, y, add_params)['loss']
                fprop_min = fprop(x, y, min_params)['loss']
                ng[j, k] = (fprop_new - fprop_min) / (2 * eps)
        ng_cache[key] = ng
    # Compare numerical gradients to those
    # computed using backpropagation algorithm
    for key in params:
        print key
        # These should be the same
        print(bprop_cache[key])
        print(ng_cache[key])
'''

# The fixes, in the order Python 3 asks for them: (what is wrong, old text, new text).
# The last one is not a Python 3 issue but a NumPy one: ``loss`` is a (1, 1) array, and
# assigning it to the scalar slot ng[j, k] relied on an array-to-scalar conversion that
# NumPy deprecated (1.25) and then removed. DeprecationWarnings are run as errors, so
# the stages are the same whichever NumPy is installed.
NOTE_003_FIXES = (
    ("`print key` is a Python 2 print statement: SyntaxError under Python 3, before "
     "anything runs", "        print key\n", "        print(key)\n"),
    ("`np` is used but numpy is never imported", "# Binary classification",
     "import numpy as np\n# Binary classification"),
    ("`xrange` does not exist in Python 3 (it is `range`)", "in xrange(", "in range("),
    ("`copy` (the function) is never imported", "import numpy as np\n",
     "import numpy as np\nfrom copy import copy\n"),
    ("`loss` is a (1, 1) array: storing it in the scalar slot `ng[j, k]` is deprecated "
     "since NumPy 1.25 and refused by recent NumPy; take `.item()`", "ng[j, k] = (fprop_new - fprop_min) / (2 * eps)",
     "ng[j, k] = ((fprop_new - fprop_min) / (2 * eps)).item()"),
)

# Appended to the fixed fragment: a seed (the note draws unseeded random numbers) and
# the comparison the note leaves to the reader's eye, as a relative error per parameter.
_SEED = "import numpy as np\nnp.random.seed(0)\n"
_REPORT = '''
    _errors = {}
    for key in params:
        g, n = bprop_cache[key], ng_cache[key]
        _errors[key] = float(np.linalg.norm(g - n) / (np.linalg.norm(g) + np.linalg.norm(n)))
    import json as _json
    print("GRADCHECK " + _json.dumps(_errors))
'''


@dataclass(frozen=True)
class Run:
    """A subprocess run: return code, stdout, and the last line of stderr (the error)."""

    returncode: int
    stdout: str
    error: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


# The fragments multiply 2 x 2 matrices: one BLAS thread is all they use, and a BLAS that
# starts one thread per core makes ``import numpy`` cost twice the CPU (0.14 s, not 0.08).
_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run_python(source: str, timeout: float = TIMEOUT_S) -> Run:
    """Run ``source`` as ``__main__`` under this interpreter (Python 3), isolated."""
    proc = subprocess.run([sys.executable, "-I", "-W", "error::DeprecationWarning", "-c",
                           source], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **_ONE_THREAD})
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    return Run(proc.returncode, proc.stdout, lines[-1].strip() if lines else "")


def python3_failures(source: str = NOTE_003_GRADCHECK, fixes=NOTE_003_FIXES
                     ) -> list[tuple[str, str]]:
    """Run ``source`` as written, then fix one problem at a time.

    Returns ``(error, cause)`` for each stage that failed: the error line Python 3 gave
    and the cause the matching fix names. DeprecationWarnings count as failures, so
    that code relying on deprecated NumPy behaviour is caught too.
    """
    stages = []
    current = source
    for cause, old, new in fixes:
        run = run_python(current)
        if run.ok:
            break
        stages.append((run.error, cause))
        if old not in current:
            raise ValueError(f"fix {cause!r} does not apply: {old!r} not found")
        current = current.replace(old, new, 1)
    return stages


def fixed_source(source: str = NOTE_003_GRADCHECK, fixes=NOTE_003_FIXES) -> str:
    """The fragment with every fix applied."""
    for _cause, old, new in fixes:
        source = source.replace(old, new, 1)
    return source


def gradient_check() -> dict[str, float]:
    """Run the fixed note-003 fragment; relative error ``|g - n| / (|g| + |n|)`` per name."""
    source = _SEED + fixed_source() + _REPORT
    run = run_python(source)
    if not run.ok:
        raise RuntimeError(f"the fixed fragment still fails: {run.error}")
    line = next(ln for ln in run.stdout.splitlines() if ln.startswith("GRADCHECK "))
    return json.loads(line[len("GRADCHECK "):])
