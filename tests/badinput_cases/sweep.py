"""The sweep topic's bad-input cases (snippets/sweep.py): parameters, configs, checks
against the trial's model, and the local sweep's arguments."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    lr: float = Field(0.1, gt=0)
    width: int = 8


class Words(BaseModel):
    act: str = "relu"
    width: int = Field(8, ge=1)


def cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import sweeps  # imported and warmed up here, not inside a timed case

        sweeps.next_run({"method": "grid", "parameters": {"x": {"values": [1]}}}, [])

    from snippets.init import Hyperparams, NoRun, TrackingConfig
    from snippets.sweep import (
        EARLY_STOP,
        EXAMPLE,
        Hyperband,
        Metric,
        Param,
        SweepConfig,
        launch,
        local_sweep,
        run_trials,
        train_trial,
        trial,
        trials_to_stop,
    )

    nan, inf = math.nan, math.inf
    off = TrackingConfig()

    def uniform(**kw: Any) -> Callable[[], Any]:
        return lambda: Param(**{"distribution": "uniform", "min": 0, "max": 1, **kw})

    def on(model: type[BaseModel], **params: Param) -> Callable[[], Any]:
        sweep = SweepConfig(method="random", parameters=params)
        return lambda: sweep.check_against(model)

    def grid(**params: Param) -> SweepConfig:
        return SweepConfig(
            method="grid",
            metric=Metric(name="score", goal="minimize"),
            parameters=params,
        )

    small = grid(x=Param(values=[1, 2]))

    def scored(*scores: Any) -> Callable[[], Any]:
        """A sweep whose trials log these scores, one a trial."""
        given = iter(scores)

        def train_fn(run: Any) -> None:
            run.summary["score"] = next(given)

        sweep = grid(x=Param(values=list(range(len(scores)))))
        return lambda: local_sweep(sweep, train_fn, tracking=off)

    def best_is(value: float) -> Callable[[Any], bool]:
        return lambda result: result.best.result == value

    def sweep_with(**update: Any) -> Callable[[], Any]:
        return lambda: local_sweep(small, lambda run: None, tracking=off, **update)

    def proposals(config: Any, count: Any = 1) -> Callable[[], Any]:
        return lambda: list(run_trials(config, lambda run: None, count, False))

    raw = EXAMPLE.to_wandb()
    return [
        # Param: bounds
        ("uniform min=nan", uniform(min=nan), "min"),
        ("uniform max=nan", uniform(max=nan), "max"),
        ("uniform max=inf", uniform(max=inf), "max"),
        ("uniform min=-inf", uniform(min=-inf), "min"),
        ("int_uniform min=True", lambda: Param(distribution="int_uniform", min=True, max=4), "min"),
        ("uniform max=False", uniform(max=False, min=-1), "max"),
        ("q_uniform q=nan", uniform(distribution="q_uniform", q=nan), "q"),
        ("q_uniform q=inf", uniform(distribution="q_uniform", q=inf), "q"),
        ("q_uniform q=0", uniform(distribution="q_uniform", q=0), "q"),
        ("q_uniform q=-0.5", uniform(distribution="q_uniform", q=-0.5), "q"),
        ("q_uniform q wider than the range", uniform(distribution="q_uniform", q=5), "q"),
        ("log_uniform_values min=nan", uniform(distribution="log_uniform_values", min=nan), "min"),
        ("log_uniform_values max=inf", uniform(distribution="log_uniform_values", min=1e-3, max=inf), "max"),
        ("min > max", uniform(min=2), "min"),
        ("min only", lambda: Param(distribution="uniform", min=0), "max"),
        ("uniform min='a'", uniform(min="a"), "min"),
        # Param: kinds and lists
        ("values=None", lambda: Param(values=None), "values"),
        ("distribution=None", lambda: Param(distribution=None), "distribution"),
        ("nothing", lambda: Param(), "value"),
        ("values is a string", lambda: Param(values="abc"), "values"),
        ("values hold NaN", lambda: Param(values=[0.1, nan]), "nan"),
        ("value inf", lambda: Param(value=inf), "inf"),
        ("values hold numpy scalars", lambda: SweepConfig(method="random", parameters={"x": Param(values=[np.float64(0.5), np.int64(2)])}).to_yaml(), "values"),
        ("value is an object", lambda: SweepConfig(method="random", parameters={"x": Param(value=object())}).to_wandb(), "value"),
        ("negative probability", lambda: Param(values=[1, 2], probabilities=[1.5, -0.5]), "probabilities"),
        ("NaN probability", lambda: Param(values=[1, 2], probabilities=[nan, 1.0]), "probabilities"),
        ("unknown distribution", lambda: Param(distribution="normal", min=0, max=1), "distribution"),
        # SweepConfig and its parts
        ("goal 'max'", lambda: Metric(name="acc", goal="max"), lambda m: m.goal == "maximize"),
        ("goal 'min'", lambda: Metric(name="loss", goal="min"), lambda m: m.goal == "minimize"),
        ("goal 'MINIMIZE'", lambda: Metric(name="loss", goal="MINIMIZE"), "minimize"),
        ("goal None", lambda: Metric(name="loss", goal=None), "goal"),
        ("metric name ''", lambda: Metric(name="", goal="minimize"), "name"),
        ("method 'bayesian'", lambda: SweepConfig(method="bayesian", parameters={"x": Param(value=1)}), "method"),
        ("parameters None", lambda: SweepConfig(method="random", parameters=None), "parameters"),
        ("parameter name ''", lambda: SweepConfig(method="random", parameters={"": Param(value=1)}), "parameter"),
        ("parameter name '1x'", lambda: SweepConfig(method="random", parameters={"1x": Param(value=1)}), "parameter"),
        ("run_cap=True", lambda: SweepConfig(method="random", parameters={"x": Param(value=1)}, run_cap=True), "run_cap"),
        ("run_cap=0", lambda: SweepConfig(method="random", parameters={"x": Param(value=1)}, run_cap=0), "run_cap"),
        ("hyperband eta=inf", lambda: Hyperband(min_iter=1, eta=inf), "eta"),
        ("hyperband eta=nan", lambda: Hyperband(min_iter=1, eta=nan), "eta"),
        ("command []", lambda: SweepConfig(method="random", parameters={"x": Param(value=1)}, command=[]), "command"),
        ("command a string", lambda: SweepConfig(method="random", parameters={"x": Param(value=1)}, command="python t.py"), "command"),
        # check_against: the trial's model
        ("check_against(None)", lambda: EXAMPLE.check_against(None), "model"),
        ("check_against(instance)", lambda: EXAMPLE.check_against(Hyperparams()), "model"),
        ("check_against(dict)", lambda: EXAMPLE.check_against(dict), "model"),
        ("uniform for an int field", on(Hyperparams, epochs=Param(distribution="uniform", min=1, max=10)), "int"),
        ("q_uniform q=0.5 for an int field", on(Hyperparams, epochs=Param(distribution="q_uniform", min=1, max=10, q=0.5)), "int"),
        ("log_uniform_values for an int field", on(Hyperparams, batch_size=Param(distribution="log_uniform_values", min=8, max=256)), "int"),
        ("q_log_uniform_values q=0.5 for an int field", on(Hyperparams, batch_size=Param(distribution="q_log_uniform_values", min=8, max=256, q=0.5)), "int"),
        ("q_log_uniform_values rounds to 0", on(Words, width=Param(distribution="q_log_uniform_values", min=1, max=64, q=16)), "width"),
        ("q_uniform q=2 for an int field", on(Hyperparams, epochs=Param(distribution="q_uniform", min=2, max=10, q=2)), lambda r: r is None),
        ("int_uniform for a float field", on(Frozen, lr=Param(distribution="int_uniform", min=1, max=3)), lambda r: r is None),
        ("int_uniform for a str field", on(Words, act=Param(distribution="int_uniform", min=1, max=3)), "act"),
        ("values not of the field", on(Hyperparams, batch_size=Param(values=["a", 16])), "batch_size"),
        ("value out of range", on(Hyperparams, epochs=Param(value=0)), "epochs"),
        ("frozen model", on(Frozen, lr=Param(distribution="uniform", min=0.01, max=0.5), width=Param(values=[4, 8])), lambda r: r is None),
        # local_sweep, run_trials, trials_to_stop, launch, trial
        ("local_sweep(None)", lambda: local_sweep(None, lambda run: None, count=1, tracking=off), "sweep"),
        ("local_sweep(dict)", lambda: local_sweep(raw, lambda run: None, count=1, tracking=off), "SweepConfig"),
        ("local_sweep train_fn=None", lambda: local_sweep(small, None, tracking=off), "train_fn"),
        ("count=0", sweep_with(count=0), "count"),
        ("count=-1", sweep_with(count=-1), "count"),
        ("count=1.5", sweep_with(count=1.5), "count"),
        ("count='3'", sweep_with(count="3"), "count"),
        ("count=True", sweep_with(count=True), "count"),
        ("seed='0'", sweep_with(seed="0"), "seed"),
        ("seed=1.5", sweep_with(seed=1.5), "seed"),
        ("tracking=dict", lambda: local_sweep(small, lambda run: None, tracking={"use_wandb": False}), "tracking"),
        ("NaN first, then 2", scored(nan, 2.0), best_is(2.0)),
        ("inf when minimizing", scored(3.0, -inf), best_is(3.0)),
        ("every trial NaN", scored(nan, nan), "finite"),
        ("True as a score", scored(True, 2.0), "score"),
        ("numpy float32 score", scored(np.float32(0.5), 2.0), best_is(0.5)),
        ("string score", scored("0.5", 2.0), "score"),
        ("run_trials config without metric", proposals({"method": "grid", "parameters": {"x": {"values": [1]}}}), "metric"),
        ("run_trials config None", proposals(None), "config"),
        ("run_trials count=0", proposals(raw, count=0), lambda trials: trials == []),
        ("run_trials train_fn not callable", lambda: list(run_trials(raw, "train", 1, False)), "train_fn"),
        ("trials_to_stop without early_terminate", lambda: trials_to_stop(EXAMPLE, {"a": [{"final_loss": 1.0}]}), "early_terminate"),
        ("trials_to_stop histories=None", lambda: trials_to_stop(EARLY_STOP, None), "histories"),
        ("trials_to_stop rows not a list", lambda: trials_to_stop(EARLY_STOP, {"a": {"train/loss": 1.0}}), "histories"),
        ("launch(None)", lambda: launch(None, trial, count=1, project="p"), "sweep"),
        ("launch count=0", lambda: launch(EXAMPLE, trial, count=0, project="p"), "count"),
        ("launch function=None", lambda: launch(EXAMPLE, None, count=1, project="p"), "function"),
        ("launch project=''", lambda: launch(EXAMPLE, trial, count=1, project=""), "project"),
        ("trial with a misspelt key", lambda: trial({"lerning_rate": 0.1}), "lerning_rate"),
        ("trial('lr=0.1')", lambda: trial("lr=0.1"), "config"),
        ("train_trial(None)", lambda: train_trial(None), "run"),
        ("train_trial(NoRun) works", lambda: train_trial(NoRun({"epochs": 1})), lambda loss: math.isfinite(loss)),
    ]  # fmt: skip
