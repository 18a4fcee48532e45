"""Offline runs, CI, and resuming after preemption: the offline topic.

A job that may be stopped saves a checkpoint with its step, and the run it restarts
continues the same W&B run (same id) from that step, not from 0: a resumed run drops
every row logged below its last step. `refuse_secrets` keeps API keys and tokens out of
a run's config, which W&B stores and shows to everyone who can see the project.

Run it:  WANDB_MODE=offline python -m snippets.offline   (or disabled, or wandb absent);
then `wandb sync wandb/offline-run-*` uploads what it recorded.
"""

# --8<-- [start:imports]
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:imports]
# isort: split
from .init import NoRun, TrackingConfig, refuse_secrets, restartable


# --8<-- [start:checkpoint]
def save_checkpoint(path: Path, step: int, state: dict[str, Any]) -> None:
    """Write `step` (the next step to train) with the state, atomically: a job
    killed while writing leaves the previous checkpoint whole."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"step": step, "state": state}))
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> tuple[int, dict[str, Any]]:
    """(step, state) of the last checkpoint; (0, {}) when there is none yet."""
    if not path.exists():
        return 0, {}
    saved = json.loads(path.read_text())
    return saved["step"], saved["state"]
    # --8<-- [end:checkpoint]


# --8<-- [start:resume]
def train(
    run: wandb.Run | NoRun,
    checkpoint: Path,
    steps: int,
    stop_after: int | None = None,
) -> float:
    """Fit y = 2x, continuing from the checkpoint. Every step= comes from the
    checkpoint's step: a resumed run drops rows below its last step, so a loop that
    counts from 0 again would lose them all. stop_after stands in for a preemption."""
    start, state = load_checkpoint(checkpoint)
    weight = state.get("weight", 0.0)
    for step in range(start, steps):
        if stop_after is not None and step - start == stop_after:
            break
        x = 1.0 + step % 3
        error = weight * x - 2 * x
        weight -= 0.05 * error * x
        run.log({"train/loss": error**2, "train/weight": weight}, step=step)
        save_checkpoint(checkpoint, step + 1, {"weight": weight})
    return weight
    # --8<-- [end:resume]


# --8<-- [start:preempting]
def stop_for_requeue(
    run: wandb.Run | Any, checkpoint: Path, step: int, state: dict[str, Any]
) -> None:
    """The scheduler is about to stop this job and requeue it: save the checkpoint the
    restart continues from, tell W&B the run is being preempted, and finish it as
    failed (143, as SIGTERM), not as finished: it did not complete."""
    save_checkpoint(checkpoint, step, state)
    run.mark_preempting()
    run.finish(exit_code=143)
    # --8<-- [end:preempting]


# A requeued SLURM job keeps its SLURM_JOB_ID, so the run id below is the same after
# every requeue; W&B reads both variables in wandb.init, with no code change.
REQUEUE_SCRIPT = """\
# --8<-- [start:requeue-env]
#!/bin/bash
#SBATCH --requeue
export WANDB_RUN_ID="job-$SLURM_JOB_ID"  # the same run id after a requeue
export WANDB_RESUME=allow  # continue that run if it exists, else start it
python train.py "$@"
# --8<-- [end:requeue-env]
"""


# --8<-- [start:lineage]
def note_input(run: wandb.Run | Any, artifact_path: str) -> str | None:
    """Offline, run.use_artifact raises TypeError, so the run has no input edge. Keep
    the artifact's path ("entity/project/points:v0") in the summary and print the call
    that records the edge once the run is synced. Returns that call (None online, or
    with tracking off or disabled, where there is nothing to do later)."""
    if not getattr(run, "offline", False):
        return None
    inputs = [*run.summary.get("lineage/inputs_to_record", []), artifact_path]
    run.summary["lineage/inputs_to_record"] = inputs
    call = f"use_after_sync({run.path!r}, {artifact_path!r})"
    print(f"{artifact_path}: no input edge offline. After `wandb sync`, run: {call}")
    return call


def use_after_sync(run_path: str, artifact_path: str) -> Any:
    """Record `artifact_path` as an input of the synced run `run_path`, through the
    public API: Run.use_artifact(artifact, use_as=None). Needs a W&B server and an
    API key."""
    import wandb

    try:
        api = wandb.Api()
    except wandb.errors.UsageError as error:  # "No API key configured."
        raise RuntimeError(
            "use_after_sync needs a W&B server and an API key: run `wandb login` or "
            "set WANDB_API_KEY (and WANDB_BASE_URL for your own server)"
        ) from error
    return api.run(run_path).use_artifact(api.artifact(artifact_path))
    # --8<-- [end:lineage]


# --8<-- [start:main]
def main(steps: int = 6) -> float:
    """A job stopped after 3 steps, then restarted: one W&B run id for both parts,
    and the second part's steps continue the first's."""
    job_id = os.environ.get("SLURM_JOB_ID") or f"local-{os.getpid()}"
    tracking = restartable(
        TrackingConfig(use_wandb=True, group="resume-demo", job_type="train"), job_id
    )
    config = {"steps": steps, "learning_rate": 0.05}
    refuse_secrets(config)  # TrackingConfig.start checks its hparams the same way
    with tempfile.TemporaryDirectory() as folder:
        checkpoint = Path(folder) / "checkpoint.json"
        for stop_after in (3, None):  # the preempted part, then the restarted one
            with tracking.start() as run:
                run.config.update(config)
                weight = train(run, checkpoint, steps, stop_after)
    return weight
    # --8<-- [end:main]


if __name__ == "__main__":
    print(f"weight: {main():.4f}")
