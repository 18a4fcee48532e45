"""The session's shared Pythons: one a mode runs every piece of code the suite runs the way
a reader would, in turn, once a session.

Mode "absent" (wandb not installed), "disabled" or "offline". Each Python starts with
neither this repository nor its editable install in reach, and runs, each piece in its
own folder (also its WANDB_DIR) with its stdout and stderr (file descriptors 1 and 2,
child processes' output too) in files there, W&B torn down after it as a process exit
would:
1. every page's Python blocks pasted in order into one file (`page:<page>`), then the
   page's `main()` where it shows one (absent, disabled);
2. SKILL.md's blocks pasted into one file with DRIVER after them: run as a script
   (`skill:pasted`, absent), or by pytest, whose run then includes the read-back block's
   own test (`skill:pytest`, disabled); and every module of a copy of snippets/ named
   `mytracking`, imported (`skill:copy`, absent);
3. with the repository put in reach, `python -m snippets.<module>` for every module
   (`module:<module>`, all three modes);
4. `python -m benchmarks --quick`, its tables in `benchmarks-results` and TMPDIR the
   folder `benchmarks-tmp` (`benchmarks`, offline).
Each Python start imports wandb, torch and Lightning anew, which costs more than most
pieces' own work. Tests that read a mode's results carry
`pytest.mark.xdist_group(f"scripts-{mode}")`, so one worker runs each mode.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.harness import (
    GUARD_SITE,
    REPO,
    SNIPPET_MODULES,
    assert_no_network,
    guarded_env,
    site_packages_copy,
)
from tests.sections import PYTHON, page_blocks, pasted_page

MODES = ("absent", "disabled", "offline")
# Under the offline Python's folder: the quick benchmarks' tables, and their TMPDIR.
BENCHMARK_RESULTS, BENCHMARK_TMP = "benchmarks-results", "benchmarks-tmp"
PAGES = [
    page.name
    for page in sorted((REPO / "docs").glob("*.md"))
    if any(info[0] in PYTHON for _, info, _ in page_blocks(page))
]

# Exercises every name SKILL.md's blocks define, as a training script would after
# pasting them.
DRIVER = """
import os
import numpy as np
with start_run(True, project="pasted", config={"lr": 0.1}) as run:
    assert run.config["lr"] == 0.1
    dropped = log_finite(run, {"loss": float("nan"), "acc": 0.5}, step=0)
    assert dropped == ["loss"], dropped
    group = pixel_boxes([[1.0, 2.0, 5.0, 6.0]], np.array([1]), {1: "cat"}, [0.9])
    assert group["box_data"][0]["domain"] == "pixel"
    assert group["box_data"][0]["box_caption"] == "cat 0.90"
    if os.environ.get("EXPECT") == "wandb":
        import wandb
        image = wandb.Image(np.zeros((8, 8, 3), np.uint8), boxes={"predictions": group})
        run.log({"image": image}, step=1)
    assert type(run).__name__ == os.environ["EXPECT_RUN"], type(run)
print("pasted blocks ran")
"""
# Under pytest, W&B keeps the driver's settings (WANDB_MODE too) until torn down, as the
# harness tears it down between tests; the read-back block's test then runs offline.
TEARDOWN = "\nimport wandb\nwandb.teardown()\n"

# Imports every module of the copy named in argv, each in turn.
IMPORT_THE_COPY = """
import importlib, sys, traceback
for module in sys.argv[1:]:
    try:
        importlib.import_module(module)
    except Exception:
        print("FAILED", module, traceback.format_exc())
    assert "snippets" not in sys.modules, module  # nothing reached the original
print("the copy imported")
"""

# Started with -S: argv[1] is the site-packages copy to add, argv[2] the network guard,
# argv[3] the jobs (JSON), argv[4] where the results go. A job: name, kind ("file",
# "module" or "pytest"), target, folder; optionally args, env, path (put on sys.path
# after the folder), run_name (a file's __name__), main (call the file's main()).
RUNNER = """import importlib.util, json, os, runpy, site, sys, tempfile, time, traceback
_, site_dir, guard, jobs_path, results_path = sys.argv
site.addsitedir(site_dir)
runpy.run_path(guard)  # the network guard, as in every Python the tests start
with open(jobs_path) as f:
    jobs = json.load(f)
