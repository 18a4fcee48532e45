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
    from typing_extensions import Self
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
# --8<-- [start:parity-imports]
import dataclasses
import datetime
import enum
import math
import os
import secrets
import tempfile
import time
from collections.abc import Sequence

# --8<-- [end:parity-imports]
# isort: split
from pydantic import field_validator, model_validator

__all__ = [
    "GOALS",
    "MODES",
    "INIT_PARAMETERS",
    "ConfigChangeError",
    "Hyperparams",
    "NoArtifactResult",
    "NoConfig",
    "NoMetric",
    "NoRun",
    "NoSummary",
    "TrackingConfig",
    "check_flag",
    "hparams_from_run",
    "one_of",
    "refuse_secrets",
    "restartable",
    "start_run",
]

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


# Type checkers (ty 1.0) read an annotation naming NoRun as the first class so named.
# The short NoRun, which SKILL.md and the pages show on its own, is made inside this
# function, so that the NoRun they check is the whole one, `class NoRun(NoRun)` below.
def _short_no_run():
    # --8<-- [start:no-run]
    class NoRun:
        """Tracking off: as in W&B's disabled run, log() keeps each key's last value."""

        id = name = url = dir = None
        step = 0

        def __init__(self, config: dict[str, Any] | None = None, **_: Any) -> None:
            self.config, self.summary = dict(config or {}), {}

        def log(self, data: dict[str, Any], step: int | None = None, commit=None):
            self.summary.update(data)

        def _nothing(self, *args: Any, **kwargs: Any) -> Any: ...

        define_metric = watch = unwatch = log_artifact = alert = finish = _nothing

        def __enter__(self) -> Self:
            return self

        def __exit__(self, *exc_info: object) -> None: ...  # swallows no exception

        # --8<-- [end:no-run]

    return NoRun


NoRun = _short_no_run()


# --8<-- [start:init-parameters]
# wandb.init's parameters in wandb 0.31 (a test compares them with the installed SDK):
# NoRun refuses any other keyword, as wandb.init does, with tracking off too.
INIT_PARAMETERS = frozenset({
    "entity", "project", "dir", "id", "name", "notes", "tags", "config",
    "config_exclude_keys", "config_include_keys", "allow_val_change", "group",
    "job_type", "mode", "force", "reinit", "resume", "resume_from", "fork_from",
    "save_code", "tensorboard", "sync_tensorboard", "monitor_gym", "settings",
    "anonymous",
})  # fmt: skip
# --8<-- [end:init-parameters]


# --8<-- [start:no-run-parity]


class ConfigChangeError(ValueError):
    """A config value changed without allow_val_change=True: W&B raises its own
    ConfigError, with this message, which code without wandb cannot import."""


