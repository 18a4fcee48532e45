"""The failures topic (snippets/failures.py, docs/failures.md): what survives what.

The signal tests start a real training process that runs offline, stop it the way a
scheduler would, and read back what W&B recorded. wandb-core, W&B's service process, is a
child of the training process in a process group of its own; "every process of the job"
is the training process and wandb-core (and DataLoader workers), signalled together.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pytest

from snippets import failures
from snippets.failures import finish_on_signal, start_tracking
from snippets.init import NoRun, start_run
from snippets.readback import read_offline_run
from tests.harness import python_env
from tests.sections import section

# Should a child hang, it prints every thread's stack and exits before the test's
# 30 s timeout, so the failure shows where it hung.
HUNG_AFTER = 20
DUMP_IF_HUNG = (
    f"import faulthandler; faulthandler.dump_traceback_later({HUNG_AFTER}, exit=True)\n"
)
HUNG = f"Timeout (0:00:{HUNG_AFTER})!"  # faulthandler's first line when it fires
# Logs N rows, says so, then waits to be stopped. argv: N HANDLER(0/1) SIGNAL
TRAIN = (
    DUMP_IF_HUNG
    + """
import sys, time, signal
from contextlib import nullcontext
from snippets.init import start_run
from snippets.failures import finish_on_signal
n, handler = int(sys.argv[1]), sys.argv[2] == "1"
signum = getattr(signal, sys.argv[3])
with start_run(True, project="stopped") as run:
    with finish_on_signal(run, signum) if handler else nullcontext():
        for step in range(n):
            run.log({"x": step}, step=step)
        print("logged", flush=True)
        time.sleep(30)
"""
)


def children(pid: int) -> dict[int, str]:
    """{pid: name} of the processes whose parent is `pid`, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        name, rest = stat.split("(", 1)[1].rsplit(")", 1)
        if int(rest.split()[1]) == pid:
            found[int(entry.name)] = name
    return found


def start(tmp_path: Path, code: str, *args: str) -> subprocess.Popen[str]:
    """Start `code` offline; return once it has printed its first line."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=tmp_path,
        env=python_env(tmp_path, "offline"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a job step has
    )
    wait_for_logged(child)
    return child


def wait_for_logged(process: subprocess.Popen[str]) -> None:
    """Read the child's "logged", then let its print finish inside W&B's console
    capture before any signal: once in the suite's runs, a signal sent at once left the
    handler's run.finish() waiting, and the process hung (see docs/failures.md)."""
    line = process.stdout.readline().strip()
    assert line == "logged", (line, process.communicate(timeout=30))
    time.sleep(0.5)


def stop(child: subprocess.Popen[str], signum: int, to: str) -> tuple[int, str]:
    """Signal the training process ("process"), its process group ("group"), or every
    process of the job, wandb-core included ("every")."""
    if to == "every":
        assert "wandb-core" in children(child.pid).values()
        for pid in children(child.pid):
            os.kill(pid, signum)
    if to == "group":
        os.killpg(child.pid, signum)
    else:
        child.send_signal(signum)
    _, stderr = child.communicate(timeout=30)
    assert HUNG not in stderr, stderr  # the child hung: its stacks
    return child.returncode, stderr


def steps(recorded) -> list[int]:
    return [row["_step"] for row in recorded.history]


# --- signals: what a scheduler's SIGTERM, and SIGKILL, leave behind -------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "handler, to, returncode, rows, state, exit_code",
    [
        # No handler: the rows W&B had not written are lost. Usually all 50, as W&B
        # writes in 32 KiB blocks; on a loaded machine it may have written some first.
        (False, "process", -signal.SIGTERM, None, "unknown", None),
        (True, "process", -signal.SIGTERM, 50, "failed", 143),
        (True, "group", -signal.SIGTERM, 50, "failed", 143),  # wandb-core not in it
    ],
)
def test_sigterm_keeps_every_row_only_with_the_handler(
    tmp_path, handler, to, returncode, rows, state, exit_code
):
    child = start(tmp_path, TRAIN, "50", str(int(handler)), "SIGTERM")
    assert stop(child, signal.SIGTERM, to)[0] == returncode  # ended as SIGTERM ends
    recorded = read_offline_run(tmp_path, allow_unfinished=True)
    kept = len(recorded.history)
    if rows is None:  # a loss: fewer than the 50 logged, the run never closed
        assert kept < 50 and recorded.state in ("unknown", "running")
        assert recorded.exit_code is None
    else:
        assert (kept, recorded.state, recorded.exit_code) == (rows, state, exit_code)
    assert steps(recorded) == list(range(kept))  # what was kept is the head


