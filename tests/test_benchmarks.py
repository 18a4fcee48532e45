"""The benchmarks behind docs/performance.md: `python -m benchmarks` runs them all and
writes their tables and one JSON file; the targets are judged by the benchmark's own
figures (no test times anything); and the W&B behaviour the artifact figures rest on."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from benchmarks.__main__ import BENCHMARKS, summary
from benchmarks.performance_targets import (
    CASES,
    log_step,
    outcome,
    run_log,
    time_pair,
    verdict,
)
from snippets.init import TrackingConfig

# --- the targets, judged from the figures ---------------------------------------------


def test_a_target_in_microseconds_is_met_below_its_limit_and_missed_by_the_excess():
    assert verdict("us", 1.0, {"difference_us": 0.99}) == ("under 1 µs more", True)
    assert verdict("us", 1.0, {"difference_us": 1.0}) == ("under 1 µs more", False)
    assert outcome("us", 1.0, {"difference_us": 0.25}) == "met"
    assert outcome("us", 1.0, {"difference_us": 3.774}) == "missed by 2.77 µs"


def test_a_target_as_a_ratio_is_missed_by_percentage_points():
    assert verdict("ratio", 1.05, {"ratio": 1.049}) == ("under 5 % more", True)
    assert outcome("ratio", 1.05, {"ratio": 1.058}) == "missed by 0.8 points"
    assert verdict(None, 0, {"ratio": 9.0}) == ("none (for comparison)", True)
    assert outcome(None, 0, {"ratio": 9.0}) == ""


def test_the_targets_are_the_ones_the_issue_sets():
    targets = {(c.helper, c.mode, c.kind, c.limit) for c in CASES if c.kind}
    assert targets == {
        ("`NoRun.log`", "off", "us", 1.0),
        ("`NoRun.define_metric`", "off", "us", 1.0),
        ("`log_step`, a step that does not log", "off", "us", 1.0),
        ("`log_step`, a step that logs", "disabled", "us", 1.0),
        ("`log_step`, a step that logs", "offline", "ratio", 1.05),
    }


class Recorder:
    """A run that keeps the step of every row logged to it."""

    def __init__(self) -> None:
        self.steps: list[int] = []

    def log(self, data: dict, step: int | None = None, commit: object = None) -> None:
        self.steps.append(step)


def test_side_by_side_loops_log_at_steps_that_only_increase():
    """W&B drops a row whose step is below the last: the two loops share one run, so
    each must carry on from the other's last step, or half the calls measure a drop."""
    run = Recorder()
    result = time_pair(run, log_step, run_log, calls=10, repeats=3)
    assert run.steps == list(range(2 + 3 * 2 * 10))  # 1 warm-up call each, then 3x2x10
    assert len(result["ratio_each"]) == len(result["difference_us_each"]) == 3


def test_side_by_side_loops_keep_every_row_of_an_offline_run(offline):
    with TrackingConfig(use_wandb=True).start() as run:
        time_pair(run, log_step, run_log, calls=10, repeats=2)
    recorded = offline()
    assert [row["_step"] for row in recorded.history] == list(range(2 + 2 * 2 * 10))
    assert recorded.history[-1]["train/metric_9"] == 9.5


# --- W&B behaviour the artifact figures rest on -----------------------------------------


def test_an_added_file_is_hashed_and_copied_to_staging_unless_immutable(
    offline, tmp_path: Path
):
    """wandb 0.31 hashes each file add_file takes (MD5 unless the artifact is made with
    digest_algorithm="XXH128") and copies it into WANDB_DATA_DIR's artifacts/staging
    (policy="mutable", the default); an offline run leaves the copy there after
    finish. policy="immutable" copies nothing."""
    import wandb
    import xxhash  # a dependency of wandb

    staging = Path(os.environ["WANDB_DATA_DIR"]) / "artifacts" / "staging"
    data = tmp_path / "weights.bin"
    data.write_bytes(bytes(range(256)) * 40)  # 10,240 bytes
    with TrackingConfig(use_wandb=True).start() as run:
        copied = wandb.Artifact("copied", type="model")
        copied.add_file(str(data))
        kept = wandb.Artifact("kept", type="model", digest_algorithm="XXH128")
        kept.add_file(str(data), policy="immutable")
        run.log_artifact(copied)
        run.log_artifact(kept)
    [copy] = staging.iterdir()
    assert copy.read_bytes() == data.read_bytes()
    assert oct(copy.stat().st_mode & 0o777) == "0o400"  # read-only, owner only
    digests = {
        "copied": base64.b64encode(hashlib.md5(data.read_bytes()).digest()).decode(),
        "kept": base64.b64encode(xxhash.xxh3_128(data.read_bytes()).digest()).decode(),
    }
    for artifact in (copied, kept):
        assert artifact.manifest.entries["weights.bin"].digest == digests[artifact.name]
    assert {a.name: a.files for a in offline().artifacts} == {
        "copied": ("weights.bin",),
        "kept": ("weights.bin",),
    }


# --- the command that runs them all -------------------------------------------------------