reach = {name: bool(importlib.util.find_spec(name)) for name in ("wandb", "snippets")}
results, root = {"in reach": reach}, os.getcwd()
for job in jobs:
    folder = job["folder"]
    os.makedirs(folder)
    os.chdir(folder)
    environ = dict(os.environ)  # restored after the job: its env is its own
    os.environ.update(job.get("env", {}), WANDB_DIR=folder)
    tempfile.tempdir = None  # read TMPDIR again
    sys.path[0] = folder
    sys.path[1:1] = [p for p in job.get("path", []) if p not in sys.path]
    sys.argv = [job["target"], *job.get("args", [])]
    saved = os.dup(1), os.dup(2)
    with open("stdout.txt", "w") as out, open("stderr.txt", "w") as err:
        sys.stdout.flush(), sys.stderr.flush()
        os.dup2(out.fileno(), 1), os.dup2(err.fileno(), 2)
        start, error = time.perf_counter(), None
        try:
            if job["kind"] == "module":
                runpy.run_module(job["target"], run_name="__main__", alter_sys=True)
            elif job["kind"] == "pytest":
                import pytest
                code = pytest.main(["-q", "-s", "-p", "no:cacheprovider", *sys.argv])
                error = None if code == 0 else f"pytest exited {int(code)}"
            else:
                run_name = job.get("run_name", "__main__")
                names = runpy.run_path(job["target"], run_name=run_name)
                if job.get("main") and callable(names.get("main")):
                    names["main"]()
        except SystemExit as stop:
            error = None if stop.code in (None, 0) else f"SystemExit({stop.code!r})"
        except BaseException:
            error = traceback.format_exc()
        finally:
            if "wandb" in sys.modules:
                sys.modules["wandb"].teardown()
            sys.stdout.flush(), sys.stderr.flush()
            os.dup2(saved[0], 1), os.dup2(saved[1], 2)
            os.close(saved[0]), os.close(saved[1])
            os.environ.clear(), os.environ.update(environ)
            tempfile.tempdir = None
    mine = sorted(m for m in sys.modules if m.split(".")[0] == "snippets")
    results[job["name"]] = {
        "error": error, "seconds": time.perf_counter() - start, "snippets": mine
    }
    os.chdir(root)
with open(results_path, "w") as out:
    json.dump(results, out)
"""


@dataclass(frozen=True)
class ScriptRun:
    """What one piece of code did in a mode's Python: in `folder` (its WANDB_DIR too).
    `snippets`: the guide's modules imported by then."""

    name: str
    mode: str
    folder: Path
    error: str | None
    seconds: float
    snippets: list[str] = field(default_factory=list)

    @property
    def stdout(self) -> str:
        return (self.folder / "stdout.txt").read_text()

    @property
    def stderr(self) -> str:
        return (self.folder / "stderr.txt").read_text()

    def report(self) -> str:
        return (
            f"{self.name} ({self.mode}) failed: {self.error}\n"
            f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"
        )


@dataclass(frozen=True)
class ModeRuns:
    """Every piece of one mode's Python, by name, and what was in its reach at start."""

    mode: str
    runs: dict[str, ScriptRun]
    in_reach: dict[str, bool]

    def __getitem__(self, name: str) -> ScriptRun:
        return self.runs[name]

    def modules(self) -> dict[str, ScriptRun]:
        prefix = "module:"
        return {
            name.removeprefix(prefix): run
            for name, run in self.runs.items()
            if name.startswith(prefix)
        }


def skill_blocks() -> list[str]:
    from tests.test_docs import fences

    return [
        content for _, info, content in fences(REPO / "SKILL.md") if info[0] == "python"
    ]


def pasted_skill(folder: Path, after: str = "") -> Path:
    """SKILL.md's code blocks pasted in order into one file, as an agent would."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pasted.py"
    path.write_text("\n\n".join(skill_blocks()) + "\n" + after)
    return path


def pasted_pages(folder: Path) -> dict[str, Path]:
    """Each page's Python blocks pasted in order into one file in `folder`, by page."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for page in PAGES:
        files[page] = folder / f"{Path(page).stem}.py"
        files[page].write_text(pasted_page(f"docs/{page}"))
    return files


