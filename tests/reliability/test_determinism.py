"""Same seed, same result, bit for bit (issue 7, fifth point): in one process, across
processes, and whatever the global NumPy random state is."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from reliability_data import binary_data

from numeric import Network
from numeric.optim import Adam, GradientDescent, Momentum, RMSprop

ROOT = Path(__file__).resolve().parents[2]


def _run(opt, dtype=np.float64, seed=11):
    X, Y = binary_data(m=45)
    net = Network([2, 7, 5, 1], hidden="relu", seed=3, dtype=dtype)
    history = net.fit(X, Y, optimizer=opt, epochs=6, batch_size=8, keep_prob=0.7, lambd=0.05,
                      seed=seed, progress=False)
    return history, {k: v.tobytes() for k, v in net.params.items()}


@pytest.mark.parametrize("opt", [GradientDescent(0.1), Momentum(0.1), RMSprop(0.01), Adam(0.01)],
                         ids=lambda o: type(o).__name__)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_two_runs_with_the_same_seed_are_bit_identical(opt, dtype):
    np.random.seed(1)  # the global state must not matter
    first = _run(opt, dtype)
    np.random.seed(2)
    np.random.random(17)
    assert _run(opt, dtype) == first


def test_a_different_seed_gives_a_different_run():
    # Shuffling and dropout do draw from the seed, so the test above is not vacuous.
    assert _run(Adam(0.01), seed=11)[1] != _run(Adam(0.01), seed=12)[1]


def test_fit_leaves_the_global_random_state_alone():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    _run(Adam(0.01))
    assert np.array_equal(np.random.get_state()[1], before)


CHILD = """
import hashlib, numpy as np, sys
sys.path.insert(0, {tests!r})
from reliability_data import binary_data
from numeric import Network
from numeric.optim import Adam
X, Y = binary_data(m=45)
net = Network([2, 7, 1], seed=3)
h = net.fit(X, Y, optimizer=Adam(0.01), epochs=5, batch_size=8, keep_prob=0.8, seed=4, progress=False)
d = hashlib.sha256(np.asarray(h).tobytes())
for k in sorted(net.params):
    d.update(net.params[k].tobytes())
print(d.hexdigest())
"""


def test_two_processes_with_different_hash_seeds_agree():
    digests = set()
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
        out = subprocess.run([sys.executable, "-c", CHILD.format(tests=str(Path(__file__).parent))],
                             capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1
