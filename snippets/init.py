"""Start a W&B run that training code never has to branch on: the init topic.

Tracking is opt-in. `start_run` returns W&B's own run object when tracking is on and wandb is
installed, and a `NoRun` with the same calls otherwise, so the training loop is identical
either way. Configuration is two Pydantic models: where the run goes (`TrackingConfig`) and
what the run trains with (`Hyperparams`).

Run it:  WANDB_MODE=offline python -m snippets.init   (or disabled, or with wandb absent)
"""

# --8<-- [start:imports]
from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:imports]

import random

from pydantic import field_validator, model_validator

# Characters W&B does not allow in project names and run ids.
FORBIDDEN_NAME_CHARS = set("/\\#?%:")


# --8<-- [start:tracking-config]
class TrackingConfig(BaseModel):
    """Where and how a run is tracked. A misspelt field is an error, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    use_wandb: bool = False  # opt-in: nothing is tracked unless asked for
    project: str = Field("wandb-tracking-guide", min_length=1)
    entity: str | None = None  # team or user; None means your default entity
    mode: Literal["online", "offline", "disabled"] | None = None  # None: WANDB_MODE decides
    group: str | None = None  # groups runs in the UI: one sweep, one cross-validation
    job_type: str | None = None  # "train", "eval", "preprocess", ...
    tags: list[str] = []
    notes: str | None = None
    dir: Path | None = None  # where the wandb/ folder goes; None: the working directory
    id: str | None = None  # a fixed id lets a restarted job continue the same run
    resume: Literal["allow", "must", "never", "auto"] | None = None
    # --8<-- [end:tracking-config]

    @field_validator("project", "id")
    @classmethod
    def _no_forbidden_chars(cls, value: str | None) -> str | None:
        if value is not None and FORBIDDEN_NAME_CHARS & set(value):
            raise ValueError(f"{value!r} contains one of / \\ # ? % : which W&B does not allow")
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


# --8<-- [start:no-run]
class NoConfig(dict):
    """`run.config` of a `NoRun`: a dict that also takes W&B's config calls."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def update(self, d: Any = (), allow_val_change: bool | None = None, **kwargs: Any) -> None:
        super().update(d, **kwargs)  # allow_val_change is accepted, not stored as a key

    def as_dict(self) -> dict[str, Any]:
        return dict(self)


class NoRun:
    """Stands in for a W&B run when tracking is off: the same calls, and nothing recorded.

    Like W&B's disabled mode, `log` keeps each key's last value in `summary`, so code that
    reads `run.summary` or `run.config` works the same with tracking on or off.
    """

    id = name = url = dir = None
    disabled, offline = True, False

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = NoConfig(config or {})
        self.summary: dict[str, Any] = {}

    def log(
        self, data: dict[str, Any], step: int | None = None, commit: bool | None = None
    ) -> None:
        self.summary.update(data)

    def define_metric(self, name: str, *args: Any, **kwargs: Any) -> None: ...
    def watch(self, *args: Any, **kwargs: Any) -> None: ...
    def unwatch(self, *args: Any, **kwargs: Any) -> None: ...
    def log_artifact(self, *args: Any, **kwargs: Any) -> None: ...
    def alert(self, *args: Any, **kwargs: Any) -> None: ...
    def finish(self, exit_code: int | None = None, quiet: bool | None = None) -> None: ...

    def __enter__(self) -> NoRun:
        return self

    def __exit__(self, *exc_info: object) -> bool:
        self.finish()
        return False  # never swallow the exception

    # --8<-- [end:no-run]


# --8<-- [start:start-run]
def start_run(tracking: TrackingConfig, hparams: BaseModel | None = None) -> wandb.Run | NoRun:
    """Return W&B's own run when tracking is on, else a NoRun with the same calls."""
    config = hparams.model_dump(mode="json") if hparams is not None else {}
    if not tracking.use_wandb:
        return NoRun(config)
    try:
        import wandb  # imported here, so wandb is needed only when tracking is on
    except ImportError:
        warnings.warn(
            "use_wandb=True but wandb is not installed, so this run is not tracked; "
            "install it with: pip install 'wandb[media]'",
            stacklevel=2,
        )
        return NoRun(config)
    return wandb.init(
        config=config,
        reinit="finish_previous",  # a second start_run ends the first, never returns it
        **tracking.model_dump(exclude={"use_wandb"}),
    )
    # --8<-- [end:start-run]


# --8<-- [start:restartable]
def restartable(tracking: TrackingConfig, job_id: str) -> TrackingConfig:
    """The same tracking with a fixed run id, so a preempted job that restarts under the same
    job id (SLURM_JOB_ID, a Kubernetes job name) continues its own run instead of starting a
    new one. Validated again: a job id W&B cannot take as a run id is an error here."""
    return TrackingConfig.model_validate({**tracking.model_dump(), "id": job_id, "resume": "allow"})
    # --8<-- [end:restartable]


# --8<-- [start:read-config]
def hparams_from_run(run: wandb.Run | NoRun, model: type[BaseModel] = Hyperparams) -> Any:
    """Read the hyperparameters back from run.config, where a sweep puts the values it chose.

    Pydantic checks them again: a sweep value out of range or a misspelt parameter raises a
    ValidationError that names the field.
    """
    return model.model_validate(dict(run.config))
    # --8<-- [end:read-config]


def make_data(seed: int, n: int = 64) -> list[tuple[float, float]]:
    """Points on the line y = 3x + 1 with a little noise."""
    rng = random.Random(seed)
    return [(x, 3 * x + 1 + rng.gauss(0, 0.1)) for x in (rng.uniform(-1, 1) for _ in range(n))]


# --8<-- [start:train]
def train(hp: Hyperparams, run: wandb.Run | NoRun) -> float:
    """Fit y = a*x + b by mini-batch SGD. The loop calls run.log with no `if use_wandb:`."""
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
def main(tracking: TrackingConfig | None = None, hparams: Hyperparams | None = None) -> float:
    tracking = tracking or TrackingConfig(use_wandb=True, job_type="train")
    with start_run(tracking, hparams or Hyperparams()) as run:
        hp = hparams_from_run(run)  # the values W&B holds, a sweep's included
        return train(hp, run)
    # --8<-- [end:main]


if __name__ == "__main__":
    print(f"final loss: {main():.4f}")
