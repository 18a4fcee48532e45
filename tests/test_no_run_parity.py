"""NoRun against W&B's own disabled run: the same calls, the same results and errors.

Each step is run on a run from `start_run(True, ...)` (wandb 0.31's NoopRun: every test
runs with WANDB_MODE=disabled) and on a `NoRun` from `start_run(False, ...)`, in the same
order, and the outcomes are compared call by call. W&B's behaviour is the reference.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime
import enum
import math
import os
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
import torch
import wandb
from torch import nn

from snippets.init import NoRun, hparams_from_run, start_run

INIT = {"project": "parity", "tags": ["a", "b"], "config": {"lr": 0.1, "epochs": 2}}


def setattr_(target, key, value):
    setattr(target, key, value)


def setitem(target, key, value):
    target[key] = value


# Where NoRun does not do what W&B's disabled run does, and why; docs/init.md has a
# row for each.
ON_PURPOSE = {
    "log(sync=True)": "the run W&B starts online or offline has no sync= in 0.31",
    "log(unknown=1)": "the run W&B starts online or offline refuses it",
    "config key not a str": "a TypeError naming the key, not \"'int' object has no "
    "attribute 'strip'\"",
    "config from a YAML path": "NoRun reads no YAML file: pass a dict",
    "deepcopy(summary)": "W&B's disabled summary raises KeyError('__deepcopy__')",
}


class Colour(enum.Enum):
    RED = 1


@dataclasses.dataclass
class Point:
    x: int = 1


ODD_VALUES = {
    "nan": math.nan,
    "inf": math.inf,
    "array": np.array([1.0, 2.0]),
    "array of 1": np.array([1.5]),
    "array of 0-d": np.array(2.5),
    "array of 40": np.arange(40),
    "float32": np.float32(1.5),
    "int64": np.int64(3),
    "numpy nan": np.float64("nan"),
    "tuple": (1, (2, 3)),
    "set": {1},
    "frozenset": frozenset([1]),
    "path": Path("/data/x"),
    "bytes": b"ab",
    "date": datetime.date(2020, 1, 2),
    "enum": Colour.RED,
    "dataclass": Point(),
    "function": len,
    "slice": slice(1, 2),
    "range": range(3),
    "nested": {"path": Path("/y"), "tuple": (1,)},
    "list with nan": [np.float32(1), math.nan],
    "tensor 0-d": torch.tensor(2.5),
    "tensor of 1": torch.tensor([1.5]),
    "tensor": torch.tensor([1.0, 2.0]),
    "tensor with grad": torch.tensor([1.0], requires_grad=True),
}


def typed(value):
    """A value and its type, compared as text: arrays and NaN do not compare with ==."""
    return (repr(value), "dict" if isinstance(value, dict) else type(value).__name__)


def metric(m):
    return (m.name, m.step_metric, m.step_sync, m.summary, m.hidden)


def run_dir(run):
    """W&B's disabled run names a folder under the temporary folder, never made."""
    pattern = (
        rf"{re.escape(tempfile.gettempdir())}/wandb/run-\d{{8}}_\d{{6}}-{run.id}/files"
    )
    return (bool(re.fullmatch(pattern, run.dir)), os.path.exists(run.dir))


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
    (
        "define_metric",
        lambda run: metric(run.define_metric("val/*", summary="min")),
        True,
    ),
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
    # what a run says about itself
    ("id: 8 of a-z, 0-9", lambda run: bool(re.fullmatch("[a-z0-9]{8}", run.id)), True),
    ("name", lambda run: run.name == f"dummy-{run.id}", True),
    ("path", lambda run: run.path == f"dummy/parity/{run.id}", True),
    ("dir: a folder that does not exist", lambda run: run_dir(run), True),
    ("start_time", lambda run: abs(time.time() - run.start_time) < 600, True),
    *(
        (attribute, lambda run, a=attribute: getattr(run, a), True)
        for attribute in [
            "entity",
            "group",
            "job_type",
            "notes",
            "offline",
            "disabled",
            "resumed",
            "sweep_id",
            "url",
            "project_url",
            "sweep_url",
            "step",
        ]
    ),
    # calls that do nothing and say None
    ("status", lambda run: run.status(), True),
    ("restore", lambda run: run.restore("model.pt"), True),
    ("log_model", lambda run: run.log_model("model.pt", name="m"), True),
    ("use_model", lambda run: run.use_model("m:latest"), True),
    ("link_model", lambda run: run.link_model("model.pt", "registry/m"), True),
    ("log_code", lambda run: run.log_code("."), True),
    ("mark_preempting", lambda run: run.mark_preempting(), True),
    # W&B's config is no dict
    ("len(config)", lambda run: len(run.config), True),
    ("bool(config)", lambda run: bool(run.config), True),
    ("config == dict", lambda run: run.config == dict(run.config), True),
    ("config.values()", lambda run: run.config.values(), True),
    ("config.pop", lambda run: run.config.pop("lr"), True),
    ("config.as_dict()", lambda run: run.config.as_dict(), True),
    ("config.items()", lambda run: run.config.items(), True),
    ("repr(config)", lambda run: repr(run.config), True),
    # keys that start with "_": hidden from keys(), there for the rest
    ("_ key: in", lambda run: "_private" in run.config, True),
    ("_ key: by key", lambda run: run.config["_private"], True),
    ("_ key: by attribute", lambda run: run.config._private, True),
    ("_ key: get", lambda run: run.config.get("_private"), True),
    ("_ key: keys()", lambda run: "_private" in run.config.keys(), True),  # noqa: SIM118
    ("_ key: iterated", lambda run: list(run.config), True),
    ("a key with dashes", lambda run: run.config.update({"--flag": 1}), True),
    ("the key without them", lambda run: run.config.flag, True),
    # values W&B's config converts, and its summary keeps as they are
    ("config of odd values", lambda run: run.config.update(ODD_VALUES), True),
    *(
        (f"config {key}", lambda run, k=key: typed(run.config[k]), True)
        for key in ODD_VALUES
    ),
    ("log odd values", lambda run: run.log(ODD_VALUES), True),
    *(
        (f"summary {key}", lambda run, k=key: typed(run.summary[k]), True)
        for key in ODD_VALUES
    ),
    ("summary nested, by attribute", lambda run: run.summary["val"].loss, True),
    ("summary set a tuple", lambda run: setitem(run.summary, "t", (1, 2)), True),
    ("summary tuple back", lambda run: typed(run.summary["t"]), True),
    ("summary delete by attribute", lambda run: delattr(run.summary, "t"), True),
    # on purpose not as W&B's disabled run (ON_PURPOSE)
    ("log(sync=True)", lambda run: run.log({"x": 1}, sync=True), True),
    ("log(unknown=1)", lambda run: run.log({"x": 1}, unknown=1), True),
    ("config key not a str", lambda run: run.config.update({1: 2}), True),
    ("config from a YAML path", lambda run: run.config.update("nofile.yaml"), True),
    ("deepcopy(summary)", lambda run: type(copy.deepcopy(run.summary)).__name__, False),
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
    different, on_purpose = [], []
    for what, call, compare_result in STEPS:
        expected = outcome(call, wandb_run, compare_result)
        got = outcome(call, no_run, compare_result)
        if got != expected:
            (on_purpose if what in ON_PURPOSE else different).append(what)
            print(f"{what}: W&B {expected}, NoRun {got}")
    assert different == []
    assert sorted(on_purpose) == sorted(ON_PURPOSE)  # each one still differs


def test_the_init_page_says_where_no_run_differs_on_purpose():
    page = (Path(__file__).parents[1] / "docs" / "init.md").read_text()
    rows = re.findall(r"^\| `([^`]+)` \|", page, re.MULTILINE)
    assert set(ON_PURPOSE) <= set(rows)


def test_no_run_refuses_sync_as_the_run_wandb_starts_does(offline):
    run = start_run(True, project="parity")
    with pytest.raises(TypeError, match="sync"):
        run.log({"x": 1}, sync=True)
    with pytest.raises(TypeError, match="sync"):
        NoRun().log({"x": 1}, sync=True)


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


def test_tags_as_one_string_are_refused_not_split_into_letters():
    """W&B's disabled run takes tags="one" as ("o", "n", "e"); NoRun refuses it."""
    assert start_run(True, tags="one").tags == ("o", "n", "e")
    with pytest.raises(TypeError, match=r"tags='one': pass a list of str"):
        start_run(False, tags="one")
