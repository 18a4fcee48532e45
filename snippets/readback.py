"""Read back what an offline W&B run recorded, with no server: for testing training
code.

Run the code under test with WANDB_MODE=offline in a temporary directory, then call
`read_offline_run` on that directory and assert on config, summary, history rows,
defined metrics, artifacts and saved files. The reading is done by W&B's own reader,
`wandb leet inspect`, not by a parser of the log format written here.

Run it:  python -m snippets.readback [PATH]   (prints what the newest run under PATH
recorded)
"""

# --8<-- [start:future]
from __future__ import annotations

# --8<-- [end:future]
# --8<-- [start:imports]
import json
import os
import subprocess
import sys

# --8<-- [end:imports]
# isort: split
# --8<-- [start:more-imports]
import math
import time
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# --8<-- [end:more-imports]
# isort: split
from .init import MODES, check_flag, one_of, start_run

__all__ = [
    "IncompleteRun",
    "NoRunRecorded",
    "RecordedArtifact",
    "RecordedRun",
    "check_complete",
    "closed_log_records",
    "find_offline_run",
    "inspect_records",
    "leet_inspect",
    "offline_sandbox",
    "read_offline_run",
    "run_leet_inspect",
    "sandbox_env",
    "wait_until_unchanged",
]


# --8<-- [start:records]
class NoRunRecorded(FileNotFoundError):
    """The path holds no offline W&B run (or holds several where one was expected)."""


class IncompleteRun(RuntimeError):
    """The run's log has no exit record (the run was killed, or is still running, or
    the file was cut short), or W&B's reader skipped damaged data in it."""


@dataclass(frozen=True)
class RecordedArtifact:
    name: str
    type: str
    aliases: tuple[str, ...]
    files: tuple[str, ...]  # paths inside the artifact
    metadata: dict[str, Any]


@dataclass(frozen=True)
class RecordedRun:
    run_dir: Path
    run_id: str
    project: str
    # "finished", "failed"; with allow_unfinished, "running" or "unknown" (nothing
    # flushed) for a run killed or still being written
    state: str
    exit_code: int | None
    config: dict[str, Any]
    # W&B's own part of the config ("_wandb"): class labels, ...
    wandb_config: dict[str, Any]
    # nested: {"val/loss": {"min": 0.2}}, {"img": {"_type": ...}}
    summary: dict[str, Any]
    # one dict per committed step; nested keys joined by "."
    history: list[dict[str, Any]]
    # define_metric calls, by name (or glob, e.g. "val/*")
    metrics: dict[str, dict[str, Any]]
    artifacts: list[RecordedArtifact]
    files: list[str] = field(default_factory=list)  # saved files, relative to files_dir
    complete: bool = True  # the log ends with its exit record
    # W&B's run record: run_group, job_type, resume, tags, notes, ...
    run_record: dict[str, Any] = field(default_factory=dict)

    @property
    def files_dir(self) -> Path:
        return self.run_dir / "files"

    def column(self, key: str) -> list[Any]:
        """The values of one history key, in step order, from the rows that have it.
        A key that no row holds is a KeyError (a misspelt key, not an empty column)."""
        values = [row[key] for row in self.history if key in row]
        if self.history and not values:
            keys = sorted({k for row in self.history for k in row})
            raise KeyError(f"no history row holds key {key!r}; they hold: {keys}")
        return values
        # --8<-- [end:records]


# --8<-- [start:find]
def find_offline_run(path: str | Path) -> Path:
    """The one run directory at `path`: a run directory, its .wandb file, or a folder
    with one run in `wandb/` (the folder itself, or the folder above it)."""
    if not isinstance(path, str | os.PathLike) or not str(path):
        raise TypeError(f"path={path!r}: pass a run folder or its .wandb file")
    path = Path(path).expanduser()
    if path.is_file() and path.suffix == ".wandb":
        return path.parent
    if path.is_file():
        raise NoRunRecorded(
            f"{path} is a file but not a W&B log: pass a run folder or its .wandb file"
        )
    if not path.is_dir():
        raise NoRunRecorded(f"{path} does not exist")
    runs = sorted(path.glob("*.wandb")) and [path]
    runs = runs or [*path.glob("offline-run-*"), *path.glob("wandb/offline-run-*")]
    if not runs:
        raise NoRunRecorded(
            f"no offline W&B run in {path}: expected a run-*.wandb file or a "
            "wandb/offline-run-* folder (was the run started with mode='offline'?)"
        )
    if len(runs) > 1:
        names = ", ".join(str(r.relative_to(path)) for r in sorted(runs))
        raise NoRunRecorded(
            f"{path} holds {len(runs)} runs ({names}): pass one of them"
        )
    logs = sorted(runs[0].glob("*.wandb"))
    if len(logs) != 1:
        raise NoRunRecorded(
            f"{runs[0]} holds {len(logs)} .wandb files "
            f"({', '.join(f.name for f in logs) or 'none'}): a run folder holds one"
        )
    return runs[0]
    # --8<-- [end:find]


