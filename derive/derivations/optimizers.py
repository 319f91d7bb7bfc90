"""11, 12. Gradient descent, its 1-D example, Momentum, RMSprop and Adam.

Every optimizer here updates one parameter array elementwise, so its rule is derived
for a scalar ``W`` and applied to every entry of ``W^{[l]}`` and ``b^{[l]}`` alike.
``extra["update"]`` of each update rule is what code generation reads: plain real
symbols named as in the code (``W, dW, v, s, t, learning_rate, beta, beta1, beta2,
epsilon``) and one expression per output (``W_new``, then the new moments).
"""

from __future__ import annotations

import sympy as sp

from ..latex import as_written, to_latex
from ..record import Derivation, Equation, Step, derivation, prove

SOURCE_GD = "note 001, General Gradient Descent Rule; note 002, Gradient descent"
SOURCE_GD_EXAMPLE = "note 002, Gradient descent (example, $f'(x) = 4x^3 - 9x^2$)"
SOURCE_OPT = "note 004, Optimizers"

# Hyperparameter ranges of the spot checks: the ones used in practice.
BETA_RANGE = (0.5, 0.999)
RATE_RANGE = (1e-4, 1.0)
EPS_RANGE = (1e-8, 1e-2)
STEPS_RANGE = (1, 50)
EXPLICIT_STEPS = 5  # the EMA unrollings are expanded for t = 1..EXPLICIT_STEPS
SHOWN_STEPS = 3     # ... and displayed for t = 1..SHOWN_STEPS

# Code-generation symbols: plain, real, named as the arguments of the generated code.
W, dW, v, s = sp.symbols("W dW v s", real=True)
learning_rate, beta, beta1, beta2, epsilon = sp.symbols(
    "learning_rate beta beta1 beta2 epsilon", real=True)
t = sp.Symbol("t", positive=True, integer=True)  # step count, already incremented: t >= 1
eps_root = sp.Symbol("eps_root", real=True)  # optax's epsilon inside the root, >= 0

# Display symbols, in the notes' notation.
alpha_ = sp.Symbol(r"\alpha", positive=True)
beta_ = sp.Symbol(r"\beta", positive=True)
beta1_ = sp.Symbol(r"\beta_1", positive=True)
beta2_ = sp.Symbol(r"\beta_2", positive=True)
eps_ = sp.Symbol(r"\epsilon", positive=True)
i_ = sp.Symbol("i", positive=True, integer=True)


def _indexed(moment: str, index) -> sp.Symbol:
    """A moment at one step: ``V_{dW}`` at step ``t`` is ``V_{dW,t}``."""
    return sp.Symbol(f"{moment[:-1]},{index}}}")


def _update(arguments, outputs, names):
    return {"arguments": tuple(arguments), "outputs": tuple(outputs),
            "output_names": tuple(names)}


# --------------------------------------------------------------------------- 11


def gradient_descent_update():
    theta = sp.Symbol("theta", real=True)
    theta_new = sp.Symbol(r"\theta_{\mathrm{new}}", real=True)
    dtheta = sp.Symbol(r"d\theta", real=True)
    J = sp.Function("J")
    M = sp.Function("M")
    # The gradient step is the minimizer of the first-order model of J around theta,
    # plus a proximity term that says how far the model is trusted (step size alpha).
    model = J(theta) + dtheta * (theta_new - theta) + (theta_new - theta) ** 2 / (2 * alpha_)
    slope = sp.diff(model, theta_new)
    (solution,) = sp.solveset(slope, theta_new, sp.S.Reals)
    curvature = sp.diff(model, theta_new, 2)
    if not curvature.is_positive:
        raise ArithmeticError("the local model must be convex in theta_new")
    # Descent: d/d(alpha) of J(theta - alpha dtheta) at alpha = 0.
    h = sp.Symbol("h", nonnegative=True)
    first_order = sp.diff(J(theta - h * dtheta), h).subs(h, 0).doit()
    first_order = first_order.subs(sp.Derivative(J(theta), theta), dtheta)

    W_l, dW_l = sp.Symbol(r"W^{[l]}", real=True), sp.Symbol(r"dW^{[l]}", real=True)
    b_l, db_l = sp.Symbol(r"b^{[l]}", real=True), sp.Symbol(r"db^{[l]}", real=True)
    return derivation(
        name="gradient_descent_update",
        title="The gradient descent update",
        source=SOURCE_GD,
        summary=(
            r"Gradient descent moves each parameter a step of size $\alpha$ against the "
            r"gradient of the cost. The step is the minimizer of the cost's tangent-line "
            r"model around $\theta$ with a quadratic penalty $\frac{1}{2\alpha}"
            r"(\theta_{\mathrm{new}} - \theta)^2$ on moving far from where the model holds."
        ),
        definition=[
            (dtheta, sp.Derivative(J(theta), theta)),
            (M(theta_new), model),
            (sp.Symbol(r"W^{[l]}_{\mathrm{new}}"), W_l - alpha_ * dW_l),
            (sp.Symbol(r"b^{[l]}_{\mathrm{new}}"), b_l - alpha_ * db_l),
        ],
        steps=[
            (sp.Derivative(M(theta_new), theta_new), slope,
             r"power rule on the quadratic model"),
            (sp.Derivative(M(theta_new), (theta_new, 2)), curvature,
             r"second derivative $1/\alpha > 0$: the model is convex, so its stationary "
             r"point is its minimum"),
            (sp.Derivative(J(theta - h * dtheta), h).subs(h, 0), first_order,
             r"chain rule at step size $0$: the cost falls at rate $(d\theta)^2 \ge 0$, "
             r"so a small enough step decreases $J$ unless $d\theta = 0$"),
            (theta_new, solution,
             r"first-order condition $\partial M / \partial \theta_{\mathrm{new}} = 0$, "
             r"solved: the minimizer of the model"),
        ],
        result=theta_new,
        textbook=(theta_new, theta - alpha_ * dtheta),
        method="simplify",
        ranges={alpha_: RATE_RANGE},
        assumptions=(
            r"$\alpha > 0$. The rule is applied to every entry of every $W^{[l]}$ and "
            r"$b^{[l]}$ at once, with $dW^{[l]} = \partial J / \partial W^{[l]}$ "
            r"computed before any parameter changes.",
        ),
        remarks=(
            r"Note 002 writes the neural-network update as $w_{ij}^{(l)} = w_{ij}^{(l)} - "
            r"\partial \frac{\partial}{\partial w_{ij}^{(l)}} J_{total}$: the first "
            r"$\partial$ stands where the step size $\alpha$ belongs (its own general rule "
            r"a few lines above, $w_{new} = w_{old} - \alpha \nabla error$, has it right).",
            r"The descent guarantee is first order only: $J(\theta - \alpha\, d\theta) = "
            r"J(\theta) - \alpha (d\theta)^2 + O(\alpha^2)$; a large $\alpha$ can "
            r"increase the cost (see the 1-D example, whose first step jumps from $6$ to "
            r"$0.6$).",
        ),
        extra={
            "update": _update((W, dW, learning_rate), (W - learning_rate * dW,),
                              ("W_new",)),
        },
    )


