"""Bad and edge-case input for snippets/registry.py: targets, goals, aliases, recorded
metadata, and links that could only fail after syncing."""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import wandb

from snippets.init import NoRun
from snippets.registry import (
    check_target,
    choose_version,
    link_after_sync,
    link_model,
    load_registry_model,
    promote,
    registry_path,
)

TARGET = "wandb-registry-model/linear-model"


def cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    weights = root / "model.json"
    weights.write_text(json.dumps({"a": 3.0, "b": 1.0}))
    broken = root / "broken.json"
    broken.write_text("{not json")
    listed = root / "list.json"
    listed.write_text("[1, 2]")
    checkpoint = root / "model.pt"
    checkpoint.write_bytes(b"weights")
    unlogged = wandb.Artifact("linear-model", type="model")
    unlogged.add_file(str(checkpoint))
    with warnings.catch_warnings():  # an offline run, finished: only its mode is read
        warnings.simplefilter("ignore")
        offline = wandb.init(project="survey", mode="offline", dir=root)
        offline.finish()

    recorded = {
        "v0": {"val/loss": 0.5, "val/acc": 0.7},
        "v1": {"val/loss": 0.3, "val/acc": 0.9},
        "v2": {"val/loss": 0.4, "val/acc": 0.8},
    }

    def chose(version: str) -> Callable[[str], bool]:
        return lambda got: got == version

    def choose(versions: Any, metric: Any = "val/loss", goal: Any = "min") -> Any:
        return lambda: choose_version(versions, metric, goal)

    def load(run: Any = None, **kwargs: Any) -> Callable[[], Any]:
        args = {"target": TARGET, "alias": "production", "local": weights} | kwargs
        return lambda: load_registry_model(NoRun() if run is None else run, **args)

    nan = math.nan
    return [
        # targets
        ("registry_path('')", lambda: registry_path(""), "collection"),
        ("registry_path(None)", lambda: registry_path(None), "collection"),
        ("registry_path with a space", lambda: registry_path("my model"), "name"),
        ("registry_path registry=''", lambda: registry_path("m", registry=""), "registry"),
        ("registry_path registry=None", lambda: registry_path("m", registry=None), "registry"),
        ("registry_path org='a/b'", lambda: registry_path("m", org="a/b"), "org"),
        ("registry_path org=None", lambda: registry_path("linear-model", org=None), lambda t: t == TARGET),
        ("check_target(None)", lambda: check_target(None), "target"),
        ("check_target('')", lambda: check_target(""), "target"),
        ("check_target(3)", lambda: check_target(3), "target"),
        ("check_target no collection", lambda: check_target("wandb-registry-model"), "target"),
        ("check_target empty collection", lambda: check_target("wandb-registry-model/"), "collection"),
        ("check_target with an alias", lambda: check_target(f"{TARGET}:v1"), "alias"),
        ("check_target legacy", lambda: check_target("t/model-registry/m"), "legacy"),
        # choosing a version
        ("choose maximize", choose(recorded, "val/acc", "maximize"), chose("v1")),
        ("choose minimize", choose(recorded, "val/loss", "minimize"), chose("v1")),
        ("choose goal 'MAX'", choose(recorded, "val/acc", "MAX"), "goal"),
        ("choose goal None", choose(recorded, "val/acc", None), "goal"),
        ("choose goal 'best'", choose(recorded, "val/acc", "best"), "goal"),
        ("choose metric ''", choose(recorded, ""), "metric"),
        ("choose metric None", choose(recorded, None), "metric"),
        ("choose metric missing", choose(recorded, "test/acc"), "metric"),
        ("choose {}", choose({}), "versions"),
        ("choose None", choose(None), "versions"),
        ("choose a list", choose([recorded["v0"]]), "versions"),
        ("choose metadata None", choose({"v0": None, "v1": {"val/loss": 0.1}}), "metadata"),
        ("choose version 'latest'", choose({"latest": {"val/loss": 0.1}}), "version"),
        ("choose version '3'", choose({"3": {"val/loss": 0.1}}), "version"),
        ("choose bool value", choose({"v0": {"ok": True}, "v1": {"ok": 0.5}}, "ok", "max"), chose("v1")),
        ("choose '0.1' value", choose({"v0": {"l": "0.1"}, "v1": {"l": 0.5}}, "l"), chose("v1")),
        ("choose NaN value", choose({"v0": {"l": nan}, "v1": {"l": 0.5}}, "l"), chose("v1")),
        ("choose None value", choose({"v0": {"l": None}, "v1": {"l": 0.5}}, "l"), chose("v1")),
        # linking
        ("link_model(None, ...)", lambda: link_model(None, unlogged, TARGET, ["staging"]), "run"),
        (
            "link_model aliases 'staging'",
            lambda: link_model(NoRun(), None, TARGET, "staging"),
            "list",
        ),
        ("link_model aliases None", lambda: link_model(NoRun(), None, TARGET, None), "aliases"),
        (
            "link_model artifact a str",
            lambda: link_model(offline, "linear-model:latest", TARGET, ["staging"]),
            "artifact",
        ),
        (
            "link_model offline, never logged",
            lambda: link_model(offline, unlogged, TARGET, ["staging"]),
            "log_artifact",
        ),
        (
            "link_model legacy target",
            lambda: link_model(NoRun(), None, "t/model-registry/m", ["staging"]),
            "legacy",
        ),
        # the public API, checked before it is called
        ("promote goal 'best'", lambda: promote(TARGET, "val/loss", "best"), "goal"),
        ("promote goal 'MIN'", lambda: promote(TARGET, "val/loss", "MIN"), "goal"),
        ("promote metric ''", lambda: promote(TARGET, "", "min"), "metric"),
        ("promote alias 'v1'", lambda: promote(TARGET, "val/loss", "min", "v1"), "version"),
        ("promote type ''", lambda: promote(TARGET, "val/loss", "min", type=""), "type"),
        (
            "link_after_sync aliases str",
            lambda: link_after_sync("p/abc", "m", "0" * 32, TARGET, "staging"),
            "list",
        ),
        (
            "link_after_sync run_path ''",
            lambda: link_after_sync("", "m", "0" * 32, TARGET, ["staging"]),
            "run_path",
        ),
        (
            "link_after_sync digest ''",
            lambda: link_after_sync("p/abc", "m", "", TARGET, ["staging"]),
            "digest",
        ),
        (
            "link_after_sync bad target",
            lambda: link_after_sync("p/abc", "m", "0" * 32, "p/m", ["staging"]),
            "registry",
        ),
        # loading the production model
        ("load run None", lambda: load_registry_model(None, TARGET, "production", weights), "run"),
        ("load alias ''", load(alias=""), "alias"),
        ("load alias None", load(alias=None), "alias"),
        ("load alias 'v1'", load(alias="v1"), lambda w: w == {"a": 3.0, "b": 1.0}),
        ("load local ''", load(local=""), "empty"),
        ("load local a folder", load(local=root), "folder"),
        ("load local not JSON", load(local=broken), "broken.json"),
        ("load local a JSON list", load(local=listed), "list.json"),
        ("load target None", load(target=None), "target"),
    ]  # fmt: skip
