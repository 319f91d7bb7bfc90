"""``python -m verify student solution.py [--json]``: grade a student's course functions.

Each function of the student's file that carries a course name (see
:data:`numeric.course.COURSE_FUNCTIONS`) is run on random inputs of random shapes and on
edge cases (one example, one unit, saturated activations) and compared with
:mod:`numeric.course`. The report says, per function, ``PASS`` or what is wrong, in the
words of the gradient checks' hints (a factor 2 or m, a sign, a transpose, a missing sum,
a broadcast shape, the wrong derivative, a mask not reapplied, no bias correction), with
the smallest input that shows it. Each function is graded alone: the other course
functions it calls, and the course's helpers (``dnn_utils``, ``reg_utils``), are the
reference ones, so that one bug makes one failure.

Trust model
-----------
The grader is for honest mistakes, not for hostile code. It limits what a file can do by
accident, not by design:

- only imports of a few harmless modules (numpy, math, copy, ...) and function
  definitions are loaded; every other top-level statement (a test call, a training
  loop, ``np.random.seed``, an import of the course's helper files) is skipped and
  listed. Default argument values of the kept functions are still evaluated;
- the functions run in a child process with a CPU-time, wall-clock, memory
  (``RLIMIT_AS``), output and file-size limit: an infinite loop, a 100 MB print or a
  10 GB allocation stops that function with a message, and the others are still graded;
- the child is an ordinary process of the user who runs the grader: it can read and
  write that user's files and could forge its own result. Grade untrusted files in a
  container or as an unprivileged user.
"""

from __future__ import annotations

import ast
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["definitions", "grade", "format_report", "main", "set_limits", "ALLOWED_IMPORTS"]

PROG = "python -m verify student"
# Modules a solution may import at its top (the course's own files are provided instead).
ALLOWED_IMPORTS = ("numpy", "math", "copy", "functools", "itertools", "operator",
                   "collections", "typing")
MAX_FILE_BYTES = 1 << 20
_FILE_SIZE_LIMIT = 8 << 20   # bytes any file of the child may reach (its stdout included)
_STARTUP_S = 30.0            # importing NumPy on a loaded machine, before the first check
_GRACE_S = 3.0               # past a function's own alarm, before the parent kills the child
_ROOT = Path(__file__).resolve().parents[1]


def definitions(source: str, filename: str):
    """The module with only its allowed imports and function definitions, and what was
    skipped: ``(ast.Module, [(first_line, last_line, reason), ...])``.

    Raises SyntaxError for a file that does not parse. Nothing is executed.
    """
    tree = ast.parse(source, filename)
    kept, skipped = [], []
    for node in tree.body:
        span = (node.lineno, getattr(node, "end_lineno", node.lineno))
        if isinstance(node, ast.FunctionDef):
            if node.decorator_list:
                skipped.append(span + (f"decorators of {node.name} (the function is kept)",))
                node.decorator_list = []
            kept.append(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""])
            relative = isinstance(node, ast.ImportFrom) and node.level > 0
            if not relative and all(m.split(".")[0] in ALLOWED_IMPORTS for m in modules):
                kept.append(node)
            else:
                skipped.append(span + (f"import of {', '.join(modules)}",))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        else:
            skipped.append(span + ("top-level statement",))
    return ast.Module(body=kept, type_ignores=[]), skipped


def _defined_functions(module) -> list[str]:
    return [n.name for n in module.body if isinstance(n, ast.FunctionDef)]


