"""The init topic (snippets/init.py, docs/init.md): starting and configuring a run."""

from __future__ import annotations

import sys

import pytest
import wandb
from pydantic import ValidationError

from snippets.init import (
    Hyperparams,
    NoRun,
    TrackingConfig,
    hparams_from_run,
    main,
    restartable,
    train,
)
from snippets.readback import read_offline_run

ON = TrackingConfig(use_wandb=True)
WARNING = r"no wandb: not tracked \(pip install wandb\)"


# --- disabled mode (the default for every test) -------------------------------------------


def test_disabled_run_is_wandbs_own_run_object():
    with ON.start(Hyperparams()) as run:
        assert isinstance(run, wandb.Run)  # W&B's object, not a wrapper around it
        assert run.disabled
        train(Hyperparams(epochs=3), run)
        assert run.summary["final_loss"] == run.summary["train/loss"]


def test_training_is_the_same_with_tracking_on_off_or_wandb_missing(monkeypatch):
    hp = Hyperparams(epochs=5)
    with ON.start(hp) as run:
        tracked = train(hp, run)
    with TrackingConfig(use_wandb=False).start(hp) as run:
        assert isinstance(run, NoRun)
        untracked = train(hp, run)
    with monkeypatch.context() as patch, pytest.warns(UserWarning, match=WARNING):
        patch.setitem(
            sys.modules, "wandb", None
        )  # `import wandb` now raises ImportError
        run = ON.start(hp)
    assert isinstance(run, NoRun)
    assert train(hp, run) == tracked == untracked


def test_no_run_keeps_config_and_last_logged_values():
    run = TrackingConfig().start(Hyperparams(learning_rate=0.2))
    run.config.update({"extra": 1}, allow_val_change=True)
    assert run.config.learning_rate == 0.2
    assert dict(run.config) == {
        **Hyperparams(learning_rate=0.2).model_dump(),
        "extra": 1,
    }
    run.log({"loss": 2.0})
    run.log({"loss": 1.0}, step=1)
    assert run.summary == {"loss": 1.0}
    with pytest.raises(AttributeError, match="nope"):
        run.config.nope  # noqa: B018


def test_no_run_does_not_swallow_errors():
    with pytest.raises(RuntimeError, match="boom"), NoRun():
        raise RuntimeError("boom")


# --- configuration errors name the field ------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"mode": "dryrun"},
            r"mode\n  Input should be 'online', 'offline' or 'disabled'",
        ),
        ({"project": ""}, r"project\n  String should have at least 1 character"),
        (
            {"project": "a/b"},
            r"project\n  Value error, 'a/b': W&B forbids / \\ # \? % :",
        ),
        (
            {"project": "p" * 129},
            r"project\n  String should have at most 128 characters",
        ),
        ({"id": "job;1"}, r"id\n  Value error, 'job;1': W&B forbids : ; , # \? / '"),
        ({"projct": "x"}, r"projct\n  Extra inputs are not permitted"),
        ({"resume": "must"}, r"resume='must' needs id"),
        ({"tags": "one"}, r"tags\n  Input should be a valid list"),
    ],
)
def test_tracking_config_rejects_bad_fields(fields, message):
    with pytest.raises(ValidationError, match=message):
        TrackingConfig(**fields)


def test_hyperparams_read_back_from_run_config():
    with ON.start(Hyperparams(learning_rate=0.1, epochs=3)) as run:
        run.config.update(
            {"epochs": "7"}, allow_val_change=True
        )  # as a sweep may send it
        assert hparams_from_run(run) == Hyperparams(learning_rate=0.1, epochs=7)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"learning_rate": -1}, r"learning_rate\n  Input should be greater than 0"),
        ({"learnig_rate": 0.1}, r"learnig_rate\n  Extra inputs are not permitted"),
        ({"epochs": "many"}, r"epochs\n  Input should be a valid integer"),
    ],
)
def test_hyperparams_from_run_rejects_bad_values(change, message):
    with ON.start(Hyperparams()) as run:
        run.config.update(change, allow_val_change=True)
        with pytest.raises(ValidationError, match=message):
            hparams_from_run(run)


# --- mode precedence: the mode field wins, WANDB_MODE applies when it is unset ---------------


