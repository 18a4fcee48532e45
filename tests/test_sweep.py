"""The sweep topic (snippets/sweep.py, docs/sweep.md): sweep configs and local sweeps.

The models are checked against what W&B's own engine and schema (the `sweeps` package) do
with the same input; the local sweeps run real offline runs and are read back. Creating a
sweep on a server is not tested: with no API key, the error it gives is.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import wandb
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from snippets.init import Hyperparams, NoRun, TrackingConfig, hparams_from_run, train
from snippets.readback import read_offline_run
from snippets.sweep import (
    EARLY_STOP,
    EXAMPLE,
    NEEDS_API_KEY,
    SWEEPS_MISSING,
    Hyperband,
    Metric,
    Param,
    SweepConfig,
    import_sweeps,
    launch,
    local_sweep,
    train_trial,
    trial,
    trials_to_stop,
    wandb_schema_problems,
)

REPO = Path(__file__).resolve().parent.parent
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # sweeps 0.3 trips a Pydantic warning on import
    import sweeps
    from sweeps.config.schema import fill_validate_metric


def offline_runs(root: Path) -> list[Path]:
    return sorted((root / "wandb").glob("offline-run-*"))


# --- the configuration: the dict, the YAML file, W&B's schema ---------------------------------


def test_example_is_the_dict_wandb_takes_and_the_yaml_file():
    expected = {
        "name": "linear-fit",
        "method": "bayes",
        "metric": {"name": "final_loss", "goal": "minimize"},
        "parameters": {
            "learning_rate": {
                "distribution": "log_uniform_values",
                "min": 1e-3,
                "max": 0.5,
            },
            "batch_size": {"values": [8, 16, 32]},
            "epochs": {"value": 5},
        },
        "run_cap": 20,
        "command": ["${env}", "${interpreter}", "-m", "snippets.sweep", "--trial"],
    }
    assert EXAMPLE.to_wandb() == expected
    assert wandb_schema_problems(expected) == []
    shipped = (REPO / "snippets" / "sweep.yaml").read_text()
    assert shipped == EXAMPLE.to_yaml(), "regenerate: python -m snippets.sweep --yaml"
    assert yaml.safe_load(shipped) == expected
    assert SweepConfig.model_validate(yaml.safe_load(shipped)) == EXAMPLE
    EXAMPLE.check_against(Hyperparams)


def test_every_kind_of_parameter_and_hyperband_pass_wandbs_schema():
    config = SweepConfig(
        method="random",
        metric=Metric(name="val/acc", goal="maximize"),
        parameters={
            "a": Param(value=1),
            "b": Param(values=["x", "y"], probabilities=[0.25, 0.75]),
            "c": Param(distribution="uniform", min=0, max=1),
            "d": Param(distribution="int_uniform", min=1, max=8),
            "e": Param(distribution="log_uniform_values", min=1e-5, max=1e-1),
            "f": Param(distribution="q_uniform", min=0, max=1, q=0.25),
            "g": Param(distribution="q_log_uniform_values", min=8, max=256, q=8),
        },
        early_terminate=Hyperband(min_iter=2, eta=2),
    ).to_wandb()
    assert config["parameters"]["c"] == {"distribution": "uniform", "min": 0, "max": 1}
    assert config["early_terminate"] == {"type": "hyperband", "min_iter": 2, "eta": 2.0}
    assert wandb_schema_problems(config) == []


def test_wandbs_schema_rejects_log_uniform_even_when_the_models_are_bypassed():
    raw = {"distribution": "log_uniform", "min": 1e-5, "max": 0.1}
    config = {"method": "random", "parameters": {"lr": raw}}
    message = (
        "lr uses log_uniform, where min/max specify base-e exponents. "
        "Use log_uniform_values to specify limit values."
    )
    assert wandb_schema_problems(config) == [message]
    bypassed = SweepConfig.model_construct(
        method="random", parameters={"lr": Param.model_construct(**raw)}
    )
    with pytest.raises(
        ValueError, match=r"W&B's sweep schema rejects this config: lr use"
    ):
        bypassed.to_wandb()


# --- what W&B's engine does with input the models reject ----------------------------------


def test_engine_reads_integer_bounds_without_distribution_as_int_uniform():
    config = {"method": "random", "parameters": {"dropout": {"min": 0, "max": 1}}}
    drawn = {sweeps.next_run(config, []).config["dropout"]["value"] for _ in range(40)}
    assert drawn == {0, 1}
    with pytest.raises(
        ValidationError, match="W&B reads integer bounds as int_uniform"
    ):
        SweepConfig.model_validate(config)


def test_engine_turns_an_unknown_goal_into_minimize():
    metric = {"name": "acc", "goal": "max"}
    filled = fill_validate_metric({"metric": metric})["metric"]
    assert filled["goal"] == "minimize"  # the engine minimizes accuracy, silently
    assert wandb_schema_problems(
        {"method": "bayes", "metric": metric, "parameters": {"x": {"values": [1]}}}
    ) == ["'max' is not one of ['minimize', 'maximize']"]
    # The model writes "max" and "min" as W&B's schema spells them, and refuses the rest.
    sweep = SweepConfig(
        method="bayes", metric=metric, parameters={"x": Param(values=[1])}
    )
    assert sweep.to_wandb()["metric"] == {"name": "acc", "goal": "maximize"}
    assert Metric(name="loss", goal="min").goal == "minimize"
    for word in ("MAX", "maximise", "ascending", None):
        with pytest.raises(
            ValidationError,
            match=rf"goal={word!r}: use one of 'min', 'minimize', 'max', 'maximize'",
        ):
            Metric(name="acc", goal=word)


def test_engine_accepts_bayes_without_metric_until_the_first_proposal():
    config = {
        "method": "bayes",
        "parameters": {"x": {"distribution": "uniform", "min": 0, "max": 1}},
    }
    assert wandb_schema_problems(config) == []
    with pytest.raises(ValueError, match='Bayesian search requires "metric" section'):
        sweeps.next_run(config, [])
    with pytest.raises(ValidationError, match="method='bayes' needs metric"):
        SweepConfig.model_validate(config)


def test_engine_grid_over_q_uniform_leaves_out_max():
    param = {"distribution": "q_uniform", "min": 0, "max": 1, "q": 0.5}
    config = {"method": "grid", "parameters": {"p": param}}
    runs, seen = [], []
    while (proposal := sweeps.next_run(config, runs)) is not None:
        seen.append(proposal.config["p"]["value"])
        runs.append(sweeps.SweepRun(config=proposal.config, state="finished"))
    assert seen == [0.0, 0.5]  # not 1.0
    with pytest.raises(ValidationError, match=r"leaves out max \(numpy.arange\)"):
        SweepConfig.model_validate(config)


# --- bad input: each error names the parameter and the fix --------------------------------


def bayes(**parameters: dict) -> dict:
    return {
        "method": "bayes",
        "metric": {"name": "loss", "goal": "minimize"},
        "parameters": parameters,
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"method": "bayesian", "parameters": {"x": {"values": [1]}}},
            "method\n  Input should be 'bayes', 'grid' or 'random'",
        ),
        (
            bayes(lr={"distribution": "log_uniform", "min": 1e-5, "max": 0.1}),
            "parameters.lr\n  Value error, distribution='log_uniform' reads min and "
            "max as base-e exponents (min=1e-5 samples near e**1e-5, about 1): use "
            "distribution='log_uniform_values' with the values themselves as min and max",
        ),
        (
            bayes(bs={"values": []}),
            "parameters.bs.values\n  List should have at least 1",
        ),
        (
            bayes(lr={"distribution": "uniform", "min": 0.1, "max": 0.01}),
            "parameters.lr\n  Value error, min 0.1 is not less than max 0.01",
        ),
        (
            bayes(lr={"distribution": "uniform", "min": 0.1, "max": 0.1}),
            "parameters.lr\n  Value error, min 0.1 is not less than max 0.1",
        ),
        (
            bayes(lr={"distribution": "uniform", "min": 0.1, "max": 1, "mean": 0.5}),
            "parameters.lr.mean\n  Extra inputs are not permitted",
        ),
        ({**bayes(x={"value": 1}), "metrics": []}, "metrics\n  Extra inputs"),
        (
            bayes(x={"value": 1}, y={"values": [1, 2]}, **{"bad name": {"value": 1}}),
            "parameter 'bad name': W&B takes letters, digits, _ . - and a first",
        ),
        (
            bayes(n={"distribution": "int_uniform", "min": 1.5, "max": 4}),
            "parameters.n\n  Value error, int_uniform needs integer min and max",
        ),
        (
            bayes(lr={"distribution": "log_uniform_values", "min": 0, "max": 0.1}),
            "parameters.lr\n  Value error, log_uniform_values needs min > 0",
        ),
        (
            bayes(x={"values": [1, 2], "value": 1}),
            "parameters.x\n  Value error, give exactly one of value (fixed), values",
        ),
        (
            bayes(x={"values": [1, 2], "probabilities": [0.5, 0.6]}),
            "parameters.x\n  Value error, probabilities sum to 1.1, not 1",
        ),
        (
            bayes(x={"distribution": "uniform", "min": 0, "max": 1, "q": 0.1}),
            "parameters.x\n  Value error, q is the step of q_uniform",
        ),
        (
            {
                "method": "bayes",
                "metric": {"name": "loss"},
                "parameters": {"x": {"values": [1, 2]}},
            },
            "metric.goal\n  Field required",
        ),
        (
            {"method": "random", "parameters": {}},
            "parameters\n  Dictionary should have at",
        ),
        (bayes(x={"value": 1}), "method='bayes' needs a parameter to search: all are"),
        (
            {
                "method": "grid",
                "parameters": {"x": {"distribution": "uniform", "min": 0, "max": 1}},
            },
            "parameter 'x': method='grid' takes value, values (no probabilities) or "
            "int_uniform, not uniform; use method='random' or 'bayes'",
        ),
        (
            {**bayes(x={"values": [1, 2]}), "early_terminate": {"type": "hyperband"}},
            "early_terminate needs min_iter, or max_iter and s",
        ),
        (
            {
                "method": "random",
                "parameters": {"x": {"values": [1, 2]}},
                "early_terminate": {"type": "hyperband", "min_iter": 1},
            },
            "early_terminate needs metric",
        ),
    ],
)
def test_bad_configs_are_rejected_with_the_parameter_and_the_fix(config, message):
    with pytest.raises(ValidationError) as caught:
        SweepConfig.model_validate(config)
    assert message in str(caught.value)


def test_check_against_the_model_catches_names_and_ranges_before_launch():
    typo = EXAMPLE.model_copy(
        update={
            "parameters": {**EXAMPLE.parameters, "lerning_rate": Param(values=[0.1])}
        }
    )
    with pytest.raises(
        ValueError,
        match=r"parameters \['lerning_rate'\] are not fields "
        r"of Hyperparams \(learning_rate, epochs, batch_size, seed\)",
    ):
        typo.check_against(Hyperparams)
    too_high = EXAMPLE.model_copy(
        update={
            "parameters": {
                "learning_rate": Param(
                    distribution="log_uniform_values", min=1e-3, max=2.0
                )
            }
        }
    )
    with pytest.raises(
        ValueError,
        match=r"^parameter 'learning_rate': log_uniform_values gives trials 1\.0005, "
        r"which Hyperparams\.learning_rate \(float\) rejects: Input should be less "
        r"than or equal to 1$",
    ):
        too_high.check_against(Hyperparams)


def one_param(**param: Any) -> SweepConfig:
    return SweepConfig(method="random", parameters={"epochs": Param(**param)})


@pytest.mark.parametrize(
    ("param", "drawn"),
    [
        ({"distribution": "uniform", "min": 1, "max": 10}, "uniform gives trials 5.5"),
        (
            {"distribution": "q_uniform", "min": 1, "max": 10, "q": 0.5},
            "q_uniform gives trials 1.5",
        ),
        (
            {"distribution": "log_uniform_values", "min": 1, "max": 10},
            "log_uniform_values gives trials 5.5",
        ),
        (
            {"distribution": "q_log_uniform_values", "min": 1, "max": 10, "q": 0.5},
            "q_log_uniform_values gives trials 1.5",
        ),
    ],
)
def test_float_distributions_for_an_int_field_are_refused(param, drawn):
    """Before: each passed check_against (min and max alone validate as ints), and
    the first trial failed in hparams_from_run."""
    with pytest.raises(ValueError) as caught:
        one_param(**param).check_against(Hyperparams)
    assert str(caught.value) == (
        f"parameter 'epochs': {drawn}, which Hyperparams.epochs (int) rejects: Input "
        "should be a valid integer, got a number with a fractional part: use "
        "int_uniform, or a q_ distribution with an int q"
    )
    # what the trial would have met: the engine's own draws fail the model
    config = one_param(**param).to_wandb()
    draws = [sweeps.next_run(config, []).config["epochs"]["value"] for _ in range(20)]
    with pytest.raises(ValidationError, match="epochs\n  Input should be a valid int"):
        for value in draws:
            Hyperparams.model_validate({"epochs": float(value)})


def test_int_steps_and_values_that_fit_pass_and_values_that_do_not_are_named():
    one_param(distribution="int_uniform", min=1, max=9).check_against(Hyperparams)
    one_param(distribution="q_uniform", min=2, max=10, q=2).check_against(Hyperparams)
    with pytest.raises(
        ValueError,
        match=r"^parameter 'epochs': values gives trials 'five', which "
        r"Hyperparams\.epochs \(int\) rejects: Input should be a valid integer",
    ):
        one_param(values=[5, "five"]).check_against(Hyperparams)
    # q_ distributions round the ends to q: min=1 with q=16 draws 0
    with pytest.raises(ValueError, match=r"gives trials 0, which Hyperparams\.epochs"):
        one_param(distribution="q_uniform", min=1, max=64, q=16).check_against(
            Hyperparams
        )
    with pytest.raises(TypeError, match=r"^model is a Hyperparams: pass the Pydantic"):
        EXAMPLE.check_against(Hyperparams())


def test_a_frozen_model_and_a_field_the_sweep_leaves_unset():
    class Frozen(BaseModel):
        model_config = ConfigDict(frozen=True)
        epochs: int
        depth: int

    with pytest.raises(
        ValueError,
        match=r"^Frozen\.depth \(int\): Field required: give it a default or a sweep",
    ):
        one_param(values=[1, 2]).check_against(Frozen)

    class Open(Frozen):
        depth: int = 2

    one_param(values=[1, 2]).check_against(Open)


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ({"min": math.nan}, "min=nan: give a finite number"),
        ({"max": math.inf}, "max=inf: give a finite number"),
        ({"min": -math.inf}, "min=-inf: give a finite number"),
        ({"distribution": "q_uniform", "q": math.nan}, "q=nan: give a finite number"),
        ({"distribution": "q_uniform", "q": 5}, "q=5 is wider than max - min (1)"),
    ],
)
def test_nan_and_infinite_bounds_are_refused(param, message):
    """W&B's schema accepts them; its engine then draws NaN trials, or one value."""
    raw = {"distribution": "uniform", "min": 0, "max": 1, **param}
    config = {"method": "random", "parameters": {"x": raw}}
    assert wandb_schema_problems(config) == []
    with pytest.raises(ValidationError) as caught:
        SweepConfig.model_validate(config)
    assert "parameters.x" in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ({"min": True}, "min=True: give a finite number"),
        ({"distribution": "q_uniform", "q": -1}, "q\n  Input should be greater than 0"),
        ({"distribution": "q_uniform", "q": 0}, "q\n  Input should be greater than 0"),
        ({"min": 2}, "min 2 is not less than max 1"),
    ],
)
def test_other_bounds_w_and_b_refuses_are_refused_here_first(param, message):
    with pytest.raises(ValidationError) as caught:
        Param(**{"distribution": "uniform", "min": 0, "max": 1, **param})
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ({"values": None}, "give exactly one of value (fixed), values (a list) or "),
        ({"distribution": None}, "got none"),
        ({"values": [0.1, math.nan]}, "values hold nan: a trial cannot train"),
        ({"value": math.inf}, "value hold inf: a trial cannot train"),
        ({"values": [np.float64(0.5)]}, "values hold a float64: use plain Python"),
        ({"values": [1, 2], "probabilities": [1.5, -0.5]}, "each must be from 0 to 1"),
    ],
)
def test_values_a_config_cannot_carry_are_refused(param, message):
    with pytest.raises(ValidationError) as caught:
        Param(**param)
    assert message in str(caught.value)


