"""Hyperparameter sweeps, validated before launch, with a W&B server or without: the
sweep topic.

`SweepConfig` is a sweep configuration written as Pydantic models: it rejects what W&B
would reject or silently misread, and produces the dict `wandb.sweep` takes and the YAML
`wandb sweep` reads, checked once more by W&B's own schema (the `sweeps` package) when
it is installed. The training function reads its values from `run.config`
(`hparams_from_run`). `launch` creates the sweep on a W&B server and runs an agent;
`local_sweep` runs the same configuration with no server and no account, W&B's
open-source engine proposing each trial from the results so far.

A local sweep needs `pip install sweeps`; wandb is optional.

Run it:  WANDB_MODE=offline python -m snippets.sweep   (a local sweep; or disabled, or
with wandb absent)
         python -m snippets.sweep --trial   (one trial: the command a W&B agent runs)
         python -m snippets.sweep --yaml > snippets/sweep.yaml
"""

from __future__ import annotations

# --8<-- [start:imports]
from collections.abc import Callable, Iterator

# --8<-- [end:imports]
# isort: split
# --8<-- [start:more-imports]
import math
import numbers
import re
import sys
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:more-imports]
# isort: split
from .init import (
    GOALS,
    Hyperparams,
    NoRun,
    TrackingConfig,
    hparams_from_run,
    one_of,
    start_run,
    train,
)

__all__ = [
    "Hyperband",
    "Metric",
    "Param",
    "SweepConfig",
    "SweepResult",
    "Trial",
    "import_sweeps",
    "launch",
    "local_sweep",
    "run_trials",
    "trials_to_stop",
    "wandb_schema_problems",
]

# --8<-- [start:param]
# W&B's schema for parameter names (sweeps/config/schema.json).
PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
# The distributions W&B reads with min and max as base-e exponents, and their fixes.
EXPONENT_DISTRIBUTIONS = {
    "log_uniform": "log_uniform_values",
    "q_log_uniform": "q_log_uniform_values",
    "inv_log_uniform": "inv_log_uniform_values",
}


