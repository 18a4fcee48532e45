"""Track PyTorch Lightning training with W&B: the Lightning topic.

A `LightningModule` on synthetic images, trained with a `WandbLogger` built from the
init topic's `TrackingConfig`, or with a `CSVLogger` when tracking is off or wandb is
not installed: the training is the same. Checkpoints monitor `val/loss` and are
uploaded as artifacts (every one online; offline, the kept ones at the end, for
`wandb sync`); the best one is loaded again after training. A callback logs a few
validation predictions as images from global rank 0. With `--ddp` the same training
runs in two CPU processes (DDP over gloo) and still writes one W&B run.

Needs torch and lightning (`pip install torch "lightning>=2.6"`); wandb is
optional.

Run it:  WANDB_MODE=offline python -m snippets.lightning_training [--ddp]
(or disabled, or with wandb absent)
"""

from __future__ import annotations

# --8<-- [start:imports]
import importlib.util
import os

from lightning.pytorch.loggers import CSVLogger, Logger, WandbLogger

# --8<-- [end:imports]
# isort: split
# --8<-- [start:more-imports]
import pickle
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import lightning.pytorch as L
import torch
import torch.nn.functional as F
from lightning.pytorch.callbacks import Callback, ModelCheckpoint
from pydantic import Field
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:more-imports]
# isort: split
from .init import (
    RUN_ID_FORBIDDEN,
    Hyperparams,
    NoRun,
    TrackingConfig,
    hparams_from_run,
)

__all__ = [
    "PredictionImages",
    "download_best",
    "fit_resumable",
    "load_best",
    "make_checkpoint",
    "make_logger",
    "sweep_trial",
]


# --8<-- [start:logger]
def make_logger(use_wandb: bool, root: str | Path, **init_kwargs: Any) -> Logger:
    """A WandbLogger taking wandb.init's arguments, or a CSVLogger in `root` when
    use_wandb is false or wandb is missing. The run starts on first use, on rank 0."""
    if not isinstance(use_wandb, bool):  # "false" from os.environ is truthy
        raise TypeError(f"use_wandb must be True or False, not {use_wandb!r}")
    if not isinstance(root, str | Path) or not str(root) or Path(root).is_file():
        raise ValueError(f"root={root!r}: pass a folder for checkpoints and CSV logs")
    if use_wandb and not importlib.util.find_spec("wandb"):
        warnings.warn("no wandb: logging to CSV (pip install wandb)", stacklevel=2)
    elif use_wandb:
        if given := {"log_model", "offline", "save_dir"} & init_kwargs.keys():
            raise TypeError(f"{sorted(given)}: set by make_logger; pass mode=, dir=")
        env = os.environ.get("WANDB_MODE", "online")  # W&B checks it even with mode=
        mode = env if init_kwargs.get("mode") is None else init_kwargs["mode"]
        if {mode, env} - {"online", "run", "offline", "dryrun", "disabled", "shared"}:
            raise ValueError(f"mode={mode!r}, WANDB_MODE={env!r}: online, offline...")
        # "all": each checkpoint when saved, offline too (True: only if fit ends well)
        log_model = "all" if mode != "disabled" else False
        # save_dir="": unset, as its default "." would override dir= and WANDB_DIR
        return WandbLogger(save_dir="", log_model=log_model, **init_kwargs)
    return CSVLogger(root, name="csv")
    # --8<-- [end:logger]


