"""The metrics topic (snippets/metrics.py, docs/metrics.md): logging training metrics.

Offline tests read back what W&B recorded; a few tests pin down W&B's own behaviour that the
page explains (steps that go backwards, commit, NaN in summaries), so a new wandb release that
changes it fails here first.
"""

from __future__ import annotations

import json
import math
import re
import sys
import warnings
from decimal import Decimal

import numpy as np
import pytest
import torch
import wandb

from snippets.init import NoRun, TrackingConfig
from snippets.metrics import (
    StepLogger,
    TrainParams,
    batches,
    define_metrics,
    grad_norms,
    learning_rates,
    log_eval_table,
    main,
    make_data,
    make_model,
    make_optimizer,
    make_scheduler,
    train,
    train_epoch,
    train_row,
)
from snippets.readback import read_offline_run

ON = TrackingConfig(use_wandb=True)
TRAIN_KEYS = {"train/loss", "grad_norm", "grad_norm/hidden", "grad_norm/out"}
LR_KEYS = {"lr/hidden", "lr/out"}
VAL_KEYS = {"val/loss", "val/acc", "epoch"}
STEPS = 48  # TrainParams(): 192 examples / batch 16 = 12 steps an epoch, 4 epochs


def keys(row: dict) -> set[str]:
    """A history row's own keys: no W&B bookkeeping (_step, ...), tables as one key."""
    return {k.split(".")[0] for k in row if not k.startswith("_")}


def expected_learning_rates(hp: TrainParams) -> dict[int, list[float]]:
    """The rates the scheduler sets for each step, replayed apart from the training loop."""
    optimizer = make_optimizer(make_model(), hp)
    scheduler = make_scheduler(optimizer, STEPS)
    rates = {}
    for step in range(STEPS):
        rates[step] = scheduler.get_last_lr()
        optimizer.step()
        scheduler.step()
    return rates


# --- offline: what one training run records --------------------------------------------------


def test_offline_training_records_rows_rates_and_best_values(offline):
    hp = TrainParams()
    results = main(ON, hp)
    recorded = offline()
    assert recorded.state == "finished"

    # One row per logged step: train rows every 4 steps, an evaluation row after each epoch
    # (12, 24, 36, 48) merged into the train row logged at the same step.
    rows = {row["_step"]: keys(row) for row in recorded.history}
    assert list(rows) == list(range(0, STEPS + 1, 4))
    for step, row_keys in rows.items():
        expected = set()
        if step < STEPS:
            expected |= TRAIN_KEYS | LR_KEYS
        if step % 12 == 0 and step > 0:
            expected |= VAL_KEYS
        if step == STEPS:
            expected |= {"test/predictions"}  # logged with no step: joins the open row
        assert row_keys == expected, f"step {step}"
    assert recorded.column("epoch") == [0, 1, 2, 3]

    # The learning rates logged are the scheduler's, group by group.
    rates = expected_learning_rates(hp)
    logged = {
        row["_step"]: [row["lr/hidden"], row["lr/out"]]
        for row in recorded.history
        if "lr/hidden" in row
    }
    assert logged == {step: rates[step] for step in range(0, STEPS, 4)}
    assert len({rate for pair in logged.values() for rate in pair}) == 2 * len(logged)

    # Best values, not last ones, in the summary.
    assert recorded.summary["train/loss"] == {"min": min(recorded.column("train/loss"))}
    assert recorded.summary["val/loss"] == {"min": min(recorded.column("val/loss"))}
    assert recorded.summary["val/acc"] == {"max": max(recorded.column("val/acc"))}
    assert recorded.metrics == {
        "epoch": {"options": {"defined": True}},
        "train/loss": {"options": {"defined": True}, "summary": {"min": True}},
        "val/loss": {
            "options": {"defined": True, "step_sync": True},
            "step_metric": "epoch",
            "summary": {"min": True},
        },
        "val/acc": {
            "options": {"defined": True, "step_sync": True},
            "step_metric": "epoch",
            "summary": {"max": True},
        },
    }
    for key in ("test/loss", "test/acc", "train/steps", "train/stopped_early"):
        assert recorded.summary[key] == results[key]
    assert results["train/steps"] == STEPS and not results["train/stopped_early"]
    assert results["test/acc"] > 0.8  # it learned something