def test_a_nan_trial_is_never_the_best_and_is_reported():
    scores = iter([math.nan, 2.0, 3.0])

    def train_fn(run) -> None:
        run.summary["score"] = next(scores)

    sweep = SweepConfig(
        method="grid",
        metric=Metric(name="score", goal="maximize"),
        parameters={"x": Param(values=[1, 2, 3])},
    )
    with pytest.warns(UserWarning, match=r"^trial 1: score=nan, never the best$"):
        result = local_sweep(sweep, train_fn, tracking=TrackingConfig())
    assert [t.result for t in result.trials][1:] == [2.0, 3.0]
    assert result.best.number == 3


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"count": 0}, ValueError, "count=0: the most trials, 1 or more, or None"),
        ({"count": 1.5}, ValueError, "count=1.5: the most trials"),
        ({"count": True}, ValueError, "count=True: the most trials"),
        ({"seed": "0"}, TypeError, "seed='0': an int, or None"),
        ({"tracking": {}}, TypeError, "tracking is a dict: a TrackingConfig"),
    ],
)
def test_local_sweep_arguments_are_checked_first(kwargs, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}"):
        local_sweep(EXAMPLE, train_trial, **kwargs)


# --- local sweeps: W&B's engine, offline runs, read back ----------------------------------


class ToyParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    x: float = Field(ge=-2, le=2)
    lr: float = Field(gt=0)
    layers: int = Field(ge=1, le=4)
    dropout: float = Field(ge=0, le=0.5)
    width: int
    act: str
    seed: int


