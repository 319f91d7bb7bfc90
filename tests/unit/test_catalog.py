"""The catalog drives everything: these tests enumerate it, so a new entry is tested here
without editing this file.

For every hidden activation: the generated g and g' equal the entry's *definition* and
SymPy's own derivative of it (not the derivation the code came from); they stay finite
and silent at |z| = 1000; float32 in gives float32 out; the in-place variants equal the
pure ones. For every generated formula: its nodes are in the one node table, and both
back-ends print it. For every optimizer with a reference in optax: 10 steps agree.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derive import catalog
from derive.codegen_nodes import NODES, ScalarArg, unsupported_nodes
from numeric import _catalog
from numeric.activations import HIDDEN, activation, activation_into
from numeric.workspace import Workspace
from verify import _definitions

ENTRIES = list(catalog.hidden_entries())
OPTIMIZERS = list(catalog.optimizer_entries())


def _entry_files(kind: str) -> list[str]:
    """The catalog's files of one kind (derive/catalog/KIND/NAME.py), by name."""
    root = Path(catalog.__file__).parent
    return sorted(i.name for i in pkgutil.iter_modules([str(root / kind)])
                  if not i.name.startswith("_"))


def test_every_file_is_an_entry_and_numeric_has_them_all():
    assert sorted(ENTRIES) == _entry_files("hidden")
    assert list(HIDDEN) == ENTRIES == list(_catalog.HIDDEN)
    assert list(_catalog.OPTIMIZERS) == OPTIMIZERS


def _points(name, n=400, seed=0):
    """Random points of the plotted range, kept 1e-3 away from the kinks (where g' is a
    chosen value, tested by the derivations)."""
    entry = catalog.hidden_entries()[name]
    z = np.random.default_rng(seed).uniform(*entry.plot_range, n)
    for k in catalog.kinks(entry):
        z = z[np.abs(z - k) > 1e-3]
    return z


@pytest.mark.parametrize("name", ENTRIES)
def test_generated_g_and_g_prime_equal_the_definition(name):
    g, g_prime = activation(name)
    Z = _points(name)
    # Both sides are float64 evaluations of equal functions in different forms (e.g.
    # exp(-logaddexp(0, -z)) and 1 / (1 + e^-z)): a few ulps of rounding apart, far
    # below 1e-12 relative to the largest value.
    for ours, reference in ((g(Z), _definitions.numpy_g(name)(Z)),
                            (g_prime(Z), _definitions.numpy_g_prime(name)(Z))):
        scale = max(1.0, float(np.max(np.abs(reference))))
        assert np.max(np.abs(ours - reference)) / scale < 1e-12