def test_define_metrics_keeps_best_values_not_last(offline):
    with ON.start() as run:
        define_metrics(run)
        run.define_metric(
            "other/loss", summary="min,last"
        )  # both, if the last matters too
        for epoch, (loss, acc) in enumerate([(0.9, 0.6), (0.2, 0.9), (0.5, 0.7)]):
            row = {
                "train/loss": loss,
                "val/loss": loss,
                "val/acc": acc,
                "other/loss": loss,
            }
            run.log({**row, "epoch": epoch}, step=epoch)
    summary = offline().summary
    assert summary["train/loss"] == summary["val/loss"] == {"min": 0.2}
    assert summary["val/acc"] == {"max": 0.9}
    assert summary["other/loss"] == {"min": 0.2, "last": 0.5}


def test_eval_table_has_one_row_per_test_example(offline):
    results = main(ON, TrainParams(epochs=1))
    recorded = offline()
    entry = recorded.summary["test/predictions"]
    assert entry["_type"] == "table-file" and entry["nrows"] == 64
    table = json.loads((recorded.files_dir / entry["path"]).read_text())
    assert table["columns"] == ["index", "label", "prediction", "confidence", "correct"]
    assert [row[0] for row in table["data"]] == list(range(64))
    assert all(
        row[4] == (row[1] == row[2]) and 0.5 <= row[3] <= 1 for row in table["data"]
    )
    assert sum(row[4] for row in table["data"]) / 64 == pytest.approx(
        results["test/acc"]
    )


def test_watch_histograms_join_the_open_row(offline):
    """run.watch logs from inside backward() into the row still open: with step= rows that is
    the last logged one, so no extra rows appear."""
    main(ON, TrainParams(watch="all", epochs=2))
    recorded = offline()
    assert [row["_step"] for row in recorded.history] == list(range(0, 25, 4))
    hists = [
        "gradients/hidden.weight",
        "gradients/out.bias",
        "parameters/hidden.weight",
    ]
    with_hists = [
        row["_step"]
        for row in recorded.history
        if all(row.get(f"{key}._type") == "histogram" for key in hists)
    ]
    assert with_hists == list(range(0, 24, 4))


def test_watch_idx_0_keeps_chart_names_the_same_in_every_run(offline, tmp_path):
    """W&B numbers run.watch calls per process: without idx=0 the second run's charts are
    named gradients/graph_1hidden.weight."""
    for idx in (0, None):
        model = make_model()
        with TrackingConfig(use_wandb=True, id=f"idx-{idx}").start() as run:
            run.watch(model, log_freq=1, idx=idx)
            model(torch.randn(4, 8)).sum().backward()
            run.log({"loss": 1.0})
            run.unwatch(model)
    names = []
    for run_id in ("idx-0", "idx-None"):
        (run_dir,) = tmp_path.glob(f"wandb/offline-run-*-{run_id}")
        row = read_offline_run(run_dir).history[0]
        names.append(sorted(k[:-6] for k in row if k.endswith("._type")))
    assert names[0] == [
        "gradients/hidden.bias",
        "gradients/hidden.weight",
        "gradients/out.bias",
        "gradients/out.weight",
    ]
    assert all(
        re.fullmatch(r"gradients/graph_[1-9]\d*(hidden|out)\.(weight|bias)", name)
        for name in names[1]
    )


def test_watch_hook_left_behind_raises_in_backward(offline):
    model = make_model()
    run = ON.start()
    run.watch(model, log_freq=1, idx=0)
    run.finish()  # no unwatch: the hooks stay on the model
    with pytest.raises(
        AttributeError, match="'NoneType' object has no attribute '_log'"
    ):
        model(torch.randn(4, 8)).sum().backward()

    model = make_model()
    with ON.start() as run:
        run.watch(model, log_freq=1, idx=0)
        run.unwatch(model)  # the fix: unwatch before the run ends
    model(torch.randn(4, 8)).sum().backward()


def test_watch_with_log_all_fails_in_forward_after_finish(offline):
    """With log="all" the parameter hooks run in forward(), before any backward()."""
    model = make_model()
    run = ON.start()
    run.watch(model, log="all", log_freq=1, idx=0)
    run.finish()
    with pytest.raises(AttributeError, match="no attribute '_log'") as error:
        model(torch.randn(4, 8))
    assert "_forward_hook" in str(error.traceback[-2].name) or any(
        "forward" in entry.name for entry in error.traceback
    )