def set_limits(memory_mb: int, cpu_s: int) -> None:
    """Limit this process (the child calls it first; hard limits, so the file cannot lift
    them). Set in the child rather than by ``preexec_fn``, which is unsafe in a parent with
    threads (JAX's, for one)."""
    mem = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (_FILE_SIZE_LIMIT, _FILE_SIZE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _why_died(returncode: int, timed_out: bool, config) -> str:
    if timed_out or returncode in (-signal.SIGXCPU, -signal.SIGALRM):
        return f"still running after {config['time_limit']:g} s (an infinite loop?)"
    if returncode == -signal.SIGXFSZ:
        return f"wrote more than {_FILE_SIZE_LIMIT >> 20} MiB of output"
    if returncode < 0:
        return f"killed by signal {signal.Signals(-returncode).name} (out of memory?)"
    return f"the process exited with code {returncode} (sys.exit or os._exit?)"


def _watch(proc, results: str, time_limit: float) -> bool:
    """Wait for the child; kill it when one function runs past ``time_limit`` plus a grace
    (its own alarm failed: a loop inside C code, or the alarm ignored). True if killed."""
    lines, deadline = 0, time.monotonic() + _STARTUP_S
    while True:
        try:
            proc.wait(timeout=0.1)
            return False
        except subprocess.TimeoutExpired:
            pass
        with open(results, encoding="utf-8") as f:
            count = sum(1 for _ in f)
        if count != lines:  # a function began or ended: its own clock starts
            lines, deadline = count, time.monotonic() + time_limit + _GRACE_S
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True


def _run_child(path, names, all_names, config, tmp):
    results = os.path.join(tmp, "results.jsonl")
    open(results, "w").close()
    # CPU time: a backstop; the wall clock per function is watched below.
    cpu_budget = int(_STARTUP_S + (config["time_limit"] + _GRACE_S) * (len(names) + 1)) + 1
    child = dict(config, path=path, names=names, all_names=all_names, results=results,
                 cpu_s=cpu_budget)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH"))
                                          if p))
    with open(os.path.join(tmp, "output.txt"), "wb") as output:
        proc = subprocess.Popen([sys.executable, "-m", "verify._student_child", json.dumps(child)],
                                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                cwd=tmp, env=env, start_new_session=True)
        timed_out = _watch(proc, results, config["time_limit"])
        events = [json.loads(line) for line in open(results, encoding="utf-8") if line.strip()]
    with open(os.path.join(tmp, "output.txt"), "rb") as f:
        tail = f.read()[-600:].decode("utf-8", "replace").strip()
    return events, proc.returncode, timed_out, tail


def grade(path, time_limit: float = 10.0, memory_mb: int = 1024,
          output_limit: int = 1 << 20, seed: int = 0) -> dict:
    """Grade the course functions of the file at ``path``; see the module docstring.

    Returns a dict: ``file``, ``functions`` (one dict per graded function: ``name``,
    ``status`` in pass / fail / error / stopped, ``hints``, ``input``, ``message``),
    ``missing``, ``not_graded``, ``skipped`` and the counts ``passed``, ``failed``.
    Raises ValueError for a file that cannot be read or parsed.
    """
    from numeric.course import COURSE_FUNCTIONS

    from .student_cases import NOT_GRADED, SPECS

    path = os.path.abspath(os.fspath(path))
    if not os.path.isfile(path):
        raise ValueError(f"no such file: {path}")
    if os.path.getsize(path) > MAX_FILE_BYTES:
        raise ValueError(f"{path} is larger than {MAX_FILE_BYTES >> 10} KiB: not a solution file?")
    try:
        source = open(path, encoding="utf-8").read()
        module, skipped = definitions(source, path)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text ({exc.reason})") from None
    except SyntaxError as exc:
        raise ValueError(f"{path}, line {exc.lineno}: syntax error: {exc.msg}") from None
    defined = _defined_functions(module)
    names = [n for n in COURSE_FUNCTIONS if n in defined and n in SPECS]
    config = {"time_limit": float(time_limit), "memory_mb": int(memory_mb),
              "output_limit": int(output_limit), "seed": int(seed)}
    results: dict[str, dict] = {}
    remaining = list(names)
    with tempfile.TemporaryDirectory(prefix="verify-student-") as tmp:
        while remaining:
            events, code, timed_out, tail = _run_child(path, remaining, names, config, tmp)
            load_error = next((e for e in events if e["event"] == "load_error"), None)
            if load_error:
                for n in remaining:
                    results[n] = {"status": "error",
                                  "message": f"the file did not load: {load_error['message']}"}
                break
            begun = None
            for e in events:
                if e["event"] == "begin":
                    begun = e["name"]
                elif e["event"] == "result":
                    results[e["name"]] = {k: v for k, v in e.items() if k not in ("event", "name")}
                    begun = None
            if begun is not None:  # died inside this function
                results[begun] = {"status": "stopped", "message": _why_died(code, timed_out, config)}
            elif len(results) < len(names) and not events:
                message = _why_died(code, timed_out, config) if code else "did not start"
                for n in remaining:
                    results[n] = {"status": "error",
                                  "message": f"the grader's process failed: {message}: {tail}"}
            remaining = [n for n in remaining if n not in results]
    functions = [{"name": n, **results[n]} for n in names]
    return {
        "file": path,
        "functions": functions,
        "missing": [n for n in COURSE_FUNCTIONS if n not in defined],
        "not_graded": {n: why for n, why in NOT_GRADED.items() if n in defined},
        "skipped": [list(s) for s in skipped],
        "passed": sum(f["status"] == "pass" for f in functions),
        "failed": sum(f["status"] != "pass" for f in functions),
    }


