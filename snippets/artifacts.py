"""Version datasets and models as W&B artifacts, and consume them: the artifacts topic.

A dataset artifact from a folder or from single files, with its counts, source and a
sha256 in the metadata; a model artifact per checkpoint, with `epoch-N` and `best`
aliases and the validation metric in its metadata; reference artifacts for data that
stays where it is; and `run.use_artifact(...).download()` with a fallback to a local
path where W&B cannot serve it (tracking off, disabled, offline), said in one warning.
Names and aliases are checked against W&B's own rules before anything is built.

Run it:  WANDB_MODE=offline python -m snippets.artifacts   (or disabled, or with wandb
absent)
"""

# --8<-- [start:future]
from __future__ import annotations

# --8<-- [end:future]
# --8<-- [start:imports]
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:imports]

# --8<-- [start:more-imports]
import hashlib

# --8<-- [start:toy-imports]
import json
import random

# --8<-- [end:toy-imports]
import re
import tempfile

# --8<-- [start:checkpoint-imports]
from math import isfinite
from numbers import Real

# --8<-- [end:checkpoint-imports]
from typing import Any, Literal

from pydantic import Field

# --8<-- [end:more-imports]
# isort: split
from .init import GOALS, Hyperparams, NoRun, TrackingConfig, hparams_from_run, one_of

__all__ = [
    "CheckpointLogger",
    "artifact_dir",
    "check_aliases",
    "check_name",
    "check_run",
    "checkpoint_file",
    "dataset_metadata",
    "files_of",
    "log_dataset",
    "log_large_checkpoint",
    "log_reference",
]

# --8<-- [start:rules]
# W&B's own rules, from the installed wandb 0.31 source:
# - artifact names: wandb/sdk/artifacts/artifact.py, Artifact.__init__ (the regex
#   below) and wandb/sdk/artifacts/_validators.py, validate_artifact_name (at most 128
#   characters). A registry collection takes the same names (registry.py).
# - aliases: _validators.py, validate_aliases (no "/" and no ":", ARTIFACT_SEP_CHARS).
#   W&B's documentation ("Create a custom alias", Alias limits) adds: 1 to 128
#   characters, and an alias "v" + digits is W&B's own version alias and is ignored.
ARTIFACT_NAME = re.compile(r"[a-zA-Z0-9_\-.]{1,128}")
ALIAS_FORBIDDEN = "/:"
VERSION_ALIAS = re.compile(r"v\d+")


def check_name(name: str) -> str:
    """An artifact or collection name W&B accepts, or a ValueError saying why not."""
    if not isinstance(name, str) or not ARTIFACT_NAME.fullmatch(name):
        raise ValueError(
            f"artifact name {name!r}: W&B takes 1 to 128 letters, digits, '-', '_' "
            "and '.'; replace the other characters (e.g. with '-')"
        )
    return name


def check_aliases(aliases: list[str]) -> list[str]:
    """Aliases W&B accepts and keeps, or a ValueError naming the first bad one."""
    if not isinstance(aliases, (list, tuple)):  # a str would be read letter by letter
        raise TypeError(f"aliases={aliases!r}: pass a list of strings, e.g. ['best']")
    for alias in aliases:
        if (
            not isinstance(alias, str)
            or not 1 <= len(alias) <= 128
            or (set(ALIAS_FORBIDDEN) & set(alias))
        ):
            raise ValueError(
                f"alias {alias!r}: W&B takes 1 to 128 characters, none of '/' ':'"
            )
        if VERSION_ALIAS.fullmatch(alias):
            raise ValueError(
                f"alias {alias!r}: v<number> is W&B's own version alias and would be "
                "ignored; pick another name (e.g. 'epoch-3')"
            )
    return list(aliases)


def check_run(run: object) -> None:
    """A TypeError unless `run` is a run: start_run's (a NoRun too) or wandb.init's."""
    if not hasattr(run, "log_artifact"):
        raise TypeError(f"run is a {type(run).__name__}: pass the run from start_run")
    # --8<-- [end:rules]


# --8<-- [start:dataset]
def files_of(path: str | Path) -> list[Path]:
    """The files of a folder (recursively, sorted) or the one file at `path`."""
    if not isinstance(path, (str, Path)) or not str(path):
        raise ValueError(
            f"path={path!r}: pass a data file or folder (an empty path would be the "
            "working folder)"
        )
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path} does not exist: pass a data file or folder")
    return sorted(p for p in path.rglob("*") if p.is_file())


def dataset_metadata(path: str | Path, source: str) -> dict[str, Any]:
    """Counts, source and a sha256 over names and contents: a checksum anyone can
    recompute without W&B (W&B's own digest is an MD5 over its manifest)."""
    if not isinstance(source, str):
        raise TypeError(f"source={source!r}: say where the data came from, as a str")
    files, path = files_of(path), Path(path)
    if not files:
        raise ValueError(f"{path} has no files: a dataset needs at least one")
    root = path if path.is_dir() else path.parent
    sha = hashlib.sha256()
    for file in files:
        sha.update(f"{file.relative_to(root)}\0".encode())
        sha.update(file.read_bytes())
    total = sum(file.stat().st_size for file in files)
    return {
        "source": source,
        "files": len(files),
        "bytes": total,
        "sha256": sha.hexdigest(),
    }


