"""Start a W&B run that training code never has to branch on: the init topic.

Tracking is opt-in. `start_run` returns W&B's own run object when tracking is on and
wandb is installed, and a `NoRun` with the same calls otherwise, so the training loop is
identical either way. `TrackingConfig` and `Hyperparams` are the validated way to say
where a run goes and what it trains with; they need Pydantic, the rest does not.

Run it:  WANDB_MODE=offline python -m snippets.init   (or disabled, or wandb absent)
"""

# --8<-- [start:imports]
from __future__ import annotations

# --8<-- [start:run-imports]
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:run-imports]
# --8<-- [end:imports]
# isort: split
# --8<-- [start:more-imports]
import random

# --8<-- [start:config-imports]
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

# --8<-- [end:config-imports]
# --8<-- [end:more-imports]
# isort: split
import os

from pydantic import field_validator, model_validator

# --8<-- [start:limits]
# W&B's own rules (wandb/sdk/wandb_settings.py, validate_project and validate_run_id):
# the two character sets differ.
PROJECT_FORBIDDEN = "/\\#?%:"
RUN_ID_FORBIDDEN = ":;,#?/'"
# An offline run folder, offline-run-YYYYMMDD_HHMMSS-<id>: a name of 255 bytes at most.
RUN_ID_MAX_LENGTH = 255 - len("offline-run-20250101_000000-")
Tag = Annotated[str, Field(min_length=1, max_length=64)]  # wandb.init's own limits
# --8<-- [end:limits]

# --8<-- [start:choices]
# The words W&B takes, each mapped to one spelling: a goal as a sweep or a checkpoint
# callback spells it, a mode with wandb.init's old names dryrun (offline) and run.
GOALS = {"min": "min", "minimize": "min", "max": "max", "maximize": "max"}
MODES = {"online": "online", "run": "online", "offline": "offline"}
MODES |= {"dryrun": "offline", "disabled": "disabled", "shared": "shared"}


def one_of(value: object, words: dict[str, str], name: str) -> str:
    """`value` in its one spelling, or a ValueError naming `name` and the words: any
    other word would silently mean the opposite choice."""
    if isinstance(value, str) and value in words:
        return words[value]
    raise ValueError(f"{name}={value!r}: use one of {', '.join(map(repr, words))}")


def check_flag(value: object, name: str) -> bool:
    """`value` if it is a bool, else a TypeError: "false" from the environment is
    truthy, so a string would switch tracking on."""
    if not isinstance(value, bool):
        raise TypeError(
            f"{name} must be True or False, not {value!r}: read an environment "
            f'variable as os.environ.get("USE_WANDB", "").lower() in ("1", "true")'
        )
    return value


# --8<-- [end:choices]


# --8<-- [start:no-run]
class NoRun:
    """A stand-in for a run when tracking is off: as in W&B's disabled run, log() keeps
    each key's last value in summary, and the other calls do nothing."""

    id = name = url = dir = None
    step = 0

    def __init__(self, config: dict[str, Any] | None = None, **_: Any) -> None:
        self.config, self.summary = dict(config or {}), {}

    def log(self, data: dict[str, Any], step: int | None = None, commit: Any = None):
        self.summary.update(data)

    def _nothing(self, *args: Any, **kwargs: Any) -> None: ...

    define_metric = watch = unwatch = log_artifact = alert = finish = _nothing

    def __enter__(self) -> NoRun:
        return self

    def __exit__(self, *exc_info: object) -> None: ...  # never swallows an exception

    # --8<-- [end:no-run]


# --8<-- [start:start-run]
def start_run(use_wandb: bool, **init_kwargs: Any) -> wandb.Run | NoRun:
    """wandb.init(**init_kwargs) if use_wandb and wandb is installed, else a NoRun."""
    if use_wandb:
        try:
            import wandb  # here, so wandb is needed only when tracking is on
        except ImportError:
            warnings.warn("no wandb: not tracked (pip install wandb)", stacklevel=2)
        else:  # finish_previous: a second run ends the first, never returns it
            return wandb.init(reinit="finish_previous", **init_kwargs)
    return NoRun(**init_kwargs)
    # --8<-- [end:start-run]