class Param(BaseModel):
    """One swept parameter, in W&B's own keys: `value` (fixed), `values` (a list to
    choose from), or a `distribution` with `min` and `max` (and `q`, the step of the
    q_ distributions)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Any = None
    values: list[Any] | None = Field(None, min_length=1)
    probabilities: list[float] | None = None  # with values: how often each is drawn
    distribution: (
        Literal[
            "uniform",
            "int_uniform",
            "log_uniform_values",
            "q_uniform",
            "q_log_uniform_values",
        ]
        | None
    ) = None
    min: int | float | None = None
    max: int | float | None = None
    q: int | float | None = Field(None, gt=0)  # an int q draws ints

    @model_validator(mode="before")
    @classmethod
    def _exponents(cls, data: Any) -> Any:
        """The classic mistake: log_uniform with the values themselves as limits."""
        if (
            isinstance(data, dict)
            and data.get("distribution") in EXPONENT_DISTRIBUTIONS
        ):
            given = data["distribution"]
            fix = EXPONENT_DISTRIBUTIONS[given]
            raise ValueError(
                f"distribution={given!r} reads min and max as base-e exponents "
                f"(min=1e-5 samples near e**1e-5, about 1): use distribution={fix!r} "
                "with the values themselves as min and max"
            )
        return data

    @field_validator("min", "max", "q", mode="before")
    @classmethod
    def _finite(cls, bound: Any, info: Any) -> Any:
        """W&B's schema takes NaN and inf bounds; its engine then draws NaN trials."""
        if isinstance(bound, bool) or (
            isinstance(bound, float) and not math.isfinite(bound)
        ):
            raise ValueError(f"{info.field_name}={bound!r}: give a finite number")
        return bound

    @model_validator(mode="after")
    def _one_kind(self) -> Param:
        kinds = [k for k in ("values", "distribution") if getattr(self, k) is not None]
        kinds = ["value"] * ("value" in self.model_fields_set) + kinds
        bounds = {"min", "max", "q"} & self.model_fields_set
        if bounds and self.distribution is None:
            raise ValueError(
                "min and max need a distribution: W&B reads integer bounds as "
                "int_uniform and float bounds as uniform; say which, e.g. "
                "distribution='uniform'"
            )
        if len(kinds) != 1:
            raise ValueError(
                "give exactly one of value (fixed), values (a list) or distribution "
                f"with min and max; got {' and '.join(kinds) or 'none'}"
            )
        for value in self.values if self.values is not None else [self.value]:
            _plain(value, "values" if self.values is not None else "value")
        if self.probabilities is not None:
            self._check_probabilities()
        if self.distribution is not None:
            self._check_bounds(self.distribution)
        return self

    def _check_probabilities(self) -> None:
        chances = self.probabilities or []
        if self.values is None or len(chances) != len(self.values):
            raise ValueError("probabilities needs values, one probability each")
        if not all(0 <= p <= 1 for p in chances):
            raise ValueError(f"probabilities {chances}: each must be from 0 to 1")
        if not math.isclose(sum(chances), 1.0):
            raise ValueError(f"probabilities sum to {sum(chances)}, not 1")

    def _check_bounds(self, dist: str) -> None:
        low, high = self.min, self.max
        if low is None or high is None:
            raise ValueError(f"distribution={dist!r} needs both min and max")
        if low >= high:
            raise ValueError(f"min {low} is not less than max {high}")
        if dist == "int_uniform" and not (
            isinstance(low, int) and isinstance(high, int)
        ):
            raise ValueError(
                f"int_uniform needs integer min and max, not {low}, {high}"
            )
        if dist.startswith(("log", "q_log")) and low <= 0:
            raise ValueError(f"{dist} needs min > 0 (the values themselves), not {low}")
        if self.q is not None and not dist.startswith("q_"):
            raise ValueError(
                f"q is the step of q_uniform and q_log_uniform_values, not {dist}"
            )
        if self.q is not None and self.q > high - low:
            raise ValueError(
                f"q={self.q} is wider than max - min ({high - low}): every trial "
                "would draw the same one or two values; list them: values=[...]"
            )

    def to_wandb(self) -> dict[str, Any]:
        given = self.model_dump(exclude_unset=True)
        return {k: v for k, v in given.items() if v is not None or k == "value"}

    def drawn(self) -> list[Any]:
        """Values the engine can give a trial: the fixed value, each listed value, or
        the ends of the range (rounded to q) and a value between them."""
        if self.distribution is None:
            return [self.value] if self.values is None else list(self.values)
        low, high = cast(float, self.min), cast(float, self.max)
        if self.q is not None:  # the engine rounds: round(x / q) * q
            low, high = round(low / self.q) * self.q, round(high / self.q) * self.q
            return [low, *[low + self.q] * (low + self.q < high), high]
        if self.distribution == "int_uniform":
            return [low, high]
        return [low, _between(low, high), high]


def _between(low: float, high: float) -> float:
    """A number between low and high that is not whole, as the engine draws."""
    for part in (0.5, 1 / 3, 1 / 7):
        x = low + (high - low) * part
        if not float(x).is_integer():
            break
    return x


def _plain(value: Any, name: str) -> None:
    """A value W&B can store in a config: JSON, with no NaN or inf."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} hold {value}: a trial cannot train with NaN or inf")
    if isinstance(value, list | dict):
        for item in value.values() if isinstance(value, dict) else value:
            _plain(item, name)
    elif type(value) not in (str, int, float, bool, type(None)):  # numpy's too
        raise ValueError(
            f"{name} hold a {type(value).__name__}: use plain Python values (str, "
            "int, float, bool, None, lists, dicts), e.g. float(x) or x.item()"
        )
    # --8<-- [end:param]


# --8<-- [start:config]
class Metric(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)  # a key the trial logs, at the top level
    goal: Literal["minimize", "maximize"]  # no default: W&B's is minimize

    @field_validator("goal", mode="before")
    @classmethod
    def _sweep_spelling(cls, goal: object) -> str:
        """min/max as W&B's schema spells them: its engine reads "max" as minimize."""
        return {"min": "minimize", "max": "maximize"}[one_of(goal, GOALS, "goal")]


