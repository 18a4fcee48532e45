"""The Lightning topic (snippets/lightning_training.py, docs/lightning_training.md).

Offline tests train two epochs and read back what the WandbLogger recorded; the DDP test
trains in two CPU processes and checks that one run holds the whole run's metrics. A few
tests pin down Lightning's and W&B's own behaviour that the page explains, so a new
release that changes it fails here first.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import PIL.Image
import pytest
import torch

from snippets.init import TrackingConfig
from snippets.readback import read_offline_run


@pytest.fixture(scope="module", autouse=True)
def import_lightning() -> None:
    """Lightning's import would cost every worker about 3 s at collection: it runs when
    the first of these tests does, on the one worker that runs them all (the harness
    puts every test that uses this fixture in the xdist group "lightning")."""
    global ModelCheckpoint, CSVLogger, WandbLogger, lightning_training, LitParams
    global download_best, fit_resumable, load_best, main, make_checkpoint, make_logger
    from lightning.pytorch.callbacks import ModelCheckpoint
    from lightning.pytorch.loggers import CSVLogger, WandbLogger

    from snippets import lightning_training
    from snippets.lightning_training import (
        LitParams,
        download_best,
        fit_resumable,
        load_best,
        main,
        make_checkpoint,
        make_logger,
    )


ON = TrackingConfig(use_wandb=True)
HISTOGRAMS = {
    f"gradients/net.{layer}.{kind}"
    for layer in ("hidden", "out")
    for kind in ("weight", "bias")
}
# 128 training images, batches of 16: 8 steps an epoch, 2 epochs. Lightning logs a step's
# metrics at the count of steps before it, so with log_every=2 the train rows are at
# trainer/global_step 1, 3, ... and each epoch's validation at the epoch's last step.
TRAIN_STEPS = [1, 3, 5, 7, 9, 11, 13, 15]
VAL_STEPS = [7, 15]
CHECKPOINT_NAME = re.compile(r"epoch0[01]-val_loss0\.\d{4}\.ckpt")


def at_step(rows: list[dict], key: str) -> list[int]:
    return [row["trainer/global_step"] for row in rows if key in row]


def test_offline_training_records_axes_config_histograms_images_checkpoint(
    offline, tmp_path
):
    hp = LitParams()
    results = main(ON, hp)
    recorded = offline()
    assert recorded.state == "finished"

    # WandbLogger's own define_metric: every key charted against trainer/global_step.
    assert recorded.metrics == {
        "trainer/global_step": {"options": {"defined": True}},
        "*": {
            "options": {"defined": True, "step_sync": True},
            "step_metric": "trainer/global_step",
        },
    }
    assert at_step(recorded.history, "train/loss") == TRAIN_STEPS
    assert at_step(recorded.history, "val/loss") == VAL_STEPS
    assert recorded.column("val/examples") == [64, 64]  # the whole validation set
    # The summary holds the last value (WandbLogger defines no summary="min").
    assert recorded.summary["val/loss"] == recorded.column("val/loss")[-1]
    assert min(recorded.column("val/loss")) == pytest.approx(results["best_score"])

    # save_hyperparameters -> the run's config, every field.
    assert recorded.config == hp.model_dump(mode="json")

    # logger.watch: a histogram of each parameter's gradient, every log_every passes.
    for key in HISTOGRAMS:
        assert recorded.summary[key]["_type"] == "histogram"
    with_histograms = [r for r in recorded.history if f"{min(HISTOGRAMS)}._type" in r]
    assert len(with_histograms) == 8  # 16 backward passes / log_freq 2

    # Prediction images: once per validation, at the validation's step, 4 each.
    image_rows = [r for r in recorded.history if "val/predictions.count" in r]
    assert at_step(image_rows, "val/predictions.count") == VAL_STEPS
    for row in image_rows:
        assert row["val/predictions.count"] == 4
        assert all(
            re.fullmatch(r"predicted [01], true [01]", caption)
            for caption in row["val/predictions.captions"]
        )
        for name in row["val/predictions.filenames"]:
            with PIL.Image.open(recorded.files_dir / name) as image:
                assert (image.size, image.mode) == ((8, 8), "L")

    # The best checkpoint: on disk, named without a folder, loaded again, uploaded.
    best = Path(results["best_path"])
    assert best.parent == tmp_path / "lightning" / "checkpoints"
    assert CHECKPOINT_NAME.fullmatch(best.name)
    assert sorted(p.name for p in best.parent.iterdir()) == [best.name]  # top_k=1
    assert results["reloaded_val_loss"] == pytest.approx(results["best_score"])

    # log_model="all": a version per saved checkpoint (each epoch improved here), as
    # online mode does, each recorded with its score and "latest" as it was logged.
    assert [a.name for a in recorded.artifacts] == [f"model-{recorded.run_id}"] * 2
    scores = [a.metadata["score"] for a in recorded.artifacts]
    assert scores == recorded.column("val/loss")
    assert all("latest" in a.aliases for a in recorded.artifacts)
    artifact = recorded.artifacts[-1]
    assert artifact.type == "model"
    assert set(artifact.aliases) == {"latest", "best"}
    assert artifact.files == ("model.ckpt",)
    assert artifact.metadata["original_filename"] == best.name
    assert artifact.metadata["score"] == pytest.approx(results["best_score"])
    assert artifact.metadata["ModelCheckpoint"]["monitor"] == "val/loss"


def test_a_failed_fit_finishes_the_run_as_failed(offline, monkeypatch):
    calls = []

    def failing_step(self, batch, batch_idx):
        calls.append(batch_idx)
        if len(calls) == 5:
            raise RuntimeError("out of memory (simulated)")
        return original(self, batch, batch_idx)

    original = lightning_training.LitClassifier.training_step
    monkeypatch.setattr(lightning_training.LitClassifier, "training_step", failing_step)
    with pytest.raises(RuntimeError, match="simulated"):
        main(ON, LitParams(watch=None))
    recorded = offline()
    assert (recorded.state, recorded.exit_code) == ("failed", 1)
    assert at_step(recorded.history, "train/loss") == [1, 3]  # the rows before it


def test_tracking_off_trains_the_same_with_a_csv_logger(tmp_path):
    results = main(TrackingConfig(use_wandb=False), LitParams())
    assert not (tmp_path / "wandb").exists()
    assert CHECKPOINT_NAME.fullmatch(Path(results["best_path"]).name)
    (metrics,) = (tmp_path / "lightning" / "csv").glob("version_*/metrics.csv")
    rows = list(csv.DictReader(metrics.open()))
    val_losses = [float(r["val/loss"]) for r in rows if r["val/loss"]]
    assert len(val_losses) == 2
    assert min(val_losses) == pytest.approx(results["best_score"])


def test_disabled_mode_trains_and_writes_no_run(tmp_path):
    results = main(ON, LitParams())  # WANDB_MODE=disabled: the harness's default
    assert not (tmp_path / "wandb").exists()
    assert results["reloaded_val_loss"] == pytest.approx(results["best_score"])


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-absent")
def test_wandb_absent_falls_back_to_csv_and_trains(script_runs):
    done = script_runs("absent")["lightning_training"]  # python -m, wandb not installed
    assert done.error is None, done.report()
    assert "no wandb: logging to CSV (pip install wandb)" in done.stderr
    assert re.search(r"best val/loss 0\.\d{4}: .*epoch0[01]-val_loss", done.stdout)
    assert list((done.folder / "lightning" / "csv").glob("version_*/metrics.csv"))


@pytest.mark.slow
def test_ddp_on_two_cpu_processes_writes_one_run_with_every_metric(
    run_python, tmp_path
):
    run_python("-m", "snippets.lightning_training", "--ddp", mode="offline")
    runs = list((tmp_path / "wandb").glob("offline-run-*"))
    assert len(runs) == 1  # rank 0 only
    recorded = read_offline_run(runs[0])
    assert recorded.state == "finished"
    assert recorded.config == LitParams().model_dump(mode="json")
    # Each process trains on half the data: 4 steps an epoch; rows are logged once.
    assert at_step(recorded.history, "train/loss") == [1, 3, 5, 7]
    assert at_step(recorded.history, "val/loss") == [3, 7]
    # sync_dist: each process validated 32 images; the logged count is the sum.
    assert recorded.column("val/examples") == [64, 64]
    assert at_step(recorded.history, "val/predictions.count") == [3, 7]
    artifact = recorded.artifacts[-1]  # log_model="all": the last one is the best
    assert artifact.metadata["score"] == pytest.approx(min(recorded.column("val/loss")))


# --- Lightning's own rules, pinned ----------------------------------------------------


def test_lightning_leaves_the_run_open_after_fit(offline, tmp_path):
    import lightning.pytorch as L
    import wandb

    hp = LitParams()
    train_loader, val_loader, _ = lightning_training.make_loaders(hp)
    logger = WandbLogger()
    trainer = L.Trainer(
        max_epochs=1,
        limit_train_batches=2,
        limit_val_batches=1,
        logger=logger,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=tmp_path,
    )
    trainer.fit(lightning_training.LitClassifier(), train_loader, val_loader)
    assert wandb.run is logger.experiment  # not finished: still the global run
    logger.experiment.finish()
    assert wandb.run is None
    assert offline().state == "finished"


def test_offline_flag_with_log_model_is_rejected_by_lightning():
    from lightning.pytorch.utilities.exceptions import MisconfigurationException

    with pytest.raises(MisconfigurationException, match="log_model=True and offline"):
        WandbLogger(offline=True, log_model=True)


@pytest.mark.parametrize(
    ("mode", "env", "expected"),
    [
        ("online", "disabled", "all"),
        ("offline", "disabled", "all"),
        ("disabled", "online", False),
        (None, "offline", "all"),
        (None, "disabled", False),
        (None, None, "all"),  # W&B's default mode is online
    ],
)
def test_log_model_follows_the_mode(monkeypatch, tmp_path, mode, env, expected):
    if env is None:
        monkeypatch.delenv("WANDB_MODE")
    else:
        monkeypatch.setenv("WANDB_MODE", env)
    logger = make_logger(True, tmp_path, mode=mode)
    assert logger._log_model == expected  # what after_save_checkpoint reads


@pytest.mark.parametrize(
    ("mode", "env", "expected"),
    [
        ("dryrun", "disabled", "all"),  # W&B's alias for offline
        ("run", "disabled", "all"),  # and for online
        (None, "dryrun", "all"),
        (None, "run", "all"),
    ],
)
def test_log_model_reads_wandbs_aliases_of_a_mode(
    monkeypatch, tmp_path, mode, env, expected
):
    monkeypatch.setenv("WANDB_MODE", env)
    assert make_logger(True, tmp_path, mode=mode)._log_model == expected


@pytest.mark.parametrize(
    ("mode", "env", "message"),
    [
        (None, "bogus", "mode='bogus', WANDB_MODE='bogus': online, offline..."),
        (None, "Offline", "mode='Offline', WANDB_MODE='Offline': online"),
        ("Offline", "offline", "mode='Offline', WANDB_MODE='offline': online"),
        ("offline", "Offline", "mode='offline', WANDB_MODE='Offline': online"),
        ("", "offline", "mode='', WANDB_MODE='offline': online"),
    ],
)
def test_a_mode_w_and_b_would_not_take_fails_by_name(
    monkeypatch, tmp_path, mode, env, message
):
    monkeypatch.setenv("WANDB_MODE", env)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        make_logger(True, tmp_path, mode=mode)


@pytest.mark.parametrize("flag", ["false", "0", "", 1, None])
def test_use_wandb_must_be_a_bool(tmp_path, flag):
    with pytest.raises(
        TypeError,
        match=f"^use_wandb must be True or False, not {re.escape(repr(flag))}",
    ):
        make_logger(flag, tmp_path)


def test_make_logger_refuses_what_it_sets_and_roots_that_are_no_folder(tmp_path):
    for kwargs in [{"log_model": True}, {"offline": True}, {"save_dir": "x"}]:
        with pytest.raises(TypeError, match=r"set by make_logger; pass mode=, dir="):
            make_logger(True, tmp_path, **kwargs)
    (tmp_path / "file").write_text("")
    for root in [None, "", tmp_path / "file"]:
        with pytest.raises(ValueError, match="pass a folder for checkpoints"):
            make_logger(False, root)
        with pytest.raises(ValueError, match="pass the folder to keep checkpoints"):
            make_checkpoint(root)
    assert make_checkpoint(str(tmp_path)).dirpath == str(tmp_path / "checkpoints")


def test_load_best_names_what_is_not_a_checkpoint(tmp_path):
    (tmp_path / "notes.txt").write_text("not a checkpoint")
    torch.save({"weights": 1}, tmp_path / "other.ckpt")
    with pytest.raises(FileNotFoundError, match="gone.ckpt does not exist"):
        load_best(tmp_path / "gone.ckpt")
    with pytest.raises(IsADirectoryError, match="is a folder: pass a file"):
        load_best(tmp_path)
    with pytest.raises(ValueError, match="pass the .ckpt path, not empty"):
        load_best("")
    for name in ["notes.txt", "other.ckpt"]:
        with pytest.raises(
            ValueError, match=f"{name} is not a LitClassifier checkpoint"
        ):
            load_best(tmp_path / name)


def test_prediction_images_checks_its_arguments():
    images, labels = torch.zeros(4, 1, 8, 8), torch.zeros(4, dtype=torch.long)
    with pytest.raises(ValueError, match="^4 images but 3 labels$"):
        lightning_training.PredictionImages(images, labels[:3])
    for every in [0, "2", 1.5, True]:
        with pytest.raises(ValueError, match="every_n_epochs=.*: pass a whole number"):
            lightning_training.PredictionImages(images, labels, every_n_epochs=every)
    with pytest.raises(TypeError, match="images, labels: pass two tensors"):
        lightning_training.PredictionImages(None, labels)


@pytest.mark.parametrize("run_id", ["", None, "a/b", "job:1"])
def test_fit_resumable_refuses_a_run_id_w_and_b_would_not_take(tmp_path, run_id):
    with pytest.raises(ValueError, match=r"^run_id=.*: pass the job's id, none of"):
        fit_resumable(LitParams(), run_id, tmp_path)


def test_make_logger_passes_the_run_settings(tmp_path):
    logger = make_logger(True, tmp_path, project="lit", dir=tmp_path / "runs")
    assert isinstance(logger, WandbLogger) and logger.name == "lit"
    assert logger.save_dir == tmp_path / "runs"  # dir=, not WandbLogger's "."
    assert make_logger(True, tmp_path).save_dir is None  # wandb.init reads WANDB_DIR
    assert logger._experiment is None  # nothing started until first use
    off = make_logger(False, tmp_path)
    assert isinstance(off, CSVLogger) and Path(off.log_dir).parent == tmp_path / "csv"


def test_slash_in_a_checkpoint_name_needs_auto_insert_off(tmp_path):
    metrics = {"epoch": 1, "val/loss": torch.tensor(0.5)}
    default = ModelCheckpoint(dirpath=tmp_path, filename="{epoch}-{val/loss:.4f}")
    assert default.format_checkpoint_name(metrics) == str(
        tmp_path / "epoch=1-val" / "loss=0.5000.ckpt"  # a folder named "epoch=1-val"
    )
    assert make_checkpoint(tmp_path).format_checkpoint_name(metrics) == str(
        tmp_path / "checkpoints" / "epoch01-val_loss0.5000.ckpt"
    )
    # A key that is not the logged name is filled with 0, without an error.
    other = ModelCheckpoint(dirpath=tmp_path, filename="{val_loss:.4f}")
    assert other.format_checkpoint_name(metrics) == str(
        tmp_path / "val_loss=0.0000.ckpt"
    )


# --- A crash mid-fit, the best checkpoint again, and the package name ------------------


def crash_in_second_epoch(monkeypatch) -> None:
    """training_step raises at the 12th step: epoch 0 (8 steps) saved a checkpoint."""
    calls = []
    original = lightning_training.LitClassifier.training_step

    def failing_step(self, batch, batch_idx):
        calls.append(batch_idx)
        if len(calls) == 12:
            raise RuntimeError("preempted (simulated)")
        return original(self, batch, batch_idx)

    monkeypatch.setattr(lightning_training.LitClassifier, "training_step", failing_step)


def test_a_crash_mid_fit_keeps_the_saved_checkpoint_which_loads_again(
    offline, monkeypatch, tmp_path
):
    crash_in_second_epoch(monkeypatch)
    hp = LitParams(watch=None)
    with pytest.raises(RuntimeError, match="preempted"):
        main(ON, hp)
    recorded = offline()
    assert (recorded.state, recorded.exit_code) == ("failed", 1)
    # make_logger's log_model="all" recorded epoch 0's checkpoint as it was saved.
    (artifact,) = recorded.artifacts
    assert artifact.metadata["original_filename"].startswith("epoch00-")
    (val_loss,) = recorded.column("val/loss")
    assert artifact.metadata["score"] == pytest.approx(val_loss)

    # The offline run's staged copy is the model.ckpt that `wandb sync` uploads and
    # download_best fetches: load_best builds the model from it alone.
    staging = Path(os.environ["WANDB_DATA_DIR"]) / "artifacts" / "staging"
    (checkpoint,) = [p for p in staging.rglob("*") if p.is_file()]
    model = load_best(checkpoint)
    assert dict(model.hparams) == hp.model_dump(mode="json")
    _, _, (val_x, val_y) = lightning_training.make_loaders(hp)
    with torch.no_grad():
        loss = torch.nn.functional.cross_entropy(model(val_x), val_y).item()
    assert loss == pytest.approx(val_loss, rel=1e-5)


def test_log_model_true_records_no_checkpoint_when_fit_crashes(offline, monkeypatch):
    # Lightning's WandbLogger.finalize logs the kept checkpoints only on success.
    def logger(use_wandb, root, **init_kwargs):
        return WandbLogger(save_dir=None, log_model=True)

    monkeypatch.setattr(lightning_training, "make_logger", logger)
    crash_in_second_epoch(monkeypatch)
    with pytest.raises(RuntimeError, match="preempted"):
        main(ON, LitParams(watch=None))
    recorded = offline()
    assert recorded.state == "failed" and len(recorded.column("val/loss")) == 1
    assert recorded.artifacts == []


def test_downloading_needs_a_server_and_raises_attributeerror_when_disabled(tmp_path):
    import wandb

    with pytest.raises(RuntimeError) as error:
        download_best("me/lit/abc123", tmp_path)
    assert str(error.value) == (
        "downloading needs a W&B server and an API key: run `wandb login`"
    )
    assert isinstance(error.value.__cause__, wandb.errors.UsageError)
    assert "No API key configured" in str(error.value.__cause__)
    for run_path in ["abc123", "", None, "a/b/c/d"]:  # checked before the server
        with pytest.raises(ValueError, match="pass 'entity/project/run id'"):
            download_best(run_path, tmp_path)
    with wandb.init() as run:  # WANDB_MODE=disabled
        assert run.use_artifact("model-abc123:best") is None
        with pytest.raises(AttributeError, match="'NoneType' object has no attr"):
            run.use_artifact("model-abc123:best").download()


def test_a_pytorch_lightning_module_in_a_lightning_trainer_is_a_type_error(tmp_path):
    import lightning.pytorch as L
    import pytorch_lightning

    class OldStyle(pytorch_lightning.LightningModule):
        pass

    assert not issubclass(OldStyle, L.LightningModule)  # two packages, two classes
    trainer = L.Trainer(
        logger=False, enable_progress_bar=False, default_root_dir=tmp_path
    )
    with pytest.raises(TypeError, match="must be a `LightningModule`.*OldStyle`"):
        trainer.fit(OldStyle(), [])


# --- Lightning inside a sweep -----------------------------------------------------------


def test_lightning_trials_of_a_local_sweep_log_into_the_sweeps_runs(
    offline, tmp_path, capsys
):
    from concurrent.futures import ThreadPoolExecutor

    from snippets.sweep import Metric, Param, SweepConfig, local_sweep

    sweep = SweepConfig(
        method="bayes",
        name="lit",
        metric=Metric(name="val/loss", goal="minimize"),
        parameters={
            "learning_rate": Param(
                distribution="log_uniform_values", min=0.01, max=0.5
            ),
            "epochs": Param(value=1),
        },
    )
    # sweep_trial calls seed_everything: the proposals must still differ.
    result = local_sweep(sweep, lightning_training.sweep_trial, count=3)
    rates = [t.values["learning_rate"] for t in result.trials]
    assert len(set(rates)) == 3, rates

    runs = sorted((tmp_path / "wandb").glob("offline-run-*"))
    assert len(runs) == 3  # WandbLogger started no run of its own
    with ThreadPoolExecutor() as pool:
        recorded = {r.run_id: r for r in pool.map(read_offline_run, runs)}
    for t in result.trials:
        run = recorded[t.run_id]
        # The sweep's values, then every LitParams field through save_hyperparameters.
        assert run.config == LitParams(**t.values).model_dump(mode="json")
        assert run.summary["val/loss"] == pytest.approx(t.result)
        assert at_step(run.history, "val/loss") == [7]  # Lightning's axis, one epoch


# --- Resuming into the same W&B run -----------------------------------------------------


def test_a_restarted_fit_continues_the_same_run_and_its_steps(
    offline, run_python, tmp_path
):
    root = tmp_path / "lightning"
    # The first process: one epoch (a job that stopped after it), then a restart in a
    # new process with the same run id, asked for two epochs.
    assert fit_resumable(LitParams(epochs=1, watch=None), "job-42", root) == 8
    run_python(
        "-c",
        "from pathlib import Path\n"
        "from snippets.lightning_training import LitParams, fit_resumable\n"
        "step = fit_resumable(LitParams(epochs=2), 'job-42', Path('lightning'))\n"
        "assert step == 16, step\n",
        mode="offline",
    )
    first, second = sorted((tmp_path / "wandb").glob("offline-run-*"))
    runs = [read_offline_run(first), read_offline_run(second)]
    assert [r.run_id for r in runs] == ["job-42", "job-42"]  # one W&B run
    assert all(r.state == "finished" for r in runs)
    # Lightning restored epoch and step from last.ckpt: the second process's rows go on
    # from where the first stopped, on the chart's x-axis.
    assert at_step(runs[0].history, "train/loss") == TRAIN_STEPS[:4]
    assert at_step(runs[1].history, "train/loss") == TRAIN_STEPS[4:]
    assert (
        at_step(runs[0].history, "val/loss") + at_step(runs[1].history, "val/loss")
        == VAL_STEPS
    )


# --- What tracking costs a whole process: the benchmark runs ---------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-offline")
def test_run_cost_benchmark_quick_times_the_three_modes(quick_benchmarks):
    result = quick_benchmarks.report["benchmarks"]["lightning_training_run_cost"]
    table, rows = result["table"], result["data"]
    out = quick_benchmarks.results / "lightning_training_run_cost.md"
    assert out.read_text() == table
    assert [(r["mode"], r["repeats"]) for r in rows] == [
        ("tracking off", 1),
        ("W&B disabled", 1),
        ("W&B offline", 1),
    ]
    assert rows[0]["more_than_off_s"] == 0 and all(r["median_s"] > 0 for r in rows)
    assert "`python -m benchmarks.lightning_training_run_cost --quick` on " in table
    # and each process's folder is gone: test_benchmarks.py checks what is left
