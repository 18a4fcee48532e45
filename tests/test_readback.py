"""The offline read-back (snippets/readback.py) that every offline test relies on."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import wandb

from snippets.readback import (
    IncompleteRun,
    NoRunRecorded,
    closed_log_records,
    find_offline_run,
    leet_inspect,
    offline_sandbox,
    read_offline_run,
    run_leet_inspect,
    sandbox_env,
    test_training_records_what_it_logged,  # noqa: F401  # the page's example test, run here
    wait_until_unchanged,
)


def make_run(**init):
    """An offline run that uses each kind of record the read-back reports."""
    run = wandb.init(project="readback", mode="offline", config={"lr": 0.1}, **init)
    run.define_metric("epoch")
    run.define_metric("val/*", step_metric="epoch", summary="min")
    run.log({"train/loss": 1.0, "nested": {"a": 1}})
    run.log({"val/loss": 0.4, "epoch": 0})
    run.log({"val/loss": 0.2, "epoch": 1})
    box = {"position": {"minX": 1, "maxX": 3, "minY": 1, "maxY": 3}, "class_id": 1}
    boxes = {
        "predictions": {
            "box_data": [{**box, "domain": "pixel"}],
            "class_labels": {1: "cat"},
        }
    }
    run.log({"img": wandb.Image(np.zeros((4, 4, 3), np.uint8), boxes=boxes)})
    with open("weights.bin", "wb") as f:
        f.write(b"\0" * 10)
    artifact = wandb.Artifact("tiny-model", type="model", metadata={"val_loss": 0.2})
    artifact.add_file("weights.bin")
    run.log_artifact(artifact, aliases=["best"])
    run.finish()
    return run


def test_reads_every_kind_of_record(tmp_path, monkeypatch):
    monkeypatch.setenv("WANDB__SAVE_REQUIREMENTS", "true")  # W&B's default (harness)
    run = make_run()
    recorded = read_offline_run(tmp_path)
    assert recorded.run_id == run.id and recorded.project == "readback"
    assert (recorded.state, recorded.exit_code) == ("finished", 0)
    assert recorded.config == {"lr": 0.1}
    labels = recorded.wandb_config[
        "bounding_box/class_labels"
    ]  # W&B's part, kept apart
    assert labels["img_wandb_delimeter_predictions"]["value"] == {"1": "cat"}
    assert recorded.summary["val/loss"] == {
        "min": 0.2
    }  # define_metric's summary, nested
    assert recorded.summary["nested"] == {"a": 1}
    assert len(recorded.history) == 4
    assert recorded.history[3]["img._type"] == "image-file"
    assert recorded.history[0]["nested.a"] == 1  # history keys are flattened with dots
    assert recorded.column("val/loss") == [0.4, 0.2]
    assert recorded.metrics["val/*"]["step_metric"] == "epoch"
    assert recorded.metrics["val/*"]["summary"] == {"min": True}
    assert "epoch" in recorded.metrics
    [artifact] = recorded.artifacts
    assert (artifact.name, artifact.type) == ("tiny-model", "model")
    assert set(artifact.aliases) == {"latest", "best"}
    assert artifact.files == ("weights.bin",)
    assert artifact.metadata == {"val_loss": 0.2}
    assert "requirements.txt" in recorded.files


def test_accepts_the_run_dir_its_log_file_or_the_folder_above(tmp_path):
    make_run()
    [run_dir] = (tmp_path / "wandb").glob("offline-run-*")
    [log] = run_dir.glob("run-*.wandb")
    for path in (tmp_path, tmp_path / "wandb", run_dir, log):
        assert find_offline_run(path) == run_dir
    assert read_offline_run(log).config == {"lr": 0.1}


def test_no_run_is_a_clear_error(tmp_path):
    with pytest.raises(NoRunRecorded, match=r"no offline W&B run in .*mode='offline'"):
        read_offline_run(tmp_path)
    with pytest.raises(NoRunRecorded, match="does not exist"):
        read_offline_run(tmp_path / "missing")


def test_several_runs_must_be_told_apart(tmp_path):
    make_run()
    make_run()
    with pytest.raises(
        NoRunRecorded,
        match=r"holds 2 runs \(wandb/offline-run-.*\): pass one of them",
    ):
        read_offline_run(tmp_path)


def test_a_corrupt_log_is_reported_with_wandbs_own_message(tmp_path):
    run_dir = tmp_path / "wandb" / "offline-run-20260101_000000-broken"
    run_dir.mkdir(parents=True)
    (run_dir / "run-broken.wandb").write_bytes(b"not a wandb log")
    with pytest.raises(
        RuntimeError,
        match=r"wandb leet inspect .*run-broken\.wandb: Error: transactionlog: bad "
        "header",
    ):
        read_offline_run(run_dir)


def test_offline_sandbox_restores_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WANDB_MODE", "disabled")
    with offline_sandbox(tmp_path / "inner") as root:
        assert os.environ["WANDB_MODE"] == "offline"
        assert os.environ["WANDB_DATA_DIR"].startswith(str(root))
        with wandb.init(project="sandboxed") as run:
            assert run.offline
    assert os.environ["WANDB_MODE"] == "disabled"
    with wandb.init(
        project="after"
    ) as run:  # settings were torn down, so disabled again
        assert run.disabled
    assert find_offline_run(tmp_path / "inner").name.startswith("offline-run-")


def test_a_killed_run_reads_back_as_unfinished(run_python, tmp_path):
    # SIGKILL leaves the training process no chance to flush. W&B's service, a process
    # of its own, writes its log in 32 KiB blocks and ends when it sees the training
    # process gone: usually none of 50 small rows reach the file (state "unknown"), but
    # on a loaded machine it has written some or all of them first (state "running").
    # Either way the read-back must say the run did not finish, not crash.
    code = "import os, signal, wandb\nrun = wandb.init(project='killed')\n"
    code += "for i in range(50):\n    run.log({'x': i})\nos.kill(os.getpid(), signal.SIGKILL)\n"
    with pytest.raises(AssertionError, match="exited -9"):
        run_python("-c", code, mode="offline")
    with pytest.raises(
        IncompleteRun,
        match=r"run-\w+\.wandb: no exit record; read \d+ records \(\d+ history rows\)\. "
        r"The run was killed, is still running, or the file was cut short: "
        r"read_offline_run\(path, allow_unfinished=True\) reads what is there\.",
    ):
        read_offline_run(tmp_path)
    recorded = read_offline_run(tmp_path, allow_unfinished=True)
    kept = len(recorded.history)
    assert recorded.exit_code is None and not recorded.complete
    assert recorded.state in (("unknown", "running") if kept == 0 else ("running",))
    assert recorded.column("x") == list(range(kept))  # what was kept is the head


@pytest.fixture(scope="module")
def fifty_rows_run(tmp_path_factory) -> Path:
    """A finished offline run of 50 rows, large enough to span several blocks. Made
    once: each test reads or damages its own copy (`fifty_rows`)."""
    root = tmp_path_factory.mktemp("fifty-rows")
    with offline_sandbox(root), wandb.init(project="damaged") as run:
        for step in range(50):
            run.log({"x": step, "y": [1.0] * 20}, step=step)
    [log] = root.glob("wandb/offline-run-*/*.wandb")
    closed_log_records(log)  # wandb-core may still be writing it after finish()
    return log.parent


@pytest.fixture
def fifty_rows(tmp_path, fifty_rows_run) -> Path:
    """This test's copy of the 50-row run, as tmp_path/wandb/offline-run-*; its log."""
    run_dir = tmp_path / "wandb" / fifty_rows_run.name
    shutil.copytree(fifty_rows_run, run_dir)
    [log] = run_dir.glob("*.wandb")
    return log


