"""What survives a failure, and how to keep it: the failures topic.

A scheduler stops a job with SIGTERM (then SIGKILL); W&B keeps the rows of a run that is
finished, and loses those of a run that is not. `finish_on_signal` finishes the run on
SIGTERM (or on an earlier signal such as SLURM's USR1) and hands the signal on;
`start_tracking` lets the user choose what a W&B failure at start does: stop with a
clear message, or warn once and train untracked. DataLoader workers are kept out of the
way of the job's SIGTERM with `ignore_sigterm`.

Run it:  WANDB_MODE=offline python -m snippets.failures   (or disabled, or wandb absent)
"""

# --8<-- [start:future]
from __future__ import annotations

# --8<-- [end:future]
# --8<-- [start:imports]
import os
import signal
from collections.abc import Generator
from contextlib import contextmanager

# --8<-- [end:imports]
# isort: split
# --8<-- [start:more-imports]
import time
import warnings
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:more-imports]
# isort: split
from .init import INIT_PARAMETERS, NoRun, check_flag, start_run

__all__ = ["finish_on_signal", "ignore_sigterm", "start_tracking"]


# --8<-- [start:finish-on-signal]
@contextmanager
def finish_on_signal(run: wandb.Run | NoRun, signum: int = signal.SIGTERM) -> Generator:
    """On `signum`, finish the run (exit code 128 + signum), then pass the signal on."""
    if not callable(getattr(run, "finish", None)) or isinstance(run, type):
        raise TypeError(f"run={run!r}: pass the run that start_run returned")
    catchable = signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP}
    if type(signum) not in (int, signal.Signals) or signum not in catchable:
        raise ValueError(f"signum={signum!r}: pass a signal a handler can catch")
    previous = signal.getsignal(signum)
    if isinstance(run, NoRun) or previous is signal.SIG_IGN:
        yield
        return

    def finish_then_pass_on(sig: int, frame: Any) -> None:
        signal.signal(sig, previous or signal.SIG_DFL)  # a second signal: no finish
        run.finish(exit_code=128 + sig)
        previous(sig, frame) if callable(previous) else os.kill(os.getpid(), sig)

    signal.signal(signum, finish_then_pass_on)
    try:
        yield
    finally:
        if signal.getsignal(signum) is finish_then_pass_on:
            signal.signal(signum, previous or signal.SIG_DFL)
    # --8<-- [end:finish-on-signal]


# --8<-- [start:ignore-sigterm]
def ignore_sigterm(worker_id: int) -> None:
    """DataLoader(worker_init_fn=ignore_sigterm): a SIGTERM sent to every process of
    the job no longer kills the workers first, so the training process's own handler
    runs instead of "DataLoader worker ... is killed by signal". The workers still end
    with the training process."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # --8<-- [end:ignore-sigterm]


# The batch script of a SLURM job whose training process alone gets the early signal:
# SLURM sends USR1 to the batch shell 120 s before the time limit, and the shell passes
# it to Python, whose finish_on_signal(run, signal.SIGUSR1) finishes the run.
SBATCH_SCRIPT = """\
# --8<-- [start:sbatch]
#!/bin/bash
#SBATCH --time=4:00:00
#SBATCH --signal=B:USR1@120
trap 'kill -USR1 "$pid"' USR1  # bash runs this only while it waits (below)
python train.py "$@" &
pid=$!
wait "$pid"  # returns when USR1 arrives; wait again for Python to finish the run
wait "$pid"
# --8<-- [end:sbatch]
"""


# --8<-- [start:start-tracking]
def start_tracking(
    use_wandb: bool | None,
    on_failure: Literal["stop", "untracked"] = "stop",
    **init_kwargs: Any,
) -> wandb.Run | NoRun:
    """start_run, with the choice of what a failure of W&B itself at start does:
    "stop" raises an error that says what to do; "untracked" warns once and returns a
    NoRun, so training goes on without tracking."""
    if on_failure not in ("stop", "untracked"):
        raise ValueError(f"on_failure={on_failure!r}: use 'stop' or 'untracked'")
    if use_wandb is not None:  # here, not in the try: a wrong flag is no W&B failure
        check_flag(use_wandb, "use_wandb")
    unknown = sorted(set(init_kwargs) - INIT_PARAMETERS)
    if unknown:  # wandb.init refuses it too, but only once tracking is on
        raise TypeError(f"{unknown[0]!r} is not a wandb.init parameter: misspelt?")
    try:
        run = start_run(use_wandb, **init_kwargs)
    except Exception as error:
        reason = f"{type(error).__name__}: {str(error).rstrip('.')}"
        cause = f"W&B could not start the run: {reason}"
        if on_failure == "stop":
            raise RuntimeError(
                f"{cause}. Fix that, set WANDB_MODE=offline to record locally and "
                "sync later, or pass on_failure='untracked' to train without tracking"
            ) from error
        warnings.warn(
            f"{cause}. Training goes on UNTRACKED (on_failure='untracked')",
            RuntimeWarning,
            stacklevel=2,
        )
        return NoRun(**init_kwargs)  # as start_run returns it with tracking off
    return run
    # --8<-- [end:start-tracking]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---


# --8<-- [start:main]
def main(steps: int = 20, pause: float = 0.0) -> float:
    """A loop whose run is finished even if the job is stopped with SIGTERM."""
    loss = 1.0
    config = {"steps": steps, "decay": 0.9}
    run = start_tracking(True, project="failures", config=config)
    with run, finish_on_signal(run):
        for step in range(steps):
            loss *= config["decay"]
            run.log({"train/loss": loss}, step=step)
            time.sleep(pause)
    return loss
    # --8<-- [end:main]


if __name__ == "__main__":
    import sys

    print(f"final loss: {main(*map(int, sys.argv[1:2])):.4f}")
