"""``python -m numeric train``: train the NumPy network on a data set from the command line.

Examples
--------
::

    python -m numeric train --data flower
    python -m numeric train --data digits --layers 64 --optimizer adam --epochs 40
    python -m numeric train --data moons --layers 16 8 --hidden tanh --keep-prob 0.9
    python -m numeric train --data moons --hidden "mish=z*tanh(softplus(z))"

``--hidden NAME=FORMULA`` trains with a user's own activation, derived from the formula
by derive (``derive.custom_activation``; a formula it refuses is a one-line error).

Prints the train and test accuracy, the epochs and the seconds, and writes
``<data>_cost.png`` (the cost per epoch) and ``<data>_model.npz`` (``Network.save``)
into ``--out`` (default ``reports/train/``). Exit status: 0 on success, 2 for a bad
command line or a network too large for the memory limit (``--layers 1000000000``: the
bytes needed and the limit, see :mod:`numeric.limits`), 1 when the run fails
(scikit-learn missing, folder not writable, training diverged, out of memory); the
error is one line on stderr.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import custom, datasets
from .activations import ALIASES, HIDDEN
from .initializers import INITS
from .network import Network
from . import _catalog
from .optim import OPTIMIZERS, make_optimizer
from .training import TrainingDiverged

__all__ = ["main", "build_parser", "plot_title", "DEFAULTS", "TrainDefaults"]


class TrainDefaults(NamedTuple):
    """What ``train`` uses for a data set when a flag is not given.

    ``layers``: hidden layer sizes (input and output sizes come from the data);
    ``batch_size``: None for full batch; ``learning_rate``: per optimizer name.
    """

    layers: tuple
    hidden: str
    epochs: int
    batch_size: int | None
    learning_rate: dict
    lambd: float = 0.0
    keep_prob: float = 1.0


def _rates(adam: float, gd: float) -> dict:
    # The adaptive optimizers (Adam, RMSprop, ...) normalize the step by sqrt(s), so they
    # share a scale; plain gradient descent and Momentum (the notes' form, with the
    # (1 - beta) factor) share another. Which is which: the catalog's "adaptive".
    return {name: adam if spec["adaptive"] else gd for name, spec in _catalog.OPTIMIZER_SPECS.items()}


# Tuned so that the default run of each data set reaches its target in well under a
# minute on 2 cores (flower >= 90 %, digits >= 96 %, breast_cancer >= 95 % test accuracy);
# the numbers are measured in tests/cli/test_train_cli.py and in the PR notes.
DEFAULTS = {
    "flower": TrainDefaults(layers=(16,), hidden="tanh", epochs=3000, batch_size=None,
                            learning_rate=_rates(0.01, 1.2)),
    "moons": TrainDefaults(layers=(16, 8), hidden="relu", epochs=1000, batch_size=None,
                           learning_rate=_rates(0.01, 0.5)),
    "digits": TrainDefaults(layers=(64,), hidden="relu", epochs=60, batch_size=64,
                            learning_rate=_rates(0.001, 0.1)),
    "breast_cancer": TrainDefaults(layers=(16,), hidden="relu", epochs=200, batch_size=64,
                                   learning_rate=_rates(0.001, 0.1), lambd=1.0),
}


# -- argument types: argparse turns their ArgumentTypeError into "error: ..." and exit 2 --
def _int_at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer >= {low}, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected an integer >= {low}, got {value}")
        return value

    parse.__name__ = f"integer >= {low}"
    return parse


def _float_in(name: str, ok, description: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be {description}, got {text!r}") from None
        if not (math.isfinite(value) and ok(value)):
            raise argparse.ArgumentTypeError(f"{name} must be {description}, got {text}")
        return value

    parse.__name__ = name
    return parse


def _hidden(text: str) -> str:
    """A catalog activation, or ``NAME=FORMULA`` (derived when the run starts)."""
    if "=" in text or text in HIDDEN + tuple(ALIASES):
        return text
    raise argparse.ArgumentTypeError(
        f"unknown activation {text[:60]!r}; choose from {', '.join(HIDDEN + tuple(ALIASES))}, "
        f"or write NAME=FORMULA, e.g. mish=z*tanh(softplus(z))")


def _batch_size(text: str):
    if text == "full":
        return "full"
    try:
        return _int_at_least(1)(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1 or 'full', got {text!r}") from None


def _defaults_table() -> str:
    lines = ["defaults per data set (with --optimizer adam):"]
    for name, d in DEFAULTS.items():
        batch = "full" if d.batch_size is None else d.batch_size
        lines.append(f"  {name:<14} --layers {' '.join(map(str, d.layers))} --hidden {d.hidden} "
                     f"--epochs {d.epochs} --batch-size {batch} "
                     f"--learning-rate {d.learning_rate['adam']:g} --lambd {d.lambd:g}")
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    """argparse, with errors as one line (the usage block is one ``--help`` away)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m numeric",
        description="Train the gradproof NumPy network (built on the generated formulas).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train = sub.add_parser(
        "train", help="train on a data set; print accuracies; write the cost plot and the model",
        description="Train on a data set, print train/test accuracy, write <data>_cost.png "
                    "and <data>_model.npz. Flags left out take the data set's defaults.",
        epilog=_defaults_table(), formatter_class=argparse.RawDescriptionHelpFormatter)
    train.add_argument("--data", required=True, choices=datasets.DATASETS,
                       help="digits and breast_cancer need scikit-learn (pip install 'gradproof[data]')")
    train.add_argument("--layers", nargs="*", type=_int_at_least(1), metavar="N",
                       help="hidden layer sizes, e.g. --layers 16 8 (none: logistic/softmax regression)")
    train.add_argument("--hidden", type=_hidden, metavar="ACTIVATION",
                       help=f"hidden activation: {', '.join(HIDDEN + tuple(ALIASES))}; or your "
                            "own as NAME=FORMULA in z, e.g. \"mish=z*tanh(softplus(z))\" "
                            "(derived, with its derivative, by derive; needs sympy)")
    train.add_argument("--init", choices=INITS,
                       help="initialization (default: xavier for sigmoid/tanh, he for relu)")
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="adam")
    train.add_argument("--learning-rate", type=_float_in("learning rate", lambda v: v > 0, "> 0"))
    train.add_argument("--epochs", type=_int_at_least(1))
    train.add_argument("--batch-size", type=_batch_size, help="an integer >= 1, or 'full'")
    train.add_argument("--lambd", type=_float_in("lambd", lambda v: v >= 0, ">= 0"),
                       help="L2 regularization strength")
    train.add_argument("--keep-prob", type=_float_in("keep-prob", lambda v: 0 < v <= 1, "in (0, 1]"),
                       help="dropout keep probability of the hidden layers (1: no dropout)")
    train.add_argument("--seed", type=_int_at_least(0), default=0,
                       help="seeds the data (flower, moons), the split, the initialization and "
                            "the shuffling (default 0)")
    train.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    train.add_argument("--out", type=Path, default=Path("reports/train"),
                       help="folder for <data>_cost.png and <data>_model.npz (default reports/train/)")
    train.add_argument("--no-plot", action="store_true", help="do not write the cost plot")
    train.set_defaults(func=_train)
    return parser