@pytest.mark.parametrize("name", ENTRIES)
def test_no_overflow_far_out_and_float32_stays_float32(name):
    g, g_prime = activation(name)
    Z = np.array([-1000.0, -50.0, 50.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for f in (g, g_prime):
            assert np.all(np.isfinite(f(Z)))
    for f in (g, g_prime):
        assert f(np.float32([[0.5, -0.5]])).dtype == np.float32


@pytest.mark.parametrize("name", ENTRIES)
def test_inplace_variants_equal_the_pure_ones(name):
    g, g_prime = activation(name)
    g_into, g_prime_into, from_a = activation_into(name)
    Z = _points(name, 60).reshape(6, 10)
    work = Workspace()
    A = g_into(Z, np.empty_like(Z), work)
    np.testing.assert_allclose(A, g(Z), rtol=1e-14, atol=1e-300)  # same formula, same order up to ulps
    gp = g_prime_into(A if from_a else Z, np.empty_like(Z), work)
    np.testing.assert_allclose(gp, g_prime(Z), rtol=1e-13, atol=1e-15)  # from A: A(1-A) vs its Z form


@pytest.mark.parametrize("name", ENTRIES)
def test_aliases_resolve(name):
    from numeric import Network
    for alias in catalog.hidden_entries()[name].aliases:
        assert Network([2, 3, 1], hidden=alias).hidden == name


def _specs(registry):
    from derive.codegen import function_specs
    return function_specs(registry)


def test_every_generated_formula_uses_only_the_shared_nodes(registry):
    from derive.codegen_inplace import emit_into
    from derive.codegen_printer import ArrayPrinter
    for spec in _specs(registry):
        for out in spec.outputs:
            assert unsupported_nodes(out) == set(), spec.name
            ArrayPrinter().doprint(out)  # the pure back-end prints it
    for spec in _specs(registry):
        if len(spec.outputs) == 1 and any(not isinstance(a, ScalarArg) for a in spec.arguments) \
                and spec.name.endswith(("prime", "_a")) or spec.name in ENTRIES:
            emit_into(spec)  # the in-place back-end too


def test_the_node_table_is_what_both_back_ends_handle():
    # Each node class of the table, in a small formula, through both back-ends.
    from derive.codegen import FunctionSpec
    from derive.codegen_inplace import emit_into
    from derive.codegen_printer import ArrayPrinter
    from sympy.codegen.numpy_nodes import logaddexp
    Z = sp.Symbol("Z")
    a = ScalarArg("a", positive=True)
    formulas = [sp.exp(Z), sp.log(Z), sp.tanh(Z), sp.Abs(Z), sp.Max(Z, 0), sp.Min(Z, a),
                sp.Heaviside(Z, 0), logaddexp(0, Z), Z**2 * a + sp.pi, 1 / Z]
    for k, expr in enumerate(formulas):
        ArrayPrinter().doprint(expr)
        emit_into(FunctionSpec(f"f{k}", "none", (Z, a), (expr,), "", ""))


def test_scalars_are_marked_where_defined(registry):
    # every argument that is not an array is a ScalarArg, never a name on a list
    arrays = {"Z", "A", "Y", "D", "dA", "W", "dW", "v", "s", "A_prev", "b", "dZ", "gprime_Z"}
    for spec in _specs(registry):
        for a in spec.arguments:
            assert isinstance(a, ScalarArg) or a.name in arrays, (spec.name, a)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_hyperparameters_from_the_catalog(name):
    from numeric.optim import CLASSES, make_optimizer
    entry = catalog.optimizer_entries()[name]
    cls = CLASSES[name]
    opt = cls()
    for h in entry.hyper:
        assert getattr(opt, h.name) == h.default
    lr = entry.hyper[0]
    with pytest.raises(ValueError, match=lr.name):
        cls(**{lr.name: -1.0})
    assert isinstance(make_optimizer(name, learning_rate=0.5), cls)


@pytest.mark.parametrize("name", [n for n, e in catalog.optimizer_entries().items() if e.optax])
def test_ten_steps_agree_with_optax(name):
    """Each optimizer with an optax counterpart (the entry names it) against optax, 10
    steps, float64: both evaluate the same rule in another order, so they agree to a few
    ulps, far below 1e-12."""
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import optax
    from numeric.optim import CLASSES
    entry = catalog.optimizer_entries()[name]
    function, keywords = entry.optax
    rng = np.random.default_rng(5)
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal((3, 1))}
    hyper = {h.name: (0.05 if h.name == "learning_rate" else h.default) for h in entry.hyper}
    if "weight_decay" in hyper:
        hyper["weight_decay"] = 0.1  # large enough that a missing decay would show
    ours = CLASSES[name](**hyper)
    theirs = getattr(optax, function)(**{keywords[k]: v for k, v in hyper.items() if k in keywords})
    state = ours.init(params)
    p_jax = {k: jnp.asarray(v) for k, v in params.items()}
    s_jax = theirs.init(p_jax)
    for _ in range(10):
        grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
        params, state = ours.update(params, {"d" + k: g for k, g in grads.items()}, state)
        updates, s_jax = theirs.update({k: jnp.asarray(g) for k, g in grads.items()}, s_jax, p_jax)
        p_jax = optax.apply_updates(p_jax, updates)
    for k in params:
        np.testing.assert_allclose(params[k], np.asarray(p_jax[k]), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_fit_fast_path_checkpoint_and_cli_name(name, tmp_path):
    """fit's fast path trains as the pure update does, the checkpoint holds the optimizer
    and its state, and ``--optimizer NAME`` is a choice of the command line."""
    from numeric import Network, checkpoint, propagation
    from numeric.optim import CLASSES
    from numeric.__main__ import build_parser
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((3, 16)), (rng.random((1, 16)) < 0.5).astype(float)
    opt = CLASSES[name](learning_rate=0.01)
    fast = Network([3, 4, 1], hidden="tanh", seed=2)
    path = tmp_path / "ck.npz"
    fast.fit(X, Y, optimizer=opt, epochs=3, seed=0, progress=False, checkpoint=path)
    pure = Network([3, 4, 1], hidden="tanh", seed=2)
    state = opt.init(pure.params)
    for _ in range(3):
        _, cache = propagation.forward(pure.params, X, "tanh", "sigmoid")
        grads = propagation.backward(pure.params, cache, Y, "tanh", "sigmoid")
        pure.params, state = opt.update(pure.params, grads, state)
    for k in pure.params:
        # full batch: the same steps, the columns in another order (sums rounded differently)
        np.testing.assert_allclose(fast.params[k], pure.params[k], rtol=1e-10, atol=1e-12)
    ck = checkpoint.load_checkpoint(path, Network)
    assert ck.optimizer == opt and ck.state.t == 3
    for f in ck.state._fields[1:]:
        for k in pure.params:
            np.testing.assert_allclose(getattr(ck.state, f)[k], getattr(state, f)[k],
                                       rtol=1e-10, atol=1e-12)
    assert name in build_parser()._subparsers._group_actions[0].choices["train"]._option_string_actions["--optimizer"].choices


LOSSES = list(catalog.loss_entries())


@pytest.mark.parametrize("name", LOSSES)
def test_generated_loss_equals_its_definition(name):
    """The output layer's cost is the definition summed over outputs and averaged over
    examples; its dZ[L] (linear outputs: dL/da) is SymPy's diff of the definition."""
    from derive.symbols import a, y
    from numeric.outputs import output_layer
    entry = catalog.loss_entries()[name]
    layer = output_layer(entry.output, name)
    assert layer.loss == name
    rng = np.random.default_rng(2)
    n_y, m = (3, 7)
    Z = rng.uniform(-3, 3, (n_y, m))
    if entry.output == "softmax":
        A = np.exp(Z - Z.max(0)) / np.exp(Z - Z.max(0)).sum(0)
        Y = np.eye(n_y)[:, rng.integers(0, n_y, m)]
    elif entry.output == "sigmoid":
        A, Y = 1 / (1 + np.exp(-Z)), (rng.random((n_y, m)) < 0.5).astype(float)
    else:
        A, Y = Z, rng.uniform(-3, 3, (n_y, m))
    L = _definitions.numpy_loss(name)
    # float64 evaluations of equal functions in other forms: a few ulps apart
    assert layer.cost(Z, A, Y, m) == pytest.approx(np.sum(L(A, Y)) / m, rel=1e-12)
    if entry.output == "linear":
        dL = sp.lambdify((a, y), sp.diff(_definitions.loss_definition(name), a), "numpy")
        np.testing.assert_allclose(layer.dz(A, Y), dL(A, Y) + 0 * A, rtol=1e-12, atol=1e-15)
        out = layer.dz_into(A, Y, np.empty_like(A), Workspace())
        np.testing.assert_allclose(out, layer.dz(A, Y), rtol=1e-15, atol=0)


@pytest.mark.parametrize("name", LOSSES)
def test_loss_pairs_with_its_output_only(name):
    from numeric import Network
    entry = catalog.loss_entries()[name]
    n_y = 3 if entry.output == "softmax" else 1
    net = Network([2, 3, n_y], output=entry.output, loss=name)
    assert net.loss == name
    other = next(o for o in _catalog.OUTPUTS if o != entry.output)
    with pytest.raises(ValueError, match="does not pair"):
        Network([2, 3, 3], output=other, loss=name)


@pytest.mark.parametrize("name", [n for n, e in catalog.loss_entries().items() if not e.default])
def test_fit_trains_with_the_chosen_loss_on_both_paths(name, tmp_path):
    """fit's fast path and the pure path (a subclassed optimizer) both minimise the chosen
    loss, and save/load keep it."""
    from numeric import Network
    from numeric.optim import Adam
    entry = catalog.loss_entries()[name]

    class MyAdam(Adam):
        """A subclass: fit takes the pure path."""

    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 32)), 3 * rng.standard_normal((1, 32))
    nets = []
    for opt in (Adam(learning_rate=0.01), MyAdam(learning_rate=0.01)):
        net = Network([2, 4, 1], hidden="tanh", output=entry.output, loss=name, seed=1)
        net.fit(X, Y, optimizer=opt, epochs=5, seed=0, progress=False)
        nets.append(net)
    for k in nets[0].params:
        np.testing.assert_allclose(nets[0].params[k], nets[1].params[k], rtol=1e-9, atol=1e-12)
    nets[0].save(tmp_path / "net.npz")
    assert Network.load(tmp_path / "net.npz").loss == name


