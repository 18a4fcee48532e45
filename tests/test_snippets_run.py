"""Every snippet module runs as a script, `python -m snippets.<module>`, in all three situations:
wandb not installed at all, WANDB_MODE=disabled, and offline (where the run it made must read
back as finished). New modules in snippets/ are picked up without editing this file.

One Python a mode runs every module in turn (the harness's `script_runs`): starting a Python
that imports wandb, torch and Lightning costs more than most modules' own work."""

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


@pytest.mark.xdist_group("scripts-absent")
@pytest.mark.parametrize("module", SNIPPET_MODULES)
def test_runs_without_wandb_installed(script_runs, module):
    ran = script_runs("absent")[module]
    assert ran.error is None, ran.report()
    assert "Traceback" not in ran.stderr


@pytest.mark.xdist_group("scripts-disabled")
@pytest.mark.parametrize("module", SNIPPET_MODULES)
def test_runs_disabled(script_runs, module):
    ran = script_runs("disabled")[module]
    assert ran.error is None, ran.report()
    assert not (ran.folder / "wandb").exists()  # disabled writes nothing


@pytest.mark.xdist_group("scripts-offline")
@pytest.mark.parametrize("module", [m for m in SNIPPET_MODULES if m != "readback"])
def test_runs_offline_and_finishes(script_runs, module):
    ran = script_runs("offline")[module]
    assert ran.error is None, ran.report()
    runs = sorted((ran.folder / "wandb").glob("offline-run-*"))
    assert runs, f"snippets.{module} made no offline run"
    for run_dir in runs:
        assert read_offline_run(find_offline_run(run_dir)).state == "finished"
