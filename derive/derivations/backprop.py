"""7. The four backpropagation equations (BP1-BP4), for one example.

``delta^{[l]}_j = dC/dz^{[l]}_j`` is the error of unit j in layer l. Each equation is
derived in index notation (the displayed steps), proved in general (SymPy sums the
Kronecker deltas of the chain rule for any layer sizes), and cross-checked on explicit
small networks with two layers, generic activations ``g^{[1]}, g^{[2]}`` and a generic
cost ``C`` of the output: every derivative is taken on the composed network and
compared with the textbook equation.

Vectorized over m examples (:mod:`derive.derivations.layer`), delta^{[l]} is one column
of dZ^{[l]}: BP1 and BP2 are dZ^{[l]} = dA^{[l]} * g'(Z^{[l]}) with dA^{[l]} = W^{[l+1]T}
dZ^{[l+1]} for BP2; BP3 and BP4, averaged over the examples, are db^{[l]} and dW^{[l]}.
"""

from __future__ import annotations

import sympy as sp

from ..latex import as_written, to_latex
from ..record import Derivation
from ..symbols import written_in_range
from .layer import VectorEntry, cross_checked, keep_in_range, named, partials_at, symbol_matrix

__all__ = ["build", "NETWORKS"]

SOURCE = ("note 004, Backpropagation (the four equations); note 002, Backpropagation in "
          "depth; note 001, Backward Propagation")

# Layer sizes (n^{[0]}, n^{[1]}, n^{[2]}) of the explicit networks: one where every
# weight matrix is non-square (a transposition cannot pass), one with a scalar output.
NETWORKS = ((2, 3, 2), (3, 2, 1))
_CHECKED_ON = ("two-layer networks (n0, n1, n2) in " + ", ".join(map(str, NETWORKS))
               + "; generic activations g1, g2 and generic cost C(a2)")


class _Network:
    """A two-layer network on one example, as explicit symbols and compositions.

    ``C`` is an undefined function of the output activations, ``g1``, ``g2`` undefined
    activations. ``names`` maps every partial derivative of C, g1, g2 and every hidden
    activation g1(z1_k) to a plain symbol, both where the z's are independent symbols
    (to define delta) and where they are the network's expressions in x, W, b.
    """

    def __init__(self, n0: int, n1: int, n2: int):
        self.x = symbol_matrix("x", n0, 1)
        self.W1, self.b1 = symbol_matrix("W1", n1, n0), symbol_matrix("b1", n1, 1)
        self.W2, self.b2 = symbol_matrix("W2", n2, n1), symbol_matrix("b2", n2, 1)
        self.g1, self.g2 = sp.Function("g1", real=True), sp.Function("g2", real=True)
        self.C = sp.Function("C", real=True)
        # The values the names stand for, at the current point of the network.
        self.nabla_C = symbol_matrix("dC/da2", n2, 1)   # dC/da^{[2]}_j
        self.gp1 = symbol_matrix("g1'", n1, 1)           # g1'(z^{[1]}_j)
        self.gp2 = symbol_matrix("g2'", n2, 1)           # g2'(z^{[2]}_j)
        self.a1 = symbol_matrix("a1", n1, 1)             # g1(z^{[1]}_j)
        # z's as independent variables, for delta = dC/dz.
        self.z1, self.z2 = symbol_matrix("z1", n1, 1), symbol_matrix("z2", n2, 1)
        # z's as expressions, for the derivatives with respect to the parameters.
        self.z1_x = self.W1 * self.x + self.b1
        self.z2_x = self.W2 * self.z1_x.applyfunc(self.g1) + self.b2
        self.names = {}
        for z1, z2 in ((self.z1, self.z2), (self.z1, self._z2_of(self.z1)),
                       (self.z1_x, self.z2_x)):
            self._name_at(z1, z2)

    def _z2_of(self, z1):
        return self.W2 * z1.applyfunc(self.g1) + self.b2

    def _name_at(self, z1, z2):
        """Name the partials that appear when C is composed with z2 (and z2 with z1)."""
        self.names.update(partials_at(self.C, list(z2.applyfunc(self.g2)), list(self.nabla_C)))
        for r in range(len(z2)):
            self.names.update(partials_at(self.g2, [z2[r]], [self.gp2[r]]))
        for k in range(len(z1)):
            self.names.update(partials_at(self.g1, [z1[k]], [self.gp1[k]]))
            self.names[self.g1(z1[k])] = self.a1[k]

    def cost(self, z2):
        """C(g2(z2)), the cost as a function of the output pre-activations."""
        return self.C(*z2.applyfunc(self.g2))

    def derivative(self, expr, variables):
        """``d expr / d v`` for every entry v of ``variables``, partials named."""
        return variables.applyfunc(lambda v: named(sp.diff(expr, v), self.names))

    def delta2(self):
        """delta^{[2]} = dC/dz^{[2]}, by sp.diff with z^{[2]} as the variable."""
        return self.derivative(self.cost(self.z2), self.z2)

    def delta1(self):
        """delta^{[1]} = dC/dz^{[1]}, by sp.diff through layer 2."""
        return self.derivative(self.cost(self._z2_of(self.z1)), self.z1)

    def full_cost(self):
        """C as a function of x, W, b: the whole forward pass."""
        return self.cost(self.z2_x)


