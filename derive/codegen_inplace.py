"""In-place variants of the generated functions, for the training loop's fast path.

The pure functions of ``numeric/_generated.py`` return fresh arrays: right for a public
API, costly in a loop (every temporary of a 256 x 784 product is a new allocation). For
each spec this module emits ``NAME_into(args..., out, work)``: the same expression,
evaluated node by node with NumPy's ``out=`` into ``out`` and into scratch arrays that
``work`` (a :class:`numeric.workspace.Workspace`) keeps between calls.

Optimizer updates get ``NAME_inplace(args..., work)``, which writes each new value
over the argument it replaces (``W``, ``v``, ``s``); the emitter checks that no later
statement reads an argument after it was overwritten.

Scalar subexpressions (``1 - beta1**t``) are computed once in Python; only array
operations touch the arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from .codegen_nodes import ELEMENTWISE, ScalarArg
from .codegen_printer import ArrayPrinter, _number_and_array, col_max, col_sum, row_sum

__all__ = ["InplaceEmitter", "emit_into", "emit_inplace", "into_lines"]

_UFUNC1 = ELEMENTWISE  # one table for both back-ends (derive.codegen_nodes)


@dataclass
class _State:
    arrays: set                      # names of array-valued symbols in scope
    lines: list = field(default_factory=list)
    n_temps: int = 0
    live: set = field(default_factory=set)      # temps holding a value still to be read
    free: dict = field(default_factory=dict)    # kind -> temps free for reuse
    kinds: dict = field(default_factory=dict)   # temp -> its shape class


class ScalarPrinter(ArrayPrinter):
    """The printer of the scalar subexpressions (``1 - beta2**t`` and its root): a
    square root as ``math.sqrt``, a Python float, where ``numpy.sqrt`` would give a
    float64 array scalar, which NumPy 2 does not demote: a float32 array times it would
    be computed in float64 (slower, and a different rounding)."""

    def _print_Pow(self, expr, rational=False):
        if expr.exp == sp.S.Half:
            return f"math.sqrt({self._print(expr.base)})"
        if expr.exp == -sp.S.Half:
            return f"1/math.sqrt({self._print(expr.base)})"
        return super()._print_Pow(expr, rational=rational)


class InplaceEmitter:
    """Emits statements computing a SymPy expression into a destination buffer."""

    def __init__(self, fname: str, shape_of_out: str, dtype_of_out: str, arrays):
        self.fname = fname
        self.shape = shape_of_out
        self.dtype = dtype_of_out
        self.state = _State(arrays=set(arrays))
        self.printer = ScalarPrinter()

    # -- helpers ------------------------------------------------------------------------
    def _is_array(self, expr) -> bool:
        if isinstance(expr, sp.MatrixExpr):
            return True
        return any(s.name in self.state.arrays for s in expr.free_symbols
                   if isinstance(s, (sp.Symbol, sp.MatrixSymbol)))

    def _scalar(self, expr) -> str:
        return self.printer.doprint(expr)

    def _temp(self, kind: str = "full") -> str:
        # A temp whose value was consumed is reused: a smaller working set stays in cache.
        free = self.state.free.setdefault(kind, [])
        if free:
            name = free.pop()
            self.state.live.add(name)
            return name
        self.state.n_temps += 1
        name = f"t{self.state.n_temps}"
        self.state.live.add(name)
        self.state.kinds[name] = kind
        shape = {"full": self.shape, "col": f"(1, {self.shape}[1])",
                 "row": f"({self.shape}[0], 1)"}[kind]
        self.state.lines.append(f'{name} = work.get("{self.fname}.{name}", {shape}, {self.dtype})')
        return name

    def _emit(self, line: str):
        self.state.lines.append(line)

    def _consume(self, line: str, *names) -> None:
        """Emit ``line``, after which the temps among ``names`` hold nothing still needed."""
        self._emit(line)
        for n in names:
            if n in self.state.live:
                self.state.live.discard(n)
                self.state.free.setdefault(self.state.kinds[n], []).append(n)

    def _reads(self, expr, name: str) -> bool:
        return any(getattr(s, "name", None) == name for s in expr.free_symbols)

    # -- the recursion ------------------------------------------------------------------
    def value(self, expr) -> str:
        """A name (or scalar expression) holding ``expr``; computes into a temp if needed."""
        if not self._is_array(expr):
            return self._scalar(expr)
        if isinstance(expr, (sp.Symbol, sp.MatrixSymbol)):
            return expr.name
        if isinstance(expr, sp.Transpose) and isinstance(expr.arg, sp.MatrixSymbol):
            return f"{expr.arg.name}.T"
        if self._broadcast(expr):
            _, factors = expr.as_coeff_matrices()
            return self.value(factors[0])  # b @ ones(1, m): NumPy broadcasts b itself
        dest = self._temp(self._kind(expr))
        self.into(expr, dest)
        return dest

    def _kind(self, expr) -> str:
        """The shape class of an array node: ``full`` (n, m), ``col`` (1, m), ``row`` (n, 1)."""
        if isinstance(expr, (col_max, col_sum)):
            return "col"
        if isinstance(expr, row_sum) or self._is_row_sum(expr):
            return "row"
        if isinstance(expr, sp.Symbol):
            return self.state.kinds.get(expr.name, "full")  # a cse symbol knows its kind
        if isinstance(expr, sp.MatrixExpr):
            return "full"
        kinds = {self._kind(a) for a in expr.args if self._is_array(a)}
        return kinds.pop() if len(kinds) == 1 else "full"

    @staticmethod
    def _is_row_sum(expr) -> bool:
        if isinstance(expr, sp.MatMul):
            _, factors = expr.as_coeff_matrices()
            return bool(factors) and isinstance(factors[-1], sp.OneMatrix) and factors[-1].shape[1] == 1
        return False

    def into(self, expr, dest: str) -> None:
        """Statements that leave ``expr`` in the buffer ``dest``."""
        if not self._is_array(expr):
            self._emit(f"{dest}[...] = {self._scalar(expr)}")
            return
        if isinstance(expr, (sp.Symbol, sp.MatrixSymbol)):
            if expr.name != dest:
                self._emit(f"numpy.copyto({dest}, {expr.name})")
            return
        # MatMul is a subclass of Mul (and MatAdd of Add): test the matrix forms first.
        if isinstance(expr, sp.MatMul):
            return self._matmul(expr, dest)
        if isinstance(expr, (sp.Add, sp.MatAdd)):
            return self._nary(expr.args, dest, "add", identity_scalar=0)
        if isinstance(expr, sp.HadamardProduct):
            return self._nary(expr.args, dest, "multiply", identity_scalar=1)
        if isinstance(expr, sp.Mul):
            return self._mul(expr, dest)
        if isinstance(expr, sp.Pow):
            return self._pow(expr, dest)
        if isinstance(expr, (col_max, col_sum, row_sum)):
            # The ufunc's reduce itself: numpy.sum/max add a Python wrapper (~2 us a call,
            # a tenth of a small network's step spread over its reductions).
            fn = "maximum" if isinstance(expr, col_max) else "add"
            axis = 1 if isinstance(expr, row_sum) else 0
            x = self.value(expr.args[0])
            self._consume(f"numpy.{fn}.reduce({x}, axis={axis}, keepdims=True, out={dest})", x)
            return
        if isinstance(expr, sp.Heaviside):
            x, h0 = expr.args
            if h0 != 0:
                raise ValueError(f"in-place Heaviside supports the value 0 at 0, not {h0}")
            # greater() into a float buffer: 1.0 where x > 0, else 0.0 (25x faster than heaviside).
            v = self.value(x)
            self._consume(f"numpy.greater({v}, 0, out={dest})", v)
            return
        if isinstance(expr, (sp.Max, sp.Min)) and len(expr.args) == 2:
            ufunc = "maximum" if isinstance(expr, sp.Max) else "minimum"
            a, b = (self.value(arg) for arg in expr.args)
            self._consume(f"numpy.{ufunc}({a}, {b}, out={dest})", a, b)
            return
        if type(expr).__name__ == "logaddexp":
            c, u = _number_and_array(expr)
            if c is not None:
                # The pure printer's vectorized form, max(u, c) + log1p(e^-|u - c|), in the
                # same operations (bit for bit the same result).
                if self._chainable(u, dest):
                    self.into(u, dest)
                    v = dest
                else:
                    v = self.value(u)
                t = self._temp(self._kind(u))
                cs = self._scalar(c)
                if c == 0:
                    self._emit(f"numpy.absolute({v}, out={t})")
                else:
                    self._emit(f"numpy.subtract({v}, {cs}, out={t})")
                    self._emit(f"numpy.absolute({t}, out={t})")
                self._emit(f"numpy.negative({t}, out={t})")
                self._emit(f"numpy.exp({t}, out={t})")
                self._emit(f"numpy.log1p({t}, out={t})")
                # (v is dest itself where u was computed there: dest stays live)
                self._consume(f"numpy.maximum({v}, {cs}, out={dest})", *([v] if v != dest else []))
                self._consume(f"numpy.add({dest}, {t}, out={dest})", t)
                return
            p, q = expr.args
            if self._chainable(p, dest) and not self._is_array(q):
                self.into(p, dest)
                self._emit(f"numpy.logaddexp({dest}, {self._scalar(q)}, out={dest})")
                return
            if self._chainable(q, dest) and not self._is_array(p):
                self.into(q, dest)
                self._emit(f"numpy.logaddexp({self._scalar(p)}, {dest}, out={dest})")
                return
            a, b = (self.value(arg) for arg in expr.args)
            self._consume(f"numpy.logaddexp({a}, {b}, out={dest})", a, b)
            return
        for func, ufunc in _UFUNC1.items():
            if isinstance(expr, func):
                if self._chainable(expr.args[0], dest):
                    self.into(expr.args[0], dest)
                    self._emit(f"numpy.{ufunc}({dest}, out={dest})")
                    return
                x = self.value(expr.args[0])
                self._consume(f"numpy.{ufunc}({x}, out={dest})", x)
                return
        raise ValueError(f"no in-place form for {type(expr).__name__}: {expr}")

    def _order(self, arrays, dest):
        # Operands that read dest's own (argument) buffer go first: they must read it
        # before anything is written there.
        readers = [a for a in arrays if self._reads(a, dest)]
        if len(readers) > 1 or any(not self._first_read_safe(r, dest) for r in readers):
            raise _Unsafe
        return readers + [a for a in arrays if a not in readers]

    def _first_read_safe(self, expr, dest) -> bool:
        if isinstance(expr, (sp.Symbol, sp.MatrixSymbol)):
            return True
        if isinstance(expr, sp.Mul):
            arrays = [a for a in expr.args if self._is_array(a)]
            return len(arrays) == 1 and self._first_read_safe(arrays[0], dest)
        return False

    def _chainable(self, arg, dest) -> bool:
        """A unary step may compute ``arg`` into ``dest`` and then work in place there
        (no temporary): ``arg`` is a computed array, not read from ``dest`` itself, and
        of ``dest``'s shape (a (1, m) reduction is not)."""
        return (self._is_array(arg) and not self._plain(arg) and not self._reads(arg, dest)
                and self._kind(arg) == "full")

    @staticmethod
    def _plain(expr) -> bool:
        return isinstance(expr, (sp.Symbol, sp.MatrixSymbol)) or (
            isinstance(expr, sp.Transpose) and isinstance(expr.arg, sp.MatrixSymbol))

    def _nary(self, args, dest, ufunc, identity_scalar, scalars=()):
        if ufunc == "add" and not scalars:
            # c - x (an Add of a number and -x): one subtract instead of negate-then-add.
            consts = [a for a in args if not self._is_array(a)]
            negs = [a for a in args if self._is_array(a)]
            if len(consts) == 1 and len(negs) == 1 and isinstance(negs[0], sp.Mul) \
                    and negs[0].args[0] == -1 and len(negs[0].args) == 2 \
                    and not self._reads(negs[0], dest):
                x = self.value(negs[0].args[1])
                self._consume(f"numpy.subtract({self._scalar(consts[0])}, {x}, out={dest})", x)
                return
        scalars = list(scalars) + [a for a in args if not self._is_array(a)]
        arrays = [a for a in args if self._is_array(a)]
        # A product first (it needs a buffer anyway); a broadcast column (b) last.
        arrays.sort(key=lambda a: 0 if isinstance(a, sp.MatMul) and not self._broadcast(a) else 1)
        arrays = self._order(arrays, dest)
        s = (sp.Add(*scalars) if ufunc == "add" else sp.Mul(*scalars)) if scalars else None
        if s is not None and s == identity_scalar:
            s = None
        first, rest = arrays[0], list(arrays[1:])
        if self._plain(first) and (rest or s is not None):
            # One ufunc call reads the operand and writes dest: no copy first.
            if rest:
                other = self.value(rest.pop(0))
            else:
                other, s = self._scalar(s), None
            f = self.value(first)
            self._consume(f"numpy.{ufunc}({f}, {other}, out={dest})", f, other)
        else:
            self.into(first, dest)
        for a in rest:
            v = self.value(a)
            self._consume(f"numpy.{ufunc}({dest}, {v}, out={dest})", v)
        if s is not None:
            self._emit(f"numpy.{ufunc}({dest}, {self._scalar(s)}, out={dest})")

    @staticmethod
    def _broadcast(expr) -> bool:
        if isinstance(expr, sp.MatMul):
            _, factors = expr.as_coeff_matrices()
            return bool(factors) and isinstance(factors[-1], sp.OneMatrix) and factors[-1].shape[0] == 1
        return False

    def _mul(self, expr, dest):
        num, den, coeff = [], [], []
        for a in expr.args:
            if not self._is_array(a):
                coeff.append(a)
            elif isinstance(a, sp.Pow) and a.exp.is_number and a.exp < 0:
                den.append(a.base if a.exp == -1 else a.base ** (-a.exp))
            else:
                num.append(a)
        c = sp.Mul(*coeff)
        if c == -1 and len(num) == 1 and not den and type(num[0]).__name__ == "logaddexp":
            lse = _number_and_array(num[0])
            if lse[0] is not None:
                return self._minus_lse(*lse, dest)
        if c == -1 and len(num) == 1 and not den:
            if self._chainable(num[0], dest):
                self.into(num[0], dest)
                self._emit(f"numpy.negative({dest}, out={dest})")
                return
            v = self.value(num[0])
            self._consume(f"numpy.negative({v}, out={dest})", v)
            return
        if len(num) == 1 and self._plain(num[0]) and len(den) == 1 and c == 1:
            a, b = self.value(num[0]), self.value(den[0])
            self._consume(f"numpy.divide({a}, {b}, out={dest})", a, b)
            return
        if len(num) == 1 and self._plain(num[0]) and len(den) == 1 \
                and self._chainable(den[0], dest) and not self._reads(num[0], dest):
            # c a / d: d into dest, then a / dest and the factor there: the passes of
            # c a into dest and d into a temp, without the temp (Adam's step: one
            # scratch array fewer in cache).
            self.into(den[0], dest)
            a = self.value(num[0])
            self._consume(f"numpy.divide({a}, {dest}, out={dest})", a)
            self._emit(f"numpy.multiply({dest}, {self._scalar(c)}, out={dest})")
            return
        if num:
            self._nary(num, dest, "multiply", identity_scalar=1, scalars=[c] if c != 1 else [])
            for d in den:
                v = self.value(d)
                self._consume(f"numpy.divide({dest}, {v}, out={dest})", v)
        else:
            # c / (d1 d2 ...): the denominators first, then one division.
            self._nary(den, dest, "multiply", identity_scalar=1)
            self._emit(f"numpy.divide({self._scalar(c)}, {dest}, out={dest})")

    def _minus_lse(self, c, u, dest):
        """-logaddexp(c, u) as min(-u, -c) - log1p(e^-|u - c|): the negative of the
        vectorized form (see ``into``), two calls fewer (-(a + b) and -a - b round alike,
        and -max(-x, c) is min(x, -c) exactly: the same bits). A sigmoid is this inside
        an exp, and -u is Z itself there."""
        t = self._temp(self._kind(u))
        self.into(sp.Abs(u - c), t)
        self._emit(f"numpy.negative({t}, out={t})")
        self._emit(f"numpy.exp({t}, out={t})")
        self._emit(f"numpy.log1p({t}, out={t})")
        neg = -u
        if self._chainable(neg, dest):
            self.into(neg, dest)
            v = dest
        else:
            v = self.value(neg)
        self._consume(f"numpy.minimum({v}, {self._scalar(-c)}, out={dest})",
                      *([v] if v != dest else []))
        self._consume(f"numpy.subtract({dest}, {t}, out={dest})", t)

    def _pow(self, expr, dest):
        base, exp = expr.args
        if self._is_array(exp):
            raise ValueError(f"array exponent in {expr}")
        b = self.value(base) if not self._reads(base, dest) else None
        if b is None:
            self.into(base, dest)
            b = dest
        if exp == 2:
            self._consume(f"numpy.square({b}, out={dest})", b)
        elif exp == sp.Rational(1, 2):
            self._consume(f"numpy.sqrt({b}, out={dest})", b)
        elif exp == -1:
            self._consume(f"numpy.divide(1, {b}, out={dest})", b)
        else:
            self._consume(f"numpy.power({b}, {self._scalar(exp)}, out={dest})", b)

    def _matmul(self, expr, dest):
        coeff, factors = expr.as_coeff_matrices()
        factors = list(factors)
        if factors and isinstance(factors[-1], sp.OneMatrix):
            ones = factors.pop()
            if ones.shape[1] == 1:
                inner = factors[0] if len(factors) == 1 else sp.MatMul(*factors)
                v = self.value(inner)
                self._consume(f"numpy.add.reduce({v}, axis=1, keepdims=True, out={dest})", v)
                if coeff != 1:
                    self._emit(f"numpy.multiply({dest}, {self._scalar(coeff)}, out={dest})")
                return
            if len(factors) != 1:
                raise ValueError(f"cannot broadcast {expr}")
            # b @ ones(1, m): b broadcast over the columns.
            self._emit(f"{dest}[...] = {self.value(factors[0])}")
            return
        if len(factors) != 2:
            raise ValueError(f"in-place products of two factors only: {expr}")
        a, b = (self.value(f) for f in factors)
        self._consume(f"numpy.matmul({a}, {b}, out={dest})", a, b)
        if coeff != 1:
            self._emit(f"numpy.multiply({dest}, {self._scalar(coeff)}, out={dest})")


