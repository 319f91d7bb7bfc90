"""13. Numerically stable forms, each proved equal to the naive form the notes use.

In each derivation the *textbook* side is the naive formula and the *result* is the
stable form that the generated NumPy code evaluates. The stable forms are branch-free:
they use ``logaddexp(u, v) = log(e^u + e^v)``, which NumPy evaluates as
``max(u, v) + log1p(exp(-|u - v|))`` and which therefore never overflows. The
log-softmax is proved for any number of classes K (a sum of symbolic length).
"""

from __future__ import annotations

import sympy as sp

from ..latex import as_written
from ..record import Equation, derivation, prove
from ..symbols import K as CLASSES  # the symbolic number of classes, for display
from ..symbols import MaxOver, logaddexp, sigma, y, z

SOURCE = (
    r"not in the notes; note 001's vectorized cost evaluates "
    r"\texttt{np.log(A)} and \texttt{np.log(1 - A)}, which the stable forms replace"
)

_U = sp.UnevaluatedExpr  # keeps a form on display that SymPy would rewrite at once
loss = sp.Function(r"\mathcal{L}")  # the per-example loss, as in losses.py
u, v = sp.symbols("u v", real=True)
LOGADDEXP_DEFINITION = (logaddexp(u, v), sp.log(sp.exp(u) + sp.exp(v)))


def _by_sign_of_z(difference):
    """Simplify ``difference`` for z > 0, z < 0 and z = 0 separately.

    On each side of 0, ``Max(z, 0)`` and ``Abs(z)`` evaluate to one branch once z
    carries the sign as an assumption; z = 0 is substituted exactly. Returns the three
    simplified differences, all of which must be 0.
    """
    cases = (sp.Symbol("z", positive=True), sp.Symbol("z", negative=True), sp.Integer(0))
    return sp.Matrix([sp.simplify(sp.expand_log(difference.subs(z, case), force=True))
                      for case in cases])


_BY_SIGN_OF_Z = (
    "simplify(expand_log(result - textbook)) = 0 for z > 0, z < 0 and z = 0 separately",
    _by_sign_of_z,
)


def sigmoid_stable():
    """sigma(z) = exp(-logaddexp(0, -z)): no overflow for any float z."""
    naive = 1 / (1 + sp.exp(-z))
    log_term = sp.log(1 + sp.exp(-z))
    return derivation(
        name="sigmoid_stable",
        title=r"A sigmoid that never overflows",
        source=SOURCE,
        summary=(
            r"Evaluated as written, $1/(1 + e^{-z})$ overflows in $e^{-z}$ for large negative "
            r"$z$. Rewritten as the exponential of a logarithm, $\sigma(z) = "
            r"\exp(-\operatorname{LSE}(0, -z))$ with the log-sum-exp "
            r"$\operatorname{LSE}(u, v) = \log(e^u + e^v)$ (NumPy's \texttt{logaddexp}), it "
            r"exponentiates only non-positive numbers. Textbook side: the naive form; "
            r"result: the stable form."
        ),
        definition=[(sigma(z), naive), LOGADDEXP_DEFINITION],
        steps=[
            (sigma(z), sp.exp(_U(-log_term)),
             r"$x = e^{\log x}$ for $x > 0$, and $\log \frac{1}{x} = -\log x$"),
            (None, sp.exp(-logaddexp(0, -z)), r"$1 = e^{0}$, so $1 + e^{-z} = e^{0} + e^{-z}$"),
        ],
        result=(sigma(z), sp.exp(-logaddexp(0, -z))),
        textbook=(sigma(z), naive),
        method="simplify",
        ranges={z: (-30, 30)},
        remarks=(
            r"$\operatorname{LSE}(0, -z) \ge \max(0, -z) \ge 0$, so the exponential "
            r"is at most $1$ and cannot overflow; for $z \to -\infty$ it tends to $e^{z}$, "
            r"which underflows gracefully to $0$.",
            r"For large positive $z$ NumPy's \texttt{logaddexp} computes $e^{-z}$, which "
            r"underflows to $0$: the correctly rounded answer. Underflow is the only "
            r"floating-point flag these forms raise.",
        ),
    )