# --8<-- [start:prediction-images]
class PredictionImages(Callback):
    """Logs a fixed set of validation images, captioned with the predicted and true
    class, every `every_n_epochs` epochs: from global rank 0, to W&B only. Lightning has
    no image call of its own, so this goes to the WandbLogger itself."""

    def __init__(
        self, images: torch.Tensor, labels: torch.Tensor, every_n_epochs: int = 1
    ) -> None:
        if not (isinstance(images, torch.Tensor) and isinstance(labels, torch.Tensor)):
            raise TypeError(f"images, labels: pass two tensors, not {type(images)}")
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        every = every_n_epochs
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every_n_epochs={every!r}: pass a whole number >= 1")
        self.images, self.labels, self.every = images, labels, every

    def on_validation_epoch_end(
        self, trainer: L.Trainer, pl_module: L.LightningModule
    ) -> None:
        module = pl_module
        logger = trainer.logger
        if (
            not trainer.is_global_zero  # one process logs; the others would duplicate
            or trainer.sanity_checking  # the check before training: not an epoch
            or trainer.current_epoch % self.every
            or not isinstance(logger, WandbLogger)
        ):
            return
        with torch.no_grad():
            predicted = module(self.images.to(module.device)).argmax(dim=1).tolist()
        captions = [
            f"predicted {p}, true {t}"
            for p, t in zip(predicted, self.labels.tolist(), strict=True)
        ]
        # 1 x H x W floats in [0, 1) -> H x W uint8, the grey pixels wandb.Image reads
        pixels = [(x[0] * 255).round().to(torch.uint8).numpy() for x in self.images]
        logger.log_image("val/predictions", pixels, caption=captions)
        # --8<-- [end:prediction-images]


# --8<-- [start:checkpoint]
def make_checkpoint(root: str | Path) -> ModelCheckpoint:
    """Keep the checkpoint with the lowest val/loss. The metric's "/" would make a
    folder of the file name unless the name is spelled out: auto_insert_metric_name
    =False, and the key in braces is the same as `monitor`."""
    if not isinstance(root, str | Path) or not str(root) or Path(root).is_file():
        raise ValueError(f"root={root!r}: pass the folder to keep checkpoints in")
    return ModelCheckpoint(
        dirpath=Path(root) / "checkpoints",
        monitor="val/loss",
        mode="min",
        save_top_k=1,
        filename="epoch{epoch:02d}-val_loss{val/loss:.4f}",
        auto_insert_metric_name=False,
    )
    # --8<-- [end:checkpoint]


# --8<-- [start:load-best]
def download_best(run_path: str, root: str | Path) -> Path:
    """The `best` checkpoint that log_model uploaded for the run "entity/project/id",
    downloaded into root. Needs a W&B server and an API key."""
    import wandb

    if not isinstance(run_path, str) or len(run_path.split("/")) != 3:
        raise ValueError(f"run_path={run_path!r}: pass 'entity/project/run id'")
    entity_project, run_id = run_path.rsplit("/", 1)
    try:
        api = wandb.Api()
    except wandb.errors.UsageError as error:  # "No API key configured."
        raise RuntimeError(
            "downloading needs a W&B server and an API key: run `wandb login`"
        ) from error
    artifact = api.artifact(f"{entity_project}/model-{run_id}:best")
    return Path(artifact.download(root=str(root))) / "model.ckpt"


def load_best(checkpoint: str | Path) -> LitClassifier:
    """The model, rebuilt from the hyperparameters saved in the checkpoint."""
    if not isinstance(checkpoint, str | Path) or not str(checkpoint):
        raise ValueError(f"checkpoint={checkpoint!r}: pass the .ckpt path, not empty")
    if Path(checkpoint).is_dir():
        raise IsADirectoryError(f"checkpoint {checkpoint} is a folder: pass a file")
    if not Path(checkpoint).is_file():
        raise FileNotFoundError(f"checkpoint {checkpoint} does not exist")
    try:
        model = LitClassifier.load_from_checkpoint(checkpoint, map_location="cpu")
    except (KeyError, TypeError, RuntimeError, pickle.UnpicklingError) as error:
        raise ValueError(
            f"{checkpoint} is not a LitClassifier checkpoint ({error!r})"
        ) from error
    return model.eval()
    # --8<-- [end:load-best]