def test_the_summary_names_the_command_each_benchmark_and_the_load():
    report = {
        "command": "python -m benchmarks",
        "machine": "AMD EPYC, 2 cores",
        "seconds": 47.6,
        "load_average_start": 0.42,
        "load_average_end": 1.04,
        "benchmarks": {"performance_targets": {"seconds": 5.5}, "x": {"seconds": 1}},
    }
    assert summary(report) == (
        "`python -m benchmarks` ran 2 benchmarks in 48 s (performance_targets 6 s, x 1 "
        "s) on AMD EPYC, 2 cores; the load average (processes running or waiting for "
        "one of the cores, over a minute) was 0.4 at the start and 1.0 at the end.\n"
    )


def test_python_m_benchmarks_runs_every_script_in_the_folder():
    folder = Path(__file__).resolve().parent.parent / "benchmarks"
    scripts = {p.stem for p in folder.glob("*.py")} - {"__init__", "__main__", "report"}
    assert sorted(BENCHMARKS) == sorted(scripts)
    assert (
        BENCHMARKS[-1] == "metrics_gradients"
    )  # it sets torch's threads while it runs


def rows(table: str) -> list[list[str]]:
    """The cells of each body row of every Markdown table in the text."""
    lines = table.splitlines()
    body = [
        line
        for i, line in enumerate(lines)
        if line.startswith("|")
        and not line.startswith("|---")
        and not lines[i + 1].startswith("|---")  # a header
    ]
    return [[cell.strip() for cell in line.split("|")[1:-1]] for line in body]


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-offline")
def test_python_m_benchmarks_quick_writes_the_tables_and_the_json(quick_benchmarks):
    out, scratch = quick_benchmarks.results, quick_benchmarks.scratch
    # every file the benchmarks wrote is gone; torch keeps its compiler's cache folder
    left = [p.name for p in scratch.iterdir() if not p.name.startswith("torchinductor")]
    assert left == []
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{name}.md" for name in BENCHMARKS]
        + ["benchmarks.json", "performance_run.md"]
    )
    report = quick_benchmarks.report
    assert list(report["benchmarks"]) == BENCHMARKS
    command = "python -m benchmarks --quick"
    assert report["quick"] is True and report["command"] == command
    assert "wandb 0.31" in report["machine"] and "cores" in report["machine"]
    for name, result in report["benchmarks"].items():
        assert result["table"] == (out / f"{name}.md").read_text()
        assert result["seconds"] > 0 and result["data"]
        assert "measured" in result["table"]
    assert (
        (out / "performance_run.md")
        .read_text()
        .startswith(f"`{command}` ran {len(BENCHMARKS)} benchmarks in ")
    )

    targets = report["benchmarks"]["performance_targets"]["data"]
    assert [(r["mode"], r["helper"], r["compared_with"]) for r in targets] == [
        ("tracking off (NoRun)", "`NoRun.log`", "nothing"),
        ("tracking off (NoRun)", "`NoRun.define_metric`", "nothing"),
        ("tracking off (NoRun)", "`log_step`, a step that does not log", "nothing"),
        ("tracking off (NoRun)", "`log_step`, a step that logs", "`NoRun.log`"),
        ("disabled", "`log_step`, a step that logs", "`run.log`"),
        ("disabled", "`log_finite`", "`run.log`"),
        ("offline", "`log_step`, a step that logs", "`run.log`"),
    ]
    for row, cells in zip(
        targets,
        rows(targets_table := (out / "performance_targets.md").read_text()),
        strict=True,
    ):
        assert cells[-1] == row["outcome"] and cells[-2] == row["target"]
        assert row["met"] == (row["outcome"] in ("met", ""))
    assert "offline: 11 repeats of 10 calls" in targets_table

    artifacts = report["benchmarks"]["performance_artifacts"]["data"]
    assert [(r["what"], r["policy"]) for r in artifacts] == [  # the 4th: XXH128
        ("1 MB, 1 file", "mutable"),
        ("4 MB, 1 file", "mutable"),
        ("4 MB, 1 file", "immutable"),
        ("4 MB, 1 file", "immutable"),
        ("4 MB, 4 files of 1 MB", "mutable"),
        ("4 MB, 4 files of 1 MB", "immutable"),
    ]
    for row in artifacts:  # the staging copy, and a run folder of some KB
        copied = row["mb"] if row["policy"] == "mutable" else 0
        assert copied < row["written_mb"] < copied + 0.1

    calls = rows((out / "performance_calls.md").read_text())
    assert [r[0] for r in calls] == ["tracking off (NoRun)", "disabled", "offline"] * 2
    assert calls[0][2] == "not imported"
    media = rows((out / "performance_media.md").read_text())
    assert [r[0] for r in media] == [
        "a scalar",
        "image 64x64 PNG",
        "image 256x256 PNG",
        "table, 1 row x 4 columns",
        "table, 100 rows x 4 columns",
        "video, 16 frames 64x64 GIF",
        "video, 16 frames 64x64 MP4",
    ]