def _networks():
    return [_Network(*sizes) for sizes in NETWORKS]


# Index-notation display symbols, in the notes' notation.
j, k, r = sp.symbols("j k r", integer=True, positive=True)
k2 = sp.Symbol("k'", integer=True, positive=True)
_n_next = sp.Symbol(r"n^{[l+1]}", integer=True, positive=True)
_n = sp.Symbol(r"n^{[l]}", integer=True, positive=True)
_n_prev = sp.Symbol(r"n^{[l-1]}", integer=True, positive=True)
_GENERAL_RANGES = {_n: (1, 3), _n_prev: (1, 3), j: (1, _n), k: (1, _n_prev)}
_C = sp.Symbol("C")
_delta_L = sp.IndexedBase(r"\delta^{[L]}")
_delta = sp.IndexedBase(r"\delta^{[l]}")
_delta_next = sp.IndexedBase(r"\delta^{[l+1]}")
_z = sp.IndexedBase(r"z^{[l]}")
_z_L = sp.IndexedBase(r"z^{[L]}")
_z_next = sp.IndexedBase(r"z^{[l+1]}")
_a = sp.IndexedBase(r"a^{[l]}")
_a_L = sp.IndexedBase(r"a^{[L]}")
_a_prev = sp.IndexedBase(r"a^{[l-1]}")
_w = sp.IndexedBase(r"w^{[l]}")
_w_next = sp.IndexedBase(r"w^{[l+1]}")
_b = sp.IndexedBase(r"b^{[l]}")
_b_next = sp.IndexedBase(r"b^{[l+1]}")
g = sp.Function("g", real=True)


def _partial(numerator, denominator) -> sp.Symbol:
    """Display symbol d(numerator)/d(denominator) (see layer._partial for why)."""
    return sp.Symbol(r"\frac{\partial %s}{\partial %s}" % (to_latex(numerator),
                                                          to_latex(denominator)))


def _gprime(z_entry) -> sp.Symbol:
    return sp.Symbol(r"g'(%s)" % to_latex(z_entry))


def _vector(name, rows):
    return sp.MatrixSymbol(name, rows, 1)


_DELTA_DEF = (_delta[j], sp.Derivative(_C, _z[j]))
def _written(*factors):
    """A product printed in the order given."""
    return as_written(sp.Mul(*factors, evaluate=False))


def _plus_bias(total, bias):
    """``total + bias``, printed in that order (the sum first, as the notes write it)."""
    return as_written(sp.Add(total, bias, evaluate=False))