@pytest.mark.xdist_group("readback-fifty-rows")
def test_a_whole_log_is_complete(fifty_rows):
    recorded = read_offline_run(fifty_rows)
    assert (recorded.complete, recorded.state, len(recorded.history)) == (
        True,
        "finished",
        50,
    )


@pytest.mark.xdist_group("readback-fifty-rows")
def test_a_log_cut_in_half_is_an_error_that_counts_what_was_read(fifty_rows):
    log = fifty_rows
    log.write_bytes(log.read_bytes()[: log.stat().st_size // 2])
    with pytest.raises(
        IncompleteRun,
        match=r"reached the end of an incomplete \.wandb file \(the run may still be "
        r"active or was interrupted\); read \d+ records \(2\d history rows\)\. The run "
        r"was killed, is still running",
    ):
        read_offline_run(log)
    recorded = read_offline_run(log, allow_unfinished=True)
    assert (recorded.complete, recorded.state, recorded.exit_code) == (
        False,
        "running",
        None,
    )
    assert recorded.column("x") == list(range(len(recorded.history)))


@pytest.mark.xdist_group("readback-fifty-rows")
def test_a_flipped_byte_is_damage_even_when_allowed_unfinished(fifty_rows):
    log = fifty_rows
    data = bytearray(log.read_bytes())
    data[len(data) // 3] ^= 0xFF
    log.write_bytes(bytes(data))
    # Where the byte lands decides W&B's reader's words: inside a record's data, a
    # checksum mismatch that it skips (IncompleteRun, with what it read); on a block's
    # framing, a refusal of the whole file (RuntimeError with its message). Either way,
    # an error.
    skipped = (
        r"skipped corrupt data: transactionlog: error getting next record: "
        r"leveldb/record: invalid chunk \(checksum mismatch\); read \d+ records "
        r"\(\d+ history rows\)\. The log is damaged: do not trust what it holds\."
    )
    for allow in (False, True):
        with pytest.raises(RuntimeError, match=rf"{skipped}|Error: transactionlog"):
            read_offline_run(log, allow_unfinished=allow)


@pytest.mark.xdist_group("readback-fifty-rows")
def test_a_run_folder_beside_wandb_is_a_second_run(tmp_path, fifty_rows):
    log = fifty_rows
    shutil.copytree(log.parent, tmp_path / log.parent.name)
    with pytest.raises(NoRunRecorded, match=r"holds 2 runs \(offline-run-\S+, wandb/"):
        read_offline_run(tmp_path)


@pytest.mark.parametrize(
    ("logs", "message"),
    [
        ((), r"holds 0 \.wandb files \(none\): a run folder holds one"),
        (("a.wandb", "b.wandb"), r"holds 2 \.wandb files \(a\.wandb, b\.wandb\)"),
    ],
)
def test_a_run_folder_holds_exactly_one_log(tmp_path, logs, message):
    run_dir = tmp_path / "wandb" / "offline-run-20260101_000000-x"
    run_dir.mkdir(parents=True)
    for name in logs:
        (run_dir / name).write_bytes(b"")
    with pytest.raises(NoRunRecorded, match=message):
        read_offline_run(tmp_path)


@pytest.mark.xdist_group("readback-fifty-rows")
def test_a_renamed_log_is_read(tmp_path, fifty_rows):
    log = fifty_rows
    log.rename(log.with_name("renamed.wandb"))
    assert len(read_offline_run(tmp_path).history) == 50


def test_a_file_that_is_not_a_log_says_so(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(NoRunRecorded, match=r"notes\.txt is a file but not a W&B log"):
        read_offline_run(tmp_path / "notes.txt")


@pytest.mark.xdist_group("readback-fifty-rows")
def test_the_direct_reader_prints_what_wandbs_command_prints(fifty_rows):
    """run_leet_inspect starts wandb-core as `wandb leet inspect` does: same output."""
    from snippets.readback import leet_inspect, run_leet_inspect

    log = fifty_rows
    for flags in (("--json",), ("--summary", "--json")):
        done = run_leet_inspect(log, *flags)
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout == leet_inspect(log, *flags)


# --- bad input: what W&B's reader prints, the sandbox's root, the arguments ------------


def fake_reader(records: str, summary: str):
    """run_leet_inspect as if W&B's reader printed these: no process started."""

    def run(log_file, *flags):
        out = summary if "--summary" in flags else records
        return subprocess.CompletedProcess([], 0, out, "")

    return run


def fake_run(tmp_path) -> Path:
    run_dir = tmp_path / "wandb" / "offline-run-20260101_000000-fake"
    run_dir.mkdir(parents=True)
    (run_dir / "run-fake.wandb").write_bytes(b"never read")
    return run_dir / "run-fake.wandb"


EXIT_LINE = '{"type": "exit", "exit": {}}\n'


@pytest.mark.parametrize(
    ("records", "summary", "message"),
    [
        (
            EXIT_LINE + "oops\n",
            "{}",
            r"run-fake\.wandb: W&B's reader printed a record that is not JSON "
            r"\(Expecting value: line 1 column 1 \(char 0\)\): 'oops'",
        ),
        (
            EXIT_LINE,
            "wandb: warning\n{}",
            r"run-fake\.wandb: W&B's reader printed a summary that is not JSON",
        ),
        (EXIT_LINE, "[1]", r"run-fake\.wandb: the summary is not a JSON object"),
        (EXIT_LINE + "[1, 2]\n", "{}", r"printed \[1, 2\], not a record"),
        (
            EXIT_LINE + '{"type": "history", "history": {}}\n',
            "{}",
            r"run-fake\.wandb: a 'history' record is not as wandb 0\.31's reader "
            r"writes it \(KeyError: 'item'\)",
        ),
        (
            EXIT_LINE + '{"type": "artifact", "artifact": {"metadata": "{bad"}}\n',
            "{}",
            r"a 'artifact' record is not as .*JSONDecodeError.*\"metadata\": \"\{bad",
        ),
    ],
)
def test_a_reader_output_that_does_not_parse_names_the_log(
    tmp_path, monkeypatch, records, summary, message
):
    """Before: a bare JSONDecodeError, KeyError or AttributeError, naming no file."""
    import snippets.readback

    log = fake_run(tmp_path)
    monkeypatch.setattr(
        snippets.readback, "run_leet_inspect", fake_reader(records, summary)
    )
    with pytest.raises(RuntimeError, match=message):
        read_offline_run(log)


def test_blank_lines_from_the_reader_are_skipped(tmp_path, monkeypatch):
    import snippets.readback

    log = fake_run(tmp_path)
    lines = '{"type": "history", "history": {"item": {"x": 1}}}\n\n' + EXIT_LINE
    monkeypatch.setattr(snippets.readback, "run_leet_inspect", fake_reader(lines, "{}"))
    assert read_offline_run(log).column("x") == [1]


def test_offline_sandbox_refuses_a_file_as_its_root(tmp_path, monkeypatch):
    """Before: W&B quietly wrote the run to the system's temporary folder."""
    monkeypatch.setenv("WANDB_MODE", "disabled")
    (tmp_path / "notes.txt").write_text("x")
    for root in (tmp_path / "notes.txt", tmp_path / "notes.txt" / "inner"):
        with (
            pytest.raises(
                NotADirectoryError,
                match=rf"^root='{re.escape(str(root))}': '.*notes\.txt' is a file, and W&B "
                "would write the run to the system's temporary folder instead: pass a",
            ),
            offline_sandbox(root),
        ):
            pass
        assert os.environ["WANDB_MODE"] == "disabled"  # nothing was changed
    with pytest.raises(TypeError, match=r"^root=None: pass a folder"):
        sandbox_env(None)
    with pytest.raises(ValueError, match=r"^mode='bogus': use one of 'online', 'run'"):
        sandbox_env(tmp_path, mode="bogus")
    assert sandbox_env(tmp_path, mode="dryrun")["WANDB_MODE"] == "offline"


def test_a_misspelt_column_is_an_error_and_an_empty_history_is_empty(fifty_rows_run):
    recorded = read_offline_run(fifty_rows_run)
    with pytest.raises(KeyError, match=r"no history row holds key 'z'; they hold: "):
        recorded.column("z")
    assert recorded.column("x") == list(range(50))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: read_offline_run(None), TypeError, r"^path=None: pass a run folder"),
        (lambda: read_offline_run(""), TypeError, r"^path='': pass a run folder"),
        (
            lambda: read_offline_run(".", allow_unfinished="yes"),
            TypeError,
            r"^allow_unfinished must be True or False, not 'yes'",
        ),
        (lambda: leet_inspect(None, "--json"), FileNotFoundError, r"^run_dir=None"),
        (
            lambda: run_leet_inspect("missing.wandb"),
            FileNotFoundError,
            "does not exist",
        ),
        (lambda: wait_until_unchanged(".", settle=math.nan), ValueError, "^settle=nan"),
    ],
)
def test_bad_arguments_are_named_before_wandb_is_started(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_whole_header_that_is_not_a_log_fails_at_once(tmp_path):
    """No second's wait for a log to settle: 7 bytes or more that are not a log's
    header will never become one."""
    run_dir = tmp_path / "wandb" / "offline-run-20260101_000000-x"
    run_dir.mkdir(parents=True)
    (run_dir / "run-x.wandb").write_bytes(b"not a wandb log at all")
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="transactionlog: bad header"):
        read_offline_run(tmp_path)
    assert time.monotonic() - started < 0.8