# --8<-- [start:no-run-parity]
class ConfigChangeError(ValueError):
    """A config value changed without allow_val_change=True: W&B raises its own
    ConfigError, with this message, which code without wandb cannot import."""


class NoConfig(dict):
    """run.config with tracking off, as W&B's Config behaves in a disabled run: keys
    also read and set as attributes, and a changed value needs allow_val_change."""

    def __getattr__(self, key: str) -> Any:
        if key not in self:
            raise AttributeError(key)
        return self[key]

    def __setattr__(self, key: str, value: Any) -> None:
        self.update({key: value})

    __setitem__ = __setattr__

    def update(self, d: Any, allow_val_change: bool = False) -> None:
        """As W&B: a dict or an object with __dict__ (argparse.Namespace); keys that
        start with "_" are dropped; changing a value needs allow_val_change=True."""
        if not isinstance(d, dict) and not hasattr(d, "__dict__"):
            raise TypeError("config must be a dict or have a __dict__ attribute.")
        for key, value in (d if isinstance(d, dict) else vars(d)).items():
            if key in self and self[key] != value and not allow_val_change:
                raise ConfigChangeError(
                    f'Attempted to change value of key "{key}" from {self[key]} to '
                    f"{value}\nIf you really want to do this, pass "
                    "allow_val_change=True to config.update()"
                )
            if not str(key).startswith("_"):
                dict.__setitem__(self, key, value)

    def setdefaults(self, d: dict[str, Any]) -> None:
        """Set the keys that are not set yet, as W&B's config.setdefaults."""
        self.update({key: value for key, value in d.items() if key not in self})


class NoSummary(dict):
    """run.summary with tracking off: as W&B's disabled one, keys also read and set
    as attributes, and a missing one is a KeyError."""

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):  # copy, pickle and friends probe for these
            raise AttributeError(key)
        return self[key]

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value