def bce_from_logits():
    """-(y log sigma(z) + (1 - y) log(1 - sigma(z))) = logaddexp(0, z) - z y."""
    naive = -(y * sp.log(sigma(z)) + (1 - y) * sp.log(1 - sigma(z)))
    soft = sp.log(1 + sp.exp(-z))  # log(1 + e^{-z}) = -log sigma(z)
    max_form = sp.Max(z, 0) - z * y + sp.log(1 + sp.exp(-sp.Abs(z)))
    # The max/abs form (TensorFlow's) is the same function; proved branch by branch.
    max_form_proof = prove(max_form, naive, _BY_SIGN_OF_Z, {z: (-8, 8), y: (0, 1)})
    return derivation(
        name="bce_from_logits",
        title=r"Binary cross-entropy computed from the logit",
        source=SOURCE,
        summary=(
            r"The cross-entropy of a sigmoid output, written in terms of the pre-activation "
            r"$z$ instead of $a = \sigma(z)$, is $\operatorname{LSE}(0, z) - zy$, with the "
            r"log-sum-exp $\operatorname{LSE}(u, v) = \log(e^u + e^v)$. It "
            r"stays finite where $a$ rounds to $0$ or $1$ and $\log a$ or $\log(1 - a)$ "
            r"would be $-\infty$. Textbook side: the naive form; result: the stable form."
        ),
        definition=[
            (loss(sigma(z), y), naive),
            (sigma(z), 1 / (1 + sp.exp(-z))),
            LOGADDEXP_DEFINITION,
        ],
        steps=[
            (loss(sigma(z), y), y * soft + (1 - y) * _U(z + soft),
             r"$\log \sigma(z) = -\log(1 + e^{-z})$ and "
             r"$\log(1 - \sigma(z)) = \log \frac{e^{-z}}{1 + e^{-z}} = -z - \log(1 + e^{-z})$"),
            (None, _U(z + soft) - z * y, r"collect the terms in $y$"),
            (None, sp.log(1 + sp.exp(z)) - z * y,
             r"$z + \log(1 + e^{-z}) = \log(e^{z}(1 + e^{-z})) = \log(1 + e^{z})$"),
            (None, logaddexp(0, z) - z * y, r"$1 = e^{0}$"),
        ],
        result=(loss(sigma(z), y), logaddexp(0, z) - z * y),
        textbook=(loss(sigma(z), y), naive),
        method="expand_log",
        # |z| <= 8: at 30 digits, 1 - sigma(z) loses about |z|/2.3 digits to cancellation.
        ranges={z: (-8, 8), y: (0, 1)},
        remarks=(
            r"An equivalent form with explicit branches is "
            r"$\max(z, 0) - zy + \log(1 + e^{-|z|})$ (proved the same way, branch by "
            r"branch); the generated code uses the branch-free "
            r"$\operatorname{LSE}(0, z) - zy$, which NumPy's \texttt{logaddexp} evaluates "
            r"in the same way.",
            r"The derivative of the stable form is $\sigma(z) - y$, as for the naive form: "
            r"they are the same function.",
            r"The stable form subtracts numbers of size $|z|$, so its absolute error is about "
            r"$\epsilon |z|$ (machine epsilon $\epsilon$): a confident, correct prediction "
            r"whose loss is below that, e.g. $10^{-22}$ at $z = 50$, $y = 1$, evaluates to "
            r"$0$. The naive form is worse there: $\sigma(z)$ rounds to $1$ and "
            r"$\log(1 - \sigma(z))$ is $-\infty$.",
        ),
        extra={"max_form": max_form, "max_form_proof": max_form_proof},
    )


def _softmax_symbols():
    """The logits z_j, the indices i and j, and the shift c of both softmax forms."""
    zb = sp.IndexedBase("z", real=True)
    i, j = sp.symbols("i j", positive=True, integer=True)
    c = sp.Symbol("c", real=True)
    return zb, i, j, c


def _shift_choice():
    """c = max_j z_j: the shift the generated code takes (any c is proved; this one
    exponentiates no positive number and takes no log of 0). Code generation reads it
    from the derivations' ``extra["choice"]``."""
    zb, i, j, c = _softmax_symbols()
    return Equation(c, MaxOver(zb[j], (j, 1, CLASSES)))


def _shifted_log(zb, i, j, c):
    """(z_i - c) - log sum_j e^{z_j - c}, as written."""
    exp_sum = sp.Sum(sp.exp(zb[j] - c), (j, 1, CLASSES))
    return as_written(sp.Add(as_written(sp.Add(zb[i], -c, evaluate=False)),
                             -sp.log(exp_sum), evaluate=False))


_PROOF_BY_LOGS = ("simplify(expand_log(simplify(expand(result - textbook)), force=True)) = 0",
                  lambda d: sp.simplify(sp.expand_log(sp.simplify(sp.expand(d)), force=True)))