@pytest.mark.slow
def test_sigterm_to_every_process_kills_wandb_core_and_loses_the_tail(tmp_path):
    """The handler cannot finish a run whose service is gone: the run never closes,
    the process exits 1, and the last rows are lost."""
    child = start(tmp_path, TRAIN, "2000", "1", "SIGTERM")
    returncode, stderr = stop(child, signal.SIGTERM, "every")
    assert returncode == 1 and "ConnectionResetError" in stderr
    recorded = read_offline_run(tmp_path, allow_unfinished=True)
    assert recorded.state in ("running", "unknown") and recorded.exit_code is None
    assert len(recorded.history) < 2000
    assert steps(recorded) == list(range(len(recorded.history)))  # a lost tail


@pytest.mark.slow
def test_usr1_to_every_process_is_ignored_by_wandb_core(tmp_path):
    child = start(tmp_path, TRAIN, "50", "1", "SIGUSR1")
    assert stop(child, signal.SIGUSR1, "every")[0] == -signal.SIGUSR1
    recorded = read_offline_run(tmp_path)
    assert (len(recorded.history), recorded.state, recorded.exit_code) == (
        50,
        "failed",
        128 + signal.SIGUSR1,
    )


@pytest.mark.slow
def test_sigkill_loses_the_unwritten_tail(tmp_path):
    """W&B writes its log in 32 KiB blocks: what was not yet written is lost. (50 rows:
    all lost, tests/test_readback.py.)"""
    child = start(tmp_path, TRAIN, "2000", "0", "SIGTERM")
    assert stop(child, signal.SIGKILL, "process")[0] == -signal.SIGKILL
    recorded = read_offline_run(tmp_path, allow_unfinished=True)
    kept = len(recorded.history)
    assert recorded.state == "running" and 0 < kept < 2000
    assert steps(recorded) == list(range(kept))
    print(f"SIGKILL after 2000 rows: {kept} kept")