class NoArtifactResult:
    """What W&B's disabled log_artifact returns: .wait() and any call do nothing."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self


class NoRun(NoRun):  # the short one above, plus the rest of W&B's disabled run
    tags: tuple[str, ...] = ()

    def __init__(
        self,
        config: Any = None,
        project: str | None = None,
        tags: Any = (),
        **init_kwargs: Any,
    ) -> None:
        self.config, self.summary = NoConfig(), NoSummary()
        self.config.update(config if config is not None else {})
        self.project, self.tags = project or "dummy", tuple(tags or ())

    def log_artifact(self, *args: Any, **kwargs: Any) -> NoArtifactResult:
        return NoArtifactResult()

    def save(self, *args: Any, **kwargs: Any) -> bool:
        return False  # W&B's disabled run saves nothing and says False

    def use_artifact(self, *args: Any, **kwargs: Any) -> None: ...

    link_artifact = log_code = mark_preempting = use_artifact
    # --8<-- [end:no-run-parity]


# --8<-- [start:secrets]
SECRET_NAME = re.compile(r"(^|[_\-.])(api_?key|token|secret|password|passwd)$", re.I)
SECRET_VALUE = re.compile(
    r"^(sk-|ghp_|gho_|github_pat_|hf_|xox[abpr]-|AKIA|glpat-|eyJ)[\w\-.]{16,}$"
    r"|^(\w+-)?[0-9a-f]{40,}$"  # W&B API keys: 40+ hex digits, on-prem with a prefix
)
NOT_SECRET = re.compile(r"commit|sha|hash|digest|checksum", re.I)  # hex, not keys
ADVICE = "keep it out of the config and read it from the environment"


def refuse_secrets(config: Any, where: str = "config") -> None:
    """Raise ValueError naming the first key of `config` (nested dicts and lists
    too) whose name or value looks like an API key, token or password: W&B shows a
    run's config to everyone who can see the project. Pass secrets in the
    environment instead."""
    items = config.items() if isinstance(config, dict) else enumerate(config)
    for key, value in items:
        path = f"{where}[{key!r}]"
        if isinstance(value, dict | list | tuple):
            refuse_secrets(value, path)
        elif isinstance(value, str) and value and SECRET_NAME.search(str(key)):
            raise ValueError(f"{path} is named like a secret: {ADVICE}")
        elif (
            isinstance(value, str)
            and SECRET_VALUE.match(value)
            and not NOT_SECRET.search(str(key))
        ):
            raise ValueError(f"{path} looks like an API key or token: {ADVICE}")


# --8<-- [end:secrets]


# --8<-- [start:tracking-config]
class TrackingConfig(BaseModel):
    """Where and how a run is tracked, checked before W&B sees it: a misspelt field or
    a value wandb.init would reject is an error that names the field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    use_wandb: bool = False  # opt-in: nothing is tracked unless asked for
    project: str = Field("wandb-tracking-guide", min_length=1, max_length=128)
    entity: str | None = None  # team or user; None: your default entity
    mode: Literal["online", "offline", "disabled"] | None = None  # None: WANDB_MODE
    group: str | None = None  # groups runs in the UI: one sweep, one cross-validation
    job_type: str | None = None  # "train", "eval", "preprocess", ...
    tags: list[Tag] = []
    notes: str | None = None
    dir: Path | None = None  # where the wandb/ folder goes; None: working directory
    # a fixed id lets a restarted job continue the same run
    id: str | None = Field(None, min_length=1, max_length=RUN_ID_MAX_LENGTH)
    resume: Literal["allow", "must", "never", "auto"] | None = None

    def start(self, hparams: BaseModel | None = None) -> wandb.Run | NoRun:
        """start_run with these settings and the hyperparameters as the run's config."""
        if hparams is None or isinstance(hparams, dict):
            config = hparams or {}
        elif isinstance(hparams, BaseModel):
            config = hparams.model_dump(mode="json")
        else:
            raise TypeError(
                f"hparams is a {type(hparams).__name__}: pass a Pydantic model "
                "(Hyperparams) or a dict"
            )
        refuse_secrets(config)  # W&B shows a run's config to all who see the project
        settings = self.model_dump(exclude={"use_wandb"})
        return start_run(self.use_wandb, config=config, **settings)

    # --8<-- [end:tracking-config]

    @field_validator("project")
    @classmethod
    def _project_chars(cls, value: str) -> str:
        if set(PROJECT_FORBIDDEN) & set(value):
            raise ValueError(f"{value!r}: W&B forbids {' '.join(PROJECT_FORBIDDEN)}")
        return value

    @field_validator("id")
    @classmethod
    def _run_id_chars(cls, value: str | None) -> str | None:
        if value is not None and set(RUN_ID_FORBIDDEN) & set(value):
            raise ValueError(f"{value!r}: W&B forbids {' '.join(RUN_ID_FORBIDDEN)}")
        if value is not None and value != value.strip():
            raise ValueError(f"{value!r}: W&B forbids spaces at either end of a run id")
        return value

    @field_validator("dir")
    @classmethod
    def _dir_writable(cls, value: Path | None) -> Path | None:
        """W&B writes elsewhere (the system's temporary folder), without an error,
        when it cannot write here: a file, or a folder it may not write to."""
        existing = value
        while existing is not None and not existing.exists():
            existing = existing.parent if existing.parent != existing else None
        if existing is not None and not existing.is_dir():
            raise ValueError(f"{str(existing)!r} is a file: dir must be a folder")
        if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
            raise ValueError(f"{str(existing)!r} is not writable: pick another dir")
        return value

    @model_validator(mode="after")
    def _resume_must_has_id(self) -> TrackingConfig:
        if self.resume == "must" and self.id is None:
            raise ValueError("resume='must' needs id: set id to the run to continue")
        return self