def test_watch_hooks_log_to_the_global_run_not_to_their_own(offline, tmp_path):
    """run.watch logs through wandb.run: a run made with reinit="create_new" never
    becomes wandb.run, so its histograms land on the global run."""
    model = make_model()
    main_run = wandb.init(id="global-run")
    side_run = wandb.init(id="side-run", reinit="create_new")
    assert wandb.run is main_run
    side_run.watch(model, log_freq=1, idx=0)
    model(torch.randn(4, 8)).sum().backward()
    side_run.log({"loss": 1.0})
    main_run.log({"other": 1.0})
    side_run.unwatch(model)
    side_run.finish()
    main_run.finish()
    keys = {}
    for run_id in ("global-run", "side-run"):
        (run_dir,) = tmp_path.glob(f"wandb/offline-run-*-{run_id}")
        keys[run_id] = {k for row in read_offline_run(run_dir).history for k in row}
    assert "gradients/hidden.weight._type" in keys["global-run"]
    assert not any(k.startswith("gradients/") for k in keys["side-run"])


def test_watch_on_a_create_new_run_alone_fails_in_backward(offline):
    model = make_model()
    run = wandb.init(reinit="create_new")
    assert wandb.run is None
    run.watch(model, log_freq=1, idx=0)
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute"):
        model(torch.randn(4, 8)).sum().backward()
    run.unwatch(model)
    run.finish()


def test_two_models_watched_with_the_same_idx_are_refused(offline):
    """idx=0 for each of two models in one process: the second watch raises; give each
    model its own idx (its charts are then named gradients/graph_<idx>...)."""
    first, second = make_model(), make_model()
    with ON.start() as run:
        run.watch(first, log_freq=1, idx=0)
        with pytest.raises(ValueError, match='already been set under name "gradients/'):
            run.watch(second, log_freq=1, idx=0)
        run.unwatch()
        run.watch(first, log_freq=1, idx=0)
        run.watch(second, log_freq=1, idx=1)
        first(torch.randn(4, 8)).sum().backward()
        second(torch.randn(4, 8)).sum().backward()
        run.log({"loss": 1.0})
        run.unwatch()
    (row,) = offline().history
    charts = sorted(k[:-6] for k in row if k.endswith("._type"))
    assert charts[:2] == [
        "gradients/graph_1hidden.bias",
        "gradients/graph_1hidden.weight",
    ]
    assert len(charts) == 8


# --- bad input: NaN losses and steps that go backwards -------------------------------------