# -- the run ------------------------------------------------------------------------------
class _Failure(Exception):
    """A run that cannot go on; the message is printed as one line, exit status 1."""


def _resolve(args) -> dict:
    """The settings of the run: the flags given, the data set's defaults for the rest."""
    d = DEFAULTS[args.data]
    hidden = args.hidden or d.hidden
    batch = d.batch_size if args.batch_size is None else args.batch_size
    return {
        "layers": tuple(d.layers if args.layers is None else args.layers),
        "hidden": hidden,
        "init": args.init or ("xavier" if hidden in ("sigmoid", "tanh") else "he"),
        "epochs": args.epochs or d.epochs,
        "batch_size": None if batch == "full" else batch,
        "learning_rate": args.learning_rate or d.learning_rate[args.optimizer],
        "lambd": d.lambd if args.lambd is None else args.lambd,
        "keep_prob": d.keep_prob if args.keep_prob is None else args.keep_prob,
    }


def _count(n: int, noun: str) -> str:
    """``1 epoch``, ``2 epochs``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _check_writable(folder: Path) -> bool:
    """Create ``folder`` and try a file in it now, rather than fail after the training.

    Returns True when the folder was created by this call (the header says so).
    """
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise _Failure(f"cannot write to --out {folder}: {exc.strerror or exc}") from None
    return created


def accuracy(net: Network, X: np.ndarray, labels: np.ndarray) -> float:
    """Share of the m columns of X whose predicted class equals ``labels`` (shape (1, m))."""
    return float(np.mean(net.predict(X) == labels))


def _hidden_component(hidden: str):
    """The catalog name, or the user's activation derived from ``NAME=FORMULA``."""
    if "=" not in hidden:
        return hidden
    try:
        return custom.from_assignment("activation", hidden)
    except custom.DeriveMissing as exc:
        raise _Failure(str(exc)) from None


