"""The code readers copy is formatted and lint-clean (ruff, settings in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from tests.sections import REPO

CODE = ["snippets", "tests", "benchmarks", "scripts", "conftest.py"]


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *CODE],
        cwd=REPO,
        capture_output=True,
        text=True,
    )


def test_ruff_check():
    done = ruff("check", "--no-cache")
    assert done.returncode == 0, done.stdout


def test_ruff_format():
    done = ruff("format", "--check", "--no-cache")
    assert done.returncode == 0, f"run `ruff format`\n{done.stdout}"