@pytest.mark.slow
def test_the_batch_script_passes_usr1_to_the_training_process_alone(tmp_path):
    script = section("snippets/failures.py", "sbatch")
    line = 'python train.py "$@" &'
    assert line in script
    train = f'{sys.executable} -c "$TRAIN" 50 1 SIGUSR1 &'
    shell = subprocess.Popen(
        ["bash", "-c", script.replace(line, train)],
        cwd=tmp_path,
        env={**python_env(tmp_path, "offline"), "TRAIN": TRAIN},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_logged(shell)
    shell.send_signal(signal.SIGUSR1)  # SLURM's --signal=B:USR1@120 reaches bash only
    _, stderr = shell.communicate(timeout=30)
    assert shell.returncode == 128 + signal.SIGUSR1, stderr
    recorded = read_offline_run(tmp_path)
    assert (len(recorded.history), recorded.state, recorded.exit_code) == (
        50,
        "failed",
        138,
    )


# DataLoader with one worker, training until stopped. argv: FIX(0/1)
# Batches are lists (collate_fn=list), not tensors: a tensor reaches the training
# process as a file descriptor that the worker's multiprocessing.resource_sharer thread
# hands over on request, and a training process that dies mid-handover leaves that
# thread printing ConnectionResetError on the shared stderr (CPython's _serve calls
# sys.excepthook), whatever the signal handling did. The workers' signals are the same.
LOADER = (
    DUMP_IF_HUNG
    + """
import sys, time
from torch.utils.data import DataLoader
from snippets.init import start_run
from snippets.failures import finish_on_signal, ignore_sigterm
init = ignore_sigterm if sys.argv[1] == "1" else None
loader = DataLoader(
    range(10**6), batch_size=4, num_workers=1, worker_init_fn=init, collate_fn=list
)
with start_run(True, project="loader") as run, finish_on_signal(run):
    for step, batch in enumerate(loader):
        run.log({"x": step}, step=step)
        if step == 20:
            print("logged", flush=True)
        time.sleep(0.01)
"""
)


@pytest.mark.slow
def test_a_dataloader_worker_killed_by_sigterm_ends_the_training(tmp_path):
    child = start(tmp_path, LOADER, "0")
    [worker] = [p for p, name in children(child.pid).items() if name != "wandb-core"]
    os.kill(worker, signal.SIGTERM)  # the job's SIGTERM reaches the worker first
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 1
    assert f"DataLoader worker (pid {worker}) is killed by signal: Terminated" in stderr
    recorded = read_offline_run(tmp_path)
    assert (recorded.state, recorded.exit_code) == ("failed", 1)


@pytest.mark.slow
def test_workers_that_ignore_sigterm_leave_it_to_the_handler(tmp_path):
    child = start(tmp_path, LOADER, "1")
    [worker] = [p for p, name in children(child.pid).items() if name != "wandb-core"]
    os.kill(worker, signal.SIGTERM)  # ignored
    child.send_signal(signal.SIGTERM)
    assert child.communicate(timeout=30)[1] == ""  # EOF: the worker has ended too
    assert child.returncode == -signal.SIGTERM
    recorded = read_offline_run(tmp_path)
    assert (recorded.state, recorded.exit_code) == ("failed", 143)
    assert steps(recorded) == list(range(len(recorded.history)))
    assert len(recorded.history) > 20


# --- the handler itself, in this process ----------------------------------------------------


class Stop(Exception):
    pass


def test_the_handler_finishes_the_run_then_calls_the_previous_one(offline):
    def previous(signum, frame):
        raise Stop(signum)

    signal.signal(signal.SIGUSR1, previous)
    try:
        run = start_run(True, project="p")
        with pytest.raises(Stop), run, finish_on_signal(run, signal.SIGUSR1):
            run.log({"x": 1}, step=0)
            os.kill(os.getpid(), signal.SIGUSR1)
        assert signal.getsignal(signal.SIGUSR1) is previous  # restored
    finally:
        signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    recorded = offline()
    assert (recorded.state, recorded.exit_code, steps(recorded)) == ("failed", 138, [0])


def test_nothing_is_installed_for_a_no_run_or_an_ignored_signal(offline):
    before = signal.getsignal(signal.SIGTERM)
    with finish_on_signal(NoRun()):
        assert signal.getsignal(signal.SIGTERM) is before
    signal.signal(signal.SIGUSR2, signal.SIG_IGN)
    try:
        with start_run(True, project="p") as run, finish_on_signal(run, signal.SIGUSR2):
            assert signal.getsignal(signal.SIGUSR2) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGUSR2, signal.SIG_DFL)


def test_main_finishes_its_run(offline):
    assert failures.main(steps=5) == pytest.approx(0.9**5)
    recorded = offline()
    assert (recorded.state, recorded.column("train/loss")[-1]) == (
        "finished",
        pytest.approx(0.9**5),
    )
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


# --- W&B failing at start: stop with a clear message, or train untracked --------------------

NO_KEY = "W&B could not start the run: UsageError: No API key configured."


def test_online_without_an_api_key_fails_at_once_with_no_network(monkeypatch):
    monkeypatch.setenv("WANDB_MODE", "online")
    monkeypatch.setenv("WANDB_INIT_TIMEOUT", "10")  # bounded, should it ever wait
    with pytest.raises(RuntimeError, match="^" + NO_KEY) as stopped:
        start_tracking(True, project="p", config={"lr": 0.1})
    assert "set WANDB_MODE=offline" in str(stopped.value)
    assert "on_failure='untracked'" in str(stopped.value)