def _first_nonzero_derivative(f, x, point, max_order=8):
    """(order, value) of the first derivative of order >= 2 that is nonzero at point."""
    for order in range(2, max_order + 1):
        value = sp.diff(f, x, order).subs(x, point)
        if value != 0:
            return order, value
    raise ArithmeticError(f"all derivatives up to order {max_order} vanish at {point}")


def gd_example_stationary_points():
    x = sp.Symbol("x", real=True)
    C = sp.Symbol("C", real=True)
    fprime = 4 * x ** 3 - 9 * x ** 2
    f_x = sp.integrate(fprime, x) + C
    stationary = sorted(sp.solveset(fprime, x, sp.S.Reals), key=float)
    fpp = sp.diff(f_x, x, 2)
    kinds = {}
    for p in stationary:
        order, value = _first_nonzero_derivative(f_x, x, p)
        if order % 2:
            kinds[p] = "inflection"
        else:
            kinds[p] = "minimum" if value > 0 else "maximum"
    minima = [p for p in stationary if kinds[p] == "minimum"]
    # f is a quartic with positive leading coefficient, so it is bounded below and its
    # smallest local minimum is the global one.
    global_min = min(minima, key=lambda p: f_x.subs(x, p))

    f = sp.Function("f")
    return derivation(
        name="gd_example_stationary_points",
        title=r"The notes' 1-D example: stationary points of $f$",
        source=SOURCE_GD_EXAMPLE,
        summary=(
            r"The example runs gradient descent on $f'(x) = 4x^3 - 9x^2$. Integrating "
            r"gives $f(x) = x^4 - 3x^3 + C$; of its two stationary points, $9/4$ is the "
            r"minimum and $0$ is a flat inflection point, not an extremum."
        ),
        definition=[(sp.Derivative(f(x), x), fprime)],
        steps=[
            (f(x), as_written(sp.Add(sp.Integral(fprime, x), C, evaluate=False)),
             r"antiderivative of $f'$, up to a constant $C$"),
            (None, as_written(sp.Add(*sp.Poly(f_x - C, x).as_expr().as_ordered_terms(), C,
                                     evaluate=False)),
             r"power rule $\int x^n\,dx = \frac{x^{n+1}}{n+1}$, term by term"),
            (sp.Derivative(f(x), x), sp.factor(fprime), r"common factor $x^2$"),
            (sp.Symbol(r"\{x : f'(x) = 0\}"), sp.FiniteSet(*stationary),
             r"a product vanishes where a factor does: $x^2 = 0$ or $4x - 9 = 0$"),
            (sp.Derivative(f(x), (x, 2)), fpp, r"power rule, twice"),
            (sp.Symbol(r"f''(9/4)"), fpp.subs(x, sp.Rational(9, 4)),
             r"second derivative test: $f'' > 0$, so $9/4$ is a local minimum"),
            (sp.Symbol(r"f''(0)"), fpp.subs(x, 0),
             r"the second derivative test is inconclusive at $0$"),
            (sp.Symbol(r"f'''(0)"), sp.diff(f_x, x, 3).subs(x, 0),
             r"higher-order test: the first nonzero derivative at $0$ has odd order "
             r"$3$, so $0$ is an inflection point; indeed $f' = x^2(4x - 9) < 0$ on "
             r"both sides of $0$"),
            (sp.Symbol(r"f(9/4)"), f_x.subs(x, global_min),
             r"the value at the only local minimum"),
            (sp.Symbol(r"\operatorname{arg\,min}_x f(x)"), global_min,
             r"$f \to +\infty$ as $|x| \to \infty$ and $9/4$ is the only local "
             r"minimum, so it is the global one"),
        ],
        result=sp.Symbol(r"\operatorname{arg\,min}_x f(x)"),
        textbook=(sp.Symbol(r"\operatorname{arg\,min}_x f(x)"), sp.Rational(9, 4)),
        method="simplify",
        assumptions=(r"$x$ real; the constant $C$ of integration moves no stationary point.",),
        remarks=(
            r"Note 002 calls $4x^3 - 9x^2$ the ``original function after gradient'': it "
            r"is the derivative $f'$; the function minimized is $f(x) = x^4 - 3x^3 + C$.",
            r"Gradient descent stops wherever $f' = 0$, and $f'(0) = 0$ too: started at "
            r"$x = 0$ it never moves, and from $x < 0$ it creeps towards $0$, not $9/4$.",
        ),
        extra={
            "f": f_x.subs(C, 0),
            "stationary_points": tuple(stationary),
            "classification": kinds,
            "minimum_value": f_x.subs({x: global_min, C: 0}),
        },
    )