def test_nan_loss_is_counted_reported_once_and_the_run_finishes(offline):
    data = make_data(0)
    data.train.x[5, 0] = float(
        "nan"
    )  # one corrupt example poisons the weights for good
    first_bad = next(
        i for i, b in enumerate(batches(data.train, 16, 0)) if b.x.isnan().any()
    )
    hp = TrainParams(log_every=1, max_nonfinite=3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ON.start(hp) as run:
            results = train(hp, run, data)
    ours = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert len(ours) == 1
    assert str(ours[0].message).startswith(
        f"train/loss=nan at step {first_bad}: NaN/inf values are counted"
    )

    recorded = offline()
    assert recorded.state == "finished"
    assert results["train/stopped_early"] and results["train/steps"] == first_bad + 3
    assert [row["_step"] for row in recorded.history] == list(range(first_bad + 3))
    losses = recorded.column("train/loss")
    assert len(losses) == first_bad and all(math.isfinite(x) for x in losses)
    assert recorded.column("nonfinite/train/loss") == [1, 2, 3]
    assert recorded.summary["train/loss"] == {"min": min(losses)}  # not NaN
    assert recorded.summary["nonfinite/train/loss"] == 3
    assert recorded.summary["train/nonfinite_losses"] == 3
    # W&B silently drops a NaN written to run.summary: the diverged model's test loss is NaN.
    assert math.isnan(results["test/loss"]) and "test/loss" not in recorded.summary


def test_wandb_turns_a_min_summary_into_nan_when_nan_is_logged(offline):
    """Why StepLogger keeps NaN out of the row: one NaN poisons summary="min" for good."""
    with ON.start() as run:
        run.define_metric("loss", summary="min")
        for step, loss in enumerate([1.0, float("nan"), 0.5]):
            run.log({"loss": loss}, step=step)
    recorded = offline()
    assert recorded.column("loss") == [
        1,
        "NaN",
        0.5,
    ]  # the reader prints NaN as a string
    assert recorded.summary["loss"] == {"min": "NaN"}


def test_wandb_drops_a_row_whose_step_goes_backwards(offline, monkeypatch, capfd):
    monkeypatch.setenv("WANDB_SILENT", "false")
    with warnings.catch_warnings(record=True) as caught, ON.start() as run:
        warnings.simplefilter("always")
        run.log({"loss": 1.0}, step=3)
        run.log({"loss": 0.5}, step=2)
        run.log({"loss": 0.2}, step=4)
    assert not [w for w in caught if "step" in str(w.message)]  # not a Python warning
    assert (
        "WARNING Tried to log to step 2 that is less than the current step 3. "
        "Steps must be monotonically increasing, so this data will be ignored."
    ) in capfd.readouterr().err
    recorded = offline()
    assert [(row["_step"], row["loss"]) for row in recorded.history] == [
        (3, 1),
        (4, 0.2),
    ]


def test_disabled_mode_says_nothing_about_a_backwards_step(capfd, monkeypatch):
    monkeypatch.setenv("WANDB_SILENT", "false")
    with ON.start() as run:
        run.log({"loss": 1.0}, step=3)
        run.log({"loss": 0.5}, step=2)
        assert (
            run.summary["loss"] == 0.5
        )  # disabled keeps the last value, dropped or not
    assert "Tried to log to step" not in capfd.readouterr().err


def test_commit_decides_when_a_row_is_closed(offline):
    with ON.start() as run:
        run.log({"a": 1}, commit=False)  # no step: add to the row the next call commits
        run.log({"b": 2})
        run.log({"c": 3}, step=5)  # step=: the row stays open until a higher step
        run.log({"d": 4}, step=5)
        run.log({"e": 5}, step=6, commit=True)  # closed now: step 6 is in the past
        run.log({"f": 6}, step=6)
    recorded = offline()
    assert [(row["_step"], keys(row)) for row in recorded.history] == [
        (0, {"a", "b"}),
        (5, {"c", "d"}),
        (6, {"e"}),
    ]


# --- StepLogger -----------------------------------------------------------------------------


def test_step_logger_builds_rows_only_on_due_steps():
    built = []
    run = NoRun()
    logger = StepLogger(run, every=3)
    for step in range(7):
        logger.log_step(lambda s: built.append(s) or {"loss": float(s)}, step)
    assert built == [0, 3, 6] and logger.step == 7
    assert run.summary == {"loss": 6.0}


def test_step_logger_logs_evaluation_at_the_current_step(offline):
    with ON.start() as run:
        logger = StepLogger(run, every=2)
        logger.log_step(dict, {"train/loss": 1.0})  # step 0
        logger.log_step(dict, {"train/loss": 0.9})  # step 1: not due
        logger.log_now({"val/loss": 0.8})  # step 2, open
        logger.log_step(dict, {"train/loss": 0.7})  # step 2: merged
    recorded = offline()
    assert [(row["_step"], keys(row)) for row in recorded.history] == [
        (0, {"train/loss"}),
        (2, {"train/loss", "val/loss"}),
    ]


def test_an_mnist_style_loop_logs_at_its_own_global_steps(offline):
    data = make_data(0)
    loader = batches(data.train, 32, seed=0)  # 6 batches an epoch
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with ON.start() as run:
        logger = StepLogger(run, every=4)
        for epoch in range(2):
            train_epoch(model, loader, optimizer, epoch, logger)
        resumed = StepLogger(run, every=4, start=logger.step)  # as after a restart
        train_epoch(model, loader, optimizer, 2, resumed)
    recorded = offline()
    assert [row["_step"] for row in recorded.history] == [0, 4, 8, 12, 16]
    assert recorded.column("epoch") == [0, 0, 1, 2, 2]


@pytest.mark.parametrize("every", [0, -1, 1.5, float("nan"), "2", True])
def test_step_logger_rejects_bad_every(every):
    message = rf"every={every!r}: log every N steps needs an int N >= 1"
    with pytest.raises(ValueError, match=re.escape(message.replace("\\", ""))):
        StepLogger(NoRun(), every=every)


def test_step_logger_counts_inf_and_nan_and_warns_once(offline):
    with TrackingConfig(use_wandb=True).start() as run:
        logger = StepLogger(run)
        with pytest.warns(
            RuntimeWarning,
            match=r"loss=inf at step 0: NaN/inf values are counted under nonfinite/",
        ) as caught:
            logger.log_step(dict, {"loss": math.inf, "acc": 0.5})
            logger.log_step(dict, {"loss": math.nan, "acc": 0.6})
            logger.log_step(dict, {"loss": 0.3, "acc": 0.7})
    assert len(caught) == 1
    assert logger.nonfinite == {"loss": 2}
    recorded = offline()
    assert recorded.column("loss") == [0.3]
    assert recorded.column("nonfinite/loss") == [1, 2]


@pytest.mark.parametrize(
    "value",
    [
        torch.tensor(float("nan")),
        torch.tensor([float("inf")]),
        np.array(np.nan),
        np.float32("-inf"),
        Decimal("NaN"),
        10**400,
    ],
    ids=[
        "0-d tensor",
        "1-element tensor",
        "0-d array",
        "numpy scalar",
        "Decimal",
        "huge int",
    ],
)
def test_step_logger_counts_nonfinite_scalars_of_every_kind(value):
    run = NoRun()
    logger = StepLogger(run)
    logger.log_step(dict, {"loss": value, "acc": 0.5})
    assert logger.nonfinite == {"loss": 1}
    assert run.summary == {"acc": 0.5, "nonfinite/loss": 1}


def test_step_logger_says_nothing_with_tracking_off(recwarn):
    """An untracked run prints what it printed before tracking was added."""
    logger = StepLogger(NoRun())
    logger.log_step(dict, {"loss": math.nan})
    assert logger.nonfinite == {"loss": 1}
    assert not recwarn.list


def test_step_logger_takes_the_loops_own_step_and_a_resumed_start():
    run = NoRun()
    steps = []
    run.log = lambda row, step=None: steps.append(step)  # records what would be sent
    logger = StepLogger(run, every=10, start=30)  # resumed at step 30
    for global_step in range(30, 61, 5):
        logger.log_step(dict, {"loss": 1.0}, step=global_step)
    assert steps == [30, 40, 50, 60]
    with pytest.raises(ValueError, match=r"step=12 is below step 61: W&B would drop"):
        logger.log_step(dict, {"loss": 1.0}, step=12)


# --- learning rates and gradient norms ------------------------------------------------------


def test_learning_rates_by_group_name_else_index():
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(3)]
    optimizer = torch.optim.SGD(
        [
            {"params": [params[0]], "name": "body"},
            {"params": [params[1]], "lr": 0.01},
            {"params": [params[2]], "name": "head", "lr": 0.5},
        ],
        lr=0.1,
    )
    assert learning_rates(optimizer) == {"lr/body": 0.1, "lr/1": 0.01, "lr/head": 0.5}