class Hyperband(BaseModel):
    """Early termination: stops trials that trail the others at epochs min_iter,
    min_iter * eta, ... (or, counting back from max_iter, s brackets)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["hyperband"] = "hyperband"
    min_iter: int | None = Field(None, ge=1, strict=True)
    max_iter: int | None = Field(None, ge=1, strict=True)
    s: int | None = Field(None, ge=1, strict=True)
    eta: float = Field(3, gt=1, allow_inf_nan=False)


class SweepConfig(BaseModel):
    """A W&B sweep, checked before launch. to_wandb() is the dict wandb.sweep takes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    project: str | None = None
    method: Literal["bayes", "grid", "random"]
    metric: Metric | None = None
    parameters: dict[str, Param] = Field(min_length=1)
    early_terminate: Hyperband | None = None
    run_cap: int | None = Field(None, ge=1, strict=True)  # the most runs, all agents
    command: list[str] | None = Field(None, min_length=1)  # what `wandb agent` runs

    @model_validator(mode="after")
    def _whole(self) -> SweepConfig:
        for name, param in self.parameters.items():
            if not PARAM_NAME.fullmatch(name):
                raise ValueError(
                    f"parameter {name!r}: W&B takes letters, digits, _ . - and a first "
                    "letter or _"
                )
            if self.method == "grid":
                _grid_only(name, param)
        if self.method == "bayes" and self.metric is None:
            raise ValueError(
                "method='bayes' needs metric (name and goal): W&B's schema accepts the "
                "config, and its engine fails at the first proposal"
            )
        if self.method == "bayes" and all(
            "value" in p.model_fields_set for p in self.parameters.values()
        ):
            raise ValueError(
                "method='bayes' needs a parameter to search: all are fixed"
            )
        if self.early_terminate is not None:
            if self.metric is None:
                raise ValueError("early_terminate needs metric: the value it compares")
            hb = self.early_terminate
            if hb.min_iter is None and (hb.max_iter is None or hb.s is None):
                raise ValueError("early_terminate needs min_iter, or max_iter and s")
        return self

    def to_wandb(self) -> dict[str, Any]:
        """The dict wandb.sweep takes, checked by W&B's own schema when `sweeps` is
        installed."""
        config = self.model_dump(mode="json", exclude_none=True)
        config["parameters"] = {k: p.to_wandb() for k, p in self.parameters.items()}
        problems = wandb_schema_problems(config)
        if problems:
            raise ValueError(
                "W&B's sweep schema rejects this config: " + "; ".join(problems)
            )
        return config

    def to_yaml(self) -> str:
        """The file `wandb sweep` reads. Needs PyYAML, which wandb installs."""
        import yaml

        return yaml.safe_dump(self.to_wandb(), sort_keys=False)

    def check_against(self, model: type[BaseModel]) -> None:
        """Fail before launch, not at the first trial, when a parameter is not a field
        of the model the trial reads its values into, or the engine can draw a value
        that the field rejects (a float for an int field, a value out of range)."""
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise TypeError(
                f"model is a {type(model).__name__}: pass the Pydantic model class "
                "the trial reads run.config into, e.g. Hyperparams (not Hyperparams())"
            )
        unknown = sorted(set(self.parameters) - set(model.model_fields))
        if unknown:
            fields = ", ".join(model.model_fields)
            raise ValueError(
                f"parameters {unknown} are not fields of {model.__name__} ({fields}): "
                "hparams_from_run would reject every trial"
            )
        first = {name: p.drawn()[0] for name, p in self.parameters.items()}
        for name, param in self.parameters.items():
            for value in param.drawn():
                try:  # as hparams_from_run reads a trial's run.config
                    model.model_validate({**first, name: value})
                except ValidationError as error:
                    raise ValueError(
                        _rejected(model, name, param, value, error)
                    ) from None


def _rejected(
    model: type[BaseModel], name: str, param: Param, value: Any, error: ValidationError
) -> str:
    problem = error.errors()[0]
    field = str(problem["loc"][0]) if problem["loc"] else name
    annotation = (
        model.model_fields[field].annotation if field in model.model_fields else ""
    )
    kind = getattr(annotation, "__name__", str(annotation))
    if field != name:  # a field the sweep does not set, with no default
        return (
            f"{model.__name__}.{field} ({kind}): {problem['msg']}: give it a default "
            "or a sweep parameter"
        )
    drawn = param.distribution or ("value" if param.values is None else "values")
    return (
        f"parameter {name!r}: {drawn} gives trials {value!r}, which {model.__name__}."
        f"{name} ({kind}) rejects: {problem['msg']}"
        + (": use int_uniform, or a q_ distribution with an int q" * (kind == "int"))
    )


