"""Bad and edge input for snippets/metrics.py beyond tests/badinput_survey.py's own
metrics cases: gradient norms of adversarially named layers, learning rates, the
logger's steps and rows, the evaluation table."""

from __future__ import annotations

import math
import types
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

Case = tuple[str, Callable[[], Any], Any]


def backward(model: nn.Module, features: int = 4) -> nn.Module:
    """The model after one backward() on a fixed batch."""
    torch.manual_seed(0)
    model(torch.randn(3, features)).square().sum().backward()
    return model


def named(**layers: nn.Module) -> nn.Module:
    return nn.Sequential(OrderedDict(layers))


class RootParam(nn.Module):
    """A parameter of the model itself named `name`, beside a layer."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.layer = nn.Linear(4, 4)
        self.register_parameter(name, nn.Parameter(torch.ones(4)))
        self.name = name

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer(x) * getattr(self, self.name)


def norms_by_hand(model: nn.Module) -> list[float]:
    """The global norm and each layer's, computed apart from the guide (float64)."""
    layers: dict[str, float] = {}
    for name, param in model.named_parameters():
        if param.grad is not None:
            layer = name.rpartition(".")[0] or name
            squares = param.grad.double().square().sum().item()
            layers[layer] = layers.get(layer, 0.0) + squares
    return sorted(math.sqrt(v) for v in [sum(layers.values()), *layers.values()])


def every_norm_kept(model: nn.Module) -> Callable[[Any], bool]:
    """The result holds the global norm and one per layer, none overwritten."""
    expected = norms_by_hand(model)

    def check(norms: Any) -> bool:
        got = sorted(norms.values())
        return len(got) == len(expected) and all(
            math.isclose(a, b, rel_tol=1e-5) for a, b in zip(got, expected, strict=True)
        )

    return check


