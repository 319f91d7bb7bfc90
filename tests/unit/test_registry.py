"""What every derivation of the registry owes, checked once for all of them.

The list of names is the derive issue's, item by item, written here independently of
derive's own module list: a derivation that goes missing fails here.
"""

import re

import pytest

# topic (the module of derive.derivations) -> the derivations it must hold
REQUIRED = {
    "calculus": ["chain_rule"],                                                    # 1
    "activations": ["sigmoid_derivative", "tanh_derivative", "relu_derivative",   # 2
                    "leaky_relu_derivative"],
    "losses": ["bce_derivative_a", "bce_sigmoid_dz", "bce_cost",                   # 3, 4
               "mse_derivative", "mse_sigmoid_dz"],
    "softmax": ["softmax_jacobian", "softmax_cross_entropy_dz"],                   # 5
    "layer": ["layer_forward", "layer_dz", "layer_dw", "layer_db", "layer_da_prev"],  # 6
    "backprop": ["backprop_bp1", "backprop_bp2", "backprop_bp3", "backprop_bp4"],  # 7
    "regularization": ["l2_cost", "l2_gradient", "dropout_expectation",            # 8, 9
                       "dropout_backward"],
    "initialization": ["zero_init_symmetry", "xavier_variance", "he_variance"],    # 10
    "optimizers": ["gradient_descent_update", "gd_example_stationary_points",      # 11, 12
                   "gd_example_convergence", "momentum_ema", "rmsprop_ema",
                   "adam_bias_correction", "adam_update"],
    "stable": ["sigmoid_stable", "bce_from_logits", "log_softmax_stable"],         # 13
}
NAMES = [n for names in REQUIRED.values() for n in names]


@pytest.mark.parametrize("topic,name", [(t, n) for t, names in REQUIRED.items() for n in names])
def test_required_derivation_is_registered_under_its_topic(registry, topic, name):
    assert name in registry
    assert registry[name].name == name
    assert registry.topic_of(name) == topic


def test_every_derivation_is_proved_symbolically(registry):
    for name, d in registry.items():
        assert d.proof.holds, name
        assert d.proof.symbolic is True, name
        assert d.result.lhs == d.textbook.lhs, name


def test_every_derivation_is_written_out(registry):
    for name, d in registry.items():
        assert d.title and d.source and d.summary and d.definition and d.steps, name
        assert all(s.caption for s in d.steps), name


def _outside_math(text):
    return re.sub(r"\$[^$]*\$", "", text)


def test_every_derivation_prose_is_latex_text(registry):
    # The prose goes into the report as it is: balanced $...$, LaTeX specials escaped
    # outside math, and no SymPy internals (Dummy symbols, Heaviside for an indicator).
    for name, d in registry.items():
        for text in (d.summary, d.title, d.source, *d.assumptions, *d.remarks,
                     *(s.caption for s in d.steps)):
            assert text.count("$") % 2 == 0, (name, text)
            assert not re.search(r"(?<!\\)[%&_#]", _outside_math(text)), (name, text)
            assert "Dummy" not in text and "Heaviside" not in text, (name, text)


def test_a_lookup_builds_only_the_topics_up_to_its_own(monkeypatch):
    import importlib
    import sys
    import types

    from derive.registry import Registry

    built = []

    def recording(name, *args):
        built.append(name.rsplit(".", 1)[-1])
        return importlib.import_module(name, *args)

    # derive.registry imports the topic modules through its ``importlib`` name.
    monkeypatch.setattr(sys.modules["derive.registry"], "importlib",
                        types.SimpleNamespace(import_module=recording))
    reg = Registry(modules=("calculus", "activations", "losses"), catalog=False)
    assert reg["sigmoid_derivative"].name == "sigmoid_derivative"
    assert built == ["calculus", "activations"]  # losses not derived for this lookup
    assert reg.topic_of("bce_cost") == "losses" and built == ["calculus", "activations", "losses"]
    assert list(reg)[0] == "chain_rule"  # report order, as before


def test_a_name_defined_twice_is_still_an_error():
    from derive.registry import Registry

    with pytest.raises(ValueError, match="'sigmoid_derivative' is defined twice"):
        list(Registry(modules=("activations", "activations"), catalog=False))
    with pytest.raises(ValueError, match="defined twice"):  # the first full build finds it
        Registry(modules=("activations", "activations"), catalog=False)["no_such_name"]
