"""Every snippet module runs as a script, `python -m snippets.<module>`, in all three situations:
wandb not installed at all, WANDB_MODE=disabled, and offline (where the run it made must read
back as finished). New modules in snippets/ are picked up without editing this file."""

from __future__ import annotations

import pytest

from snippets.readback import find_offline_run, read_offline_run
from tests.harness import SNIPPET_MODULES

pytestmark = pytest.mark.slow


def test_the_harness_really_hides_wandb(run_python):
    code = """
import importlib.metadata, importlib.util
assert importlib.util.find_spec("wandb") is None
try:
    importlib.metadata.version("wandb")
except importlib.metadata.PackageNotFoundError:
    print("absent")
"""
    assert run_python("-c", code, wandb_installed=False).stdout.strip() == "absent"


@pytest.mark.parametrize("module", SNIPPET_MODULES)
def test_runs_without_wandb_installed(run_python, module):
    done = run_python("-m", f"snippets.{module}", wandb_installed=False)
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("module", SNIPPET_MODULES)
def test_runs_disabled(run_python, module, tmp_path):
    run_python("-m", f"snippets.{module}", mode="disabled")
    assert not (tmp_path / "wandb").exists()  # disabled writes nothing


@pytest.mark.parametrize("module", [m for m in SNIPPET_MODULES if m != "readback"])
def test_runs_offline_and_finishes(run_python, module, tmp_path):
    run_python("-m", f"snippets.{module}", mode="offline")
    runs = sorted((tmp_path / "wandb").glob("offline-run-*"))
    assert runs, f"snippets.{module} made no offline run"
    for run_dir in runs:
        assert read_offline_run(find_offline_run(run_dir)).state == "finished"