def _lines(spans) -> str:
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b, _ in spans)


def format_report(report: dict, name: str | None = None) -> str:
    """The report as text, one line per function (and the hints under a failure)."""
    out = [f"grading {name or report['file']} against numeric.course"]
    top = [s for s in report["skipped"] if s[2] == "top-level statement"]
    imports = [s for s in report["skipped"] if s[2] != "top-level statement"]
    if top:
        out.append(f"  not run: top-level statements at lines {_lines(top)} "
                   f"(only imports and function definitions are loaded)")
    for a, b, reason in imports:
        out.append(f"  skipped line {a}: {reason}")
    marks = {"pass": "PASS ", "fail": "FAIL ", "error": "ERROR", "stopped": "STOP "}
    for f in report["functions"]:
        line = f"{marks[f['status']]} {f['name']}"
        if f.get("message"):
            line += f": {f['message']}"
        out.append(line)
        for hint in f.get("hints", []):
            out.append(f"      {hint}")
        if f["status"] in ("fail", "error") and f.get("input"):
            shown = f["input"] if len(f["input"]) <= 240 else f["input"][:240] + " ... (--json: all)"
            out.append(f"      smallest failing input: {shown}")
    if report["not_graded"]:
        for n, why in report["not_graded"].items():
            out.append(f"not graded: {n} ({why})")
    if report["missing"]:
        out.append(f"not in the file: {', '.join(report['missing'])}")
    total = report["passed"] + report["failed"]
    out.append(f"{report['passed']} of {total} functions pass")
    return "\n".join(out)


def main(argv=None) -> int:
    from derive.cli_util import OneLineParser

    parser = OneLineParser(prog=PROG, description=(
        "Grade a student's course functions (linear_forward, L_model_backward, ...) against "
        "numeric.course, on random inputs and edge cases, in a child process with limits."))
    parser.add_argument("path", help="the student's .py file (only imports and definitions are loaded)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--time-limit", type=float, default=10.0,
                        help="seconds per function (default 10)")
    parser.add_argument("--memory-mb", type=int, default=1024,
                        help="address-space limit of the child process in MiB (default 1024)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random inputs")
    args = parser.parse_args(argv)
    if not (0 < args.time_limit <= 600) or not (256 <= args.memory_mb <= 1 << 16) or args.seed < 0:
        print(f"{PROG}: --time-limit must be in (0, 600], --memory-mb in [256, 65536], "
              f"--seed >= 0", file=sys.stderr)
        return 2
    try:
        report = grade(args.path, args.time_limit, args.memory_mb, seed=args.seed)
    except ValueError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2) if args.json else format_report(report, args.path))
    return 0 if report["failed"] == 0 else 1
