"""Bad and edge inputs for snippets/failures.py: finish_on_signal, start_tracking,
ignore_sigterm."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    from snippets.failures import finish_on_signal, ignore_sigterm, start_tracking
    from snippets.init import NoRun

    def entered(run: Any, signum: Any = signal.SIGTERM) -> Callable[[], Any]:
        """Enter and leave finish_on_signal; what it installed is put back after."""

        def call() -> Any:
            before = signal.getsignal(signal.SIGTERM)
            try:
                with finish_on_signal(run, signum):
                    return signal.getsignal(signal.SIGTERM)
            finally:
                signal.signal(signal.SIGTERM, before)

        return call

    def in_a_thread() -> Any:
        failed: list[BaseException] = []

        def target() -> None:
            try:
                with finish_on_signal(Finishable()):
                    pass
            except BaseException as error:
                failed.append(error)

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if failed:
            raise failed[0]
        return True

    def restored(call: Callable[[], Any]) -> Callable[[], Any]:
        def wrapped() -> Any:
            before = signal.getsignal(signal.SIGTERM)
            try:
                return call()
            finally:
                signal.signal(signal.SIGTERM, before)

        return wrapped

    def untracked(**kwargs: Any) -> Callable[[], Any]:
        return lambda: start_tracking(False, "untracked", **kwargs)

    return [
        # finish_on_signal: bad runs
        ("finish_on_signal(None)", entered(None), "run"),
        ("finish_on_signal('run')", entered("run"), "run"),
        ("finish_on_signal(dict)", entered({}), "run"),
        ("finish_on_signal(object())", entered(object()), "run"),
        ("finish_on_signal(a run class)", entered(Finishable), "run"),
        ("finish_on_signal(42)", entered(42), "run"),
        # finish_on_signal: bad signals
        ("signum='SIGTERM'", entered(Finishable(), "SIGTERM"), "signum"),
        ("signum=None", entered(Finishable(), None), "signum"),
        ("signum=0", entered(Finishable(), 0), "signum"),
        ("signum=-1", entered(Finishable(), -1), "signum"),
        ("signum=999", entered(Finishable(), 999), "signum"),
        ("signum=SIGKILL", entered(Finishable(), signal.SIGKILL), "signum"),
        ("signum=SIGSTOP", entered(Finishable(), signal.SIGSTOP), "signum"),
        ("signum=15.0", entered(Finishable(), 15.0), "signum"),
        ("signum=True", entered(Finishable(), True), "signum"),
        ("signum='15'", entered(Finishable(), "15"), "signum"),
        ("signum=[15]", entered(Finishable(), [15]), "signum"),
        # finish_on_signal: what works
        ("NoRun: nothing installed", entered(NoRun()), lambda h: h == signal.getsignal(signal.SIGTERM)),
        ("a run: handler installed", entered(Finishable()), lambda h: callable(h) and h is not signal.SIG_DFL),
        ("signal.SIGUSR1 enum", entered(Finishable(), signal.SIGUSR1), lambda h: h is not None),
        ("int 10 for USR1", entered(Finishable(), int(signal.SIGUSR1)), lambda h: h is not None),
        ("not the main thread", in_a_thread, "thread"),
        # start_tracking: the flag
        ("start_tracking('no')", lambda: start_tracking("no"), "use_wandb"),
        ("start_tracking('false')", lambda: start_tracking("false"), "use_wandb"),
        ("start_tracking('False', untracked)", lambda: start_tracking("False", "untracked"), "use_wandb"),
        ("start_tracking('')", lambda: start_tracking(""), "use_wandb"),
        ("start_tracking([])", lambda: start_tracking([]), "use_wandb"),
        ("start_tracking(None)", lambda: start_tracking(None), lambda run: isinstance(run, NoRun)),
        # start_tracking: on_failure
        ("on_failure='warn'", lambda: start_tracking(False, "warn"), "on_failure"),
        ("on_failure=None", lambda: start_tracking(False, None), "on_failure"),
        ("on_failure='STOP'", lambda: start_tracking(False, "STOP"), "on_failure"),
        ("on_failure=['stop']", lambda: start_tracking(False, ["stop"]), "on_failure"),
        ("on_failure=True", lambda: start_tracking(False, True), "on_failure"),
        ("on_failure=''", lambda: start_tracking(False, ""), "on_failure"),
        # start_tracking: keywords
        ("off, projet=", lambda: start_tracking(False, projet="x"), "projet"),
        ("untracked, projet=", untracked(projet="x"), "projet"),
        ("on, projet=", lambda: start_tracking(True, projet="x"), "projet"),
        ("on untracked, projet=", lambda: start_tracking(True, "untracked", projet="x"), "projet"),
        ("off, config=[1]", lambda: start_tracking(False, config=[1]), "config"),
        ("off, config=5", lambda: start_tracking(False, config=5), "config"),
        ("off, tags=5", lambda: start_tracking(False, tags=5), "tags"),
        ("untracked keeps config", untracked(config={"lr": 0.1}), lambda run: dict(run.config) == {"lr": 0.1}),
        ("untracked keeps project", untracked(project="p"), lambda run: run.project == "p"),
        # ignore_sigterm: what DataLoader passes is an int; it ignores it
        ("ignore_sigterm(0)", restored(lambda: ignore_sigterm(0) or signal.getsignal(signal.SIGTERM)), lambda h: h is signal.SIG_IGN),
        ("ignore_sigterm(None)", restored(lambda: ignore_sigterm(None) or signal.getsignal(signal.SIGTERM)), lambda h: h is signal.SIG_IGN),
    ]  # fmt: skip


class Finishable:
    """A run as far as finish_on_signal needs one: finish()."""

    def finish(self, exit_code: int | None = None) -> None: ...
