"""The offline topic (snippets/offline.py, docs/offline.md): offline runs, syncing,
resuming after preemption, and keeping secrets out of a run's config."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import wandb

from snippets import offline as topic
from snippets.init import NoRun, TrackingConfig, restartable
from snippets.offline import (
    load_checkpoint,
    refuse_secrets,
    save_checkpoint,
    stop_for_requeue,
    train,
)
from snippets.readback import read_offline_run
from tests.harness import python_env


def parts(tmp_path):
    return [read_offline_run(d) for d in sorted(tmp_path.glob("wandb/offline-run-*"))]


# --- resuming after preemption -------------------------------------------------------------


@pytest.mark.slow
def test_a_restarted_job_continues_its_run_and_its_steps(offline, tmp_path):
    tracking = restartable(TrackingConfig(use_wandb=True, group="g"), "job-7")
    checkpoint = tmp_path / "checkpoint.json"
    with tracking.start() as run:  # preempted after 4 steps
        train(run, checkpoint, steps=10, stop_after=4)
    assert load_checkpoint(checkpoint)[0] == 4
    with tracking.start() as run:  # the restart, from the checkpoint
        assert (run.step, run.resumed) == (0, False)  # offline, it knows no server
        weight = train(run, checkpoint, steps=10)

    first, second = parts(tmp_path)  # one folder per part, both with the job's id
    assert (first.run_id, second.run_id) == ("job-7", "job-7")
    assert [row["_step"] for row in first.history] == [0, 1, 2, 3]
    assert [row["_step"] for row in second.history] == [4, 5, 6, 7, 8, 9]
    assert second.column("train/weight")[-1] == pytest.approx(weight)
    assert (first.state, second.state) == ("finished", "finished")
    assert (second.run_record["resume"], second.run_record["run_group"]) == (True, "g")


def test_the_restart_trains_the_same_as_one_uninterrupted_run(tmp_path):
    whole = train(NoRun(), tmp_path / "a.json", steps=10)
    train(NoRun(), tmp_path / "b.json", steps=10, stop_after=3)
    assert train(NoRun(), tmp_path / "b.json", steps=10) == whole


@pytest.mark.slow
def test_main_records_two_parts_of_one_run(offline, tmp_path):
    weight = topic.main(steps=6)
    first, second = parts(tmp_path)
    assert first.run_id == second.run_id
    assert [row["_step"] for row in first.history + second.history] == list(range(6))
    assert second.config == {"steps": 6, "learning_rate": 0.05}
    assert second.column("train/weight")[-1] == pytest.approx(weight)
    record = first.run_record
    assert (record["run_group"], record["job_type"]) == ("resume-demo", "train")


# --- syncing: what can be checked with no server -------------------------------------------


@pytest.mark.slow
def test_wandb_sync_lists_both_parts_and_needs_a_key(offline, tmp_path):
    tracking = restartable(TrackingConfig(use_wandb=True), "job-8")
    for _ in range(2):
        with tracking.start() as run:
            run.log({"x": 1})
    env = {**python_env(tmp_path, "offline"), "WANDB_SILENT": "false"}
    folders = sorted(p.name for p in tmp_path.glob("wandb/offline-run-*"))

    def sync(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "wandb", "sync", *args]
        return subprocess.run(
            cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )

    dry = sync("--dry-run", *(f"wandb/{f}" for f in folders))
    assert dry.returncode == 0
    head, *listed = dry.stderr.splitlines()  # listed in order of start time
    assert head == "wandb: Would sync 2 run(s):"
    assert sorted(listed) == sorted(
        f"wandb:   wandb/{f}/run-job-8.wandb" for f in folders
    )
    real = sync(*(f"wandb/{f}" for f in folders))
    assert real.returncode == 1
    assert "Error: No API key configured. Use `wandb login` to log in." in real.stderr


# --- secrets stay out of the config ---------------------------------------------------------


@pytest.mark.parametrize(
    "config, message",
    [
        (
            {"hf_token": "abc"},
            "config['hf_token'] is named like a secret: keep it out of the config and "
            "read it from the environment",
        ),
        (
            {"data": {"url": "s3://b", "password": "x"}},
            "config['data']['password'] is named like a secret",
        ),
        (
            {"wandb": "0123456789abcdef0123456789abcdef01234567"},
            "config['wandb'] looks like an API key or token",
        ),
        (
            {"hosts": ["a", "local-" + "ab" * 20]},
            "config['hosts'][1] looks like an API key or token",
        ),
        (
            {"openai": "sk-" + "x" * 40},
            "config['openai'] looks like an API key or token",
        ),
    ],
)
def test_secrets_are_refused_by_name_or_by_look(config, message):
    with pytest.raises(ValueError, match=f"^{message}".replace("[", r"\[")):
        refuse_secrets(config)


def test_ordinary_config_passes():
    refuse_secrets(
        {
            "tokenizer": "bpe",
            "max_tokens": 512,
            "git_commit": "0123456789abcdef0123456789abcdef01234567",
            "api_key": "",  # empty: nothing to leak
            "layers": [64, 64],
            "lr": 0.1,
        }
    )


def test_wandb_keys_are_40_or_more_characters():
    """What refuse_secrets looks for is what W&B itself accepts as a key."""
    from wandb.sdk.lib.wbauth.validation import check_api_key

    assert check_api_key("0123456789abcdef0123456789abcdef01234567") is None
    assert check_api_key("local-" + "ab" * 20) is None
    assert check_api_key("abc") == "API key must have 40+ characters, has 3."
    assert wandb.__version__.startswith("0.31")


# --- preemption with W&B's own helpers --------------------------------------------------


@pytest.mark.slow
def test_a_requeued_job_resumes_by_environment_and_marks_preempting(
    offline, tmp_path, monkeypatch
):
    from snippets.init import start_run
    from snippets.offline import REQUEUE_SCRIPT
    from snippets.readback import inspect_records

    # The script's own export lines, run by bash, give the environment W&B reads.
    exports = [
        line for line in REQUEUE_SCRIPT.splitlines() if line.startswith("export")
    ]
    shown = subprocess.run(
        ["bash", "-c", "\n".join([*exports, 'echo "$WANDB_RUN_ID $WANDB_RESUME"'])],
        env={"SLURM_JOB_ID": "7"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == ["job-7", "allow"]
    monkeypatch.setenv("WANDB_RUN_ID", shown[0])
    monkeypatch.setenv("WANDB_RESUME", shown[1])

    checkpoint = tmp_path / "checkpoint.json"
    with start_run(True, project="requeue") as run:  # no id in the code
        weight = train(run, checkpoint, steps=10, stop_after=4)
        stop_for_requeue(run, checkpoint, 4, {"weight": weight})
    with start_run(True, project="requeue") as run:  # the requeued job
        assert (run.id, run.resumed, run.step) == ("job-7", False, 0)  # offline
        train(run, checkpoint, steps=10)
    monkeypatch.delenv("WANDB_RUN_ID")
    monkeypatch.delenv("WANDB_RESUME")
    # resume="must" on an id no run has had: offline there is no server to ask, so
    # it starts a run like "allow" does (online, W&B documents an error instead).
    with start_run(True, project="requeue", id="never-ran", resume="must") as run:
        assert (run.id, run.resumed, run.step) == ("never-ran", False, 0)

    first, second, must = parts(tmp_path)
    assert (first.run_id, second.run_id, must.run_id) == ("job-7", "job-7", "never-ran")
    assert [r.run_record["resume"] for r in (first, second, must)] == [True] * 3
    assert (first.state, first.exit_code) == ("failed", 143)
    assert (second.state, second.exit_code) == ("finished", 0)
    assert [row["_step"] for row in first.history + second.history] == list(range(10))
    types = [r["type"] for r in inspect_records(next(first.run_dir.glob("*.wandb")))[0]]
    assert types.count("preempting") == 1
    assert types.index("preempting") < types.index("exit")
    assert "preempting" not in {
        r["type"] for r in inspect_records(next(second.run_dir.glob("*.wandb")))[0]
    }


def test_stop_for_requeue_with_tracking_off_or_disabled(tmp_path):
    for run in (NoRun(), wandb.init(mode="disabled")):
        stop_for_requeue(run, tmp_path / "c.json", 4, {"weight": 1.5})
        assert run.mark_preempting() is None
        assert load_checkpoint(tmp_path / "c.json") == (4, {"weight": 1.5})


# --- offline lineage: the input edge after wandb sync -----------------------------------


def test_an_offline_run_notes_its_inputs_and_prints_the_call(offline, capsys):
    from snippets.offline import note_input

    with restartable(TrackingConfig(use_wandb=True), "lineage-1").start() as run:
        with pytest.raises(TypeError, match="Cannot use artifact when in offline mode"):
            run.use_artifact("acme/data/points:v0")
        calls = [note_input(run, f"acme/data/{name}") for name in ("points:v0", "x:v2")]
    path = "wandb-tracking-guide/lineage-1"
    assert calls == [
        f"use_after_sync('{path}', 'acme/data/points:v0')",
        f"use_after_sync('{path}', 'acme/data/x:v2')",
    ]
    assert capsys.readouterr().out == "".join(
        f"acme/data/{name}: no input edge offline. After `wandb sync`, run: {call}\n"
        for name, call in zip(("points:v0", "x:v2"), calls, strict=True)
    )
    recorded = offline()
    assert recorded.summary["lineage/inputs_to_record"] == [
        "acme/data/points:v0",
        "acme/data/x:v2",
    ]
    assert recorded.artifacts == []


def test_note_input_does_nothing_online_disabled_or_off():
    from snippets.offline import note_input

    with wandb.init(mode="disabled") as run:
        assert note_input(run, "points:v0") is None
        assert "lineage/inputs_to_record" not in run.summary
    assert note_input(NoRun(), "points:v0") is None


def test_use_after_sync_needs_the_server():
    import inspect

    from snippets.offline import use_after_sync

    with pytest.raises(RuntimeError) as error:
        use_after_sync("acme/p/lineage-1", "acme/data/points:v0")
    assert str(error.value) == (
        "use_after_sync needs a W&B server and an API key: run `wandb login` or set "
        "WANDB_API_KEY (and WANDB_BASE_URL for your own server)"
    )
    assert isinstance(error.value.__cause__, wandb.errors.UsageError)
    # The public API's Run.use_artifact, in the installed wandb: an Artifact from
    # wandb.Api().artifact(...), and an optional use_as.
    params = inspect.signature(wandb.apis.public.Run.use_artifact).parameters
    assert list(params) == ["self", "artifact", "use_as"]
    assert params["use_as"].default is None
    # A draft (never logged) artifact is refused before any request, as a CommError.
    draft = wandb.Artifact("points", type="dataset")
    with pytest.raises(wandb.errors.CommError) as error:
        wandb.apis.public.Run.use_artifact(None, draft)
    assert str(error.value) == (
        "Only existing artifacts are accepted by this api. Manually create one with "
        "`wandb artifact put`"
    )


# --- bad input: checkpoints and lineage notes ------------------------------------------


def test_a_checkpoint_takes_a_str_path_and_makes_its_folder(tmp_path):
    path = str(tmp_path / "job" / "checkpoint.json")
    save_checkpoint(path, 3, {"weight": 1.5, "seen": [1, 2]})
    assert load_checkpoint(path) == (3, {"weight": 1.5, "seen": [1, 2]})
    fresh = str(tmp_path / "a.json")
    assert train(NoRun(), fresh, steps=5) == train(NoRun(), tmp_path / "b", steps=5)


@pytest.mark.parametrize(
    ("step", "state", "error", "message"),
    [
        (-1, {}, ValueError, "step=-1: the next step to train, an int from 0"),
        ("3", {}, ValueError, "step='3': the next step"),
        (True, {}, ValueError, "step=True: the next step"),
        (1, None, TypeError, "state is a NoneType: pass a dict"),
        (1, [1], TypeError, "state is a list: pass a dict"),
        (1, {1: "a"}, TypeError, "state key 1: JSON keys are strings"),
        (1, {"shape": (2, 3)}, TypeError, "state['shape'] is a tuple: a JSON"),
        (1, {"opt": {"m": {1, 2}}}, TypeError, "state['opt']['m'] is a set"),
    ],
)
def test_a_checkpoint_that_would_not_load_back_as_saved_is_refused(
    tmp_path, step, state, error, message
):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        save_checkpoint(tmp_path / "c.json", step, state)
    assert not (tmp_path / "c.json").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r"c\.json is not a JSON checkpoint \(Expecting value"),
        ('{"step": 3, "sta', r"c\.json is not a JSON checkpoint"),
        ("[1, 2]", r'c\.json: expected \{"step": int from 0, "state": \{\.\.\.\}\}'),
        ('{"state": {}}', r"c\.json: expected .* got \{'state': \{\}\}"),
        ('{"step": "3", "state": {}}', r"c\.json: expected"),
        ('{"step": 2, "state": [1]}', r"c\.json: expected"),
    ],
)
def test_a_damaged_checkpoint_names_its_file(tmp_path, content, message):
    """Before: a bare JSONDecodeError or KeyError, or a step of "3" returned."""
    (tmp_path / "c.json").write_text(content)
    with pytest.raises(ValueError, match=message):
        load_checkpoint(tmp_path / "c.json")


def test_a_folder_or_a_file_on_the_way_is_not_a_checkpoint(tmp_path):
    with pytest.raises(IsADirectoryError, match="is a folder: name a file"):
        save_checkpoint(tmp_path, 1, {})
    with pytest.raises(IsADirectoryError, match="is a folder: name a file"):
        load_checkpoint(tmp_path)
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError, match=r"'.*/f' is a file"):
        save_checkpoint(tmp_path / "f" / "c.json", 1, {})
    with pytest.raises(TypeError, match=r"^checkpoint path=None: pass a file path"):
        load_checkpoint(None)


def test_stop_for_requeue_checks_the_run_before_saving(tmp_path):
    with pytest.raises(TypeError, match="^run is a NoneType: pass the run start_run"):
        stop_for_requeue(None, tmp_path / "c.json", 4, {})
    assert not (tmp_path / "c.json").exists()


@pytest.mark.parametrize("path", [None, "", 3, "a//b:v0", "a/b/c/d:v0", " /x"])
def test_lineage_paths_are_checked_before_anything_is_noted(path):
    from snippets.offline import note_input, use_after_sync

    message = f"artifact_path={path!r}: a W&B path, such as 'entity/project/name:v0'"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        note_input(NoRun(), path)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        use_after_sync("p/run-1", path)
    with pytest.raises(ValueError, match=r"^run_path="):
        use_after_sync(path, "points:v0")


def test_an_input_noted_twice_is_kept_once(offline):
    from snippets.offline import note_input

    with restartable(TrackingConfig(use_wandb=True), "lineage-2").start() as run:
        for _ in range(2):
            note_input(run, "acme/data/points:v0")
    assert offline().summary["lineage/inputs_to_record"] == ["acme/data/points:v0"]