OUTPUT_NAMES = list(catalog.output_entries())


def test_outputs_come_from_the_catalog():
    from numeric.outputs import OUTPUTS
    assert sorted(OUTPUT_NAMES) == _entry_files("outputs")
    assert list(OUTPUTS) == OUTPUT_NAMES == list(_catalog.OUTPUTS)
    for name, entry in catalog.output_entries().items():
        spec = _catalog.OUTPUT_SPECS[name]
        assert (spec["labels"], spec["predict"]) == (entry.labels, entry.predict)


@pytest.mark.parametrize("name", OUTPUT_NAMES)
def test_each_output_validates_labels_and_predicts_by_its_rule(name):
    from numeric import Network
    entry = catalog.output_entries()[name]
    n_y = max(2, entry.min_units) if entry.labels != "binary" else 1
    net = Network([3, 4, n_y], output=name, seed=0)
    X = np.random.default_rng(0).standard_normal((3, 5))
    AL, _ = net.forward(X)
    got = net.predict(X)
    expected = {"threshold": (AL > 0.5).astype(np.int64),
                "argmax": np.argmax(AL, axis=0).reshape(1, -1), "identity": AL}[entry.predict]
    np.testing.assert_array_equal(got, expected)
    bad = np.full((n_y, 5), 0.5)   # neither 0/1 nor one-hot; fine for real labels
    if entry.labels == "real":
        net.fit(X, bad, epochs=1)
    else:
        with pytest.raises(ValueError, match=name):
            net.fit(X, bad, epochs=1)


def test_a_loss_on_an_output_not_in_the_catalog_is_refused(monkeypatch):
    from derive.catalog import Loss
    import sympy
    entries = dict(catalog.loss_entries())
    catalog.loss_entries.cache_clear()
    try:
        import derive.catalog.losses.mse as mse_module
        monkeypatch.setattr(mse_module, "ENTRY", Loss(name="mse", output="tanh_head",
                                                      definition=sympy.Integer(0),
                                                      summary="", dz_summary=""))
        with pytest.raises(ValueError, match="tanh_head"):
            catalog.loss_entries()
    finally:
        catalog.loss_entries.cache_clear()
        monkeypatch.undo()
        assert catalog.loss_entries() == entries


def test_a_loss_on_a_sigmoid_output_is_refused_with_a_clear_message():
    from derive.catalog import Loss
    from derive.catalog._build import loss_derivations
    from derive.symbols import a, y
    entry = Loss(name="sq_on_sigmoid", output="sigmoid", definition=(a - y) ** 2 / 2,
                 summary="", dz_summary="")
    with pytest.raises(ValueError, match="on the 'sigmoid' output is refused.*linear output only"):
        loss_derivations(entry)
