"""Bad input, generated, for snippets/artifacts.py: the checkpoint logger's `best`
against an independent computation for any goal word and any values (NaN, inf and None
included), and names and aliases against W&B's own validators."""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import pytest
import wandb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wandb.sdk.artifacts._validators import validate_aliases

from snippets.artifacts import CheckpointLogger, check_aliases, check_name
from snippets.init import GOALS, NoRun

QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=list(HealthCheck)
)
values = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5)
)
words = st.one_of(st.sampled_from(sorted(GOALS)), st.text(max_size=9), st.none())


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ckpt") / "model.pt"
    path.write_bytes(b"w")
    return path


@QUICK
@given(goal=words, logged=st.lists(values, max_size=8))
def test_best_is_the_best_finite_value_for_any_goal_word(checkpoint, goal, logged):
    try:
        checkpoints = CheckpointLogger(NoRun(), "model", "val/loss", goal=goal)
    except ValueError as error:
        assert goal not in GOALS
        assert str(error) == (
            f"goal={goal!r}: use one of 'min', 'minimize', 'max', 'maximize'"
        )
        return
    lower = GOALS[goal] == "min"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = [checkpoints.log(checkpoint, e, v) for e, v in enumerate(logged)]
    # The independent computation: running best over the finite values alone.
    best, expected = None, []
    for epoch, value in enumerate(logged):
        aliases = [f"epoch-{epoch}"]
        finite = value is not None and math.isfinite(value)
        if finite and (best is None or (value < best if lower else value > best)):
            best = value
            aliases.append("best")
        expected.append(aliases)
    assert got == expected
    assert checkpoints.best == best
    skipped = [v for v in logged if v is None or not math.isfinite(v)]
    assert len(caught) == len(skipped)


alias_text = st.text(st.sampled_from("ab/:v0123 -_."), max_size=6)


@QUICK
@given(aliases=st.one_of(st.lists(alias_text, max_size=3), alias_text, st.none()))
def test_check_aliases_agrees_with_wandb_and_refuses_version_aliases(aliases):
    if not isinstance(aliases, list):
        with pytest.raises(
            TypeError, match=r"pass a list of strings, e\.g\. \['best'\]"
        ):
            check_aliases(aliases)
        return
    try:
        got = check_aliases(aliases)
    except ValueError as error:
        assert str(error).startswith("alias ")
        bad = [
            a
            for a in aliases
            if not a or set(a) & set("/:") or re.fullmatch(r"v\d+", a)
        ]
        assert bad, f"refused {aliases}: {error}"
        return
    assert got == aliases
    validate_aliases(aliases)  # W&B takes every alias passed here
    assert not any(re.fullmatch(r"v\d+", a) or not a for a in aliases)


@QUICK
@given(name=st.text(st.sampled_from("aZ09-_. /:é"), max_size=6) | st.none())
def test_check_name_agrees_with_wandb(name):
    try:
        wandb.Artifact(name, type="dataset")
        wandb_takes = bool(name)
    except (ValueError, TypeError):
        wandb_takes = False
    if wandb_takes:
        assert check_name(name) == name
    else:
        with pytest.raises(ValueError, match="W&B takes 1 to 128 letters"):
            check_name(name)