def run_notes_loop(x_new=6.0, gamma=0.01, precision=0.00001, x_old=0.0, max_iter=100_000):
    """The loop of note 002, in float arithmetic. Returns every iterate, x_0 first."""
    def df(x):
        return 4 * x ** 3 - 9 * x ** 2

    iterates = [x_new]
    while abs(x_new - x_old) > precision and len(iterates) <= max_iter:
        x_old = x_new
        x_new += -gamma * df(x_old)
        iterates.append(x_new)
    return iterates


def gd_example_convergence():
    x = sp.Symbol("x", real=True)
    gamma = sp.Rational(1, 100)
    precision = sp.Rational(1, 100_000)
    fprime = 4 * x ** 3 - 9 * x ** 2
    g = x - gamma * fprime  # one pass of the loop body, in exact arithmetic

    iterates = run_notes_loop(6.0, 0.01, 0.00001)
    n_iter = len(iterates) - 1
    x_final = iterates[-1]

    # A trapping interval around 9/4 on which g is a contraction.
    I = sp.Interval(2, sp.Rational(5, 2))
    dg = sp.diff(g, x)
    # g'' = -gamma f''' is linear in x and negative on I, so g' is decreasing there
    # and takes its extremes at the ends of I.
    d2g = sp.diff(g, x, 2)
    if not (sp.degree(d2g, x) <= 1 and d2g.subs(x, I.start) < 0 and d2g.subs(x, I.end) < 0):
        raise ArithmeticError("g' must be monotone on I")
    dg_min, dg_max = dg.subs(x, I.end), dg.subs(x, I.start)
    q = max(abs(dg_min), abs(dg_max))
    if not (q < 1 and dg_min > 0):
        raise ArithmeticError("g must be an increasing contraction on I")
    g_ends = (g.subs(x, I.start), g.subs(x, I.end))
    if not all(e in I for e in g_ends):
        raise ArithmeticError("g must map I into itself")
    k_enter = next(k for k, xk in enumerate(iterates) if sp.Rational(xk) in I)
    fixed = sp.solveset(sp.Eq(g, x), x, I)
    (limit,) = fixed
    step = abs(sp.Rational(iterates[-1]) - sp.Rational(iterates[-2]))
    bound = q / (1 - q) * step
    error = abs(sp.Rational(x_final) - limit)

    lim = sp.Symbol(r"\lim_{n \to \infty} x_n")
    gamma_ = sp.Symbol(r"\gamma", positive=True)
    xn, xn1 = sp.Symbol("x_n"), sp.Symbol("x_{n+1}")
    return derivation(
        name="gd_example_convergence",
        title=r"The notes' gradient descent loop converges to $9/4$",
        source=SOURCE_GD_EXAMPLE,
        summary=(
            r"The loop of note 002 (start $6$, step $\gamma = 0.01$, stop when an update "
            r"moves $x$ by at most $10^{-5}$) is the iteration $x_{n+1} = g(x_n)$. It "
            rf"enters $[2, 5/2]$ after {k_enter} updates; there $g$ is a contraction "
            r"whose only fixed point is the minimum $9/4$."
        ),
        definition=[(xn1, xn - gamma_ * fprime.subs(x, xn)), (gamma_, gamma),
                    (sp.Symbol("g(x)"), x - gamma_ * fprime), (sp.Symbol("x_0"), 6)],
        steps=[
            (sp.Symbol(r"\{x : g(x) = x\}"), sp.FiniteSet(*sorted(sp.solveset(sp.Eq(g, x), x,
                                                                      sp.S.Reals), key=float)),
             r"fixed points of $g$: $\gamma f'(x) = 0$, the stationary points of $f$"),
            (sp.Symbol("g'(x)"), sp.expand(dg), r"power rule"),
            (sp.Symbol(r"g'(9/4)"), dg.subs(x, sp.Rational(9, 4)),
             r"$|g'| < 1$ at $9/4$: an attracting fixed point ($g'(0) = 1$: $0$ is not)"),
            (sp.Symbol(r"\max_{[2, 5/2]} |g'|"), q,
             r"$g'$ is monotone on $[2, 5/2]$ ($g'' = -\gamma f''' < 0$ there), so its "
             r"extremes are at the ends; $0 < g' < 1$"),
            (sp.Symbol(r"g(\{2, 5/2\})"), sp.FiniteSet(*g_ends),
             r"$g$ is increasing, so $g([2, 5/2]) = [g(2), g(5/2)] \subset [2, 5/2]$"),
            (sp.Symbol(rf"x_{{{k_enter}}}"), sp.Float(iterates[k_enter], 15),
             rf"the loop in float arithmetic: $x_1 = 0.6$, then {k_enter - 1} updates "
             r"climb to the interval"),
            (sp.Symbol(r"\operatorname{Fix}(g) \cap [2, 5/2]"), fixed,
             r"contraction mapping theorem: the iterates from $x_k$ converge to the unique "
             r"fixed point in the interval"),
            (sp.Symbol(rf"|x_{{{n_iter}}} - 9/4|"), sp.Float(error, 4),
             rf"the loop stops after {n_iter} updates, at a point within "
             r"$\frac{q}{1-q}|x_n - x_{n-1}|$ of the limit "
             rf"(here ${sp.latex(sp.Float(bound, 3))}$)"),
            (lim, limit, r"the limit of the iterates is the fixed point in the interval "
                         r"(contraction mapping theorem, above)"),
        ],
        result=lim,
        textbook=(lim, sp.Rational(9, 4)),
        method=(
            r"contraction on $[2, 5/2]$ ($0 < g' \le 22/25$, $g([2, 5/2]) \subset "
            r"[2, 5/2]$), then simplify(result - textbook) = 0",
            sp.simplify,
        ),
        assumptions=(
            r"The loop runs in IEEE double precision, as in the notes; the convergence "
            r"argument is for exact arithmetic from $x_k$, which rounding perturbs by "
            r"about $10^{-16}$ per step.",
            r"The start point matters: $6 > 9/4$ lands at $0.6$, between the stationary "
            r"points. Started at $x = 0$ the loop never moves ($f'(0) = 0$), and it stops "
            r"at once, reporting the inflection point $0$ as the minimum.",
        ),
        remarks=(
            rf"The stopping rule bounds the last step, not the error: the loop stops "
            rf"${sp.latex(sp.Float(error, 3))}$ from $9/4$, about "
            rf"{float(error / precision):.1f} times the requested precision $10^{{-5}}$, "
            r"because near $9/4$ each step shrinks by the factor $g'(9/4) = 0.7975$ only. "
            r"Stopping when $\frac{q}{1-q}|x_n - x_{n-1}| \le 10^{-5}$ would guarantee it.",
            r"Starting at $x_0 = 7$ (or $6.5$) the first step overshoots past $0$ "
            r"($x_1 = -2.31$); from there the iterates creep towards the inflection point "
            r"$0$ with ever smaller steps, and the loop stops near $-0.0105$, reporting a "
            r"``local minimum'' where there is none.",
        ),
        extra={
            "iterations": n_iter,
            "x_final": x_final,
            "error": float(error),
            "error_bound": float(bound),
            "enters_interval_at": k_enter,
            "contraction_factor": q,
        },
    )