def test_learning_rates_rejects_duplicate_group_names():
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(2)]
    groups = [{"params": [p], "name": "head"} for p in params]
    with pytest.raises(
        ValueError, match="two param groups are named 'head': give each"
    ):
        learning_rates(torch.optim.SGD(groups, lr=0.1))


def test_grad_norms_match_torch():
    torch.manual_seed(0)
    model = make_model()
    model.hidden.bias.requires_grad_(False)  # a frozen parameter has no gradient
    model(torch.randn(16, 8)).pow(2).mean().backward()
    norms = grad_norms(model)
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    assert set(norms) == {"grad_norm", "grad_norm/hidden", "grad_norm/out"}
    assert norms["grad_norm"] == pytest.approx(
        torch.nn.utils.get_total_norm(grads).item()
    )
    assert norms["grad_norm/hidden"] == pytest.approx(
        model.hidden.weight.grad.norm().item()
    )
    out = torch.nn.utils.get_total_norm([model.out.weight.grad, model.out.bias.grad])
    assert norms["grad_norm/out"] == pytest.approx(out.item())
    assert grad_norms(make_model()) == {}  # before any backward()


@pytest.mark.parametrize("name", ["total", "grad_norm", "lr", "total/x"])
def test_grad_norms_keep_the_global_norm_apart_from_a_layer_of_any_name(name):
    """A layer named `total` once overwrote the global norm under grad_norm/total."""
    model = torch.nn.Module()
    model.add_module(name, torch.nn.Linear(3, 3))
    model.add_module("total_", torch.nn.Linear(3, 2))
    layer, last = model.get_submodule(name), model.get_submodule("total_")
    last(layer(torch.ones(2, 3))).square().sum().backward()
    grads = [p.grad for p in model.parameters()]
    norms = grad_norms(model)
    assert set(norms) == {"grad_norm", f"grad_norm/{name}", "grad_norm/total_"}
    assert norms["grad_norm"] == pytest.approx(
        torch.nn.utils.get_total_norm(grads).item()
    )
    own = torch.nn.utils.get_total_norm([layer.weight.grad, layer.bias.grad])
    assert norms[f"grad_norm/{name}"] == pytest.approx(own.item())
    assert norms["grad_norm"] > norms[f"grad_norm/{name}"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: grad_norms(None), TypeError, "model is a NoneType: pass the nn.Module"),
        (lambda: grad_norms({}), TypeError, "model is a dict: pass the nn.Module"),
        (lambda: learning_rates(None), TypeError, "optimizer is a NoneType: pass the torch.optim"),
        (lambda: learning_rates(make_model()), TypeError, "optimizer is a Sequential"),
        (lambda: define_metrics(None), TypeError, "run is a NoneType: pass the run"),
        (lambda: StepLogger(wandb), TypeError, "run is a module: pass the run start_run"),
        (lambda: StepLogger(NoRun(), start=True), ValueError, "start=True: the first step"),
        (lambda: StepLogger(NoRun()).log_step(lambda: {}, step=1.5), ValueError, "step=1.5: pass the global step"),
        (lambda: StepLogger(NoRun()).log_step({"x": 1.0}), TypeError, "make_row is a dict: pass the function"),
        (lambda: StepLogger(NoRun()).log_now({1: 0.5}), TypeError, "row key 1: a key is a name"),
        (lambda: StepLogger(NoRun()).log_now({"": 0.5}), TypeError, "row key '': a key is a name"),
        (lambda: train_row(torch.ones(3), make_model(), None), ValueError, r"loss=tensor\(\[1., 1., 1.\]\): pass the step's loss, one number"),
        (lambda: log_eval_table(NoRun(), [0, 1, 1], torch.eye(2)), ValueError, r"probs has shape \(2, 2\) for labels of shape \(3,\)"),
        (lambda: log_eval_table(NoRun(), [0, 1], torch.eye(2) * 9), ValueError, r"probs must be in \[0, 1\]: pass logits.softmax"),
        (lambda: log_eval_table(NoRun(), [0, 2], torch.eye(2)), ValueError, "labels must be class ids 0..1"),
    ],
)  # fmt: skip
def test_bad_arguments_are_named_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_ints_are_steps_and_a_tensor_rate_is_a_float():
    logger = StepLogger(NoRun(), every=np.int64(2), start=np.int64(4))
    logger.log_step(lambda: {"x": 1.0}, step=np.int64(6))
    assert (logger.every, logger.step) == (2, 7)
    assert type(logger.step) is int
    optimizer = torch.optim.SGD(
        [torch.nn.Parameter(torch.zeros(1))], lr=torch.tensor(0.5)
    )
    assert learning_rates(optimizer) == {"lr/0": 0.5}
    assert type(learning_rates(optimizer)["lr/0"]) is float