# --8<-- [start:leet-inspect]
def leet_inspect(run_dir: str | os.PathLike[str], *flags: str) -> str:
    """W&B's reader of an offline run: with "--summary", "--json" one JSON object
    (state, config, summary); with "--json" alone a JSON record a line (history...)."""
    if not (isinstance(run_dir, str | os.PathLike) and os.path.exists(run_dir)):
        raise FileNotFoundError(f"run_dir={run_dir!r} does not exist")
    cmd = [sys.executable, "-m", "wandb", "leet", "inspect", *flags, str(run_dir)]
    env = {**os.environ, "WANDB_MODE": "offline", "WANDB_ERROR_REPORTING": "false"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"leet inspect {run_dir}: {done.stderr or done.stdout}")
    return done.stdout
    # --8<-- [end:leet-inspect]


# --8<-- [start:run-leet-inspect]
def run_leet_inspect(
    log_file: str | os.PathLike[str], *flags: str
) -> subprocess.CompletedProcess[str]:
    """`wandb leet inspect FLAGS LOG_FILE` as W&B's command line runs it: that command
    only finds W&B's wandb-core binary and starts it with these arguments. Starting the
    binary here skips a Python that imports W&B's command line, which costs far more
    than the read itself (tests/test_readback.py checks both give the same output)."""
    from wandb.util import get_core_path

    log_file = _log_path(log_file).resolve()
    if not all(isinstance(flag, str) for flag in flags):
        raise TypeError(f"flags={flags!r}: strings, such as '--json'")
    cmd = [get_core_path(), "leet", "inspect", "--no-observability", *flags]
    cmd += ["--run-file", str(log_file), str(log_file.parent.parent)]
    return subprocess.run(cmd, capture_output=True, text=True)


def _log_path(log_file: str | os.PathLike[str]) -> Path:
    """`log_file` as a Path, once it is checked to be a file: a run's .wandb log."""
    if not isinstance(log_file, str | os.PathLike) or not str(log_file):
        raise TypeError(f"log_file={log_file!r}: pass a run's .wandb file")
    path = Path(log_file)
    if not path.exists():
        raise FileNotFoundError(f"log_file={str(path)!r} does not exist")
    if path.is_dir():
        raise IsADirectoryError(
            f"log_file={str(path)!r} is a folder: pass the .wandb file in it"
        )
    return path
    # --8<-- [end:run-leet-inspect]