def _grid_only(name: str, param: Param) -> None:
    """W&B's grid takes fixed values, lists and int_uniform; its q_uniform grid comes
    from numpy.arange, which leaves out max."""
    if param.distribution == "q_uniform":
        raise ValueError(
            f"parameter {name!r}: a grid over q_uniform leaves out max (numpy.arange); "
            "list the values instead: values=[...]"
        )
    if param.distribution not in (None, "int_uniform") or param.probabilities:
        raise ValueError(
            f"parameter {name!r}: method='grid' takes value, values (no probabilities) "
            f"or int_uniform, not {param.distribution or 'probabilities'}; "
            "use method='random' or 'bayes' for distributions"
        )
    # --8<-- [end:config]


# --8<-- [start:schema]
SWEEPS_MISSING = "a local sweep needs W&B's sweep engine: pip install sweeps"


def import_sweeps() -> Any:
    """W&B's open-source sweep engine, the `sweeps` package: optional, like wandb."""
    try:
        with warnings.catch_warnings():  # sweeps 0.3 trips a Pydantic warning
            warnings.simplefilter("ignore")
            import sweeps
    except ImportError as err:
        raise ModuleNotFoundError(SWEEPS_MISSING, name="sweeps") from err
    return sweeps


def wandb_schema_problems(config: dict[str, Any]) -> list[str]:
    """What W&B's own schema finds wrong with a sweep config; [] when the `sweeps`
    package is not installed."""
    try:
        sweeps = import_sweeps()
    except ModuleNotFoundError:
        return []
    return sweeps.schema_violations_from_proposed_config(config)
    # --8<-- [end:schema]


# --8<-- [start:early-stop]
EARLY_STOP = SweepConfig(
    name="linear-fit-hyperband",
    method="random",
    # Hyperband compares a metric logged every epoch: train/loss, not the
    # summary-only final_loss, which would give it nothing to compare.
    metric=Metric(name="train/loss", goal="minimize"),
    parameters={
        "learning_rate": Param(distribution="log_uniform_values", min=1e-3, max=0.5),
        "epochs": Param(value=9),
    },
    early_terminate=Hyperband(min_iter=3, eta=3),  # judged at epochs 3 and 9
    run_cap=30,
    command=["${env}", "${interpreter}", "-m", "snippets.sweep", "--trial"],
)


def trials_to_stop(sweep: SweepConfig, histories: dict[str, list[dict]]) -> list[str]:
    """Which running trials a W&B server would stop now, by name, from each one's
    logged rows: the server's Hyperband, from W&B's open-source engine."""
    if sweep.early_terminate is None:
        raise ValueError("the sweep has no early_terminate: give it Hyperband(...)")
    if not isinstance(histories, dict) or not all(
        isinstance(rows, list) for rows in histories.values()
    ):
        raise TypeError("histories: a dict of trial name to its rows, a list of dicts")
    sweeps = import_sweeps()
    runs = [
        sweeps.SweepRun(name=name, state="running", history=rows)
        for name, rows in histories.items()
    ]
    return [run.name for run in sweeps.stop_runs(sweep.to_wandb(), runs)]
    # --8<-- [end:early-stop]


# --8<-- [start:launch]
NEEDS_API_KEY = (
    "wandb.sweep and wandb.agent need a W&B server and an API key, even with "
    "WANDB_MODE=disabled or offline: run `wandb login` or set WANDB_API_KEY. "
    "To try the sweep with no server, run local_sweep(sweep, train_trial)"
)