TOY = SweepConfig(
    name="toy",
    method="bayes",
    metric=Metric(name="score", goal="maximize"),
    parameters={
        "x": Param(distribution="uniform", min=-2.0, max=2.0),
        "lr": Param(distribution="log_uniform_values", min=1e-4, max=1e-1),
        "layers": Param(distribution="int_uniform", min=1, max=4),
        "dropout": Param(distribution="q_uniform", min=0.0, max=0.5, q=0.1),
        "width": Param(distribution="q_log_uniform_values", min=16, max=256, q=16),
        "act": Param(values=["relu", "gelu"]),
        "seed": Param(value=7),
    },
)


def toy_objective(run) -> None:
    """A score with its best at x=0.5, lr=1e-2, 4 layers, gelu: no training at all."""
    p = hparams_from_run(run, ToyParams)
    score = -((p.x - 0.5) ** 2) - abs(math.log10(p.lr) + 2) + 0.1 * p.layers
    run.log({"score": score + (0.2 if p.act == "gelu" else 0.0)})


def test_local_bayes_proposals_stay_in_the_declared_ranges(capsys):
    off = TrackingConfig(use_wandb=False)
    result = local_sweep(TOY, toy_objective, count=10, tracking=off)
    assert len(capsys.readouterr().out.splitlines()) == 10
    for t in result.trials:
        v = t.values
        assert -2 <= v["x"] <= 2 and 1e-4 <= v["lr"] <= 1e-1
        assert v["layers"] in {1, 2, 3, 4} and isinstance(v["layers"], int)
        assert 0 <= v["dropout"] <= 0.5
        assert v["dropout"] / 0.1 == pytest.approx(round(v["dropout"] / 0.1))
        assert 16 <= v["width"] <= 256 and v["width"] % 16 == 0
        assert v["act"] in {"relu", "gelu"} and v["seed"] == 7
    assert len({t.values["x"] for t in result.trials}) == 10  # no repeats
    assert result.best.result == max(t.result for t in result.trials)