_FORWARD = [
    (_z[j], _plus_bias(sp.Sum(_written(_w[j, k2], _a_prev[k2]),
                              (k2, 1, _n_prev)), _b[j])),
    (_a[j], g(_z[j])),
]
_ONE_EXAMPLE = (r"One example; $C$ is its cost (loss), a differentiable function of the "
                r"output activations $a^{[L]}$ only. Activations act entry by entry. In the "
                r"cross-check $g^{[1]}$, $g^{[2]}$ and $C$ are undefined SymPy functions.")
_NOTATION = (r"Note 004 writes these with $\sigma$ for any activation function and without "
             r"brackets on the layer index; here $g$ and $[l]$, as in note 001.")


def _collapsed_bp1(nL):
    """sum_r dC/da_r da_r/dz_j with a = g(z), by SymPy for any n^[L], in the displayed
    names (dC/da_j, g'(z_j))."""
    dC_da = sp.IndexedBase("dC/da")
    chain = sp.Sum(dC_da[r] * sp.diff(g(_z_L[r]), _z_L[j]), (r, 1, nL))
    collapsed = sp.simplify(written_in_range(chain))
    return collapsed.xreplace({dC_da[j]: _partial(_C, _a_L[j]),
                               sp.Derivative(g(_z_L[j]), _z_L[j]): _gprime(_z_L[j])})


def _collapsed_bp2(z_next, W_next, delta_next, gp):
    """sum_r delta^[l+1]_r dz^[l+1]_r/dz^[l]_j, by SymPy for any sizes; w^[l+1]_{r,j} is
    entry (r, j) of W^[l+1], g'(z_j) entry j of g'(z^[l])."""
    chain = sp.Sum(_delta_next[r] * sp.diff(z_next, _z[j]), (r, 1, _n_next))
    collapsed = sp.simplify(written_in_range(chain))
    W_entry, delta_entry, gp_entry = (sp.IndexedBase(x.name) for x in (W_next, delta_next, gp))
    return collapsed.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == _w_next,
        lambda e: W_entry[e.indices]).replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == _delta_next,
        lambda e: delta_entry[e.indices]).xreplace(
        {sp.Derivative(g(_z[j]), _z[j]): gp_entry[j]})


def backprop_bp1() -> Derivation:
    """BP1: delta^L = grad_a C * g'(z^L)."""
    cases = []
    for net in _networks():
        cases.append((net.delta2(), net.nabla_C.multiply_elementwise(net.gp2)))
    nL = sp.Symbol(r"n^{[L]}", integer=True, positive=True)
    nabla = _vector(r"\nabla_{a} C", nL)
    gp = _vector(r"g'(z^{[L]})", nL)
    return cross_checked(
        name="backprop_bp1",
        title=r"BP1: the error of the output layer",
        source=SOURCE,
        summary=(
            r"The error $\delta^{[L]}_j = \partial C/\partial z^{[L]}_j$ of an output unit is "
            r"the rate of change of the cost with its activation, times the rate of change "
            r"of the activation with its input: $\delta^{[L]} = \nabla_a C \odot g'(z^{[L]})$."
        ),
        definition=[(_delta_L[j], sp.Derivative(_C, _z_L[j])), (_a_L[j], g(_z_L[j]))],
        steps=[
            (_delta_L[j], sp.Sum(_written(_partial(_C, _a_L[r]), _partial(_a_L[r], _z_L[j])),
                                 (r, 1, nL)),
             r"chain rule through every output activation $a^{[L]}_r$"),
            (sp.Derivative(_a_L[r], _z_L[j]), sp.diff(g(_z_L[r]), _z_L[j]),
             r"the activation acts entry by entry: zero unless $r = j$"),
            (_delta_L[j], _written(_partial(_C, _a_L[j]), _gprime(_z_L[j])),
             r"the Kronecker delta keeps $r = j$"),
        ],
        result=(_delta_L[j], _written(_partial(_C, _a_L[j]), _gprime(_z_L[j]))),
        textbook=(_delta_L[j], VectorEntry(sp.HadamardProduct(nabla, gp), j, 0)),
        general=(_collapsed_bp1(nL), {nL: (1, 3), j: (1, nL)}),
        cases=cases,
        checked_on=_CHECKED_ON + r"; delta2 = dC/dz2 differentiated symbolically",
        assumptions=(_ONE_EXAMPLE,),
        remarks=(
            r"Note 004 defines $\delta^l \equiv \delta A^l$; the error is the derivative "
            r"with respect to the pre-activation $z^{[l]}$ (it is $dZ$, one column of it), "
            r"not with respect to the activation $A^{[l]}$. BP1 is the step from one to the "
            r"other.",
            r"Vectorized: $dZ^{[L]} = dA^{[L]} \odot g^{[L]\prime}(Z^{[L]})$ "
            r"(\texttt{layer\_dz}), with column $i$ of $dA^{[L]}$ equal to $\nabla_a C$ of "
            r"example $i$. For sigmoid with cross-entropy, or softmax with cross-entropy, the "
            r"product simplifies to $A^{[L]} - Y$.",
            _NOTATION,
        ),
        extra={"vectorized_as": "layer_dz"},
    )