# --8<-- [start:resume]
def fit_resumable(hp: LitParams, run_id: str, root: str | Path) -> int:
    """Fit, or continue a fit that stopped, in one W&B run: a stable run id (the job's
    id) with resume="allow", and Lightning's last checkpoint. Returns the step."""
    if not isinstance(hp, LitParams):
        raise TypeError(f"hp is a {type(hp).__name__}: pass LitParams(...)")
    if not run_id or not isinstance(run_id, str) or set(run_id) & set(RUN_ID_FORBIDDEN):
        raise ValueError(
            f"run_id={run_id!r}: pass the job's id, none of {RUN_ID_FORBIDDEN}"
        )
    L.seed_everything(hp.seed, verbose=False)
    train_loader, val_loader, _ = make_loaders(hp)
    logger = make_logger(True, root, id=run_id, resume="allow")
    last = ModelCheckpoint(dirpath=Path(root) / "checkpoints", save_last=True)
    trainer = L.Trainer(
        max_epochs=hp.epochs,
        logger=logger,
        callbacks=[last],
        log_every_n_steps=hp.log_every,
        enable_progress_bar=False,
        enable_model_summary=False,
        accelerator="cpu",
        devices=1,
    )
    model = LitClassifier(**hp.model_dump())
    try:  # "last": from last.ckpt if there is one (epoch, step, optimizer), else anew
        trainer.fit(model, train_loader, val_loader, ckpt_path="last")
    finally:
        if isinstance(logger, WandbLogger):
            logger.experiment.finish(exit_code=0 if trainer.state.finished else 1)
    return trainer.global_step
    # --8<-- [end:resume]


# --8<-- [start:sweep-trial]
def sweep_trial(run: wandb.Run | NoRun) -> None:
    """One trial of a sweep (wandb.agent, or the sweep topic's local_sweep), in the
    run the sweep opened: its values come from run.config, read before the module is
    built; WandbLogger logs into that run; val/loss goes to run.summary."""
    hp = hparams_from_run(run, LitParams)  # the sweep's values, validated
    L.seed_everything(hp.seed, verbose=False)  # local_sweep puts numpy's state back
    train_loader, val_loader, _ = make_loaders(hp)
    # With a run open, WandbLogger takes wandb.run instead of starting one.
    logger = False
    if not isinstance(run, NoRun):  # save_dir="": unset, as in make_logger
        logger = WandbLogger(save_dir="")
    trainer = L.Trainer(
        max_epochs=hp.epochs,
        logger=logger,
        log_every_n_steps=hp.log_every,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        accelerator="cpu",
        devices=1,
    )
    trainer.fit(LitClassifier(**hp.model_dump()), train_loader, val_loader)
    run.summary["val/loss"] = trainer.callback_metrics["val/loss"].item()
    # --8<-- [end:sweep-trial]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---


# --8<-- [start:data]
SIZE = 8  # images are 1 x 8 x 8


class LitParams(Hyperparams):
    """The init topic's hyperparameters, plus the model's and what to log."""

    learning_rate: float = Field(0.1, gt=0, le=1)
    epochs: int = Field(2, ge=1)
    hidden: int = Field(16, ge=1)
    log_every: int = Field(2, ge=1)  # Trainer(log_every_n_steps=...)
    watch: Literal["gradients", "parameters", "all"] | None = "gradients"
    image_every: int = Field(1, ge=1)  # log prediction images every N epochs
    images: int = Field(4, ge=1, le=16)  # how many validation images to log