@pytest.mark.slow
def test_local_bayes_sweep_reports_the_best_recorded_run(offline, tmp_path, capsys):
    result = local_sweep(TOY, toy_objective, count=4)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[:2] for line in lines] == [
        ["trial", f"{n}/4"] for n in range(1, 5)
    ]
    assert lines[0].endswith("(best so far: trial 1)")
    assert lines[-1].endswith(f"(best so far: trial {result.best.number})")

    with ThreadPoolExecutor() as pool:  # each read is a subprocess: read them at once
        runs = list(pool.map(read_offline_run, offline_runs(tmp_path)))
    assert all(run.state == "finished" for run in runs)
    recorded = {run.run_id: (run.config, run.summary["score"]) for run in runs}
    groups = {run.run_id: run.run_record["run_group"] for run in runs}
    assert recorded == {t.run_id: (t.values, t.result) for t in result.trials}
    best_recorded = max(recorded, key=lambda run_id: recorded[run_id][1])
    assert result.best.run_id == best_recorded
    assert groups[best_recorded] == "toy"  # grouped under the sweep's name


def test_local_sweep_with_the_training_function_reads_run_config(capsys):
    result = local_sweep(EXAMPLE, train_trial, count=3)
    for t in result.trials:
        hp = Hyperparams.model_validate(t.values)
        assert hp.epochs == 5 and 1e-3 <= hp.learning_rate <= 0.5
        assert t.result == train(hp, NoRun())  # the same fit, recomputed untracked
    assert result.best.result == min(t.result for t in result.trials)
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_local_sweep_is_repeatable_with_a_seed():
    first, second = (
        [t.values for t in local_sweep(EXAMPLE, train_trial, count=3).trials]
        for _ in range(2)
    )
    assert first == second