# --8<-- [start:read]
def _merge(into: dict[str, Any], update: dict[str, Any]) -> None:
    """Merge nested dicts, as W&B applies successive config updates."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _artifact(record: dict[str, Any]) -> RecordedArtifact:
    contents = record.get("manifest", {}).get("contents", [])
    metadata = json.loads(record.get("metadata") or "{}")
    if not isinstance(metadata, dict):
        raise TypeError(f"metadata {metadata!r} is not a JSON object")
    return RecordedArtifact(
        name=record["name"],
        type=record["type"],
        aliases=tuple(record.get("aliases", [])),
        files=tuple(entry["path"] for entry in contents),
        metadata=metadata,
    )


def read_offline_run(path: str | Path, allow_unfinished: bool = False) -> RecordedRun:
    """Everything an offline run recorded, read with `wandb leet inspect`.

    A log with no exit record (a run killed, still running, or a file cut short) is
    an IncompleteRun error unless allow_unfinished=True; damaged data always is.
    """
    check_flag(allow_unfinished, "allow_unfinished")
    run_dir = find_offline_run(path)
    [log_file] = run_dir.glob("*.wandb")
    records, problem = closed_log_records(log_file)
    summary = run_leet_inspect(log_file, "--summary", "--json")
    if summary.returncode != 0:
        raise RuntimeError(f"wandb leet inspect {log_file}: {summary.stderr}")
    overview = _parse_json(summary.stdout, log_file, "a summary")
    if not isinstance(overview, dict):
        raise RuntimeError(f"{log_file}: the summary is not a JSON object: {overview}")
    complete = any(record["type"] == "exit" for record in records)
    check_complete(log_file, records, problem, complete or allow_unfinished)
    history, metrics, artifacts, files = [], {}, [], []
    wandb_config: dict[str, Any] = {}
    run_record: dict[str, Any] = {}
    for record in records:
        kind, body = record["type"], record.get(record["type"], {})
        try:
            if kind == "run":
                run_record = body
            if kind in ("run", "config"):  # a run record holds the first config update
                update = (body.get("config", {}) if kind == "run" else body).get(
                    "update", {}
                )
                _merge(wandb_config, update.get("_wandb", {}))
            elif kind == "history":
                history.append(dict(body["item"]))
            elif kind == "metric":
                name = body.get("name") or body["glob_name"]
                metrics[name] = {
                    k: v for k, v in body.items() if k not in ("name", "glob_name")
                }
            elif kind == "artifact":
                artifacts.append(_artifact(body))
            elif kind == "files":
                files.extend(f["path"] for f in body.get("files", []))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise RuntimeError(
                f"{log_file}: a {kind!r} record is not as wandb 0.31's reader writes "
                f"it ({type(error).__name__}: {error}): {json.dumps(record)[:200]}"
            ) from error
    return RecordedRun(
        run_dir=run_dir,
        run_id=overview.get("run_id", ""),
        project=overview.get("project", ""),
        state=overview.get("state", "unknown"),
        exit_code=overview.get("exit_code"),
        config=overview.get("config", {}),
        wandb_config=wandb_config,
        summary=overview.get("summary", {}),
        history=history,
        metrics=metrics,
        artifacts=artifacts,
        files=files,
        complete=complete,
        run_record=run_record,
    )


def _parse_json(text: str, log_file: Path, what: str) -> Any:
    """json.loads, or an error that names the log and what W&B's reader printed."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RuntimeError(
            f"{log_file}: W&B's reader printed {what} that is not JSON ({error}): "
            f"{text[:200]!r}"
        ) from error
    # --8<-- [end:read]


# --8<-- [start:incomplete]
def closed_log_records(
    log_file: str | os.PathLike[str],
) -> tuple[list[dict[str, Any]], str]:
    """inspect_records, once W&B has written the log out. run.finish() returns before
    W&B's service process, wandb-core, has: right after a finished run the file can
    still hold only its 7-byte header (seen with two runs at once on two cores; half a
    second later it held all 50 rows). So a log with no exit record is read again once
    it has stopped growing; a killed run's log, which never grows again, costs that
    wait once."""
    log_file = _log_path(log_file)
    try:
        records, problem = inspect_records(log_file)
        if any(record["type"] == "exit" for record in records):
            return records, problem
    except RuntimeError:
        if log_file.stat().st_size >= HEADER_BYTES:
            raise  # a whole header, and still not a log: not a W&B log at all
    wait_until_unchanged(log_file)
    return inspect_records(log_file)


HEADER_BYTES = 7  # a .wandb log's header: W&B's magic bytes and a version