def backprop_bp2() -> Derivation:
    """BP2: delta^l = (W^{l+1}T delta^{l+1}) * g'(z^l)."""
    cases = []
    for net in _networks():
        textbook = (net.W2.T * net.delta2()).multiply_elementwise(net.gp1)
        cases.append((net.delta1(), textbook))
    z_next = _plus_bias(sp.Sum(_written(_w_next[r, k], g(_z[k])), (k, 1, _n)), _b_next[r])
    dz_next = sp.diff(z_next, _z[j])
    W_next = sp.MatrixSymbol(r"W^{[l+1]}", _n_next, _n)
    delta_next = _vector(r"\delta^{[l+1]}", _n_next)
    gp = _vector(r"g'(z^{[l]})", _n)
    result = _written(sp.Sum(_written(_w_next[r, j], _delta_next[r]), (r, 1, _n_next)),
                      _gprime(_z[j]))
    return cross_checked(
        name="backprop_bp2",
        title=r"BP2: the error of a layer from the error of the next",
        source=SOURCE,
        summary=(
            r"Unit $j$ of layer $l$ reaches the cost only through the pre-activations "
            r"$z^{[l+1]}_r$ of the next layer, each with weight $w^{[l+1]}_{r,j}$. The chain "
            r"rule sums over those paths: $\delta^{[l]} = ((W^{[l+1]})^T \delta^{[l+1]}) "
            r"\odot g'(z^{[l]})$, the error propagated backwards."
        ),
        definition=[_DELTA_DEF, (_z_next[r], z_next)],
        steps=[
            (_delta[j], sp.Sum(_written(_delta_next[r], _partial(_z_next[r], _z[j])),
                               (r, 1, _n_next)),
             r"chain rule through every $z^{[l+1]}_r$, with "
             r"$\partial C/\partial z^{[l+1]}_r = \delta^{[l+1]}_r$"),
            (sp.Derivative(_z_next[r], _z[j]), dz_next,
             r"differentiate $z^{[l+1]}_r$ term by term"),
            (None, _written(_w_next[r, j], _gprime(_z[j])), r"the Kronecker delta keeps $k = j$"),
            (_delta[j], result, r"substitute; $g'(z^{[l]}_j)$ does not depend on $r$"),
            (None, VectorEntry(sp.HadamardProduct(W_next.T * delta_next, gp), j, 0),
             r"$\sum_r w^{[l+1]}_{r,j} \delta^{[l+1]}_r$ is entry $j$ of $(W^{[l+1]})^T \delta^{[l+1]}$"),
        ],
        result=_delta[j],
        textbook=(_delta[j], VectorEntry(sp.HadamardProduct(W_next.T * delta_next, gp), j, 0)),
        general=(_collapsed_bp2(z_next, W_next, delta_next, gp),
                 {_n_next: (1, 3), _n: (1, 3), j: (1, _n)}),
        cases=cases,
        checked_on=_CHECKED_ON + r"; l = 1, delta1 = dC/dz1 of C(g2(W2 g1(z1) + b2)) differentiated symbolically",
        assumptions=(_ONE_EXAMPLE,),
        remarks=(
            r"Note 001 writes $dZ^{[l-1]} = W^{[l]T} dZ^{[l]} * g'^{[l-1]}(Z^{[l]})$; the "
            r"derivative of the activation belongs to layer $l-1$ and is evaluated at "
            r"$Z^{[l-1]}$, as BP2 says.",
            r"Note 002 writes $\delta^{(l)} = ((W^{(l)})^T \delta^{(l+1)}) \cdot f'(z^{(l)})$: "
            r"the same equation, because there $W^{(l)}$ is the matrix from layer $l$ to "
            r"layer $l+1$ (our $W^{[l+1]}$).",
            r"Vectorized: $dA^{[l]} = W^{[l+1]T} dZ^{[l+1]}$ (\texttt{layer\_da\_prev}) and "
            r"then $dZ^{[l]} = dA^{[l]} \odot g^{[l]\prime}(Z^{[l]})$ (\texttt{layer\_dz}); "
            r"column $i$ of $dZ^{[l]}$ is $\delta^{[l]}$ of example $i$.",
            _NOTATION,
        ),
        extra={"vectorized_as": ("layer_da_prev", "layer_dz")},
    )