@pytest.mark.parametrize(
    ("env", "field", "expected"),
    [
        ("offline", None, "offline"),
        ("disabled", None, "disabled"),
        ("offline", "disabled", "disabled"),
        ("disabled", "offline", "offline"),
    ],
)
def test_mode_field_wins_over_wandb_mode(monkeypatch, tmp_path, env, field, expected):
    monkeypatch.setenv("WANDB_MODE", env)
    with TrackingConfig(use_wandb=True, mode=field).start() as run:
        assert (
            "offline" if run.offline else "disabled" if run.disabled else "online"
        ) == expected
    assert bool(list(tmp_path.glob("wandb/offline-run-*"))) == (expected == "offline")


# --- offline: what W&B recorded ------------------------------------------------------------


def test_offline_records_config_summary_and_history(offline):
    hp = Hyperparams(epochs=6, learning_rate=0.1)
    tracking = TrackingConfig(
        use_wandb=True, project="init-test", tags=["a", "b"], id="run123"
    )
    loss = main(tracking, hp)

    recorded = offline()
    assert recorded.state == "finished" and recorded.exit_code == 0
    assert recorded.run_id == "run123" and recorded.project == "init-test"
    assert recorded.config == hp.model_dump(mode="json")
    assert recorded.summary["final_loss"] == pytest.approx(loss)
    assert [row["_step"] for row in recorded.history] == list(range(6))
    assert recorded.column("epoch") == list(range(6))
    losses = recorded.column("train/loss")
    assert losses[-1] == pytest.approx(loss) and losses[-1] < losses[0]


def test_offline_run_that_raises_is_kept_and_marked_failed(offline):
    with pytest.raises(ZeroDivisionError), ON.start(Hyperparams()) as run:
        run.log({"train/loss": 1.0})
        run.log({"train/loss": 0.5})
        1 / 0  # noqa: B018
    recorded = offline()
    assert recorded.state == "failed" and recorded.exit_code == 1
    assert recorded.column("train/loss") == [1.0, 0.5]


def test_second_start_run_finishes_the_first(offline, tmp_path):
    first = ON.start(Hyperparams(seed=1))
    second = ON.start(Hyperparams(seed=2))
    assert second is not first and second.config["seed"] == 2
    second.finish()
    runs = sorted(tmp_path.glob("wandb/offline-run-*"))
    assert len(runs) == 2
    states = {rec.config["seed"]: rec.state for rec in map(read_offline_run, runs)}
    assert states == {1: "finished", 2: "finished"}


def test_restartable_keeps_one_run_id_across_restarts(offline, tmp_path):
    tracking = restartable(
        TrackingConfig(use_wandb=True, project="jobs"), job_id="job-42"
    )
    assert (tracking.id, tracking.resume, tracking.project) == (
        "job-42",
        "allow",
        "jobs",
    )
    for attempt in range(2):  # the job, then its restart after preemption
        with tracking.start() as run:
            run.log({"attempt": attempt})
    recorded = [
        read_offline_run(r) for r in sorted(tmp_path.glob("wandb/offline-run-*"))
    ]
    assert [r.run_id for r in recorded] == ["job-42", "job-42"]
    with pytest.raises(
        ValidationError, match=r"id\n  Value error, 'job/42': W&B forbids"
    ):
        restartable(tracking, job_id="job/42")


def test_run_ids_and_projects_follow_wandbs_own_character_sets():
    """The two sets differ: % is fine in a run id, ; is fine in a project name."""
    tracking = TrackingConfig(
        use_wandb=True, id="job%1", project="a;b", mode="disabled"
    )
    with tracking.start() as run:
        assert run.disabled
    with pytest.raises(wandb.errors.UsageError, match="Run ID cannot contain"):
        wandb.init(mode="offline", id="job;1")


def test_start_refuses_a_secret_in_the_hyperparameters_before_wandb_sees_it(tmp_path):
    class WithToken(Hyperparams):
        hf_token: str = "hf_" + "a" * 30

    with pytest.raises(
        ValueError, match=r"config\['hf_token'\] is named like a secret"
    ):
        TrackingConfig(use_wandb=True, mode="offline").start(WithToken())
    assert not (tmp_path / "wandb").exists()  # no run was started