class _Unsafe(Exception):
    """Writing into the destination would clobber an operand still to be read."""


def _signature(arguments):
    return ", ".join(a.name for a in arguments)


def emit_into(spec) -> str:
    """``def NAME_into(args, out, work)``: the single array output of ``spec`` into ``out``."""
    doc = (f'    """In-place ``{spec.name}``: the result into ``out`` (its shape and dtype), '
           f'scratch from ``work``."""')
    body = "\n".join("    " + ln for ln in into_lines(spec))
    return f"def {spec.name}_into({_signature(spec.arguments)}, out, work):\n{doc}\n{body}\n    return out\n"


def into_lines(spec) -> list[str]:
    """The statements of ``NAME_into``'s body (no ``return``): scratch buffers taken
    from ``work``, then NumPy calls with ``out=`` (also read by
    :mod:`derive.codegen_calls`)."""
    if len(spec.outputs) != 1:
        raise ValueError(f"{spec.name}: emit_into takes one output")
    arrays = _array_names(spec)
    em = InplaceEmitter(spec.name, "out.shape", "out.dtype", arrays | {"out"})
    replacements, (reduced,) = sp.cse([spec.outputs[0]], symbols=sp.numbered_symbols("x"))
    for sym, sub in replacements:
        if em._is_array(sub):
            kind = em._kind(sub)
            em.state.arrays.add(sym.name)
            em.state.kinds[sym.name] = kind
            dest = em._temp(kind)
            em.into(sub, dest)
            em._emit(f"{sym.name} = {dest}")
        else:
            em._emit(f"{sym.name} = {em._scalar(sub)}")
    em.into(reduced, "out")
    return em.state.lines


