"""README command 1 (``pip install -e .``) in a fresh venv, simulated for a subprocess.

A real fresh venv costs minutes and the network, so the tests build its two visible
effects instead, from this interpreter's packages:

- the project as installed: a folder with a link to each package that pyproject's
  ``[tool.setuptools.packages.find] include`` selects (what the editable install's finder
  maps; the repository root itself is not on the path, so ``tests`` or a package left out
  of ``include`` cannot be imported, as after a real install);
- only the main dependencies: a ``sitecustomize`` that makes importing any installed
  distribution outside the closure of ``[project] dependencies`` (scikit-learn, pytest,
  hypothesis, torch, ... whatever this machine has) fail with ModuleNotFoundError, as
  in a venv where they were never installed. The closure is read from the installed
  packages' metadata (``Requires-Dist``, markers evaluated, extras not followed), so a
  dependency that moves between the main list and an extra moves the blocked set with it.

The subprocess gets a clean environment: PATH, HOME and these two folders, nothing else.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

# What `python -m venv` puts into every venv (Python 3.11): never blocked.
VENV_SEED = {"pip", "setuptools"}

__all__ = ["ROOT", "main_closure", "blocked_modules", "installed_packages", "fresh_env"]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main_closure() -> set[str]:
    """Normalized names of the distributions a plain ``pip install -e .`` brings in."""
    env = default_environment() | {"extra": ""}
    todo = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    seen = {_norm(PYPROJECT["project"]["name"])} | VENV_SEED
    while todo:
        req = todo.pop()
        name = _norm(req.name)
        if name in seen or (req.marker is not None and not req.marker.evaluate(env)):
            continue
        seen.add(name)
        try:
            requires = metadata.distribution(req.name).requires or []
        except metadata.PackageNotFoundError:
            continue  # a main dependency that is not installed here cannot be imported anyway
        todo.extend(Requirement(r) for r in requires)
    return seen


def blocked_modules() -> list[str]:
    """Top-level modules of installed distributions that a fresh install would not have."""
    keep = main_closure()
    return sorted(module for module, dists in metadata.packages_distributions().items()
                  if module.isidentifier() and not any(_norm(d) in keep for d in dists))


def installed_packages(folder: Path) -> list[str]:
    """Link into ``folder`` the packages that pyproject's packages.find ``include`` selects."""
    include = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    names = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()
                   and any(fnmatch.fnmatchcase(p.name, pattern) for pattern in include))
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    return names


_SITECUSTOMIZE = '''\
"""Written by tests/cli/fresh_install.py: these distributions are "not installed"."""
import sys

BLOCKED = frozenset({blocked!r})


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
'''


def fresh_env(tmp: Path) -> dict[str, str]:
    """A clean environment for ``subprocess.run``: the project as installed, main dependencies only."""
    site = tmp / "fresh-site"
    site.mkdir(parents=True)
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE.format(blocked=blocked_modules()))
    installed_packages(tmp / "fresh-packages")
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp),
            "PYTHONPATH": os.pathsep.join([str(site), str(tmp / "fresh-packages")]),
            "PYTHONNOUSERSITE": "1", "MPLBACKEND": "Agg", "LANG": "C.UTF-8"}


if __name__ == "__main__":  # print what a fresh install lacks, to check the simulation by eye
    print("closure:", " ".join(sorted(main_closure())))
    print("blocked:", " ".join(blocked_modules()))
    sys.exit(0)
