"""Bad input, generated, for the metrics helpers test_bad_input.py leaves out: gradient
norms of layers with any names, learning rates of any param groups, the logger's steps
and row keys, the evaluation table. Each result is checked against an independent
computation, or the error names the argument."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from snippets.init import NoRun
from snippets.metrics import StepLogger, grad_norms, learning_rates, log_eval_table

QUICK = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
layer_names = st.text(  # not an attribute nn.Module has already ("to", "train")
    alphabet=st.sampled_from("abtotalgrd_/-0"), min_size=1, max_size=8
).filter(lambda name: "." not in name and not hasattr(nn.Module, name))


@QUICK
@given(
    names=st.lists(layer_names, min_size=1, max_size=4, unique=True),
    seed=st.integers(0, 9),
)
def test_grad_norms_hold_the_global_norm_and_every_layers_apart(names, seed):
    model = nn.Module()
    for name in names:
        model.add_module(name, nn.Linear(3, 3))
    torch.manual_seed(seed)
    x = torch.randn(2, 3)
    sum(model.get_submodule(n)(x).square().sum() for n in names).backward()
    norms = grad_norms(model)
    assert set(norms) == {"grad_norm", *(f"grad_norm/{n}" for n in names)}
    by_hand = {
        n: math.sqrt(
            sum(
                p.grad.double().square().sum().item()
                for p in model.get_submodule(n).parameters()
            )
        )
        for n in names
    }
    for name, value in by_hand.items():
        assert norms[f"grad_norm/{name}"] == pytest.approx(value, rel=1e-5)
    total = math.sqrt(sum(v * v for v in by_hand.values()))
    assert norms["grad_norm"] == pytest.approx(total, rel=1e-5)


@QUICK
@given(
    model=st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=3),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    )
)
def test_grad_norms_of_what_is_not_a_module_is_a_named_error(model):
    with pytest.raises(
        TypeError, match=rf"^model is a {type(model).__name__}: pass the nn.Module$"
    ):
        grad_norms(model)


group_names = st.one_of(st.none(), st.text(max_size=3), st.integers(-1, 2))


@QUICK
@given(
    names=st.lists(group_names, min_size=1, max_size=4),
    rates=st.lists(st.floats(1e-6, 1.0), min_size=4, max_size=4),
)
def test_learning_rates_are_one_key_a_group_or_a_named_error(names, rates):
    groups = []
    for i, name in enumerate(names):
        group = {"params": [nn.Parameter(torch.zeros(1))], "lr": rates[i]}
        if name is not None:
            group["name"] = name
        groups.append(group)
    keys = [str(i) if name is None else name for i, name in enumerate(names)]
    try:
        got = learning_rates(torch.optim.SGD(groups))
    except ValueError as error:
        seen, first = set(), None  # the first group that fails decides the message
        for key in keys:
            if not isinstance(key, str) or not key:
                first = "param group "
            elif key in seen:
                first = "two param groups"
            if first:
                break
            seen.add(key)
        assert first is not None and str(error).startswith(first), str(error)
        return
    assert all(isinstance(k, str) and k for k in keys) and len(set(keys)) == len(keys)
    assert got == {f"lr/{k}": rates[i] for i, k in enumerate(keys)}


steps = st.one_of(
    st.integers(-3, 20),
    st.floats(-1, 20),
    st.booleans(),
    st.text(max_size=2),
    st.just(np.int64(7)),
)


@QUICK
@given(given_steps=st.lists(steps, min_size=1, max_size=4))
def test_log_step_takes_only_steps_that_are_ints_and_go_forward(given_steps):
    logger = StepLogger(NoRun())
    last = 0
    for step in given_steps:
        try:
            logger.log_step(lambda: {"x": 1.0}, step=step)
        except ValueError as error:
            ok = isinstance(step, int | np.integer) and not isinstance(step, bool)
            assert not ok or step < 0 or step < last, (step, last, error)
            assert f"step={step!r}" in str(error)
            return
        assert isinstance(step, int | np.integer) and not isinstance(step, bool)
        assert step >= last
        last = int(step) + 1
        assert logger.step == last and type(logger.step) is int


keys = st.one_of(st.text(max_size=4), st.integers(), st.tuples(st.text(max_size=1)))


@QUICK
@given(
    row=st.dictionaries(
        keys, st.floats(allow_nan=False, allow_infinity=False), max_size=4
    )
)
def test_a_row_key_is_a_non_empty_string_or_a_named_error(row):
    run = NoRun()
    try:
        StepLogger(run).log_now(row)
    except TypeError as error:
        assert any(not isinstance(k, str) or not k for k in row)
        assert str(error).startswith("row key ")
        return
    assert all(isinstance(k, str) and k for k in row)
    assert run.summary == row


@QUICK
@given(
    n=st.integers(0, 4),
    classes=st.integers(1, 3),
    scale=st.sampled_from([1.0, 5.0, -1.0]),
    label_shift=st.integers(0, 3),
)
def test_the_eval_table_takes_probabilities_and_class_ids_only(
    n, classes, scale, label_shift
):
    probs = torch.rand(n, classes, generator=torch.Generator().manual_seed(n)) * scale
    labels = [(i + label_shift) for i in range(n)]
    try:
        log_eval_table(NoRun(), labels, probs)
    except ValueError as error:
        message = str(error)
        out_of_range = bool(((probs < 0) | (probs > 1)).any())
        bad_label = any(lb >= classes for lb in labels)
        assert out_of_range or bad_label, message
        assert message.startswith(
            ("probs must be in [0, 1]", "labels must be class ids")
        )
        return
    assert not ((probs < 0) | (probs > 1)).any() and all(lb < classes for lb in labels)