def test_grid_sweep_runs_every_combination_once_then_stops():
    grid = SweepConfig(
        name="grid",
        method="grid",
        metric=Metric(name="final_loss", goal="minimize"),
        parameters={
            "learning_rate": Param(values=[0.05, 0.2]),
            "batch_size": Param(distribution="int_uniform", min=15, max=17),
            "epochs": Param(value=2),
        },
    )
    off = TrackingConfig(use_wandb=False)
    result = local_sweep(grid, train_trial, tracking=off)  # no count: until exhausted
    combos = [
        (t.values["learning_rate"], t.values["batch_size"]) for t in result.trials
    ]
    assert sorted(combos) == sorted(itertools.product([0.05, 0.2], [15, 16, 17]))
    assert all(t.values["epochs"] == 2 for t in result.trials)
    assert len({t.run_id for t in result.trials}) == 6  # a run each, tracked or not
    assert len(local_sweep(grid, train_trial, count=4, tracking=off).trials) == 4
    assert len(local_sweep(grid, train_trial, count=50, tracking=off).trials) == 6


def test_local_sweep_needs_a_limit_and_a_recorded_metric():
    unbounded = EXAMPLE.model_copy(update={"run_cap": None})
    with pytest.raises(ValueError, match="method='bayes' never runs out: give count"):
        local_sweep(unbounded, train_trial)
    with pytest.raises(ValueError, match="trial 1 left no number under 'final_loss'"):
        local_sweep(EXAMPLE, lambda run: None, count=2)


