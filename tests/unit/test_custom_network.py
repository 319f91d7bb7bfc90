"""A network with a user's own activation or loss (the objects of derive.custom_activation
/ custom_loss, accepted by duck typing): the passes, the fast path, the messages, and
save/load storing the formula and deriving it again."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from custom_components import StandInActivation, StandInLoss, stand_in_makers
from numeric import Network
from numeric.custom import MAX_FORMULA


def _data(m=40, n_x=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    return X, (X[0:1] - X[1:2] > 0).astype(float)


def test_the_object_runs_the_pure_passes_as_the_catalog_entry_it_wraps():
    # the stand-in calls the generated swish functions: results equal the catalog's
    # swish network's bit for bit, and the calls show the object's functions ran
    X, Y = _data()
    act = StandInActivation()
    net, ref = Network([2, 16, 1], hidden=act, output="sigmoid"), Network([2, 16, 1], hidden="swish")
    AL, cache = net.forward(X)
    AL_ref, cache_ref = ref.forward(X)
    assert np.array_equal(AL, AL_ref)
    assert net.cost(Y, cache) == ref.cost(Y, cache_ref)
    grads, grads_ref = net.backward(Y, cache), ref.backward(Y, cache_ref)
    assert all(np.array_equal(grads[k], grads_ref[k]) for k in grads_ref)
    assert act.calls["g"] >= 1 and act.calls["g_prime"] >= 1
    assert np.array_equal(net.predict(X), ref.predict(X))


@pytest.mark.parametrize("keep_prob", [1.0, 0.8])
def test_fit_takes_the_in_place_functions(keep_prob):
    X, Y = _data()
    act = StandInActivation()
    net, ref = Network([2, 8, 8, 1], hidden=act), Network([2, 8, 8, 1], hidden="swish")
    h = net.fit(X, Y, epochs=20, batch_size=16, keep_prob=keep_prob, progress=False)
    h_ref = ref.fit(X, Y, epochs=20, batch_size=16, keep_prob=keep_prob, progress=False)
    assert h == h_ref
    assert all(np.array_equal(net.params[k], ref.params[k]) for k in ref.params)
    assert act.calls["g_into"] > 0 and act.calls["g_prime_into"] > 0


def test_a_custom_loss_on_a_linear_output_pure_and_in_place():
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((3, 30)), rng.standard_normal((1, 30))
    loss = StandInLoss()
    net = Network([3, 8, 1], hidden="tanh", output="linear", loss=loss)
    ref = Network([3, 8, 1], hidden="tanh", output="linear")
    _, cache = net.forward(X)
    _, cache_ref = ref.forward(X)
    assert net.cost(Y, cache) == ref.cost(Y, cache_ref)
    grads, grads_ref = net.backward(Y, cache), ref.backward(Y, cache_ref)
    assert all(np.array_equal(grads[k], grads_ref[k]) for k in grads_ref)
    assert net.fit(X, Y, epochs=10, progress=False) == ref.fit(X, Y, epochs=10, progress=False)
    assert loss.calls["cost"] > 0 and loss.calls["dz"] > 0 and loss.calls["dz_into"] > 0


def test_repr_writes_the_call_that_makes_the_component():
    net = Network([3, 4, 1], hidden=StandInActivation("mish", "z*tanh(softplus(z))"),
                  output="linear", loss=StandInLoss("log_cosh", "log(cosh(a - y))"))
    assert repr(net) == ("Network([3, 4, 1], hidden=custom_activation('mish', "
                         "'z*tanh(softplus(z))'), output='linear', loss=custom_loss("
                         "'log_cosh', 'log(cosh(a - y))'), init='he', dtype=float64)")


class _Lacking(StandInActivation):
    g_prime_into = None


class _NoKind:
    name, formula = "x", "z"

    def g(self, Z):
        return Z


@pytest.mark.parametrize("kwargs,error,match", [
    ({"hidden": _Lacking()}, TypeError,
     r"hidden= takes a name \(sigmoid, tanh, .*\) or an object from "
     r"derive.custom_activation; this _Lacking lacks g_prime_into$"),
    ({"hidden": _NoKind()}, TypeError, r"this _NoKind has kind None, not 'activation'"),
    ({"hidden": StandInLoss()}, TypeError, r"has kind 'loss'.*goes to loss="),
    ({"hidden": None}, TypeError, r"hidden activation must be a name \(str\) or an object "
                                  r"from derive.custom_activation, got None"),
    ({"hidden": StandInActivation("", "z")}, ValueError, r"name must be non-empty text"),
    ({"hidden": StandInActivation("x", "z" * (MAX_FORMULA + 1))}, ValueError,
     r"formula must be non-empty text of at most"),
    ({"output": "sigmoid", "loss": StandInLoss()}, ValueError,
     r"custom loss 'mymse' pairs with the linear output, not 'sigmoid'"),
    ({"output": "linear", "loss": StandInActivation()}, TypeError,
     r"loss= takes a name .* has kind 'activation'.*goes to hidden="),
])
def test_a_wrong_object_is_named_with_what_it_lacks(kwargs, error, match):
    with pytest.raises(error, match=match):
        Network([2, 3, 1], **kwargs)


def test_numeric_never_imports_derive_for_a_custom_network():
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            "from custom_components import StandInActivation, StandInLoss; "
            "from numeric import Network; import numpy as np; "
            "n = Network([2, 3, 1], hidden=StandInActivation(), output='linear', loss=StandInLoss()); "
            "n.fit(np.ones((2, 4)), np.ones((1, 4)), epochs=2, progress=False); "
            "assert 'derive' not in sys.modules and 'sympy' not in sys.modules, "
            "sorted(m for m in sys.modules if m.startswith(('derive', 'sympy')))")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- save / load ----------------------------------------------------------------------

@pytest.fixture
def makers(monkeypatch):
    """derive.custom_activation / custom_loss replaced by stand-ins; the list of calls."""
    import derive

    made = []
    act, loss = stand_in_makers(made)
    monkeypatch.setattr(derive, "custom_activation", act, raising=False)
    monkeypatch.setattr(derive, "custom_loss", loss, raising=False)
    return made


def test_save_stores_the_formula_and_load_derives_it_again(tmp_path, makers):
    X, _ = _data(n_x=3)
    net = Network([3, 5, 1], hidden=StandInActivation("mish", "z*tanh(softplus(z))"),
                  output="linear", loss=StandInLoss("log_cosh", "log(cosh(a - y))"), seed=2)
    path = tmp_path / "custom.npz"
    net.save(path)
    with np.load(path, allow_pickle=False) as f:
        stored = {k: str(f[k]) for k in ("hidden", "hidden_formula", "loss", "loss_formula")}
    assert stored == {"hidden": "mish", "hidden_formula": "z*tanh(softplus(z))",
                      "loss": "log_cosh", "loss_formula": "log(cosh(a - y))"}
    back = Network.load(path)
    assert makers == [("activation", "mish", "z*tanh(softplus(z))"),
                      ("loss", "log_cosh", "log(cosh(a - y))")]
    assert (back.hidden.name, back.hidden.formula) == ("mish", "z*tanh(softplus(z))")
    assert back.loss.formula == "log(cosh(a - y))"
    assert np.array_equal(back.predict(X), net.predict(X))
    assert repr(back) == repr(net)


def test_load_without_derive_says_so_in_one_line(tmp_path, monkeypatch):
    path = tmp_path / "custom.npz"
    Network([2, 3, 1], hidden=StandInActivation("mish", "z*tanh(softplus(z))")).save(path)
    monkeypatch.setitem(sys.modules, "derive", None)  # import derive -> ImportError
    with pytest.raises(ValueError) as info:
        Network.load(path)
    message = str(info.value)
    assert "\n" not in message
    assert "mish=z*tanh(softplus(z))" in message and "needs derive" in message
    assert "pip install -e ." in message


def _tampered(tmp_path, **entries):
    path = tmp_path / "custom.npz"
    Network([2, 3, 1], hidden=StandInActivation("mish", "z")).save(path)
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays.update({k: np.array(v) for k, v in entries.items()})
    np.savez(path, **arrays)
    return path


def test_load_bounds_the_stored_formula_before_derive_sees_it(tmp_path, makers):
    path = _tampered(tmp_path, hidden_formula="z+" * MAX_FORMULA)
    with pytest.raises(ValueError, match=r"formula must be text of at most 2000"):
        Network.load(path)
    assert makers == []  # refused before derive was called


def test_load_refuses_a_formula_that_is_not_text(tmp_path, makers):
    path = _tampered(tmp_path, hidden_formula=np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"hidden_formula"):
        Network.load(path)
    assert makers == []


def test_a_checkpoint_of_a_custom_network_resumes(tmp_path, makers):
    X, Y = _data()
    ck = tmp_path / "run.npz"
    net = Network([2, 6, 1], hidden=StandInActivation("mish", "z*tanh(softplus(z))"), seed=1)
    net.fit(X, Y, epochs=6, progress=False, checkpoint=ck, checkpoint_every=3)
    straight = Network([2, 6, 1], hidden=StandInActivation("mish", "z*tanh(softplus(z))"), seed=1)
    straight.fit(X, Y, epochs=10, progress=False)
    resumed = Network([2, 6, 1], hidden=StandInActivation("mish", "z*tanh(softplus(z))"), seed=1)
    resumed.fit(X, Y, epochs=10, progress=False, resume=ck)
    assert ("activation", "mish", "z*tanh(softplus(z))") in makers
    assert all(np.array_equal(resumed.params[k], straight.params[k]) for k in straight.params)
    other = Network([2, 6, 1], hidden=StandInActivation("mish", "z*tanh(z)"), seed=1)
    with pytest.raises(ValueError, match=r"resume: .* holds a network"):
        other.fit(X, Y, epochs=10, progress=False, resume=ck)


def test_a_float32_label_meets_a_float64_output_in_float64():
    # check_network runs a float32 network's passes in float64 with the labels cast to
    # float32: a loss written as 0.3*Y + ... (as the generated code writes a pinball loss)
    # would round 0.3*Y in float32 (~1e-8) unless Y takes A's precision first
    from numeric.outputs import output_layer

    class Pinball(StandInLoss):
        def cost(self, A, Y, m):
            return float(np.sum(np.maximum(-3 / 10 * A + (3 / 10) * Y, (7 / 10) * A - 7 / 10 * Y)) / m)

    layer = output_layer("linear", Pinball("pinball", "max(0.3*(y - a), -0.7*(y - a))"))
    A = np.array([[0.0, 1.5]])
    Y32 = np.array([[-0.92085314, 0.1]], dtype=np.float32)
    assert layer.cost(A, A, Y32, 2) == layer.cost(A, A, Y32.astype(np.float64), 2)


def test_g_prime_from_the_activation_is_used_where_the_object_has_it():
    # an object with g' written through A = g(Z) (derive gives tanh(z) one): the passes
    # take it from the cached activation, as for the catalog's tanh, with the same results
    from numeric import _generated as gen

    class TanhLike(StandInActivation):
        g = staticmethod(gen.tanh)
        g_into = staticmethod(gen.tanh_into)

        def g_prime_from_a(self, A):
            self.calls["g_prime_from_a"] += 1
            return gen.tanh_prime_from_a(A)

        def g_prime_from_a_into(self, A, out, work):
            self.calls["g_prime_from_a_into"] += 1
            return gen.tanh_prime_from_a_into(A, out, work)

    act = TanhLike("mytanh", "tanh(z)")
    X, Y = _data()
    net, ref = Network([2, 8, 8, 1], hidden=act), Network([2, 8, 8, 1], hidden="tanh", init="he")
    _, cache = net.forward(X)
    _, cache_ref = ref.forward(X)
    grads, grads_ref = net.backward(Y, cache), ref.backward(Y, cache_ref)
    assert all(np.array_equal(grads[k], grads_ref[k]) for k in grads_ref)
    assert net.fit(X, Y, epochs=5, progress=False) == ref.fit(X, Y, epochs=5, progress=False)
    assert act.calls["g_prime_from_a"] > 0 and act.calls["g_prime_from_a_into"] > 0
    assert act.calls["g_prime"] == act.calls["g_prime_into"] == 0