def _as_config_value(value: Any) -> Any:
    """`value` as W&B's config stores it (wandb.util.json_friendly_val): NaN as None,
    a tuple, set or array of 2 to 32 numbers as a list, another array, a Path or any
    other object as its str, an enum as its name, a dataclass as a dict."""
    if isinstance(value, dict):
        return {key: _as_config_value(item) for key, item in value.items()}
    if isinstance(value, slice):
        return dict(
            slice_start=value.start, slice_step=value.step, slice_stop=value.stop
        )
    if hasattr(value, "detach") and hasattr(value, "shape"):  # a torch tensor
        value = value.detach().cpu()
        if not value.shape:
            return value.item()
        value = value.numpy()
    if type(value).__name__ == "ndarray":  # a numpy array
        if value.size == 1 or value.size > 32:
            return str(value.flatten()[0] if value.size == 1 else value)
        value = value.tolist()
    elif type(value).__module__ == "numpy":  # a numpy scalar
        value = value.item()
    elif isinstance(value, bytes):
        value = value.decode()
    elif isinstance(value, datetime.date):
        value = value.isoformat()
    elif callable(value):  # a function or a class: its qualified name
        qualname = getattr(value, "__qualname__", None)
        value = f"{value.__module__}.{qualname}" if qualname else str(value)
    elif isinstance(value, set):
        value = tuple(value)
    elif isinstance(value, enum.Enum):
        value = value.name
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_as_config_value(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _as_config_value(dataclasses.asdict(value))
    return value if type(value).__module__ == "builtins" else str(value)


class NoConfig:
    """run.config with tracking off, as W&B's Config in a disabled run: not a dict
    (no len, no ==, no values), keys read and set as attributes too, values stored as
    W&B stores them, keys that start with "_" hidden from keys() and items(), and a
    changed value needs allow_val_change."""

    def __init__(self, config: Any = None) -> None:
        object.__setattr__(self, "_items", {})
        self.update(config if config is not None else {})
        self._items.setdefault("_wandb", {})  # W&B's own key, there in every run

    def keys(self) -> list[str]:
        return [key for key in self._items if not key.startswith("_")]

    def items(self) -> list[tuple[str, Any]]:
        return [(key, self._items[key]) for key in self.keys()]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.items())

    def get(self, *args: Any) -> Any:
        return self._items.get(*args)

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Any:
        return iter(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __repr__(self) -> str:
        return repr(self.as_dict())

    def __len__(self) -> int:  # W&B's Config has no len(): code that needs one fails
        raise TypeError("run.config has no len() in W&B: use len(run.config.keys())")

    def __bool__(self) -> bool:  # true, as W&B's Config, whatever it holds
        return True

    def __getattr__(self, key: str) -> Any:
        if key == "_items" or key not in self._items:
            raise AttributeError(f"{type(self)!r} object has no attribute {key!r}")
        return self._items[key]

    def __setattr__(self, key: str, value: Any) -> None:
        self.update({key: value})

    __setitem__ = __setattr__

    def update(self, d: Any, allow_val_change: bool | None = None) -> None:
        """As W&B: a dict or an object with __dict__ (argparse.Namespace, a Pydantic
        model); a str would be a YAML file, which NoRun does not read."""
        self._items.update(self._checked(d, allow_val_change))

    def setdefaults(self, d: Any) -> None:
        """Set the keys that are not set yet, as W&B's config.setdefaults."""
        d = {k: v for k, v in self._as_dict(d).items() if k not in self._items}
        self._items.update(self._checked(d))

    def _as_dict(self, d: Any) -> dict[Any, Any]:
        if isinstance(d, str):
            raise TypeError(
                f"config={d!r}: W&B would read a YAML file there; NoRun takes a dict"
            )
        if isinstance(d, NoConfig):
            return d.as_dict()
        if not isinstance(d, dict) and not hasattr(d, "__dict__"):
            raise TypeError("config must be a dict or have a __dict__ attribute.")
        return d if isinstance(d, dict) else vars(d)

    def _checked(self, d: Any, allow_val_change: bool | None = None) -> dict[str, Any]:
        checked = {}
        for key, value in self._as_dict(d).items():
            if not isinstance(key, str):
                raise TypeError(f"config key {key!r}: W&B takes str keys only")
            key, value = key.strip("-"), _as_config_value(value)  # as W&B does
            if (
                key in self._items
                and self._items[key] != value
                and not allow_val_change
            ):
                raise ConfigChangeError(
                    f'Attempted to change value of key "{key}" from {self._items[key]}'
                    f" to {value}\nIf you really want to do this, pass "
                    "allow_val_change=True to config.update()"
                )
            checked[key] = value
        return checked


class NoSummary(dict):
    """run.summary with tracking off, as W&B's disabled one: keys also read and set
    as attributes, a missing one is a KeyError, and a dict value reads as one too."""

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):  # copy, pickle and friends probe for these
            raise AttributeError(key)
        return self[key]

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    def __delattr__(self, key: str) -> None:
        del self[key]

    def __getitem__(self, key: Any) -> Any:
        value = dict.__getitem__(self, key)
        if isinstance(value, dict) and not isinstance(value, NoSummary):
            value = self[key] = NoSummary(value)
        return value


class NoArtifactResult:
    """What W&B's disabled log_artifact returns: .wait() and any call do nothing."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self


class NoMetric:
    """What W&B's disabled define_metric returns: a metric named "dummy"."""

    name, step_metric, step_sync, summary, hidden = "dummy", None, False, None, None


class NoRun(NoRun):  # the short one above, plus the rest of W&B's disabled run
    """A stand-in for a run when tracking is off, call for call as W&B's disabled run
    (the init page lists where it differs on purpose): what start_run returns."""

    def __init__(
        self,
        config: Any = None,
        project: str | None = None,
        tags: list[str] | tuple[str, ...] | None = None,
        **init_kwargs: Any,
    ) -> None:
        unknown = sorted(set(init_kwargs) - INIT_PARAMETERS)
        if unknown:  # wandb.init refuses it too
            raise TypeError(f"{unknown[0]!r} is not a wandb.init parameter: misspelt?")
        if not isinstance(tags, list | tuple | None) or not all(
            isinstance(tag, str) and 0 < len(tag) <= 64 for tag in tags or ()
        ):
            raise TypeError(f"tags={tags!r}: pass a list of str of 1 to 64 characters")
        self.config, self.summary = NoConfig(config), NoSummary()
        run_id = init_kwargs.get("id") or "".join(
            secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8)
        )  # W&B's own shape of run id
        self.id, self.tags, self.start_time = run_id, tuple(tags or ()), time.time()
        self.project = "dummy" if project in (None, "uncategorized") else project
        self.entity = init_kwargs.get("entity") or "dummy"
        self.name = init_kwargs.get("name") or f"dummy-{run_id}"
        self.group = init_kwargs.get("group") or ""
        self.job_type = init_kwargs.get("job_type") or ""
        self.notes = init_kwargs.get("notes")
        self.path = f"{self.entity}/{self.project}/{run_id}"
        stamp = time.strftime("%Y%m%d_%H%M%S", time.localtime(self.start_time))
        # a folder that does not exist, where W&B's disabled run says it would be
        self.dir = os.path.join(
            tempfile.gettempdir(), "wandb", f"run-{stamp}-{run_id}", "files"
        )
        self.offline, self.disabled, self.resumed, self.sweep_id = (
            False,
            True,
            False,
            None,
        )
        self.project_url = self.sweep_url = None

    def define_metric(self, *args: Any, **kwargs: Any) -> NoMetric:
        return NoMetric()

    def log_artifact(self, *args: Any, **kwargs: Any) -> NoArtifactResult:
        return NoArtifactResult()

    def save(self, *args: Any, **kwargs: Any) -> bool:
        return False  # W&B's disabled run saves nothing and says False

    def use_artifact(self, *args: Any, **kwargs: Any) -> None: ...

    link_artifact = link_model = log_code = log_model = use_model = use_artifact
    mark_preempting = restore = status = upsert_artifact = finish_artifact = (
        use_artifact
    )
    # --8<-- [end:no-run-parity]