def log_softmax_stable():
    """log p_i = (z_i - c) - log sum_j e^{z_j - c} for any c and any K; c = max_j z_j is safe."""
    zb, i, j, c = _softmax_symbols()
    exp_sum = lambda shift: sp.Sum(sp.exp(zb[j] - shift), (j, 1, CLASSES))  # noqa: E731
    p_i = sp.IndexedBase("p")[i]
    stable = _shifted_log(zb, i, j, c)
    naive = sp.log(sp.exp(zb[i]) / exp_sum(0))
    # Cross-checks: K = 3 explicit logits with c free (symbolic), and c = max_j z_j
    # (numerically: Max does not simplify symbolically).
    K = 3
    zs = list(sp.symbols(f"z_1:{K + 1}", real=True))
    shifted_total = sp.Add(*(sp.exp(q - c) for q in zs))
    naive_K = sp.Matrix([sp.log(sp.exp(q) / sp.Add(*(sp.exp(r) for r in zs))) for q in zs])
    stable_K = sp.Matrix([(q - c) - sp.log(shifted_total) for q in zs])
    explicit = prove(stable_K, naive_K, "expand_log", {q: (-30, 30) for q in zs} | {c: (-30, 30)},
                     points=4)
    with_max = prove(stable_K.subs(c, sp.Max(*zs)), naive_K, "numeric", {q: (-30, 30) for q in zs})
    return derivation(
        name="log_softmax_stable",
        title=r"Log-softmax with the maximum shifted out",
        source=SOURCE + r"; note 004, SoftMax",
        summary=(
            r"Subtracting any constant $c$ from every logit leaves the softmax unchanged. "
            r"With $c = \max_j z_j$ no exponent is positive, so $\log p_i = (z_i - c) - "
            r"\log \sum_j e^{z_j - c}$ neither overflows nor takes the log of $0$. "
            r"Textbook side: the naive form; result: the shifted form."
        ),
        definition=[(p_i, sp.exp(zb[i]) / exp_sum(0))],
        steps=[
            (sp.log(p_i), zb[i] - sp.log(exp_sum(0)), r"log of a quotient"),
            (None, zb[i] - sp.log(_U(sp.exp(c)) * exp_sum(c)),
             r"factor $e^{c}$ out of every term: $e^{z_j} = e^{c} e^{z_j - c}$"),
            (None, stable, r"log of a product; $\log e^{c} = c$"),
        ],
        result=sp.log(p_i),
        textbook=(sp.log(p_i), naive),
        method=_PROOF_BY_LOGS,
        ranges={zb: (-30, 30), c: (-30, 30), CLASSES: (1, 5), i: (1, CLASSES)},
        assumptions=(r"$c$ is any real number; the code takes $c = \max_j z_j$. "
                     r"$1 \le i \le K$, for any number of classes $K$.",),
        remarks=(
            r"With $c = \max_j z_j$ every exponent $z_j - c$ is at most $0$, so no "
            r"exponential overflows, and the term with $z_j = c$ is $e^{0} = 1$, so the sum "
            r"is at least $1$ and its logarithm is finite: no $\log 0$.",
            r"The proof keeps $c$ a free symbol, so it covers every shift.",
            r"\emph{Cross-check.} For $K = 3$ explicit logits the shifted and the naive "
            r"vectors agree symbolically (\texttt{expand\_log}), and with $c = \max_j z_j$ "
            r"numerically"
            + ("." if explicit.holds and with_max.holds
               else r"; \emph{they do not}: the cross-check fails."),
            r"The softmax itself is shifted in the same way (next derivation), and the "
            r"cross-entropy is $-\sum_k y_k \log p_k$ with the shifted $\log p_k$.",
        ),
        extra={"proof_with_c_max": with_max, "explicit_cross_check": explicit, "K": K,
               "choice": _shift_choice()},
    )


def softmax_stable():
    """p_i = e^{z_i - c} / sum_j e^{z_j - c} for any c and any K: the softmax the code
    evaluates, with c = max_j z_j (no overflow, no 0/0)."""
    zb, i, j, c = _softmax_symbols()
    exp_sum = lambda shift: sp.Sum(sp.exp(zb[j] - shift), (j, 1, CLASSES))  # noqa: E731
    p_i = sp.IndexedBase("p")[i]
    definition_ = sp.exp(zb[i]) / exp_sum(0)
    stable = sp.exp(zb[i] - c) / exp_sum(c)
    return derivation(
        name="softmax_stable",
        title=r"Softmax with the maximum shifted out",
        source=SOURCE + r"; note 004, SoftMax",
        summary=(
            r"Evaluated as written, $e^{z_i} / \sum_j e^{z_j}$ overflows for a logit above "
            r"about $709$ and gives $0/0$ when every logit is below about $-745$. Shifted by "
            r"$c = \max_j z_j$, every exponent is at most $0$ and the sum is at least $1$. "
            r"Textbook side: the definition; result: the shifted form."
        ),
        definition=[(p_i, definition_)],
        steps=[
            (p_i, sp.Mul(sp.Mul(_U(sp.exp(c)), sp.exp(zb[i] - c), evaluate=False),
                         sp.Pow(sp.Mul(_U(sp.exp(c)), exp_sum(c), evaluate=False), -1,
                                evaluate=False), evaluate=False),
             r"$e^{u} = e^{c} e^{u - c}$ in the numerator and in every term of the sum"),
            (None, stable, r"cancel $e^{c} \ne 0$"),
        ],
        result=p_i,
        textbook=(p_i, definition_),
        method=_PROOF_BY_LOGS,
        ranges={zb: (-30, 30), c: (-30, 30), CLASSES: (1, 5), i: (1, CLASSES)},
        assumptions=(r"$c$ is any real number; the code takes $c = \max_j z_j$. "
                     r"$1 \le i \le K$, for any number of classes $K$.",),
        remarks=(r"The proof keeps $c$ a free symbol, so it covers every shift; "
                 r"$c = \max_j z_j$ makes every exponent $z_j - c \le 0$ and the sum "
                 r"$\ge 1$ (its term $j = \arg\max$ is $e^{0}$), so the generated softmax "
                 r"neither overflows nor divides by $0$.",),
        extra={"choice": _shift_choice()},
    )


def build():
    return [sigmoid_stable(), bce_from_logits(), log_softmax_stable(), softmax_stable()]