def test_offline_key_in_run_summary_raises_so_the_sweep_uses_get(offline):
    """W&B 0.31's offline summary has no __contains__: `in` falls back to run.summary[0]."""
    with TrackingConfig(use_wandb=True).start() as run:
        run.summary["final_loss"] = 0.5
        with pytest.raises(KeyError, match="0"):
            "final_loss" in run.summary  # noqa: B015
        assert run.summary.get("final_loss") == 0.5 and run.summary.get("x") is None


# --- without the sweeps package, without wandb, without a server -------------------------


def test_without_sweeps_the_module_imports_and_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sweeps", None)  # as if not installed
    with pytest.raises(
        ModuleNotFoundError,
        match="^a local sweep needs W&B's sweep engine: pip install sweeps$",
    ):
        import_sweeps()
    with pytest.raises(ModuleNotFoundError, match="pip install sweeps"):
        local_sweep(EXAMPLE, train_trial, count=1)
    assert (
        wandb_schema_problems({"method": "nonsense"}) == []
    )  # no schema to check with
    assert EXAMPLE.to_wandb()["method"] == "bayes"


def test_without_sweeps_main_says_so_and_trains_once(run_python):
    code = """
import sys
sys.modules["sweeps"] = None
from snippets.sweep import main
print(main([]))
"""
    done = run_python("-c", code, mode="disabled")
    expected = train(Hyperparams(epochs=5), NoRun())
    assert done.stdout.splitlines() == [
        f"{SWEEPS_MISSING}; meanwhile, one trial with the default values",
        str(expected),
    ]


def test_training_function_runs_without_wandb_installed(run_python):
    code = """
from snippets.sweep import trial
print(trial({"learning_rate": 0.2, "epochs": 3, "batch_size": 8}))
"""
    done = run_python("-c", code, wandb_installed=False)
    expected = train(Hyperparams(learning_rate=0.2, epochs=3, batch_size=8), NoRun())
    assert done.stdout.strip() == str(expected)
    assert "Traceback" not in done.stderr


def test_trial_offline_records_the_given_values(offline):
    loss = trial({"learning_rate": 0.2, "epochs": 3, "batch_size": 8})
    recorded = offline()
    assert recorded.config == {
        "learning_rate": 0.2,
        "epochs": 3,
        "batch_size": 8,
        "seed": 0,
    }
    assert recorded.summary["final_loss"] == loss


