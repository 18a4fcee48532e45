"""Bad input, generated, for the sweep topic (snippets/sweep.py): a parameter's bounds,
a goal word, and a distribution checked against the trial's model. Each input is
either refused with an error that names what is wrong, or accepted and then agrees with
W&B's own schema and engine (the `sweeps` package)."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError

from snippets.init import GOALS
from snippets.sweep import Metric, Param, SweepConfig, wandb_schema_problems

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # sweeps 0.3 trips a Pydantic warning on import
    import sweeps

QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
bounds = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 300),
    st.booleans(),
    st.none(),
)
distributions = st.sampled_from(
    [
        "uniform",
        "int_uniform",
        "log_uniform_values",
        "q_uniform",
        "q_log_uniform_values",
    ]
)


@QUICK
@given(distribution=distributions, low=bounds, high=bounds, q=bounds)
def test_a_param_is_refused_or_is_one_wandbs_schema_accepts(distribution, low, high, q):
    raw = {"distribution": distribution, "min": low, "max": high, "q": q}
    raw = {k: v for k, v in raw.items() if v is not None}
    try:
        param = Param(**raw)
    except ValidationError as error:
        where = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
        text = str(error)
        assert where <= {"min", "max", "q"}
        assert where or any(
            words in text
            for words in (
                "needs both min and max",
                "is not less than max",
                "int_uniform",
            )
            + ("needs min > 0", "q is the step", "is wider than max - min")
        ), text
        return
    # an independent check of what was accepted: finite numbers, in order, and a
    # config W&B's schema finds nothing wrong with
    numbers = [v for v in (param.min, param.max, param.q) if v is not None]
    assert all(math.isfinite(v) and not isinstance(v, bool) for v in numbers)
    assert param.min < param.max
    config = {"method": "random", "parameters": {"x": param.to_wandb()}}
    assert wandb_schema_problems(config) == []


@QUICK
@given(
    goal=st.one_of(
        st.sampled_from([*GOALS, "MAX", "Minimize", ""]), st.text(max_size=8)
    )
)
def test_a_goal_is_a_word_w_and_b_takes_written_as_its_schema_spells_it(goal):
    try:
        metric = Metric(name="loss", goal=goal)
    except ValidationError as error:
        assert goal not in GOALS
        assert "use one of 'min', 'minimize', 'max', 'maximize'" in str(error)
        return
    assert metric.goal == {"min": "minimize", "max": "maximize"}[GOALS[goal]]
    sweep = SweepConfig(
        method="bayes", metric=metric, parameters={"x": Param(values=[1])}
    )
    assert wandb_schema_problems(sweep.to_wandb()) == []


class Trial(BaseModel):
    layers: int = Field(ge=1, le=64)


@QUICK
@given(
    distribution=distributions,
    low=st.integers(1, 40),
    span=st.integers(1, 40),
    q=st.one_of(st.none(), st.sampled_from([0.5, 1, 2, 2.5, 4])),
)
def test_check_against_refuses_or_every_draw_of_the_engine_validates(
    distribution, low, span, q
):
    if q is not None and not distribution.startswith("q_"):
        q = None
    raw = {"distribution": distribution, "min": low, "max": low + span, "q": q}
    try:
        sweep = SweepConfig(
            method="random",
            parameters={"layers": Param(**{k: v for k, v in raw.items() if v})},
        )
    except ValidationError:
        return  # a param refused on its own: the test above
    try:
        sweep.check_against(Trial)
    except ValueError as error:
        assert str(error).startswith("parameter 'layers': "), error
        assert "Trial.layers (int) rejects" in str(error)
        return
    config = sweep.to_wandb()
    for _ in range(10):  # W&B's engine, as the trials would get them
        value = sweeps.next_run(config, []).config["layers"]["value"]
        Trial.model_validate(
            {"layers": value.item() if hasattr(value, "item") else value}
        )


@pytest.mark.parametrize("distribution", ["uniform", "log_uniform_values"])
def test_a_continuous_distribution_is_refused_for_an_int_field(distribution):
    sweep = SweepConfig(
        method="random",
        parameters={"layers": Param(distribution=distribution, min=1, max=8)},
    )
    with pytest.raises(ValueError, match="Trial.layers \\(int\\) rejects"):
        sweep.check_against(Trial)