def launch(
    sweep: SweepConfig,
    function: Callable[[], Any],
    count: int,
    project: str,
    entity: str | None = None,
) -> str:
    """Create the sweep on the W&B server, then run `count` trials in this process.
    More machines join with `wandb agent ENTITY/PROJECT/SWEEP_ID`."""
    if not isinstance(sweep, SweepConfig) or not callable(function):
        raise TypeError("pass a SweepConfig as sweep and the trial's function")
    if type(count) is not int or count < 1:
        raise ValueError(f"count={count!r}: the trials to run here, 1 or more")
    if not isinstance(project, str) or not project:
        raise ValueError(f"project={project!r}: name the W&B project")
    import wandb

    config = sweep.to_wandb()
    try:
        sweep_id = wandb.sweep(config, project=project, entity=entity)
        wandb.agent(sweep_id, function, entity=entity, project=project, count=count)
    except wandb.errors.UsageError as err:
        if "API key" not in str(err):
            raise
        raise wandb.errors.UsageError(NEEDS_API_KEY) from err
    return sweep_id
    # --8<-- [end:launch]


# --8<-- [start:run-trials]
def run_trials(
    config: dict, train_fn: Callable, count: int | None, use_wandb=True, **init: Any
) -> Iterator[tuple[dict, Any, str | None]]:
    """W&B's sweep engine, no server (pip install sweeps): each trial is proposed from
    the results so far; train_fn(run) leaves the metric in run.summary."""
    import numpy  # installed with sweeps
    import sweeps

    if not (isinstance(config, dict) and "metric" in config and callable(train_fn)):
        raise TypeError("pass SweepConfig.to_wandb() (with a metric) and train_fn(run)")
    metric, done = config["metric"]["name"], []
    while count is None or len(done) < count:
        if (proposal := sweeps.next_run(config, done)) is None:
            return  # a grid with every combination run
        values = {k: v["value"] for k, v in proposal.config.items()}
        values = {k: v.item() if hasattr(v, "item") else v for k, v in values.items()}
        engine_state = numpy.random.get_state()  # seed_everything in a trial resets it
        with start_run(use_wandb, config=values, **init) as run:
            train_fn(run)
            result = run.summary.get(metric)  # offline, `metric in run.summary` raises
        numpy.random.set_state(engine_state)
        kw: dict[str, Any] = {"state": "finished", "summary_metrics": {metric: result}}
        done.append(sweeps.SweepRun(config=proposal.config, **kw))
        yield values, result, run.id
    # --8<-- [end:run-trials]


# --8<-- [start:local-sweep]
@dataclass(frozen=True)
class Trial:
    number: int  # 1, 2, ...
    values: dict[str, Any]  # the engine's proposal
    result: float  # the sweep metric, from run.summary
    run_id: str | None  # tracking off: NoRun's id, as W&B's disabled run has one


@dataclass(frozen=True)
class SweepResult:
    trials: list[Trial]
    best: Trial


def _show(values: dict[str, Any]) -> str:
    return " ".join(
        f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in values.items()
    )


def _is_better(value: float, best: float | None, goal: str) -> bool:
    if not math.isfinite(value):
        return False
    return best is None or (value < best if goal == "minimize" else value > best)


def local_sweep(
    sweep: SweepConfig,
    train_fn: Callable[[wandb.Run | NoRun], Any],
    count: int | None = None,
    tracking: TrackingConfig | None = None,
    seed: int | None = 0,
) -> SweepResult:
    """Run a sweep here, with no W&B server, one run per trial grouped under the
    sweep's name, a progress line per trial, and the best trial at the end. Stops
    after count (or run_cap) trials, or when a grid is exhausted. A trial whose
    metric is NaN or inf is never the best: it is reported with a warning."""
    _check_sweep_args(sweep, train_fn, count, tracking, seed)
    import_sweeps()  # says what to install when it is missing
    metric = sweep.metric
    if metric is None:
        raise ValueError("local_sweep reports the best trial: give the sweep a metric")
    limit = min((n for n in (count, sweep.run_cap) if n is not None), default=None)
    if limit is None and sweep.method != "grid":
        raise ValueError(
            f"method={sweep.method!r} never runs out: give count or run_cap"
        )
    tracking = tracking or TrackingConfig(use_wandb=True)
    settings = tracking.model_dump(exclude={"use_wandb", "group", "job_type"})
    group = tracking.group or sweep.name or f"local-{sweep.method}-sweep"
    if seed is not None:  # the engine draws from numpy's global generator
        import numpy  # installed with sweeps

        numpy.random.seed(seed)
    trials, best = [], None
    with warnings.catch_warnings():  # the engine's model fitting is noisy
        warnings.filterwarnings("ignore", module=r"sklearn\.")
        proposals = run_trials(
            sweep.to_wandb(),
            train_fn,
            limit,
            tracking.use_wandb,
            group=group,
            job_type="sweep-trial",
            **settings,
        )
        for number, (values, result, run_id) in enumerate(proposals, 1):
            if isinstance(result, bool) or not isinstance(result, numbers.Real):
                raise ValueError(
                    f"trial {number} left no number under {metric.name!r} in "
                    f"run.summary (found {result!r}): log the sweep's metric there"
                )
            result = float(result)
            if not math.isfinite(result):
                note = f"trial {number}: {metric.name}={result}, never the best"
                warnings.warn(note, stacklevel=2)
            trials.append(Trial(number, values, result, run_id))
            if _is_better(result, best.result if best else None, metric.goal):
                best = trials[-1]
            print(
                f"trial {number}/{limit or '?'} {_show(values)}: {metric.name}="
                f"{result:.4g} (best so far: trial {best.number if best else '-'})"
            )
    if best is None:
        raise ValueError(f"no trial recorded a finite {metric.name!r}")
    return SweepResult(trials, best)


