"""Log training metrics to W&B from a plain PyTorch loop: the metrics topic.

One `run.log` call per logged step with every key of that step, at a step that one
object owns (`StepLogger`), every N steps; `train/` and `val/` prefixes that group the
charts; `define_metric` for an epoch x-axis and best-value summaries; learning rates per
param group; gradient norms by hand or histograms with `run.watch`; final results in
`run.summary` and a table of per-example results. A NaN or inf is counted and reported,
never logged as a value.

Needs torch (`pip install torch`); wandb is optional.

Run it:  WANDB_MODE=offline python -m snippets.metrics   (or disabled, or with wandb
absent)
"""

# --8<-- [start:future]
from __future__ import annotations

# --8<-- [end:future]
# --8<-- [start:imports]
import math

# --8<-- [end:imports]
# --8<-- [start:more-imports]
# --8<-- [start:logger-imports]
import numbers
import types
import warnings
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:logger-imports]
# isort: split
from collections import OrderedDict, defaultdict
from typing import Literal, NamedTuple

import torch
import torch.nn.functional as F
from pydantic import Field
from torch import nn

# --8<-- [end:more-imports]
# isort: split
from .init import Hyperparams, NoRun, TrackingConfig, hparams_from_run

__all__ = [
    "StepLogger",
    "as_count",
    "check_run",
    "define_metrics",
    "grad_norms",
    "is_nonfinite",
    "learning_rates",
    "log_eval_table",
    "log_finite",
    "train_row",
]


# --8<-- [start:log-finite]
def is_nonfinite(value: Any) -> bool:
    """NaN or inf in a number (int, float, Decimal, a one-element array or tensor) or
    in a dict of them, which W&B logs as "key.inner" keys."""
    if isinstance(value, float):  # the common case, first
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(is_nonfinite(inner) for inner in value.values())
    if math.prod(getattr(value, "shape", ())) != 1:
        return False  # an array of several values is logged as a histogram
    try:
        return not math.isfinite(value.item() if hasattr(value, "item") else value)
    except OverflowError:
        return True  # an int too large for a float
    except (TypeError, ValueError):
        return False  # not a number: an image, a table, None


def log_finite(run: wandb.Run | NoRun, row: dict[str, Any], step: int) -> list[str]:
    """run.log(row, step=step) less NaN/inf values, returned: a NaN spoils min/max."""
    bad = [key for key, value in row.items() if is_nonfinite(value)]
    run.log({k: v for k, v in row.items() if k not in bad}, step=step)
    return bad
    # --8<-- [end:log-finite]


# --8<-- [start:step-logger]
def check_run(run: object) -> None:
    """A TypeError unless `run` is a run (start_run's): not None, not the wandb module,
    whose module-level wandb.log follows only the global run."""
    if isinstance(run, types.ModuleType) or not callable(getattr(run, "log", None)):
        raise TypeError(
            f"run is a {type(run).__name__}: pass the run start_run returned"
        )