def test_wandb_sweep_and_agent_need_an_api_key_even_when_disabled():
    config = EXAMPLE.to_wandb()
    with pytest.raises(wandb.errors.UsageError, match="^No API key configured"):
        wandb.sweep(config, project="p")
    with pytest.raises(wandb.errors.UsageError, match="^No API key configured"):
        wandb.agent("abc123", function=trial, project="p", count=1)
    with pytest.raises(wandb.errors.UsageError) as caught:
        launch(EXAMPLE, trial, count=1, project="p")
    assert str(caught.value) == NEEDS_API_KEY
    assert (
        str(caught.value.__cause__)
        == "No API key configured. Use `wandb login` to log in."
    )


# --- A trial that seeds numpy's global generator -------------------------------------

SEEDED = SweepConfig(
    method="bayes",
    metric=Metric(name="score", goal="minimize"),
    parameters={"x": Param(distribution="uniform", min=0.0, max=1.0)},
)


def seeding_trial(run) -> None:
    """What Lightning's seed_everything does to numpy, then a score."""
    import numpy

    numpy.random.seed(0)
    run.summary["score"] = (run.config["x"] - 0.3) ** 2


def test_engine_repeats_its_proposals_when_numpy_is_reseeded_between_them():
    import numpy

    config, done = SEEDED.to_wandb(), []
    for _ in range(4):
        numpy.random.seed(0)  # as a trial's seed_everything leaves it
        proposal = sweeps.next_run(config, done)
        x = proposal.config["x"]["value"]
        summary = {"score": (x - 0.3) ** 2}
        done.append(
            sweeps.SweepRun(
                config=proposal.config, state="finished", summary_metrics=summary
            )
        )
    xs = [run.config["x"]["value"] for run in done]
    assert len(set(xs)) < len(xs)  # at least two trials with the very same x


def test_a_trial_that_seeds_numpy_still_gets_new_proposals(capsys):
    result = local_sweep(SEEDED, seeding_trial, count=4, tracking=TrackingConfig())
    xs = [t.values["x"] for t in result.trials]
    assert len(set(xs)) == 4, xs
    # and the sweep stays repeatable: the same seed, the same proposals
    again = local_sweep(SEEDED, seeding_trial, count=4, tracking=TrackingConfig())
    assert [t.values["x"] for t in again.trials] == xs


# --- Early termination: Hyperband, from what the trials logged ------------------------


def test_hyperband_config_passes_wandbs_schema_and_the_yaml_round_trips():
    config = EARLY_STOP.to_wandb()
    assert wandb_schema_problems(config) == []
    assert config["early_terminate"] == {"type": "hyperband", "min_iter": 3, "eta": 3.0}
    assert yaml.safe_load(EARLY_STOP.to_yaml()) == config


class RowsRun(NoRun):
    """A run with tracking off that keeps every logged row, as W&B's history does."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[dict] = []

    def log(self, data: dict, step: int | None = None, commit=None) -> None:
        super().log(data, step)
        self.rows.append(dict(data))


def test_hyperband_stops_the_trailing_trial_from_what_an_offline_run_logged(
    offline,
):
    # Three trials, three epochs each (Hyperband's first judgement, min_iter=3); the
    # trailing one runs offline, and its recorded history is what Hyperband reads.
    trial({"learning_rate": 0.002, "epochs": 3})
    slow = offline().history
    assert [row["train/loss"] for row in slow] == pytest.approx(
        [4.5374, 4.4395, 4.3444], abs=1e-4
    )
    histories = {"slow": slow}
    for name, rate in [("middle", 0.05), ("fast", 0.3)]:
        run = RowsRun()
        train(Hyperparams(learning_rate=rate, epochs=3), run)
        histories[name] = run.rows
    assert trials_to_stop(EARLY_STOP, histories) == ["slow"]
    # After two epochs there is nothing to judge yet.
    early = {n: rows[:2] for n, rows in histories.items()}
    assert trials_to_stop(EARLY_STOP, early) == []
    # A trial that records its metric only in the summary gives Hyperband nothing.
    summary_only = {
        n: [{"final_loss": rows[-1]["train/loss"]}] for n, rows in histories.items()
    }
    summary_config = EARLY_STOP.model_copy(
        update={"metric": Metric(name="final_loss", goal="minimize")}
    )
    assert trials_to_stop(summary_config, summary_only) == []