# --8<-- [start:hyperparams]
class Hyperparams(BaseModel):
    """What the run trains with. Sent to W&B as the run's config."""

    model_config = ConfigDict(extra="forbid")  # a misspelt sweep parameter is an error

    learning_rate: float = Field(0.05, gt=0, le=1)
    epochs: int = Field(20, ge=1)
    batch_size: int = Field(16, ge=1)
    seed: int = 0
    # --8<-- [end:hyperparams]


# --8<-- [start:restartable]
def restartable(tracking: TrackingConfig, job_id: str) -> TrackingConfig:
    """The same tracking with a fixed run id, so a preempted job that restarts under the
    same job id (SLURM_JOB_ID, a Kubernetes job name) continues its own run instead of
    starting a new one. Validated again: a job id W&B cannot take as a run id is an
    error here."""
    if not isinstance(tracking, TrackingConfig):
        raise TypeError(
            f"tracking is a {type(tracking).__name__}: pass a TrackingConfig"
        )
    if not isinstance(job_id, str) or not job_id:
        raise ValueError(
            f"job_id={job_id!r}: is the job id variable (SLURM_JOB_ID, ...) set? "
            "Without it the run would not be restartable"
        )
    return TrackingConfig.model_validate(
        {**tracking.model_dump(), "id": job_id, "resume": "allow"}
    )
    # --8<-- [end:restartable]


# --8<-- [start:read-config]
def hparams_from_run(
    run: wandb.Run | NoRun, model: type[BaseModel] = Hyperparams
) -> Any:
    """Read the hyperparameters back from run.config, where a sweep puts its values.

    Pydantic checks them again: a sweep value out of range or a misspelt parameter
    raises a ValidationError that names the field.
    """
    if not hasattr(run, "config"):
        raise TypeError(
            f"run is a {type(run).__name__}: pass the run start_run returned"
        )
    return model.model_validate(dict(run.config))
    # --8<-- [end:read-config]


# --8<-- [start:make-data]
def make_data(seed: int, n: int = 64) -> list[tuple[float, float]]:
    """Points on the line y = 3x + 1 with a little noise."""
    rng = random.Random(seed)
    xs = [rng.uniform(-1, 1) for _ in range(n)]
    return [(x, 3 * x + 1 + rng.gauss(0, 0.1)) for x in xs]
    # --8<-- [end:make-data]


# --8<-- [start:train]
def train(hp: Hyperparams, run: wandb.Run | NoRun) -> float:
    """Fit y = a*x + b by mini-batch SGD. The loop logs with no `if use_wandb:`."""
    data = make_data(hp.seed)
    a = b = 0.0
    loss = float("inf")
    for epoch in range(hp.epochs):
        for start in range(0, len(data), hp.batch_size):
            batch = data[start : start + hp.batch_size]
            errors = [(a * x + b - y, x) for x, y in batch]
            a -= hp.learning_rate * 2 * sum(e * x for e, x in errors) / len(batch)
            b -= hp.learning_rate * 2 * sum(e for e, _ in errors) / len(batch)
        loss = sum((a * x + b - y) ** 2 for x, y in data) / len(data)
        run.log({"train/loss": loss, "epoch": epoch}, step=epoch)
    run.summary["final_loss"] = loss
    return loss
    # --8<-- [end:train]


# --8<-- [start:main]
def main(tracking: TrackingConfig | None = None, hparams: Hyperparams | None = None):
    tracking = tracking or TrackingConfig(use_wandb=True, job_type="train")
    with tracking.start(hparams or Hyperparams()) as run:
        hp = hparams_from_run(run)  # the values W&B holds, a sweep's included
        return train(hp, run)
    # --8<-- [end:main]


if __name__ == "__main__":
    print(f"final loss: {main():.4f}")
