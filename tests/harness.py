"""The shared test harness: every test, and every code fence in SKILL.md and docs/, runs here.

- Each test runs in its own temporary directory with WANDB_MODE=disabled and every W&B folder
  (runs, staging, cache, settings) inside it, no API key, and a base URL on a closed local
  port, so nothing reaches the network or the home folder.
- `offline` switches a test to offline mode and returns a function that reads back what the
  run recorded (snippets.readback).
- No test reaches the network: every socket may connect only to loopback addresses and
  AF_UNIX paths (wandb's own service needs those), in the test's process and in every
  Python it starts (tests/network_guard.py, loaded there by network_guard_site/ on
  PYTHONPATH). A blocked connection fails the test even if the code under test catches it.
- `run_python` runs `python -m snippets.<module>` (or `-c CODE`) in a subprocess, with wandb
  installed or in a Python where wandb is not installed at all (`wandb_installed=False`).
- `python_runs(mode)` and `script_runs(mode)` (tests/python_runs.py): one Python a mode
  runs every pasted page, SKILL.md pasted, and every module as a script, once a session.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from snippets.readback import RecordedRun, read_offline_run, sandbox_env
from tests import network_guard

REPO = Path(__file__).resolve().parent.parent
SITE_PACKAGES = Path(pytest.__file__).resolve().parent.parent
GUARD_SITE = REPO / "tests" / "network_guard_site"  # its sitecustomize guards a child
SNIPPET_MODULES = sorted(
    p.stem for p in (REPO / "snippets").glob("*.py") if not p.stem.startswith("_")
)


# W&B lists every installed package (the run's requirements.txt) as each run starts,
# which no test but one reads: without it, the suite takes a fifth less CPU time. Its
# own setting (x_save_requirements, in the environment WANDB__SAVE_REQUIREMENTS) turns
# it off in every test and every Python a test starts.
QUICK_START = {"WANDB__SAVE_REQUIREMENTS": "false"}


def sandboxed_env(root: Path, mode: str) -> dict[str, str]:
    """sandbox_env (snippets/readback.py), with W&B's run start made lighter."""
    return {**sandbox_env(root, mode), **QUICK_START}


