"""Derive and prove the formulas of backprop, write them up, generate NumPy code, audit the notes.

The module docstring is the ``--help`` description: plain text, no markup.
"""

from __future__ import annotations

import argparse
import sys

PROG = "python -m derive"


# Where a report with a user's own formulas goes unless --out says otherwise: git-ignored,
# so that it never overwrites the committed handout in reports/.
CUSTOM_OUT = "reports/custom"


def _report(args) -> int:
    from .cli_util import CLIError, check_out_dir, require_pdflatex
    from .registry import Registry, registry
    from .report import PDFLATEX_HINT, LatexError, write_report

    custom = tuple(args.activation or ()) + tuple(args.loss or ())
    names = [c.name for c in custom]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:  # a usage error, as argparse's: one line, exit code 2
        print(f"{PROG} report: error: the name {twice[0]!r} is given to two components; "
              f"one name each", file=sys.stderr)
        return 2
    if custom:
        registry = Registry(custom=custom)
    out = args.out or (CUSTOM_OUT if custom else "reports")
    try:
        check_out_dir(out)
        if args.pdf:
            require_pdflatex(PDFLATEX_HINT)
        files = write_report(out, pdf=args.pdf, html=args.html, registry=registry)
    except (LatexError, FileNotFoundError, CLIError, OSError) as exc:
        print(f"{PROG} report: {exc}", file=sys.stderr)
        return 1
    print(f"done in {files.seconds:.1f} s")
    return 0 if all(d.proof.holds for d in registry.values()) else 1


def _component(text, make):
    """``NAME=FORMULA`` -> the runtime object ``make`` builds (:func:`derive.custom_activation`
    or :func:`derive.custom_loss`: parsed, derived and proved within their budget): a
    refused formula is argparse's one-line error (exit code 2) before the report starts."""
    from .custom import FormulaError, split_assignment
    try:
        return make(*split_assignment(text))
    except FormulaError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _activation(text):
    from .custom import custom_activation
    return _component(text, custom_activation)


def _loss(text):
    from .custom import custom_loss
    return _component(text, custom_loss)


def _codegen(args) -> int:
    if args.activation or args.loss:
        return _codegen_formulas(args)
    if args.out:
        print(f"{PROG} codegen: --out names the module of --activation/--loss formulas; "
              f"the catalog's module is written to --path (default numeric/_generated.py)",
              file=sys.stderr)
        return 2
    from .codegen import main as codegen_main

    return codegen_main(check=args.check, path=args.path)


def _codegen_formulas(args) -> int:
    """``--activation NAME=FORMULA`` / ``--loss NAME=FORMULA`` (repeatable): one standalone
    NumPy module with their functions, written to ``--out`` or printed."""
    from pathlib import Path

    from .codegen_entry import EntryCodegenError, module_source
    from .custom import FormulaError, custom_activation, custom_loss, split_assignment
    if args.check or args.path:
        print(f"{PROG} codegen: --check and --path are for the catalog's module; "
              f"--activation/--loss write a standalone module to --out", file=sys.stderr)
        return 2
    try:
        objects = [custom_activation(*split_assignment(text)) for text in args.activation]
        objects += [custom_loss(*split_assignment(text)) for text in args.loss]
        names = [o.name for o in objects]
        if len(set(names)) != len(names):
            raise FormulaError(f"each formula needs its own name; got {', '.join(names)}")
        source = module_source([o.module for o in objects])
    except (FormulaError, EntryCodegenError) as exc:
        # a refused formula is a bad argument: exit 2, as derive report and verify say it
        print(f"{PROG} codegen: {exc}", file=sys.stderr)
        return 2
    if not args.out:
        sys.stdout.write(source)
        return 0
    target = Path(args.out)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(source)
        tmp.replace(target)   # whole or not at all
    except OSError as exc:
        if tmp.is_file():
            tmp.unlink()
        print(f"{PROG} codegen: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {target} ({source.count(chr(10) + 'def ')} functions: "
          f"{', '.join(names)})")
    return 0


def _audit(args) -> int:
    try:
        from .claims.audit import main as audit_main
    except ImportError as exc:  # pragma: no cover - only while claims is missing
        print(f"{PROG} audit: the audit is not available ({exc})", file=sys.stderr)
        return 1
    return audit_main((["--only-wrong"] if args.only_wrong else []) + (["--full"] if args.full else []))


def build_parser() -> argparse.ArgumentParser:
    from .cli_util import OneLineParser

    parser = OneLineParser(prog=PROG, description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    report = sub.add_parser("report", help="write reports/derivations.tex (and the PDF, and with "
                                           "--html the web page)")
    report.add_argument("--out", default=None,
                        help=f"output folder (default: reports; with --activation or --loss "
                             f"{CUSTOM_OUT}, git-ignored, so that the committed handout is "
                             f"never overwritten)")
    report.add_argument("--activation", action="append", type=_activation,
                        metavar="NAME=FORMULA",
                        help="add your own hidden activation g(z), derived and proved in a "
                             "section 'Your own formulas' and drawn in its figure, e.g. "
                             "--activation 'mish=z*tanh(softplus(z))' (repeatable)")
    report.add_argument("--loss", action="append", type=_loss, metavar="NAME=FORMULA",
                        help="add your own loss L(a, y) of a linear output a and the label "
                             "y, e.g. --loss 'log_cosh=log(cosh(a - y))' (repeatable)")
    group = report.add_mutually_exclusive_group()
    group.add_argument("--pdf", dest="pdf", action="store_true", default=None,
                       help="require the PDF (error if pdflatex is missing)")
    group.add_argument("--no-pdf", dest="pdf", action="store_false",
                       help="write the .tex only")
    report.add_argument("--html", action="store_true",
                        help="also write derivations.html: the handout as one self-contained "
                             "web page (MathML, inline figure; opens offline)")
    report.set_defaults(run=_report)

    codegen = sub.add_parser("codegen", help="(re)write numeric/_generated.py")
    codegen.add_argument("--check", action="store_true",
                         help="do not write; exit 1 if the committed file differs")
    codegen.add_argument("--path", default=None, help="target file (default: numeric/_generated.py)")
    codegen.add_argument("--activation", action="append", default=[], metavar="NAME=FORMULA",
                         help="instead of the catalog: a standalone NumPy module for your "
                              "activation of z, e.g. \"mish=z*tanh(softplus(z))\" (repeatable)")
    codegen.add_argument("--loss", action="append", default=[], metavar="NAME=FORMULA",
                         help="likewise for a loss of a linear output a and the label y, "
                              "e.g. \"log_cosh=log(cosh(a - y))\" (repeatable)")
    codegen.add_argument("--out", default=None,
                         help="with --activation/--loss: the module's file (default: print it)")
    codegen.set_defaults(run=_codegen)

    audit = sub.add_parser("audit", help="check every formula of the course notes")
    audit.add_argument("--only-wrong", action="store_true",
                       help="list only the claims that do not hold (wrong, notation, ambiguous)")
    audit.add_argument("--full", action="store_true",
                       help="also print each formula's LaTeX source, as transcribed from the note")
    audit.set_defaults(run=_audit)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    from .cli_util import run_command

    sys.exit(run_command(main, "python -m derive"))