# --------------------------------------------------------------------------- 12


def _ema_unrolled(name, b, grads, power):
    """Expand S_t = b S_{t-1} + (1 - b) dW_t^power from S_0 = 0, for t = 1..len(grads).

    Returns the displayed steps (t = 1..SHOWN_STEPS, the recurrence substituted, and
    the last one collected) and the list of S_t as the recurrence builds them.
    """
    previous = sp.Integer(0)
    steps, values = [], []
    for k, g in enumerate(grads, start=1):
        current = b * previous + (1 - b) * g ** power
        values.append(current)
        if k <= SHOWN_STEPS:
            label = _indexed(name, k)
            caption = (r"recurrence with $" + to_latex(_indexed(name, k - 1)) + r" = 0$"
                       if k == 1 else
                       r"recurrence, $" + to_latex(_indexed(name, k - 1)) + r"$ substituted")
            shown = current if k == 1 else sp.Add(
                sp.Mul(b, previous, evaluate=False),
                sp.Mul(1 - b, g ** power, evaluate=False), evaluate=False)
            steps.append((label, shown, caption))
        previous = current
    T = SHOWN_STEPS
    inner = [grads[T - 1] ** power] + [sp.Mul(b ** (T - k), grads[k - 1] ** power,
                                              evaluate=False) for k in range(T - 1, 0, -1)]
    collected = sp.Mul(1 - b, as_written(sp.Add(*inner, evaluate=False)), evaluate=False)
    if sp.expand(collected - values[T - 1]) != 0:
        raise ArithmeticError("the collected form of the unrolled recurrence is wrong")
    steps.append((None, collected, r"multiply out, and factor out $1 - \beta$"))
    return steps, values


def _ema_closed_form(b, grads, power, T):
    # The sum written out term by term (Sum.doit would do the same, ten times slower).
    return (1 - b) * sp.Add(*[b ** (T - k) * grads[k - 1] ** power for k in range(1, T + 1)])


def _combine_sums(expr):
    """Move constant factors into their sums, add sums with equal limits, expand.

    A cheap special case of simplify's sum_combine: enough for the induction step.
    """
    groups, rest = {}, []
    for term in sp.Add.make_args(expr):
        factor, body = term.as_independent(sp.Sum)
        if isinstance(body, sp.Sum):
            groups.setdefault(body.limits, []).append(factor * body.function)
        else:
            rest.append(term)
    sums = [sp.Sum(sp.expand(sp.powsimp(sp.expand(sp.Add(*fs)))), *lim).doit()
            for lim, fs in groups.items()]
    return sp.expand(sp.Add(*sums, *rest))


def _ema_induction(b, power):
    """The induction step of the closed form, checked by SymPy. Returns the step."""
    T = sp.Symbol("t", positive=True, integer=True)
    dW_ = sp.IndexedBase("dW")

    def closed(upper):
        return (1 - b) * sp.Sum(b ** (upper - i_) * dW_[i_] ** power, (i_, 1, upper))

    substituted = b * closed(T - 1) + (1 - b) * dW_[T] ** power
    peeled = (1 - b) * (sp.Sum(b ** (T - i_) * dW_[i_] ** power, (i_, 1, T - 1))
                        + dW_[T] ** power)
    if _combine_sums(sp.expand(substituted - peeled)) != 0:
        raise ArithmeticError("induction step of the EMA closed form fails")
    return substituted, closed(T)


