"""The registry topic (snippets/registry.py, docs/registry.md): linking to the W&B
Registry and promoting a version.

Linking online and the public API need a W&B server, which the tests never fake: they
cover the target paths, the choice of version on recorded metadata, what offline and
disabled runs do with a link, and the error where no API key is configured.
"""

from __future__ import annotations

import math
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
    assert choose_version(RECORDED, "val/loss", "min") == "v1"  # NaN passed over
    assert choose_version(RECORDED, "val/acc", "max") == "v2"  # tie: the newer


def test_choose_version_compares_version_numbers_not_text():
    tied = {"v9": {"acc": 0.9}, "v10": {"acc": 0.9}, "v2": {"acc": 0.9}}
    assert choose_version(tied, "acc", "max") == "v10"


def test_choose_version_with_nothing_to_choose():
    with pytest.raises(ValueError) as error:
        choose_version(RECORDED, "test/acc", "max")
    assert str(error.value) == (
        "no version records a finite 'test/acc' in its metadata "
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
        run.log_artifact(artifact, aliases=["best"])
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
