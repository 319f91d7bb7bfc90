"""fit's progress line: throttled like tqdm's, the last epoch always drawn, time left shown.

The clock is injected, so nothing here depends on how fast the machine is.
"""

import io

import numpy as np

from numeric import Network
from numeric.training import _Progress


class FakeClock:
    def __init__(self, step):
        self.t, self.step = 0.0, step

    def __call__(self):
        self.t += self.step
        return self.t


def test_progress_redraws_at_most_every_min_interval_and_always_at_the_end():
    out = io.StringIO()
    # 1 ms per epoch: 1000 epochs take 1 s, i.e. ~10 redraws at 0.1 s, not 1000.
    bar = _Progress(1000, True, stream=out, clock=FakeClock(0.001))
    for epoch in range(1, 1001):
        bar.update(epoch, 1.0 / epoch)
    bar.close()
    lines = out.getvalue().split("\r")[1:]
    assert 5 <= len(lines) <= 12, len(lines)
    assert lines[0].startswith("  epoch    1/1000")
    assert lines[-1].startswith("  epoch 1000/1000 [" + "#" * 30 + "]") and lines[-1].endswith("\n")
    assert "left" in lines[1] and "left" not in lines[-1]


def test_progress_time_left_counts_only_the_epochs_of_this_run():
    out = io.StringIO()
    bar = _Progress(100, True, stream=out, clock=FakeClock(1.0))  # 1 s per clock read
    bar.update(51, 0.5, first=51)  # resumed at epoch 51: one epoch run in 1 s, 49 to go
    assert "1.0s, 49.0s left" in out.getvalue(), out.getvalue()


def test_fit_with_progress_ends_its_line(capsys):
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 8)), rng.integers(0, 2, (1, 8))
    Network([2, 3, 1], seed=0).fit(X, Y, epochs=300, progress=True)
    err = capsys.readouterr().err
    assert err.count("\r") < 300  # throttled (the first and last epochs at least)
    assert "epoch 300/300" in err and err.endswith("\n")