def cases(root: Path) -> list[Case]:
    from snippets.init import NoRun
    from snippets.metrics import (
        StepLogger,
        define_metrics,
        grad_norms,
        is_nonfinite,
        learning_rates,
        log_eval_table,
        log_finite,
        train_row,
    )

    def linear() -> nn.Module:
        return backward(nn.Linear(4, 2))

    def sgd(*groups: dict[str, Any], lr: Any = 0.1) -> torch.optim.Optimizer:
        return torch.optim.SGD(list(groups), lr=lr)

    def group(name: Any = None, lr: Any = None) -> dict[str, Any]:
        out: dict[str, Any] = {"params": [nn.Parameter(torch.zeros(1))]}
        if name is not None:
            out["name"] = name
        if lr is not None:
            out["lr"] = lr
        return out

    def logged_at(*steps: Any) -> Callable[[], Any]:
        def call() -> Any:
            logger = StepLogger(NoRun())
            for step in steps:
                logger.log_step(lambda: {"x": 1.0}, step=step)
            return logger

        return call

    def row_logged(row: Any) -> Callable[[], Any]:
        def call() -> Any:
            run = NoRun()
            StepLogger(run).log_now(row)
            return run.summary

        return call

    total = backward(named(total=nn.Linear(4, 4), out=nn.Linear(4, 2)))
    nested = backward(
        named(total=named(total=nn.Linear(4, 4)), grad_norm=nn.Linear(4, 2))
    )
    slash = nn.Module()
    slash.add_module("total/x", nn.Linear(4, 4))
    slash.add_module("total", nn.Linear(4, 4))
    slash.forward = lambda x: slash.get_submodule("total")(
        slash.get_submodule("total/x")(x)
    )
    backward(slash)
    root_total = backward(RootParam("total"))
    frozen = named(a=nn.Linear(4, 4), b=nn.Linear(4, 2))
    frozen.a.requires_grad_(False)
    backward(frozen)
    nan_grad = linear()
    nan_grad.weight.grad[0, 0] = math.nan
    sparse = nn.Embedding(10, 3, sparse=True)
    sparse(torch.tensor([1, 2])).sum().backward()

    probs = torch.tensor([[0.9, 0.1], [0.2, 0.8]])
    loss = torch.tensor(0.5)
    model, opt = linear(), sgd(group("all"))
    nan_probs = probs.clone()
    nan_probs[0, 0] = math.nan

    return [
        *reported_cases(),
        # grad_norms: the global norm never shares a key with a layer
        ("grad_norms, a layer named total", lambda: grad_norms(total), every_norm_kept(total)),
        ("grad_norms, nested total and grad_norm", lambda: grad_norms(nested), every_norm_kept(nested)),
        ("grad_norms, layers total/x and total", lambda: grad_norms(slash), every_norm_kept(slash)),
        ("grad_norms, a root parameter named total", lambda: grad_norms(root_total), every_norm_kept(root_total)),
        ("grad_norms, a frozen layer", lambda: grad_norms(frozen), every_norm_kept(frozen)),
        ("grad_norms, a sparse gradient", lambda: grad_norms(sparse), every_norm_kept(sparse)),
        ("grad_norms, a NaN gradient", lambda: grad_norms(nan_grad), lambda n: len(n) == 3 and sum(map(math.isnan, n.values())) == 2),
        ("grad_norms, before backward", lambda: grad_norms(nn.Linear(2, 2)), lambda n: n == {}),
        ("grad_norms(None)", lambda: grad_norms(None), "model"),
        ("grad_norms(state_dict)", lambda: grad_norms(linear().state_dict()), "model"),
        ("grad_norms(optimizer)", lambda: grad_norms(opt), "model"),
        ("grad_norms(parameters())", lambda: grad_norms(linear().parameters()), "model"),
        # learning_rates
        ("learning_rates(None)", lambda: learning_rates(None), "optimizer"),
        ("learning_rates(model)", lambda: learning_rates(model), "optimizer"),
        ("learning_rates(scheduler)", lambda: learning_rates(torch.optim.lr_scheduler.StepLR(sgd(group()), 1)), "optimizer"),
        ("group name 0 and group index 0", lambda: learning_rates(sgd(group(), group(name=0))), "named"),
        ("group named ''", lambda: learning_rates(sgd(group(name=""))), "name"),
        ("group named None", lambda: learning_rates(sgd({**group(), "name": None})), "name"),
        ("a tensor learning rate", lambda: learning_rates(sgd(group(), lr=torch.tensor(0.1))), lambda r: type(r["lr/0"]) is float and math.isclose(r["lr/0"], 0.1, rel_tol=1e-6)),
        ("a group with no lr", lambda: learning_rates(types.SimpleNamespace(param_groups=[{"params": []}])), "optimizer"),
        # StepLogger: steps and rows
        ("start=True", lambda: StepLogger(NoRun(), start=True), "start"),
        ("start=np.int64(5)", lambda: StepLogger(NoRun(), start=np.int64(5)), lambda lg: lg.step == 5),
        ("every=np.int64(2)", lambda: StepLogger(NoRun(), every=np.int64(2)), lambda lg: lg.every == 2),
        ("every=2.0", lambda: StepLogger(NoRun(), every=2.0), "every"),
        ("StepLogger(wandb module)", lambda: StepLogger(types.ModuleType("wandb")), "run"),
        ("StepLogger(a module with log)", lambda: StepLogger(math), "run"),
        ("step=1.5", logged_at(1.5), "step"),
        ("step='3'", logged_at("3"), "step"),
        ("step=True", logged_at(True), "step"),
        ("step=np.int64(3)", logged_at(np.int64(3)), lambda lg: lg.step == 4 and type(lg.step) is int),
        ("step=-1 on a fresh logger", logged_at(-1), "step"),
        ("step goes back 5 -> 3", logged_at(5, 3), "step"),
        ("make_row is a dict", lambda: StepLogger(NoRun()).log_step({"x": 1.0}), "make_row"),
        ("make_row returns None", lambda: StepLogger(NoRun()).log_step(lambda: None), "dict"),
        ("row key an int", row_logged({1: 0.5}), "key"),
        ("row key a tuple", row_logged({("a", "b"): 0.5}), "key"),
        ("row key empty", row_logged({"": 0.5}), "key"),
        ("an empty row", row_logged({}), lambda s: s == {}),
        ("a row of None", row_logged(None), "dict"),
        ("a row with a None value", row_logged({"x": None}), lambda s: s == {"x": None}),
        # log_finite and is_nonfinite
        ("log_finite(None, row)", lambda: log_finite(None, {"x": 1.0}, 0), "run"),
        ("log_finite(run, list)", lambda: log_finite(NoRun(), [("x", 1.0)], 0), "row"),
        ("is_nonfinite('nan')", lambda: is_nonfinite("nan"), lambda r: r is False),
        ("is_nonfinite(bfloat16 inf)", lambda: is_nonfinite(torch.tensor(math.inf, dtype=torch.bfloat16)), lambda r: r is True),
        ("is_nonfinite(float16 nan)", lambda: is_nonfinite(np.float16("nan")), lambda r: r is True),
        ("is_nonfinite(-inf)", lambda: is_nonfinite(-math.inf), lambda r: r is True),
        # define_metrics, train_row
        ("define_metrics(None)", lambda: define_metrics(None), "run"),
        ("train_row(loss float)", lambda: train_row(0.5, model, opt), lambda r: r["train/loss"] == 0.5),
        ("train_row(loss of 3 values)", lambda: train_row(torch.ones(3), model, opt), "loss"),
        ("train_row(loss None)", lambda: train_row(None, model, opt), "loss"),
        ("train_row(model None)", lambda: train_row(loss, None, opt), "model"),
        ("train_row(optimizer None)", lambda: train_row(loss, model, None), "optimizer"),
        # log_eval_table: the same checks with tracking off
        ("eval table, 1-D probs", lambda: log_eval_table(NoRun(), [0, 1], probs[:, 0]), "probs"),
        ("eval table, 3 labels for 2 rows", lambda: log_eval_table(NoRun(), [0, 1, 1], probs), "labels"),
        ("eval table, logits not probs", lambda: log_eval_table(NoRun(), [0, 1], probs * 10 - 5), "probs"),
        ("eval table, NaN probs (a diverged model)", lambda: log_eval_table(NoRun(), [0, 1], nan_probs), lambda r: r is None),
        ("eval table, label 5 of 2 classes", lambda: log_eval_table(NoRun(), [0, 5], probs), "labels"),
        ("eval table, float labels", lambda: log_eval_table(NoRun(), [0.0, 1.0], probs), "labels"),
        ("eval table, run None", lambda: log_eval_table(None, [0, 1], probs), "run"),
    ]  # fmt: skip


