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

__all__ = [
    "load_checkpoint",
    "note_input",
    "save_checkpoint",
    "stop_for_requeue",
    "use_after_sync",
]


# --8<-- [start:checkpoint]
def save_checkpoint(path: str | Path, step: int, state: dict[str, Any]) -> None:
    """Write `step` (the next step to train) with the state, atomically: a job
    killed while writing leaves the previous checkpoint whole. The state holds JSON
    values (str keys, no tuples, no tensors): loading gives it back as it was."""
    path = _checkpoint_path(path)
    if type(step) is not int or step < 0:
        raise ValueError(f"step={step!r}: the next step to train, an int from 0")
    _json_only(state, "state")
    if path.is_dir():
        raise IsADirectoryError(
            f"checkpoint path {str(path)!r} is a folder: name a file"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"step": step, "state": state}))
    os.replace(tmp, path)


def load_checkpoint(path: str | Path) -> tuple[int, dict[str, Any]]:
    """(step, state) of the last checkpoint; (0, {}) when there is none yet."""
    path = _checkpoint_path(path)
    if not path.exists():
        return 0, {}
    if path.is_dir():
        raise IsADirectoryError(
            f"checkpoint path {str(path)!r} is a folder: name a file"
        )
    try:
        saved = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not a JSON checkpoint ({error})") from error
    step, state = (
        (saved.get(k) for k in ("step", "state"))
        if isinstance(saved, dict)
        else (None, None)
    )
    if type(step) is not int or step < 0 or not isinstance(state, dict):
        raise ValueError(
            f'{path}: expected {{"step": int from 0, "state": {{...}}}} as '
            f"save_checkpoint writes, got {str(saved)[:80]}"
        )
    return step, state


def _checkpoint_path(path: object) -> Path:
    if not isinstance(path, str | os.PathLike) or not str(path):
        raise TypeError(f"checkpoint path={path!r}: pass a file path (str or Path)")
    path = Path(path)
    for folder in path.parents:
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(f"{str(path)!r}: {str(folder)!r} is a file")
    return path


def _json_only(value: Any, where: str) -> None:
    """JSON values only: anything else is lost or changed on the way to disk."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} key {key!r}: JSON keys are strings")
            _json_only(item, f"{where}[{key!r}]")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _json_only(item, f"{where}[{i}]")
    elif type(value) not in (str, int, float, bool, type(None)):
        raise TypeError(
            f"{where} is a {type(value).__name__}: a JSON checkpoint holds str, int, "
            "float, bool, None, lists and dicts (tensors: torch.save them beside it)"
        )
    if where == "state" and not isinstance(value, dict):
        raise TypeError(f"state is a {type(value).__name__}: pass a dict")
    # --8<-- [end:checkpoint]


# --8<-- [start:preempting]
def stop_for_requeue(
    run: wandb.Run | NoRun, checkpoint: str | Path, step: int, state: dict[str, Any]
) -> None:
    """The scheduler is about to stop this job and requeue it: save the checkpoint the
    restart continues from, tell W&B the run is being preempted, and finish it as
    failed (143, as SIGTERM), not as finished: it did not complete."""
    if not hasattr(run, "mark_preempting"):
        raise TypeError(f"run is a {type(run).__name__}: pass the run start_run gave")
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
def note_input(run: wandb.Run | NoRun, artifact_path: str) -> str | None:
    """Offline, run.use_artifact raises TypeError, so the run has no input edge. Keep
    the artifact's path ("entity/project/points:v0") in the summary and print the call
    that records the edge once the run is synced. Returns that call (None online, or
    with tracking off or disabled, where there is nothing to do later)."""
    if not hasattr(run, "summary"):
        raise TypeError(f"run is a {type(run).__name__}: pass the run start_run gave")
    _wandb_path(artifact_path, "artifact_path")
    if isinstance(run, NoRun) or not getattr(run, "offline", False):
        return None
    noted = run.summary.get("lineage/inputs_to_record") or []
    noted = [noted] if isinstance(noted, str) else list(noted)
    inputs = noted + [artifact_path] * (artifact_path not in noted)
    run.summary["lineage/inputs_to_record"] = inputs
    call = f"use_after_sync({run.path!r}, {artifact_path!r})"
    print(f"{artifact_path}: no input edge offline. After `wandb sync`, run: {call}")
    return call


def use_after_sync(run_path: str, artifact_path: str) -> Any:
    """Record `artifact_path` as an input of the synced run `run_path`, through the
    public API: Run.use_artifact(artifact, use_as=None). Needs a W&B server and an
    API key."""
    _wandb_path(run_path, "run_path")
    _wandb_path(artifact_path, "artifact_path")
    import wandb

    try:
        api = wandb.Api()
    except wandb.errors.UsageError as error:  # "No API key configured."
        raise RuntimeError(
            "use_after_sync needs a W&B server and an API key: run `wandb login` or "
            "set WANDB_API_KEY (and WANDB_BASE_URL for your own server)"
        ) from error
    return api.run(run_path).use_artifact(api.artifact(artifact_path))


def _wandb_path(path: object, name: str) -> None:
    """A W&B path: "name", "project/name" or "entity/project/name", no empty part."""
    parts = path.split("/") if isinstance(path, str) else []
    if not 1 <= len(parts) <= 3 or not all(part.strip() for part in parts):
        raise ValueError(
            f"{name}={path!r}: a W&B path, such as 'entity/project/name:v0'"
        )
    # --8<-- [end:lineage]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---


# --8<-- [start:resume]
def train(
    run: wandb.Run | NoRun,
    checkpoint: str | Path,
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