def wait_until_unchanged(
    path: str | os.PathLike[str], settle: float = 1.0, timeout: float = 30.0
) -> None:
    """Return once the file's size has not changed for `settle` seconds."""
    for name, value in (("settle", settle), ("timeout", timeout)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{name}={value!r}: seconds, a number")
        if not 0 <= value < math.inf:
            raise ValueError(f"{name}={value!r}: seconds, from 0, finite")
    path = _log_path(path)
    deadline = time.monotonic() + timeout
    size, since = path.stat().st_size, time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < settle:
        time.sleep(0.05)
        if path.stat().st_size != size:
            size, since = path.stat().st_size, time.monotonic()


def inspect_records(
    log_file: str | os.PathLike[str],
) -> tuple[list[dict[str, Any]], str]:
    """The records W&B's reader returns, and what it said about the file on stderr
    ("" for a whole log): "reached the end of an incomplete .wandb file" or "skipped
    corrupt data: ...", with exit status 0 either way."""
    log_file = _log_path(log_file)
    done = run_leet_inspect(log_file, "--json")
    if done.returncode != 0:
        raise RuntimeError(
            f"wandb leet inspect {log_file}: {done.stderr or done.stdout}"
        )
    problem = done.stderr.strip().removeprefix("wandb leet inspect: ")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    records = [_parse_json(line, log_file, "a record") for line in lines]
    for record in records:
        if not isinstance(record, dict) or not isinstance(record.get("type"), str):
            raise RuntimeError(
                f"{log_file}: W&B's reader printed {str(record)[:200]}, not a record "
                '(a JSON object with a "type")'
            )
    return records, problem


def check_complete(
    log_file: str | os.PathLike[str],
    records: list[dict[str, Any]],
    problem: str,
    accept_end: bool,
) -> None:
    """IncompleteRun for damaged data, and, unless accept_end (the log has its exit
    record, or an unfinished run is allowed), for a log that ends early."""
    if not isinstance(records, list) or not isinstance(problem, str):
        raise TypeError("records and problem: what inspect_records returns")
    damaged = problem.startswith("skipped corrupt data")
    if damaged or not check_flag(accept_end, "accept_end"):
        rows = sum(r["type"] == "history" for r in records)
        raise IncompleteRun(
            f"{log_file}: {problem or 'no exit record'}; read {len(records)} records "
            f"({rows} history rows). "
            + (
                "The log is damaged: do not trust what it holds."
                if damaged
                else "The run was killed, is still running, or the file was cut "
                "short: read_offline_run(path, allow_unfinished=True) reads what is "
                "there."
            )
        )
    # --8<-- [end:incomplete]


# --8<-- [start:sandbox]
def sandbox_env(root: str | Path, mode: str = "offline") -> dict[str, str]:
    """Environment variables that keep everything W&B writes under `root`: runs,
    artifact staging, cache and settings, with no API key and no server in reach."""
    mode = one_of(mode, MODES, "mode")
    if not isinstance(root, str | os.PathLike) or not str(root):
        raise TypeError(f"root={root!r}: pass a folder (str or Path)")
    root = Path(root)
    existing = next(p for p in (root, *root.parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        what = "a file" if not existing.is_dir() else "not writable"
        raise NotADirectoryError(
            f"root={str(root)!r}: {str(existing)!r} is {what}, and W&B would write "
            "the run to the system's temporary folder instead: pass a folder"
        )
    home = root / ".wandb-home"
    return {
        "WANDB_MODE": mode,
        "WANDB_DIR": str(root),
        "WANDB_DATA_DIR": str(home / "data"),
        "WANDB_CACHE_DIR": str(home / "cache"),
        "WANDB_CONFIG_DIR": str(home / "config"),
        "WANDB_ARTIFACT_DIR": str(home / "artifacts"),
        "WANDB_API_KEY": "",
        "WANDB_BASE_URL": "http://127.0.0.1:9",  # a closed local port: requests fail
        "WANDB_SILENT": "true",
        "WANDB_DISABLE_GIT": "true",
    }


@contextmanager
def offline_sandbox(root: str | Path) -> Generator[Path, None, None]:
    """Run the code inside offline, writing only under `root`; restore everything
    after."""
    sandbox = sandbox_env(root)  # checks root before anything changes
    saved = dict(os.environ)
    os.environ.update(sandbox)
    try:
        yield Path(root)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        # W&B caches its settings, WANDB_MODE included, until torn down: the next run
        # reads them anew.
        if "wandb" in sys.modules:
            sys.modules["wandb"].teardown()
    # --8<-- [end:sandbox]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---


# --8<-- [start:example-test]
def test_training_records_what_it_logged(tmp_path, monkeypatch):
    """Run the code offline in a temporary folder; assert on what W&B recorded."""
    import wandb

    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_DIR", str(tmp_path))
    with start_run(True, project="under-test", config={"lr": 0.1}) as run:
        for step in range(3):  # the training code under test goes here
            run.log({"train/loss": 1 / (step + 1)}, step=step)
    wandb.teardown()  # waits until W&B's service has written the log out
    [run_dir] = tmp_path.glob("wandb/offline-run-*")
    recorded = json.loads(leet_inspect(run_dir, "--summary", "--json"))
    assert recorded["state"] == "finished"
    assert recorded["config"] == {"lr": 0.1}
    assert recorded["summary"]["train/loss"] == 1 / 3
    # --8<-- [end:example-test]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else ".")
    try:
        run_dir = find_offline_run(root)
    except NoRunRecorded:
        newest = sorted(root.glob("**/offline-run-*"), key=lambda p: p.stat().st_mtime)
        if not newest:
            print(
                f"no offline W&B run under {root.resolve()}; make one with: "
                "WANDB_MODE=offline python -m snippets.init"
            )
            return
        run_dir = newest[-1]
    try:
        import wandb  # noqa: F401  # the reader ships with wandb
    except ImportError:
        print(
            "wandb is not installed, so there is no reader: pip install 'wandb[media]'"
        )
        return
    run = read_offline_run(run_dir)
    print(f"{run.run_dir}: state={run.state}, {len(run.history)} history rows")
    print("config: ", json.dumps(run.config, sort_keys=True))
    print("summary:", json.dumps(run.summary, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
