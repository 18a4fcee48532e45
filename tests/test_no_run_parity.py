"""NoRun against W&B's own disabled run: the same calls, the same results and errors.

Each step is run on a run from `start_run(True, ...)` (wandb 0.31's NoopRun: every test
runs with WANDB_MODE=disabled) and on a `NoRun` from `start_run(False, ...)`, in the same
order, and the outcomes are compared call by call. W&B's behaviour is the reference.
"""

from __future__ import annotations

import argparse

import pytest
import wandb
from torch import nn

from snippets.init import NoRun, hparams_from_run, start_run

INIT = {"project": "parity", "tags": ["a", "b"], "config": {"lr": 0.1, "epochs": 2}}


def setattr_(target, key, value):
    setattr(target, key, value)


def setitem(target, key, value):
    target[key] = value


# (what the step does, the call, whether its return value is compared)
STEPS = [
    ("read a key", lambda run: run.config["lr"], True),
    ("read a key as an attribute", lambda run: run.config.lr, True),
    ("read a missing attribute", lambda run: run.config.nope, True),
    ("read a missing key", lambda run: run.config["nope"], True),
    ("get with a default", lambda run: run.config.get("nope", 7), True),
    ("membership", lambda run: "lr" in run.config, True),
    ("change by attribute", lambda run: setattr_(run.config, "epochs", 3), True),
    ("set a new key by attribute", lambda run: setattr_(run.config, "new", 5), True),
    ("set the same value again", lambda run: setitem(run.config, "lr", 0.1), True),
    ("change by key", lambda run: setitem(run.config, "lr", 0.2), True),
    ("change by update", lambda run: run.config.update({"lr": 0.2}), True),
    (
        "change with allow_val_change",
        lambda run: run.config.update({"lr": 0.3}, allow_val_change=True),
        True,
    ),
    ("update with keywords", lambda run: run.config.update(x=1), True),
    (
        "update from argparse",
        lambda run: run.config.update(argparse.Namespace(batch=8)),
        True,
    ),
    ("update from None", lambda run: run.config.update(None), True),
    ("a key starting with _", lambda run: run.config.update({"_private": 1}), True),
    ("setdefaults", lambda run: run.config.setdefaults({"lr": 9, "seed": 1}), True),
    ("the whole config", lambda run: dict(run.config), True),
    ("keys in order", lambda run: list(run.config.keys()), True),
    ("log", lambda run: run.log({"loss": 1.0}), True),
    ("log at a step", lambda run: run.log({"loss": 0.5, "acc": 0.9}, step=5), True),
    ("log a nested dict", lambda run: run.log({"val": {"loss": 0.4}}), True),
    ("step after logging", lambda run: run.step, True),
    ("summary key", lambda run: run.summary["loss"], True),
    ("summary attribute", lambda run: run.summary.acc, True),
    ("summary nested", lambda run: dict(run.summary["val"]), True),
    ("summary missing key", lambda run: run.summary["nope"], True),
    ("summary missing attribute", lambda run: run.summary.nope, True),
    ("summary get", lambda run: run.summary.get("nope"), True),
    ("summary set by key", lambda run: setitem(run.summary, "best", 0.1), True),
    ("summary set by attribute", lambda run: setattr_(run.summary, "top", 2), True),
    ("summary update", lambda run: run.summary.update({"final": 0.3}), True),
    ("the whole summary", lambda run: sorted(dict(run.summary)), True),
    ("project", lambda run: run.project, True),
    ("tags", lambda run: run.tags, True),
    ("define_metric", lambda run: run.define_metric("val/*", summary="min"), False),
    ("watch", lambda run: run.watch(nn.Linear(2, 1)), True),
    ("unwatch", lambda run: run.unwatch(), True),
    ("save", lambda run: run.save("model.pt"), True),
    ("use_artifact", lambda run: run.use_artifact("data:latest"), True),
    ("link_artifact", lambda run: run.link_artifact(None, "registry/x"), True),
    (
        "log_artifact(...).wait()",
        lambda run: run.log_artifact(wandb.Artifact("m", type="model")).wait(),
        False,
    ),
    ("alert", lambda run: run.alert(title="t", text="x"), True),
    ("hparams_from_run", lambda run: hparams_from_run(run).model_dump(), False),
    ("finish", lambda run: run.finish(), True),
    ("finish again", lambda run: run.finish(), True),
]

# W&B's ConfigError is wandb's own class, which NoRun cannot import: its stand-in
# carries the same message.
SAME_CLASS = {"ConfigError": "ConfigChangeError"}
# Where the message names the class or function itself, only the type is compared.
TYPE_ONLY = {"AttributeError", "TypeError"}


def outcome(call, run, compare_result):
    try:
        result = call(run)
    except Exception as error:  # the outcome is the error: compared below
        kind = SAME_CLASS.get(type(error).__name__, type(error).__name__)
        if kind in TYPE_ONLY and "config must be" not in str(error):
            return ("raises", kind)
        return ("raises", kind, str(error))
    return ("returns", result if compare_result else "<not compared>")


def test_no_run_does_every_step_as_wandbs_disabled_run():
    wandb_run, no_run = start_run(True, **INIT), start_run(False, **INIT)
    assert wandb_run.disabled and isinstance(no_run, NoRun)
    different = []
    for what, call, compare_result in STEPS:
        expected = outcome(call, wandb_run, compare_result)
        got = outcome(call, no_run, compare_result)
        if got != expected:
            different.append(f"{what}: W&B {expected}, NoRun {got}")
    assert different == []


def test_the_steps_cover_what_differed_before():
    """The steps hold the calls that once differed, and W&B's answers to them."""
    from snippets.init import ConfigChangeError

    run = start_run(True, **INIT)
    with pytest.raises(Exception, match=r'change value of key "epochs" from 2 to 3'):
        run.config.epochs = 3
    no_run = start_run(False, **INIT)
    with pytest.raises(ConfigChangeError, match=r"pass allow_val_change=True") as error:
        no_run.config.epochs = 3
    assert isinstance(error.value, ValueError)
    run.config.update({"_private": 1})
    no_run.config.update({"_private": 1})
    assert dict(run.config) == dict(no_run.config) == INIT["config"]
    assert run.log_artifact(wandb.Artifact("m", type="model")).wait() is not None
    assert no_run.log_artifact(wandb.Artifact("m", type="model")).wait() is not None


def test_defaults_without_project_or_tags_match():
    run, no_run = start_run(True), start_run(False)
    assert (run.project, run.tags, dict(run.config)) == ("dummy", (), {})
    assert (no_run.project, no_run.tags, dict(no_run.config)) == ("dummy", (), {})


def test_config_from_argparse_namespace_matches():
    args = argparse.Namespace(lr=0.1, _private=True)
    run, no_run = start_run(True, config=args), start_run(False, config=args)
    assert dict(run.config) == dict(no_run.config) == {"lr": 0.1}


@pytest.mark.parametrize("use_wandb", [True, False])
def test_with_block_passes_errors_on(use_wandb):
    with pytest.raises(RuntimeError, match="boom"), start_run(use_wandb):
        raise RuntimeError("boom")