def _train(args) -> int:
    s = _resolve(args)
    hidden = _hidden_component(s["hidden"])  # a refused formula stops here, before the data
    try:
        data = datasets.load(args.data, seed=args.seed)
    except datasets.MissingDependency as exc:
        raise _Failure(str(exc)) from None
    created = _check_writable(args.out)
    n_x, n_y = data.X_train.shape[0], data.Y_train.shape[0]
    net = Network([n_x, *s["layers"], n_y], hidden=hidden, output=data.output,
                  init=s["init"], seed=args.seed, dtype=args.dtype)
    optimizer = make_optimizer(args.optimizer, learning_rate=s["learning_rate"])
    _print_setup(data, net, s, args, created)

    start = time.perf_counter()
    try:
        # Overflow on the way to a NaN cost is reported once, as TrainingDiverged below;
        # NumPy's per-operation RuntimeWarnings would only bury that line.
        with np.errstate(over="ignore", invalid="ignore"):
            history = net.fit(data.X_train, data.Y_train, optimizer=optimizer, epochs=s["epochs"],
                              batch_size=s["batch_size"], lambd=s["lambd"],
                              keep_prob=s["keep_prob"], seed=args.seed, progress=None)
    except TrainingDiverged as exc:
        raise _Failure(str(exc)) from None
    seconds = time.perf_counter() - start

    train_acc = accuracy(net, data.X_train, data.labels(data.Y_train))
    test_acc = accuracy(net, data.X_test, data.labels(data.Y_test))
    print(f"result    train accuracy {100 * train_acc:.2f}%   test accuracy {100 * test_acc:.2f}%   "
          f"final cost {history[-1]:.4g}   {_count(len(history), 'epoch')} in {seconds:.2f} s")
    _write_outputs(args, net, history, plot_title(data.name, net, args.optimizer, test_acc))
    return 0


def plot_title(data_name: str, net: Network, optimizer: str, test_acc: float) -> str:
    """The cost plot's title: two short lines (one line of ~65 characters is wider than
    the 6-inch figure)."""
    return (f"{data_name}: test accuracy {100 * test_acc:.1f}%\n"
            f"layers {list(net.layer_dims)}, {custom.name_of(net.hidden)}, {optimizer}")


def _print_setup(data, net: Network, s: dict, args, created: bool) -> None:
    m, n_x = data.X_train.shape[1], data.X_train.shape[0]
    batch = "full" if s["batch_size"] is None or s["batch_size"] >= m else s["batch_size"]
    print(f"data      {data.name}: {data.description}")
    print(f"          {m} train / {data.X_test.shape[1]} test examples, {n_x} features, "
          f"{len(data.classes)} classes")
    print(f"network   {net!r}")
    print(f"training  {args.optimizer} (learning rate {s['learning_rate']:g}), batch {batch}, "
          f"{_count(s['epochs'], 'epoch')}, lambd {s['lambd']:g}, keep_prob {s['keep_prob']:g}, seed {args.seed}")
    # Where the files go, said before the run; absolute, since --out may be relative.
    print(f"output    {args.out.resolve()}{os.sep}" + (" (new folder)" if created else ""))
    # The header before a long run, even when stdout is a pipe.
    sys.stdout.flush()


def _write_outputs(args, net: Network, history: list, title: str) -> None:
    model = args.out / f"{args.data}_model.npz"
    try:
        net.save(model)
    except OSError as exc:
        raise _Failure(f"cannot write {model}: {exc.strerror or exc}") from None
    print(f"wrote     {model}")
    if args.no_plot:
        return
    from .plotting import MissingDependency, plot_cost

    plot = args.out / f"{args.data}_cost.png"
    try:
        plot_cost(history, plot, title=title)
    except MissingDependency as exc:
        # The model is the result; the plot is a convenience, so its absence is a note.
        print(f"note: {exc}; skipping {plot}", file=sys.stderr)
        return
    except OSError as exc:
        raise _Failure(f"cannot write {plot}: {exc.strerror or exc}") from None
    print(f"wrote     {plot}")


def main(argv=None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    prog = f"python -m numeric {args.command}"  # named in every error line, as argparse does
    try:
        return args.func(args)
    except _Failure as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        # Raised by the library's checks on values that argparse cannot see in
        # combination (e.g. a learning rate the optimizer refuses); one line, no traceback.
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        # NumPy's message ("Unable to allocate ...") may be empty or a page long: one line.
        print(f"{prog}: error: out of memory (MemoryError); use smaller --layers or less data, or "
              "raise the limit GRADPROOF_MAX_BYTES only if the machine has the memory",
              file=sys.stderr)
        return 1
    except OverflowError as exc:
        print(f"{prog}: error: a number is too large ({type(exc).__name__}: {str(exc)[:200]})",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
