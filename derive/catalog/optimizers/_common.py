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