def test_untracked_warns_once_and_training_goes_on(monkeypatch):
    monkeypatch.setenv("WANDB_MODE", "online")
    monkeypatch.setenv("WANDB_INIT_TIMEOUT", "10")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = start_tracking(True, "untracked", project="p", config={"lr": 0.1})
    assert [str(w.message) for w in caught] == [
        NO_KEY + " Use `wandb login` to log in. Training goes on UNTRACKED "
        "(on_failure='untracked')"
    ]
    assert isinstance(run, NoRun) and dict(run.config) == {"lr": 0.1}
    assert run.project == "p"  # the same NoRun start_run gives with tracking off
    with pytest.raises(ZeroDivisionError), run:  # the user's own error still surfaces
        run.log({"loss": 1.0})
        1 / 0  # noqa: B018


def test_an_unwritable_dir_falls_back_to_the_temp_dir(offline, tmp_path, monkeypatch):
    """Not fatal: W&B warns (hidden by WANDB_SILENT) and writes to the temp folder."""
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    with start_tracking(True, project="p", dir=not_a_dir) as run:
        run.log({"x": 1})
    assert read_offline_run(tmp_path / "tmp" / "wandb").state == "finished"


def test_with_no_writable_dir_at_all_it_is_fatal(offline, tmp_path, monkeypatch):
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(RuntimeError, match=r"ValueError: System temp directory \("):
        start_tracking(True, project="p", dir=not_a_dir)
    with pytest.warns(RuntimeWarning, match="Training goes on UNTRACKED"):
        assert isinstance(start_tracking(True, "untracked", dir=not_a_dir), NoRun)


def test_on_failure_is_checked():
    with pytest.raises(
        ValueError, match="on_failure='warn': use 'stop' or 'untracked'"
    ):
        start_tracking(True, "warn")


# --- bad input: refused before a handler is installed or W&B is started ---------------------


@pytest.mark.parametrize("run", [None, "run", {}, 42, NoRun])
def test_finish_on_signal_refuses_what_is_not_a_run(run):
    """finish_on_signal(None) used to install a handler that failed inside the signal:
    the previous handler never ran and SIGTERM no longer ended the process."""
    before = signal.getsignal(signal.SIGTERM)
    with (
        pytest.raises(TypeError, match=r"run=.*: pass the run that start_run returned"),
        finish_on_signal(run),
    ):
        pass
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize(
    "signum", ["SIGTERM", None, 0, -1, 999, 15.0, True, signal.SIGKILL, signal.SIGSTOP]
)
def test_finish_on_signal_refuses_a_signal_no_handler_can_catch(signum):
    before = signal.getsignal(signal.SIGTERM)
    with (
        pytest.raises(
            ValueError, match=r"signum=.*: pass a signal a handler can catch"
        ),
        finish_on_signal(NoRun(), signum),
    ):
        pass
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize("on_failure", ["stop", "untracked"])
@pytest.mark.parametrize("flag", ["no", "false", "", []])
def test_start_tracking_refuses_a_flag_that_is_not_a_bool(flag, on_failure):
    """A str used to reach start_run inside the try: "no" started tracking, and with
    "untracked" a refusal would have been taken for a W&B failure."""
    with pytest.raises(TypeError, match=r"use_wandb must be True or False"):
        start_tracking(flag, on_failure)


def test_start_tracking_takes_none_as_tracking_off():
    assert isinstance(start_tracking(None, project="p"), NoRun)


@pytest.mark.parametrize("use_wandb", [True, False])
@pytest.mark.parametrize("on_failure", ["stop", "untracked"])
def test_start_tracking_refuses_an_unknown_keyword_however_it_runs(
    use_wandb, on_failure
):
    """Untracked, a misspelt keyword used to be swallowed into a NoRun with a warning
    that blamed W&B."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match="'projet' is not a wandb.init parameter"):
            start_tracking(use_wandb, on_failure, projet="x")