def _ema_textbook(name, b, power):
    """(1-b)(dW_t + b dW_{t-1} + b^2 dW_{t-2} + ... + b^{t-1} dW_1), for display."""
    def grad(index):
        return sp.Symbol(f"dW_{{{index}}}", real=True) ** power

    terms = [grad("t"), sp.Mul(b, grad("t-1"), evaluate=False),
             sp.Mul(b ** 2, grad("t-2"), evaluate=False), sp.Symbol(r"\cdots"),
             sp.Mul(b ** (sp.Symbol("t") - 1), grad(1), evaluate=False)]
    return sp.Mul(1 - b, as_written(sp.Add(*terms, evaluate=False)), evaluate=False)


def _ema(name, power, *, opt_name, title, summary, extra_definitions, assumptions,
         remarks, extra):
    grads = sp.symbols(" ".join(f"dW_{k}" for k in range(1, EXPLICIT_STEPS + 1)),
                       real=True)
    steps, values = _ema_unrolled(name, beta_, grads, power)
    closed_forms = [_ema_closed_form(beta_, grads, power, k)
                    for k in range(1, EXPLICIT_STEPS + 1)]
    substituted, closed = _ema_induction(beta_, power)
    general = _indexed(name, "t")
    steps.append((general, substituted,
                  r"general $t$: the recurrence applied to the closed form at $t - 1$"))
    steps.append((None, closed,
                  r"$\beta \cdot \beta^{t-1-i} = \beta^{t-i}$, and the last term is the "
                  r"$i = t$ term of the sum (induction step, checked symbolically)"))
    g_t = sp.Symbol("dW_t", real=True)
    # The closed form holds for all t by the induction step (checked when building);
    # the proof also compares recurrence and closed form for t = 1..EXPLICIT_STEPS.
    proof = prove(sp.Matrix(values), sp.Matrix(closed_forms),
                  (f"expand(recurrence unrolled - closed form) = 0 for t = 1, ..., "
                   f"{EXPLICIT_STEPS}; the induction step shown covers every t",
                   lambda d: d.applyfunc(sp.expand)),
                  {beta_: BETA_RANGE})
    return Derivation(
        name=opt_name,
        title=title,
        source=SOURCE_OPT,
        summary=summary,
        definition=(Equation(_indexed(name, 0), sp.Integer(0)),
                    Equation(general, as_written(sp.Add(
                        sp.Mul(beta_, _indexed(name, "t-1"), evaluate=False),
                        sp.Mul(1 - beta_, g_t ** power, evaluate=False), evaluate=False))),
                    *(Equation(*e) for e in extra_definitions)),
        steps=tuple(Step(*st) for st in steps),
        result=Equation(general, closed),
        textbook=Equation(general, _ema_textbook(name, beta_, power)),
        proof=proof,
        assumptions=tuple(assumptions),
        remarks=tuple(remarks),
        extra={**extra, "explicit": (sp.Matrix(values), sp.Matrix(closed_forms))},
    )


def momentum_ema():
    V_t, W_t, W_prev = _indexed(r"V_{dW}", "t"), sp.Symbol("W_t"), sp.Symbol("W_{t-1}")
    v_new = beta * v + (1 - beta) * dW
    return _ema(
        r"V_{dW}", 1,
        opt_name="momentum_ema",
        title=r"Momentum: $V_{dW}$ is an exponential moving average of the gradients",
        summary=(
            r"Momentum steps along $V_{dW}$, a running average of past gradients instead "
            r"of the latest one. Unrolling its recurrence from $V_{dW,0} = 0$ gives "
            r"$V_{dW,t} = (1-\beta)\sum_{i=1}^{t}\beta^{t-i}\,dW_i$: weights that decay "
            r"geometrically with age, an exponential moving average."
        ),
        extra_definitions=[(W_t, sp.Add(W_prev, -sp.Mul(alpha_, V_t, evaluate=False),
                                         evaluate=False))],
        assumptions=(
            r"$0 < \beta < 1$; $V_{dW}$ starts at $0$ and has the shape of $W$. The same "
            r"rule, with its own $V_{db}$, updates $b$.",
        ),
        remarks=(
            r"The closed form is checked for $t = 1, \dots, 5$ by expanding the "
            r"recurrence (shown above for $t \le 3$), and for all $t$ by the induction "
            r"step shown.",
            r"The weights $(1-\beta)\beta^{t-i}$ sum to $1 - \beta^t$, not $1$ (see "
            r"\texttt{adam\_bias\_correction}): early averages are biased towards $0$, which "
            r"momentum leaves uncorrected.",
            r"Libraries differ: PyTorch's SGD and optax's sgd accumulate $V = \beta V + "
            r"dW$ without the factor $1 - \beta$, which scales $V$ by $1/(1-\beta)$ in "
            r"the long run; the learning rate absorbs the difference.",
        ),
        extra={
            "update": _update((W, dW, v, learning_rate, beta),
                              (W - learning_rate * v_new, v_new), ("W_new", "v_new")),
        },
    )


