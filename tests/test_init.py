"""The init topic (snippets/init.py, docs/init.md): starting and configuring a run."""

from __future__ import annotations

import inspect
import sys

import pytest
import wandb
from pydantic import BaseModel, ValidationError

from snippets.init import (
    INIT_PARAMETERS,
    Hyperparams,
    NoRun,
    TrackingConfig,
    hparams_from_run,
    main,
    refuse_secrets,
    restartable,
    start_run,
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
            {"mode": "Offline"},
            r"mode\n  Value error, mode='Offline': use one of 'online', 'run', "
            r"'offline', 'dryrun', 'disabled', 'shared'",
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


# --- bad input: flags, keywords, modes, secrets ---------------------------------------------


@pytest.mark.parametrize("flag", ["false", "no", "0", "", [], 1])
def test_start_run_refuses_a_flag_that_is_not_a_bool(flag):
    """ "false" from an environment variable is truthy: it used to start tracking."""
    with pytest.raises(TypeError, match=r"use_wandb=.*: pass True or False"):
        start_run(flag, project="p")


def test_start_run_takes_none_as_tracking_off():
    assert isinstance(start_run(None), NoRun)


@pytest.mark.parametrize("use_wandb", [True, False])
def test_an_unknown_keyword_is_refused_with_tracking_off_too(use_wandb):
    """wandb.init refuses projet=; with tracking off it used to pass unnoticed."""
    with pytest.raises(TypeError, match="projet"):
        start_run(use_wandb, projet="x")


def test_init_parameters_are_wandb_inits_own():
    assert set(inspect.signature(wandb.init).parameters) == INIT_PARAMETERS


@pytest.mark.parametrize(
    ("value", "use_wandb"),
    [("false", False), ("no", False), ("0", False), ("true", True), ("1", True)],
)
def test_tracking_config_reads_a_flag_from_the_environment_correctly(value, use_wandb):
    """Pydantic's bool parses the words an environment variable holds."""
    assert TrackingConfig(use_wandb=value).use_wandb is use_wandb


def test_tracking_config_refuses_a_flag_word_it_does_not_know():
    with pytest.raises(ValidationError, match=r"use_wandb\n  Input should be a valid"):
        TrackingConfig(use_wandb="maybe")


@pytest.mark.parametrize(
    ("word", "mode"),
    [("dryrun", "offline"), ("run", "online"), ("offline", "offline"), (None, None)],
)
def test_tracking_config_takes_wandbs_mode_words(word, mode):
    assert TrackingConfig(mode=word).mode == mode


SECRET_CONFIGS = {
    "django": {"SECRET_KEY": "django-insecure-9x!k"},
    "aws": {"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
    "kebab": {"api-key": "abc123"},
    "camel": {"openaiApiKey": "abc123"},
    "pem": {"private_key": "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIB\n-----END"},
    "bytes": {"password": b"hunter2"},
    "client": {"clientSecret": "s3cr3t"},
    "nested": {"db": [{"DB_PASSWORD": "pw"}]},
}


@pytest.mark.parametrize("name", SECRET_CONFIGS)
def test_refuse_secrets_knows_the_names_people_use(name):
    config = SECRET_CONFIGS[name]
    with pytest.raises(ValueError, match="is named like a secret") as refused:
        refuse_secrets(config)
    key = next(iter(config)) if name != "nested" else "DB_PASSWORD"
    assert repr(key) in str(refused.value)
    assert all(str(v) not in str(refused.value) for v in _leaves(config))


def _leaves(config):
    for value in config.values() if isinstance(config, dict) else config:
        yield from _leaves(value) if isinstance(value, dict | list) else [value]


@pytest.mark.parametrize(
    "value",
    [
        "ghp_" + "A1b2" * 9,
        "sk-proj-" + "Ab3x" * 12,
        "AKIAIOSFODNN7EXAMPLE",
        "hf_" + "a1B2" * 9,
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
    ],
)
def test_refuse_secrets_knows_the_shapes_of_keys(value):
    with pytest.raises(ValueError, match=r"config\['deploy'\] looks like an API key"):
        refuse_secrets({"deploy": value})


def test_refuse_secrets_reads_a_pydantic_model_field_by_field():
    class Keys(BaseModel):
        lr: float = 0.1
        api_key: str = "abc123"

    with pytest.raises(ValueError, match=r"config\['api_key'\] is named like a secret"):
        refuse_secrets(Keys())
    with pytest.raises(ValueError, match=r"config\['run'\]\['api_key'\] is named"):
        refuse_secrets({"run": Keys()})


@pytest.mark.parametrize(
    "config",
    [
        {"tokenizer": "bert-base-uncased", "max_tokens": 512, "num_tokens": 3},
        {"pad_token": "<pad>", "eos_token": "</s>", "mask_token": "[MASK]"},
        {"secret_sauce_ratio": 0.3, "shared_secret_len": 8},
        {"commit_sha": "a" * 40, "git_sha": "b" * 40, "model_hash": "c" * 64},
        {"api_key_env": "OPENAI_API_KEY", "password_file": "/run/secrets/pw"},
        {"model": "sk-learn-forest-v2", "keyboard": "qwerty", "token_budget": 9},
        {"api_key": "", "password": None, "token": 0},
        None,
    ],
)
def test_refuse_secrets_lets_look_alikes_through(config):
    assert refuse_secrets(config) is None


def test_refuse_secrets_refuses_what_it_cannot_read():
    with pytest.raises(TypeError, match="config is a str: pass a dict"):
        refuse_secrets("api_key=abc")


def test_hparams_from_run_wants_a_model_class():
    with pytest.raises(TypeError, match=r"model=<class 'dict'>: pass a Pydantic model"):
        hparams_from_run(NoRun(), dict)
