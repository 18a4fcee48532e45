"""The registry topic (snippets/registry.py, docs/registry.md): linking to the W&B
Registry and promoting a version.

Linking online and the public API need a W&B server, which the tests never fake: they
cover the target paths, the choice of version on recorded metadata, what offline and
disabled runs do with a link, and the error where no API key is configured.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import wandb

from snippets.init import NoRun, TrackingConfig
from snippets.registry import (
    PendingLink,
    check_target,
    choose_version,
    link_after_sync,
    link_model,
    load_registry_model,
    main,
    promote,
    public_api,
    registry_path,
)
from tests.test_artifacts import artifact_records

ON = TrackingConfig(use_wandb=True)
TARGET = "wandb-registry-model/linear-model"


def model_artifact(tmp_path: Path) -> wandb.Artifact:
    path = tmp_path / "model.pt"
    path.write_bytes(b"weights")
    artifact = wandb.Artifact("linear-model", type="model", metadata={"val/loss": 0.1})
    artifact.add_file(str(path))
    return artifact


# --- target paths ----------------------------------------------------------------------


def test_registry_path_parts():
    assert registry_path("linear-model") == TARGET
    assert registry_path("points", registry="dataset") == (
        "wandb-registry-dataset/points"
    )
    assert registry_path("linear-model", org="acme") == f"acme/{TARGET}"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "my-team/model-registry/linear-model",
            "'my-team/model-registry/linear-model' is the legacy Model Registry, which "
            "W&B is retiring: link to wandb-registry-model/linear-model "
            "(registry_path('linear-model'))",
        ),
        (
            "my-project/linear-model",
            "'my-project/linear-model': a registry target is [org/]wandb-registry-"
            "<registry>/<collection>, e.g. registry_path('my-model')",
        ),
        (
            "a/b/wandb-registry-model/linear-model",
            "'a/b/wandb-registry-model/linear-model': a registry target is [org/]"
            "wandb-registry-<registry>/<collection>, e.g. registry_path('my-model')",
        ),
        (
            "wandb-registry-/linear-model",
            "registry name '': W&B takes 1 to 113 characters, none of / \\ # ? % :",
        ),
        (
            "wandb-registry-my%models/linear-model",
            "registry name 'my%models': W&B takes 1 to 113 characters, none of "
            "/ \\ # ? % :",
        ),
        (
            "wandb-registry-model/linear model",
            "artifact name 'linear model': W&B takes 1 to 128 letters, digits, '-', '_' "
            "and '.'; replace the other characters (e.g. with '-')",
        ),
    ],
)
def test_bad_targets_are_refused_with_the_fix(target, message):
    with pytest.raises(ValueError) as error:
        check_target(target)
    assert str(error.value) == message


def test_registry_name_limit_is_wandbs():
    from wandb.sdk.artifacts._validators import validate_project_name

    longest = "m" * 113
    assert check_target(f"wandb-registry-{longest}/c")
    validate_project_name(f"wandb-registry-{longest}")
    with pytest.raises(ValueError, match="1 to 113 characters"):
        check_target(f"wandb-registry-{longest}m/c")
    with pytest.raises(ValueError, match="must be 113 characters or less"):
        validate_project_name(f"wandb-registry-{longest}m")
    with pytest.raises(ValueError, match="cannot contain characters"):
        validate_project_name("wandb-registry-my%models")


# --- choosing a version: plain code on recorded metadata ------------------------------

RECORDED = {  # what the public API gives: version -> metadata
    "v0": {"epoch": 0, "val/loss": 0.52, "val/acc": 0.71},
    "v1": {"epoch": 1, "val/loss": 0.31, "val/acc": 0.83},
    "v2": {"epoch": 2, "val/loss": math.nan, "val/acc": 0.83},
    "v3": {"epoch": 3},
    "v10": {"epoch": 10, "val/loss": 0.40, "val/acc": 0.80},
}


def test_choose_version_by_goal():
    with pytest.warns(UserWarning) as caught:
        assert choose_version(RECORDED, "val/loss", "min") == "v1"  # NaN passed over
        assert choose_version(RECORDED, "val/acc", "max") == "v2"  # tie: the newer
    assert [str(w.message) for w in caught] == [
        "v2, v3: no finite 'val/loss', passed over",
        "v3: no finite 'val/acc', passed over",
    ]


@pytest.mark.parametrize(
    ("goal", "metric", "expected"),
    [
        ("maximize", "val/acc", "v1"),
        ("max", "val/acc", "v1"),
        ("minimize", "val/loss", "v1"),
        ("min", "val/loss", "v1"),
        ("maximize", "val/loss", "v0"),
        ("minimize", "val/acc", "v0"),
    ],
)
def test_choose_version_takes_the_sweep_spellings_of_a_goal(goal, metric, expected):
    versions = {
        "v0": {"val/loss": 0.5, "val/acc": 0.7},
        "v1": {"val/loss": 0.3, "val/acc": 0.9},
    }
    assert choose_version(versions, metric, goal) == expected


@pytest.mark.parametrize("goal", ["MAX", "best", "", None, "maximise"])
def test_choose_version_refuses_other_goal_words(goal):
    with pytest.raises(ValueError) as error:
        choose_version({"v0": {"acc": 0.9}}, "acc", goal)
    assert str(error.value) == (
        f"goal={goal!r}: use one of 'min', 'minimize', 'max', 'maximize'"
    )


def test_choose_version_never_chooses_a_bool_a_string_or_none():
    versions = {
        "v0": {"acc": True},
        "v1": {"acc": "0.99"},
        "v2": {"acc": None},
        "v3": {"acc": 0.5},
    }
    with pytest.warns(UserWarning, match=r"^v0, v1, v2: no finite 'acc', passed over$"):
        assert choose_version(versions, "acc", "max") == "v3"


@pytest.mark.parametrize(
    ("versions", "error", "message"),
    [
        (None, TypeError, "versions is a NoneType: pass a dict"),
        ([{"acc": 1.0}], TypeError, "versions is a list: pass a dict"),
        (
            {"v0": None},
            TypeError,
            "the metadata of v0 is None: pass a dict",
        ),
        (
            {"latest": {"acc": 1.0}},
            ValueError,
            "version 'latest': W&B's versions are 'v0', 'v1', ...",
        ),
        ({"3": {"acc": 1.0}}, ValueError, "version '3': W&B's versions are"),
    ],
)
def test_choose_version_names_what_is_wrong_with_the_versions(versions, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        choose_version(versions, "acc", "max")


@pytest.mark.parametrize("metric", ["", None])
def test_choose_version_needs_a_metric(metric):
    with pytest.raises(ValueError, match="name the recorded one, e.g. 'val/loss'"):
        choose_version({"v0": {"acc": 1.0}}, metric, "max")


def test_choose_version_compares_version_numbers_not_text():
    tied = {"v9": {"acc": 0.9}, "v10": {"acc": 0.9}, "v2": {"acc": 0.9}}
    assert choose_version(tied, "acc", "max") == "v10"


def test_choose_version_with_nothing_to_choose():
    with pytest.raises(ValueError) as error:
        choose_version(RECORDED, "test/acc", "max")
    assert str(error.value) == (
        "no version records the metric 'test/acc' as a finite number in its metadata "
        "(versions: v0, v1, v2, v3, v10)"
    )
    with pytest.raises(ValueError, match=r"\(versions: none\)"):
        choose_version({}, "val/loss", "min")


# --- linking in each mode --------------------------------------------------------------


def test_wandb_link_artifact_offline_logs_again_then_raises(offline, tmp_path):
    """What link_model avoids: wandb 0.31 logs the artifact a second time, then raises."""
    with ON.start() as run:
        artifact = model_artifact(tmp_path)
        run.log_artifact(artifact, aliases=["best"])
        with pytest.raises(NotImplementedError):
            run.link_artifact(artifact, TARGET, aliases=["staging"])
    recorded = offline()
    assert recorded.state == "finished"
    assert [sorted(a.aliases) for a in recorded.artifacts] == [
        ["best", "latest"],
        ["latest"],
    ]


def test_offline_link_records_and_prints_the_call(offline, tmp_path, capsys):
    with ON.start() as run:
        artifact = model_artifact(tmp_path)
        never_logged = model_artifact(tmp_path)
        assert not artifact._final  # what link_model reads: wandb 0.31 has no public
        run.log_artifact(artifact, aliases=["best"])
        assert artifact._final  # flag for "logged"; log_artifact finalizes
        with pytest.raises(ValueError) as unlogged:  # it could only fail after sync
            link_model(run, never_logged, TARGET, ["staging"])
        assert str(unlogged.value) == (
            "linear-model was never logged, so W&B could not link it after sync: "
            "call run.log_artifact(artifact) first"
        )
        with pytest.raises(TypeError, match="pass the wandb.Artifact you logged"):
            link_model(run, "linear-model:latest", TARGET, ["staging"])
        # Bad input fails before anything is recorded:
        with pytest.raises(ValueError, match="'v1': v<number> is W&B's own"):
            link_model(run, artifact, TARGET, ["v1"])
        with pytest.raises(ValueError, match="legacy Model Registry"):
            link_model(run, artifact, "team/model-registry/linear-model", ["staging"])
        pending = link_model(run, artifact, TARGET, ["staging"])
        run_folder = Path(run.dir).parent
    assert pending == PendingLink(
        f"wandb-tracking-guide/{run.id}",
        "linear-model",
        artifact.digest,
        TARGET,
        ["staging"],
    )
    call = (
        f"link_after_sync('wandb-tracking-guide/{run.id}', 'linear-model', "
        f"'{artifact.digest}', '{TARGET}', ['staging'])"
    )
    assert capsys.readouterr().out == (
        f"linear-model not linked: W&B links only online. After "
        f"`wandb sync {run_folder}`, run: {call}\n"
    )
    recorded = offline()
    assert recorded.state == "finished"
    assert recorded.summary["registry/pending_link"] == {
        "run_path": f"wandb-tracking-guide/{run.id}",
        "name": "linear-model",
        "digest": artifact.digest,
        "target": TARGET,
        "aliases": ["staging"],
    }
    [record] = artifact_records(tmp_path)  # logged once, not twice
    assert record["digest"] == artifact.digest


def test_link_model_checks_the_run_and_the_aliases_first(tmp_path):
    with pytest.raises(TypeError, match="^run is a NoneType: pass the run from start"):
        link_model(None, model_artifact(tmp_path), TARGET, ["staging"])
    with pytest.raises(TypeError) as error:  # a str was read letter by letter
        link_model(NoRun(), None, TARGET, "staging")
    assert (
        str(error.value) == "aliases='staging': pass a list of strings, e.g. ['best']"
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (None, "None: a registry target is [org/]wandb-registry-<registry>/"),
        ("", "'': a registry target is [org/]wandb-registry-<registry>/"),
        ("wandb-registry-model", "'wandb-registry-model': a registry target is"),
        ("wandb-registry-model/", "'wandb-registry-model/': name the collection"),
        (f"{TARGET}:v1", f"'{TARGET}:v1': pass the aliases apart (aliases=[...])"),
    ],
)
def test_targets_of_the_wrong_shape_are_refused_by_name(target, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        check_target(target)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: registry_path(""), "collection='', registry='model': pass names"),
        (lambda: registry_path(None), "collection=None, registry='model': pass names"),
        (lambda: promote(TARGET, "val/loss", "best"), "goal='best': use one of"),
        (lambda: promote(TARGET, "", "min"), "metric='', type='model': pass both"),
        (
            lambda: link_after_sync("", "m", "0" * 32, TARGET, ["staging"]),
            "run_path='', digest='00000000000000000000000000000000': see PendingLink",
        ),
    ],
)
def test_bad_arguments_fail_before_the_server_is_asked(call, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        call()


def test_disabled_and_no_run_link_nothing_and_say_so(tmp_path):
    with wandb.init(mode="disabled") as run:
        artifact = model_artifact(tmp_path)
        assert run.link_artifact(artifact, TARGET) is None  # wandb 0.31, disabled
        with pytest.warns(UserWarning, match=f"nothing linked to {TARGET}$"):
            assert link_model(run, artifact, TARGET, ["staging"]) is None
    with pytest.warns(UserWarning, match="tracking is off: nothing linked"):
        assert link_model(NoRun(), None, TARGET, ["staging"]) is None


# --- the public API: needs a server and an API key --------------------------------------

NO_KEY = (
    "the W&B public API needs a W&B server and an API key: run `wandb login` or set "
    "WANDB_API_KEY (and WANDB_BASE_URL for your own server)"
)


def test_public_api_without_a_key_says_what_it_needs():
    with pytest.raises(RuntimeError) as error:
        public_api()
    assert str(error.value) == NO_KEY
    assert isinstance(error.value.__cause__, wandb.errors.UsageError)
    assert "No API key configured" in str(error.value.__cause__)


def test_promote_and_link_after_sync_need_the_server():
    with pytest.raises(RuntimeError, match="needs a W&B server and an API key"):
        promote(TARGET, "val/loss", "min", alias="production")
    with pytest.raises(RuntimeError, match="needs a W&B server and an API key"):
        link_after_sync("p/abc", "linear-model", "0" * 32, TARGET, ["staging"])
    with pytest.raises(ValueError, match="alias 'prod:1'"):  # checked before the API
        promote(TARGET, "val/loss", "min", alias="prod:1")


@pytest.mark.slow
def test_main_offline_links_the_best_checkpoint(offline, capsys, tmp_path):
    pending = main(ON)
    recorded = offline()
    assert recorded.state == "finished"
    assert recorded.summary["registry/pending_link"]["target"] == TARGET
    best = [a for a in recorded.artifacts if "best" in a.aliases][-1]
    assert pending.name == best.name == "linear-model"
    assert min(recorded.column("val/loss")) == best.metadata["val/loss"]
    best_record = [r for r in artifact_records(tmp_path) if "best" in r["aliases"]][-1]
    assert pending.digest == best_record["digest"]
    assert "not linked: W&B links only online" in capsys.readouterr().out


# --- another job uses the production model ----------------------------------------------

PRODUCTION = f"{TARGET}:production"


@pytest.fixture
def trained(tmp_path: Path) -> tuple[Path, Callable[[dict], float], float]:
    """The best checkpoint file of the artifacts page's training (run without W&B), the
    validation loss of given weights, and the loss that checkpoint was kept for."""
    import json

    from snippets.artifacts import FitParams, make_dataset, mse, train

    data = make_dataset(tmp_path / "points", seed=0)
    best = train(FitParams(), NoRun(), data, tmp_path).best
    val = json.loads((data / "val.json").read_text())

    def val_loss(weights: dict) -> float:
        return mse(weights, val)

    files = sorted(tmp_path.glob("model-epoch*.json"))
    best_file = min(files, key=lambda p: val_loss(json.loads(p.read_text())))
    return best_file, val_loss, best


def test_offline_loads_the_local_model_and_records_it(offline, trained):
    local, val_loss, best = trained
    with ON.start() as run:
        with pytest.raises(TypeError) as error:  # wandb 0.31, offline
            run.use_artifact(PRODUCTION)
        assert str(error.value) == "Cannot use artifact when in offline mode."
        with pytest.warns(UserWarning) as caught:
            weights = load_registry_model(run, TARGET, "production", local)
    assert [str(w.message) for w in caught] == [
        f"{PRODUCTION}: W&B is offline, so loading the local copy {local}"
    ]
    assert val_loss(weights) == best  # the trained model, loaded
    recorded = offline()
    assert recorded.state == "finished"
    assert recorded.summary["registry/loaded"] == {
        "model": PRODUCTION,
        "from": str(local),
    }
    assert recorded.artifacts == []  # no input recorded offline


def test_disabled_and_no_run_load_the_local_model(trained):
    local, val_loss, best = trained
    message = (
        f"{PRODUCTION}: W&B is disabled or tracking is off, so loading the local copy "
        f"{local}"
    )
    with wandb.init(mode="disabled") as run, pytest.warns(UserWarning) as caught:
        assert run.use_artifact(PRODUCTION) is None  # wandb 0.31, disabled
        weights = load_registry_model(run, TARGET, "production", local)
        assert weights == load_registry_model(NoRun(), TARGET, "production", local)
    assert [str(w.message) for w in caught] == [message, message]
    assert val_loss(weights) == best


def test_load_registry_model_checks_first(tmp_path):
    gone = tmp_path / "gone.json"
    with pytest.raises(FileNotFoundError) as error:
        load_registry_model(NoRun(), TARGET, "production", gone)
    assert str(error.value) == (
        f"{PRODUCTION}: W&B is disabled or tracking is off and the local copy {gone} "
        "is missing"
    )
    with pytest.raises(ValueError, match="alias 'prod:1': W&B takes 1 to 128"):
        load_registry_model(NoRun(), TARGET, "prod:1", gone)
    with pytest.raises(ValueError, match="legacy Model Registry"):
        load_registry_model(NoRun(), "t/model-registry/m", "production", gone)
    with pytest.raises(ValueError, match="alias None: W&B takes 1 to 128"):
        load_registry_model(NoRun(), TARGET, None, gone)
    with pytest.raises(ValueError, match="^local='': pass the local copy's path"):
        load_registry_model(NoRun(), TARGET, "production", "")
    with pytest.raises(IsADirectoryError, match="is a folder: pass the model file"):
        load_registry_model(NoRun(), TARGET, "production", tmp_path)
    with pytest.raises(TypeError, match="^run is a NoneType"):
        load_registry_model(None, TARGET, "production", gone)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not a JSON model file: Expecting property name"),
        ("[1, 2]", "holds a list, not a dict"),
    ],
)
def test_a_local_copy_that_is_no_model_file_is_named(tmp_path, text, message):
    local = tmp_path / "model.json"
    local.write_text(text)
    with pytest.warns(UserWarning), pytest.raises(ValueError) as error:
        load_registry_model(NoRun(), TARGET, "production", local)
    assert str(error.value).startswith(f"{local} {message}")


# --- what run.link_artifact checks on the client (online) -------------------------------


def test_wandb_link_artifact_checks_the_targets_shape_and_the_aliases():
    import inspect

    from wandb.sdk.artifacts._validators import ArtifactPath, validate_aliases

    # The calls run.link_artifact and Artifact.link make before the server is asked.
    assert "ArtifactPath.from_str(target_path)" in inspect.getsource(
        wandb.Run.link_artifact
    )
    assert "validate_aliases(aliases or [])" in inspect.getsource(wandb.Artifact.link)
    path = ArtifactPath.from_str(f"acme/{TARGET}")
    assert (path.prefix, path.project, path.name) == (
        "acme",
        "wandb-registry-model",
        "linear-model",
    )
    with pytest.raises(ValueError) as error:
        ArtifactPath.from_str(f"a/b/{TARGET}")
    assert str(error.value) == f"Invalid artifact path: 'a/b/{TARGET}'"
    with pytest.raises(ValueError) as error:
        validate_aliases(["prod:1"])
    assert str(error.value) == (
        "Aliases must not contain any of the following characters: '/', ':'"
    )
    # Names are not checked there: the server sees them.
    assert ArtifactPath.from_str("wandb-registry-my%models/linear model").name == (
        "linear model"
    )
