"""The house rules a reader relies on: app boundaries that hold, checked types, modules
small enough to read. Each rule is run here for real, on the tree and on a copy of it with a
deliberate breach, so a rule that stopped checking would fail this file too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("csp_portal", "performance", "plans", "meetings", "funding")
MAX_MODULE_LINES = 400
BIN = Path(sys.executable).parent


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def test_no_module_outside_migrations_and_tests_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def _copy_of_the_tree(tmp_path: Path) -> Path:
    copy = tmp_path / "tree"
    copy.mkdir()
    for app in APPS:
        shutil.copytree(ROOT / app, copy / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_import_contracts_hold_on_the_tree(tmp_path):
    result = _lint_imports(_copy_of_the_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize(
    ("importer", "breach"),
    [
        # An app above naming a model of an app below, not through its selectors.
        ("funding/views.py", "from plans.models import Priority  # noqa"),
        # An app below reaching up a layer.
        ("performance/selectors.py", "import funding.selectors  # noqa"),
    ],
)
def test_a_deliberate_breach_of_the_boundaries_fails_the_contracts(tmp_path, importer, breach):
    tree = _copy_of_the_tree(tmp_path)
    module = tree / importer
    module.write_text(module.read_text() + f"\n{breach}\n")
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout.upper()


def _mypy(cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(BIN / "mypy"), "--cache-dir", str(tmp_path / "mypy-cache"), "."],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_type_error_in_a_topic_module_fails_mypy(tmp_path):
    """`make test` runs mypy on the tree; this pins that the configuration really checks
    an app's topic modules (they are not among the modules whose errors are ignored)."""
    tree = _copy_of_the_tree(tmp_path)
    services = tree / "meetings" / "agenda.py"
    services.write_text(
        services.read_text() + '\n\ndef _deliberate() -> int:\n    return "not a number"\n'
    )
    result = _mypy(tree, tmp_path)
    assert result.returncode != 0
    assert "meetings/agenda.py" in result.stdout
    assert 'Incompatible return value type (got "str", expected "int")' in result.stdout
