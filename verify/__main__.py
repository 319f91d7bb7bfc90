"""``python -m verify [--quick] [--out DIR] [--no-pdf]``; ``python -m verify claim ...``.

The first runs the verification matrix (:mod:`verify.matrix`), prints a table and writes
``DIR/verification.tex`` (and the PDF); the exit code is 1 if any check fails. With
``--activation NAME=FORMULA`` / ``--loss NAME=FORMULA`` it checks those components
instead (:mod:`verify.custom_check`), into ``reports/custom`` (git-ignored) by default.
``claim`` hands its arguments to :func:`verify.claim.main`; ``student FILE`` grades a
student's course functions (:func:`verify.student.main`).
"""

from __future__ import annotations

import argparse
import sys
import time

PROG = "python -m verify"
QUICK_OUT = "reports/quick"  # git-ignored: the committed reports are the full runs
CUSTOM_OUT = "reports/custom"  # git-ignored: a user's components, never the committed report


def _component(text, kind):
    """argparse ``type``: ``NAME=FORMULA`` -> :func:`derive.custom_activation` (or
    ``custom_loss``); a refused formula is argparse's one-line error, exit code 2."""
    from derive.custom import FormulaError, custom_activation, custom_loss, split_assignment
    try:
        return (custom_activation if kind == "activation" else custom_loss)(
            *split_assignment(text))
    except FormulaError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    from derive.cli_util import OneLineParser

    parser = OneLineParser(prog=PROG, description="Run the verification matrix.")
    parser.add_argument("--quick", action="store_true",
                        help="the CI subset: small networks, one per hidden/output pair")
    parser.add_argument("--out", default=None,
                        help="report folder (default: reports, or reports/quick with --quick, "
                             "so that the quick subset never overwrites the full report)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--pdf", dest="pdf", action="store_true", default=None,
                       help="require the PDF (error if pdflatex is missing)")
    group.add_argument("--no-pdf", dest="pdf", action="store_false", help="write the .tex only")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--activation", action="append", metavar="NAME=FORMULA",
                        type=lambda text: _component(text, "activation"),
                        help="check your own hidden activation instead of the matrix: its "
                             "proofs, and its generated g' against central differences, the "
                             "complex step and JAX of the formula, e.g. "
                             "--activation 'mish=z*tanh(softplus(z))' (repeatable; report "
                             f"in {CUSTOM_OUT} unless --out)")
    parser.add_argument("--loss", action="append", metavar="NAME=FORMULA",
                        type=lambda text: _component(text, "loss"),
                        help="the same for your own loss L(a, y) of a linear output, e.g. "
                             "--loss 'log_cosh=log(cosh(a - y))' (repeatable)")
    sub = parser.add_subparsers(dest="command")
    claim = sub.add_parser("claim", help='check an identity, e.g. claim "diff(tanh(z), z) == 1 - tanh(z)**2" '
                         '(claim --help: the syntax)', add_help=False)
    claim.add_argument("args", nargs=argparse.REMAINDER)
    sub.add_parser("student", add_help=False,
                   help="grade a student's course functions: student FILE [--json]")
    return parser


def _line(row) -> str:
    mark = "ok  " if row.ok else "FAIL"
    return (f"{mark} {row.section:<10} {row.configuration[:52]:<52} {row.method[:24]:<24} "
            f"{row.max_rel_error:>9.2e}  {row.verdict}")


def _claim(argv) -> int:
    try:
        from .claim import main as claim_main  # written separately; imported only here
    except ImportError as exc:
        print(f"{PROG} claim: not available ({exc})", file=sys.stderr)
        return 2
    return claim_main(list(argv))


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["student"]:  # grade a student's course functions (verify.student)
        from .student import main as student_main

        return student_main(argv[1:])
    if argv[:1] == ["claim"]:
        # Everything after "claim" belongs to verify.claim, options included.
        return _claim(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    custom = tuple(args.activation or ()) + tuple(args.loss or ())
    if custom and args.quick:
        parser.error("--quick is for the matrix; --activation/--loss check only those components")
    if args.out is None:
        args.out = CUSTOM_OUT if custom else (QUICK_OUT if args.quick else "reports")
    from derive.cli_util import CLIError, check_out_dir, require_pdflatex
    from derive.report import PDFLATEX_HINT

    from .matrix import run_matrix, start_symbolic, summarize
    from .report_tex import LatexError, write_report

    # Everything that can fail at the door fails before the matrix runs.
    symbolic = None
    try:
        check_out_dir(args.out)
        if args.pdf:
            require_pdflatex(PDFLATEX_HINT)
        # The matrix's SymPy half starts now, in a child process forked before JAX is
        # loaded (a fork after JAX has started its threads is not safe): it proves the
        # derivations on a second core while this process runs the numeric checks.
        symbolic = None if custom else start_symbolic()
        try:
            import jax  # noqa: F401  (the independent reference network needs it)
        except ImportError:
            raise CLIError("jax is not installed: pip install jax (the JAX cross-check needs it)") from None
    except CLIError as exc:
        if symbolic is not None:
            symbolic.cancel()
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1

    start = time.perf_counter()
    print(f"{'':4} {'section':<10} {'configuration':<52} {'method':<24} {'rel error':>9}  verdict")
    progress = None if args.quiet else (lambda r: print(_line(r), flush=True))
    if custom:
        from .custom_check import custom_rows
        rows = [row for component in custom for row in custom_rows(component, progress)]
    else:
        rows = run_matrix(quick=args.quick, progress=progress, symbolic=symbolic)
    if args.quiet:
        for r in rows:
            if not r.ok:
                print(_line(r))
    for section, (n, bad) in summarize(rows).items():
        print(f"{section:<10} {n:4d} checks, {bad} failed")
    try:
        files = write_report(rows, args.out, pdf=args.pdf, quick=args.quick)
    except (LatexError, FileNotFoundError, OSError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {files['tex']}" + (f" and {files['pdf']}" if files["pdf"] else ""))
    failures = sum(not r.ok for r in rows)
    print(f"{len(rows)} checks, {failures} failed, {time.perf_counter() - start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    from derive.cli_util import run_command

    sys.exit(run_command(main, "python -m verify"))