def as_count(value: object, least: int, message: str) -> int:
    """`value` as an int >= least (numpy ints too, not bools), else a ValueError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(message)
    if value < least:
        raise ValueError(message)
    return int(value)


class StepLogger:
    """The one place that passes step= to run.log, so steps only increase (W&B drops a
    row whose step is below the last, with only a stderr line). Logs one row every
    `every` steps; NaN/inf values are counted under nonfinite/<key>, not logged.
    `start`: the step to continue from, for a resumed run (its checkpoint's step).
    """

    def __init__(self, run: wandb.Run | NoRun, every: int = 1, start: int = 0) -> None:
        every = as_count(
            every, 1, f"every={every!r}: log every N steps needs an int N >= 1"
        )
        start = as_count(
            start, 0, f"start={start!r}: the first step must be an int >= 0"
        )
        check_run(run)
        self.run, self.every, self.step = run, every, start
        self.nonfinite: Counter[str] = Counter()

    def log_step(
        self,
        make_row: Callable[..., dict[str, Any]],
        *args: Any,
        step: int | None = None,
    ) -> None:
        """Call on every training step; pass step= if the loop counts its own. The row,
        make_row(*args), is built only on the steps that log, so loss.item() (a wait
        for the GPU) and gradient norms cost nothing on the others."""
        if not callable(make_row):
            raise TypeError(
                f"make_row is a {type(make_row).__name__}: pass the function that "
                "builds the row and its arguments, log_step(train_row, loss, ...)"
            )
        if step is not None:
            step = as_count(
                step, 0, f"step={step!r}: pass the global step, an int >= 0"
            )
            if step < self.step:
                raise ValueError(
                    f"step={step} is below step {self.step}: W&B would drop the row; "
                    "pass a step that only increases (a global step, not batch_idx)"
                )
            self.step = step
        if self.step % self.every == 0:
            self.log_now(make_row(*args))
        self.step += 1

    def log_now(self, row: dict[str, Any]) -> None:
        """Log at the current step (an evaluation between steps): the row stays open,
        and a training row logged at this step joins it."""
        if not isinstance(row, dict):
            raise TypeError(
                f"a row is a dict of key -> value, not {type(row).__name__}"
            )
        # Floats are checked inline (v - v is 0.0, false, unless v is NaN or inf), so a
        # row of finite floats costs one quick pass; anything else goes to is_nonfinite.
        odd = [
            k
            for k, v in row.items()
            if type(v) is not float or v - v or type(k) is not str or not k
        ]
        named = [key for key in odd if not isinstance(key, str) or not key]
        if named:  # W&B refuses other keys; a NoRun would take them
            raise TypeError(f"row key {named[0]!r}: a key is a name, 'train/loss'")
        bad = [key for key in odd if is_nonfinite(row[key])]
        if not bad:  # the common case: no copy of the row
            self.run.log(row, step=self.step)
            return
        taken = [f"nonfinite/{key}" for key in bad if f"nonfinite/{key}" in row]
        if taken:
            raise ValueError(
                f"row key {taken[0]!r}: StepLogger logs its NaN/inf counts under "
                "nonfinite/<key>; rename this key"
            )
        if not self.nonfinite and not isinstance(self.run, NoRun):
            warnings.warn(  # nothing is logged with tracking off: nothing to warn about
                f"{bad[0]}={row[bad[0]]} at step {self.step}: NaN/inf values are "
                "counted under nonfinite/<key>, not logged; this is not repeated",
                RuntimeWarning,
                stacklevel=3,
            )
        self.nonfinite.update(bad)
        counts = {f"nonfinite/{key}": self.nonfinite[key] for key in bad}
        log_finite(self.run, {**row, **counts}, self.step)
        # --8<-- [end:step-logger]


# --8<-- [start:define-metrics]
def define_metrics(run: wandb.Run | NoRun) -> None:
    """Validation charts over epochs; summaries keep the best value, not the last."""
    check_run(run)
    run.define_metric("epoch")
    run.define_metric("train/loss", summary="min")
    run.define_metric("val/loss", step_metric="epoch", summary="min")
    run.define_metric("val/acc", step_metric="epoch", summary="max")
    # --8<-- [end:define-metrics]


# --8<-- [start:learning-rates]
def learning_rates(optimizer: torch.optim.Optimizer) -> dict[str, float]:
    """`lr/<group>` for each param group, named by its "name" key, else by its index.
    Read it before scheduler.step(): then it is the rate this step used."""
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer is a {type(optimizer).__name__}: pass the torch.optim optimizer"
        )
    rates = {}
    for index, group in enumerate(optimizer.param_groups):
        name = group.get("name", str(index))
        if not isinstance(name, str) or not name:
            raise ValueError(
                f"param group {index} is named {name!r}: a name is a non-empty string"
            )
        if f"lr/{name}" in rates:
            raise ValueError(
                f"two param groups are named {name!r}: give each a unique name"
            )
        rates[f"lr/{name}"] = float(group["lr"])  # a tensor rate too
    return rates
    # --8<-- [end:learning-rates]


# --8<-- [start:grad-norms]
def grad_norms(model: nn.Module) -> dict[str, float]:
    """The global gradient norm, `grad_norm`, and one per layer, `grad_norm/<layer>`,
    after backward(): no layer's key can be the global one's, whatever its name. The
    norms stay on the device until one .tolist() copies them all: one wait for the GPU,
    not one per layer."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model is a {type(model).__name__}: pass the nn.Module")
    by_layer: dict[str, list[torch.Tensor]] = defaultdict(list)
    for name, param in model.named_parameters():
        if param.grad is not None:  # frozen or unused parameters have no gradient
            by_layer[name.rpartition(".")[0] or name].append(param.grad.detach().norm())
    if not by_layer:
        return {}
    layer_norms = [torch.stack(norms).norm() for norms in by_layer.values()]
    total = torch.stack(layer_norms).norm()  # sqrt of the sum of squares, as clipping
    values = torch.stack([total, *layer_norms]).tolist()
    keys = ["grad_norm", *(f"grad_norm/{layer}" for layer in by_layer)]
    return dict(zip(keys, values, strict=True))
    # --8<-- [end:grad-norms]