def jobs(mode: str, root: Path) -> list[dict]:
    """What the mode's Python runs, in order: see the module's docstring."""
    done: list[dict] = []
    if mode in ("absent", "disabled"):
        for page, path in pasted_pages(root / "pages").items():
            folder = root / "page" / Path(page).stem
            done.append(
                {"name": f"page:{page}", "kind": "file", "target": str(path)}
                | {"folder": str(folder), "main": True, "run_name": "pasted"}
            )
    if mode == "absent":
        skill = pasted_skill(root / "skill", DRIVER)
        env = {"EXPECT_RUN": "NoRun", "EXPECT": "none"}
        done.append(
            {"name": "skill:pasted", "kind": "file", "target": str(skill), "env": env}
            | {"folder": str(root / "skill-pasted")}
        )
        package = root / "copy" / "mytracking"
        shutil.copytree(
            REPO / "snippets", package, ignore=shutil.ignore_patterns("__py*")
        )
        importer = root / "copy" / "import_the_copy.py"
        importer.write_text(IMPORT_THE_COPY)
        modules = sorted(p.stem for p in package.glob("*.py") if p.stem[0] != "_")
        assert len(modules) > 10, modules
        done.append(
            {"name": "skill:copy", "kind": "file", "target": str(importer)}
            | {"folder": str(root / "skill-copy"), "path": [str(package.parent)]}
            | {"args": [f"mytracking.{module}" for module in modules]}
        )
    if mode == "disabled":
        skill = pasted_skill(root / "skill", DRIVER + TEARDOWN)
        env = {"EXPECT_RUN": "NoopRun", "EXPECT": "wandb"}
        done.append(
            {"name": "skill:pytest", "kind": "pytest", "target": str(skill)}
            | {"folder": str(root / "skill-pytest"), "env": env}
            | {"args": ["--rootdir", str(root / "skill-pytest")]}
        )
    # The modules last, with the repository in reach, for them and the Pythons they
    # start (PYTHONPATH): the pieces above must run without it.
    pythonpath = {"PYTHONPATH": f"{GUARD_SITE}:{REPO}"}
    for module in SNIPPET_MODULES:
        done.append(
            {
                "name": f"module:{module}",
                "kind": "module",
                "target": f"snippets.{module}",
            }
            | {"folder": str(root / "module" / module), "path": [str(REPO)]}
            | {"env": pythonpath}
        )
    if mode == "offline":  # last: its torch benchmark sets torch's thread count
        scratch = root / BENCHMARK_TMP
        scratch.mkdir()
        done.append(
            {"name": "benchmarks", "kind": "module", "target": "benchmarks"}
            | {"args": ["--quick", "--out", str(root / BENCHMARK_RESULTS)]}
            | {"folder": str(root / "benchmarks"), "path": [str(REPO)]}
            | {"env": pythonpath | {"TMPDIR": str(scratch)}}
        )
    return done


def run_mode(mode: str, root: Path) -> ModeRuns:
    assert mode in MODES, mode
    env = guarded_env(root, "disabled" if mode == "absent" else mode)
    env.pop("PYTHONPATH")  # the repository stays out of reach until the modules run
    # one Python a mode: no plugin of this environment loads into the pasted pytest run
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    site = site_packages_copy(root, wandb=mode != "absent")
    (root / "jobs.json").write_text(json.dumps(jobs(mode, root)))
    results = root / "results.json"
    guard = GUARD_SITE / "sitecustomize.py"
    with open(root / "output.txt", "w") as output:
        done = subprocess.run(
            [sys.executable, "-S", "-c", RUNNER, str(site), str(guard)]
            + [str(root / "jobs.json"), str(results)],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=600,
        )
    output_text = (root / "output.txt").read_text()
    assert done.returncode == 0 and results.exists(), (
        f"the Python running every piece ({mode}) exited {done.returncode}\n"
        f"{output_text}"
    )
    assert_no_network(root)
    found = json.loads(results.read_text())
    in_reach = found.pop("in reach")
    runs = {
        name: ScriptRun(name, mode, Path(job["folder"]), **found[name])
        for job in json.loads((root / "jobs.json").read_text())
        for name in [job["name"]]
    }
    return ModeRuns(mode, runs, in_reach)


@pytest.fixture(scope="session")
def python_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], ModeRuns]:
    """python_runs(mode)[name]: what each piece did in the mode's Python (run on first
    use, once a session)."""
    done: dict[str, ModeRuns] = {}

    def runs(mode: str) -> ModeRuns:
        if mode not in done:
            done[mode] = run_mode(mode, tmp_path_factory.mktemp(f"python-{mode}"))
        return done[mode]

    return runs


@pytest.fixture(scope="session")
def script_runs(
    python_runs: Callable[[str], ModeRuns],
) -> Callable[[str], dict[str, ScriptRun]]:
    """script_runs(mode)[module]: `python -m snippets.<module>` in the mode's Python."""
    return lambda mode: python_runs(mode).modules()


@dataclass(frozen=True)
class QuickBenchmarks:
    """`python -m benchmarks --quick --out results` run offline: its tables in
    `results`, the files it left in its TMPDIR `scratch`, and benchmarks.json."""

    results: Path
    scratch: Path
    report: dict


@pytest.fixture(scope="session")
def quick_benchmarks(python_runs: Callable[[str], ModeRuns]) -> QuickBenchmarks:
    """Every benchmark with --quick, in the offline Python. Tests that take it carry
    `xdist_group("scripts-offline")`."""
    ran = python_runs("offline")["benchmarks"]
    assert ran.error is None, ran.report()
    root = ran.folder.parent
    results = root / BENCHMARK_RESULTS
    report = json.loads((results / "benchmarks.json").read_text())
    return QuickBenchmarks(results, root / BENCHMARK_TMP, report)