@pytest.fixture(autouse=True)
def wandb_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test runs in a temporary directory with W&B disabled and sandboxed."""
    monkeypatch.chdir(tmp_path)
    for key, value in sandboxed_env(tmp_path, mode="disabled").items():
        monkeypatch.setenv(key, value)
    yield tmp_path
    wandb = sys.modules.get("wandb")
    if wandb is not None:
        if wandb.run is not None:  # leaving `with` in disabled mode keeps wandb.run set
            wandb.run.finish()
        wandb.teardown()  # W&B caches settings (WANDB_MODE too) until torn down


@pytest.fixture(autouse=True)
def network_guard_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Only local connections, here and in every Python the test starts; the file lists
    each blocked connection, and the test fails if it is not empty at the end."""
    log = tmp_path.parent / f"{tmp_path.name}.network-guard.log"
    log.write_text("")
    monkeypatch.setenv(network_guard.LOG_ENV, str(log))
    path = [str(GUARD_SITE), str(REPO), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in path if p))
    for name, method in network_guard.GUARDED.items():
        monkeypatch.setattr(socket.socket, name, method)
    yield log
    blocked = log.read_text()
    if blocked:
        pytest.fail(blocked, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    """pytest-markdown-docs runs the code blocks of SKILL.md and docs/; it would also
    import every .py file under tests/ to look for code in docstrings, where there is
    none, and that import (Lightning's among them) costs each worker seconds."""
    collected = yield
    if file_path.suffix != ".py":
        return collected
    return [c for c in collected if type(c).__name__ != "MarkdownDocstringCodeModule"]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` starts one worker a core and one more: with one a core, the cores idle
    a fifth of the time while tests wait on child processes (signals, restarts, log
    files settling); the extra worker fills it (2 cores, the whole suite: 96 s, against
    110 s with 2 workers).
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides where it is set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use (Linux)
        return len(os.sched_getaffinity(0)) + 1
    return (os.cpu_count() or 1) + 1


def pytest_collection_finish(session: pytest.Session) -> None:
    """Collection runs on every worker: Lightning's import there (about 3 s, torch's
    compiler and scipy with it) would cost each of them. Its tests import it in a
    fixture, as tests/test_lightning_training.py does."""
    if "lightning" in sys.modules:
        raise pytest.UsageError(
            "a test module imported Lightning at collection: import it in a "
            "module-scoped fixture, as tests/test_lightning_training.py does"
        )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    """Under `-n` the tests that share a session fixture must run on one worker (their
    `xdist_group`), or each worker pays for the fixture.

    Before xdist reads the groups: a test that imports Lightning through its module's
    `import_lightning` fixture joins the group "lightning", so one worker pays that
    import; one with a group of its own keeps it (xdist would join both names into a
    third group). After: xdist marks the groups by a suffix of each node id, which some
    pytest releases silently ignore: stop there."""
    for item in items:
        if "import_lightning" in item.fixturenames and not item.get_closest_marker(
            "xdist_group"
        ):
            item.add_marker(pytest.mark.xdist_group("lightning"))
    result = yield
    if not getattr(config.option, "loadgroup", False):  # xdist's workers set it
        return result
    for item in items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            raise pytest.UsageError(
                f"pytest {pytest.__version__} does not keep xdist_group tests on one "
                "worker (pytest-xdist#1386): pip install 'pytest<9.2'"
            )
    return result


def python_env(tmp_path: Path, mode: str) -> dict[str, str]:
    """The environment of a Python a test starts: sandboxed W&B and the network guard."""
    path = os.pathsep.join([str(GUARD_SITE), str(REPO)])
    return {**os.environ, **sandboxed_env(tmp_path, mode), "PYTHONPATH": path}


@pytest.fixture
def offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], RecordedRun]:
    """Switch this test to offline mode; call the result to read back the run it made."""
    monkeypatch.setenv("WANDB_MODE", "offline")
    return lambda: read_offline_run(tmp_path)


def site_packages_copy(root: Path, wandb: bool = False) -> Path:
    """A copy of site-packages, as links, under `root`, less this repository's editable
    install (the `snippets` package) and, unless `wandb`, less wandb: to a Python
    started with -S that adds it, wandb is then not installed."""
    site = root / ("site-packages" if wandb else "site-packages-without-wandb")
    if not site.exists():
        site.mkdir(parents=True)
        for entry in SITE_PACKAGES.iterdir():
            name = entry.name.lower()
            if name.startswith("__editable__"):
                continue
            if not wandb and (name == "wandb" or name.startswith("wandb-")):
                continue
            (site / entry.name).symlink_to(entry)
    return site


# Start Python without its own site-packages (-S), then add the copy without wandb, so that
# both `import wandb` and importlib.metadata find nothing, as on a machine without it.
# argv: SITE REPO (-m MODULE | -c CODE) ARGS...  (-S skips sitecustomize: guard here)
_BOOT = """import runpy, site, sys
site.addsitedir(sys.argv.pop(1))
sys.path.insert(0, sys.argv.pop(1))
import tests.network_guard
tests.network_guard.install_from_env()
flag, target = sys.argv.pop(1), sys.argv.pop(1)
if flag == "-m":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
"""


def guarded_env(root: Path, mode: str) -> dict[str, str]:
    """python_env for a Python that a session- or module-scoped fixture starts, outside
    any one test: its network guard writes to root/network-guard.log, which
    `assert_no_network(root)` checks."""
    (root / "network-guard.log").write_text("")
    return {
        **python_env(root, mode),
        network_guard.LOG_ENV: str(root / "network-guard.log"),
    }


def assert_no_network(root: Path) -> None:
    blocked = (root / "network-guard.log").read_text()
    assert blocked == "", blocked


def python_command(
    flag: str, target: str, *args: str, wandb_installed: bool, base: Path
) -> list[str]:
    """The command line of `python FLAG TARGET ARGS`, in a Python where wandb is
    installed or not (its site-packages copy lives under `base`)."""
    assert flag in ("-m", "-c"), "pass '-m', 'module' or '-c', 'code'"
    if wandb_installed:
        return [sys.executable, flag, target, *args]
    site = site_packages_copy(base)
    return [
        sys.executable,
        "-S",
        "-c",
        _BOOT,
        str(site),
        str(REPO),
        flag,
        target,
        *args,
    ]


@pytest.fixture
def run_python(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `python -m MODULE ARGS` or `python -c CODE` in the test's directory, with wandb
    installed or not; the test fails, showing the output, if it exits non-zero."""

    def run(
        flag: str,
        target: str,
        *args: str,
        mode: str = "disabled",
        wandb_installed: bool = True,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        env = python_env(tmp_path, mode)
        base = tmp_path_factory.getbasetemp()
        cmd = python_command(
            flag, target, *args, wandb_installed=wandb_installed, base=base
        )
        done = subprocess.run(
            cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, (
            f"python {flag} {target[:60]} exited {done.returncode}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        )
        return done

    return run