# --8<-- [start:train-row]
def train_row(
    loss: torch.Tensor | float, model: nn.Module, optimizer: torch.optim.Optimizer
) -> dict[str, float]:
    """Everything one training step logs, in one row, built only on steps that log."""
    shape = tuple(getattr(loss, "shape", ()))
    if not isinstance(loss, torch.Tensor | float | int) or math.prod(shape) != 1:
        raise ValueError(
            f"loss={loss!r}: pass the step's loss, one number (reduction='mean')"
        )
    value = loss.item() if isinstance(loss, torch.Tensor) else float(loss)
    return {"train/loss": value, **grad_norms(model), **learning_rates(optimizer)}
    # --8<-- [end:train-row]


# --8<-- [start:eval-table]
def log_eval_table(
    run: wandb.Run | NoRun, labels: list[int] | torch.Tensor, probs: torch.Tensor
) -> None:
    """One table row per evaluated example, to sort and filter in the W&B UI. Checked
    with tracking off too, then skipped. No step=: it joins W&B's current row, so it
    is never dropped."""
    check_run(run)
    probs, ids = torch.as_tensor(probs), torch.as_tensor(labels)
    ids = ids if ids.numel() else ids.long()  # torch reads [] as floats
    if probs.ndim != 2 or ids.shape != probs.shape[:1]:
        raise ValueError(
            f"probs has shape {tuple(probs.shape)} for labels of shape "
            f"{tuple(ids.shape)}: pass (N, classes) probabilities and N labels"
        )
    if ((probs < 0) | (probs > 1)).any():  # a diverged model's NaN is shown as it is
        raise ValueError("probs must be in [0, 1]: pass logits.softmax(dim=1)")
    if (
        ids.is_floating_point()
        or ids.dtype == torch.bool
        or not ((ids >= 0) & (ids < probs.shape[1])).all()
    ):
        raise ValueError(
            f"labels must be class ids 0..{probs.shape[1] - 1}, one of probs' columns"
        )
    if isinstance(run, NoRun):
        return
    import wandb

    confidence, predicted = probs.max(dim=1)
    rows = [
        [index, label, pred, conf, label == pred]
        for index, (label, pred, conf) in enumerate(
            zip(ids.tolist(), predicted.tolist(), confidence.tolist(), strict=True)
        )
    ]
    table = wandb.Table(
        columns=["index", "label", "prediction", "confidence", "correct"], data=rows
    )
    run.log({"test/predictions": table})
    # --8<-- [end:eval-table]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---


# --8<-- [start:params]
class TrainParams(Hyperparams):
    """The init topic's hyperparameters, plus how often and what to log."""

    learning_rate: float = Field(0.3, gt=0, le=1)
    epochs: int = Field(4, ge=1)
    log_every: int = Field(4, ge=1)  # log one row every N optimizer steps
    # run.watch histograms, or None for none
    watch: Literal["gradients", "parameters", "all"] | None = None
    max_nonfinite: int = Field(3, ge=1)  # stop after this many logged NaN/inf losses
    # --8<-- [end:params]


# --8<-- [start:toy-data]
class Split(NamedTuple):
    x: torch.Tensor
    y: torch.Tensor


class Data(NamedTuple):
    train: Split
    val: Split
    test: Split


def make_data(
    seed: int, n_train: int = 192, n_eval: int = 64, features: int = 8
) -> Data:
    """Two classes on either side of a random plane, with a little label noise."""
    gen = torch.Generator().manual_seed(seed)
    plane = torch.randn(features, generator=gen)

    def split(n: int) -> Split:
        x = torch.randn(n, features, generator=gen)
        flip = torch.rand(n, generator=gen) < 0.05
        return Split(x, ((x @ plane > 0) ^ flip).long())

    return Data(split(n_train), split(n_eval), split(n_eval))


def make_model(features: int = 8, hidden: int = 32) -> nn.Module:
    """A 2-layer MLP with named layers, so per-layer metrics read grad_norm/hidden."""
    layers: OrderedDict[str, nn.Module] = OrderedDict(
        hidden=nn.Linear(features, hidden), act=nn.ReLU(), out=nn.Linear(hidden, 2)
    )
    return nn.Sequential(layers)


def batches(split: Split, batch_size: int, seed: int) -> list[Split]:
    order = torch.randperm(len(split.y), generator=torch.Generator().manual_seed(seed))
    return [Split(split.x[i], split.y[i]) for i in order.split(batch_size)]