def reported_cases() -> list[Case]:
    """The cases the bad-input report itself listed, kept as it gave them."""
    from decimal import Decimal

    import torch

    from snippets.init import NoRun
    from snippets.metrics import StepLogger

    def counted(value: Any) -> Callable[[], Any]:
        def call() -> Any:
            logger = StepLogger(NoRun())
            logger.log_now({"loss": value})
            return logger

        return call

    def own_key() -> Any:
        logger = StepLogger(NoRun())
        logger.log_now({"loss": float("nan"), "nonfinite/loss": 7})
        return logger

    def log_none() -> Any:
        StepLogger(None).log_now({"x": 1})

    nan = float("nan")
    return [
        ("every=1.5", lambda: StepLogger(NoRun(), every=1.5), "every"),
        ("every=nan", lambda: StepLogger(NoRun(), every=nan), "every"),
        ("every='2'", lambda: StepLogger(NoRun(), every="2"), "every"),
        ("StepLogger(None)", lambda: StepLogger(None), "run"),
        ("StepLogger(None) logs", log_none, "run"),
        ("row not a dict", lambda: StepLogger(NoRun()).log_now([1]), "dict"),
        *(
            (f"NaN as {name}", counted(value), lambda lg: lg.nonfinite["loss"] == 1)
            for name, value in [
                ("0-d tensor", torch.tensor(nan)),
                ("1-elem tensor", torch.tensor([nan])),
                ("0-d array", np.array(nan)),
                ("1-D array", np.array([np.inf])),
                ("numpy scalar", np.float32(nan)),
                ("nested dict", {"inner": nan}),
                ("Decimal", Decimal("nan")),
                ("10**400", 10**400),
            ]
        ),
        ("own nonfinite/ key", own_key, "nonfinite/"),
    ]
