"""The artifacts topic (snippets/artifacts.py, docs/artifacts.md): datasets and model
checkpoints as W&B artifacts, consumed with a local fallback.

Offline tests read back the artifact records W&B wrote (names, types, aliases, manifest,
metadata); a few tests pin down what wandb 0.31 itself does in each mode, which the page
explains, so a release that changes it fails here first.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from datetime import timedelta
from pathlib import Path

import pytest
import wandb
from wandb.sdk.artifacts._validators import validate_aliases
from wandb.sdk.artifacts.exceptions import ArtifactNotLoggedError

from snippets.artifacts import (
    CheckpointLogger,
    FitParams,
    artifact_dir,
    check_aliases,
    check_name,
    dataset_metadata,
    log_dataset,
    log_reference,
    main,
)
from snippets.init import NoRun, TrackingConfig
from snippets.readback import (
    closed_log_records,
    find_offline_run,
    read_offline_run,
)

ON = TrackingConfig(use_wandb=True)


def artifact_records(run_dir: Path) -> list[dict]:
    """The raw artifact records of a run: the manifest's sizes, digests and references,
    which RecordedArtifact does not carry. (`wandb leet inspect --json`, read by the
    binary it starts: tests/test_readback.py checks both print the same.)"""
    [log_file] = find_offline_run(run_dir).glob("*.wandb")
    records, problem = closed_log_records(log_file)
    assert problem == "", problem
    return [r["artifact"] for r in records if r["type"] == "artifact"]


def sizes(record: dict) -> dict[str, int]:
    return {e["path"]: int(e["size"]) for e in record["manifest"]["contents"]}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("hello")  # 5 bytes
    (folder / "sub" / "b.txt").write_text("world!!")  # 7 bytes
    return folder


# --- offline: what the records say -----------------------------------------------------


def test_offline_dataset_and_checkpoints_read_back(offline, data, tmp_path):
    with ON.start() as run:
        first = log_dataset(run, data, "points", source="unit test")
        second = log_dataset(run, data, "points", source="unit test")  # same files
        checkpoints = CheckpointLogger(run, "model", "val/loss", goal="min")
        with pytest.raises(FileNotFoundError) as missing:  # before the run sees it
            checkpoints.log(tmp_path / "missing.pt", 0, 0.1)
        for epoch, loss in enumerate([0.5, 0.3, 0.4]):
            path = tmp_path / f"ckpt-{epoch}.pt"
            path.write_bytes(bytes(10 + epoch))
            checkpoints.log(path, epoch, loss)
    recorded = offline()
    assert recorded.state == "finished"
    assert str(missing.value) == (
        f"checkpoint {tmp_path / 'missing.pt'} does not exist: save it first"
    )

    metadata = {
        "source": "unit test",
        "files": 2,
        "bytes": 12,
        "sha256": dataset_metadata(data, "unit test")["sha256"],
    }
    # W&B records aliases in no set order: compare them sorted.
    got = [(a.name, a.type, sorted(a.aliases), a.metadata) for a in recorded.artifacts]
    assert got == [
        ("points", "dataset", ["latest"], metadata),
        ("points", "dataset", ["latest"], metadata),
        (
            "model",
            "model",
            ["best", "epoch-0", "latest"],
            {"epoch": 0, "val/loss": 0.5},
        ),
        (
            "model",
            "model",
            ["best", "epoch-1", "latest"],
            {"epoch": 1, "val/loss": 0.3},
        ),
        ("model", "model", ["epoch-2", "latest"], {"epoch": 2, "val/loss": 0.4}),
    ]
    records = artifact_records(tmp_path)
    assert sizes(records[0]) == {"a.txt": 5, "sub/b.txt": 7}
    assert [sizes(r) for r in records[2:]] == [
        {"ckpt-0.pt": 10},
        {"ckpt-1.pt": 11},
        {"ckpt-2.pt": 12},
    ]
    # The same files logged again: the same digest, so no new version when synced.
    assert records[0]["digest"] == records[1]["digest"] == first.digest == second.digest
    assert len({r["digest"] for r in records[2:]}) == 3
    assert checkpoints.best == 0.3
    assert checkpoints.best_artifact.metadata == {"epoch": 1, "val/loss": 0.3}


def test_offline_artifact_has_no_version_number_until_synced(offline, data, tmp_path):
    with ON.start() as run:
        artifact = log_dataset(run, data, "points", source="unit test")
        with pytest.raises(ArtifactNotLoggedError, match="while in offline mode"):
            _ = artifact.version
        with pytest.raises(ValueError, match="Aliases must not contain"):
            run.log_artifact(artifact, aliases=["epoch:3"])  # W&B's own check
    [record] = artifact_records(tmp_path)
    assert "version" not in record  # only the manifest's format version
    assert record["aliases"] == ["latest"]
    assert record["digest"] == artifact.digest


def test_add_file_stages_a_copy_at_once_in_every_mode(data, tmp_path):
    artifact = wandb.Artifact("points", type="dataset")  # disabled, as every test
    artifact.add_file(str(data / "a.txt"))
    staging = tmp_path / ".wandb-home" / "data" / "artifacts" / "staging"
    [copy] = staging.iterdir()  # under WANDB_DATA_DIR, never the home folder
    assert copy.read_text() == "hello"
    (data / "a.txt").write_text("later")  # a change after add_file is not logged
    assert artifact.manifest.entries["a.txt"].digest == "XUFAKrxLKna5cZ2REBfFkg=="
    assert artifact.manifest.entries["a.txt"].size == 5


def test_digest_follows_contents_not_metadata(data):
    def digest(metadata: dict) -> str:
        artifact = wandb.Artifact("points", type="dataset", metadata=metadata)
        artifact.add_dir(str(data))
        return artifact.digest

    before = digest({"source": "a"})
    assert digest({"source": "b", "files": 2}) == before  # metadata is not in it
    (data / "a.txt").write_text("hellO")  # same size, other contents
    assert digest({"source": "a"}) != before


def test_references_and_a_single_file(offline, data, tmp_path):
    with ON.start() as run:
        log_reference(run, data, "points-ref")
        log_dataset(run, data, "points", source="unit test")
        log_dataset(run, data / "a.txt", "greeting", source="unit test")  # one file
    ref, copy, single = artifact_records(tmp_path)
    assert sizes(single) == {"a.txt": 5}
    assert json.loads(single["metadata"])["files"] == 1
    assert [(e["path"], e["ref"], e["size"]) for e in ref["manifest"]["contents"]] == [
        ("a.txt", (data / "a.txt").as_uri(), "5"),
        ("sub/b.txt", (data / "sub" / "b.txt").as_uri(), "7"),
    ]
    assert all("local_path" not in e for e in ref["manifest"]["contents"])
    assert all("local_path" in e for e in copy["manifest"]["contents"])
    # wandb 0.31: a file:// reference and a copy of the same files share a digest.
    assert ref["digest"] == copy["digest"]


def test_reference_to_a_missing_path_fails_first(data):
    with pytest.raises(FileNotFoundError, match="nowhere does not exist"):
        log_reference(NoRun(), data / "nowhere", "points-ref")


# --- consuming: use_artifact, or the local copy, said in one warning --------------------


def test_wandb_use_artifact_by_mode(offline):
    with wandb.init(mode="disabled") as run:
        assert run.use_artifact("points:latest") is None
    offline_error = pytest.raises(
        TypeError, match="Cannot use artifact when in offline"
    )
    with ON.start() as run, offline_error:
        run.use_artifact("points:latest")


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        (None, "tracking is off"),
        ("disabled", "W&B is disabled"),
        ("offline", "W&B is offline"),
    ],
)
def test_artifact_dir_falls_back_and_says_so(mode, reason, data):
    tracking = TrackingConfig(use_wandb=mode is not None, mode=mode)
    with tracking.start() as run, pytest.warns(UserWarning) as caught:
        assert artifact_dir(run, "points:latest", data) == data
    assert [str(w.message) for w in caught] == [
        f"points:latest: {reason}, so using the local copy {data}"
    ]
    if mode == "offline":
        assert read_offline_run(Path.cwd()).state == "finished"


def test_artifact_dir_without_a_local_copy_names_both(tmp_path):
    with pytest.raises(FileNotFoundError) as error:
        artifact_dir(NoRun(), "points:latest", tmp_path / "gone")
    assert str(error.value) == (
        f"points:latest: tracking is off and local copy {tmp_path / 'gone'} is missing"
    )


# --- bad input: W&B's own rules, checked first -----------------------------------------


@pytest.mark.parametrize("name", ["my model", "a/b", "a:b", "x" * 129, "", "ümlaut"])
def test_bad_names_fail_here_as_they_would_in_wandb(name):
    with pytest.raises(ValueError, match="W&B takes 1 to 128 letters"):
        check_name(name)
    with pytest.raises(ValueError):
        wandb.Artifact(name, type="dataset")


@pytest.mark.parametrize("name", ["points", "model-abc_1.2", "x" * 128])
def test_good_names_pass_here_and_in_wandb(name):
    assert check_name(name) == name
    assert wandb.Artifact(name, type="dataset").name == name


@pytest.mark.parametrize("alias", ["a/b", "epoch:3"])
def test_aliases_wandb_rejects(alias):
    with pytest.raises(ValueError, match="none of '/' ':'"):
        check_aliases(["best", alias])
    with pytest.raises(ValueError, match="Aliases must not contain"):
        validate_aliases([alias])


def test_version_aliases_and_empty_aliases_are_refused():
    with pytest.raises(ValueError, match="'v3': v<number> is W&B's own version alias"):
        check_aliases(["v3"])
    with pytest.raises(ValueError, match="alias '': W&B takes 1 to 128 characters"):
        check_aliases([""])
    assert check_aliases(["best", "epoch-3", "v3-candidate"]) == [
        "best",
        "epoch-3",
        "v3-candidate",
    ]


def test_missing_dataset_and_bad_name_fail_with_tracking_off(data):
    with pytest.raises(FileNotFoundError, match="pass a data file or folder"):
        log_dataset(NoRun(), data / "nope", "points", source="x")
    with pytest.raises(ValueError, match="artifact name 'my points'"):
        log_dataset(NoRun(), data, "my points", source="x")


# --- tracking off: the same decisions, nothing built ------------------------------------


def test_no_run_keeps_the_aliases_and_builds_nothing(data, tmp_path):
    assert log_dataset(NoRun(), data, "points", source="x") is None
    checkpoints = CheckpointLogger(NoRun(), "model", "val/acc", goal="max")
    path = tmp_path / "ckpt.pt"
    path.write_bytes(b"w")
    assert [checkpoints.log(path, e, v) for e, v in enumerate([0.5, 0.7, 0.6])] == [
        ["epoch-0", "best"],
        ["epoch-1", "best"],
        ["epoch-2"],
    ]
    assert checkpoints.best == 0.7 and checkpoints.best_artifact is None


@pytest.mark.slow  # two offline runs
def test_main_offline_logs_the_dataset_then_trains_on_it(offline, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        best = main(ON, FitParams(epochs=3))
    assert [str(w.message).split(",")[0] for w in caught] == [
        "points:latest: W&B is offline"
    ]
    runs = [read_offline_run(r) for r in (tmp_path / "wandb").glob("offline-run-*")]
    [prepare] = [r for r in runs if r.artifacts[0].type == "dataset"]
    [training] = [r for r in runs if r.artifacts[0].type == "model"]
    assert [(a.name, a.files) for a in prepare.artifacts] == [
        ("points", ("train.json", "val.json"))
    ]
    epochs = [
        [x for x in a.aliases if x.startswith("epoch-")] for a in training.artifacts
    ]
    assert epochs == [["epoch-0"], ["epoch-1"], ["epoch-2"]]
    losses = training.column("val/loss")
    assert best == min(losses)
    best_epoch = losses.index(best)
    assert "best" in training.artifacts[best_epoch].aliases


# --- storage controls: immutable files, TTL, log_model / use_model ----------------------


def test_storage_controls_offline(offline, tmp_path):
    from snippets.artifacts import log_large_checkpoint

    checkpoint = tmp_path / "model.pt"
    checkpoint.write_bytes(b"w" * 1000)
    staging = Path(os.environ["WANDB_DATA_DIR"], "artifacts", "staging")
    with ON.start() as run:
        artifact = log_large_checkpoint(run, checkpoint, "big-model", ["best"], 30)
        assert artifact.ttl == timedelta(days=30)
        run.log_model(str(checkpoint), name="small-model", aliases=["best"])
        with pytest.raises(RuntimeError) as error:
            run.use_model("small-model:latest")
        assert str(error.value) == "`use_model` not supported in offline mode."
    assert offline().state == "finished"
    big, small = artifact_records(tmp_path)
    assert (big["name"], big["type"], sorted(big["aliases"])) == (
        "big-model",
        "model",
        ["best", "latest"],
    )
    [entry] = big["manifest"]["contents"]
    assert (entry["path"], entry["local_path"]) == ("model.pt", str(checkpoint))
    assert big["ttl_duration_seconds"] == str(30 * 24 * 3600)
    # log_model: the same record with W&B's default policy, a staging copy, no TTL.
    assert (small["name"], small["type"], sorted(small["aliases"])) == (
        "small-model",
        "model",
        ["best", "latest"],
    )
    [entry] = small["manifest"]["contents"]
    assert list(staging.iterdir()) == [Path(entry["local_path"])]  # one copy: this
    assert "ttl_duration_seconds" not in small
    assert big["digest"] == small["digest"]  # the same file: the same digest


def test_storage_controls_disabled_and_tracking_off(tmp_path):
    from snippets.artifacts import log_large_checkpoint

    checkpoint = tmp_path / "model.pt"
    checkpoint.write_bytes(b"w")
    with wandb.init(mode="disabled") as run:
        assert run.log_model(str(checkpoint), name="m") is None
        assert run.use_model("m:latest") is None
        assert log_large_checkpoint(run, checkpoint, "m", ["best"]).name == "m"
    assert log_large_checkpoint(NoRun(), checkpoint, "m", ["best"], 7) is None
    with pytest.raises(ValueError) as error:
        log_large_checkpoint(NoRun(), checkpoint, "m", ["best"], 0)
    assert str(error.value) == "ttl_days=0: pass a whole number of days, >= 1"
    with pytest.raises(FileNotFoundError, match="gone.pt does not exist: save it"):
        log_large_checkpoint(NoRun(), tmp_path / "gone.pt", "m", ["best"])
    with pytest.raises(ValueError, match="artifact name 'my model'"):
        log_large_checkpoint(NoRun(), checkpoint, "my model", ["best"])


# --- goals, values that cannot be compared, and arguments of the wrong kind ------------


def aliases_logged(goal: str, values: list, tmp_path: Path) -> list[list[str]]:
    checkpoints = CheckpointLogger(NoRun(), "model", "val/loss", goal=goal)
    path = tmp_path / "ckpt.pt"
    path.write_bytes(b"w")
    return [checkpoints.log(path, epoch, v) for epoch, v in enumerate(values)]


@pytest.mark.parametrize(
    ("goal", "best"),
    [("min", 0.3), ("minimize", 0.3), ("max", 0.7), ("maximize", 0.7)],
)
def test_checkpoint_logger_takes_the_sweep_spellings_of_a_goal(goal, best, tmp_path):
    checkpoints = CheckpointLogger(NoRun(), "model", "m", goal=goal)
    path = tmp_path / "ckpt.pt"
    path.write_bytes(b"w")
    for epoch, value in enumerate([0.5, 0.3, 0.7]):
        checkpoints.log(path, epoch, value)
    assert checkpoints.best == best


@pytest.mark.parametrize("goal", ["MIN", "lowest", "", None])
def test_checkpoint_logger_refuses_other_goal_words(goal):
    with pytest.raises(ValueError) as error:
        CheckpointLogger(NoRun(), "model", "val/loss", goal=goal)
    assert str(error.value) == (
        f"goal={goal!r}: use one of 'min', 'minimize', 'max', 'maximize'"
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([math.nan, 0.5, 0.4], [["epoch-0"], ["epoch-1", "best"], ["epoch-2", "best"]]),
        ([None, None], [["epoch-0"], ["epoch-1"]]),
        ([0.5, None, math.inf, -math.inf], [["epoch-0", "best"], *[[]] * 3]),
    ],
)
def test_values_that_cannot_be_compared_are_never_best(values, expected, tmp_path):
    with pytest.warns(UserWarning) as caught:
        got = aliases_logged("min", values, tmp_path)
    assert [a for a in got if a[1:]] == [e for e in expected if e[1:]]
    assert all(a[0] == f"epoch-{i}" for i, a in enumerate(got))
    skipped = [
        (i, v) for i, v in enumerate(values) if v is None or not math.isfinite(v)
    ]
    assert [str(w.message) for w in caught] == [
        f"val/loss={v} at epoch {i}: logged, never best" for i, v in skipped
    ]


def test_a_nan_checkpoint_is_logged_without_best_and_without_the_value(
    offline, tmp_path
):
    path = tmp_path / "ckpt.pt"
    path.write_bytes(b"w")
    with ON.start() as run, pytest.warns(UserWarning, match="never best"):
        checkpoints = CheckpointLogger(run, "model", "val/loss", goal="min")
        checkpoints.log(path, 0, math.nan)  # W&B's metadata refuses NaN: None
        checkpoints.log(path, 1, 0.5)
    got = [(sorted(a.aliases), a.metadata) for a in offline().artifacts]
    assert got == [
        (["epoch-0", "latest"], {"epoch": 0, "val/loss": None}),
        (["best", "epoch-1", "latest"], {"epoch": 1, "val/loss": 0.5}),
    ]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"value": "0.5"}, TypeError, "value='0.5': pass a number"),
        ({"value": True}, TypeError, "value=True: pass a number"),
        ({"epoch": "1"}, ValueError, "epoch='1': pass the epoch, a whole number"),
        ({"epoch": -1}, ValueError, "epoch=-1: pass the epoch"),
        (
            {"path": ""},
            ValueError,
            "checkpoint path '': pass the saved file's path, not",
        ),
        ({"path": None}, ValueError, "checkpoint path None: pass the saved file's"),
    ],
)
def test_checkpoint_log_names_the_bad_argument(kwargs, error, message, tmp_path):
    path = tmp_path / "ckpt.pt"
    path.write_bytes(b"w")
    checkpoints = CheckpointLogger(NoRun(), "model", "val/loss", goal="min")
    with pytest.raises(error) as caught:
        checkpoints.log(**({"path": path, "epoch": 0, "value": 0.5} | kwargs))
    assert str(caught.value).startswith(message)
    with pytest.raises(IsADirectoryError, match="is a folder: pass the file in it"):
        checkpoints.log(tmp_path, 0, 0.5)


@pytest.mark.parametrize("aliases", ["v1", "best", None, ("best",)])
def test_aliases_must_be_a_list(aliases):
    if isinstance(aliases, tuple):
        assert check_aliases(aliases) == ["best"]
        return
    with pytest.raises(TypeError) as error:
        check_aliases(aliases)
    assert str(error.value) == (
        f"aliases={aliases!r}: pass a list of strings, e.g. ['best']"
    )


def test_empty_and_wrong_paths_and_runs_are_refused(data, tmp_path):
    from snippets.artifacts import files_of

    for path in ["", None]:  # "" would have been the working folder
        with pytest.raises(ValueError, match="pass a data file or folder"):
            files_of(path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="has no files: a dataset needs at least one"):
        log_dataset(NoRun(), tmp_path / "empty", "points", source="x")
    with pytest.raises(TypeError, match="^run is a NoneType: pass the run from"):
        log_dataset(None, data, "points", source="x")
    with pytest.raises(TypeError, match="^name='', local=.*neither empty"):
        artifact_dir(NoRun(), "", data)
    with pytest.raises(TypeError, match="^name='points:latest', local='': pass both"):
        artifact_dir(NoRun(), "points:latest", "")
    with pytest.raises(ValueError, match="^uri='', type='dataset': pass both"):
        log_reference(NoRun(), "", "points-ref")
    with pytest.raises(ValueError, match="^ttl_days=True: pass a whole number"):
        from snippets.artifacts import log_large_checkpoint

        log_large_checkpoint(NoRun(), data / "a.txt", "m", ["best"], True)