def rmsprop_ema():
    S_t, W_t, W_prev = _indexed(r"S_{dW}", "t"), sp.Symbol("W_t"), sp.Symbol("W_{t-1}")
    g_t = sp.Symbol("dW_t", real=True)
    s_new = beta * s + (1 - beta) * dW ** 2
    return _ema(
        r"S_{dW}", 2,
        opt_name="rmsprop_ema",
        title=r"RMSprop: $S_{dW}$ is an exponential moving average of squared gradients",
        summary=(
            r"RMSprop divides each gradient entry by the root of $S_{dW}$, a running "
            r"average of that entry's squared gradients, so that steep and flat "
            r"directions take steps of similar size. $S_{dW}$ unrolls to "
            r"$(1-\beta)\sum_{i=1}^{t}\beta^{t-i}\,dW_i^2$."
        ),
        extra_definitions=[(W_t, W_prev - alpha_ * g_t / (sp.sqrt(S_t) + eps_))],
        assumptions=(
            r"$0 < \beta < 1$, $\epsilon > 0$; $S_{dW}$ starts at $0$, has the shape of "
            r"$W$, and squares and roots act elementwise.",
        ),
        remarks=(
            r"Note 004 adds $\epsilon$ outside the square root, $\sqrt{S_{dW}} + "
            r"\epsilon$, as does the Adam paper and PyTorch's RMSprop; other libraries "
            r"put it inside, $\sqrt{S_{dW} + \epsilon}$ (optax's rmsprop by default, "
            r"eps\_in\_sqrt=True; TensorFlow 1's RMSPropOptimizer). With the same "
            r"$\epsilon$ they floor the denominator at different levels, $\epsilon$ "
            r"outside against $\sqrt{\epsilon}$ inside; they agree where "
            r"$S_{dW} \gg \epsilon$.",
            r"$S_{dW}$ is not bias-corrected: the first step is "
            r"$\alpha\, dW_1 / (\sqrt{1-\beta}\,|dW_1| + \epsilon)$, about "
            r"$1/\sqrt{1-\beta}$ times larger than later steps of the same gradient.",
        ),
        extra={
            "update": _update((W, dW, s, learning_rate, beta, epsilon),
                              (W - learning_rate * dW / (sp.sqrt(s_new) + epsilon), s_new),
                              ("W_new", "s_new")),
        },
    )


def adam_bias_correction():
    T = sp.Symbol("t", positive=True, integer=True)
    g = sp.Symbol("g", real=True)
    w = sp.Function("w")
    weights = (1 - beta_) * beta_ ** (T - i_)
    by_sum = sp.summation(weights, (i_, 1, T))
    by_rsolve = sp.rsolve(w(T) - beta_ * w(T - 1) - (1 - beta_), w(T), {w(0): 0})
    if sp.simplify(by_sum - by_rsolve) != 0:
        raise ArithmeticError("the geometric sum and the recurrence disagree")
    V_const = g * by_sum  # a constant gradient factors out of the sum
    corrected = sp.simplify(V_const / by_sum)
    V_t = sp.Symbol(r"V_{dW,t}")
    V_corr = sp.Symbol(r"V_{dW,t}^{\mathrm{corrected}}")
    total = sp.Sum(weights, (i_, 1, T))
    dW_i = sp.IndexedBase("dW", real=True)[i_]
    unrolled = (1 - beta_) * sp.Sum(beta_ ** (T - i_) * dW_i, (i_, 1, T))
    general = as_written(sp.Mul((1 - beta_) / (1 - beta_ ** T),
                                sp.Sum(beta_ ** (T - i_) * dW_i, (i_, 1, T)), evaluate=False))
    # The textbook reading: a weighted average whose weights sum to one.
    averaged = sp.Sum((1 - beta_) * beta_ ** (T - i_) / (1 - beta_ ** T) * dW_i, (i_, 1, T))
    constant_case = prove(corrected, g, "simplify", {beta_: BETA_RANGE, T: STEPS_RANGE})
    return derivation(
        name="adam_bias_correction",
        title=r"Adam's bias correction $1/(1-\beta^t)$",
        source=SOURCE_OPT + ", Adam, 2. Correcting exponentially weighted averages",
        summary=(
            r"An exponential moving average started at $0$ gives its $t$ terms weights "
            r"that sum to $1 - \beta^t$, not $1$, so early averages are too small. "
            r"Dividing by $1 - \beta^t$ makes the weights sum to one: the corrected "
            r"average is a true weighted average of the gradients, and the average of a "
            r"constant gradient is that gradient at every step."
        ),
        definition=[
            (sp.Symbol(r"V_{dW,0}"), 0),
            (V_t, beta_ * sp.Symbol(r"V_{dW,t-1}") + (1 - beta_) * sp.Symbol("dW_t")),
            (V_corr, V_t / (1 - beta_ ** T)),
        ],
        steps=[
            (V_t, unrolled,
             r"the recurrence unrolled: the closed form of the exponentially weighted "
             r"average, proved by induction in the Momentum section"),
            (total, by_sum, r"the weights sum as a geometric series, "
                            r"$\sum_{j=0}^{t-1}\beta^j = \frac{1-\beta^t}{1-\beta}$"),
            (sp.Symbol("w_t"), by_rsolve,
             r"the same total from its recurrence $w_t = \beta w_{t-1} + (1-\beta)$, "
             r"$w_0 = 0$, solved"),
            (V_corr, general,
             r"definition of the correction: dividing by $1 - \beta^t$ makes the weights "
             r"sum to one"),
        ],
        result=V_corr,
        textbook=(V_corr, averaged),
        method="simplify",
        # the spot check writes the sum out term by term: up to 12 steps keeps it quick
        ranges={beta_: BETA_RANGE, T: (1, 12)},
        assumptions=(
            r"$0 < \beta < 1$ and $t \ge 1$ counts updates from $1$ (note 004: ``$t$ is "
            r"the umpteenth update''), so $1 - \beta^t > 0$.",
        ),
        remarks=(
            r"\emph{Cross-check.} For a constant gradient $dW_i = g$ the sum is "
            r"$g(1 - \beta^t)$ and the corrected average is exactly $g$ at every step "
            r"(\texttt{simplify} of the difference is $0$"
            + (")." if constant_case.holds else r"; \emph{it is not})."),
            r"The same holds for $S_{dW}$ with $\beta_2$ and $dW^2$. Since $\beta^t \to "
            r"0$, the correction fades: with $\beta_2 = 0.999$ it still scales $S_{dW}$ "
            r"by $1/(1 - 0.999^{1000}) \approx 1.58$ after $1000$ steps.",
            r"Plain momentum and RMSprop in note 004 skip the correction; only Adam "
            r"applies it.",
            r"The sum of the weights, $1 - \beta^t$, is proved the same way "
            r"(\texttt{simplify} of the geometric sum minus $1 - \beta^t$, and a spot check).",
        ),
        extra={"weights_sum": by_sum,
               "weights_sum_proof": prove(by_sum, 1 - beta_ ** T, "simplify",
                                          {beta_: BETA_RANGE, T: STEPS_RANGE}),
               "constant_gradient": corrected, "constant_gradient_proof": constant_case},
    )