# --- the same training with tracking on, off, or wandb missing ------------------------------


def test_training_is_the_same_with_tracking_on_or_off(monkeypatch):
    hp = TrainParams(epochs=2)
    with ON.start(hp) as run:
        assert isinstance(run, wandb.Run)
        tracked = train(hp, run)
    untracked = train(hp, NoRun())
    with (
        monkeypatch.context() as patch,
        pytest.warns(UserWarning, match="no wandb: not tracked"),
    ):
        patch.setitem(sys.modules, "wandb", None)
        missing = main(ON, hp)
    assert tracked == untracked == missing


@pytest.mark.xdist_group("scripts-absent")
def test_runs_as_a_script_without_wandb(script_runs):
    done = script_runs("absent")["metrics"]  # python -m, wandb not installed
    assert done.error is None, done.report()
    assert done.stdout.startswith("test accuracy 0.")


# --- benchmarks ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-offline")
@pytest.mark.parametrize("name", ["metrics_log_cost", "metrics_gradients"])
def test_benchmark_writes_its_table(quick_benchmarks, name):
    text = (quick_benchmarks.results / f"{name}.md").read_text()  # --quick, offline
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) >= 4  # header, separator, two rows or more
    assert "wandb 0.31" in text and "cores" in text


def test_a_max_summary_is_read_by_its_max_key_in_the_process(offline):
    """SKILL.md's row: after define_metric(summary="max") the summary holds {"max": x}."""
    with ON.start() as run:
        run.define_metric("val/acc", summary="max")
        for acc in (0.5, 0.9, 0.7):
            run.log({"val/acc": acc})
        assert run.summary["val/acc"]["max"] == 0.9
    assert offline().summary["val/acc"] == {"max": 0.9}
