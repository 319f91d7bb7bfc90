"""The child process of ``python -m verify student``: load the definitions, run the checks.

Started by :func:`verify.student.grade`. It first limits itself (memory, CPU, file size:
:func:`verify.student.set_limits`) and loads only the imports and function definitions
of the student's file (:func:`verify.student.definitions`); then for each function it
writes a ``begin`` line to the results file, runs the cases under a wall-clock alarm,
and writes a ``result`` line.
When the process dies mid-function (a loop in C, output past the file-size limit), the
parent finds the ``begin`` without its ``result`` and names that function.
"""

from __future__ import annotations

import copy
import errno
import inspect
import json
import signal
import sys
import traceback


class TimeLimit(BaseException):
    """Raised by the alarm; a BaseException so that ``except Exception`` cannot swallow it."""


class OutputLimit(BaseException):
    """Raised when the student's code prints more than the limit."""


class CappedWriter:
    """Counts what the student's code prints and drops it; past ``limit`` chars, stops it."""

    def __init__(self, limit: int):
        self.limit, self.written = limit, 0

    def write(self, text) -> int:
        self.written += len(text)
        if self.written > self.limit:
            raise OutputLimit
        return len(text)

    def flush(self) -> None:
        pass


def _student_line(exc, path) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    return f" (line {frames[-1].lineno} of your file)" if frames else ""


def _grade_one(name, function, config, index):
    import numpy as np

    from numeric import course

    from .student_cases import SPECS
    from .student_compare import describe_input, differences, matches, size_of

    spec = SPECS[name]
    rng = np.random.default_rng([config["seed"], index])
    cases = sorted(spec.cases(rng), key=size_of)  # stable: the smallest failing comes first
    arg_names = list(inspect.signature(getattr(course, name)).parameters)
    failing = None
    for args in cases:
        expected = spec.expected(copy.deepcopy(args))
        try:
            got = function(*copy.deepcopy(args))
        except (TimeLimit, OutputLimit, MemoryError):
            raise
        except OSError as exc:
            if exc.errno == errno.EFBIG:
                raise
            return {"status": "error", "input": describe_input(arg_names, args),
                    "message": f"{type(exc).__name__}: {exc}{_student_line(exc, config['path'])}"}
        except Exception as exc:  # the student's error, reported with its line
            return {"status": "error", "input": describe_input(arg_names, args),
                    "message": f"{type(exc).__name__}: {exc}{_student_line(exc, config['path'])}"}
        diffs = differences(got, expected, name, spec.outputs, spec.prefix)
        if diffs:
            named = [sentence for sentence, wrong in spec.mistakes
                     if matches(got, wrong(args, expected), spec.prefix)]
            failing = {"status": "fail", "hints": named or diffs,
                       "input": describe_input(arg_names, args)}
            break
    return failing or {"status": "pass", "cases": len(cases)}


def main(argv) -> int:
    config = json.loads(argv[0])
    from .student import definitions, set_limits

    set_limits(config["memory_mb"], config["cpu_s"])

    out = open(config["results"], "a", encoding="utf-8")

    def emit(event):
        out.write(json.dumps(event) + "\n")
        out.flush()

    source = open(config["path"], encoding="utf-8").read()
    module, _ = definitions(source, config["path"])
    sys.stdout = sys.stderr = CappedWriter(config["output_limit"])
    namespace = {"__name__": "student_solution", "__file__": config["path"]}

    def on_alarm(signum, frame):
        raise TimeLimit

    signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, config["time_limit"])
        exec(compile(module, config["path"], "exec"), namespace)
        signal.setitimer(signal.ITIMER_REAL, 0)
    except BaseException as exc:  # noqa: BLE001 - anything at load time is the file's fault
        signal.setitimer(signal.ITIMER_REAL, 0)
        emit({"event": "load_error", "message": _describe_stop(exc, config) or
              f"{type(exc).__name__}: {exc}{_student_line(exc, config['path'])}"})
        return 0
    from .student_cases import SPECS, helpers_for

    from numeric import course

    students = dict(namespace)
    for name in config["names"]:
        emit({"event": "begin", "name": name})
        # Each function is graded alone: the other course functions it calls are the
        # reference ones, and the course's helpers (dnn_utils or reg_utils, as imported
        # in that assignment's notebook) are the course's; so a failure is this function's.
        namespace.update(students)
        namespace.update({n: getattr(course, n) for n in course.COURSE_FUNCTIONS if n != name})
        namespace.update({h: f for h, f in helpers_for(SPECS[name].helpers).items() if h != name})
        try:
            signal.setitimer(signal.ITIMER_REAL, config["time_limit"])
            result = _grade_one(name, students[name], config, config["all_names"].index(name))
            signal.setitimer(signal.ITIMER_REAL, 0)
        except BaseException as exc:  # noqa: BLE001
            signal.setitimer(signal.ITIMER_REAL, 0)
            message = _describe_stop(exc, config)
            if message is None:
                raise
            result = {"status": "stopped", "message": message}
        emit({"event": "result", "name": name, **result})
    return 0


def _describe_stop(exc, config):
    if isinstance(exc, TimeLimit):
        return f"still running after {config['time_limit']:g} s (an infinite loop?)"
    if isinstance(exc, OutputLimit):
        return f"printed more than {config['output_limit']} characters"
    if isinstance(exc, MemoryError):
        return f"tried to allocate more memory than the limit ({config['memory_mb']} MiB)"
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        return "wrote more output than the file-size limit"
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