def make_images(n: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy 8x8 grey images, values in [0, 1]: class 1 has a bright top half."""
    labels = torch.randint(0, 2, (n,), generator=gen)
    images = torch.rand(n, 1, SIZE, SIZE, generator=gen) * 0.5
    images[labels == 1, :, : SIZE // 2] += 0.5
    return images, labels


def make_loaders(hp: LitParams, n_train: int = 128, n_val: int = 64):
    gen = torch.Generator().manual_seed(hp.seed)
    train, val = make_images(n_train, gen), make_images(n_val, gen)
    return (
        DataLoader(TensorDataset(*train), batch_size=hp.batch_size, shuffle=True),
        DataLoader(TensorDataset(*val), batch_size=hp.batch_size),
        val,
    )
    # --8<-- [end:data]


# --8<-- [start:module]
class LitClassifier(L.LightningModule):
    """self.log for metrics: Lightning aggregates them, syncs them across processes,
    hands them to ModelCheckpoint, and passes them to whichever logger there is."""

    def __init__(self, **hparams: Any) -> None:
        super().__init__()
        hp = LitParams.model_validate(hparams)  # a bad value fails here, by name
        self.save_hyperparameters(hp.model_dump(mode="json"))  # -> the run's config
        self.net = nn.Sequential(
            OrderedDict(
                flat=nn.Flatten(),
                hidden=nn.Linear(SIZE * SIZE, hp.hidden),
                act=nn.ReLU(),
                out=nn.Linear(hp.hidden, 2),
            )
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train/loss", loss)  # every log_every_n_steps steps
        return loss

    def validation_step(self, batch: Any, batch_idx: int) -> None:
        x, y = batch
        logits = self(x)
        # on_epoch: one value per epoch; sync_dist: averaged over every process
        metrics = {
            "val/loss": F.cross_entropy(logits, y),
            "val/acc": (logits.argmax(dim=1) == y).float().mean(),
        }
        self.log_dict(metrics, on_epoch=True, sync_dist=True)
        count = torch.tensor(float(len(y)), device=self.device)
        self.log("val/examples", count, reduce_fx="sum", sync_dist=True)

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.SGD(self.parameters(), lr=self.hparams["learning_rate"])

    # --8<-- [end:module]


# --8<-- [start:train]
def train(
    hp: LitParams, tracking: TrackingConfig, root: Path, **trainer_kwargs: Any
) -> dict[str, Any]:
    """Fit, then load the best checkpoint again and evaluate it. trainer_kwargs: DDP
    and friends (strategy="ddp", devices=2)."""
    if not isinstance(hp, LitParams) or not isinstance(tracking, TrackingConfig):
        raise TypeError(
            f"hp is a {type(hp).__name__}, tracking a {type(tracking).__name__}: "
            "pass LitParams(...) and TrackingConfig(...)"
        )
    L.seed_everything(hp.seed, verbose=False)
    train_loader, val_loader, (val_x, val_y) = make_loaders(hp)
    settings = tracking.model_dump(exclude={"use_wandb"})  # wandb.init's arguments
    logger = make_logger(tracking.use_wandb, root, **settings)
    model = LitClassifier(**hp.model_dump())
    if hp.watch and isinstance(logger, WandbLogger):  # histograms, on rank 0 only
        logger.watch(model, log=hp.watch, log_freq=hp.log_every)
    checkpoint = make_checkpoint(root)
    images = PredictionImages(val_x[: hp.images], val_y[: hp.images], hp.image_every)
    trainer = L.Trainer(
        max_epochs=hp.epochs,
        logger=logger,
        callbacks=[checkpoint, images],
        log_every_n_steps=hp.log_every,
        default_root_dir=root,
        enable_progress_bar=False,
        enable_model_summary=False,
        **trainer_kwargs,
    )
    try:
        trainer.fit(model, train_loader, val_loader)
    finally:  # Lightning never finishes the W&B run; exit_code 1 marks it failed
        if isinstance(logger, WandbLogger):
            logger.experiment.unwatch(model)  # on other ranks, a no-op stand-in
            logger.experiment.finish(exit_code=0 if trainer.state.finished else 1)
    if checkpoint.best_model_score is None:  # no validation ran: nothing to load
        raise RuntimeError(f"no checkpoint was saved in {root}: was val/loss logged?")
    best = load_best(checkpoint.best_model_path)
    with torch.no_grad():  # the best checkpoint, found again: same val/loss
        reloaded = F.cross_entropy(best(val_x), val_y).item()
    return {
        "best_path": checkpoint.best_model_path,
        "best_score": checkpoint.best_model_score.item(),
        "reloaded_val_loss": reloaded,
        "global_rank": trainer.global_rank,
        "global_step": trainer.global_step,
    }
    # --8<-- [end:train]


# --8<-- [start:main]
def main(
    tracking: TrackingConfig | None = None,
    hp: LitParams | None = None,
    ddp: bool = False,
) -> dict[str, Any]:
    tracking = tracking or TrackingConfig(use_wandb=True, job_type="train")
    root = (tracking.dir or Path.cwd()) / "lightning"
    devices = {"strategy": "ddp", "devices": 2} if ddp else {"devices": 1}
    return train(hp or LitParams(), tracking, root, accelerator="cpu", **devices)
    # --8<-- [end:main]


if __name__ == "__main__":
    import sys

    results = main(ddp="--ddp" in sys.argv[1:])
    if results["global_rank"] == 0:  # with --ddp, every process runs this script
        print(f"best val/loss {results['best_score']:.4f}: {results['best_path']}")