# --8<-- [start:start-run]
def start_run(use_wandb: bool | None, **init_kwargs: Any) -> wandb.Run | NoRun:
    """wandb.init(**init_kwargs) if use_wandb and wandb is installed, else a NoRun."""
    if not isinstance(use_wandb, bool | None):  # "false" from os.environ is truthy
        raise TypeError(f"use_wandb={use_wandb!r}: pass True or False")
    if use_wandb:
        try:
            import wandb  # here, so wandb is needed only when tracking is on
        except ImportError:
            warnings.warn("no wandb: not tracked (pip install wandb)", stacklevel=2)
        else:  # finish_previous: a second run ends the first, never returns it
            return wandb.init(reinit="finish_previous", **init_kwargs)
    return NoRun(**init_kwargs)
    # --8<-- [end:start-run]


# --8<-- [start:secrets]
# Names as people write them, in snake, camel or kebab case: api_key, apiKey, api-key,
# SECRET_KEY, aws_secret_access_key, HF_TOKEN, db_password, ...
SECRET_NAME = re.compile(
    r"(^|_)(api_?key|(secret|private|access)_key|secret|password|passwd|passphrase"
    r"|token|credentials?)$"
)
NOT_SECRET = re.compile(  # hex digests, and a tokenizer's special tokens
    r"(^|_)(commit|sha\d*|hash|digest|checksum)(_|$)"
    r"|(pad|eos|bos|unk|sep|cls|mask)_token$"
)
SECRET_VALUE = re.compile(  # the shapes of well-known keys and tokens
    r"^(sk-[\w\-]{32,}|gh[pousr]_\w{30,}|github_pat_\w{30,}|hf_[A-Za-z0-9]{30,}"
    r"|xox[abpr]-[\w\-]{10,}|(AKIA|ASIA)[A-Z0-9]{16}|glpat-[\w\-]{20,}"
    r"|eyJ[\w\-]+\.[\w\-]+\.[\w\-]*)$"
    r"|^(\w+-)?[0-9a-f]{40,}$"  # W&B API keys: 40+ hex digits, on-prem with a prefix
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"  # a PEM private key
)
ADVICE = "keep it out of the config and read it from the environment"


def _snake_case(name: str) -> str:
    """openaiApiKey, api-key, SECRET_KEY -> openai_api_key, api_key, secret_key."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return re.sub(r"[\s.\-]+", "_", name).lower()


def refuse_secrets(config: Any, where: str = "config") -> None:
    """Raise ValueError naming the first key of `config` (a dict, list or Pydantic
    model, nested ones too) whose name or value looks like an API key, token, password
    or private key: W&B shows a run's config to everyone who can see the project. The
    message names the key, never the value. Pass secrets in the environment instead."""
    if config is None:
        return
    if hasattr(config, "model_dump"):  # a Pydantic model: its fields
        config = config.model_dump()
    if isinstance(config, dict):
        items = config.items()
    elif isinstance(config, list | tuple | set):
        items = enumerate(config)
    else:
        raise TypeError(f"{where} is a {type(config).__name__}: pass a dict")
    for key, value in items:
        path, name = f"{where}[{key!r}]", _snake_case(str(key))
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, dict | list | tuple | set) or hasattr(value, "model_dump"):
            refuse_secrets(value, path)
        elif not isinstance(value, str) or not value or NOT_SECRET.search(name):
            continue
        elif SECRET_NAME.search(name):
            raise ValueError(f"{path} is named like a secret: {ADVICE}")
        elif SECRET_VALUE.search(value):
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
    mode: Literal["online", "offline", "disabled", "shared"] | None = None  # WANDB_MODE
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

    @field_validator("mode", mode="before")
    @classmethod
    def _mode_word(cls, value: object) -> object:
        """W&B's own words, its aliases too: dryrun is offline, run is online."""
        return value if value is None else one_of(value, MODES, "mode")

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
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"model={model!r}: pass a Pydantic model class (Hyperparams)")
    return model.model_validate(dict(run.config))
    # --8<-- [end:read-config]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---


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