@torch.no_grad()
def evaluate(model: nn.Module, split: Split, prefix: str) -> dict[str, float]:
    logits = model(split.x)
    return {
        f"{prefix}/loss": F.cross_entropy(logits, split.y).item(),
        f"{prefix}/acc": (logits.argmax(dim=1) == split.y).float().mean().item(),
    }
    # --8<-- [end:toy-data]


# --8<-- [start:param-groups]
def make_optimizer(model: nn.Module, hp: TrainParams) -> torch.optim.Optimizer:
    """Two param groups, each with a "name"; the output layer learns 10x slower."""
    hidden, out = model.get_submodule("hidden"), model.get_submodule("out")
    groups = [
        {"name": "hidden", "params": hidden.parameters()},
        {"name": "out", "params": out.parameters(), "lr": hp.learning_rate / 10},
    ]
    return torch.optim.SGD(groups, lr=hp.learning_rate, momentum=0.9)


def make_scheduler(optimizer: torch.optim.Optimizer, total_steps: int) -> Any:
    """Warm up, then anneal: each group's rate changes on every step."""
    max_lrs = [group["lr"] for group in optimizer.param_groups]
    return torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=max_lrs, total_steps=total_steps
    )
    # --8<-- [end:param-groups]


# --8<-- [start:train]
def train(
    hp: TrainParams, run: wandb.Run | NoRun, data: Data | None = None
) -> dict[str, Any]:
    """A plain PyTorch loop. Logging is one call per step, with no `if` around it."""
    data = data or make_data(hp.seed)
    torch.manual_seed(hp.seed)
    model = make_model()
    optimizer = make_optimizer(model, hp)
    steps_per_epoch = math.ceil(len(data.train.y) / hp.batch_size)
    scheduler = make_scheduler(optimizer, hp.epochs * steps_per_epoch)
    define_metrics(run)
    if hp.watch:  # histograms from inside backward(); idx=0: same names in every run
        run.watch(model, log=hp.watch, log_freq=hp.log_every, idx=0)
    logger = StepLogger(run, every=hp.log_every)
    stopped_early = False
    for epoch in range(hp.epochs):
        for x, y in batches(data.train, hp.batch_size, seed=hp.seed + epoch):
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            # after backward, before step
            logger.log_step(train_row, loss, model, optimizer)
            optimizer.step()
            scheduler.step()
            # The logger only counts NaN/inf losses; stopping is this loop's decision.
            stopped_early = logger.nonfinite["train/loss"] >= hp.max_nonfinite
            if stopped_early:
                break
        if stopped_early:
            break
        logger.log_now({**evaluate(model, data.val, "val"), "epoch": epoch})
    if hp.watch:
        # a hook left behind fails in backward() once the run is finished
        run.unwatch(model)
    return record_results(run, model, data.test, logger, stopped_early)
    # --8<-- [end:train]


# --8<-- [start:own-step]
def loss_row(loss: torch.Tensor, epoch: int) -> dict[str, Any]:
    return {"train/loss": loss.item(), "epoch": epoch}


def train_epoch(
    model: nn.Module, loader: Any, optimizer: Any, epoch: int, logger: StepLogger
) -> None:
    """The loop of PyTorch's MNIST example, which counts its own batches: the logger
    takes the global step from it and logs every `logger.every` steps."""
    model.train()
    for batch_idx, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        logger.log_step(loss_row, loss, epoch, step=epoch * len(loader) + batch_idx)
    # --8<-- [end:own-step]


# --8<-- [start:summary]
def record_results(
    run: wandb.Run | NoRun,
    model: nn.Module,
    test: Split,
    logger: StepLogger,
    stopped: bool,
) -> dict[str, Any]:
    """Final results go in run.summary: the numbers the runs table shows, sorts by."""
    results = {
        **evaluate(model, test, "test"),
        "train/steps": logger.step,
        "train/stopped_early": stopped,
        "train/nonfinite_losses": logger.nonfinite["train/loss"],
    }
    run.summary.update(results)
    with torch.no_grad():
        log_eval_table(run, test.y.tolist(), model(test.x).softmax(dim=1))
    return results
    # --8<-- [end:summary]


# --8<-- [start:main]
def main(tracking: TrackingConfig | None = None, hp: TrainParams | None = None) -> dict:
    tracking = tracking or TrackingConfig(use_wandb=True, job_type="train")
    hp = hp or TrainParams()
    with tracking.start(hp) as run:  # read back from the run: a sweep's values too
        return train(hparams_from_run(run, TrainParams), run)
    # --8<-- [end:main]


if __name__ == "__main__":
    results = main()
    print(
        f"test accuracy {results['test/acc']:.3f} after {results['train/steps']} steps"
    )
