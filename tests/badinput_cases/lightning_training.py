"""Bad and edge-case input for snippets/lightning_training.py: flags, modes, paths,
checkpoints and hyperparameters. No case trains: each fails (or returns) first."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from snippets.init import NoRun, TrackingConfig
from snippets.lightning_training import (
    LitClassifier,
    LitParams,
    PredictionImages,
    download_best,
    fit_resumable,
    load_best,
    make_checkpoint,
    make_logger,
    sweep_trial,
    train,
)


def cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    file = root / "notes.txt"
    file.write_text("not a checkpoint")
    other = root / "other.ckpt"
    torch.save({"weights": 1}, other)
    gone = root / "gone.ckpt"
    images, labels = torch.zeros(4, 1, 8, 8), torch.zeros(4, dtype=torch.long)
    import wandb.apis.public  # noqa: F401  imported here: the case times the call alone

    def logger(*args: Any, env: str | None = None, **kwargs: Any) -> Callable[[], Any]:
        """make_logger(*args, **kwargs) with WANDB_MODE=env (unset: None)."""

        def call() -> Any:
            before = os.environ.pop("WANDB_MODE", None)
            if env is not None:
                os.environ["WANDB_MODE"] = env
            try:
                return make_logger(*args, **kwargs)
            finally:
                os.environ.pop("WANDB_MODE", None)
                if before is not None:
                    os.environ["WANDB_MODE"] = before

        return call

    def log_model_is(expected: Any) -> Callable[[Any], bool]:
        return lambda lg: getattr(lg, "_log_model", None) == expected

    hp = LitParams()
    return [
        # make_logger: the flag and the mode
        ("make_logger('false')", logger("false", root), "use_wandb"),
        ("make_logger('0')", logger("0", root), "use_wandb"),
        ("make_logger(1)", logger(1, root), "use_wandb"),
        ("make_logger(None)", logger(None, root), "use_wandb"),
        ("mode='dryrun'", logger(True, root, mode="dryrun"), log_model_is("all")),
        ("mode='run'", logger(True, root, mode="run"), log_model_is("all")),
        ("mode='disabled'", logger(True, root, mode="disabled"), log_model_is(False)),
        ("mode='Offline'", logger(True, root, mode="Offline"), "mode"),
        ("mode=''", logger(True, root, mode=""), "mode"),
        ("mode=True", logger(True, root, mode=True), "mode"),
        ("WANDB_MODE=dryrun", logger(True, root, env="dryrun"), log_model_is("all")),
        ("WANDB_MODE=run", logger(True, root, env="run"), log_model_is("all")),
        ("WANDB_MODE=bogus", logger(True, root, env="bogus"), "WANDB_MODE"),
        ("WANDB_MODE=Disabled", logger(True, root, env="Disabled"), "WANDB_MODE"),
        ("WANDB_MODE unset", logger(True, root), log_model_is("all")),
        ("make_logger log_model=True", logger(True, root, log_model=True), "log_model"),
        ("make_logger offline=True", logger(True, root, offline=True), "offline"),
        ("make_logger save_dir='x'", logger(True, root, save_dir="x"), "dir"),
        ("make_logger root None", logger(False, None), "root"),
        ("make_logger root ''", logger(False, ""), "root"),
        ("make_logger root a file", logger(False, file), "root"),
        # checkpoints
        ("make_checkpoint(None)", lambda: make_checkpoint(None), "root"),
        ("make_checkpoint('')", lambda: make_checkpoint(""), "root"),
        ("make_checkpoint(a file)", lambda: make_checkpoint(file), "root"),
        (
            "make_checkpoint(str)",
            lambda: make_checkpoint(str(root)),
            lambda c: Path(c.dirpath) == root / "checkpoints",
        ),
        ("load_best(missing)", lambda: load_best(gone), "does not exist"),
        ("load_best('')", lambda: load_best(""), "empty"),
        ("load_best(None)", lambda: load_best(None), "checkpoint"),
        ("load_best(a folder)", lambda: load_best(root), "folder"),
        ("load_best(a text file)", lambda: load_best(file), "notes.txt"),
        ("load_best(another dict)", lambda: load_best(other), "other.ckpt"),
        # downloading: checked before the server is asked
        ("download_best('abc')", lambda: download_best("abc", root), "run_path"),
        ("download_best('')", lambda: download_best("", root), "run_path"),
        ("download_best(None)", lambda: download_best(None, root), "run_path"),
        ("download_best 4 parts", lambda: download_best("a/b/c/d", root), "run_path"),
        ("download_best no key", lambda: download_best("me/p/abc", root), "API key"),
        # the prediction-images callback
        (
            "PredictionImages 4 images, 3 labels",
            lambda: PredictionImages(images, labels[:3]),
            "labels",
        ),
        (
            "PredictionImages every 0",
            lambda: PredictionImages(images, labels, every_n_epochs=0),
            "every_n_epochs",
        ),
        (
            "PredictionImages every '2'",
            lambda: PredictionImages(images, labels, every_n_epochs="2"),
            "every_n_epochs",
        ),
        ("PredictionImages None", lambda: PredictionImages(None, labels), "images"),
        # hyperparameters: pydantic names the field
        ("LitParams learning_rate=0", lambda: LitParams(learning_rate=0), "learning_rate"),
        ("LitParams watch='grads'", lambda: LitParams(watch="grads"), "watch"),
        ("LitParams images=17", lambda: LitParams(images=17), "images"),
        ("LitParams hidden=0", lambda: LitParams(hidden=0), "hidden"),
        ("LitParams log_every=0", lambda: LitParams(log_every=0), "log_every"),
        ("LitClassifier(hidden='x')", lambda: LitClassifier(hidden="x"), "hidden"),
        ("LitClassifier(lr=0.1)", lambda: LitClassifier(lr=0.1), "lr"),
        # what fails before training starts
        ("fit_resumable run_id ''", lambda: fit_resumable(hp, "", root), "run_id"),
        ("fit_resumable run_id None", lambda: fit_resumable(hp, None, root), "run_id"),
        ("fit_resumable run_id 'a/b'", lambda: fit_resumable(hp, "a/b", root), "run_id"),
        ("fit_resumable hp dict", lambda: fit_resumable({}, "job-1", root), "hp"),
        ("train hp dict", lambda: train({}, TrackingConfig(), root), "hp"),
        ("train tracking dict", lambda: train(hp, {}, root), "tracking"),
        ("sweep_trial(None)", lambda: sweep_trial(None), "run"),
        (
            "sweep_trial bad config",
            lambda: sweep_trial(NoRun(config={"hidden": 0})),
            "hidden",
        ),
    ]  # fmt: skip