def backprop_bp3() -> Derivation:
    """BP3: dC/db^l_j = delta^l_j."""
    cases = []
    for net in _networks():
        C = net.full_cost()
        derived = sp.Matrix.vstack(net.derivative(C, net.b1), net.derivative(C, net.b2))
        cases.append((derived, sp.Matrix.vstack(net.delta1(), net.delta2())))
    dz_db = sp.diff(_FORWARD[0][1].subs(j, r), _b[j])
    lhs = _partial(_C, _b[j])
    return cross_checked(
        name="backprop_bp3",
        title=r"BP3: the derivative with respect to a bias",
        source=SOURCE,
        summary=(
            r"The bias $b^{[l]}_j$ enters the cost only through $z^{[l]}_j$, with local "
            r"derivative $1$, so $\partial C/\partial b^{[l]}_j$ is the error "
            r"$\delta^{[l]}_j$ itself."
        ),
        definition=[_DELTA_DEF] + _FORWARD,
        steps=[
            (lhs, sp.Sum(_written(_delta[r], _partial(_z[r], _b[j])), (r, 1, _n)),
             r"chain rule through every $z^{[l]}_r$"),
            (sp.Derivative(_z[r], _b[j]), dz_db, r"differentiate $z^{[l]}_r$: only $b^{[l]}_r$ depends on $b^{[l]}_j$"),
            (lhs, _delta[j], r"the Kronecker delta keeps $r = j$"),
        ],
        result=(lhs, _delta[j]),
        textbook=(lhs, _delta[j]),
        general=(sp.Sum(_delta[r] * sp.diff(_FORWARD[0][1].subs(j, r), _b[j]), (r, 1, _n)),
                 _GENERAL_RANGES),
        cases=cases,
        checked_on=(_CHECKED_ON + r"; dC/db of the composed network for both layers, "
                    r"against delta = dC/dz differentiated symbolically"),
        assumptions=(_ONE_EXAMPLE,),
        remarks=(
            r"Vectorized: averaged over the examples, $db^{[l]} = \frac{1}{m}\sum_i "
            r"\delta^{[l](i)}$; in NumPy \texttt{np.sum(dZ, axis=1, keepdims=True) / m} "
            r"(\texttt{layer\_db}).",
            r"Note 001 labels $db^{[l]}$ as $\partial\mathcal{L}/\partial W^{[l]}$; it is the "
            r"derivative with respect to $b^{[l]}$.",
            r"Note 002 writes $\partial J/\partial b^{(l)}_i = \delta^{(l+1)}_i$: the same, "
            r"with its layer numbering ($b^{(l)}$ feeds layer $l+1$).",
        ),
        extra={"vectorized_as": "layer_db"},
    )


