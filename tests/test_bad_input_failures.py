"""Bad input, generated, for snippets/failures.py: finish_on_signal and start_tracking
either refuse it with the guide's own error naming the argument, before anything is
installed or started, or do what an independent check says."""

from __future__ import annotations

import signal
import string
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snippets.failures import finish_on_signal, start_tracking
from snippets.init import INIT_PARAMETERS, NoRun

QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
UNCATCHABLE = {signal.SIGKILL, signal.SIGSTOP}


class Finishable:
    """A run as far as finish_on_signal needs one."""

    def finish(self, exit_code: int | None = None) -> None: ...


anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-300, 300),
    st.floats(),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@QUICK
@given(run=anything)
def test_finish_on_signal_refuses_anything_without_finish(run):
    before = signal.getsignal(signal.SIGTERM)
    with (
        pytest.raises(TypeError, match=r"^run=.*: pass the run that start_run"),
        finish_on_signal(run),
    ):
        pass
    assert signal.getsignal(signal.SIGTERM) is before


@QUICK
@given(signum=st.one_of(anything, st.sampled_from(list(signal.Signals))))
def test_finish_on_signal_installs_for_a_catchable_signal_and_refuses_the_rest(signum):
    catchable = (
        isinstance(signum, int)
        and not isinstance(signum, bool)
        and signum in set(signal.valid_signals()) - UNCATCHABLE
    )
    if not catchable:
        with (
            pytest.raises(ValueError, match=r"^signum=.*: pass a signal a handler"),
            finish_on_signal(Finishable(), signum),
        ):
            pass
        return
    before = signal.getsignal(signum)
    try:
        with finish_on_signal(Finishable(), signum):
            during = signal.getsignal(signum)
        if before is signal.SIG_IGN:  # an ignored signal stays ignored
            assert during is signal.SIG_IGN
        else:
            assert callable(during) and during not in (before, signal.SIG_DFL)
        assert signal.getsignal(signum) == (before or signal.SIG_DFL)
    finally:
        signal.signal(signum, before if before is not None else signal.SIG_DFL)


@QUICK
@given(
    use_wandb=st.one_of(anything, st.just(False)),
    on_failure=st.sampled_from(["stop", "untracked"]),
)
def test_start_tracking_takes_a_bool_or_none_and_nothing_else(use_wandb, on_failure):
    if (
        use_wandb is True
    ):  # starts W&B's disabled run: covered in tests/test_failures.py
        use_wandb = False
    if isinstance(use_wandb, bool) or use_wandb is None:
        assert isinstance(start_tracking(use_wandb, on_failure), NoRun)
        return
    with pytest.raises(TypeError, match=r"^use_wandb must be True or False"):
        start_tracking(use_wandb, on_failure)


@QUICK
@given(
    names=st.lists(
        st.one_of(
            st.sampled_from(sorted(INIT_PARAMETERS)),
            st.text(string.ascii_lowercase + "_", min_size=1, max_size=12),
        ),
        max_size=4,
        unique=True,
    ),
    on_failure=st.sampled_from(["stop", "untracked"]),
)
def test_start_tracking_refuses_exactly_the_keywords_wandb_init_does_not_take(
    names, on_failure
):
    kwargs = dict.fromkeys(names)  # None: "not set" for every wandb.init parameter
    unknown = sorted(set(names) - INIT_PARAMETERS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing is blamed on W&B
        if unknown:
            with pytest.raises(TypeError, match=f"^{unknown[0]!r} is not a wandb.init"):
                start_tracking(False, on_failure, **kwargs)
        else:
            assert isinstance(start_tracking(False, on_failure, **kwargs), NoRun)
