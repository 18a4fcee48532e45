"""Bad input, generated, for snippets/registry.py: the version `choose_version` picks
against an independent computation for any goal word and any recorded values, and
registry targets of any shape: accepted as built, or refused with the guide's error."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snippets.init import GOALS
from snippets.registry import check_target, choose_version, registry_path

QUICK = settings(
    max_examples=100, deadline=None, suppress_health_check=list(HealthCheck)
)
recorded = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-3, 3),
    st.text(max_size=3),
)
words = st.one_of(st.sampled_from(sorted(GOALS)), st.text(max_size=9), st.none())


def expected_choice(values: dict[int, object], lower: bool) -> str | None:
    """By hand: the best finite number (not a bool); a tie goes to the newest."""
    numbers = {
        n: v for n, v in values.items() if type(v) in (int, float) and math.isfinite(v)
    }
    if not numbers:
        return None
    best = (min if lower else max)(numbers.values())
    return f"v{max(n for n, v in numbers.items() if v == best)}"


@QUICK
@given(
    goal=words,
    values=st.dictionaries(st.integers(0, 12), recorded, max_size=6),
    absent=st.sets(st.integers(13, 15), max_size=2),
)
def test_choose_version_agrees_with_a_computation_by_hand(goal, values, absent):
    versions = {f"v{n}": {"epoch": n, "m": v} for n, v in values.items()}
    versions |= {f"v{n}": {"epoch": n} for n in absent}  # the metric not recorded
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = choose_version(versions, "m", goal)
    except ValueError as error:
        if goal not in GOALS:
            assert str(error).startswith(f"goal={goal!r}: use one of 'min'")
            return
        assert expected_choice(values, GOALS[goal] == "min") is None
        assert str(error).startswith("no version records the metric 'm'")
        assert str(error).endswith(f"(versions: {', '.join(versions) or 'none'})")
        return
    assert got == expected_choice(values, GOALS[goal] == "min")
    passed_over = len(versions) - len(
        [v for v in values.values() if type(v) in (int, float) and math.isfinite(v)]
    )
    assert len(caught) == (1 if passed_over else 0)


segment = st.text(st.sampled_from("ab-_.%:/ "), max_size=5)


@QUICK
@given(
    target=st.one_of(segment.map(lambda s: f"wandb-registry-{s}"), segment, st.none())
)
def test_a_target_of_any_shape_is_accepted_as_built_or_refused_here(target):
    try:
        got = check_target(target)
    except ValueError as error:  # the guide's own: it names the target or the part
        assert str(error).startswith((repr(target), "registry name", "artifact name"))
        return
    *org, project, collection = got.split("/")
    assert got == target and len(org) <= 1
    assert (
        registry_path(collection, project.removeprefix("wandb-registry-"), *org)
        == target
    )


@QUICK
@given(collection=st.text(st.sampled_from("ab-_. /"), max_size=5) | st.none())
def test_registry_path_builds_the_target_or_names_the_collection(collection):
    try:
        got = registry_path(collection)
    except ValueError as error:
        assert "collection" in str(error) or "artifact name" in str(error)
        return
    assert got == f"wandb-registry-model/{collection}" and collection
    with pytest.raises(ValueError):
        check_target(f"{got}:latest")