def log_dataset(
    run: wandb.Run | NoRun, path: str | Path, name: str, source: str
) -> wandb.Artifact | None:
    """Log a data folder or file as a "dataset" artifact. Same files, same digest: W&B
    makes a new version only when the contents change. None when tracking is off."""
    check_run(run)
    check_name(name)
    metadata = dataset_metadata(path, source)  # a missing path fails here
    if isinstance(run, NoRun):
        return None
    import wandb

    artifact = wandb.Artifact(name, type="dataset", metadata=metadata)
    if Path(path).is_dir():
        artifact.add_dir(str(path))
    else:
        artifact.add_file(str(path))
    run.log_artifact(artifact)
    return artifact
    # --8<-- [end:dataset]


# --8<-- [start:checkpoints]
def checkpoint_file(path: str | Path) -> Path:
    """The checkpoint file at `path`, or an error saying what is there instead."""
    if not isinstance(path, (str, Path)) or not str(path):
        raise ValueError(
            f"checkpoint path {path!r}: pass the saved file's path, not empty"
        )
    if Path(path).is_dir():
        raise IsADirectoryError(f"checkpoint {path} is a folder: pass the file in it")
    if not Path(path).is_file():  # before anything reaches W&B
        raise FileNotFoundError(f"checkpoint {path} does not exist: save it first")
    return Path(path)


class CheckpointLogger:
    """One "model" artifact version per checkpoint, aliased `epoch-N`, and `best` when
    its metric beats every earlier one. W&B gives an alias to one version of an
    artifact at a time, so `best` moves to the newest best when the run syncs.
    A value of None, NaN or inf is logged as a version, never `best`, with a warning."""

    def __init__(
        self,
        run: wandb.Run | NoRun,
        name: str,
        metric: str,
        goal: Literal["min", "max", "minimize", "maximize"],
    ) -> None:
        check_run(run)
        if not isinstance(metric, str) or not metric:
            raise ValueError(f"metric={metric!r}: name the metric, e.g. 'val/loss'")
        self.run, self.name, self.metric = run, check_name(name), metric
        self.goal = one_of(goal, GOALS, "goal")  # "min" or "max"
        self.best: float | None = None
        self.best_artifact: wandb.Artifact | None = None  # None when tracking is off

    def improves(self, value: float) -> bool:
        if self.best is None:
            return True
        return value < self.best if self.goal == "min" else value > self.best

    def log(self, path: str | Path, epoch: int, value: float | None) -> list[str]:
        """Log the checkpoint file at `path`; returns the aliases it was given."""
        path = checkpoint_file(path)
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise ValueError(f"epoch={epoch!r}: pass the epoch, a whole number >= 0")
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, Real)
        ):
            raise TypeError(f"value={value!r}: pass a number (a tensor: value.item())")
        aliases = [f"epoch-{epoch}"]
        if value is not None and isfinite(value):
            value = float(value)  # a numpy scalar too
            if self.improves(value):
                self.best = value
                aliases.append("best")
        else:  # None, NaN or inf: never best (a NaN best would stay best for good)
            message = f"{self.metric}={value} at epoch {epoch}: logged, never best"
            warnings.warn(message, stacklevel=2)
            value = None
        if isinstance(self.run, NoRun):
            return aliases
        import wandb

        metadata = {"epoch": epoch, self.metric: value}
        artifact = wandb.Artifact(self.name, type="model", metadata=metadata)
        artifact.add_file(str(path))
        self.run.log_artifact(artifact, aliases=check_aliases(aliases))
        if "best" in aliases:
            self.best_artifact = artifact
        return aliases
        # --8<-- [end:checkpoints]


# --8<-- [start:consume]
def artifact_dir(run: wandb.Run | NoRun, name: str, local: str | Path) -> Path:
    """Download `name` ("data:latest") as the run's input, else use `local`; say why."""
    if not (name and local and isinstance(name, str) and isinstance(local, str | Path)):
        raise TypeError(f"name={name!r}, local={local!r}: pass both, neither empty")
    if isinstance(run, NoRun):
        reason = "tracking is off"
    elif not hasattr(run, "offline"):
        raise TypeError(f"run is a {type(run).__name__}: pass the run from start_run")
    elif run.offline:  # use_artifact raises TypeError offline
        reason = "W&B is offline"
    elif (artifact := run.use_artifact(name)) is None:  # disabled: None
        reason = "W&B is disabled"
    else:
        return Path(artifact.download())
    if not Path(local).exists():
        raise FileNotFoundError(f"{name}: {reason} and local copy {local} is missing")
    warnings.warn(f"{name}: {reason}, so using the local copy {local}", stacklevel=2)
    return Path(local)
    # --8<-- [end:consume]