def _check_sweep_args(
    sweep: object, train_fn: object, count: object, tracking: object, seed: object
) -> None:
    if not isinstance(sweep, SweepConfig):
        raise TypeError(
            f"sweep is a {type(sweep).__name__}: pass a SweepConfig "
            "(SweepConfig.model_validate(d) reads a dict)"
        )
    if not callable(train_fn):
        raise TypeError(f"train_fn is a {type(train_fn).__name__}: pass a function")
    if count is not None and (type(count) is not int or count < 1):
        raise ValueError(f"count={count!r}: the most trials, 1 or more, or None")
    if not isinstance(tracking, TrackingConfig | None):
        raise TypeError(f"tracking is a {type(tracking).__name__}: a TrackingConfig")
    if seed is not None and type(seed) is not int:
        raise TypeError(f"seed={seed!r}: an int, or None for no seeding")
    # --8<-- [end:local-sweep]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---


# --8<-- [start:example]
EXAMPLE = SweepConfig(
    name="linear-fit",
    method="bayes",
    metric=Metric(name="final_loss", goal="minimize"),
    parameters={
        "learning_rate": Param(distribution="log_uniform_values", min=1e-3, max=0.5),
        "batch_size": Param(values=[8, 16, 32]),
        "epochs": Param(value=5),
    },
    run_cap=20,
    command=["${env}", "${interpreter}", "-m", "snippets.sweep", "--trial"],
)
# --8<-- [end:example]


# --8<-- [start:trial]
def train_trial(run: wandb.Run | NoRun) -> float:
    """The sweep's training function: its values come from run.config, validated by
    the Hyperparams model; its result goes to run.summary["final_loss"]."""
    hp = hparams_from_run(run, Hyperparams)
    return train(hp, run)


def trial(config: dict[str, Any] | None = None) -> float:
    """One trial as its own run. A W&B agent calls it with no arguments: inside an
    agent, wandb.init puts the sweep's values in run.config over these defaults.
    Given a config, it trains with those values, tracked or not."""
    if not isinstance(config, dict | None):
        raise TypeError(f"config is a {type(config).__name__}: pass a dict, or None")
    hp = Hyperparams.model_validate(config or {})
    with TrackingConfig(use_wandb=True, job_type="sweep-trial").start(hp) as run:
        return train_trial(run)
    # --8<-- [end:trial]


# --8<-- [start:main]
def main(argv: list[str] | None = None) -> Any:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--trial"]:  # the command sweep.yaml gives `wandb agent`
        return trial()
    if argv == ["--yaml"]:
        print(EXAMPLE.to_yaml(), end="")
        return None
    EXAMPLE.check_against(Hyperparams)
    try:
        result = local_sweep(EXAMPLE, train_trial, count=4)
    except ModuleNotFoundError as err:
        if err.name != "sweeps":
            raise
        print(f"{err}; meanwhile, one trial with the default values")
        return trial({"epochs": 5})
    print(f"best: trial {result.best.number}, {result.best.values}")
    return result
    # --8<-- [end:main]


if __name__ == "__main__":
    main()