def emit_inplace(spec, targets) -> str:
    """``def NAME_inplace(args, work)``: output k overwrites the argument ``targets[k]``."""
    arrays = _array_names(spec)
    first = targets[0]
    em = InplaceEmitter(spec.name, f"{first}.shape", f"{first}.dtype", arrays)
    replacements, reduced = sp.cse(list(spec.outputs), symbols=sp.numbered_symbols("x"))
    # Each cse intermediate that *is* an output is computed straight into its target.
    target_of = {}
    for k, out in enumerate(reduced):
        if isinstance(out, sp.Symbol) and out.name.startswith("x"):
            target_of[out.name] = targets[k]
    statements = [(sym, sub) for sym, sub in replacements] + \
                 [(targets[k], out) for k, out in enumerate(reduced)]
    for i, (sym, sub) in enumerate(statements):
        name = sym if isinstance(sym, str) else sym.name
        if not isinstance(sym, str) and not em._is_array(sub):
            em._emit(f"{name} = {em._scalar(sub)}")  # a scalar, computed once in Python
            continue
        dest = target_of.get(name, name if isinstance(sym, str) else None)
        rest = statements[i + 1:]
        if dest is not None and any(_reads_name(e, dest) for _, e in rest):
            raise ValueError(f"{spec.name}: {dest} is read after it is overwritten")
        if isinstance(sym, str) and isinstance(sub, sp.Symbol) and target_of.get(sub.name) == sym:
            continue  # already computed into its target
        if dest is None:
            dest = em._temp("full")
        try:
            em.into(sub, dest)
        except _Unsafe:
            tmp = em._temp("full")
            em.into(sub, tmp)
            em._emit(f"numpy.copyto({dest}, {tmp})")
        if not isinstance(sym, str):
            em.state.arrays.add(name)
            if name != dest:
                em._emit(f"{name} = {dest}")
    doc = (f'    """In-place ``{spec.name}``: overwrites {", ".join(targets)} with their new '
           f'values; scratch from ``work``."""')
    body = "\n".join("    " + ln for ln in em.state.lines)
    return f"def {spec.name}_inplace({_signature(spec.arguments)}, work):\n{doc}\n{body}\n"


def _reads_name(expr, name) -> bool:
    return any(getattr(s, "name", None) == name for s in sp.sympify(expr).free_symbols)


def _array_names(spec) -> set:
    """Arguments that are arrays: every argument not marked as a scalar where it is
    defined (a :class:`~derive.codegen_nodes.ScalarArg`)."""
    return {a.name for a in spec.arguments if not isinstance(a, ScalarArg)}
