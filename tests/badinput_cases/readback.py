"""The readback topic's bad-input cases (snippets/readback.py), beyond the damaged logs
of tests/badinput_survey.py's readback_cases: arguments, W&B's reader saying something
that is not what it should, and the sandbox's root."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

EXIT = {"type": "exit", "exit": {"exit_code": 0}}
RUN = {"type": "run", "run": {"run_id": "fake", "project": "p"}}
OVERVIEW = {"state": "finished", "run_id": "fake", "project": "p", "config": {}}


def cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    from wandb.util import get_core_path  # noqa: F401  # imported here, not timed

    import snippets.readback as readback
    from snippets.readback import (
        RecordedRun,
        check_complete,
        closed_log_records,
        find_offline_run,
        inspect_records,
        leet_inspect,
        offline_sandbox,
        read_offline_run,
        run_leet_inspect,
        sandbox_env,
        wait_until_unchanged,
    )

    run_dir = root / "wandb" / "offline-run-20260101_000000-fake"
    run_dir.mkdir(parents=True)
    log = run_dir / "run-fake.wandb"
    log.write_bytes(b"a log the fake reader below never opens")
    folder = root / "empty-folder"
    folder.mkdir()
    a_file = root / "notes.txt"
    a_file.write_text("not a folder")
    garbage = root / "garbage" / "offline-run-20260101_000000-bad"
    garbage.mkdir(parents=True)
    (garbage / "run-bad.wandb").write_bytes(b"this is not a W&B transaction log")
    named_wandb_dir = root / "odd" / "x.wandb"
    named_wandb_dir.mkdir(parents=True)

    def reads(
        records: list[Any] | str, overview: Any = None, stderr: str = ""
    ) -> Callable[[], Any]:
        """read_offline_run(log) where W&B's reader prints these records (a list of
        JSON values, or the raw text) and this summary object."""
        lines = records if isinstance(records, str) else _lines(records)
        summary = json.dumps(OVERVIEW if overview is None else overview)
        summary = overview if isinstance(overview, str) else summary

        def fake(log_file: Path, *flags: str) -> subprocess.CompletedProcess[str]:
            out = summary if "--summary" in flags else lines
            return subprocess.CompletedProcess([], 0, out, stderr)

        def call() -> Any:
            with mock.patch.object(readback, "run_leet_inspect", fake):
                return read_offline_run(log)

        return call

    def history(*rows: dict[str, Any]) -> RecordedRun:
        return RecordedRun(
            run_dir=run_dir, run_id="x", project="p", state="finished", exit_code=0,
            config={}, wandb_config={}, summary={}, history=list(rows), metrics={},
            artifacts=[],
        )  # fmt: skip

    def sandbox(root_: Any) -> Callable[[], Any]:
        def call() -> Any:
            with offline_sandbox(root_) as inside:
                return inside

        return call

    artifact = {"name": "m", "type": "model", "aliases": ["latest"]}
    return [
        *reported_cases(root / "reported"),
        # find_offline_run and read_offline_run: the path
        ("find(None)", lambda: find_offline_run(None), "path"),
        ("find('')", lambda: find_offline_run(""), "path"),
        ("find(3)", lambda: find_offline_run(3), "path"),
        ("find a missing .wandb", lambda: find_offline_run(root / "run-x.wandb"), "does not exist"),
        ("find an empty folder", lambda: find_offline_run(folder), "no offline W&B run"),
        ("find a folder named x.wandb", lambda: find_offline_run(named_wandb_dir), "no offline W&B run"),
        ("find '~/…' missing", lambda: find_offline_run("~/no-such-run-folder-here"), "does not exist"),
        ("read(None)", lambda: read_offline_run(None), "path"),
        ("read('')", lambda: read_offline_run(""), "path"),
        ("read allow_unfinished='yes'", lambda: read_offline_run(log, allow_unfinished="yes"), "allow_unfinished"),
        ("read allow_unfinished=1", lambda: read_offline_run(log, allow_unfinished=1), "allow_unfinished"),
        ("read allow_unfinished=None", lambda: read_offline_run(log, allow_unfinished=None), "allow_unfinished"),
        ("read a garbage log", lambda: read_offline_run(garbage), "run-bad.wandb"),
        # W&B's reader printing what it should not: each error names the log
        ("a record line not JSON", reads(_lines([RUN]) + "oops\n" + _lines([EXIT])), "run-fake.wandb"),
        ("a blank record line", reads(_lines([RUN]) + "\n" + _lines([EXIT])), lambda r: r.complete),
        ("summary not JSON", reads([RUN, EXIT], overview="wandb: warning\n{}"), "run-fake.wandb"),
        ("summary empty", reads([RUN, EXIT], overview=""), "run-fake.wandb"),
        ("summary a JSON list", reads([RUN, EXIT], overview=[1, 2]), "run-fake.wandb"),
        ("a record that is a list", reads([RUN, [1, 2], EXIT]), "run-fake.wandb"),
        ("a record without type", reads([RUN, {"history": {}}, EXIT]), "run-fake.wandb"),
        ("history without item", reads([RUN, {"type": "history", "history": {}}, EXIT]), "run-fake.wandb"),
        ("history item not a dict", reads([RUN, {"type": "history", "history": {"item": 3}}, EXIT]), "run-fake.wandb"),
        ("metric without a name", reads([RUN, {"type": "metric", "metric": {"step_metric": "x"}}, EXIT]), "run-fake.wandb"),
        ("artifact without name", reads([RUN, {"type": "artifact", "artifact": {"type": "model"}}, EXIT]), "run-fake.wandb"),
        ("artifact metadata not JSON", reads([RUN, {"type": "artifact", "artifact": {**artifact, "metadata": "{bad"}}, EXIT]), "metadata"),
        ("artifact metadata a list", reads([RUN, {"type": "artifact", "artifact": {**artifact, "metadata": "[1]"}}, EXIT]), "metadata"),
        ("manifest entry without path", reads([RUN, {"type": "artifact", "artifact": {**artifact, "manifest": {"contents": [{"size": 1}]}}}, EXIT]), "run-fake.wandb"),
        ("files not a list", reads([RUN, {"type": "files", "files": {"files": "a.txt"}}, EXIT]), "run-fake.wandb"),
        ("config update not a dict", reads([RUN, {"type": "config", "config": {"update": [1]}}, EXIT]), "run-fake.wandb"),
        ("a record body not a dict", reads([RUN, {"type": "summary", "summary": 3}, EXIT]), lambda r: r.complete),
        # the reader's own entry points
        ("leet_inspect(None)", lambda: leet_inspect(None, "--json"), "run_dir"),
        ("leet_inspect a missing path", lambda: leet_inspect(root / "missing", "--json"), "does not exist"),
        ("run_leet_inspect(None)", lambda: run_leet_inspect(None), "log_file"),
        ("run_leet_inspect a missing log", lambda: run_leet_inspect(root / "missing.wandb"), "does not exist"),
        ("run_leet_inspect a folder", lambda: run_leet_inspect(run_dir), "log_file"),
        ("run_leet_inspect flag=3", lambda: run_leet_inspect(log, 3), "flags"),
        ("inspect_records(None)", lambda: inspect_records(None), "log_file"),
        ("inspect_records a folder", lambda: inspect_records(folder), "log_file"),
        ("closed_log_records(None)", lambda: closed_log_records(None), "log_file"),
        ("closed_log_records a missing log", lambda: closed_log_records(root / "gone.wandb"), "does not exist"),
        ("wait_until_unchanged a missing file", lambda: wait_until_unchanged(root / "gone"), "does not exist"),
        ("wait_until_unchanged settle='1'", lambda: wait_until_unchanged(a_file, settle="1"), "settle"),
        ("wait_until_unchanged timeout=nan", lambda: wait_until_unchanged(a_file, timeout=float("nan")), "timeout"),
        ("check_complete records=None", lambda: check_complete(log, None, "", True), "records"),
        # RecordedRun.column: a key no row holds is a typo, not an empty column
        ("column of a misspelt key", lambda: history({"loss": 1.0}).column("los"), "los"),
        ("column(None)", lambda: history({"loss": 1.0}).column(None), "key"),
        ("column of an empty history", lambda: history().column("loss"), lambda c: c == []),
        ("column of a sparse key", lambda: history({"a": 1}, {"b": 2}, {"a": 3}).column("a"), lambda c: c == [1, 3]),
        # sandbox_env and offline_sandbox: the root
        ("sandbox_env(None)", lambda: sandbox_env(None), "root"),
        ("sandbox_env('')", lambda: sandbox_env(""), "root"),
        ("sandbox_env(a file)", lambda: sandbox_env(a_file), "file"),
        ("sandbox_env under a file", lambda: sandbox_env(a_file / "inner"), "file"),
        ("sandbox_env mode='bogus'", lambda: sandbox_env(folder, mode="bogus"), "mode"),
        ("sandbox_env mode=None", lambda: sandbox_env(folder, mode=None), "mode"),
        ("sandbox_env mode='dryrun'", lambda: sandbox_env(folder, mode="dryrun"), lambda env: env["WANDB_MODE"] == "offline"),
        ("sandbox_env a missing folder", lambda: sandbox_env(root / "new"), lambda env: env["WANDB_DIR"] == str(root / "new")),
        ("offline_sandbox(None)", sandbox(None), "root"),
        ("offline_sandbox(a file)", sandbox(a_file), "file"),
        ("offline_sandbox under a file", sandbox(a_file / "inner"), "file"),
        ("offline_sandbox('')", sandbox(""), "root"),
        ("offline_sandbox(a str)", sandbox(str(folder)), lambda inside: inside == folder),
    ]  # fmt: skip


def _lines(records: list[Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def reported_cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    """The cases the bad-input report itself listed, kept as it gave them."""
    import wandb

    from snippets.readback import read_offline_run

    root.mkdir()

    def fifty_rows(name: str) -> Path:
        folder = root / name
        with wandb.init(project="survey", mode="offline", dir=folder) as run:
            for step in range(50):
                run.log({"x": step, "y": [1.0] * 20}, step=step)
        return next(folder.glob("wandb/offline-run-*/*.wandb"))

    half, flipped, beside, none, two, renamed = (
        fifty_rows(name)
        for name in ("half", "flip", "beside", "none", "two", "renamed")
    )
    half.write_bytes(half.read_bytes()[: half.stat().st_size // 2])
    data = bytearray(flipped.read_bytes())
    data[len(data) // 3] ^= 0xFF
    flipped.write_bytes(bytes(data))
    shutil.copytree(beside.parent, root / "beside" / beside.parent.name)
    none.unlink()
    shutil.copy(two, two.with_name("copy.wandb"))
    renamed.rename(renamed.with_name("renamed.wandb"))
    (root / "notes.txt").write_text("not a log")
    return [
        ("half a log", lambda: read_offline_run(half), "records"),
        ("one flipped byte", lambda: read_offline_run(flipped), "records"),
        ("a run beside wandb/", lambda: read_offline_run(root / "beside"), "2 runs"),
        ("run folder, no .wandb", lambda: read_offline_run(none.parent), ".wandb"),
        ("run folder, two .wandb", lambda: read_offline_run(two.parent), ".wandb"),
        ("renamed log", lambda: read_offline_run(root / "renamed"), lambda r: len(r.history) == 50),
        ("a file, not a log", lambda: read_offline_run(root / "notes.txt"), "not a W&B log"),
    ]  # fmt: skip
