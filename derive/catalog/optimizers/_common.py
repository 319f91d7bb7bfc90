"""Hyperparameters that several optimizers share (the same names, ranges and meanings)."""

import math

import sympy as sp

from .._entry import Hyper

__all__ = ["learning_rate", "beta", "beta1", "beta2", "epsilon"]


def _s(name):
    return sp.Symbol(name, real=True)


def learning_rate(default):
    return Hyper("learning_rate", _s("learning_rate"), default, 0.0, math.inf,
                 meaning="step size")


def beta(name, default, meaning):
    return Hyper(name, _s(name), default, 0.0, 1.0, closed="low", meaning=meaning)


def epsilon(default=1e-8):
    return Hyper("epsilon", _s("epsilon"), default, 0.0, math.inf,
                 meaning="added to the root of the second moment")


class AdamSymbols:
    """The symbols of an Adam-family update, in the notes' notation (display) and as the
    generated code's arguments (code); :meth:`to_code` maps one to the other."""

    def __init__(self):
        self.alpha = sp.Symbol(r"\alpha", positive=True)
        self.beta1 = sp.Symbol(r"\beta_1", positive=True)
        self.beta2 = sp.Symbol(r"\beta_2", positive=True)
        self.eps = sp.Symbol(r"\epsilon", positive=True)
        self.t = sp.Symbol("t", positive=True, integer=True)
        self.V_prev = sp.Symbol(r"V_{dW,t-1}", real=True)
        self.S_prev = sp.Symbol(r"S_{dW,t-1}", nonnegative=True)
        self.g = sp.Symbol(r"dW_t", real=True)
        self.W_prev = sp.Symbol(r"W_{t-1}", real=True)
        self.W_t = sp.Symbol(r"W_t", real=True)
        self.V_t = sp.Symbol(r"V_{dW,t}", real=True)
        self.S_t = sp.Symbol(r"S_{dW,t}", nonnegative=True)
        self.V = self.beta1 * self.V_prev + (1 - self.beta1) * self.g
        self.S = self.beta2 * self.S_prev + (1 - self.beta2) * self.g ** 2
        self.code = {name: sp.Symbol(name, real=True) for name in
                     ("W", "dW", "v", "s", "learning_rate", "beta1", "beta2", "epsilon")}
        self.code["t"] = sp.Symbol("t", positive=True, integer=True)

    def to_code(self, expr, extra=None):
        c = self.code
        mapping = {self.alpha: c["learning_rate"], self.beta1: c["beta1"],
                   self.beta2: c["beta2"], self.eps: c["epsilon"], self.t: c["t"],
                   self.V_prev: c["v"], self.S_prev: c["s"], self.g: c["dW"],
                   self.W_prev: c["W"], **(extra or {})}
        return expr.xreplace(mapping)

    def ranges(self, extra=None):
        return {self.alpha: (1e-4, 1.0), self.beta1: (0.5, 0.999), self.beta2: (0.5, 0.999),
                self.eps: (1e-8, 1e-2), self.t: (1, 50), self.S_prev: (0, 3), **(extra or {})}