def backprop_bp4() -> Derivation:
    """BP4: dC/dw^l_jk = a^{l-1}_k delta^l_j."""
    cases = []
    for net in _networks():
        C = net.full_cost()
        derived = sp.Matrix.vstack(_flat(net.derivative(C, net.W1)), _flat(net.derivative(C, net.W2)))
        textbook = sp.Matrix.vstack(_flat(net.delta1() * net.x.T), _flat(net.delta2() * net.a1.T))
        cases.append((derived, textbook))
    dz_dw = sp.diff(_FORWARD[0][1].subs(j, r), _w[j, k])
    lhs = _partial(_C, _w[j, k])
    return cross_checked(
        name="backprop_bp4",
        title=r"BP4: the derivative with respect to a weight",
        source=SOURCE,
        summary=(
            r"The weight $w^{[l]}_{j,k}$ multiplies the incoming activation $a^{[l-1]}_k$ in "
            r"$z^{[l]}_j$, so $\partial C/\partial w^{[l]}_{j,k} = a^{[l-1]}_k \delta^{[l]}_j$: "
            r"input activation times output error. As a matrix, "
            r"$\partial C/\partial W^{[l]} = \delta^{[l]} (a^{[l-1]})^T$."
        ),
        definition=[_DELTA_DEF] + _FORWARD,
        steps=[
            (lhs, sp.Sum(_written(_delta[r], _partial(_z[r], _w[j, k])), (r, 1, _n)),
             r"chain rule through every $z^{[l]}_r$"),
            (sp.Derivative(_z[r], _w[j, k]), dz_dw,
             r"differentiate $z^{[l]}_r$ term by term"),
            (None, keep_in_range(dz_dw.doit()), r"the Kronecker delta in $k'$ keeps $k' = k$"),
            (lhs, _written(_delta[j], _a_prev[k]), r"the Kronecker delta in $r$ keeps $r = j$"),
        ],
        result=(lhs, _written(_delta[j], _a_prev[k])),
        textbook=(lhs, _written(_a_prev[k], _delta[j])),
        general=(sp.Sum(_delta[r] * sp.diff(_FORWARD[0][1].subs(j, r), _w[j, k]), (r, 1, _n)),
                 _GENERAL_RANGES),
        cases=cases,
        checked_on=(_CHECKED_ON + r"; dC/dW of the composed network for both layers, "
                    r"against delta times a_prev transposed"),
        assumptions=(_ONE_EXAMPLE,),
        remarks=(
            r"Note 002 writes the vectorized form as $\partial J/\partial W^{(l)} = "
            r"h^{(l)} \delta^{(l+1)}$: the product of two columns is not defined, and the "
            r"order is reversed. It is $\delta^{(l+1)} (h^{(l)})^T$, of shape "
            r"$(s_{l+1}, s_l)$ like $W^{(l)}$, which is what its own shape line computes.",
            r"Vectorized: averaged over the examples, $dW^{[l]} = \frac{1}{m}\sum_i "
            r"\delta^{[l](i)} a^{[l-1](i)T} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}$ "
            r"(\texttt{layer\_dw}).",
        ),
        extra={"vectorized_as": "layer_dw"},
    )


def _flat(matrix):
    return matrix.reshape(len(matrix), 1)


def build():
    return [backprop_bp1(), backprop_bp2(), backprop_bp3(), backprop_bp4()]