# --8<-- [start:reference]
def log_reference(
    run: wandb.Run | NoRun, uri: str | Path, name: str, type: str = "dataset"
) -> wandb.Artifact | None:
    """Log data that stays where it is (s3://, gs://, https://, or a local path, taken
    as file://): W&B records each file's path, size and checksum, and copies nothing."""
    check_run(run)
    check_name(name)
    if not (uri and isinstance(uri, str | Path) and type and isinstance(type, str)):
        raise ValueError(f"uri={uri!r}, type={type!r}: pass both, neither empty")
    if isinstance(uri, Path) or "://" not in uri:  # a local path
        if not Path(uri).exists():
            raise FileNotFoundError(f"{uri} does not exist: pass a path or a URI")
        uri = Path(uri).resolve().as_uri()
    if isinstance(run, NoRun):
        return None
    import wandb

    artifact = wandb.Artifact(name, type=type)
    artifact.add_reference(uri)
    run.log_artifact(artifact)
    return artifact
    # --8<-- [end:reference]


# --8<-- [start:storage]
def log_large_checkpoint(
    run: wandb.Run | NoRun,
    path: str | Path,
    name: str,
    aliases: list[str],
    ttl_days: int | None = None,
) -> wandb.Artifact | None:
    """Log a large checkpoint file without W&B's staging copy (policy="immutable"):
    the file must then stay as it is until the run is synced or uploaded. ttl_days:
    the server deletes this version that many days after it was created."""
    from datetime import timedelta

    check_run(run)
    check_name(name)
    check_aliases(aliases)
    path = checkpoint_file(path).resolve()  # the record keeps the path as given
    if ttl_days is not None and (
        isinstance(ttl_days, bool) or not isinstance(ttl_days, int) or ttl_days < 1
    ):
        raise ValueError(f"ttl_days={ttl_days!r}: pass a whole number of days, >= 1")
    if isinstance(run, NoRun):
        return None
    import wandb

    artifact = wandb.Artifact(name, type="model")
    artifact.add_file(str(path), policy="immutable")  # no copy: the file is read later
    if ttl_days is not None:
        artifact.ttl = timedelta(days=ttl_days)
    run.log_artifact(artifact, aliases=aliases)
    return artifact
    # --8<-- [end:storage]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---


# --8<-- [start:toy-data]
class FitParams(Hyperparams):
    epochs: int = Field(4, ge=1)


def make_dataset(folder: Path, seed: int, n: int = 64) -> Path:
    """Points on y = 3x + 1 with noise, as train.json and val.json in `folder`."""
    rng = random.Random(seed)
    points = [
        (x, 3 * x + 1 + rng.gauss(0, 0.1))
        for x in (rng.uniform(-1, 1) for _ in range(n))
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train.json").write_text(json.dumps(points[: n * 3 // 4]))
    (folder / "val.json").write_text(json.dumps(points[n * 3 // 4 :]))
    return folder


def mse(weights: dict[str, float], points: list[list[float]]) -> float:
    return sum((weights["a"] * x + weights["b"] - y) ** 2 for x, y in points) / len(
        points
    )
    # --8<-- [end:toy-data]


# --8<-- [start:train]
def train(
    hp: FitParams, run: wandb.Run | NoRun, data: Path, out: Path
) -> CheckpointLogger:
    """Fit y = a*x + b; save and log a checkpoint after every epoch."""
    train_points = json.loads((data / "train.json").read_text())
    val_points = json.loads((data / "val.json").read_text())
    checkpoints = CheckpointLogger(run, "linear-model", "val/loss", goal="min")
    weights = {"a": 0.0, "b": 0.0}
    for epoch in range(hp.epochs):
        for x, y in train_points:
            error = weights["a"] * x + weights["b"] - y
            weights["a"] -= hp.learning_rate * 2 * error * x
            weights["b"] -= hp.learning_rate * 2 * error
        val_loss = mse(weights, val_points)
        run.log({"val/loss": val_loss, "epoch": epoch})
        path = out / f"model-epoch{epoch}.json"
        path.write_text(json.dumps(weights))
        checkpoints.log(path, epoch, val_loss)
    return checkpoints
    # --8<-- [end:train]


# --8<-- [start:main]
def main(
    tracking: TrackingConfig | None = None, hp: FitParams | None = None
) -> float | None:
    tracking = tracking or TrackingConfig(use_wandb=True)
    hp = hp or FitParams()
    with tempfile.TemporaryDirectory() as tmp:
        local = make_dataset(Path(tmp) / "points", hp.seed)
        prepare = tracking.model_copy(update={"job_type": "preprocess"})
        with prepare.start() as run:
            log_dataset(run, local, "points", source=f"make_dataset(seed={hp.seed})")
        with tracking.model_copy(update={"job_type": "train"}).start(hp) as run:
            data = artifact_dir(run, "points:latest", local)
            hp = hparams_from_run(run, FitParams)
            return train(hp, run, data, Path(tmp)).best
    # --8<-- [end:main]


if __name__ == "__main__":
    print(f"best val loss: {main():.4f}")