def adam_update():
    T = sp.Symbol("t", positive=True, integer=True)
    V_t = sp.Symbol(r"V_{dW,t}", real=True)
    S_t = sp.Symbol(r"S_{dW,t}")  # >= 0; no assumption, so that sqrt(S_t / c2) stays whole
    V_c = sp.Symbol(r"V_{dW,t}^{\mathrm{corrected}}", real=True)
    S_c = sp.Symbol(r"S_{dW,t}^{\mathrm{corrected}}")
    W_t, W_prev, g_t = sp.Symbol("W_t"), sp.Symbol("W_{t-1}"), sp.Symbol("dW_t", real=True)
    c1, c2 = 1 - beta1_ ** T, 1 - beta2_ ** T

    notes_form = W_prev - alpha_ * (V_t / c1) / as_written(
        sp.Add(sp.sqrt(S_t / c2), eps_, evaluate=False))
    # Multiply numerator and denominator by sqrt(1 - beta_2^t) > 0: the step size and
    # epsilon absorb the corrections, as in Kingma & Ba (2015), end of section 2.
    alpha_t = sp.Symbol(r"\alpha_t", positive=True)
    eps_hat = sp.Symbol(r"\hat{\epsilon}", positive=True)
    efficient = W_prev - alpha_t * V_t / (sp.sqrt(S_t) + eps_hat)
    efficient_full = efficient.subs({alpha_t: alpha_ * sp.sqrt(c2) / c1,
                                     eps_hat: eps_ * sp.sqrt(c2)})

    # First step from V_0 = S_0 = 0.
    g1, W0, W1 = sp.Symbol("dW_1", real=True), sp.Symbol("W_0"), sp.Symbol("W_1")
    first = (W0 - alpha_ * ((1 - beta1_) * g1 / (1 - beta1_))
             / (sp.sqrt((1 - beta2_) * g1 ** 2 / (1 - beta2_)) + eps_))

    # The proof needs 1 - beta_2^t > 0 and S >= 0: name them c > 0 and S' >= 0, so that
    # sqrt(S/c) = sqrt(S)/sqrt(c).
    c = sp.Symbol("c", positive=True)
    S_nonneg = sp.Symbol("S", nonnegative=True)

    def transform(difference):
        return sp.simplify(difference.subs({beta2_ ** T: 1 - c, S_t: S_nonneg}))

    v_new = beta1 * v + (1 - beta1) * dW
    s_new = beta2 * s + (1 - beta2) * dW ** 2

    # The rule in the code's names, as a function of the new moments V, S and the
    # eps_root r (optax.adam's eps_root adds a second epsilon inside the root; some
    # course material puts its epsilon there: sqrt(s_hat + eps_root) + epsilon).
    def notes_code(V, S, r=0):
        return W - learning_rate * (V / (1 - beta1 ** t)) / (
            sp.sqrt(S / (1 - beta2 ** t) + r) + epsilon)

    # The efficient form (the steps above; with eps_root, the root times sqrt(c2) is
    # sqrt(S + r c2)): the corrections are scalars folded into the step size and
    # epsilon, so the in-place fast path makes one pass over the arrays fewer
    # (numeric/_generated.py, adam_update_inplace: 12 instead of 13).
    def efficient_code(V, S, r=0):
        root_c2 = sp.sqrt(1 - beta2 ** t)
        return W - (learning_rate * root_c2 / (1 - beta1 ** t)) * V / (
            sp.sqrt(S + r * (1 - beta2 ** t)) + epsilon * root_c2)

    W_new = notes_code(v_new, s_new)
    W_new_root = notes_code(v_new, s_new, eps_root)
    V_sym, S_sym = sp.Symbol("V", real=True), sp.Symbol("S", nonnegative=True)
    r_sym, c_sym = sp.Symbol("r", nonnegative=True), sp.Symbol("c", positive=True)
    code_method = (r"simplify(efficient - notes' form) = 0, with $1 - \beta_2^t = c > 0$, "
                   r"the new $S \ge 0$ and eps\_root $\ge 0$",
                   lambda d: sp.simplify(d.subs(beta2 ** t, 1 - c_sym)))
    code_ranges = {learning_rate: RATE_RANGE, beta1: BETA_RANGE, beta2: BETA_RANGE,
                   epsilon: EPS_RANGE, t: STEPS_RANGE, S_sym: (0, 3), r_sym: (0, 1e-3)}
    inplace_proofs = {
        key: prove(efficient_code(V_sym, S_sym, r), notes_code(V_sym, S_sym, r), code_method,
                   code_ranges)
        for key, r in (("update_inplace", 0), ("update_eps_root_inplace", r_sym))}
    return derivation(
        name="adam_update",
        title="The Adam update",
        source=SOURCE_OPT + ", Adam",
        summary=(
            r"Adam keeps both averages, $V_{dW}$ of the gradients (momentum) and "
            r"$S_{dW}$ of their squares (RMSprop), corrects both for their start at $0$, "
            r"and steps along $V_{dW}$ scaled entrywise by the root of $S_{dW}$. The "
            r"corrections fold into a step size $\alpha_t$ and an $\hat\epsilon$."
        ),
        definition=[
            (V_t, beta1_ * sp.Symbol(r"V_{dW,t-1}") + (1 - beta1_) * g_t),
            (S_t, beta2_ * sp.Symbol(r"S_{dW,t-1}") + (1 - beta2_) * g_t ** 2),
            (V_c, V_t / c1),
            (S_c, S_t / c2),
            (W_t, W_prev - alpha_ * V_c / (sp.sqrt(S_c) + eps_)),
            (alpha_t, alpha_ * sp.sqrt(c2) / c1),
            (eps_hat, eps_ * sp.sqrt(c2)),
        ],
        steps=[
            (W_t, notes_form, r"the corrected moments substituted"),
            (None, efficient_full,
             r"numerator and denominator times $\sqrt{1 - \beta_2^t} > 0$"),
            (None, efficient, r"with $\alpha_t = \alpha\sqrt{1-\beta_2^t}/(1-\beta_1^t)$ "
                              r"and $\hat\epsilon = \epsilon\sqrt{1-\beta_2^t}$"),
        ],
        result=W_t,
        textbook=(W_t, notes_form),
        # alpha_t and epsilon-hat are names for the corrected step size and epsilon
        expand=lambda e: sp.sympify(e).subs({alpha_t: alpha_ * sp.sqrt(c2) / c1,
                                             eps_hat: eps_ * sp.sqrt(c2)}),
        method=(r"simplify(result - textbook) = 0, with $1 - \beta_2^t = c > 0$ and "
                r"$S_{dW,t} \ge 0$", transform),
        ranges={alpha_: RATE_RANGE, beta1_: BETA_RANGE, beta2_: BETA_RANGE,
                eps_: EPS_RANGE, T: STEPS_RANGE, S_t: (0, 3)},
        assumptions=(
            r"$0 < \beta_1, \beta_2 < 1$, $\epsilon > 0$, $t \ge 1$ is the number of "
            r"updates including this one; $V_{dW}$ and $S_{dW}$ start at $0$; all "
            r"operations act elementwise. The same rule, with $V_{db}$, $S_{db}$, "
            r"updates $b$.",
        ),
        remarks=(
            r"$\epsilon$ sits outside the square root, as in note 004, the Adam paper and "
            r"optax.adam (whose eps\_root, inside the root, defaults to $0$). The efficient "
            r"form is exact only with $\hat\epsilon = \epsilon\sqrt{1-\beta_2^t}$; "
            r"implementations of the efficient form that take the user's $\epsilon$ as "
            r"$\hat\epsilon$ (TensorFlow 1's AdamOptimizer documents exactly that) "
            r"compute a slightly different update: in the notes' form, "
            r"$\epsilon/\sqrt{1-\beta_2^t}$ in place of $\epsilon$, larger in early "
            r"steps.",
            r"The first step ($t = 1$, from $V_{dW,0} = S_{dW,0} = 0$) has corrected moments "
            r"exactly $dW_1$ and $dW_1^2$: $W_1 = %s$. Its size "
            r"$\alpha |dW_1| / (|dW_1| + \epsilon) \approx \alpha$ is the same in every "
            r"entry whatever the scale of the gradient: $\alpha$ bounds the step."
            % to_latex(first),
        ),
        extra={
            "update": _update(
                (W, dW, v, s, t, learning_rate, beta1, beta2, epsilon),
                (W_new, v_new, s_new), ("W_new", "v_new", "s_new")),
            "update_eps_root": _update(
                (W, dW, v, s, t, learning_rate, beta1, beta2, epsilon, eps_root),
                (W_new_root, v_new, s_new), ("W_new", "v_new", "s_new")),
            # What the in-place fast path evaluates: the efficient forms, proved equal
            # to the two above (inplace_proofs).
            "update_inplace": _update(
                (W, dW, v, s, t, learning_rate, beta1, beta2, epsilon),
                (efficient_code(v_new, s_new), v_new, s_new), ("W_new", "v_new", "s_new")),
            "update_eps_root_inplace": _update(
                (W, dW, v, s, t, learning_rate, beta1, beta2, epsilon, eps_root),
                (efficient_code(v_new, s_new, eps_root), v_new, s_new),
                ("W_new", "v_new", "s_new")),
            "inplace_proofs": inplace_proofs,
            "defaults": {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
        },
    )


def build():
    return [
        gradient_descent_update(),
        gd_example_stationary_points(),
        gd_example_convergence(),
        momentum_ema(),
        rmsprop_ema(),
        adam_bias_correction(),
        adam_update(),
    ]
